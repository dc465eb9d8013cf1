"""A stored passage as words: where its first and last words are now, and whether it is there.

The coarse search (``reader.domain.annotations.anchor_search``) gives places to look. At each, the passage's
words, with the words of its context on each side, are aligned with the words of a window of
the text, at a cost that follows how articles are edited:

- a word kept costs nothing; a word changed a little (a typo fixed) costs its character edits;
- a word of the passage left out costs its length (twice for its first and last word), a word of
  the context half that;
- words of the text inside the alignment (a clause an editor added) cost 2 for the gap and
  0.02 a character, so an added clause is taken in whole rather than words of the passage given
  up; words of the text before and after the alignment are free.

The passage starts at the text word its first kept word is aligned with and ends at the one its
last kept word is aligned with: never inside a word, with added text inside it included. Curly
and straight quotes, dashes and odd spaces count as the same (``normalize``, one character for
one, so offsets hold); so do case and the punctuation around a word.

A match is the passage when enough of it is there: 85 % of the characters of its words, in
order, or 60 % with its context confirming it. A short quote (fewer than five words or 32
characters) says too little alone and always needs its context: on each side where the quote's
own paragraph gave it context, half of that context must be there, and at least 10 characters
of context in all (or all there was, when the text around it was shorter; with none, a short
quote is only found unchanged).
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein, LCSseq

from reader.domain.annotations.model import CONTEXT_CHARS, TextQuote

KEPT_ALONE = 0.85
"""The share of its words' characters that a match with no context to confirm it must keep."""
KEPT_MIN = 0.6
"""The share a match must keep when its context confirms it."""
CONTEXT_MIN = 10
"""The characters of context that must be found for the context to confirm a match."""
SHORT_WORDS, SHORT_CHARS = 5, 32
"""A quote with fewer words or characters than these is short: only its context can confirm it."""

_OPEN, _EXTEND, _REPLACE = 2.0, 0.02, 0.5  # a gap in the text, each character of it, a word swapped
_CONTEXT_WEIGHT = 0.5
_WHOLE_WORDS = 24  # up to this many words, one alignment takes the whole passage
_HEAD = 8  # else the first and the last this many words are aligned, each end on its own
_MARGIN = 96  # characters of text looked at beyond a place, at least
_PLAIN = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u2007\u2009\u200a\u202f", " "),
    }
)
_PUNCTUATION = string.punctuation + "…¿¡·"
_WORD = re.compile(r"\S+")


def normalize(text: str) -> str:
    """``text`` with curly quotes, dashes and odd spaces made plain, one character for one."""
    return text.translate(_PLAIN)


@dataclass(frozen=True)
class Word:
    """A word of a text: what it is compared by, and where it is."""

    key: str
    start: int
    end: int


def words_between(text: str, lo: int, hi: int) -> list[Word]:
    """The words of ``text`` that touch ``text[lo:hi]``, whole."""
    lo, hi = max(0, lo), min(len(text), hi)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return [Word(_key(m.group()), m.start(), m.end()) for m in _WORD.finditer(text, lo, hi)]


def _key(word: str) -> str:
    return word.strip(_PUNCTUATION).casefold() or word


@dataclass
class _Part:
    """A word of the passage or its context, with its costs (cached by the text word's key)."""

    key: str
    text: str
    side: int  # -1 prefix, 0 quote, 1 suffix
    near: bool  # in the quote's own paragraph
    weight: float
    drop: float
    start: int = 0  # where it is in the quote
    end: int = 0
    cut_start: bool = False  # the stored text began inside this word: compare with a word's end
    cut_end: bool = False  # it ended inside this word: compare with a word's start
    similar: dict[str, int | None] = field(default_factory=dict)

    def edits(self, key: str) -> int | None:
        """Character edits from this word to ``key``, or ``None`` when they are different words."""
        if key == self.key:
            return 0
        if key not in self.similar:
            other = key
            if self.cut_start and self.cut_end:
                other = self.key if self.key in key else key
            elif self.cut_start:
                other = key[-len(self.key) :]
            elif self.cut_end:
                other = key[: len(self.key)]
            most = max(len(other), len(self.key)) // 2
            distance = Levenshtein.distance(self.key, other, score_cutoff=most)
            self.similar[key] = distance if distance <= most else None
        return self.similar[key]

    def cost(self, key: str) -> float:
        """The cost of aligning this word with a text word whose key is ``key``."""
        edits = self.edits(key)
        if edits is None:
            return self.drop + _EXTEND * (len(key) + 1) + _REPLACE
        return self.weight * edits

    def kept(self, key: str) -> int:
        """How many of this word's characters a text word with ``key`` keeps."""
        edits = self.edits(key)
        return 0 if edits is None else max(0, len(self.key) - edits)


@dataclass(frozen=True)
class Fit:
    """A place where the passage may be: its span, and how much of it and its context is there."""

    start: int
    end: int
    kept: float
    """The share of the characters of the quote's words found there, in order."""
    context: int
    """Characters of context found on both sides."""
    near_ok: bool
    """Each side with context in the quote's own paragraph kept at least half of it."""


class Passage:
    """A stored passage as words: its quote and the context on each side."""

    def __init__(self, quote: TextQuote) -> None:
        exact, prefix, suffix = normalize(quote.exact), normalize(quote.prefix), normalize(quote.suffix)
        self.exact = exact
        self.words = [self._part(m, 0, True, 1.0) for m in _WORD.finditer(exact)]
        if self.words:
            for edge in (self.words[0], self.words[-1]):
                edge.drop *= 2
        self.short = len(self.words) < SHORT_WORDS or len(exact.strip()) < SHORT_CHARS
        self.near_prefix = prefix[prefix.rfind("\n") + 1 :]
        self.near_suffix = suffix.split("\n", 1)[0]
        near_from = len(prefix) - len(self.near_prefix)
        self.prefix = [self._part(m, -1, m.start() >= near_from, _CONTEXT_WEIGHT) for m in _WORD.finditer(prefix)]
        self.suffix = [self._part(m, 1, m.end() <= len(self.near_suffix), _CONTEXT_WEIGHT) for m in _WORD.finditer(suffix)]
        # Stored text that starts or ends inside a word: the context was cut at a fixed length,
        # a mouse selection wherever the mouse was.
        if self.prefix and len(prefix) >= CONTEXT_CHARS and not prefix[0].isspace():
            self.prefix[0].cut_start = True
        if self.suffix and len(suffix) >= CONTEXT_CHARS and not suffix[-1].isspace():
            self.suffix[-1].cut_end = True
        if self.words and prefix and not prefix[-1].isspace() and not exact[0].isspace():
            self.words[0].cut_start = True
        if self.words and suffix and not suffix[0].isspace() and not exact[-1].isspace():
            self.words[-1].cut_end = True
        self.context_chars = sum(len(p.key) for p in self.prefix + self.suffix)

    @staticmethod
    def _part(match: re.Match[str], side: int, near: bool, weight: float) -> _Part:
        key = _key(match.group())
        return _Part(key, match.group(), side, near, weight, weight * (len(key) + 1), match.start(), match.end())

    def needle(self) -> tuple[str, int, int]:
        """What the coarse search looks for, and how many characters of it are context before and after."""
        if not self.short:
            return self.exact, 0, 0
        return self.near_prefix + self.exact + self.near_suffix, len(self.near_prefix), len(self.near_suffix)

    def plausible(self, fit: Fit) -> bool:
        """Whether ``fit`` is this passage: enough of it kept, and its context confirming it when needed."""
        if fit.kept >= KEPT_ALONE and not self.short:
            return True
        return fit.kept >= KEPT_MIN and fit.near_ok and 0 < min(CONTEXT_MIN, self.context_chars) <= fit.context

    def fit(self, text: str, start: int, end: int) -> Fit | None:
        """Where the passage's words are in ``text`` near ``text[start:end]`` (``text`` normalized)."""
        if not self.words:
            return None
        if len(self.words) <= _WHOLE_WORDS:
            margin = max(_MARGIN, len(self.exact)) + 2 * CONTEXT_CHARS
            window = words_between(text, start - margin, end + margin)
            parts = self.prefix + self.words + self.suffix
            aligned = _align(parts, window)
            found = [(p, window[j]) for p, j in zip(parts, aligned) if j is not None]
            quote = [(p, w) for p, w in found if p.side == 0]
            if not quote:
                return None
            total = sum(len(p.key) for p in self.words)
            kept = sum(p.kept(w.key) for p, w in quote) / max(1, total)
            first, last = quote[0], quote[-1]
        else:
            reach = min(len(self.exact), 256) + _MARGIN + 2 * CONTEXT_CHARS
            head, tail = self.words[:_HEAD], self.words[-_HEAD:]
            head_window = words_between(text, start - reach, start + head[-1].end + _MARGIN)
            tail_window = words_between(text, end - (len(self.exact) - tail[0].start) - _MARGIN, end + reach)
            front = [(p, head_window[j]) for p, j in zip(self.prefix + head, _align(self.prefix + head, head_window)) if j is not None]
            back = [(p, tail_window[j]) for p, j in zip(tail + self.suffix, _align(tail + self.suffix, tail_window)) if j is not None]
            found = front + back
            starts = [(p, w) for p, w in front if p.side == 0]
            ends = [(p, w) for p, w in back if p.side == 0]
            if not starts or not ends or ends[-1][1].end <= starts[0][1].start:
                return None
            first, last = starts[0], ends[-1]
            kept = _kept_in_order(self.words, words_between(text, first[1].start, last[1].end))
        span_start, span_end = self._edges(text, first, last)
        return Fit(span_start, span_end, kept, *self._context(found))

    def _edges(self, text: str, first: tuple[_Part, Word], last: tuple[_Part, Word]) -> tuple[int, int]:
        """The span from the first to the last word found; a quote that began or ended inside a
        word begins or ends as many characters into the word it is aligned with."""
        (p, w), (q, v) = first, last
        start, end = w.start, v.end
        if p.cut_start and not p.cut_end:
            start = w.end - min(len(p.text), w.end - w.start)
        if q.cut_end and not q.cut_start:
            end = v.start + min(len(q.text), v.end - v.start)
        lead = len(self.exact) - len(self.exact.lstrip())
        trail = len(self.exact) - len(self.exact.rstrip())
        if p is self.words[0] and lead and text[start - lead : start] == self.exact[:lead]:
            start -= lead
        if q is self.words[-1] and trail and text[end : end + trail] == self.exact[len(self.exact) - trail :]:
            end += trail
        return start, end

    def _context(self, found: list[tuple[_Part, Word]]) -> tuple[int, bool]:
        """Characters of context found, and whether each side's near context is at least half there."""
        context = sum(p.kept(w.key) for p, w in found if p.side != 0)
        near_ok = True
        for side, parts in ((-1, self.prefix), (1, self.suffix)):
            total = sum(len(p.key) for p in parts if p.near)
            kept = sum(p.kept(w.key) for p, w in found if p.side == side and p.near)
            near_ok = near_ok and 2 * kept >= total
        return context, near_ok


def _kept_in_order(quote: list[_Part], span: list[Word]) -> float:
    """The share of the quote's word characters whose words are in ``span`` in the same order."""
    keys = [p.key for p in quote]
    total = sum(len(k) for k in keys)
    lost = sum(len(keys[op.src_pos]) for op in LCSseq.editops(keys, [w.key for w in span]) if op.tag == "delete")
    return (total - lost) / max(1, total)


def _align(parts: list[_Part], window: list[Word]) -> list[int | None]:
    """For each part, the index of the window word it is aligned with, or ``None`` when left out.

    Gotoh's affine-gap alignment, semi-global: window words before the first and after the last
    aligned part are free. ``here`` holds the best cost with the last step not a gap in the
    window, ``gap`` with it inside one; the codes record each cell's step for the way back.
    """
    m = len(window)
    keys = [w.key for w in window]
    extend = [_EXTEND * (len(k) + 1) for k in keys]
    here, gap = [0.0] * (m + 1), [math.inf] * (m + 1)
    steps: list[tuple[list[int], list[int]]] = []
    for part in parts:
        costs = [part.cost(k) for k in keys]
        drop = part.drop
        row, row_gap = [here[0] + drop] + [0.0] * m, [math.inf] * (m + 1)
        codes, gap_codes = [3] + [0] * m, [0] * (m + 1)
        for j in range(1, m + 1):
            a, b = here[j - 1], gap[j - 1]
            best, code = (a, 1) if a <= b else (b, 2)
            best += costs[j - 1]
            a, b = here[j] + drop, gap[j] + drop
            if a < best:
                best, code = a, 3
            if b < best:
                best, code = b, 4
            row[j], codes[j] = best, code
            a, b = row[j - 1] + _OPEN + extend[j - 1], row_gap[j - 1] + extend[j - 1]
            row_gap[j], gap_codes[j] = (a, 1) if a <= b else (b, 2)
        steps.append((codes, gap_codes))
        here, gap = row, row_gap
    j = min(range(m + 1), key=here.__getitem__)
    aligned: list[int | None] = [None] * len(parts)
    i, in_gap = len(parts), False
    while i > 0:
        codes, gap_codes = steps[i - 1]
        if in_gap:
            in_gap = gap_codes[j] == 2
            j -= 1
            continue
        code = codes[j]
        if code in (1, 2):
            aligned[i - 1] = j - 1
            j -= 1
        in_gap = code in (2, 4)
        i -= 1
    return aligned
