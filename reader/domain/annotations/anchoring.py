"""Finding a stored passage again in an article's text after the text has changed.

The order follows Hypothesis's client: the stored position if the text there still matches,
else the best of the exact occurrences of the quote, else the best of the approximate matches
with the fewest edits, at most ``min(256, len(exact) // 2)``, else the passage is orphaned.
"Best" is scored on quote, prefix and suffix similarity and nearness to the old position,
weighted 50/20/20/2.

Approximate search is coarse to fine, so a long article stays fast. Candidate regions come from
the old position, from exact hits of short pieces of the quote (``str.find``), and, for quotes
of up to a few hundred characters, from a rapidfuzz partial-ratio alignment of the quote (and,
for a short quote, of the quote with its context) over the whole text. Inside each region a
bit-parallel search (Myers 1999) finds the match ends: rapidfuzz has no substring Levenshtein
search, only the Indel-based partial ratio with a single window, hence this small hand-written
part. Starts are found, and every reported distance measured, with
``rapidfuzz.distance.Levenshtein``, so the allowance never rests on the hand-written part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from reader.domain.annotations.model import Selectors, TextQuote

AnchorStatus = Literal["exact", "fuzzy", "orphaned"]

MAX_EDITS = 256
"""The most edits a fuzzy match may need, whatever the quote's length."""

_QUOTE_WEIGHT, _PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POSITION_WEIGHT = 50.0, 20.0, 20.0, 2.0
_SLACK = 64  # characters searched beyond a candidate window on each side
_MAX_ENDS = 16  # match ends with the fewest edits looked at, nearest the old place first
_WHOLE_TEXT = 8192  # up to this many characters, search the whole text directly
_ALIGN_MAX = 320  # longest needle given to partial_ratio_alignment (its cost grows fast)
_SHORT_QUOTE = 64  # below this, the quote with its context is aligned too
_MAX_PIECES = 64  # pieces of the quote looked up exactly, at most
_MAX_HITS = 16  # a piece found more often than this says nothing about where the quote is
_MAX_CLUSTERS = 3  # regions taken from piece hits, most hits first


@dataclass(frozen=True)
class Anchor:
    """Where a passage is now: ``text[start:end]``, or nowhere when orphaned."""

    status: AnchorStatus
    start: int | None = None
    end: int | None = None
    text: str | None = None


ORPHANED = Anchor("orphaned")
"""The result for a passage that is no longer in the text."""


def allowed_edits(exact: str) -> int:
    """How many edits a fuzzy match of ``exact`` may need: ``min(256, len(exact) // 2)``."""
    return min(MAX_EDITS, len(exact) // 2)


def anchor(text: str, selectors: Selectors) -> Anchor:
    """Find the passage described by ``selectors`` in ``text``."""
    quote = selectors.quote
    exact = quote.exact
    if not exact or len(exact) - allowed_edits(exact) > len(text):
        return ORPHANED
    start, end = selectors.position.start, selectors.position.end
    if 0 <= start <= end <= len(text) and text[start:end] == exact:
        return Anchor("exact", start, end, exact)
    hint = min(max(start, 0), len(text))
    found = _best_exact(text, quote, hint)
    if found is not None:
        return Anchor("exact", found, found + len(exact), exact)
    match = _best_fuzzy(text, quote, hint)
    if match is None:
        return ORPHANED
    s, e = match
    return Anchor("fuzzy", s, e, text[s:e])


def _score(text: str, quote: TextQuote, hint: int, start: int, end: int, errors: int) -> float:
    """Hypothesis's match score: quote, prefix, suffix and position similarity, weighted."""
    score = _QUOTE_WEIGHT * (1.0 - errors / len(quote.exact))
    if quote.prefix:
        before = text[max(0, start - len(quote.prefix)) : start]
        score += _PREFIX_WEIGHT * Levenshtein.normalized_similarity(before, quote.prefix)
    else:
        score += _PREFIX_WEIGHT
    if quote.suffix:
        after = text[end : end + len(quote.suffix)]
        score += _SUFFIX_WEIGHT * Levenshtein.normalized_similarity(after, quote.suffix)
    else:
        score += _SUFFIX_WEIGHT
    return score + _POSITION_WEIGHT * (1.0 - abs(start - hint) / max(1, len(text)))


def _best_exact(text: str, quote: TextQuote, hint: int) -> int | None:
    """The start of the best-scoring exact occurrence of the quote, if there is one."""
    exact = quote.exact
    starts: list[int] = []
    at = text.find(exact)
    while at != -1:
        starts.append(at)
        at = text.find(exact, at + 1)
    if len(starts) <= 1:
        return starts[0] if starts else None
    # Nearest first: once even a perfect context this far away cannot win, stop.
    starts.sort(key=lambda s: (abs(s - hint), s))
    ceiling = _QUOTE_WEIGHT + _PREFIX_WEIGHT + _SUFFIX_WEIGHT
    best, best_score = starts[0], -1.0
    for s in starts:
        nearness = _POSITION_WEIGHT * (1.0 - abs(s - hint) / len(text))
        if ceiling + nearness <= best_score:
            break
        score = _score(text, quote, hint, s, s + len(exact), 0)
        if score > best_score:
            best, best_score = s, score
    return best


def _best_fuzzy(text: str, quote: TextQuote, hint: int) -> tuple[int, int] | None:
    """The best-scoring of the approximate matches with the fewest edits, as ``(start, end)``.

    As in Hypothesis, only matches with the least edit distance compete, and the score decides
    between them; else, for a long quote, noise in the context would outweigh many edits.
    """
    exact = quote.exact
    limit = allowed_edits(exact)
    if limit == 0:
        return None
    ends: list[tuple[int, int, int]] = []  # (errors, end, region start)
    for lo, hi in _regions(text, quote, hint, limit):
        errors, region_ends = _match_ends(exact, text, lo, hi, limit)
        if region_ends and (not ends or errors <= ends[0][0]):
            if ends and errors < ends[0][0]:
                ends = []
            ends.extend((errors, end, lo) for end in region_ends)
    expected_end = hint + len(exact)
    ends.sort(key=lambda e: (abs(e[1] - expected_end), e[1]))
    candidates: list[tuple[int, int, int]] = []
    for errors, end, lo in ends[:_MAX_ENDS]:
        candidates.extend(_match_starts(exact, text, end, errors, lo))
    if not candidates:
        return None
    fewest = min(c[2] for c in candidates)
    best = max(
        (c for c in candidates if c[2] == fewest),
        key=lambda c: (_score(text, quote, hint, c[0], c[1], c[2]), -abs(c[0] - hint), -c[0]),
    )
    return best[0], best[1]


def _regions(text: str, quote: TextQuote, hint: int, limit: int) -> list[tuple[int, int]]:
    """Merged ``(lo, hi)`` ranges of ``text`` that may hold a match: the coarse step."""
    size = len(quote.exact)
    if len(text) <= _WHOLE_TEXT:
        return [(0, len(text))]
    starts = [(hint, hint)] + _piece_clusters(text, quote.exact, limit)
    needles = [(quote.exact, 0)]
    if size < _SHORT_QUOTE and (quote.prefix or quote.suffix):  # a short quote alone says little
        needles.append((quote.prefix + quote.exact + quote.suffix, len(quote.prefix)))
    for needle, offset in needles:
        if len(needle) > min(_ALIGN_MAX, len(text)):
            continue
        found = fuzz.partial_ratio_alignment(needle, text)
        if found is not None:  # where the quote would start if the aligned window were exact
            start = found.dest_start - found.src_start + offset
            starts.append((start, start))
    spans = sorted(
        (max(0, lo - limit - _SLACK), min(len(text), hi + size + limit + _SLACK)) for lo, hi in starts
    )
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        elif lo < hi:
            merged.append((lo, hi))
    return merged


def _piece_clusters(text: str, exact: str, limit: int) -> list[tuple[int, int]]:
    """Ranges of likely quote starts, from exact hits of short pieces of the quote.

    With more pieces than edits, at least one piece survives intact (the pigeonhole filter of
    approximate matching); the pieces are capped, so for heavily edited long quotes this is a
    heuristic, which the other candidate regions back up.
    """
    m = len(exact)
    width = max(8, min(32, m // (limit + 1)))
    if m < 2 * width:
        return []
    offsets = list(range(0, m - width + 1, width))
    offsets = offsets[:: -(-len(offsets) // _MAX_PIECES)]  # evenly spread, at most _MAX_PIECES
    starts: list[int] = []
    for offset in offsets:
        piece, hits = exact[offset : offset + width], []
        at = text.find(piece)
        while at != -1 and len(hits) <= _MAX_HITS:
            hits.append(at - offset)
            at = text.find(piece, at + 1)
        if len(hits) <= _MAX_HITS:
            starts.extend(hits)
    starts.sort()
    clusters: list[tuple[int, int, int]] = []  # (hits, first start, last start)
    i = 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1] - starts[i] <= limit + width:
            j += 1
        clusters.append((j - i + 1, starts[i], starts[j]))
        i = j + 1
    clusters.sort(key=lambda c: -c[0])
    return [(lo, hi) for _, lo, hi in clusters[:_MAX_CLUSTERS]]


def _match_ends(pattern: str, text: str, lo: int, hi: int, limit: int) -> tuple[int, list[int]]:
    """The fewest edits, at most ``limit``, of a match of ``pattern`` in ``text[lo:hi]``, and
    every end of a match with that many; ``(limit + 1, [])`` when there is none.

    This is Myers's bit-vector algorithm for approximate string matching, one text character
    per step, with Python integers as bit vectors of any length.
    """
    m = len(pattern)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    mask, high = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = mask, 0, m
    best, ends = limit, []
    get = peq.get
    for j in range(lo, hi):
        eq = get(text[j], 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score <= best:
            if score < best:
                best, ends = score, []
            ends.append(j + 1)
    return (best, ends) if ends else (limit + 1, [])


def _match_starts(pattern: str, text: str, end: int, errors: int, lo: int) -> list[tuple[int, int, int]]:
    """``(start, end, errors)`` for every start giving the least distance for a match ending at ``end``.

    A match with ``errors`` edits is ``len(pattern) +- errors`` long. The distance changes by at
    most one per character of start, so a start whose distance is ``errors + d`` rules out its
    ``d - 1`` neighbours on each side; walking out from the likeliest start skips them.
    """
    m = len(pattern)
    a, b = max(lo, end - m - errors), min(end - 1, end - m + errors)
    if a > b:
        return []
    origin = min(max(end - m, a), b)
    best, found = errors, []
    for s, direction in ((origin, -1), (origin + 1, 1)):
        while a <= s <= b:
            distance = Levenshtein.distance(pattern, text[s:end], score_cutoff=best + (b - a) + 1)
            if distance < best:
                best, found = distance, [s]
            elif distance == best:
                found.append(s)
            s += direction * max(1, distance - best)
    return [(s, end, best) for s in sorted(found)]
