"""A TinyDB Storage over a sync folder: this machine's own files plus every other machine's.

``SyncStorage`` wraps the ``JournalStorage`` of this machine's files (snapshot + checksummed
journal in ``machines/<id>/``, written with the same durability as a local store) and
``RemoteFiles`` (everything else in the folder). TinyDB reads the merged view (``merge.view`` per
record id); writes are stamped with versions (``merge.versioned_ops``) and go to the own journal
only. ``write(data)``, TinyDB's own way to save, commits the difference between ``data`` and the
merged view the same way, so a plain ``TinyDB(storage=...)`` works on it too.
"""

from __future__ import annotations

import time
from pathlib import Path

from tinydb.storages import Storage

from reader.domain.store import merge
from reader.domain.store.annotation_index import ArticleGroups
from reader.domain.store.journal_scan import Op
from reader.domain.store.storage import JournalStorage, Tables, encode_line
from reader.domain.store.sync_files import RemoteFiles, Unreadable


class SyncStorage(Storage):
    """The merged view of all machines' files, writing only this machine's."""

    def __init__(self, own: JournalStorage, sync_dir: Path, machine: str) -> None:
        self.own = own
        self.machine = machine
        self.sync_dir = sync_dir
        self.remote = RemoteFiles(sync_dir, (own.path, own.journal))
        self.tables: Tables = {}
        self.groups = ArticleGroups()
        self._fingerprint = self.remote.fingerprint()
        self.remote.refresh()
        self._remerge_all()

    # -- what the Store uses of JournalStorage ------------------------------------------------

    @property
    def path(self) -> Path:
        """This machine's snapshot."""
        return self.own.path

    @property
    def journal(self) -> Path:
        """This machine's journal."""
        return self.own.journal

    @property
    def journal_end(self) -> int:
        """The end of the last complete line of this machine's journal."""
        return self.own.journal_end

    @property
    def snapshot_size(self) -> int:
        """Size of this machine's snapshot."""
        return self.own.snapshot_size

    def read(self) -> Tables:  # type: ignore[override]  # TinyDB only indexes, gets and iterates a table
        """The merged tables (TinyDB's view)."""
        return self.tables

    def write(self, data: Tables) -> None:  # type: ignore[override]  # as ``read``
        """Make ``data`` the merged view by committing, in this machine's journal, what differs."""
        ops: list[Op] = []
        for table in set(data) | set(self.tables):
            new, old = data.get(table, {}), self.tables.get(table, {})
            ops += [(table, key, dict(record)) for key, record in new.items() if old.get(key) != record]
            ops += [(table, key, None) for key in old if key not in new]
        if ops:
            written = self.prepare(ops)
            self.append(encode_line(written), written)

    def close(self) -> None:
        """Nothing stays open between operations."""

    def changed_on_disk(self) -> bool:
        """True when this machine's files or any other machine's may have changed (cheap)."""
        return self.own.changed_on_disk() or self.remote.fingerprint() != self._fingerprint

    def refresh(self) -> None:
        """Catch up with this machine's other processes and with every other machine."""
        if self.own.changed_on_disk():
            self.own.refresh()
            self._remerge_all()
        fingerprint = self.remote.fingerprint()
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            for table, key in self.remote.refresh():
                self._remerge(table, key)

    def unread_tail(self) -> bytes:
        """A write another process of this machine never finished."""
        return self.own.unread_tail()

    def prepare(self, ops: list[Op]) -> list[Op]:
        """``ops`` made on the merged view, as versions to write in this machine's files."""
        seen = {(table, key): merge.newest_seen(self._versions(table, key)) for table, key, _ in ops}
        return merge.versioned_ops(ops, seen, self.machine, time.time_ns())

    def append(self, line: bytes, ops: list[Op]) -> None:
        """Durably commit ``ops`` (from ``prepare``) to this machine's journal, then merge them."""
        self.own.append(line, ops)
        for table, key, _ in ops:
            self._remerge(table, key)

    def compact(self) -> None:
        """Fold this machine's journal into its snapshot."""
        self.own.compact()

    def generation(self) -> object:
        """Changes whenever any machine's files change."""
        return (self.own.generation(), self.remote.fingerprint())

    def unreadable(self) -> list[Unreadable]:
        """The files (or parts) of other machines that could not be read."""
        return list(self.remote.unreadable.values())

    def machines(self) -> dict[str, int]:
        """Every machine seen in any file, with the time (ns) of its newest change."""
        last: dict[str, int] = {self.machine: 0}
        for table, rows in [*self.remote.versions.items(), *self._own_versions().items()]:
            for versions in rows.values():
                for machine, record in versions.items():
                    t = merge.stamp(record)[0]
                    if machine and t >= last.get(machine, 0):
                        last[machine] = t
        return last

    # -- the merge -----------------------------------------------------------------------------

    def _own_versions(self) -> dict[str, dict[str, merge.Versions]]:
        return {table: {key: {self.machine: record} for key, record in rows.items()}
                for table, rows in self.own.tables.items() if table not in merge.LOCAL_TABLES}

    def _versions(self, table: str, key: str) -> merge.Versions:
        versions = dict(self.remote.versions.get(table, {}).get(key, {}))
        mine = self.own.tables.get(table, {}).get(key)
        if mine is not None:
            merge.keep_newer(versions, mine)
        return versions

    def _remerge(self, table: str, key: str) -> None:
        if table in merge.LOCAL_TABLES:
            record = self.own.tables.get(table, {}).get(key)
        else:
            record = merge.view(table, self._versions(table, key))
        old = self.tables.get(table, {}).get(key)
        self.groups.change(table, key, old, record)
        if record is None:
            self.tables.get(table, {}).pop(key, None)
        else:
            self.tables.setdefault(table, {})[key] = record

    def _remerge_all(self) -> None:
        tables: Tables = {table: dict(rows) for table, rows in self.own.tables.items() if table in merge.LOCAL_TABLES}
        keys = {(t, k) for t, rows in self.remote.versions.items() for k in rows}
        keys |= {(t, k) for t, rows in self.own.tables.items() if t not in merge.LOCAL_TABLES for k in rows}
        for table, key in keys:
            record = merge.view(table, self._versions(table, key))
            if record is not None:
                tables.setdefault(table, {})[key] = record
        self.tables = tables
        self.groups.rebuild(tables)

