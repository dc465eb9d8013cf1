"""Finding a stored passage again in an article's text after the text has changed.

The answer is right or honest: the passage where it is now, or *orphaned* when it cannot be told
apart from text that merely looks like it. In order:

1. ``exact``: the quote is at its stored position (for a short quote, with its context intact);
2. ``moved``: the quote, unchanged, is elsewhere: for a quote of five words and 32 characters
   or more the best of its exact occurrences, scored on prefix, suffix and nearness to the old
   position as Hypothesis's client does (weights 20/20/2); a shorter quote only with its whole
   stored context around it;
3. else the coarse search (``anchor_search``) names up to three places, where the quote (a short
   one with the context from its own paragraph) matches with the fewest edits, and the stored
   position is a place too; at each the passage's words are aligned with the text's
   (``anchor_words``), which puts its ends on the words its first and last words are now and
   says whether enough of it, or of its context, is there. The best plausible place wins; it is
   ``fuzzy`` when its text differs from the quote (``exact`` or ``moved`` when it does not);
4. else ``orphaned``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein

from reader.domain.annotations.anchor_search import likely_places
from reader.domain.annotations.anchor_words import Passage, normalize
from reader.domain.annotations.model import Selectors, TextQuote

AnchorStatus = Literal["exact", "moved", "fuzzy", "orphaned"]

STATUSES: tuple[AnchorStatus, ...] = ("exact", "moved", "fuzzy", "orphaned")
"""Every status, in the order reports list them."""

_PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POSITION_WEIGHT = 20.0, 20.0, 2.0


@dataclass(frozen=True)
class Anchor:
    """Where a passage is now: ``text[start:end]``, or nowhere when orphaned."""

    status: AnchorStatus
    start: int | None = None
    end: int | None = None
    text: str | None = None


ORPHANED = Anchor("orphaned")
"""The result for a passage that is no longer in the text."""


def anchor(text: str, selectors: Selectors) -> Anchor:
    """Find the passage described by ``selectors`` in ``text``."""
    quote = selectors.quote
    exact = quote.exact
    if not exact:
        return ORPHANED
    start, end = selectors.position.start, selectors.position.end
    at_stored = 0 <= start and text[start:end] == exact
    if at_stored and _context_intact(text, quote, start, end):
        return Anchor("exact", start, end, exact)  # short or not: no need to take the quote apart in words
    passage = Passage(quote)
    if at_stored and not passage.short:
        return Anchor("exact", start, end, exact)
    hint = min(max(start, 0), len(text))
    if passage.short:
        found = _nearest(text, quote.prefix + exact + quote.suffix, hint - len(quote.prefix))
        found = None if found is None else found + len(quote.prefix)
    else:
        found = _best_exact(text, quote, hint)
    if found is not None:
        return _found(text, exact, start, found, found + len(exact))
    plain = normalize(text)
    needle, before, after = passage.needle()
    places = [(hint, min(len(text), hint + len(exact)))]
    places += [(s + before, e - after) for s, e in likely_places(plain, needle, hint - before)]
    fits = [fit for s, e in places if (fit := passage.fit(plain, s, e)) is not None and passage.plausible(fit)]
    if not fits:
        return ORPHANED
    best = max(fits, key=lambda f: (f.kept, f.context, -abs(f.start - hint)))
    return _found(text, exact, start, best.start, best.end)


def _found(text: str, exact: str, stored: int, start: int, end: int) -> Anchor:
    """The anchor for ``text[start:end]``: exact, moved or fuzzy by its text and position."""
    found = text[start:end]
    if found != exact:
        return Anchor("fuzzy", start, end, found)
    return Anchor("exact" if start == stored else "moved", start, end, found)


def _context_intact(text: str, quote: TextQuote, start: int, end: int) -> bool:
    """Whether the stored prefix and suffix are right around ``text[start:end]``."""
    return text[max(0, start - len(quote.prefix)) : start] == quote.prefix and text[end : end + len(quote.suffix)] == quote.suffix


def _nearest(text: str, needle: str, hint: int) -> int | None:
    """The start of the occurrence of ``needle`` nearest to ``hint``, if there is one."""
    best, at = None, text.find(needle)
    while at != -1:
        if best is None or abs(at - hint) < abs(best - hint):
            best = at
        elif at > hint:
            break
        at = text.find(needle, at + 1)
    return best


def _context_score(text: str, quote: TextQuote, hint: int, start: int, end: int) -> float:
    """Hypothesis's score of an exact occurrence: prefix, suffix and position similarity, weighted."""
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    return (
        _PREFIX_WEIGHT * Levenshtein.normalized_similarity(before, quote.prefix)
        + _SUFFIX_WEIGHT * Levenshtein.normalized_similarity(after, quote.suffix)
        + _POSITION_WEIGHT * (1.0 - abs(start - hint) / max(1, len(text)))
    )


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
    ceiling = _PREFIX_WEIGHT + _SUFFIX_WEIGHT
    best, best_score = starts[0], -1.0
    for s in starts:
        nearness = _POSITION_WEIGHT * (1.0 - abs(s - hint) / len(text))
        if ceiling + nearness <= best_score:
            break
        score = _context_score(text, quote, hint, s, s + len(exact))
        if score > best_score:
            best, best_score = s, score
    return best
