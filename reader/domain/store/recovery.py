"""Opening the store's files safely: validation, damage recovery, backups and schema migrations.

A damaged file is never overwritten: it is copied aside byte for byte (``store_damage``) before
anything replaces it. A damaged snapshot is replaced by the newest good backup plus the journal;
a damaged journal costs only its unreadable lines. Backups live in ``<dir>/backups/`` (or the
folder the caller names: a store in a sync folder keeps them on the machine), one per day, the
newest seven kept. ``_meta.schema_version`` names the file's format; ``MIGRATIONS[n]``
turns version n into n + 1.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from reader.domain.store import damage
from reader.domain.store.snapshot import wants_relayout
from reader.domain.store.storage import (
    DamagedFile,
    JournalStorage,
    Op,
    Tables,
    apply_ops,
    decode_snapshot,
    encode_line,
    parse_journal,
    read_optional,
    stat_key,
    write_atomic,
)

KEEP_BACKUPS = 7
"""How many daily backups are kept."""

NATURAL_KEYS = {"annotations": "id", "reading": "article", "settings": "key", "subscriptions": "url"}
"""The field each table's records are keyed by (from schema 1 on)."""


def clock() -> datetime:
    """The current UTC time (a seam for tests)."""
    return datetime.now(timezone.utc)


def stamp(moment: datetime) -> str:
    """``YYYYmmddTHHMMSSZ`` for a UTC moment, as used in backup and ``.corrupt-`` names."""
    return moment.strftime("%Y%m%dT%H%M%SZ")


def iso(moment: datetime) -> str:
    """An ISO 8601 UTC time to the second, as findings record when they were made."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _migrate_0_to_1(tables: Tables) -> Tables:
    """Schema 0 (plain TinyDB: integer doc ids, no ``_meta``) to 1 (records keyed by natural key)."""
    result: Tables = {}
    for name, table in tables.items():
        field_name = NATURAL_KEYS.get(name)
        if field_name is None:
            result[name] = table
            continue
        rekeyed: dict[str, Any] = {}
        ordered = sorted(table.items(), key=lambda item: (not item[0].isdigit(), int(item[0]) if item[0].isdigit() else 0, item[0]))
        for old_key, record in ordered:
            if name == "annotations" and not record.get("id"):
                record = {**record, "id": str(uuid.uuid4())}
            value = record.get(field_name)
            rekeyed[str(value) if value is not None else old_key] = record
        result[name] = rekeyed
    return result


MIGRATIONS: list[Callable[[Tables], Tables]] = [_migrate_0_to_1]
"""Ordered migrations: ``MIGRATIONS[n]`` turns schema n into schema n + 1."""

CURRENT_VERSION = len(MIGRATIONS)


def schema_version(tables: Tables) -> int:
    """The schema version a file's tables declare (0 when there is no ``_meta``)."""
    record = tables.get("_meta", {}).get("schema_version")
    if record is None:
        return 0
    value = record.get("value")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DamagedFile("its schema version is not a number")
    return value


def migrate(tables: Tables) -> Tables:
    """``tables`` brought up to ``CURRENT_VERSION``; a current file comes back unchanged."""
    for version in range(schema_version(tables), CURRENT_VERSION):
        tables = MIGRATIONS[version](tables)
        tables.setdefault("_meta", {})["schema_version"] = {"key": "schema_version", "value": version + 1}
    return tables


@dataclass(frozen=True)
class Backup:
    """One backup: a copy of the snapshot and (maybe) of its journal, taken at ``taken``."""

    taken: datetime
    snapshot: Path
    journal: Path


def backup_dir(path: Path, folder: Path | None = None) -> Path:
    """The folder that holds the backups of the store at ``path``: ``folder`` when given."""
    return folder if folder is not None else path.parent / "backups"


def backups(path: Path, folder: Path | None = None) -> list[Backup]:
    """The backups of the store at ``path`` (kept in ``backup_dir(path, folder)``), newest first."""
    pattern = re.compile(rf"{re.escape(path.stem)}-(\d{{8}}T\d{{6}}Z)(-[\w.]+)?{re.escape(path.suffix)}")
    found = []
    where = backup_dir(path, folder)
    try:
        names = os.listdir(where)
    except FileNotFoundError:
        return []
    for name in names:
        match = pattern.fullmatch(name)
        if match:
            taken = datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            snapshot = where / name
            found.append(Backup(taken, snapshot, snapshot.with_name(name + ".journal")))
    return sorted(found, key=lambda b: (b.taken, b.snapshot.name), reverse=True)


def make_backup(path: Path, snapshot: bytes, journal: bytes, tag: str = "", folder: Path | None = None) -> Path:
    """Save a backup of the given file contents in ``backup_dir(path, folder)`` and keep only the
    newest ``KEEP_BACKUPS``."""
    where = backup_dir(path, folder)
    where.mkdir(parents=True, exist_ok=True)
    target = where / f"{path.stem}-{stamp(clock())}{tag}{path.suffix}"
    if journal:
        write_atomic(target.with_name(target.name + ".journal"), journal)
    write_atomic(target, snapshot)
    for old in backups(path, folder)[KEEP_BACKUPS:]:
        for file in (old.journal, old.snapshot):
            try:
                file.unlink()
            except FileNotFoundError:
                pass
    return target


def has_backup_on(path: Path, day: str, folder: Path | None = None) -> bool:
    """True when a backup of ``path`` was taken on ``day`` (``YYYYmmdd``, UTC)."""
    return any(stamp(b.taken).startswith(day) for b in backups(path, folder))


def remove_stale_temps(path: Path, folder: Path | None = None) -> None:
    """Delete temp files left by a process that died mid-save (call with the file lock held)."""
    here = (f".{path.name}.",)  # the snapshot's, the journal's and the copies kept aside
    for where, prefixes in ((path.parent, here), (backup_dir(path, folder), (f".{path.stem}-",))):
        try:
            names = os.listdir(where)
        except FileNotFoundError:
            continue
        for name in names:
            if name.startswith(prefixes) and ".tmp-" in name:
                try:
                    os.unlink(where / name)
                except OSError:
                    pass


def _load_backup(backup: Backup) -> Tables:
    tables = decode_snapshot(backup.snapshot.read_bytes())
    for ops in parse_journal(read_optional(backup.journal) or b"").batches:
        apply_ops(tables, ops)
    return migrate(tables)


def _restore(path: Path, reason: str, pending: list[list[Op]], folder: Path | None) -> tuple[Tables, str]:
    """The newest good backup (or nothing) plus ``pending`` journal changes, and what was restored."""
    tables: Tables | None = None
    for backup in backups(path, folder):
        try:
            tables = _load_backup(backup)
        except (OSError, DamagedFile):
            continue
        if schema_version(tables) > CURRENT_VERSION:
            tables = None
            continue
        detail = f"{reason}; restored the backup from {backup.taken:%Y-%m-%d %H:%M} UTC"
        break
    if tables is None:
        start = f"from the {len(pending)} changes saved since its last rewrite" if pending else "empty"
        tables, detail = {}, f"{reason}, and there is no good backup, so it starts {start}"
    for ops in pending:
        apply_ops(tables, ops)
    return migrate(tables), detail


@dataclass
class Opened:
    """What opening found: the loaded storage, messages for the user, and whether it is read-only."""

    storage: JournalStorage
    messages: list[str] = field(default_factory=list)
    read_only: bool = False


def _findings(tables: Tables, found: list[damage.Damage], messages: list[str]) -> list[Op]:
    """Record the new findings in ``found`` and say what needs saying; the ops still to save.

    Every unacknowledged finding is told; a torn write is told once, so it is recorded (or
    marked) as acknowledged. A finding recorded already (by an open that crashed before it
    finished) is not recorded twice.
    """
    known = {d.key for d in damage.recorded(tables)}
    ops = [damage.record_op(d) for d in found if d.key not in known]
    apply_ops(tables, ops)
    fresh = {d.key for d in found} - known
    for finding in damage.recorded(tables):
        if finding.acknowledged is None or finding.key in fresh:
            messages.append(finding.message())
    told = [op for op in damage.acknowledge_ops(tables, iso(clock())) if op[2] and op[2].get("kind") == "torn"]
    apply_ops(tables, told)
    return ops + told


def open_storage(path: Path, backup_folder: Path | None = None) -> Opened:
    """Load, validate, recover and migrate the store at ``path`` (call with the file lock held);
    its backups are in ``backup_dir(path, backup_folder)``."""
    storage = JournalStorage(path)
    opened = Opened(storage)
    remove_stale_temps(path, backup_folder)
    key, data = stat_key(path), read_optional(path)
    journal = read_optional(storage.journal) or b""
    try:
        tables = decode_snapshot(data) if data is not None else None
        version = schema_version(tables) if tables is not None else CURRENT_VERSION
    except DamagedFile as error:
        tables, version, snapshot_damage = None, CURRENT_VERSION, str(error)
    else:
        snapshot_damage = ""
    scan = parse_journal(journal)
    if version > CURRENT_VERSION:
        opened.read_only = True
        opened.messages.append(
            f"The notes file was written by a newer version of reader (schema {version}): it is open read-only, "
            "so bookmarks, notes and read marks made now are not saved."
        )
        if scan.damaged:
            opened.messages.append(f"Some recent changes could not be read: the journal is unreadable at byte {scan.damaged[0].offset}.")
        storage.adopt(tables or {}, scan.batches, scan.end, key)
        return opened
    now = clock()
    found: list[damage.Damage] = []
    if scan.damaged:
        found.append(damage.journal_damage(storage.journal, journal, scan, iso(now), stamp(now)))
    if scan.torn:
        tail = journal[scan.torn.offset :]
        found.append(damage.torn_damage(storage.journal, tail, scan.torn.offset, iso(now), stamp(now), told=True))
    rewrite = bool(scan.damaged or snapshot_damage) or tables is None or version < CURRENT_VERSION
    if snapshot_damage:
        tables, detail = _restore(path, snapshot_damage, scan.batches, backup_folder)
        found.append(damage.snapshot_damage(path, data or b"", detail, iso(now), stamp(now)))
    elif tables is None:
        tables = migrate({})
        for ops in scan.batches:
            apply_ops(tables, ops)
    else:
        for ops in scan.batches:
            apply_ops(tables, ops)
        if version < CURRENT_VERSION:
            target = make_backup(path, data or b"", journal, f"-v{version}", backup_folder)
            tables = migrate(tables)
            opened.messages.append(
                f"Upgraded the notes file from schema {version} to {CURRENT_VERSION}; the old file is backed up as {target}."
            )
    ops = _findings(tables, found, opened.messages)
    if rewrite:  # the damaged bytes leave the live files in the same replace that records them
        storage.write(tables)
        return opened
    storage.adopt(tables, [], scan.end, key)
    if ops:  # cuts off a torn tail (kept aside above) in the same append that records it
        try:
            storage.append(encode_line(ops), ops)
        except OSError as error:
            opened.messages.append(f"Could not record this in the notes file: {error.strerror or error}.")
    elif wants_relayout(data, tables):  # once: later opens read it a record at a time, the annotations when used
        try:
            storage.write(storage.tables)
        except OSError:
            pass  # the old layout still reads; the next compaction tries again
    return opened
