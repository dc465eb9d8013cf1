"""The one note on a whole article, and how duplicates merge into it without losing a word.

An article has at most one whole-article note. An older ``reader note`` added a new one on each
call, and an import can bring another; such duplicates are kept until the next save of the
article's note, which merges their texts into the note it keeps (the newest, unless one is
named) and deletes the rest in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable

from reader.domain.annotations.model import Annotation

SEPARATOR = "\n\n---\n\n"
"""Between the texts of merged notes: a Markdown rule on its own line."""


def merge_texts(texts: Iterable[str]) -> str:
    """The texts in order, each once, empty ones left out, joined by ``SEPARATOR``."""
    parts: list[str] = []
    for text in texts:
        part = text.strip()
        if part and part not in parts:
            parts.append(part)
    return SEPARATOR.join(parts)


@dataclass(frozen=True)
class ArticleNote:
    """An article's whole-article note: the record that is edited, and any duplicates of it."""

    kept: Annotation | None
    """The note edited and kept (``None`` when the article has none yet)."""
    others: tuple[Annotation, ...] = ()
    """Further whole-article notes on the same article, newest first; merged into ``kept`` on save."""

    @classmethod
    def of(cls, annotations: Iterable[Annotation], keep: str | None = None) -> "ArticleNote":
        """The whole-article note among ``annotations`` (one article's); ``keep`` names the record to keep."""
        notes = sorted((a for a in annotations if a.is_article_note), key=attrgetter("created", "id"), reverse=True)
        kept = next((a for a in notes if a.id == keep), notes[0] if notes else None)
        return cls(kept, tuple(a for a in notes if a is not kept))

    @property
    def text(self) -> str:
        """What an editor shows: the kept note's text, or every duplicate's, the kept one first."""
        if self.kept is None:
            return ""
        if not self.others:
            return self.kept.note
        return merge_texts(a.note for a in (self.kept, *self.others))

    @property
    def absorbed(self) -> dict[str, str]:
        """The duplicates a save deletes, each with the text it had when it was merged."""
        return {a.id: a.note for a in self.others}

    def replaced(self, text: str) -> Annotation:
        """The kept note after a script's ``text`` replaced its text (an editor saves ``kept.with_note``).

        With duplicates, which no one has seen together, none is dropped: ``text`` comes first,
        then the kept note's old text, then the others', newest first.
        """
        if self.kept is None:
            raise ValueError("no whole-article note to replace")
        if not self.others:
            return self.kept.with_note(text)
        return self.kept.with_note(merge_texts([text, *(a.note for a in (self.kept, *self.others))]))


def duplicated(annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    """Articles with more than one whole-article note, and those notes (for ``reader doctor``)."""
    by_article: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.is_article_note:
            by_article.setdefault(annotation.article, []).append(annotation)
    return {article: notes for article, notes in by_article.items() if len(notes) > 1}
