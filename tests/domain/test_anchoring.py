"""Re-anchoring a stored passage in changed text: exact, moved, duplicated, edited, deleted."""

from __future__ import annotations

import random

import pytest
from anchoring_checks import check_invariants

from reader.domain.annotations.anchoring import Anchor, anchor
from reader.domain.annotations.model import Selectors, TextPosition, TextQuote

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho".split()


def prose(words: int, seed: int = 1) -> str:
    """Deterministic filler text of ``words`` lowercase words (letters a-z and spaces only)."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


QUOTE = "Seventeen Quokkas, 2 Zebras and 1 Walrus went to the Fjord."


def with_quote(before: str, after: str, quote: str = QUOTE) -> tuple[str, Selectors]:
    """The text ``before + quote + after`` and selectors for the quote in it."""
    text = before + quote + after
    return text, Selectors.for_span(text, len(before), len(before) + len(quote))


# Examples ----------------------------------------------------------------------------------


def test_exact_at_the_stored_position() -> None:
    text, selectors = with_quote(prose(50), prose(50, seed=2))
    result = anchor(text, selectors)
    assert result == Anchor("exact", selectors.position.start, selectors.position.end, QUOTE)


def test_text_inserted_before_moves_the_passage() -> None:
    text, selectors = with_quote(prose(50), prose(50, seed=2))
    moved = "A new first paragraph.\n\n" + text
    result = anchor(moved, selectors)
    assert result.status == "moved"
    assert result.start == selectors.position.start + 24
    assert moved[result.start : result.end] == QUOTE


def test_duplicates_are_told_apart_by_prefix_and_suffix() -> None:
    first = "The first time: " + QUOTE + " So it began. "
    second = "Much later, again: " + QUOTE + " And so it ended."
    text = prose(30) + " " + first + prose(30, seed=3) + " " + second + " " + prose(30, seed=4)
    at = text.index(second) + len("Much later, again: ")
    selectors = Selectors.for_span(text, at, at + len(QUOTE))
    # Move both copies, and place the old position nearer the first copy.
    changed = "Intro. " * 40 + text
    hinted = Selectors(selectors.quote, TextPosition(text.index(first), text.index(first) + len(QUOTE)))
    for chosen in (selectors, hinted):
        result = anchor(changed, chosen)
        assert result.status == "moved"
        assert result.start == at + len("Intro. ") * 40


def test_position_breaks_ties_between_identical_contexts() -> None:
    text = ("xx " + QUOTE + " yy ") * 5
    at = text.index(QUOTE, 3 * len("xx " + QUOTE + " yy "))
    selectors = Selectors.for_span(text, at, at + len(QUOTE))
    result = anchor("!" + text, selectors)
    assert (result.status, result.start) == ("moved", at + 1)


@pytest.mark.parametrize("words", [40, 60_000])
def test_small_edits_inside_the_quote_give_a_fuzzy_match_with_the_right_span(words: int) -> None:
    before, after = prose(words // 2), prose(words // 2, seed=2)
    text, selectors = with_quote(before + " ", " " + after)
    edited_quote = QUOTE.replace("Quokkas", "Quokas").replace("went", "walked")
    edited = "Preface. " + before + " " + edited_quote + " " + after
    result = anchor(edited, selectors)
    assert result.status == "fuzzy"
    assert result.text == edited_quote
    assert result.start == edited.index(edited_quote)
    check_invariants(edited, selectors, result)


def test_an_edited_passage_moved_far_away_is_found() -> None:
    before, after = prose(30_000), prose(30_000, seed=2)
    text, selectors = with_quote(before + " ", " " + after)
    edited_quote = QUOTE.replace("Zebras", "zebras").replace("Fjord", "fjord")
    # The passage, with its context, moves from the middle to near the end.
    moved = before + " " + after[:150_000] + " " + edited_quote + " " + after[150_000:]
    result = anchor(moved, selectors)
    assert result.status == "fuzzy"
    assert result.text == edited_quote


def test_a_deleted_quote_is_orphaned() -> None:
    before, after = prose(40_000), prose(40_000, seed=2)
    text, selectors = with_quote(before + " ", " " + after)
    assert anchor(before + " " + after, selectors) == Anchor("orphaned")
    assert anchor(before[:500], selectors).status == "orphaned"


@pytest.mark.parametrize(
    "position",
    [TextPosition(-5, 3), TextPosition(10, 5), TextPosition(10**9, 10**9 + 3), TextPosition(0, 0)],
)
def test_nonsense_positions_do_not_break_anchoring(position: TextPosition) -> None:
    text, selectors = with_quote(prose(20), prose(20, seed=2))
    result = anchor(text, Selectors(selectors.quote, position))
    assert (result.status, result.start) == ("moved", selectors.position.start)


def test_empty_quote_or_too_short_text_is_orphaned() -> None:
    empty = Selectors(TextQuote(""), TextPosition(0, 0))
    assert anchor("some text", empty).status == "orphaned"
    assert anchor("", Selectors(TextQuote("abc"), TextPosition(0, 3))).status == "orphaned"
    assert anchor("a", Selectors(TextQuote("abcd"), TextPosition(0, 4))).status == "orphaned"
    # A short quote with no context to confirm it: three edits from "abc" could be anything.
    assert anchor("ab", Selectors(TextQuote("abc"), TextPosition(0, 3))) == Anchor("orphaned")
    assert anchor("abc", Selectors(TextQuote("abc"), TextPosition(0, 3))) == Anchor("exact", 0, 3, "abc")


def test_offsets_are_code_points() -> None:
    text = "😀 naïve café — " + QUOTE
    selectors = Selectors.for_span(text, text.index(QUOTE), len(text))
    result = anchor("🎉" + text, selectors)
    assert (result.status, result.start) == ("moved", text.index(QUOTE) + 1)


def test_a_long_quote_in_a_long_text() -> None:
    # How fast this is, bench/bench_anchoring.py measures.
    before, after = prose(25_000), prose(25_000, seed=2)
    text, selectors = with_quote(before + " ", " " + after, QUOTE * 3)
    edited = before + " " + (QUOTE * 3).replace("Walrus", "walrus") + " " + after
    assert anchor(text, selectors).status == "exact"
    assert anchor(edited, selectors) == Anchor("fuzzy", selectors.position.start, selectors.position.end,
                                               (QUOTE * 3).replace("Walrus", "walrus"))
    assert anchor(before + " " + after, selectors) == Anchor("orphaned")


# Issue 10: a passage is found where it is, or said to be gone -------------------------------

STORM = [
    "The storm reached the coast on Monday night, bringing winds of more than 100 kilometres an hour"
    " and heavy rain to towns that had not seen such weather in decades.",
    "Snow cover in the mountains was the thinnest on record for the month, the weather service said,"
    " and ski resorts warned that the season could end early.",
    "Emergency services were called to more than 300 incidents, most of them fallen trees and flooded"
    " roads, according to local authorities. The regional minister said the response had been quick"
    " and that no one had been seriously hurt.",
    "Forecasters expect the wind to ease by Wednesday, but they have warned that the rain will"
    " continue, and rivers in the north are likely to rise further before the weekend.",
    "Residents who need help can call the regional hotline, which is open day and night, or consult"
    " the emergency website, where the latest road closures and the line code for each bus route are"
    " listed.",
]


def storm(paragraphs: list[str] = STORM) -> str:
    """The paragraphs as an article's projection: blocks separated by a blank line."""
    return "\n\n".join(paragraphs)


def selectors_of(text: str, passage: str, before: str = "") -> Selectors:
    """Selectors for ``passage`` where it first follows ``before`` in ``text``."""
    at = text.index(before + passage) + len(before)
    return Selectors.for_span(text, at, at + len(passage))


@pytest.mark.parametrize(
    ("passage", "before"), [("Snow cover", ""), ("the", "was "), ("thinnest on record", ""), ("season", "")]
)
def test_a_short_passage_whose_paragraph_was_deleted_is_orphaned(passage: str, before: str) -> None:
    selectors = selectors_of(storm(), passage, before)
    assert len(STORM[0]) < selectors.position.start < len(STORM[0]) + len(STORM[1])  # in the second paragraph
    changed = storm(STORM[:1] + STORM[2:])
    assert anchor(changed, selectors) == Anchor("orphaned")


def test_a_short_passage_is_found_by_its_context_after_the_article_changed_around_it() -> None:
    selectors = selectors_of(storm(), "the", "was ")
    changed = storm([STORM[3], STORM[1].replace("month", "month of January"), STORM[0]] + STORM[2:3])
    result = anchor(changed, selectors)
    at = changed.index("was the thinnest") + 4
    assert result == Anchor("moved", at, at + 3, "the")


CLAUSE = ", who spoke to reporters in the capital on Tuesday after an emergency meeting with the mayors,"


@pytest.mark.parametrize(
    ("after", "insert"),
    [
        ("The regional minister", CLAUSE),  # inside, near the start: the cheapest edit overwrites the start
        ("authorities.", " Officials had warned of worse."),  # after the first word
        ("been", " remarkably"),  # before the last word
        ("The regional minister said the response", " to the storm, which forecasters had called the worst in a generation,"),
    ],
)
def test_a_clause_inserted_inside_a_passage_is_included_and_no_word_is_cut(after: str, insert: str) -> None:
    passage = "authorities. The regional minister said the response had been quick"
    selectors = selectors_of(storm(), passage)
    changed = storm().replace(after, after + insert, 1)
    assert changed != storm()
    result = anchor(changed, selectors)
    start = changed.index("authorities.")
    end = changed.index("quick", start) + len("quick")
    assert result == Anchor("fuzzy", start, end, changed[start:end])


def test_an_unchanged_passage_at_another_position_is_moved() -> None:
    selectors = selectors_of(storm(), STORM[2])
    changed = storm(STORM[:1] + ["A new paragraph about the storm."] + STORM[1:])
    at = changed.index(STORM[2])
    assert anchor(changed, selectors) == Anchor("moved", at, at + len(STORM[2]), STORM[2])
    assert anchor(storm(), selectors).status == "exact"
