"""The open article's bookmarks and notes, located in its text, as one immutable value.

A write changes it by one passage (``with_added``, ``with_note``, ``without``); only opening the
article, or another process's change, locates every annotation again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from reader.domain.annotations.conflicts import Conflict, conflicts
from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import Located, locate, locate_all
from reader.domain.articles.markdown import Projection

STATUS_NOTES = {"fuzzy": "text changed", "orphaned": "text no longer in the article"}
"""What the notes panel says beside a passage whose text is not where it was (by anchor status).
A status not named here (``exact``, a new one) gets no remark."""


@dataclass(frozen=True)
class Highlight:
    """A span of the article's projection to draw as a bookmark (with a marker if it has a note)."""

    start: int
    end: int
    noted: bool = False
    color: str = ""
    """One of ``colors.COLORS`` by name, or "" (drawn as a plain highlight)."""


@dataclass(frozen=True)
class NoteEntry:
    """One line of the notes panel: an annotation's id, its quote, its note, a remark, and the
    other machines' versions of the note (edited on both while apart) until the user settles them."""

    id: str
    quote: str
    note: str
    remark: str = ""
    conflicts: tuple[Conflict, ...] = ()
    color: str = ""
    tags: tuple[str, ...] = ()


def _order(item: Located) -> tuple[int, int]:
    """Article notes first, then passages in document order, then orphans."""
    if item.annotation.selectors is None:
        return (0, 0)
    if item.anchor.start is None:
        return (2, 0)
    return (1, item.anchor.start)


def _placed(item: Located) -> bool:
    return item.annotation.selectors is not None and item.anchor.start is not None and item.anchor.end is not None


def _span(item: Located) -> tuple[int, int]:
    """Where a placed passage is (only for items ``_placed`` accepted)."""
    assert item.anchor.start is not None and item.anchor.end is not None
    return item.anchor.start, item.anchor.end


@dataclass(frozen=True)
class Passages:
    """Located annotations of one article, in document order."""

    items: tuple[Located, ...] = ()

    @classmethod
    def locate(cls, annotations: Iterable[Annotation], projection: Projection) -> "Passages":
        """Every annotation found again in the article's text (the slow path: opening)."""
        return cls(tuple(locate_all(list(annotations), projection)))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """The annotations, in document order."""
        return tuple(item.annotation for item in self.items)

    def same_as(self, annotations: Iterable[Annotation]) -> bool:
        """Whether these are exactly the annotations (ids and versions) held already."""
        def versions(items: Iterable[Annotation]) -> set[tuple[str, str, str, tuple[Conflict, ...]]]:
            return {(a.id, a.updated, a.note, conflicts(a)) for a in items}

        return versions(annotations) == versions(self.annotations)

    def find(self, annotation: str) -> Located | None:
        """A passage by annotation id."""
        return next((item for item in self.items if item.annotation.id == annotation), None)

    @property
    def article_note(self) -> Annotation | None:
        """The note on the whole article, if there is one."""
        return next((item.annotation for item in self.items if item.annotation.selectors is None), None)

    def at(self, span: tuple[int, int], exact: bool) -> Located | None:
        """The passage a key acts on for ``span``: the one with exactly this span; unless ``exact``
        (a narrowed passage or a mouse selection), else the first one overlapping it."""
        start, end = span
        placed = [item for item in self.items if _placed(item)]
        same = next((item for item in placed if (item.anchor.start, item.anchor.end) == (start, end)), None)
        if same is not None or exact:
            return same
        return next((item for item in placed if _span(item)[0] < end and start < _span(item)[1]), None)

    def highlights(self) -> tuple[Highlight, ...]:
        """What to draw on the article."""
        return tuple(Highlight(*_span(item), bool(item.annotation.note.strip()), item.annotation.color)
                     for item in self.items if _placed(item))

    def starts(self) -> tuple[int, ...]:
        """Where each passage found in the text starts (projection offsets), in order."""
        return tuple(_span(item)[0] for item in self.items if _placed(item))

    def entries(self, here: str = "") -> tuple[NoteEntry, ...]:
        """The notes panel's lines; ``here``: this machine's id in a sync folder, if any."""
        return tuple(NoteEntry(item.annotation.id, item.annotation.quote, item.annotation.note,
                               STATUS_NOTES.get(item.status, ""), conflicts(item.annotation, here),
                               item.annotation.color, item.annotation.tags)
                     for item in self.items)

    def with_added(self, annotation: Annotation, text: str) -> "Passages":
        """These and one more, located in ``text`` (the projection's text)."""
        found = locate(annotation, text)
        items = [item for item in self.items if item.annotation.id != annotation.id] + [found]
        return Passages(tuple(sorted(items, key=_order)))

    def with_note(self, annotation: Annotation) -> "Passages":
        """The same passages with one annotation's new version (its note, colour or tags edited) in place."""
        return Passages(tuple(replace(item, annotation=annotation) if item.annotation.id == annotation.id else item
                              for item in self.items))

    def without(self, annotation: str) -> "Passages":
        """These without one annotation."""
        return Passages(tuple(item for item in self.items if item.annotation.id != annotation))
