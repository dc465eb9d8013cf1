"""The two layouts of the store's files, for the durability tests that must hold on both.

``local``: one notes file, ``<root>/reader.json`` (and its journal). ``sync``: this machine's
files in a sync folder, ``<root>/sync/machines/<machine>/reader.json``, merged with every other
machine's there; the lock and the backups stay in ``<root>/<machine>/`` (machine-local). A test
names the store by its own snapshot (``layout.file(root)``) and opens it with ``layout.open``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.domain.store import recovery, sync_opening
from reader.domain.store.store import Store
from reader.domain.store.sync_files import machine_dir

MACHINE = "desk"


@dataclass(frozen=True)
class Layout:
    """Where the store's files are, and how a process opens them."""

    name: str

    @property
    def synced(self) -> bool:
        """True for the sync-folder layout."""
        return self.name == "sync"

    def file(self, root: Path, machine: str = MACHINE) -> Path:
        """The snapshot that ``machine``'s store writes under ``root``."""
        if not self.synced:
            return root / "reader.json"
        return machine_dir(root / "sync", machine) / "reader.json"

    def local_file(self, path: Path) -> Path:
        """The machine-local notes file beside which the lock (and backups) of ``path`` live."""
        if not self.synced:
            return path
        return path.parents[3] / path.parent.name / "reader.json"

    def open(self, path: Path) -> Store:
        """Open the store whose own snapshot is ``path``."""
        if not self.synced:
            return Store.open(path)
        return Store.open_synced(path.parents[2], path.parent.name, self.local_file(path))

    def other(self, path: Path) -> Path:
        """The snapshot of a second writer: on ``local``, the same file (a second process);
        on ``sync``, another machine's own file in the same sync folder."""
        if not self.synced:
            return path
        return path.parents[1] / "laptop" / "reader.json"

    def backups(self, path: Path) -> Path:
        """The folder of the day's backups of the store at ``path``."""
        if not self.synced:
            return recovery.backup_dir(path)
        return sync_opening.backup_folder(self.local_file(path))


LAYOUTS = [Layout("local"), Layout("sync")]


@pytest.fixture(params=LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def layout(request: pytest.FixtureRequest) -> Layout:
    """Each durability test runs on both layouts."""
    return request.param
