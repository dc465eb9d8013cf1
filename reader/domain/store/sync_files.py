"""What the other machines left in the sync folder: their files, read into record versions.

The folder holds ``machines/<machine id>/reader.json`` (a snapshot) and ``reader.json.journal``
per machine, plus whatever copies a sync engine made of them (``reader.sync-conflict-….json``,
``reader (conflicted copy).json``, ``reader 2.json``): every file whose name starts with
``reader`` is read, a name containing ``.journal`` as a journal, anything else as a snapshot,
except the copies a machine kept aside of its own damaged files (``….corrupt-…``, ``….torn-…``).
Versions only ever replace older ones (``merge.keep_newer``), so a copy that arrives late or twice
changes nothing, and a half-synced journal costs only its unfinished last line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from reader.domain.store import merge
from reader.domain.store.damage import is_kept_aside
from reader.domain.store.journal_scan import Record, parse_journal
from reader.domain.store.storage import DamagedFile, decode_snapshot, read_optional, stat_key

MACHINES = "machines"
STEM = "reader"
SNAPSHOT = "reader.json"
Fingerprint = tuple[tuple[str, tuple[int, int, int] | None], ...]


def machine_dir(sync_dir: Path, machine: str) -> Path:
    """The folder of one machine's files in the sync folder."""
    return sync_dir / MACHINES / machine


def candidate_files(sync_dir: Path, own: tuple[Path, ...]) -> list[Path]:
    """Every file of every machine that may hold versions, except ``own`` (read separately)."""
    found: list[Path] = []
    try:
        machines = sorted(os.listdir(sync_dir / MACHINES))
    except (FileNotFoundError, NotADirectoryError):
        return found
    for machine in machines:
        folder = sync_dir / MACHINES / machine
        try:
            names = sorted(os.listdir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in names:
            path = folder / name
            if name.startswith(STEM) and not name.endswith(".lock") and not is_kept_aside(name) \
                    and path not in own and path.is_file():
                found.append(path)
    return found


@dataclass
class Unreadable:
    """A file (or part of one) that could not be read, for ``reader doctor``."""

    path: Path
    reason: str


@dataclass
class RemoteFiles:
    """The newest version of each record from each machine, over every file read so far."""

    sync_dir: Path
    own: tuple[Path, ...]
    versions: dict[str, dict[str, merge.Versions]] = field(default_factory=dict)
    """``{table: {key: {machine: version}}}``."""
    unreadable: dict[Path, Unreadable] = field(default_factory=dict)
    _read: dict[Path, tuple[int, int, int] | None] = field(default_factory=dict)

    def fingerprint(self) -> Fingerprint:
        """Names and stat keys of every candidate file: changes when any of them does."""
        return tuple((str(path), stat_key(path)) for path in candidate_files(self.sync_dir, self.own))

    def refresh(self) -> set[tuple[str, str]]:
        """Read every file that changed since it was last read; the ``(table, key)`` that changed."""
        changed: set[tuple[str, str]] = set()
        for path in candidate_files(self.sync_dir, self.own):
            key = stat_key(path)
            if key is None or self._read.get(path) == key:
                continue
            self._read[path] = key
            self.unreadable.pop(path, None)
            for table, record_key, record in self._records(path):
                if table in merge.LOCAL_TABLES:
                    continue
                slot = self.versions.setdefault(table, {}).setdefault(record_key, {})
                if merge.keep_newer(slot, record):
                    changed.add((table, record_key))
        return changed

    def _records(self, path: Path) -> list[tuple[str, str, Record]]:
        """The records in one file; what cannot be read is noted in ``unreadable``."""
        try:
            data = read_optional(path)
        except OSError as error:
            self.unreadable[path] = Unreadable(path, error.strerror or str(error))
            return []
        if not data:
            return []
        if ".journal" in path.name:
            scan = parse_journal(data)
            if scan.damaged:
                self.unreadable[path] = Unreadable(path, f"{len(scan.damaged)} damaged line(s), the first at byte {scan.damaged[0].offset}")
            elif scan.torn:
                self.unreadable[path] = Unreadable(path, f"an unfinished last line at byte {scan.torn.offset} (still syncing?)")
            return [(t, k, r) for ops in scan.batches for t, k, r in ops if isinstance(r, dict)]
        try:
            tables = decode_snapshot(data)
        except DamagedFile as error:
            self.unreadable[path] = Unreadable(path, str(error))
            return []
        return [(t, k, r) for t, rows in tables.items() for k, r in rows.items() if isinstance(r, dict)]
