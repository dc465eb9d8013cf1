"""Colours, tags and citations of the open article's passages, as the reading pane's keys see them:
the chooser's choices, the tag line the user edits, and the citation ``y`` copies."""

from __future__ import annotations

from dataclasses import dataclass

from reader.domain.annotations.colors import COLORS, NO_COLOR, marker
from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import selectors_for
from reader.domain.annotations.tags import clean_tag, merge_tags
from reader.session.reading import OpenArticle

CITATION_FORMAT = "markdown"
"""What ``y`` copies: the form ``reader cite`` prints by default."""


@dataclass(frozen=True)
class ColorChoice:
    """One line of the colour chooser: the name stored ("" for none), its marker and its label."""

    name: str
    glyph: str
    label: str


def color_choices() -> tuple[ColorChoice, ...]:
    """Every colour with its marker glyph, then "none" (which removes the colour)."""
    return tuple(ColorChoice(c.name, c.glyph, c.name) for c in COLORS) + (ColorChoice("", " ", NO_COLOR),)


def tags_line(tags: tuple[str, ...]) -> str:
    """Tags as the tag prompt shows them: ``science, long reads``."""
    return ", ".join(tags)


def parse_tags(line: str) -> tuple[str, ...]:
    """The tags typed in the tag prompt (comma-separated, ``#`` optional), each once.

    Raises ``BadTag`` (one sentence) for a tag that is too long; empty pieces are dropped."""
    pieces = [piece for piece in line.split(",") if piece.strip().lstrip("#").strip()]
    return merge_tags(clean_tag(piece) for piece in pieces)


def labelled(color: str, tags: tuple[str, ...]) -> str:
    """The marker and tags a list shows beside a passage: ``● #science #atoms`` ("" for neither)."""
    return " ".join(part for part in (marker(color), *(f"#{tag}" for tag in tags)) if part)


def citation_of(opened: OpenArticle, span: tuple[int, int], existing: Annotation | None) -> str:
    """The citation of a passage of the open article, as ``reader cite`` prints it: of the bookmark
    there, or of the passage itself when it has none (nothing is saved for it)."""
    from reader.domain.annotations.citation import cite  # text fragments load with the first citation, not at start

    meta = opened.article.meta
    passage = existing or Annotation.new(meta.id, title=meta.title, url=meta.url,
                                         selectors=selectors_for(opened.projection, *span))
    citation = cite(passage, opened.projection.text, title=meta.title, source=meta.source, url=meta.url)
    return citation.formatted(CITATION_FORMAT)
