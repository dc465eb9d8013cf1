"""The plain-text projection of a Markdown body, its pages, and finding a saved reading position."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.markdown import BLOCK_SEPARATOR, Block, Projection, make_parser, project, source_of
from reader.domain.articles.pages import anchor_for, find_anchor, page_of, paginate

BODY = """# Heading one

Intro with *emphasis*, **strong**, `code`, a [link](https://example.org) and ![alt text](https://example.org/i.png).

## Second heading

- item one
- item two
  - nested a
  - nested b
- item three

1. first
2. second

> A quote
> over two lines.
>
> Second quote paragraph.

| Col A | Col B |
|-------|-------|
| 1     | *two* |
| 3     | 4     |

```python
def f():
    return 1
```

    indented code
    second line

---

Last paragraph with ~~strike~~ and a hard  
break. See [the ref][r1].

[r1]: https://example.org/ref "Ref title"
"""

EXPECTED = [
    ("heading", "Heading one"),
    ("paragraph", "Intro with emphasis, strong, code, a link and ▣ alt text."),
    ("heading", "Second heading"),
    ("list", "item one\nitem two\nnested a\nnested b\nitem three"),
    ("list", "first\nsecond"),
    ("quote", "A quote over two lines.\nSecond quote paragraph."),
    ("table", "Col A\nCol B\n1\ntwo\n3\n4"),
    ("code", "def f():\n    return 1"),
    ("code", "indented code\nsecond line"),
    ("rule", ""),
    ("paragraph", "Last paragraph with strike and a hard\nbreak. See the ref."),
]


def check_invariants(projection: Projection) -> None:
    """Offsets, indexes and separators agree with the text."""
    text = projection.text
    for position, block in enumerate(projection.blocks):
        assert block.index == position
        assert text[block.start : block.end] == block.text
        for start, end in block.leaves:
            assert 0 <= start <= end <= len(block.text)
        if position:
            previous = projection.blocks[position - 1]
            assert text[previous.end : block.start] == BLOCK_SEPARATOR
    if projection.blocks:
        assert projection.blocks[0].start == 0
        assert projection.blocks[-1].end == len(text)
    else:
        assert text == ""


def test_block_kinds_and_texts() -> None:
    projection = project(BODY)
    assert [(b.kind, b.text) for b in projection.blocks] == EXPECTED
    check_invariants(projection)


def test_leaves_are_the_separate_runs() -> None:
    projection = project(BODY)
    lists = projection.blocks[3]
    assert [lists.text[s:e] for s, e in lists.leaves] == ["item one", "item two", "nested a", "nested b", "item three"]
    quote = projection.blocks[5]
    assert [quote.text[s:e] for s, e in quote.leaves] == ["A quote over two lines.", "Second quote paragraph."]
    assert projection.blocks[9].leaves == ()


def test_block_at_and_blocks_between() -> None:
    projection = project(BODY)
    third = projection.blocks[2]
    assert projection.block_at(third.start) == third
    assert projection.block_at(third.end + 1) == third  # in the separator: the block before
    assert projection.blocks_between(projection.blocks[1].start, third.end) == (1, 2)


def test_source_of_every_range_reprojects_to_the_same_texts() -> None:
    projection = project(BODY)
    count = len(projection.blocks)
    for first in range(count):
        for last in range(first, count):
            page = project(source_of(BODY, projection, first, last))
            assert [b.text for b in page.blocks] == [b.text for b in projection.blocks[first : last + 1]]
            assert [b.kind for b in page.blocks] == [b.kind for b in projection.blocks[first : last + 1]]


def test_source_of_keeps_reference_links_working() -> None:
    projection = project(BODY)
    last = len(projection.blocks) - 1
    source = source_of(BODY, projection, last, last)
    links = [
        child.attrs
        for token in make_parser().parse(source)
        for child in token.children or ()
        if child.type == "link_open"
    ]
    assert links == [{"href": "https://example.org/ref", "title": "Ref title"}]


def test_source_of_a_page_that_opens_with_a_rule() -> None:
    body = "Intro.\n\n---\n\nMiddle paragraph.\n\n---\n\nEnd.\n"
    projection = project(body)
    assert [b.kind for b in projection.blocks] == ["paragraph", "rule", "paragraph", "rule", "paragraph"]
    page = project(source_of(body, projection, 1, 4))
    assert [b.text for b in page.blocks] == ["", "Middle paragraph.", "", "End."]


def test_source_of_with_unicode_line_separators() -> None:
    body = "para one\u2028still one\u2029\n\nsecond\x85\n\nthird\n"
    projection = project(body)
    check_invariants(projection)
    assert len(projection.blocks) == 3
    for index, block in enumerate(projection.blocks):
        page = project(source_of(body, projection, index, index))
        assert [b.text for b in page.blocks] == [block.text]


@pytest.mark.parametrize("body", ["", "\n\n", "[r]: https://e.org\n", "<div>raw html</div>"])
def test_degenerate_bodies(body: str) -> None:
    projection = project(body)
    check_invariants(projection)


MARKDOWN_PIECES = st.sampled_from(
    [
        "# H", "## H2", "para *em* text", "- a\n- b\n  - c", "1. x\n2. y", "> q\n> r", "```\ncode\n```",
        "    indented", "---", "| a | b |\n|---|---|\n| 1 | 2 |", "Setext\n===", "a  \nb", "![i](u)",
        "[l](https://e.org) `c`", "para\nlazy line", "<b>html</b>", "* * *", "~~s~~", "[x][r]\n\n[r]: /u",
        "a note[^1] here", "[^1]: the note\n    goes on", "[^n]:\n    - a list note", "[^1] undefined?",
        "[^x]: `code` note", "see https://e.org/a_b and www.e.org.", "mail me@e.org", "<https://e.org>",
        "| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |", "    indented after",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=12), st.sampled_from(["\n\n", "\n\n\n", "\n"]))
def test_projection_invariants_hold_for_mixed_markdown(pieces: list[str], joiner: str) -> None:
    body = joiner.join(pieces)
    projection = project(body)
    check_invariants(projection)
    for block in projection.blocks:
        page = project(source_of(body, projection, block.index, block.index))
        assert [b.text for b in page.blocks] == [block.text]


# --- pages ------------------------------------------------------------------------------------


def make_blocks(words: list[int]) -> tuple[Block, ...]:
    body = "\n\n".join(" ".join(["word"] * n) if n else "---" for n in words)
    return project(body).blocks


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=40), st.integers(1, 120))
def test_paginate_covers_every_block_once_in_order(words: list[int], per_page: int) -> None:
    blocks = make_blocks(words)
    pages = paginate(blocks, per_page)
    covered = [index for first, last in pages for index in range(first, last + 1)]
    assert covered == list(range(len(blocks)))
    for first, last in pages:
        assert first <= last
        before_last = sum(max(1, b.words) for b in blocks[first:last])
        assert before_last < per_page  # a page closes as soon as it is full
    for number, (first, last) in enumerate(pages):
        assert page_of(pages, first) == page_of(pages, last) == number


def test_paginate_empty_and_page_of_fallback() -> None:
    assert paginate(()) == []
    assert page_of([], 3) == 0
    assert page_of([(0, 1), (2, 5)], 99) == 1


def test_paginate_long_article() -> None:
    blocks = make_blocks([100] * 30)
    pages = paginate(blocks)  # 1200 words a page
    assert pages == [(0, 11), (12, 23), (24, 29)]


# --- reading positions ------------------------------------------------------------------------


def paragraphs(*texts: str) -> tuple[Block, ...]:
    return project("\n\n".join(texts)).blocks


ORIGINAL = [f"Paragraph number {n} says something about topic {n}." for n in range(10)]


def test_anchor_survives_blocks_inserted_before() -> None:
    blocks = paragraphs(*ORIGINAL)
    anchor = anchor_for(blocks[5])
    assert anchor == {"block": 5, "quote": ORIGINAL[5]}
    edited = paragraphs("New lede.", "Another new one.", "A third.", *ORIGINAL)
    assert find_anchor(edited, anchor) == 8
    shrunk = paragraphs(*ORIGINAL[3:])
    assert find_anchor(shrunk, anchor) == 2


def test_anchor_quote_is_at_most_80_characters_and_still_matches() -> None:
    long = "x" * 200
    blocks = paragraphs("a", long + " end")
    anchor = anchor_for(blocks[1])
    assert len(anchor["quote"]) == 80
    assert find_anchor(paragraphs("new", "a", long + " changed end"), anchor) == 2


def test_duplicate_quotes_pick_the_nearest_to_the_saved_index() -> None:
    blocks = paragraphs("same", "other", "same", "other", "same")
    assert find_anchor(blocks, {"block": 3, "quote": "same"}) in (2, 4)
    assert find_anchor(blocks, {"block": 0, "quote": "same"}) == 0
    assert find_anchor(blocks, {"block": 9, "quote": "same"}) == 4


def test_anchor_fallbacks() -> None:
    blocks = project("---\n\nFirst text.\n\nSecond.\n\nThird.").blocks
    assert find_anchor(blocks, None) == 1  # the first block with text, not the rule
    assert find_anchor(blocks, {}) == 1
    assert find_anchor(blocks, {"block": 2, "quote": "gone"}) == 2  # the saved index
    assert find_anchor(blocks, {"block": 50, "quote": "gone"}) == 3  # clamped to the end
    assert find_anchor(blocks, {"block": -4, "quote": "gone"}) == 1
    assert find_anchor(blocks, {"block": "junk"}) == 0  # int("junk") fails: index 0
    assert find_anchor(blocks, {"block": None, "quote": None}) == 0
    assert find_anchor((), {"block": 3, "quote": "x"}) == 0


def test_block_is_a_frozen_value() -> None:
    block = project("text").blocks[0]
    with pytest.raises(AttributeError):
        block.text = "other"  # type: ignore[misc]
    assert replace(block, index=4).index == 4


# --- footnotes, bare URLs, table alignment ----------------------------------------------------

FOOTNOTED = "A claim[^1] and another[^two].\n\n[^1]: The source.\n\nMore text.\n\n[^two]: Second\n    note.\n"


def test_footnotes_render_where_they_are_written() -> None:
    projection = project(FOOTNOTED)
    assert [(b.kind, b.text) for b in projection.blocks] == [
        ("paragraph", "A claim[1] and another[two]."),
        ("footnote", "[1] The source."),
        ("paragraph", "More text."),
        ("footnote", "[two] Second note."),
    ]
    check_invariants(projection)


def test_a_page_keeps_its_footnote_references() -> None:
    projection = project(FOOTNOTED)
    for block in projection.blocks:
        page = project(source_of(FOOTNOTED, projection, block.index, block.index))
        assert [b.text for b in page.blocks] == [block.text]


def test_bare_urls_become_links_and_read_as_typed() -> None:
    from reader.domain.articles.markdown import escape_text

    body = escape_text("Read https://example.org/a_b*c* or www.example.org, not me@example.org.")
    inline = make_parser().parse(body)[1]
    links = [t.attrs["href"] for t in inline.children if t.type == "link_open"]
    assert links == ["https://example.org/a_b*c*", "http://www.example.org"]
    assert project(body).text == "Read https://example.org/a_b*c* or www.example.org, not me@example.org."


_LINKISH = st.sampled_from([
    "http://", "https://", "ftp://", "//", "mailto:", "www.", "localhost", "@", ".", ":", "/", "-",
    "example", "com", "org", "рф", "xn--p1ai", "1", "127.0.0.1", "_", " ", "\n", "(", ")", ">", "|", "a", "Z",
])


@given(st.lists(st.one_of(_LINKISH, st.text(max_size=4)), max_size=16).map("".join))
@settings(max_examples=400, deadline=None)
def test_the_quick_look_before_linkify_never_misses_a_link(text: str) -> None:
    """QuickLinkify skips linkify-it's patterns only where they could not match: it finds a link
    exactly where linkify-it does, and its pretest says yes wherever linkify-it's does."""
    from linkify_it import LinkifyIt

    from reader.domain.articles.markdown_rules import QuickLinkify

    quick, plain = QuickLinkify().set({"fuzzy_email": False}), LinkifyIt().set({"fuzzy_email": False})
    assert quick.test(text) == bool(plain.test(text))
    assert quick.pretest(text) or not plain.pretest(text)


def test_prose_without_link_characters_skips_linkify() -> None:
    from reader.domain.articles.markdown_rules import QuickLinkify

    quick = QuickLinkify()
    assert not quick.pretest("Workers said so. The budget grew, and prices fell")
    assert quick.pretest("See example.org") and quick.test("See example.org")


def test_table_column_alignment_is_kept() -> None:
    tokens = make_parser().parse("| l | c | r | n |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n")
    cells = [t.attrs.get("style", "") for t in tokens if t.type == "th_open"]
    assert cells == ["text-align:left", "text-align:center", "text-align:right", ""]
