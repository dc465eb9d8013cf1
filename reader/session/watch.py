"""Noticing what other processes changed: the store (a CLI command, another copy of reader) and
the library's folders (a file saved there, ``reader fetch`` in another shell).

A folder's modification time changes when a file is added, removed or renamed in it, so the
watch stats the folders it knows (a few hundred at most, never the articles themselves) and
walks the tree again only when one of them changed.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from reader.services import Services

Stamp = tuple[int, int] | None
"""A path's (modification time, size), or ``None`` when it does not exist."""


def _stamp(path: str) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def _folders(root: str) -> list[str]:
    """``root`` and every folder under it (hidden ones passed over, as the library does)."""
    found = [root]
    stack = [root]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                        found.append(entry.path)
                        stack.append(entry.path)
        except OSError:
            continue
    return found


class FolderWatch:
    """The modification times of the library's folders (and of a root that is a single file)."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self._roots = [str(root) for root in roots]
        self._stamps: dict[str, Stamp] = {}

    def take(self) -> None:
        """Remember how every folder is now."""
        stamps: dict[str, Stamp] = {}
        for root in self._roots:
            for path in _folders(root) if os.path.isdir(root) else [root]:
                stamps[path] = _stamp(path)
        self._stamps = stamps

    def changed(self) -> bool:
        """Whether a known folder changed (or appeared) since ``take``; if so, ``take`` again."""
        if any(_stamp(path) != stamp for path, stamp in self._stamps.items()):
            self.take()
            return True
        return False


@dataclass(frozen=True)
class Changes:
    """What changed elsewhere since the last look."""

    store: bool = False
    library: bool = False

    def __bool__(self) -> bool:
        return self.store or self.library


class Watch:
    """Looks, when asked, whether the store or the library's folders changed since the last look."""

    def __init__(self, services: "Services") -> None:
        self._services = services
        self._folders = FolderWatch(())
        self._folders_taken = False
        self._generation: object = None
        self._started = False

    @property
    def generation(self) -> object:
        """The store's generation at the last look (``None`` before ``start``)."""
        return self._generation

    async def start(self) -> None:
        """Take the starting point: nothing before this counts as a change (in the folders: nothing
        before the scan, when this process scanned before it started)."""
        if not self._folders_taken:
            await self._take_folders()
        store = await asyncio.to_thread(lambda: self._services.store)
        self._generation = await asyncio.to_thread(store.generation)
        self._started = True

    async def look(self) -> Changes:
        """What changed since the last look (nothing before ``start``)."""
        if not self._started:
            return Changes()
        store = self._services.store
        generation = await asyncio.to_thread(store.generation)
        store_changed = generation != self._generation
        self._generation = generation
        return Changes(store=store_changed, library=await asyncio.to_thread(self._folders.changed))

    async def seen_own_scan(self) -> None:
        """This process is about to scan the library itself: its folders count as seen."""
        await self._take_folders()

    async def _take_folders(self) -> None:
        self._folders = FolderWatch(root.path for root in self._services.library.roots)
        await asyncio.to_thread(self._folders.take)
        self._folders_taken = True
