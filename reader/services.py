"""The services a command or the app works with, built once from the command line."""

from __future__ import annotations

import socket
import threading
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from reader.config import Paths, Settings, bundled_dir
from reader.domain.articles.index import MetadataIndex
from reader.domain.articles.library import SYNCED, Library, Listing, default_roots, named_root

if TYPE_CHECKING:
    from reader.domain.annotations.model import Annotation
    from reader.domain.store.store import Store

FIRST_LISTING = 200
"""How many of the newest articles the first screen shows before the rest of the index is read."""


@dataclass
class Services:
    """Paths, settings, the library and (opened on first use) the store.

    Paths named on the command line replace the default library (seeds and the user's folder).
    """

    paths: Paths
    settings: Settings
    extra_paths: list[Path] = field(default_factory=list)
    on_store_opened: "Callable[[Store], None] | None" = None
    """Called once with the store just opened (the CLI prints its messages on stderr)."""
    first_listing: "Future[Listing] | None" = None
    """The newest articles the index knows, being read since ``read_first_listing`` (``None`` before)."""
    _library: Library | None = None
    _store: "Store | None" = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _library_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def library(self) -> Library:
        """The library: bundled seeds (unless turned off), the user's folder, named paths."""
        with self._library_lock:  # the first listing's thread may be building it
            if self._library is None:
                if self.extra_paths:
                    roots = [named_root(path) for path in self.extra_paths]
                else:
                    seeds = bundled_dir("seeds") if self.settings.include_seeds else None
                    synced = self.own_articles[0] if self.settings.sync_dir is not None else None
                    roots = default_roots(seeds, self.paths.articles_dir, list(self.settings.library), synced)
                self._library = Library(roots, MetadataIndex(self.paths.cache_dir / "index.sqlite3"))
            return self._library

    def read_first_listing(self) -> None:
        """Start reading the newest ``FIRST_LISTING`` articles from the index in a thread, so the
        app's first screen has them without waiting for its own modules to load first."""
        future: Future[Listing] = Future()

        def read() -> None:
            try:
                future.set_result(self.library.cached(FIRST_LISTING))
            except BaseException as error:  # raised again where the app awaits it
                future.set_exception(error)

        self.first_listing = future
        threading.Thread(target=read, name="first listing", daemon=True).start()

    @property
    def own_articles(self) -> tuple[Path, str]:
        """The folder where the user's own articles and saved pages go, and its root's label:
        ``<sync dir>/articles`` when there is a sync folder (they follow the user), else the
        library folder (feeds' articles stay in the library folder: each machine fetches them)."""
        if self.settings.sync_dir is not None:
            return self.settings.sync_dir / "articles", SYNCED
        return self.paths.articles_dir, "library"

    @property
    def store(self) -> "Store":
        """The TinyDB store of annotations, reading state and settings."""
        with self._lock:  # the app opens it in a worker while other workers may ask for it
            if self._store is None:
                from reader.domain.store.store import Store

                if self.settings.sync_dir is not None:
                    machine = machine_id(self.paths.machine_id_file)
                    self._store = Store.open_synced(self.settings.sync_dir, machine, self.paths.store_file)
                else:
                    self._store = Store.open(self.paths.store_file)
                if self.on_store_opened is not None:
                    self.on_store_opened(self._store)
            return self._store

    def add_annotation(self, annotation: "Annotation") -> None:
        """Save a new annotation; before the store is open, without loading it when it can (a CLI write)."""
        with self._lock:
            quick = self._store is None and self.settings.sync_dir is None
        if quick:
            from reader.domain.store.appending import append_annotation

            if append_annotation(self.paths.store_file, annotation):
                return
        self.store.add(annotation)

    @property
    def opened_store(self) -> "Store | None":
        """The store if something opened it already (this never opens it)."""
        return self._store

    def close(self) -> None:
        """Close what was opened."""
        if self._store is not None:
            self._store.close()
        if self._library is not None:
            self._library.index.close()


def machine_id(path: Path) -> str:
    """This machine's id in the sync folder, made once (host name + random part) and kept in ``path``."""
    from reader.domain.store.storage import write_atomic  # the store's modules load on first use

    try:
        found = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        found = ""
    if found and all(c.isalnum() or c in "-_" for c in found):
        return found
    host = "".join(c if c.isalnum() or c == "-" else "-" for c in socket.gethostname())[:24].strip("-") or "machine"
    made = f"{host}-{uuid.uuid4().hex[:8]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, made.encode("ascii") + b"\n")
    return made
