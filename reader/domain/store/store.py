"""The store: annotations, reading state, settings and subscriptions, safe across processes.

This is the only place that uses TinyDB, as the in-memory query layer over ``JournalStorage``.
Every write holds a thread lock and the file lock across the whole read-modify-write, catches
up with other processes' commits first, and is durable when the call returns.
"""

from __future__ import annotations

import copy
import threading
from contextlib import AbstractContextManager, contextmanager
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from tinydb import TinyDB
from tinydb.table import Table

from reader.collector import paused
from reader.domain.durable import LockTimeout, file_lock
from reader.domain.store import article_tags as tag_table
from reader.domain.store import damage as store_damage
from reader.domain.store import recovery
from reader.domain.annotations.model import Annotation, utc_now
from reader.domain.store.annotation_index import matches
from reader.domain.store import sync_opening
from reader.domain.store.storage import DamagedFile, JournalStorage, Op, Tables, encode_line, read_optional
from reader.domain.store.sync_storage import SyncStorage

LOCK_TIMEOUT = 30.0
"""Seconds to wait for another process's write before giving up."""

COMPACT_MIN_BYTES = 1 << 20
"""The journal is folded into the snapshot once it exceeds this and half the snapshot's size."""

SUBSCRIPTION_DEFAULTS: dict[str, Any] = {
    "title": "", "tags": [], "etag": None, "modified": None, "last_fetch": None, "error": None,
}


class StoreError(Exception):
    """A user-facing failure (one clear sentence in ``str(error)``)."""


def _file_lock(path: Path) -> AbstractContextManager[object]:
    """The lock every process holds while it reads or writes the files of the store at ``path``."""
    return file_lock(path, LOCK_TIMEOUT, poll_interval=0.002)


class _KeyedTable(Table):
    """A TinyDB table whose document ids are our natural keys (UUIDs, article ids, urls)."""

    document_id_class = str  # type: ignore[assignment]


class _KeyedDB(TinyDB):
    table_class = _KeyedTable


class Store:
    """The user's data in one TinyDB file (plus its journal), shared by the app and CLI commands."""

    def __init__(self, path: Path, opened: recovery.Opened, lock: Path | None = None) -> None:
        self.path = path
        self.messages: list[str] = opened.messages
        self.read_only: bool = opened.read_only
        self._storage: JournalStorage | SyncStorage = opened.storage
        self._db = _KeyedDB(storage=lambda: opened.storage)
        self._mutex = threading.Lock()
        self._file_lock = _file_lock(lock or path)
        self._backup_day = ""
        self._compact_after = 0

    @classmethod
    def open(cls, path: Path) -> "Store":
        """Open (or create) the store at ``path``; validates, recovers and migrates as needed."""
        path = Path(path)
        return cls._opening(path, path, lambda: cls(path, recovery.open_storage(path)))

    @classmethod
    def open_synced(cls, sync_dir: Path, machine: str, local_file: Path) -> "Store":
        """Open this machine's files in the sync folder ``sync_dir``, merged with every other
        machine's there; the lock stays beside ``local_file`` (machine-local), whose records
        seed this machine's first open."""
        own = sync_opening.own_file(Path(sync_dir), machine)
        local_file = Path(local_file)
        own.parent.mkdir(parents=True, exist_ok=True)
        return cls._opening(own, local_file, lambda: cls(
            own, sync_opening.open_synced(own, Path(sync_dir), machine, local_file), lock=local_file))

    @classmethod
    def _opening(cls, path: Path, lock: Path, opener: Callable[[], "Store"]) -> "Store":
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

    def __enter__(self) -> "Store":
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
            if not recovery.has_backup_on(self.path, day):
                journal = read_optional(self._storage.journal) or b""
                recovery.make_backup(self.path, self.path.read_bytes(), journal[: self._storage.journal_end])
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

    # -- annotations ------------------------------------------------------------------------

    def add(self, annotation: Annotation) -> Annotation:
        """Save a new annotation; ``StoreError`` if one with its id already exists."""
        record = annotation.to_record()

        def plan(tables: Tables) -> list[Op]:
            if annotation.id in tables.get("annotations", {}):
                raise StoreError("An annotation with this id already exists.")
            return [("annotations", annotation.id, record)]

        self._commit(plan)
        return annotation

    def put(self, annotation: Annotation, absorbed: Mapping[str, str] | None = None) -> Annotation:
        """Save an annotation, replacing any with the same id, except its stored review schedule.

        (``set_reviews`` changes that, so saving a copy read before a review keeps the review.)
        ``absorbed`` maps the ids of annotations merged into this one to the note text each had
        when merged; they are deleted in the same transaction, except one whose note changed since.
        """
        record = annotation.to_record()
        record.pop("review", None)
        merged = dict(absorbed or {})

        def plan(tables: Tables) -> list[Op]:
            existing = tables.get("annotations", {})
            old = existing.get(annotation.id)
            saved = {**record, "review": old["review"]} if old is not None and "review" in old else record
            gone: list[Op] = [("annotations", key, None) for key, note in merged.items()
                              if key != annotation.id and key in existing and existing[key].get("note", "") == note]
            return [("annotations", annotation.id, saved), *gone]

        self._commit(plan)
        return annotation

    def get(self, annotation_id: str) -> Annotation | None:
        """The annotation with this id, or ``None``."""
        record = self._record("annotations", annotation_id)
        return _annotation(record) if record is not None else None

    def delete(self, annotation_id: str) -> Annotation | None:
        """Delete an annotation; returns what was deleted (for undo), or ``None`` if absent."""
        found: list[dict[str, Any]] = []

        def plan(tables: Tables) -> list[Op]:
            record = tables.get("annotations", {}).get(annotation_id)
            if record is None:
                return []
            found.append(copy.deepcopy(record))
            return [("annotations", annotation_id, None)]

        self._commit(plan)
        return _annotation(found[0]) if found else None

    def set_reviews(self, schedules: Mapping[str, Mapping[str, Any]]) -> int:
        """Store review schedules by annotation id, in one transaction; returns how many were stored.

        Nothing else in the records changes; ids no longer stored are skipped."""
        changes = copy.deepcopy({key: dict(value) for key, value in schedules.items()})

        def plan(tables: Tables) -> list[Op]:
            existing = tables.get("annotations", {})
            return [("annotations", key, {**existing[key], "review": value})
                    for key, value in changes.items() if key in existing]

        return len(self._commit(plan))

    def ids_starting(self, prefix: str) -> list[str]:
        """The ids of the annotations that begin with ``prefix`` (for the short ids scripts are shown)."""
        with self._reading() as tables:
            return [key for key in tables.get("annotations", {}) if key.startswith(prefix)]

    def annotations(self, article: str | None = None) -> list[Annotation]:
        """All annotations, or those on ``article``, newest ``created`` first."""
        with self._reading() as tables:
            if article is not None:
                records = self._storage.groups.records(article)
            else:
                records = list(tables.get("annotations", {}).values())
        return _annotations(records)

    def annotation_counts(self) -> dict[str, int]:
        """How many annotations each article has (for the sidebar), without building them."""
        with self._reading():
            return self._storage.groups.counts()

    def articles_with_notes(self, query: str) -> set[str]:
        """Ids of articles with an annotation whose note, quote or title contains ``query``."""
        needle = query.casefold()
        if not needle:
            return set()
        with self._reading():
            return self._storage.groups.articles_matching(needle)

    def search_notes(self, query: str) -> list[Annotation]:
        """Annotations whose note, quote or title contains ``query`` (case-insensitive)."""
        needle = query.casefold()
        if not needle:
            return []
        with self._reading():
            groups = self._storage.groups
            records = [r for article in groups.articles_matching(needle) for r in groups.records(article) if matches(r, needle)]
        return _annotations(records)

    def import_annotations(self, items: Iterable[Annotation]) -> int:
        """Merge annotations by id in one transaction; returns how many were new.

        An existing annotation is replaced only by a copy with a later ``updated``.
        """
        incoming = {a.id: a.to_record() for a in items}
        new = 0

        def plan(tables: Tables) -> list[Op]:
            nonlocal new
            existing = tables.get("annotations", {})
            ops: list[Op] = []
            for key, record in incoming.items():
                old = existing.get(key)
                if old is None:
                    new += 1
                    ops.append(("annotations", key, record))
                elif str(record.get("updated", "")) > str(old.get("updated", "")):
                    ops.append(("annotations", key, {**old, **record}))
            return ops

        self._commit(plan)
        return new

    # -- reading state ----------------------------------------------------------------------

    def reading_state(self, article: str) -> dict[str, Any] | None:
        """``{"article", "read", "anchor", "opened"}`` for an article, or ``None`` if never opened."""
        return self._record("reading", article)

    def set_reading_state(self, article: str, *, read: bool = True, anchor: dict[str, Any] | None = None) -> None:
        """Record that ``article`` was opened; ``anchor=None`` keeps the anchor already stored."""

        def plan(tables: Tables) -> list[Op]:
            old = tables.get("reading", {}).get(article, {})
            keep = anchor if anchor is not None else old.get("anchor")
            now = utc_now()
            record = {**old, "article": article, "read": read, "anchor": keep, "opened": now,
                      "changed": now if old.get("read") != read else old.get("changed", old.get("opened", now))}
            return [("reading", article, record)]

        self._commit(plan)

    def set_read(self, article: str, read: bool) -> None:
        """Mark ``article`` read or unread (``reader mark``, a sync) without recording an opening."""

        def plan(tables: Tables) -> list[Op]:
            old = tables.get("reading", {}).get(article, {})
            if old and old.get("read") == read:
                return []
            return [("reading", article, {"anchor": None, **old, "article": article, "read": read, "changed": utc_now()})]

        self._commit(plan)

    def read_articles(self) -> set[str]:
        """The ids of the articles marked read."""
        with self._reading() as tables:
            return {key for key, record in tables.get("reading", {}).items() if record.get("read")}

    def set_starred(self, article: str, starred: bool) -> None:
        """Star or unstar ``article``; kept in the ``starred`` table with the time of the change."""

        def plan(tables: Tables) -> list[Op]:
            old = tables.get("starred", {}).get(article, {})
            if old and old.get("starred") == starred:
                return []
            return [("starred", article, {"article": article, "starred": starred, "changed": utc_now()})]

        self._commit(plan)

    def starred_articles(self) -> set[str]:
        """The ids of the starred articles."""
        with self._reading() as tables:
            return {key for key, record in tables.get("starred", {}).items() if record.get("starred")}

    # -- transactions for the store's other tables (accounts) -----------------------------

    def read_tables(self, *names: str) -> dict[str, dict[str, dict[str, Any]]]:
        """Copies of whole tables, read at one moment (for modules that keep tables here)."""
        with self._reading() as tables:
            return {name: copy.deepcopy(tables.get(name, {})) for name in names}

    def transact(self, plan: Callable[[Tables], list[Op]]) -> list[Op]:
        """Run ``plan`` on fresh tables and commit the ops it returns durably, as one transaction
        (the same path every write above takes); ``plan`` may raise to commit nothing."""
        return self._commit(plan)

    # -- article tags -----------------------------------------------------------------------

    def article_tags(self) -> dict[str, tuple[str, ...]]:
        """The tags of every tagged article, by article id."""
        return tag_table.tags_by_article(self._records(tag_table.TABLE))

    def tags_of(self, article: str) -> tuple[str, ...]:
        """One article's own tags (without reading every tagged article's)."""
        record = self._record(tag_table.TABLE, article)
        return tag_table.tags_by_article([record]).get(article, ()) if record is not None else ()

    def set_article_tags(self, article: str, change: Callable[[tuple[str, ...]], tuple[str, ...]]) -> tuple[str, ...]:
        """Replace an article's tags by ``change(old tags)``, in one transaction; returns the new tags."""
        done: list[tuple[str, ...]] = []

        def plan(tables: Tables) -> list[Op]:
            old = tables.get(tag_table.TABLE, {}).get(article)
            record, tags = tag_table.changed(old, article, change, utc_now())
            done.append(tags)
            return [(tag_table.TABLE, article, record)] if record is not None or old is not None else []

        self._commit(plan)
        return done[-1]

    # -- settings ---------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        """A saved setting, or ``default``."""
        record = self._record("settings", key)
        return record.get("value", default) if record is not None else default

    def set_setting(self, key: str, value: Any) -> None:
        """Save a setting (any JSON value)."""
        value = copy.deepcopy(value)
        self._commit(lambda tables: [("settings", key, {**tables.get("settings", {}).get(key, {}), "key": key, "value": value})])

    # -- subscriptions ----------------------------------------------------------------------

    def subscriptions(self) -> list[dict[str, Any]]:
        """Every feed subscription, in the order they were first added."""
        return self._records("subscriptions")

    def put_subscription(self, sub: dict[str, Any]) -> None:
        """Add or update the subscription keyed by ``sub["url"]``; keys not given are kept."""
        url = sub.get("url")
        if not isinstance(url, str) or not url:
            raise StoreError("A subscription needs a url.")
        sub = copy.deepcopy(sub)
        self._commit(lambda tables: [("subscriptions", url, {**SUBSCRIPTION_DEFAULTS, **tables.get("subscriptions", {}).get(url, {}), **sub})])

    def remove_subscription(self, url: str) -> bool:
        """Remove a subscription; False when there was none with this url."""
        ops = self._commit(lambda tables: [("subscriptions", url, None)] if url in tables.get("subscriptions", {}) else [])
        return bool(ops)

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


def _annotations(records: list[dict[str, Any]]) -> list[Annotation]:
    """The readable annotations in ``records``, newest ``created`` first."""
    with paused():
        found = [a for a in map(_annotation, records) if a is not None]
        return sorted(found, key=attrgetter("created", "id"), reverse=True)


def _annotation(record: dict[str, Any]) -> Annotation | None:
    """The annotation in a record, or ``None`` for a record this version cannot read."""
    try:
        return Annotation.from_record(record)
    except ValueError:
        return None
