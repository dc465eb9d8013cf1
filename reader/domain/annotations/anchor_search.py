"""Approximate search: the places in a long text where a passage may be, found coarse to fine.

Candidate regions come from the old position, from exact hits of short pieces of the needle
(``str.find``), and, for needles of up to a few hundred characters, from a rapidfuzz
partial-ratio alignment of the needle over the whole text. Inside each region a bit-parallel
search (Myers 1999) finds the ends of the matches with the fewest edits, at most
``min(256, len(needle) // 2)``: rapidfuzz has no substring Levenshtein search, only the
Indel-based partial ratio with a single window, hence this small hand-written part.

A place is only where to look: a match with the fewest edits may cut words or stop inside a
clause an editor added, since overwriting costs fewer edits than inserting. Where the passage's
words are, and whether it is there at all, ``reader.domain.annotations.anchor_words`` decides.
"""

from __future__ import annotations

from rapidfuzz import fuzz

MAX_EDITS = 256
"""The most edits a match found by the coarse search may need, whatever the needle's length."""

_SLACK = 64  # characters searched beyond a candidate window on each side
_WHOLE_TEXT = 8192  # up to this many characters, search the whole text directly
_ALIGN_MAX = 320  # longest needle given to partial_ratio_alignment (its cost grows fast)
_MAX_PIECES = 64  # pieces of the needle looked up exactly, at most
_MAX_HITS = 16  # a piece found more often than this says nothing about where the needle is
_MAX_CLUSTERS = 3  # regions taken from piece hits, most hits first
_MAX_PLACES = 3  # places returned, fewest edits first


def allowed_edits(needle: str) -> int:
    """How many edits a match of ``needle`` may need to be a place: ``min(256, len(needle) // 2)``."""
    return min(MAX_EDITS, len(needle) // 2)


def likely_places(text: str, needle: str, hint: int) -> list[tuple[int, int]]:
    """Up to three places where ``needle`` may be in ``text``, as ``(start, end)``, likeliest first.

    Each is an approximate match with the fewest edits in its part of the text; ``end`` is where
    the match ends, ``start`` is ``end - len(needle)`` (the true start may differ by the edits).
    """
    limit = allowed_edits(needle)
    if limit == 0 or len(needle) - limit > len(text):
        return []
    found: list[tuple[int, int, int]] = []  # (errors, distance from the hint, end)
    size = len(needle)
    for lo, hi in _regions(text, needle, hint, limit):
        errors, ends = match_ends(needle, text, lo, hi, limit)
        last = -size - 1
        for end in ends:  # one end per cluster of ends
            if end - last > size:
                found.append((errors, abs(end - size - hint), end))
                last = end
    found.sort()
    return [(max(0, end - size), end) for _, _, end in found[:_MAX_PLACES]]


def _regions(text: str, needle: str, hint: int, limit: int) -> list[tuple[int, int]]:
    """Merged ``(lo, hi)`` ranges of ``text`` that may hold a match: the coarse step."""
    size = len(needle)
    if len(text) <= _WHOLE_TEXT:
        return [(0, len(text))]
    starts = [(hint, hint)] + _piece_clusters(text, needle, limit)
    if len(needle) <= min(_ALIGN_MAX, len(text)):
        found = fuzz.partial_ratio_alignment(needle, text)
        if found is not None:  # where the needle would start if the aligned window were exact
            start = found.dest_start - found.src_start
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


def _piece_clusters(text: str, needle: str, limit: int) -> list[tuple[int, int]]:
    """Ranges of likely needle starts, from exact hits of short pieces of the needle.

    With more pieces than edits, at least one piece survives intact (the pigeonhole filter of
    approximate matching); the pieces are capped, so for heavily edited long needles this is a
    heuristic, which the other candidate regions back up.
    """
    m = len(needle)
    width = max(8, min(32, m // (limit + 1)))
    if m < 2 * width:
        return []
    offsets = list(range(0, m - width + 1, width))
    offsets = offsets[:: -(-len(offsets) // _MAX_PIECES)]  # evenly spread, at most _MAX_PIECES
    starts: list[int] = []
    for offset in offsets:
        piece = needle[offset : offset + width]
        hits: list[int] = []
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


def match_ends(pattern: str, text: str, lo: int, hi: int, limit: int) -> tuple[int, list[int]]:
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
    ends: list[int]
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
