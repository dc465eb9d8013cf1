"""Damage found in the store's files: the copies kept aside, and a record of each finding.

A finding is a record in the store's own ``_damage`` table. So it is written in the same atomic
replace as the recovered data (the snapshot that no longer holds the damaged bytes says that it
does not), every compaction carries it along like any other record, and every process that
opens the store reads it. Damage stays *unacknowledged* until ``reader doctor --acknowledge``;
until then every open says what was lost and where the copy is.

A torn tail (bytes after the last newline) is what a crash in the middle of an append leaves:
that write never returned, so nothing acknowledged is in it. It is kept aside and told once
(the process that tells it records it as acknowledged), and it does not make ``reader doctor``
fail: a warning after every crash would teach people to acknowledge without looking. A
*complete* last line that fails its checksum is not what an append stopped part-way leaves (the
newline is the last byte written), so it counts as damage like any other bad line.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reader.domain.plural import plural
from reader.domain.store.journal_scan import JournalScan, Op
from reader.domain.store.storage import Tables, write_atomic

TABLE = "_damage"
"""The table of findings, beside ``_meta`` (older readers keep tables they do not know)."""
HINT = "`reader doctor --acknowledge` stops this notice."
"""How to stop being told: the end of every message about unacknowledged damage."""
ASIDE_KINDS = ("corrupt", "torn")
"""The name parts of copies kept aside: ``<file>.corrupt-<time>``, ``<journal>.torn-<time>``."""


@dataclass(frozen=True)
class Damage:
    """One finding: ``kind`` is ``journal`` (unreadable lines), ``torn`` or ``snapshot``."""

    key: str
    kind: str
    found: str
    aside: Path
    offset: int = 0
    length: int = 0
    lines: int = 0
    places: int = 1
    kept_after: int = 0
    detail: str = ""
    """For a snapshot: why it was unreadable, and what the store was restored from."""
    acknowledged: str | None = None

    @property
    def blocking(self) -> bool:
        """True while the user has not acknowledged a loss (a torn write is no loss)."""
        return self.kind != "torn" and self.acknowledged is None

    def _where(self) -> str:
        """How many bytes, and from which offset."""
        at = f"at byte {self.offset}" if self.places == 1 else f"in {self.places} places from byte {self.offset} on"
        return f"{plural(self.length, 'byte')} {at}"

    def summary(self) -> str:
        """What was lost and where, in a few words (for ``reader doctor``)."""
        if self.kind == "snapshot":
            return f"the notes file was unreadable: {self.detail}"
        if self.kind == "torn":
            return f"an incomplete last change ({self._where()} of the journal)"
        return f"{plural(self.lines, 'journal line')} unreadable ({self._where()})"

    def message(self) -> str:
        """The sentence opening the store says about this finding."""
        if self.kind == "torn":
            return (f"The last change being saved when reader stopped was incomplete ({self._where()} of the "
                    f"journal) and was not saved; nothing saved before it is affected. Its bytes are kept as {self.aside}.")
        if self.kind == "snapshot":
            return f"The notes file was damaged: {self.detail}; the damaged file is kept as {self.aside}. {HINT}"
        them = "it" if self.lines == 1 else "them"
        kept = "was" if self.kept_after == 1 else "were"
        return (f"The notes journal was damaged: {plural(self.lines, 'line')} ({self._where()}) could not be read, "
                f"and the changes saved in {them} are lost; the {plural(self.kept_after, 'change')} saved after the "
                f"damage {kept} kept. The damaged file is kept as {self.aside}. {HINT}")

    def to_record(self) -> dict[str, Any]:
        """The record stored in the ``_damage`` table."""
        return {**asdict(self), "aside": str(self.aside)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Damage | None":
        """The finding in a record, or ``None`` for one this version cannot read."""
        try:
            values = {name: record[name] for name in cls.__dataclass_fields__ if name in record}
            return cls(**{**values, "aside": Path(values["aside"])})
        except (TypeError, KeyError):
            return None


def recorded(tables: Tables) -> list[Damage]:
    """Every finding recorded in ``tables``, oldest first."""
    found = [Damage.from_record(r) for r in tables.get(TABLE, {}).values()]
    return sorted((d for d in found if d is not None), key=lambda d: (d.found, d.key))


def record_op(damage: Damage) -> Op:
    """The journal op that stores ``damage``."""
    return (TABLE, damage.key, damage.to_record())


def acknowledge_ops(tables: Tables, when: str) -> list[Op]:
    """The ops that mark every unacknowledged finding in ``tables`` acknowledged at ``when``."""
    return [(TABLE, key, {**record, "acknowledged": when})
            for key, record in tables.get(TABLE, {}).items() if record.get("acknowledged") is None]


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:16]


def is_kept_aside(name: str) -> bool:
    """True for the name of a copy kept aside (``<file>.<kind>-<stamp>``): damaged bytes, not a
    file of the store (another machine reading a sync folder skips it)."""
    return any(f".{kind}-" in name for kind in ASIDE_KINDS)


def kept_aside(path: Path) -> list[Path]:
    """Every copy kept aside of the store at ``path`` or of its journal, by name."""
    names = (path.name, path.name + ".journal")
    prefixes = tuple(f"{name}.{kind}-" for name in names for kind in ASIDE_KINDS)
    try:
        return sorted(path.parent / n for n in os.listdir(path.parent) if n.startswith(prefixes) and ".tmp-" not in n)
    except FileNotFoundError:
        return []


def keep_aside(original: Path, data: bytes, kind: str, stamp: str) -> Path:
    """Durably write ``data`` as ``<original>.<kind>-<stamp>`` and return that path.

    A copy already kept with the same bytes (by an open that crashed before it finished) is
    returned instead of writing a second one.
    """
    prefix = f"{original.name}.{kind}-"
    for name in sorted(os.listdir(original.parent)):
        existing = original.parent / name
        if name.startswith(prefix) and ".tmp-" not in name and existing.stat().st_size == len(data) \
                and existing.read_bytes() == data:
            return existing
    target = original.with_name(prefix + stamp)
    n = 1
    while target.exists():
        target = original.with_name(f"{prefix}{stamp}-{n}")
        n += 1
    write_atomic(target, data)
    return target


def journal_damage(journal: Path, data: bytes, scan: JournalScan, when: str, stamp: str) -> Damage:
    """Keep the damaged journal aside byte for byte; the finding that says what was lost."""
    spans = scan.damaged
    return Damage(key=f"journal-{_digest(data)}", kind="journal", found=when,
                  aside=keep_aside(journal, data, "corrupt", stamp), offset=spans[0].offset,
                  length=sum(s.length for s in spans), lines=sum(s.lines for s in spans), places=len(spans),
                  kept_after=scan.kept_after)


def torn_damage(journal: Path, tail: bytes, offset: int, when: str, stamp: str, told: bool) -> Damage:
    """Keep a torn tail's bytes aside; the finding (acknowledged already when ``told`` now)."""
    return Damage(key=f"torn-{_digest(b'%d:' % offset, tail)}", kind="torn", found=when,
                  aside=keep_aside(journal, tail, "torn", stamp), offset=offset, length=len(tail),
                  lines=1, acknowledged=when if told else None)


def snapshot_damage(path: Path, data: bytes, detail: str, when: str, stamp: str) -> Damage:
    """Keep a damaged snapshot aside byte for byte; the finding."""
    return Damage(key=f"snapshot-{_digest(data)}", kind="snapshot", found=when,
                  aside=keep_aside(path, data, "corrupt", stamp), length=len(data), detail=detail)
