"""The cleaner of untrusted text: nothing a terminal could act on survives it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.cleaning import clean_line, clean_text


def must_go(char: str) -> bool:
    """The characters the cleaner promises to remove (a CR is turned into a newline instead)."""
    code = ord(char)
    return (
        (code < 0x20 and char not in "\t\n\r")
        or 0x7F <= code <= 0x9F
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or 0x200B <= code <= 0x200F
        or code in (0x2060, 0xFEFF)
        or 0xD800 <= code <= 0xDFFF
    )


FORBIDDEN = [chr(c) for c in range(0xD800) if must_go(chr(c))]
FORBIDDEN += [chr(0xFEFF), "\ud800", "\udbff", "\udc00", "\udfff"]

HOSTILE = st.lists(
    st.one_of(
        st.characters(),  # anything, controls included
        st.sampled_from(FORBIDDEN),
        st.sampled_from(["\r", "\n", "\t", "\r\n", "\x1b[31m", "\u202e", "\u00a0", "é", "表"]),
        st.characters(categories=["Cs"]),
    ),
    max_size=80,
).map("".join)
# Text the cleaner must leave alone: no forbidden character, no carriage return.
ORDINARY = st.text(st.characters(exclude_categories=["Cs"]).filter(lambda c: not must_go(c) and c != "\r"), max_size=80)


@settings(max_examples=300)
@given(HOSTILE)
def test_clean_text_removes_every_forbidden_character(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(must_go(char) for char in cleaned)
    assert "\r" not in cleaned


@settings(max_examples=300)
@given(HOSTILE)
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=300)
@given(ORDINARY)
def test_clean_text_keeps_other_text_unchanged(text: str) -> None:
    assert clean_text(text) == text


@settings(max_examples=300)
@given(HOSTILE)
def test_clean_text_only_removes(text: str) -> None:
    """What is left is the original's allowed characters, in order (a CR counted as a newline)."""
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [char for char in expected if not must_go(char)]
    cleaned = clean_text(text)
    # the cleaner may remove a few more format characters than promised, never add or reorder
    iterator = iter(kept)
    assert all(any(char == other for other in iterator) for char in cleaned)
    extra = set(kept) - set(cleaned)
    assert all(unicodedata.category(char) == "Cf" for char in extra)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\rb", "a\n\nb"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),
        ("\r", "\n"),
        ("tab\tkept\n", "tab\tkept\n"),
        ("\x1b[2J\x1b]0;title\x07ok", "[2J]0;titleok"),
        ("\u202eevil\u202c \u2066iso\u2069", "evil iso"),
        ("zero\u200bwidth\u200d\ufeff\u2060", "zerowidth"),
        ("c1\x85\x9b\x80", "c1"),
        ("lone \ud83d surrogate", "lone  surrogate"),
        ("emoji 👍🏽 and é\u0301 stay", "emoji 👍🏽 and é\u0301 stay"),
    ],
)
def test_clean_text_examples(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@settings(max_examples=300)
@given(HOSTILE)
def test_clean_line_is_one_clean_line(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and "\t" not in line and "\r" not in line
    assert not any(must_go(char) for char in line)
    assert line == line.strip()
    assert "  " not in line
    assert clean_line(line) == line


def test_clean_line_examples() -> None:
    assert clean_line("  A\ttitle\r\nover\u2028lines\x00 ") == "A title over lines"
    assert clean_line("\u202e\u200b") == ""
