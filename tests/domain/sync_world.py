"""Machines of one user, each with its own sync folder, and a 'sync engine' that copies files.

``Machine.push(other)`` copies this machine's own files into the other's folder (as Syncthing
would); ``deliver`` puts any bytes under any name there (a conflict copy, a torn file).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.domain.store.store import Store
from reader.domain.store.sync_files import machine_dir


class Machine:
    """One machine: a local data folder and a sync folder, with a Store opened on them."""

    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.sync_dir = root / name / "sync"
        self.local = root / name / "data" / "reader.json"
        self.store = Store.open_synced(self.sync_dir, name, self.local)

    def own_files(self) -> dict[str, bytes]:
        """The bytes of this machine's own files, by name."""
        folder = machine_dir(self.sync_dir, self.name)
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("reader")}

    def deliver(self, machine: str, name: str, data: bytes) -> None:
        """Put a file of ``machine`` into this machine's sync folder, as a sync engine would."""
        folder = machine_dir(self.sync_dir, machine)
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".syncthing.{name}.tmp"
        temp.write_bytes(data)
        temp.replace(folder / name)

    def push(self, other: "Machine") -> None:
        """Copy this machine's own files to ``other``."""
        for name, data in self.own_files().items():
            other.deliver(self.name, name, data)

    def reopen(self) -> None:
        """Close and open the store again (a restart)."""
        self.store.close()
        self.store = Store.open_synced(self.sync_dir, self.name, self.local)

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def wipe(root: Path) -> None:
    """Remove every machine's folders."""
    shutil.rmtree(root, ignore_errors=True)
