"""Passages of an article: making selectors for one, splitting a block into sentences,
and finding stored annotations again in the article's current text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.domain.annotations.model import Annotation, Selectors
from reader.domain.articles.markdown import Projection

if TYPE_CHECKING:
    from reader.domain.annotations.anchoring import Anchor, AnchorStatus

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[A-Z“\"‘'(\[])")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Prof|vs|etc)\.$")


def selectors_for(projection: Projection, start: int, end: int) -> Selectors:
    """Selectors for ``projection.text[start:end]``, with the block range as a hint."""
    start, end = max(0, start), min(len(projection.text), end)
    return Selectors.for_span(projection.text, start, end, projection.blocks_between(start, end))


def block_span(projection: Projection, first: int, last: int) -> tuple[int, int]:
    """The projection offsets covering blocks ``first..last``."""
    first, last = min(first, last), max(first, last)
    return projection.blocks[first].start, projection.blocks[last].end


def quote_spans(projection: Projection, quote: str) -> list[tuple[int, int]]:
    """Every place ``quote`` occurs in the projection (whitespace-insensitive), in order."""
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in pattern.finditer(projection.text)]


def nearest(spans: list[tuple[int, int]], near: int) -> int:
    """The index of the span starting nearest to ``near`` (the first of two as near); spans is not empty."""
    return min(range(len(spans)), key=lambda i: (abs(spans[i][0] - near), i))


def quote_span(projection: Projection, quote: str, near: int = 0) -> tuple[int, int] | None:
    """Where ``quote`` occurs in the projection (whitespace-insensitive), nearest to ``near``."""
    spans = quote_spans(projection, quote)
    return spans[nearest(spans, near)] if spans else None


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of a block's text as ``(start, end)`` offsets, trailing spaces excluded."""
    cuts = [0]
    for match in _BOUNDARY.finditer(text):
        before = text[cuts[-1] : match.start() + len(match.group(0).rstrip())].rstrip()
        if _ABBREVIATION.search(before):
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    for start, end in zip(cuts, cuts[1:]):
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
    return spans


@dataclass(frozen=True)
class Located:
    """An annotation and where it is in the article now."""

    annotation: Annotation
    anchor: Anchor

    @property
    def status(self) -> AnchorStatus:
        """``exact``, ``moved``, ``fuzzy`` or ``orphaned`` (a note on the whole article counts as exact)."""
        return self.anchor.status


def locate(annotation: Annotation, text: str) -> Located:
    """Find an annotation in ``text``; an article note is always found."""
    from reader.domain.annotations.anchoring import Anchor, anchor  # rapidfuzz loads with the first passage located

    if annotation.selectors is None:
        return Located(annotation, Anchor("exact", 0, 0, ""))
    return Located(annotation, anchor(text, annotation.selectors))


def status_in(annotation: Annotation, text: str | None) -> AnchorStatus:
    """Where an annotation stands in its article's text now (``None``: the article is gone)."""
    return locate(annotation, text).status if text is not None else "orphaned"


def locate_all(annotations: list[Annotation], projection: Projection) -> list[Located]:
    """Every annotation located, in document order (article notes first, orphans last)."""
    located = [locate(a, projection.text) for a in annotations]

    def order(item: Located) -> tuple[int, int]:
        if item.annotation.selectors is None:
            return (0, 0)
        if item.anchor.start is None:
            return (2, 0)
        return (1, item.anchor.start)

    return sorted(located, key=order)
