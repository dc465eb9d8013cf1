"""Counted words: one form for one, another for the rest (issue 12: "1 feeds", "1 files skipped")."""

from __future__ import annotations

import pytest

from reader.domain.plural import plural


@pytest.mark.parametrize(("count", "word", "expected"), [
    (0, "feed", "0 feeds"),
    (1, "feed", "1 feed"),
    (2, "feed", "2 feeds"),
    (1, "new feed", "1 new feed"),
    (1, "file skipped", "1 file skipped"),
    (3, "file skipped", "3 files skipped"),
    (1, "entry", "1 entry"),
    (2, "entry", "2 entries"),
    (1, "change waiting", "1 change waiting"),
    (12_345, "article", "12,345 articles"),
])
def test_plural_counts_the_first_word_that_is_not_an_adjective(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected


def test_an_irregular_plural_is_given() -> None:
    assert plural(1, "box", "boxes") == "1 box" and plural(2, "box", "boxes") == "2 boxes"
