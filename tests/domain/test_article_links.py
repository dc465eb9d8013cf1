"""The links of an article (the link list, issue 12) and pictures as marked placeholders (issue 13)."""

from __future__ import annotations

from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.links import Link, article_links
from reader.domain.articles.markdown import project

BODY = """Intro with [a link](https://example.net/x) and a bare https://example.org/a_b too.

![a cat photo](https://example.com/cat.png) and ![](https://example.com/dog.png)

Again [the same link](https://example.net/x), then [a [bold] one\x1b](http://example.com/y).

[![inside](https://example.com/in.png)](https://example.com/outer)
"""


def test_a_markdown_picture_is_the_placeholder_square_and_its_alt_text() -> None:
    texts = [block.text for block in project(BODY).blocks]
    assert texts[1] == "▣ a cat photo and ▣ image"
    assert texts[3] == "▣ inside"


def test_links_are_numbered_in_reading_order_once_each_pictures_marked() -> None:
    links = article_links(BODY)
    assert links == (
        Link("a link", "https://example.net/x", image=False),
        Link("https://example.org/a_b", "https://example.org/a_b", image=False),
        Link("▣ a cat photo", "https://example.com/cat.png", image=True),
        Link("▣ image", "https://example.com/dog.png", image=True),
        Link("a [bold] one", "http://example.com/y", image=False),
        Link("▣ inside", "https://example.com/outer", image=False),
    )


def test_the_articles_own_page_comes_first() -> None:
    links = article_links("See [it](https://example.com/story).", "https://example.com/story")
    assert links == (Link("this article's page", "https://example.com/story", image=False),)
    assert article_links("No links.", "https://a.example/\x07x") == (Link("this article's page", "https://a.example/x", image=False),)


def test_no_links_no_list() -> None:
    assert article_links("Just text, `https://in.code/x` and\n\n    https://indented.code/y\n") == ()


def test_a_file_without_a_date_shows_when_it_was_added_not_as_its_date() -> None:
    undated = ArticleMeta("a", "a.txt", "T", sort_key="2026-12-01T10:00:00+00:00")
    dated = ArticleMeta("b", "b.md", "T", date="2026-02-04T09:00:00", sort_key="2026-02-04T09:00:00")
    assert undated.shown_date == "added 2026-12-01"
    assert dated.shown_date == "2026-02-04"
    assert ArticleMeta("c", "c.txt", "T").shown_date == ""
