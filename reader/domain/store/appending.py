"""Adding one annotation without loading the store: one journal line, appended under the lock.

A command that writes one new annotation (``reader bookmark``) needs none of the others, and
decoding 100,000 records to check one fresh id costs most of a second. Here the journal is read
whole (it is folded into the snapshot once it grows), the snapshot only where it must be: its
small tables ``_meta`` and ``_damage``, and a byte search for the new id among the annotations'
keys. The line appended is the one ``Store.add`` writes, so every reader of the store replays it
as usual, and a snapshot found damaged later is restored from a backup with this line on top.

Whenever the full open has something to do — no snapshot yet, another layout, an older or newer
schema, damage or a torn write in the journal, a finding not yet acknowledged (it is told on
every open), a journal due for compaction — ``append_annotation`` returns ``False`` without
writing and the caller opens the store as usual, which does it.
"""

from __future__ import annotations

import json
import mmap
from pathlib import Path
from typing import Any

from reader.domain.annotations.model import Annotation
from reader.domain.durable import LockTimeout, file_lock
from reader.domain.store import damage, recovery
from reader.domain.store.snapshot import encode_json
from reader.domain.store.storage import DamagedFile, JournalStorage, Tables, apply_ops, encode_line, parse_journal, read_optional
from reader.domain.store.database import COMPACT_MIN_BYTES, LOCK_TIMEOUT, StoreError

SMALL_TABLES = ("_meta", damage.TABLE)
"""The snapshot's tables read here (the few records opening looks at before any write)."""
ANNOTATIONS = "annotations"


def append_annotation(path: Path, annotation: Annotation) -> bool:
    """Durably save a new annotation in the store at ``path`` if that needs no full open.

    True when it is saved; ``False`` when nothing was written and ``Store.open(path).add`` must
    do it. ``StoreError`` when an annotation with its id exists or the files cannot be written.
    """
    path = Path(path)
    try:
        with file_lock(path, LOCK_TIMEOUT, poll_interval=0.002):
            return _append_locked(path, annotation)
    except LockTimeout:
        raise StoreError(f"Another reader process kept {path} locked for {LOCK_TIMEOUT:.0f} seconds.") from None
    except OSError as error:
        raise StoreError(f"Could not save to {path}: {error.strerror or error}.") from error


def _append_locked(path: Path, annotation: Annotation) -> bool:
    storage = JournalStorage(path)
    journal = read_optional(storage.journal) or b""
    scan = parse_journal(journal)
    if scan.damaged or scan.torn:
        return False
    try:
        with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as snapshot:
            tables = named_tables(snapshot, SMALL_TABLES)
            if tables is None:
                return False
            exists = has_annotation(snapshot, annotation.id)
            if exists is None:
                return False
            snapshot_size = len(snapshot)
    except (FileNotFoundError, ValueError):  # no snapshot yet, or an empty one (mmap refuses it)
        return False
    for ops in scan.batches:
        apply_ops(tables, [op for op in ops if op[0] in SMALL_TABLES])
        exists = next((record is not None for table, key, record in reversed(ops)
                       if table == ANNOTATIONS and key == annotation.id), exists)
    try:
        if recovery.schema_version(tables) != recovery.CURRENT_VERSION:
            return False
    except DamagedFile:
        return False
    if any(finding.acknowledged is None for finding in damage.recorded(tables)):
        return False
    if exists:
        raise StoreError("An annotation with this id already exists.")
    ops = [(ANNOTATIONS, annotation.id, annotation.to_record())]
    line = encode_line(ops)
    if scan.end + len(line) > max(COMPACT_MIN_BYTES, snapshot_size // 2):
        return False  # the full store folds the journal into the snapshot after this write
    if not _backed_up_today(path, journal[: scan.end]):
        return False
    storage.journal_end = scan.end
    storage.append(line, ops)
    return True


def _backed_up_today(path: Path, journal: bytes) -> bool:
    """Make today's backup unless there is one (as the store's first write of a day does)."""
    day = recovery.clock().strftime("%Y%m%d")
    if recovery.has_backup_on(path, day):
        return True
    try:
        recovery.make_backup(path, path.read_bytes(), journal)
    except OSError:
        return False  # the full store says so and writes anyway
    return True


def named_tables(snapshot: mmap.mmap | bytes, names: tuple[str, ...]) -> Tables | None:
    """The tables ``names`` of a snapshot in ``encode_snapshot``'s layout (absent ones left out);
    ``None`` when it is in another layout or what is found there does not decode.

    A table starts at a line ``"name":{`` (a record's line ends ``}`` or ``},``: no line of JSON
    text holds a raw newline) and ends at the next line starting ``}`` (record lines start with
    their key's quote). Each is found by searching for its whole first line, which is quick;
    a name a damaged file holds twice is read where it first occurs.
    """
    if snapshot[:2] != b"{\n":
        return None
    tables: Tables = {}
    for name in names:
        line = snapshot.find(b"\n" + encode_json(name) + b":{\n")
        if line >= 0 and _table(snapshot, snapshot.find(b":{\n", line), names, tables) != name:
            return None
    return tables


def has_annotation(snapshot: mmap.mmap | bytes, key: str) -> bool | None:
    """Whether the snapshot's annotations table has a record under ``key`` (``None``: another layout)."""
    line = b"\n" + encode_json(key) + b":{"
    if snapshot.find(line) < 0:
        return False  # under no table at all: the one quick search that nearly always answers
    found = snapshot_tables(snapshot, ())
    if found is None:
        return None
    return snapshot.find(line, *found[1]) >= 0


def snapshot_tables(snapshot: mmap.mmap | bytes, names: tuple[str, ...]) -> tuple[Tables, tuple[int, int]] | None:
    """The tables ``names`` of a snapshot in ``encode_snapshot``'s layout (absent ones left out),
    and the byte range of its annotations table's records (empty if it has none); ``None`` for
    another layout. Reads every table's first and last line (see ``named_tables``)."""
    if snapshot[:2] != b"{\n":
        return None
    tables: Tables = {}
    keys = (0, 0)
    pos = 2
    while (head := snapshot.find(b":{\n", pos)) >= 0:
        name = _table(snapshot, head, names, tables)
        close = snapshot.find(b"\n}", head)
        if name is None or close < 0:
            return None
        if name == ANNOTATIONS:
            keys = (head + 2, close + 1)
        pos = close + 2
    return tables, keys


def _table(snapshot: mmap.mmap | bytes, head: int, names: tuple[str, ...], tables: Tables) -> str | None:
    """The name of the table whose ``"name":{`` line ends at ``head``, decoded into ``tables`` if
    it is one of ``names``; ``None`` when the bytes there are not what they should be."""
    start = snapshot.rfind(b"\n", 0, head) + 1
    try:
        name = json.loads(snapshot[start:head])
        if not isinstance(name, str):
            return None
        if name in names:
            close = snapshot.find(b"\n}", head)
            table: Any = json.loads(b"{" + snapshot[start:close + 2] + b"}")[name]
            if close < 0 or not isinstance(table, dict):
                return None
            tables[name] = table
    except (ValueError, UnicodeDecodeError):
        return None
    return name
