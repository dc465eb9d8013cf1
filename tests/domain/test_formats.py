"""Parsing of the three article formats: the seed plain-text format, Markdown and HTML."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.cleaning import clean_line
from reader.domain.articles.files import read_text
from reader.domain.articles.formats import format_of, parse, parse_markdown, parse_text
from reader.domain.articles.markdown import escape_text, project

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_cd19687c5c8d3638.txt"
SEED_TITLE = "Trump Speaks With Xi by Phone, Predicts ‘Positive Results’ Through Presidential Term"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# --- the seed format --------------------------------------------------------------------------


def test_seed_file_exactly() -> None:
    parsed = parse_text(read_text(SEED), SEED.stem)
    assert parsed.section == "NEWS"
    assert parsed.title == SEED_TITLE
    blocks = project(parsed.body).blocks
    assert len(blocks) == 13
    assert all(block.kind == "paragraph" for block in blocks)
    assert blocks[0].text.startswith("President Donald Trump said he spoke with Chinese")
    assert blocks[-1].text.endswith("processing centers.")
    assert blocks[-1].text.startswith("Vice President JD Vance said")


def test_seed_typography_is_preserved() -> None:
    parsed = parse_text(seed_text(), "x")
    text = project(parsed.body).text
    assert "“long and thorough call”" in text
    assert "president’s April visit" in text
    assert "the United States … and numerous" in text
    assert "slow down—if not cut off—the flow" in text
    assert "‘Positive Results’" in parsed.title


def test_seed_paragraphs_are_the_file_lines() -> None:
    lines = seed_text().split("\n")
    blocks = project(parse_text(seed_text(), "x").body).blocks
    assert [block.text for block in blocks] == lines[2:]


def _variants() -> dict[str, str]:
    text = seed_text()
    lines = text.split("\n")
    return {
        "blank lines": "\n\n".join(lines) + "\n\n\n",
        "crlf": "\r\n".join(lines) + "\r\n",
        "bare cr": "\r".join(lines),
        "bom": "\ufeff" + text,
        "trailing spaces": "\n".join(line + "  \t " for line in lines),
        "leading spaces": "\n".join("   " + line for line in lines),
    }


@pytest.mark.parametrize("name", sorted(_variants()))
def test_layout_variants_give_the_same_article(name: str) -> None:
    expected = parse_text(seed_text(), "x")
    assert parse_text(_variants()[name], "x") == expected


@pytest.mark.parametrize("encoded", [b"\xef\xbb\xbf", b""])
def test_bom_on_disk_gives_the_same_article(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(encoded + seed_text().replace("\n", "\r\n").encode("utf-8"))
    assert parse_text(read_text(path), "x") == parse_text(seed_text(), "x")


@pytest.mark.parametrize(
    "first",
    [
        "Breaking News",  # not all caps
        "WORLD NEWS IN FIVE WORDS",  # more than four words
        "A VERY LONGWINDED SECTIONNAMEOFMANYLETTERS",  # over 40 characters
    ],
)
def test_no_section_label_unless_short_and_all_caps(first: str) -> None:
    parsed = parse_text(f"{first}\nThe headline\nA paragraph.", "fallback")
    assert parsed.section == ""
    assert parsed.title == first
    assert [b.text for b in project(parsed.body).blocks] == ["The headline", "A paragraph."]


def test_section_label_of_up_to_four_words() -> None:
    parsed = parse_text("US POLITICS NEWS TODAY\nThe headline\nBody.", "fallback")
    assert (parsed.section, parsed.title) == ("US POLITICS NEWS TODAY", "The headline")


def test_numbers_only_first_line_is_not_a_label() -> None:
    parsed = parse_text("2025\nThe headline\nBody.", "fallback")
    assert parsed.section == ""
    assert parsed.title == "2025"


def test_empty_text_falls_back_to_the_file_name() -> None:
    parsed = parse_text("", "my-file")
    assert parsed.title == "my-file"
    assert project(parsed.body).blocks == ()


def test_control_characters_do_not_reach_title_or_body() -> None:
    parsed = parse_text("NEWS\nHead\x1b[31mline\u202e\nBody\x07 text\u200b.", "x")
    assert parsed.title == "Head[31mline"
    assert project(parsed.body).text == "Body text."


MARKDOWN_LOOKING = [
    "2025. The year everything changed.",
    "1) Not an ordered list either.",
    "# Not a heading",
    "## Nor this",
    "* not a bullet",
    "- nor this",
    "+ nor this",
    "> not a quote",
    "It has *stars* in it.",
    "It has **double stars** in it.",
    "It has _under_ scores.",
    "A <b>bold</b> tag and <script>x()</script>.",
    "A [x](y) link and ![img](z.png) image.",
    "A `code` span and ```fence``` text.",
    "~~~",
    "---",
    "===",
    "| a | b |",
    "Entities &amp; &#35; &copy; stay.",
    "A back\\slash and \\*escaped\\*.",
    "<https://example.org> and https://example.org/x_y_z",
    "[ref]: https://example.org",
    "Trailing hash #",
    "<!-- not a comment -->",
]


def test_markdown_looking_plain_text_stays_text() -> None:
    text = "NEWS\nA headline\n" + "\n".join(MARKDOWN_LOOKING)
    blocks = project(parse_text(text, "x").body).blocks
    assert [block.text for block in blocks] == MARKDOWN_LOOKING
    assert {block.kind for block in blocks} == {"paragraph"}


@pytest.mark.parametrize("paragraph", MARKDOWN_LOOKING)
def test_escape_text_round_trips_each_case(paragraph: str) -> None:
    projection = project(escape_text(paragraph))
    assert projection.text == paragraph
    assert [block.kind for block in projection.blocks] == ["paragraph"]


# Controls are left out: the cleaner removes them before escaping, and markdown-it itself turns
# NUL into U+FFFD (CommonMark); surrogates cannot come from decoded files.
ONE_LINE = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cc", "Cs")),
        st.sampled_from(list("#>*_-+=|`~[]()<>!&\\:.;0123456789 ")),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(ONE_LINE)
def test_escape_text_is_literal(raw: str) -> None:
    text = " ".join(raw.split())
    if not text:
        return
    projection = project(escape_text(text))
    assert projection.text == text
    assert len(projection.blocks) == 1
    assert projection.blocks[0].kind == "paragraph"


@settings(max_examples=150, deadline=None)
@given(st.lists(ONE_LINE, min_size=1, max_size=6))
def test_plain_text_paragraphs_are_literal(raws: list[str]) -> None:
    paragraphs = [p for p in (clean_line(raw) for raw in raws) if p]
    if not paragraphs:
        return
    parsed = parse_text("NEWS\nHeadline\n" + "\n".join(paragraphs), "x")
    assert [b.text for b in project(parsed.body).blocks] == paragraphs


# --- Markdown ---------------------------------------------------------------------------------


def test_front_matter_fields() -> None:
    parsed = parse_markdown(
        "---\n"
        "title: A  Title\n"
        "author: Ann Author\n"
        "date: 2024-03-05\n"
        "source: The Source\n"
        "url: https://example.org/a\n"
        "section: World\n"
        "tags: [one, two]\n"
        "---\n"
        "# Body heading\n\nText.\n",
        "fallback",
    )
    assert parsed.title == "A Title"
    assert parsed.author == "Ann Author"
    assert parsed.date == "2024-03-05"
    assert parsed.source == "The Source"
    assert parsed.url == "https://example.org/a"
    assert parsed.section == "World"
    assert parsed.tags == ("one", "two")
    assert parsed.body == "# Body heading\n\nText."  # the H1 stays when the title came from YAML


def test_tags_as_a_string_and_datetime() -> None:
    parsed = parse_markdown("---\ntags: red, green blue\ndate: 2024-03-05 10:30:00\nlink: https://e.org\n---\nx", "f")
    assert parsed.tags == ("red", "green", "blue")
    assert parsed.date == "2024-03-05T10:30:00"
    assert parsed.url == "https://e.org"


def test_title_falls_back_to_first_h1_which_leaves_the_body() -> None:
    parsed = parse_markdown("\n# The Heading #\n\nFirst paragraph.\n\n# Second H1\n", "fallback")
    assert parsed.title == "The Heading"
    assert [b.text for b in project(parsed.body).blocks] == ["First paragraph.", "Second H1"]


def test_title_falls_back_to_setext_h1() -> None:
    parsed = parse_markdown("The Heading\n===========\n\nText.", "fallback")
    assert parsed.title == "The Heading"
    assert parsed.body == "Text."


def test_h2_first_is_not_a_title() -> None:
    parsed = parse_markdown("## Sub\n\nText.", "fallback")
    assert parsed.title == "fallback"
    assert parsed.body == "## Sub\n\nText."


def test_title_falls_back_to_the_file_name() -> None:
    parsed = parse_markdown("Just text, no heading.", "file-name")
    assert parsed.title == "file-name"
    assert parsed.body == "Just text, no heading."


@pytest.mark.parametrize(
    "front",
    [
        "title: [unclosed",
        ": : :",
        "\ttitle: tab",
        "title: !!python/object/apply:os.system ['true']",
        "date: 2024-13-45",
        "- a list\n- not a mapping",
        "just a string",
        "title: &a [*a]",
    ],
)
def test_broken_front_matter_does_not_crash(front: str) -> None:
    parsed = parse_markdown(f"---\n{front}\n---\n# Heading\n\nBody text.\n", "fallback")
    assert parsed.title in ("fallback", "Heading")
    assert "Body text." in project(parsed.body).text


def test_non_scalar_title_is_ignored() -> None:
    parsed = parse_markdown("---\ntitle:\n  nested: map\nauthor: [a, b]\n---\n# Real\n\nx", "f")
    assert parsed.title == "Real"
    assert parsed.author == ""


def test_yaml_alias_bomb_is_fast() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 7):  # 9**7 strings if expanded: seconds, not minutes, when it regresses
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    lines += ["title: *a6", "author: *a6", "tags: *a6"]
    started = time.perf_counter()
    parsed = parse_markdown("---\n" + "\n".join(lines) + "\n---\nbody\n", "fallback")
    assert time.perf_counter() - started < 2
    assert parsed.title == "fallback"
    assert parsed.tags == ()


def test_front_matter_with_crlf_and_bom() -> None:
    parsed = parse_markdown("\ufeff---\r\ntitle: T\r\n---\r\nBody\r\n", "f")
    assert (parsed.title, parsed.body) == ("T", "Body")


def test_format_of() -> None:
    assert format_of(Path("a.MD")) == "markdown"
    assert format_of(Path("a.markdown")) == "markdown"
    assert format_of(Path("a.htm")) == "html"
    assert format_of(Path("a.txt")) == "text"
    assert format_of(Path("README")) == "text"
    assert format_of(Path("a.pdf")) is None


# --- HTML -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title> The  Page &amp; Title </title>
<style>p { color: red } .stylemark {}</style>
<script>var scriptmark = 1;</script></head>
<body><!-- commentmark -->
<h1>Heading</h1><p>Hello <b>world</b>.</p>
<script>alert("scriptmark2")</script>
</body></html>"""


def test_html_title_and_junk_dropped() -> None:
    pytest.importorskip("reader.domain.articles.htmlconv")
    parsed = parse(PAGE, "html", "fallback")
    assert parsed.title == "The Page & Title"
    assert "Hello **world**." in parsed.body
    for junk in ("scriptmark", "stylemark", "commentmark", "<"):
        assert junk not in parsed.body


def test_html_title_falls_back_to_h1_then_name() -> None:
    pytest.importorskip("reader.domain.articles.htmlconv")
    parsed = parse("<h1>Only H1</h1><p>x</p>", "html", "fallback")
    assert (parsed.title, parsed.body) == ("Only H1", "x")
    assert parse("<p>x</p>", "html", "fallback").title == "fallback"
