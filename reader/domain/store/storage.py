"""The store's files on disk: a JSON snapshot plus an append-only journal, as a TinyDB Storage.

The snapshot (``reader.json``) holds every table as ``{table: {key: record}}``; it is only ever
replaced whole, atomically. Its annotations are decoded when first used, not when it is loaded
(``snapshot.DeferredTable``: their lines' checksum stands in for decoding them at once). The journal (``reader.json.journal``) holds one line per committed
transaction: ``<crc32 hex> {"ops": [[table, key, record-or-null], ...]}``. Replaying a journal
line sets whole records, so replaying the same line twice equals once. An unfinished last line
is a write that was never acknowledged; a bad line anywhere else is damage, which costs only
that line (``journal_scan``). All JSON is ASCII (``ensure_ascii``), so any Python string, lone
surrogates included, round-trips and a line never contains a raw newline.

Nothing here locks: the caller holds the file lock around everything that reads or writes.
"""

from __future__ import annotations

import codecs
import json
import os
import uuid
import zlib
from pathlib import Path
from typing import Iterable, Iterator

from tinydb.storages import Storage

from reader.collector import paused
from reader.domain.durable import fsync_dir, write_all
from reader.domain.store.journal_scan import Op as Op, Record, parse_journal as parse_journal  # re-exported
from reader.domain.store.snapshot import CHECKSUMS, DEFERRED, DeferredTable, Table, decode_lines, encode_json, encode_snapshot
from reader.domain.store.annotation_index import TABLE as ANNOTATIONS
from reader.domain.store.annotation_index import ArticleGroups, StringSharer

Tables = dict[str, Table]


class DamagedFile(Exception):
    """A file on disk is not something the store wrote; ``str(error)`` says what is wrong."""


def journal_path(path: Path) -> Path:
    """Where the journal of the snapshot at ``path`` lives."""
    return path.with_name(path.name + ".journal")


def temp_prefix(path: Path) -> str:
    """The name prefix of temporary files written next to ``path``."""
    return f".{path.name}.tmp-"



def encode_line(ops: Iterable[Op]) -> bytes:
    """One journal line, checksum included, for a transaction of ``ops``."""
    body = encode_json({"ops": [[table, key, record] for table, key, record in ops]})
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def decode_snapshot(data: bytes) -> Tables:
    """The tables in a snapshot file's bytes, or ``DamagedFile`` saying why they are not."""
    if not data:
        raise DamagedFile("it is empty")
    if data.startswith(codecs.BOM_UTF8):
        raise DamagedFile("it starts with a byte-order mark")
    if b"\x00" in data:
        raise DamagedFile("it contains NUL bytes")
    sharer = StringSharer()
    with paused():
        tables = decode_lines(data, lambda table, key, record: sharer(record, key) if table == ANNOTATIONS else record, DEFERRED)
    if tables is not None:
        return tables
    try:
        with paused():
            value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DamagedFile("it is not valid UTF-8") from None
    except json.JSONDecodeError as error:
        raise DamagedFile(f"it is not valid JSON ({error.msg} at byte {error.pos})") from None
    if not isinstance(value, dict):
        raise DamagedFile(f"it holds a JSON {type(value).__name__} instead of tables")
    value.pop(CHECKSUMS, None)  # the layout's, not the data's (see ``snapshot``)
    for name, table in value.items():
        if not isinstance(table, dict) or not all(isinstance(r, dict) for r in table.values()):
            raise DamagedFile(f"its table {name!r} has the wrong shape")
    annotations = value.get(ANNOTATIONS)
    if annotations:
        value[ANNOTATIONS] = {key: sharer(record, key) for key, record in annotations.items()}
    return value


def apply_ops(tables: Tables, ops: Iterable[Op]) -> None:
    """Apply one transaction to ``tables`` in place (a table not decoded yet stays so)."""
    for table, key, record in ops:
        rows = tables.get(table)
        if isinstance(rows, DeferredTable):
            rows.later(key, record)
        elif record is None:
            if rows is not None:
                rows.pop(key, None)
        else:
            tables.setdefault(table, {})[key] = record


def stat_key(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of ``path``, or ``None`` when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def read_optional(path: Path) -> bytes | None:
    """The bytes of ``path``, or ``None`` when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` durably; on any failure ``path`` is untouched and no temp remains."""
    temp = path.with_name(f"{temp_prefix(path)}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    fsync_dir(path.parent)


class JournalStorage(Storage):
    """A TinyDB Storage over a snapshot and a journal, holding all tables in memory.

    ``read`` hands TinyDB the in-memory tables; ``write`` rewrites the snapshot and empties the
    journal (a compaction); ``append`` commits one transaction by adding a journal line.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.journal = journal_path(self.path)
        self.tables: Tables = {}
        self._snapshot_key: tuple[int, int, int] | None = None
        self._journal_key: tuple[int, int, int] | None = None
        self.journal_end = 0
        """Offset just after the last valid journal line that ``tables`` includes."""
        self._groups = ArticleGroups()
        self._groups_due = False
        """True when ``_groups`` must be rebuilt before use (the tables were loaded or replaced)."""

    @property
    def groups(self) -> ArticleGroups:
        """The annotations of ``tables`` by article, kept in step with every change.

        Built when first asked for, not when the tables are loaded: until then the annotations
        may stay undecoded (a ``DeferredTable``), which spares commands that never use them."""
        if self._groups_due:
            self._groups.rebuild(self.tables)
            self._groups_due = False
        return self._groups

    def read(self) -> Tables:  # type: ignore[override]  # TinyDB only indexes, gets and iterates a table
        """The in-memory tables (TinyDB's view of the database; a table may be a ``DeferredTable``)."""
        return self.tables

    def write(self, data: Tables) -> None:  # type: ignore[override]  # as ``read``
        """Durably make ``data`` the whole database: new snapshot, then an empty journal."""
        write_atomic(self.path, encode_snapshot(data))
        self._snapshot_key = stat_key(self.path)
        write_atomic(self.journal, b"")
        self._journal_key = stat_key(self.journal)
        self.journal_end = 0
        if data is not self.tables:
            self._groups_due = True
        self.tables = data

    def close(self) -> None:
        """Nothing stays open between operations."""

    def prepare(self, ops: list[Op]) -> list[Op]:
        """The ops to write for a transaction of ``ops`` (here: the same; see ``SyncStorage``)."""
        return ops

    def compact(self) -> None:
        """Fold the journal into a new snapshot."""
        self.write(self.tables)

    def generation(self) -> object:
        """A value that changes whenever any process commits a write (compare with ``!=``)."""
        return (stat_key(self.path), stat_key(self.journal))

    @property
    def snapshot_size(self) -> int:
        """Size in bytes of the snapshot as last loaded or written."""
        return self._snapshot_key[1] if self._snapshot_key else 0

    def adopt(self, tables: Tables, batches: list[list[Op]], end: int, snapshot_key: tuple[int, int, int] | None) -> None:
        """Take ``tables`` (decoded from the snapshot) with the journal's ``batches`` (ending at ``end``) applied."""
        for ops in batches:
            apply_ops(tables, ops)
        self.tables, self.journal_end = tables, end
        self._groups_due = True
        self._snapshot_key = snapshot_key
        self._journal_key = stat_key(self.journal)

    def load_files(self) -> None:
        """Load snapshot and journal from disk; ``DamagedFile`` if either is damaged."""
        key = stat_key(self.path)
        data = read_optional(self.path)
        tables = decode_snapshot(data) if data is not None else {}
        scan = parse_journal(read_optional(self.journal) or b"")
        if scan.damaged:
            raise DamagedFile(f"its journal is unreadable at byte {scan.damaged[0].offset}")
        self.adopt(tables, scan.batches, scan.end, key)

    def changed_on_disk(self) -> bool:
        """True when another writer may have changed the files since we last looked (cheap)."""
        return stat_key(self.path) != self._snapshot_key or stat_key(self.journal) != self._journal_key

    def refresh(self) -> None:
        """Catch up with other processes' commits: replay new journal lines, or reload all."""
        snapshot_key, journal_key = stat_key(self.path), stat_key(self.journal)
        if snapshot_key != self._snapshot_key:
            return self.load_files()
        if journal_key == self._journal_key:
            return None
        old = self._journal_key
        if journal_key is None or old is None or journal_key[0] != old[0] or journal_key[1] < self.journal_end:
            return self.load_files()
        with open(self.journal, "rb") as stream:
            stream.seek(self.journal_end)
            scan = parse_journal(stream.read())
            if scan.damaged:
                raise DamagedFile(f"its journal is unreadable at byte {self.journal_end + scan.damaged[0].offset}")
            for ops in scan.batches:
                self._apply(ops)
            self.journal_end += scan.end
            self._journal_key = stat_key(self.journal)
        return None

    def unread_tail(self) -> bytes:
        """The bytes after the last complete journal line: a write another process never finished."""
        if self._journal_key is None or self._journal_key[1] <= self.journal_end:
            return b""
        with open(self.journal, "rb") as stream:
            stream.seek(self.journal_end)
            return stream.read()

    def _apply(self, ops: list[Op]) -> None:
        """Apply one transaction to the in-memory tables and their groups."""
        for op in ops:
            table, key, record = op
            if not self._groups_due:
                self._groups.change(table, key, self.tables.get(table, {}).get(key), record)
            apply_ops(self.tables, (op,))

    def append(self, line: bytes, ops: list[Op]) -> None:
        """Durably add one transaction, cutting off any torn tail first; then apply it in memory.

        On failure raises ``OSError`` with the journal cut back to its previous end.
        """
        created = not self.journal.exists()
        fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            try:
                if os.fstat(fd).st_size != self.journal_end:
                    os.ftruncate(fd, self.journal_end)
                os.lseek(fd, self.journal_end, os.SEEK_SET)
                write_all(fd, line)
                os.fsync(fd)
            except BaseException:
                try:
                    os.ftruncate(fd, self.journal_end)
                except OSError:
                    pass
                raise
            st = os.fstat(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.journal.parent)
        self._apply(ops)
        self.journal_end += len(line)
        self._journal_key = (st.st_ino, st.st_size, st.st_mtime_ns)
