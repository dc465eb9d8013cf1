"""Re-anchoring a stored passage in changed text: exact, moved, duplicated, edited, deleted."""

from __future__ import annotations

import random
import time
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from reader.domain.annotations import anchoring
from reader.domain.annotations.anchoring import Anchor, allowed_edits, anchor
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


def check_invariants(text: str, selectors: Selectors, result: Anchor) -> None:
    """What every result must satisfy, whatever the inputs."""
    exact = selectors.quote.exact
    if result.status == "orphaned":
        assert (result.start, result.end, result.text) == (None, None, None)
        return
    assert result.start is not None and result.end is not None
    assert 0 <= result.start <= result.end <= len(text)
    assert result.text == text[result.start : result.end]
    if result.status == "exact":
        assert result.text == exact
    else:
        assert result.text != exact
        assert Levenshtein.distance(result.text, exact) <= allowed_edits(exact)


# Examples ----------------------------------------------------------------------------------


def test_exact_at_the_stored_position() -> None:
    text, selectors = with_quote(prose(50), prose(50, seed=2))
    result = anchor(text, selectors)
    assert result == Anchor("exact", selectors.position.start, selectors.position.end, QUOTE)


def test_text_inserted_before_moves_the_passage_and_it_is_still_exact() -> None:
    text, selectors = with_quote(prose(50), prose(50, seed=2))
    moved = "A new first paragraph.\n\n" + text
    result = anchor(moved, selectors)
    assert result.status == "exact"
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
        assert result.status == "exact"
        assert result.start == at + len("Intro. ") * 40


def test_position_breaks_ties_between_identical_contexts() -> None:
    text = ("xx " + QUOTE + " yy ") * 5
    at = text.index(QUOTE, 3 * len("xx " + QUOTE + " yy "))
    selectors = Selectors.for_span(text, at, at + len(QUOTE))
    result = anchor("!" + text, selectors)
    assert (result.status, result.start) == ("exact", at + 1)


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
    assert (result.status, result.start) == ("exact", selectors.position.start)


def test_empty_quote_or_too_short_text_is_orphaned() -> None:
    empty = Selectors(TextQuote(""), TextPosition(0, 0))
    assert anchor("some text", empty).status == "orphaned"
    assert anchor("", Selectors(TextQuote("abc"), TextPosition(0, 3))).status == "orphaned"
    assert anchor("a", Selectors(TextQuote("abcd"), TextPosition(0, 4))).status == "orphaned"
    # Shorter than the quote but within the allowance is still a fuzzy match.
    assert anchor("ab", Selectors(TextQuote("abc"), TextPosition(0, 3))) == Anchor("fuzzy", 0, 2, "ab")


def test_offsets_are_code_points() -> None:
    text = "😀 naïve café — " + QUOTE
    selectors = Selectors.for_span(text, text.index(QUOTE), len(text))
    result = anchor("🎉" + text, selectors)
    assert (result.status, result.start) == ("exact", text.index(QUOTE) + 1)


def test_a_long_text_anchors_quickly() -> None:
    before, after = prose(25_000), prose(25_000, seed=2)
    text, selectors = with_quote(before + " ", " " + after, QUOTE * 3)
    edited = before + " " + (QUOTE * 3).replace("Walrus", "walrus") + " " + after
    orphaned = before + " " + after
    for variant in (text, edited, orphaned):
        started = time.perf_counter()
        anchor(variant, selectors)
        assert time.perf_counter() - started < 1.0  # typically ~10-30 ms; generous for slow CI


# Properties --------------------------------------------------------------------------------

_alphabet = st.sampled_from("abcde \n")
_small_text = st.text(alphabet=_alphabet, max_size=60)


@st.composite
def _edits(draw: st.DrawFn) -> list[tuple[bool, float, int, str]]:
    """Edits as (in the part after the passage?, where, how many to delete, what to insert)."""
    return draw(
        st.lists(
            st.tuples(st.booleans(), st.floats(0, 1), st.integers(0, 8), _small_text),
            max_size=6,
        )
    )


def _apply(segment: str, where: float, delete: int, insert: str) -> str:
    at = int(where * len(segment))
    return segment[:at] + insert + segment[at + delete :]


@settings(max_examples=200, deadline=None)
@given(before=_small_text, after=_small_text, body=_small_text, edits=_edits())
def test_edits_elsewhere_leave_a_unique_passage_exact(
    before: str, after: str, body: str, edits: list[tuple[bool, float, int, str]]
) -> None:
    quote = "§" + body + "¶"  # marker characters the edits never produce
    text, selectors = with_quote(before, after, quote)
    for in_after, where, delete, insert in edits:
        if in_after:
            after = _apply(after, where, delete, insert)
        else:
            before = _apply(before, where, delete, insert)
    result = anchor(before + quote + after, selectors)
    assert result == Anchor("exact", len(before), len(before) + len(quote), quote)


@settings(max_examples=200, deadline=None)
@given(before=_small_text, after=_small_text, quote=_small_text.filter(bool), edits=_edits())
def test_edits_elsewhere_always_leave_an_exact_match(
    before: str, after: str, quote: str, edits: list[tuple[bool, float, int, str]]
) -> None:
    text, selectors = with_quote(before, after, quote)
    for in_after, where, delete, insert in edits:
        if in_after:
            after = _apply(after, where, delete, insert)
        else:
            before = _apply(before, where, delete, insert)
    changed = before + quote + after
    result = anchor(changed, selectors)
    assert result.status == "exact"
    check_invariants(changed, selectors, result)
    if sum(changed.startswith(quote, i) for i in range(len(changed))) == 1:  # overlaps count too
        assert result.start == len(before)


@st.composite
def _anything(draw: st.DrawFn) -> tuple[str, Selectors]:
    """A text and selectors that may or may not have anything to do with each other."""
    text = draw(st.text(alphabet=st.sampled_from("abcdef \n"), max_size=200))
    source = draw(st.one_of(st.just(text), st.text(alphabet=st.sampled_from("abcdefg"), max_size=80)))
    i = draw(st.integers(0, len(source)))
    j = draw(st.integers(i, len(source)))
    selectors = Selectors.for_span(source, i, j)
    if draw(st.booleans()):
        noise = draw(st.text(alphabet=st.sampled_from("abcxyz"), max_size=6))
        k = draw(st.integers(0, len(text)))
        text = text[:k] + noise + text[k:]
    return text, selectors


@settings(max_examples=400, deadline=None)
@given(case=_anything(), coarse=st.booleans())
def test_results_are_always_truthful(case: tuple[str, Selectors], coarse: bool) -> None:
    text, selectors = case
    with patch.object(anchoring, "_WHOLE_TEXT", 0 if coarse else anchoring._WHOLE_TEXT):
        result = anchor(text, selectors)
    check_invariants(text, selectors, result)


def _best_substring_distance(pattern: str, text: str) -> int:
    """The least edit distance between ``pattern`` and any substring of ``text`` (slow, obvious)."""
    return min(
        Levenshtein.distance(pattern, text[i:j]) for i in range(len(text) + 1) for j in range(i, len(text) + 1)
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pattern=st.text(alphabet=st.sampled_from("abc"), min_size=1, max_size=12),
    text=st.text(alphabet=st.sampled_from("abcd"), max_size=30),
)
def test_fuzzy_search_finds_a_match_whenever_one_is_within_the_allowance(pattern: str, text: str) -> None:
    limit = allowed_edits(pattern)
    best = _best_substring_distance(pattern, text)
    result = anchor(text, Selectors(TextQuote(pattern), TextPosition(0, len(pattern))))
    check_invariants(text, Selectors(TextQuote(pattern), TextPosition(0, 0)), result)
    if best == 0:
        assert result.status == "exact"
    elif best <= limit:
        assert result.status == "fuzzy"
    else:
        assert result.status == "orphaned"


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.text(alphabet=st.sampled_from("abc"), min_size=1, max_size=70),
    text=st.text(alphabet=st.sampled_from("abcd"), max_size=120),
)
def test_match_ends_agree_with_the_textbook_table(pattern: str, text: str) -> None:
    # Column j of the semi-global table: the least distance of a match ending at j.
    column = list(range(len(pattern) + 1))
    table = []
    for char in text:
        new = [0]
        for i, p in enumerate(pattern, 1):
            new.append(min(column[i] + 1, new[i - 1] + 1, column[i - 1] + (p != char)))
        column = new
        table.append(column[-1])
    limit = len(pattern) // 2
    errors, ends = anchoring._match_ends(pattern, text, 0, len(text), limit)
    fewest = min(table, default=limit + 1)
    if fewest <= limit:
        assert errors == fewest
        assert ends == [j + 1 for j, value in enumerate(table) if value == fewest]
    else:
        assert (errors, ends) == (limit + 1, [])
