"""Feed items written as Markdown articles: one folder per feed, one file per item, never deleted.

``<articles dir>/<feed slug>/<item slug>.md`` holds YAML front matter (title, author, date, source,
url, guid, section, and tags when there are any) then the body. A hidden ``.index.json`` in each
feed folder remembers which file belongs to which item (by its id, else by its link, title and
text: :mod:`reader.domain.feeds.identity`) and a hash of what the feed said, so an unchanged item
is not rewritten and a changed one rewrites its own file: the same file, so the same article id,
and its passages anchor again. The hidden ``.feeds.json`` at the top keeps each feed's folder
stable when its title changes.

Every write is atomic (temporary file, then rename). The two indexes are fsynced on each write and
guarded by a lock file, so the app and a ``reader fetch`` running at once take turns on a feed.
Item files are not fsynced one by one (one flush per file was half the cost of a big sync): the
index first records the names about to be written as unfinished, the files are written, one
``syncfs`` makes them all durable, and only then does the index record them as done. A crash
in between leaves at worst a torn item file that the index marks unfinished, so the next sync
rewrites it under the same name; a sync that has returned has its files on disk.
"""

from __future__ import annotations

from typing import Any

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from reader.domain.articles.cleaning import clean_line, clean_text
from reader.domain.feeds.writes import (
    FeedLockTimeout, can_sync_filesystem, fsync_dir, locked, sync_filesystem, write_atomic,
)
from reader.domain.feeds.identity import UNTITLED, ItemKeys, item_hash, links_of, story_digest
from reader.domain.feeds.parsing import FeedItem
from reader.domain.articles.front_matter import front_matter

__all__ = [
    "FEEDS_FILE", "INDEX_FILE", "FeedFolder", "FeedLockTimeout", "Placement", "feed_folder", "item_hash",
    "render_article", "slugify", "write_atomic",
]

INDEX_FILE = ".index.json"
INDEX_VERSION = 2
"""Version 2 dropped the ``links`` map (link -> key), which let items with ids take each other's
files, and gave entries the item's ``link``, a ``story`` digest (items without an id) and ``page``;
version 1 indexes are read as they are."""
FEEDS_FILE = ".feeds.json"
_NOT_SLUG = re.compile(r"[^\w]+")
_WRITERS = 4  # where each file is fsynced, concurrent fsyncs share journal commits
_FEEDS_LOCK = threading.Lock()  # feeds are stored from worker threads; the mapping is shared
_UNFINISHED = ""  # the hash of an index entry whose file may not be on disk yet


def slugify(text: str, fallback: str = "item", max_length: int = 60) -> str:
    """A file-name-safe, lower-case slug of ``text`` (letters of any script kept), or ``fallback``."""
    slug = _NOT_SLUG.sub("-", clean_line(text).casefold()).strip("-_")[:max_length].strip("-_")
    return slug or fallback


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``, or {} if it is missing or damaged (files are never lost: the
    worst case is that items get new file names)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def feed_folder(articles_dir: Path, url: str, title: str) -> Path:
    """The folder for the feed at ``url``, created on first use and the same ever after."""
    articles_dir.mkdir(parents=True, exist_ok=True)
    mapping_path = articles_dir / FEEDS_FILE
    with _FEEDS_LOCK, locked(mapping_path):
        return _feed_folder_locked(articles_dir, mapping_path, url, title)


def _feed_folder_locked(articles_dir: Path, mapping_path: Path, url: str, title: str) -> Path:
    mapping = _read_json(mapping_path)
    slug = mapping.get(url)
    if not isinstance(slug, str) or not slug or slug.startswith("."):
        base = slugify(title, fallback="") or slugify(urlsplit(url).hostname or "", fallback="feed")
        taken = {v for v in mapping.values() if isinstance(v, str)}
        slug, n = base, 1
        while slug in taken or (articles_dir / slug).exists():
            n += 1
            slug = f"{base}-{n}"
        mapping[url] = slug
        write_atomic(mapping_path, json.dumps(mapping, indent=1, ensure_ascii=False).encode("utf-8"))
        fsync_dir(articles_dir)
    folder = articles_dir / slug
    folder.mkdir(exist_ok=True)
    return folder


def render_article(item: FeedItem, feed_title: str, body: str, tags: tuple[str, ...] = ()) -> str:
    """The Markdown file for ``item``: YAML front matter (as yaml.safe_dump writes it) and the body."""
    meta: dict[str, str | list[str]] = {
        "title": item.title or UNTITLED,
        "author": item.author,
        "date": item.date,
        "source": feed_title,
        "url": item.link,
        "guid": item.guid,
        "section": feed_title,
    }
    all_tags = list(dict.fromkeys(t for t in (*tags, *item.tags) if t))
    if all_tags:
        meta["tags"] = all_tags
    return f"---\n{front_matter(meta)}---\n\n{clean_text(body).strip()}\n"


@dataclass(frozen=True)
class Placement:
    """Where an item stands against the index: 'new', 'changed' or 'unchanged'."""

    state: str
    key: str
    hash: str = ""
    """The item's :func:`item_hash`, computed once."""
    page: bool = False
    """The saved article holds the text of the item's page (fetched for a ``full`` feed)."""
    adopts: str = ""
    """The key of the article, saved before the item had an id, that the item takes over."""
    story: str = ""
    """The item's :func:`story_digest`, when it was computed."""

    def wants_page(self, full: bool) -> bool:
        """Whether the item's page should be fetched: for a full feed, until the article has its
        text; and for an article that has it, whenever the item changes, so it is never replaced
        by the feed's shorter text."""
        return self.state == "changed" if self.page else full


Article = tuple[Placement, FeedItem, str, bool]
"""What :meth:`FeedFolder.write_many` takes: placement, item, file text, and whether that text is
the item's page."""


class FeedFolder:
    """One feed's folder and its index (see :mod:`reader.domain.feeds.identity` for the keys).

    Use :meth:`opened` to hold the folder's cross-process lock from reading the index to saving
    it; ``FeedFolder(folder)`` alone only reads.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        index = _read_json(folder / INDEX_FILE)
        items, old_links = index.get("items"), index.get("links")
        self.items: dict[str, dict[str, Any]] = items if isinstance(items, dict) else {}
        self._old_links: dict[str, Any] = old_links if isinstance(old_links, dict) else {}
        self._files = {e.get("file") for e in self.items.values() if isinstance(e, dict)}
        self._present: set[str] | None = None
        self._keys = ItemKeys(folder, self.items)
        self._dirty = False

    @classmethod
    @contextmanager
    def opened(cls, folder: Path) -> Iterator[FeedFolder]:
        """The folder's index, read and written while no other process touches it."""
        with locked(folder / INDEX_FILE):
            yield cls(folder)

    def place(self, item: FeedItem) -> Placement | None:
        """Find ``item``'s article in the index; None for a repeat in this sync."""
        digest = item_hash(item)
        found = self._keys.key(item, digest)
        if found is None:
            return None
        key, adopts, story = found
        entry = self.items.get(adopts or key)
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            return Placement("new", key, digest, story=story)
        state = "unchanged" if entry.get("hash") == digest else "changed"
        return Placement(state, key, digest, bool(entry.get("page")), adopts, story)

    @property
    def links(self) -> dict[str, str]:
        """Item links and the key of an article saved from each: for finding the article of a link
        (several items may share one; this names one of them), never for placing an item."""
        return links_of(self.items, self._old_links)

    def has_pages(self) -> bool:
        """Whether any article here holds its page's text (and so may want its page again)."""
        return any(isinstance(entry, dict) and entry.get("page") for entry in self.items.values())

    def _new_name(self, item: FeedItem) -> str:
        if self._present is None:
            self._present = set(os.listdir(self.folder))
        base = slugify(item.title or item.link or item.guid, fallback="item")
        name, n = f"{base}.md", 1
        while name in self._files or name in self._present:
            n += 1
            name = f"{base}-{n}.md"
        self._files.add(name)
        return name

    def _target(self, place: Placement, item: FeedItem) -> str:
        """The file name for ``item``: the one it already has, or a new unique one (reserved)."""
        entry = self.items.get(place.adopts or place.key)
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
            name = self._new_name(item)
        return name

    @staticmethod
    def _entry(place: Placement, item: FeedItem, name: str, page: bool, finished: bool = True) -> dict[str, Any]:
        """The index entry of ``item`` written to ``name``; an unfinished one names the file and the
        item (so an interrupted write is retried under the same name) but not what it holds."""
        entry: dict[str, Any] = {"file": name, "hash": (place.hash or item_hash(item)) if finished else _UNFINISHED}
        if item.link or not item.guid:
            entry["link"] = item.link
        if not item.guid:
            entry["story"] = place.story or story_digest(item)
        if page and finished:
            entry["page"] = True
        return entry

    def write_many(self, articles: Iterable[Article]) -> int:
        """Write many articles (place, item, text, page) and save the index; returns how many.

        The saved index records exactly the files that were written, even when one write fails
        (the error is raised after the index is saved). The names are first saved as unfinished,
        and recorded as done only once every file is on disk (see the module's docstring).
        """
        todo = [(place, item, self._target(place, item), text, page) for place, item, text, page in articles]
        if not todo:
            return 0
        before = [(place, self.items.get(place.key), self.items.get(place.adopts)) for place, *_ in todo]
        for place, item, name, _text, _page in todo:
            self.items.pop(place.adopts, None)
            self.items[place.key] = self._entry(place, item, name, False, finished=False)
        self._dirty = True
        self.save()
        each_durable = not can_sync_filesystem()
        written: list[tuple[Placement, FeedItem, str, bool]] = []
        synced: list[tuple[Placement, FeedItem, str, bool]] = []
        try:
            failure = self._write_files(todo, each_durable, written)
            try:
                if written and not each_durable:
                    sync_filesystem(self.folder)
                synced = written
            except OSError as error:  # written but maybe not on disk: they stay unfinished
                failure = failure or error
        finally:
            on_disk = {place.key for place, *_ in written}
            for place, entry, adopted in before:
                if place.key in on_disk:
                    continue
                _restore(self.items, place.key, entry)
                if place.adopts:
                    _restore(self.items, place.adopts, adopted)
            for place, item, name, page in synced:
                self.items[place.key] = self._entry(place, item, name, page)
            self._dirty = True
            self.save()
        if failure is not None:
            raise failure
        return len(synced)

    def _write_files(self, todo: list[Any], each_durable: bool, done: list[Any]) -> Exception | None:
        """Write the files, appending each success to ``done``; returns the first failure.

        Files fsynced one by one are written a few at a time (concurrent fsyncs share journal
        commits); otherwise one thread is fastest, as handing each file to a pool costs more
        than writing it.
        """
        folder = self.folder

        def attempt(job: tuple[Any, ...]) -> Exception | None:
            place, _item, name, text, _page = job
            try:
                write_atomic(folder / name, text.encode("utf-8"), durable=each_durable, exclusive=True,
                             new=place.state == "new")
            except Exception as error:  # noqa: BLE001 - returned, and raised once the index is saved
                return error
            return None

        failure: Exception | None = None
        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            outcomes = pool.map(attempt, todo) if each_durable else map(attempt, todo)
            for (place, item, name, _text, page), error in zip(todo, outcomes):
                if error is None:
                    done.append((place, item, name, page))
                else:
                    failure = failure or error
        return failure

    def count(self) -> int:
        """How many items this folder holds."""
        return len(self.items)

    def save(self) -> None:
        """Write the index if anything changed, and make the folder's renames durable."""
        if not self._dirty:
            return
        data = json.dumps({"version": INDEX_VERSION, "items": self.items}, ensure_ascii=False)
        write_atomic(self.folder / INDEX_FILE, data.encode("utf-8"))
        fsync_dir(self.folder)
        self._dirty = False


def _restore(items: dict[str, dict[str, Any]], key: str, entry: dict[str, Any] | None) -> None:
    """Put back an index entry as it was before a write that did not happen."""
    if entry is None:
        items.pop(key, None)
    else:
        items[key] = entry
