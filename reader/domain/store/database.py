"""The database under the store: opening its files, locking, and committing transactions durably.

``Database`` is the only place that builds TinyDB: ``_KeyedDB`` (a ``TinyDB`` whose
``_KeyedTable`` tables are keyed by our natural keys) over ``JournalStorage`` (snapshot +
checksummed journal) or ``SyncStorage`` (a sync folder's merged view), both TinyDB
``Storage`` classes. Every write holds a thread lock and the file lock across the whole
read-modify-write, catches up with other processes' commits first, and is durable when the call
returns. ``Store`` (``store.py``) builds the tables' API on it.
"""

from __future__ import annotations

import copy
import threading
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from tinydb import TinyDB
from tinydb.table import Table

from reader.domain.durable import LockTimeout, file_lock
from reader.domain.store import damage as store_damage
from reader.domain.store import recovery
from reader.domain.store import sync_opening
from reader.domain.store.storage import DamagedFile, JournalStorage, Op, Tables, encode_line, read_optional
from reader.domain.store.sync_storage import SyncStorage

LOCK_TIMEOUT = 30.0
"""Seconds to wait for another process's write before giving up."""

COMPACT_MIN_BYTES = 1 << 20
"""The journal is folded into the snapshot once it exceeds this and half the snapshot's size."""

D = TypeVar("D", bound="Database")


class StoreError(Exception):
    """A user-facing failure (one clear sentence in ``str(error)``)."""


def _file_lock(path: Path) -> AbstractContextManager[object]:
    """The lock every process holds while it reads or writes the files of the store at ``path``."""
    return file_lock(path, LOCK_TIMEOUT, poll_interval=0.002)


class _KeyedTable(Table):
    """A TinyDB table whose document ids are our natural keys (UUIDs, article ids, urls)."""

    document_id_class = str  # type: ignore[assignment]


class _KeyedDB(TinyDB):
    """TinyDB with ``_KeyedTable`` tables."""

    table_class = _KeyedTable


class Database:
    """One TinyDB over the store's files (a notes file, or this machine's in a sync folder):
    opening, reads at one moment, durable transactions, backups, compaction, damage found."""

    def __init__(self, path: Path, opened: recovery.Opened, lock: Path | None = None, backups: Path | None = None) -> None:
        self.path = path
        self.backup_folder: Path = recovery.backup_dir(path, backups)
        """Where the day's first write keeps a backup (on this machine, never in a sync folder)."""
        self.messages: list[str] = opened.messages
        self.read_only: bool = opened.read_only
        self._storage: JournalStorage | SyncStorage = opened.storage
        self._db = _KeyedDB(storage=lambda: opened.storage)
        self._mutex = threading.Lock()
        self._file_lock = _file_lock(lock or path)
        self._backup_day = ""
        self._compact_after = 0

    @classmethod
    def open(cls: type[D], path: Path) -> D:
        """Open (or create) the store at ``path``; validates, recovers and migrates as needed."""
        path = Path(path)
        return cls._opening(path, path, lambda: cls(path, recovery.open_storage(path)))

    @classmethod
    def open_synced(cls: type[D], sync_dir: Path, machine: str, local_file: Path) -> D:
        """Open this machine's files in the sync folder ``sync_dir``, merged with every other
        machine's there; the lock stays beside ``local_file`` (machine-local), whose records
        seed this machine's first open."""
        own = sync_opening.own_file(Path(sync_dir), machine)
        local_file = Path(local_file)
        own.parent.mkdir(parents=True, exist_ok=True)
        backups = sync_opening.backup_folder(local_file)
        return cls._opening(own, local_file, lambda: cls(
            own, sync_opening.open_synced(own, Path(sync_dir), machine, local_file), lock=local_file, backups=backups))

    @classmethod
    def _opening(cls: type[D], path: Path, lock: Path, opener: Callable[[], D]) -> D:
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with _file_lock(lock):
                return opener()
        except LockTimeout:
            raise StoreError(f"Another reader process kept {path} locked for {LOCK_TIMEOUT:.0f} seconds.") from None
        except OSError as error:
            raise StoreError(f"Could not open the notes file {path}: {error.strerror or error}.") from error

    def sync_storage(self) -> SyncStorage | None:
        """The sync folder's storage when the store lives in one (for ``reader doctor``)."""
        return self._storage if isinstance(self._storage, SyncStorage) else None

    def close(self) -> None:
        """Release the database; the store must not be used afterwards."""
        self._db.close()

    def __enter__(self: D) -> D:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _file_locked(self) -> Iterator[None]:
        try:
            with self._file_lock:
                yield
        except LockTimeout:
            raise StoreError(f"Another reader process kept {self.path} locked for {LOCK_TIMEOUT:.0f} seconds.") from None

    def _refresh_locked(self) -> None:
        try:
            self._storage.refresh()
        except DamagedFile as damage:
            raise StoreError(f"The notes file {self.path} was damaged by another program ({damage}); restart reader to recover it.") from None
        except OSError as error:
            raise StoreError(f"Could not read the notes file {self.path}: {error.strerror or error}.") from error

    @contextmanager
    def _reading(self) -> Iterator[Tables]:
        """Hold the thread lock over fresh tables (catching up with other processes if needed)."""
        with self._mutex:
            if self._storage.changed_on_disk():
                with self._file_locked():
                    self._refresh_locked()
            yield self._storage.tables

    def _commit(self, plan: Callable[[Tables], list[Op]]) -> list[Op]:
        """Run ``plan`` on fresh tables and durably commit the ops it returns, as one transaction."""
        if self.read_only:
            raise StoreError("The notes file is open read-only because a newer version of reader wrote it.")
        with self._mutex, self._file_locked():
            self._refresh_locked()
            ops = plan(self._storage.tables)
            if not ops:
                return ops
            written = self._storage.prepare(ops)
            try:
                line = encode_line(written)
            except (TypeError, ValueError) as error:
                raise StoreError(f"This value cannot be saved in the notes file ({error}).") from None
            self._daily_backup()
            try:
                torn = self._keep_torn_tail()
                self._storage.append(encode_line(written + torn) if torn else line, written + torn)
            except OSError as error:
                raise StoreError(f"Could not save to {self.path}: {error.strerror or error}.") from error
            self._maybe_compact()
            return ops

    def _keep_torn_tail(self) -> list[Op]:
        """Keep aside what another process left of a write it never finished (the append below
        cuts it off); the op that records it, to be told by the next open."""
        tail = self._storage.unread_tail()
        if not tail:
            return []
        now = recovery.clock()
        found = store_damage.torn_damage(self._storage.journal, tail, self._storage.journal_end,
                                         recovery.iso(now), recovery.stamp(now), told=False)
        return [store_damage.record_op(found)]

    def _daily_backup(self) -> None:
        day = recovery.clock().strftime("%Y%m%d")
        if self._backup_day == day:
            return
        try:
            if not recovery.has_backup_on(self.path, day, self.backup_folder):
                journal = read_optional(self._storage.journal) or b""
                recovery.make_backup(self.path, self.path.read_bytes(), journal[: self._storage.journal_end],
                                     folder=self.backup_folder)
            self._backup_day = day
        except OSError as error:
            self.messages.append(f"Could not make today's backup of the notes file: {error.strerror or error}.")

    def _maybe_compact(self) -> None:
        size = self._storage.journal_end
        if size <= max(COMPACT_MIN_BYTES, self._storage.snapshot_size // 2, self._compact_after):
            return
        try:
            self._storage.compact()
            self._compact_after = 0
        except OSError:
            self._compact_after = 2 * size  # the commit itself is safe in the journal; retry later

    def _records(self, table: str) -> list[dict[str, Any]]:
        """Copies of the records of ``table``, read through TinyDB."""
        with self._reading():
            return copy.deepcopy([dict(doc) for doc in self._db.table(table, cache_size=0).all()])

    def _record(self, table: str, key: str) -> dict[str, Any] | None:
        with self._reading():
            doc = self._db.table(table, cache_size=0).get(doc_id=key)  # type: ignore[call-overload]  # str ids: _KeyedTable
            return copy.deepcopy(dict(doc)) if doc is not None else None


    # -- transactions for the store's other tables (accounts) -----------------------------

    def read_tables(self, *names: str) -> dict[str, dict[str, dict[str, Any]]]:
        """Copies of whole tables, read at one moment (for modules that keep tables here)."""
        with self._reading() as tables:
            return {name: copy.deepcopy(dict(tables.get(name, {}))) for name in names}

    def transact(self, plan: Callable[[Tables], list[Op]]) -> list[Op]:
        """Run ``plan`` on fresh tables and commit the ops it returns durably, as one transaction
        (the same path every write of ``Store`` takes); ``plan`` may raise to commit nothing."""
        return self._commit(plan)


    # -- damage found in the files ----------------------------------------------------------

    def damage(self) -> list[store_damage.Damage]:
        """Every damage finding recorded in the store, oldest first, acknowledged or not."""
        with self._reading() as tables:
            return store_damage.recorded(tables)

    def acknowledge_damage(self) -> int:
        """Mark every finding acknowledged (opening stops telling it); returns how many were not."""
        when = recovery.iso(recovery.clock())
        return len(self._commit(lambda tables: store_damage.acknowledge_ops(tables, when)))

    # -- change detection -------------------------------------------------------------------

    def generation(self) -> object:
        """A value that changes whenever any process commits a write (compare with ``!=``)."""
        return self._storage.generation()

