"""Opening the store in a sync folder: this machine's files, then everyone's, then (once) the
records of the machine's local notes file, so turning sync on loses nothing."""

from __future__ import annotations

from pathlib import Path

from reader.domain.store import merge, recovery
from reader.domain.store.journal_scan import Op
from reader.domain.store.storage import encode_line, journal_path
from reader.domain.store.sync_files import SNAPSHOT, machine_dir
from reader.domain.store.sync_storage import SyncStorage


def own_file(sync_dir: Path, machine: str) -> Path:
    """This machine's snapshot in the sync folder."""
    return machine_dir(sync_dir, machine) / SNAPSHOT


def backup_folder(local_file: Path) -> Path:
    """Where this machine keeps the backups of its files in the sync folder: beside its local
    notes file, so that a sync engine does not carry them to every machine."""
    return recovery.backup_dir(local_file) / "sync"


def open_synced(own: Path, sync_dir: Path, machine: str, local_file: Path) -> recovery.Opened:
    """Open (call with the lock held) the merged store; the first open copies in the local notes
    file's records that the sync folder does not have yet."""
    first = not own.exists() and not journal_path(own).exists()
    opened = recovery.open_storage(own, backup_folder(local_file))
    storage = SyncStorage(opened.storage, sync_dir, machine)
    if first and local_file.exists() and not opened.read_only:
        local = recovery.open_storage(local_file)
        opened.messages += local.messages
        ops: list[Op] = [(table, key, record) for table, rows in local.storage.tables.items()
                         if table not in merge.LOCAL_TABLES for key, record in rows.items()
                         if key not in storage.tables.get(table, {})]
        if ops:
            written = storage.prepare(ops)
            storage.append(encode_line(written), written)
            opened.messages.append(f"Copied {len(ops)} records from {local_file} into the sync folder {sync_dir}.")
    return recovery.Opened(storage, opened.messages, opened.read_only)  # type: ignore[arg-type]
