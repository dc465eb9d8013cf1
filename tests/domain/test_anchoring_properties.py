"""Properties of re-anchoring (hypothesis): truthful statuses, deleted passages orphaned, added
clauses taken in whole, and the coarse search agreeing with the textbook definitions."""

from __future__ import annotations

from unittest.mock import patch

from anchoring_checks import check_invariants
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from reader.domain.annotations import anchor_search
from reader.domain.annotations.anchor_search import allowed_edits, likely_places, match_ends
from reader.domain.annotations.anchoring import Anchor, anchor
from reader.domain.annotations.model import CONTEXT_CHARS, Selectors

_alphabet = st.sampled_from("abcde \n")
_small_text = st.text(alphabet=_alphabet, max_size=60)
_context = st.text(alphabet=_alphabet, min_size=CONTEXT_CHARS, max_size=60)  # what the stored context covers

Edit = tuple[bool, float, int, str]  # (in the part after the passage?, where, how many to delete, what to insert)


@st.composite
def _edits(draw: st.DrawFn) -> list[Edit]:
    """Edits of the text beyond the passage's stored context."""
    return draw(st.lists(st.tuples(st.booleans(), st.floats(0, 1), st.integers(0, 8), _small_text), max_size=6))


def _apply(far_before: str, far_after: str, edits: list[Edit]) -> tuple[str, str]:
    for in_after, where, delete, insert in edits:
        segment = far_after if in_after else far_before
        at = int(where * len(segment))
        segment = segment[:at] + insert + segment[at + delete :]
        far_before, far_after = (far_before, segment) if in_after else (segment, far_after)
    return far_before, far_after


@settings(max_examples=200, deadline=None)
@given(far=st.tuples(_small_text, _small_text), near=st.tuples(_context, _context), body=_small_text, edits=_edits())
def test_edits_beyond_the_context_leave_a_unique_passage_where_it_is(
    far: tuple[str, str], near: tuple[str, str], body: str, edits: list[Edit]
) -> None:
    quote = "§" + body + "¶"  # marker characters the edits never produce
    before, after = far[0] + near[0], near[1] + far[1]
    selectors = Selectors.for_span(before + quote + after, len(before), len(before) + len(quote))
    far_before, far_after = _apply(*far, edits)
    at = len(far_before + near[0])
    changed = far_before + near[0] + quote + near[1] + far_after
    status = "exact" if at == len(before) else "moved"
    assert anchor(changed, selectors) == Anchor(status, at, at + len(quote), quote)


@settings(max_examples=200, deadline=None)
@given(far=st.tuples(_small_text, _small_text), near=st.tuples(_context, _context), quote=_small_text.filter(bool),
       edits=_edits())
def test_edits_beyond_the_context_always_leave_the_quote_found_unchanged(
    far: tuple[str, str], near: tuple[str, str], quote: str, edits: list[Edit]
) -> None:
    before, after = far[0] + near[0], near[1] + far[1]
    selectors = Selectors.for_span(before + quote + after, len(before), len(before) + len(quote))
    far_before, far_after = _apply(*far, edits)
    changed = far_before + near[0] + quote + near[1] + far_after
    result = anchor(changed, selectors)
    assert result.status in ("exact", "moved")
    check_invariants(changed, selectors, result)
    if sum(changed.startswith(quote, i) for i in range(len(changed))) == 1:  # overlaps count too
        assert result.start == len(far_before + near[0])


@st.composite
def _anything(draw: st.DrawFn) -> tuple[str, Selectors]:
    """A text and selectors that may or may not have anything to do with each other."""
    text = draw(st.text(alphabet=st.sampled_from("abcdef \n"), max_size=200))
    source = draw(st.one_of(st.just(text), st.text(alphabet=st.sampled_from("abcdefg "), max_size=80)))
    i = draw(st.integers(0, len(source)))
    j = draw(st.integers(i, len(source)))
    selectors = Selectors.for_span(source, i, j)
    if draw(st.booleans()):
        noise = draw(st.text(alphabet=st.sampled_from("abcxyz "), max_size=6))
        k = draw(st.integers(0, len(text)))
        text = text[:k] + noise + text[k:]
    return text, selectors


@settings(max_examples=400, deadline=None)
@given(case=_anything(), coarse=st.booleans())
def test_results_are_always_truthful(case: tuple[str, Selectors], coarse: bool) -> None:
    text, selectors = case
    with patch.object(anchor_search, "_WHOLE_TEXT", 0 if coarse else anchor_search._WHOLE_TEXT):
        result = anchor(text, selectors)
    check_invariants(text, selectors, result)


# Articles made of words: a passage that is gone is orphaned; one that grew is found whole -------

COMMON = (
    "the of and a to in is was that it for on as with by at from his her they this be are have had not but"
    " which one all were we when there can an said more would about their so out up into city council plan"
    " river water people year time day report week new first last over after before under school road"
).split()
DISTINCT = (
    "quokka zeppelin marmalade xylophone quasar iguana kiwifruit kumquat obsidian zigzag pumpkin sphinx gazebo"
    " jigsaw yakult lagoon nebula saffron bramble cobalt"
).split()


def test_the_distinct_words_are_unlike_the_common_ones() -> None:
    # What the properties below rest on: no distinct word is a typo away from a common one.
    for word in DISTINCT:
        for other in COMMON:
            assert Levenshtein.distance(word, other) > max(len(word), len(other)) // 2, (word, other)


_common_words = st.lists(st.sampled_from(COMMON), min_size=3, max_size=14)


@st.composite
def _article(draw: st.DrawFn, min_passage: int = 1) -> tuple[list[list[list[str]]], tuple[int, int, int, int]]:
    """Paragraphs of sentences of common words, and a passage of mostly distinct words placed in
    one sentence: ``(paragraphs, (paragraph, sentence, first word, last word + 1))``."""
    paragraphs = draw(st.lists(st.lists(_common_words, min_size=1, max_size=4), min_size=1, max_size=6))
    passage = draw(st.lists(st.one_of(st.sampled_from(DISTINCT), st.sampled_from(COMMON)), min_size=min_passage, max_size=12))
    distinct = sum(len(w) for w in passage if w in DISTINCT)
    assume(2 * distinct > sum(len(w) for w in passage))  # more than half of it found nowhere else
    p = draw(st.integers(0, len(paragraphs) - 1))
    s = draw(st.integers(0, len(paragraphs[p]) - 1))
    sentence = paragraphs[p][s]
    at = draw(st.integers(0, len(sentence)))
    paragraphs[p][s] = sentence[:at] + passage + sentence[at:]
    return paragraphs, (p, s, at, at + len(passage))


def _render(paragraphs: list[list[list[str]]]) -> tuple[str, list[list[list[int]]]]:
    """The text (sentences end with a full stop, paragraphs are separated by a blank line) and
    the offset of every word."""
    out: list[str] = []
    offsets: list[list[list[int]]] = []
    at = 0
    for p, paragraph in enumerate(paragraphs):
        if p:
            out.append("\n\n")
            at += 2
        offsets.append([])
        for s, sentence in enumerate(paragraph):
            if s:
                out.append(" ")
                at += 1
            offsets[-1].append([])
            for w, word in enumerate(sentence):
                if w:
                    out.append(" ")
                    at += 1
                offsets[-1][-1].append(at)
                word = word + ("." if w == len(sentence) - 1 else "")
                out.append(word)
                at += len(word)
    return "".join(out), offsets


def _span(paragraphs: list[list[list[str]]], where: tuple[int, int, int, int]) -> tuple[str, int, int]:
    text, offsets = _render(paragraphs)
    p, s, first, last = where
    end = offsets[p][s][last - 1] + len(paragraphs[p][s][last - 1]) + (last == len(paragraphs[p][s]))
    return text, offsets[p][s][first], end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(article=_article(), cut=st.sampled_from(["passage", "sentence", "paragraph"]))
def test_a_deleted_passage_is_orphaned(article: tuple[list[list[list[str]]], tuple[int, int, int, int]], cut: str) -> None:
    paragraphs, (p, s, first, last) = article
    text, start, end = _span(paragraphs, (p, s, first, last))
    selectors = Selectors.for_span(text, start, end)
    if cut == "passage":
        sentence = paragraphs[p][s]
        paragraphs[p][s] = sentence[:first] + sentence[last:]
        paragraphs[p] = [x for x in paragraphs[p] if x]
    elif cut == "sentence":
        del paragraphs[p][s]
    if cut == "paragraph" or not paragraphs[p]:
        del paragraphs[p]
    changed = _render(paragraphs)[0]
    result = anchor(changed, selectors)
    assert result == Anchor("orphaned"), (changed, selectors.quote)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(article=_article(min_passage=2), clause=st.lists(st.sampled_from(COMMON), min_size=1, max_size=15),
       data=st.data())
def test_a_clause_inserted_inside_a_passage_is_taken_in_whole(
    article: tuple[list[list[list[str]]], tuple[int, int, int, int]], clause: list[str], data: st.DataObject
) -> None:
    paragraphs, (p, s, first, last) = article
    sentence = paragraphs[p][s]
    # The passage's own first and last words are distinct: were they common, a clause that ends
    # (or starts) with the same word would make the text ambiguous, for a reader as well.
    assume(sentence[first] in DISTINCT and sentence[last - 1] in DISTINCT)
    text, start, end = _span(paragraphs, (p, s, first, last))
    selectors = Selectors.for_span(text, start, end)
    at = data.draw(st.integers(first + 1, last - 1), label="clause after word")
    words = clause[:-1] + [clause[-1] + ","]
    words[0] = "," + words[0] if data.draw(st.booleans(), label="comma first") else words[0]
    paragraphs[p][s] = sentence[:at] + words + sentence[at:]
    changed, new_start, new_end = _span(paragraphs, (p, s, first, last + len(words)))
    result = anchor(changed, selectors)
    assert result == Anchor("fuzzy", new_start, new_end, changed[new_start:new_end])


# The coarse search -------------------------------------------------------------------------


def _best_substring_distance(pattern: str, text: str) -> int:
    """The least edit distance between ``pattern`` and any substring of ``text`` (slow, obvious)."""
    return min(
        Levenshtein.distance(pattern, text[i:j]) for i in range(len(text) + 1) for j in range(i, len(text) + 1)
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pattern=st.text(alphabet=st.sampled_from("abc"), min_size=2, max_size=12),
    text=st.text(alphabet=st.sampled_from("abcd"), max_size=30),
)
def test_the_coarse_search_names_a_place_whenever_a_match_is_within_the_allowance(pattern: str, text: str) -> None:
    best = _best_substring_distance(pattern, text)
    places = likely_places(text, pattern, 0)
    if best <= allowed_edits(pattern):
        assert places
        for start, end in places:  # each ends where a match with the fewest edits ends
            assert min(Levenshtein.distance(pattern, text[i:end]) for i in range(end + 1)) == best
    else:
        assert places == []


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
    errors, ends = match_ends(pattern, text, 0, len(text), limit)
    fewest = min(table, default=limit + 1)
    if fewest <= limit:
        assert errors == fewest
        assert ends == [j + 1 for j, value in enumerate(table) if value == fewest]
    else:
        assert (errors, ends) == (limit + 1, [])
