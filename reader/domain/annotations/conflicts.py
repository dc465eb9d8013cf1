"""The other texts of a note edited on two machines while apart, and how the user settles them.

The sync folder's merge (``store.merge``) keeps, in an annotation's ``conflicts`` field, each
concurrent version whose note differs from the one shown: ``{"machine", "t", "note", "updated"}``
or ``{"machine", "t", "deleted": true}``. They stay (and travel with later edits) until the user
chooses a text; saving the annotation without the field settles it on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from reader.domain.annotations.model import Annotation, utc_now
from reader.domain.articles.cleaning import clean_text

FIELD = "conflicts"
"""The annotation field (kept in ``Annotation.extra``) that holds the other versions."""


@dataclass(frozen=True)
class Conflict:
    """Another machine's version of a note: its text, or a deletion."""

    machine: str
    note: str = ""
    deleted: bool = False
    updated: str = ""


class Resolution(Enum):
    """What the user chose for a note with conflicts."""

    KEEP = "keep"
    """Keep the text shown; drop the others."""
    OTHER = "other"
    """Take the newest other text instead."""
    BOTH = "both"
    """Keep every text, the shown one first, separated by blank lines."""


HERE = "this machine"
"""How a version written by the machine that shows it is named."""


def conflicts(annotation: Annotation, here: str = "") -> tuple[Conflict, ...]:
    """The other versions kept with ``annotation``, oldest first (none for most notes); the
    machine ``here`` (the one showing them) is named ``HERE``."""
    found: list[Conflict] = []
    raw: Any = annotation.extra.get(FIELD)
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        machine = item.get("machine")
        machine = HERE if here and machine == here else machine
        note, updated = item.get("note", ""), item.get("updated", "")
        found.append(Conflict(clean_text(machine) if isinstance(machine, str) and machine else "another machine",
                              clean_text(note) if isinstance(note, str) else "", item.get("deleted") is True,
                              updated if isinstance(updated, str) else ""))
    return tuple(found)


def texts(annotation: Annotation) -> tuple[str, ...]:
    """The other texts (deletions have none), oldest first, without repeats or the shown one."""
    seen = {annotation.note}
    out: list[str] = []
    for item in conflicts(annotation):
        if not item.deleted and item.note not in seen:
            seen.add(item.note)
            out.append(item.note)
    return tuple(out)


def resolved(annotation: Annotation, how: Resolution) -> Annotation:
    """``annotation`` with its conflicts settled as the user chose (``updated`` set to now)."""
    others = texts(annotation)
    note = annotation.note
    if how is Resolution.OTHER and others:
        note = others[-1]
    elif how is Resolution.BOTH:
        note = "\n\n".join(part for part in (annotation.note, *others) if part.strip())
    extra = {key: value for key, value in annotation.extra.items() if key != FIELD}
    return replace(annotation, note=note, extra=extra, updated=utc_now())
