"""Plain-text files as people have them: hard-wrapped paragraphs separated by blank lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.formats import parse_text
from reader.domain.articles.markdown import project
from shared_data import shared_path


WRAPPED = """The Long Walk Home

It was late when the train finally pulled
into the station, and the platform was
empty.

She walked out into the rain. Nobody was
waiting for her.
"""


def test_hard_wrapped_lines_join_into_paragraphs() -> None:
    parsed = parse_text(WRAPPED, "fallback")
    assert parsed.title == "The Long Walk Home"
    assert [b.text for b in project(parsed.body).blocks] == [
        "It was late when the train finally pulled into the station, and the platform was empty.",
        "She walked out into the rain. Nobody was waiting for her.",
    ]
    assert parsed.plain == project(parsed.body).text


def test_sentences_are_not_split_across_blocks() -> None:
    blocks = project(parse_text(WRAPPED, "x").body).blocks
    assert all(block.text.endswith(".") for block in blocks)


def test_wrapped_text_without_a_headline_keeps_the_file_name() -> None:
    parsed = parse_text("First paragraph wraps\nonto a second line.\n\nSecond paragraph.\n", "notes")
    assert parsed.title == "notes"
    assert [b.text for b in project(parsed.body).blocks] == [
        "First paragraph wraps onto a second line.", "Second paragraph.",
    ]


def test_a_long_single_line_first_paragraph_is_not_a_headline() -> None:
    long_line = "word " * 40
    parsed = parse_text(f"{long_line}\n\nNext paragraph.", "notes")
    assert parsed.title == "notes"
    assert len(project(parsed.body).blocks) == 2


def test_section_label_above_the_headline_of_wrapped_text() -> None:
    parsed = parse_text("SPORT\nThe Match Report\n\nA long paragraph\nthat wraps.\n", "x")
    assert (parsed.section, parsed.title) == ("SPORT", "The Match Report")
    assert project(parsed.body).text == "A long paragraph that wraps."


def test_many_blank_lines_are_one_separator() -> None:
    parsed = parse_text("Title\n\n\n\nOne\nline.\n\n\n\nTwo.\n\n", "x")
    assert project(parsed.body).text == "One line.\n\nTwo."


def test_shared_seed_keeps_one_paragraph_per_line() -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    assert seeds
    for seed in seeds:
        lines = [line for line in seed.read_text(encoding="utf-8").split("\n") if line.strip()]
        parsed = parse_text(seed.read_text(encoding="utf-8"), seed.stem)
        assert parsed.title == lines[1]
        assert len(project(parsed.body).blocks) == len(lines) - 2


_words = st.lists(st.text(alphabet="abcdefgh *#_-.", min_size=1, max_size=8).filter(str.strip), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_words, min_size=1, max_size=4), min_size=1, max_size=5))
def test_wrapping_does_not_change_the_paragraphs(paragraphs: list[list[list[str]]]) -> None:
    """The same paragraphs wrapped at different places give the same article."""
    def render(width_words: int) -> str:
        out = []
        for paragraph in paragraphs:
            words = [w.strip() for line in paragraph for w in line if w.strip()]
            out.append("\n".join(" ".join(words[i : i + width_words]) for i in range(0, len(words), width_words)))
        return "Headline\n\n" + "\n\n".join(out) + "\n"

    wide, narrow = parse_text(render(50), "x"), parse_text(render(2), "x")
    assert wide.plain == narrow.plain
    assert wide.body == narrow.body
    assert wide.plain == project(wide.body).text
