"""Main-content extraction and page metadata: synthetic pages, and a few of Readability's test pages."""

from __future__ import annotations

import json
import re
from collections import Counter

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.extraction import extract
from reader.domain.articles.formats import parse
from reader.domain.articles.markdown import project
from shared_data import shared_path

PARAGRAPHS = [
    "The river rose for three days before the town council agreed to open the old spillway.",
    "Residents who had lived by the water for decades said they had never seen it so high.",
    "By Thursday evening the level had fallen, and the first shops on Mill Street reopened.",
]

PAGE = f"""<!DOCTYPE html><html lang="en-GB"><head>
<title>River Rises, Town Waits - The Valley Gazette</title>
<meta property="og:site_name" content="The Valley Gazette">
<meta name="author" content="Ada Byline">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
<link rel="canonical" href="https://gazette.example/river">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">Navmenu news</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Sidebarlink one</a></li><li><a href="/b">Sidebarlink two</a></li></ul></aside>
<article><h1>River Rises, Town Waits</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<div style="display:none"><p>Hiddentext that a browser never shows to anyone reading this page at all.</p></div>
<p><img src="/flood.jpg" alt="The flooded square"></p>
</article>
<footer><p>Footertext © 2024 The Valley Gazette. All rights reserved. <a href="/privacy">Privacy</a></p></footer>
</body></html>"""


def test_main_text_without_navigation_footer_sidebar_or_hidden_text() -> None:
    page = extract(PAGE, "https://gazette.example/river")
    text = project(page.body).text
    assert page.found
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    for junk in ("Navmenu", "Sidebarlink", "Footertext", "Hiddentext", "Most read"):
        assert junk not in text


def test_the_headline_is_not_repeated_under_the_title() -> None:
    page = extract(PAGE)
    assert page.title == "River Rises, Town Waits"
    assert [b.kind for b in project(page.body).blocks if b.kind == "heading"] == []


def test_metadata_from_meta_tags() -> None:
    meta = extract(PAGE).meta
    assert (meta.byline, meta.site, meta.published, meta.language, meta.canonical_url) == (
        "Ada Byline", "The Valley Gazette", "2024-03-05T08:00:00Z", "en-GB", "https://gazette.example/river",
    )


def test_metadata_from_json_ld_wins_and_survives_cdata() -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Not this"},
        {"@type": "NewsArticle", "headline": "JSON-LD headline", "author": [{"@type": "Person", "name": "Bo Writer"}],
         "publisher": {"@type": "Organization", "name": "LD Times"}, "datePublished": "2023-01-02"},
    ]}
    html = PAGE.replace("</head>", f'<script type="application/ld+json"><![CDATA[{json.dumps(ld)}]]></script></head>')
    meta = extract(html).meta
    assert (meta.title, meta.byline, meta.site, meta.published) == ("JSON-LD headline", "Bo Writer", "LD Times", "2023-01-02")


def test_images_are_placeholders_linked_to_the_picture() -> None:
    body = extract(PAGE, "https://gazette.example/river").body
    assert "[▣ The flooded square](https://gazette.example/flood.jpg)" in body


def test_a_page_of_links_is_not_an_article() -> None:
    links = "".join(f'<li><a href="/p{n}">Page {n}</a></li>' for n in range(8))
    page = extract(f"<html><head><title>Index</title></head><body><ul>{links}</ul></body></html>")
    assert not page.found
    assert "Page 7" in project(page.body).text


def test_bytes_in_the_charset_the_server_names() -> None:
    html = PAGE.replace("Residents", "Résidents").encode("latin-1")
    page = extract(html, content_type="text/html; charset=ISO-8859-1")
    assert "Résidents who had lived" in project(page.body).text


def test_local_html_file_gets_title_and_metadata() -> None:
    parsed = parse(PAGE, "html", "file-name")
    assert (parsed.title, parsed.author, parsed.source, parsed.url) == (
        "River Rises, Town Waits", "Ada Byline", "The Valley Gazette", "https://gazette.example/river",
    )
    assert "Navmenu" not in parsed.body


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_extracts_without_raising_or_raw_html(text: str) -> None:
    page = extract(text)
    assert "\x1b" not in page.body and "\x00" not in page.body
    assert not re.search(r"(?<!\\)<[a-zA-Z/!]", page.body)


# --- Readability's test pages ---------------------------------------------------------------

SAMPLES = ["001", "bbc-1", "guardian-1", "wikipedia-2", "nytimes-1"]
_WORD = re.compile(r"\w+")


def _f1(got: str, want: str) -> float:
    a, b = Counter(_WORD.findall(got.casefold())), Counter(_WORD.findall(want.casefold()))
    shared = sum((a & b).values())
    return 0.0 if not shared else 2 * shared / (sum(a.values()) + sum(b.values()))


@pytest.mark.parametrize("name", SAMPLES)
def test_readability_test_page(name: str) -> None:
    folder = shared_path("testdata", "readability-pages", name)
    expected = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8")).text_content()
    meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    page = extract((folder / "source.html").read_bytes(), "http://fakehost/test/page.html")
    assert page.found
    assert page.title == meta["title"]
    assert _f1(project(page.body).text, expected) >= 0.9
