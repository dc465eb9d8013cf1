"""The store: annotations, reading state, settings and subscriptions, safe across processes.

``Store`` is the tables' API over ``Database`` (``database.py``: the TinyDB over the files,
its locks and durable transactions). Each method reads through TinyDB at one moment or commits
one transaction: a plan over fresh tables that returns the ops to write.
"""

from __future__ import annotations

import copy
from operator import attrgetter
from typing import Any, Callable, Iterable, Mapping

from reader.collector import paused
from reader.domain.annotations.model import Annotation, utc_now
from reader.domain.store import article_tags as tag_table
from reader.domain.store.annotation_index import matches
from reader.domain.store.database import Database, StoreError
from reader.domain.store.storage import Op, Tables

__all__ = ["SUBSCRIPTION_DEFAULTS", "Store", "StoreError"]

SUBSCRIPTION_DEFAULTS: dict[str, Any] = {
    "title": "", "tags": [], "etag": None, "modified": None, "last_fetch": None, "error": None,
}


class Store(Database):
    """The user's data in one TinyDB file (plus its journal), shared by the app and CLI commands."""

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
