"""Feed items written as Markdown articles: one folder per feed, one file per item, never deleted.

``<articles dir>/<feed slug>/<item slug>.md`` holds YAML front matter (title, author, date, source,
url, guid, section, and tags when there are any) then the body. A hidden ``.index.json`` in each
feed folder remembers which file belongs to which item (by guid, else by link) and a hash of what
the feed said, so an unchanged item is not rewritten and a changed one rewrites its own file. The
hidden ``.feeds.json`` at the top keeps each feed's folder stable when its title changes.

Every write is atomic (temporary file, then rename). The two indexes are fsynced on each write and
guarded by a lock file, so the app and a ``reader fetch`` running at once take turns on a feed.
Item files are not fsynced one by one (one flush per file was half the cost of a big sync): the
index first records the names about to be written as unfinished, the files are written, one
``syncfs`` makes them all durable, and only then does the index record them as done. A crash
in between leaves at worst a torn item file that the index marks unfinished, so the next sync
rewrites it under the same name; a sync that has returned has its files on disk.
"""

from __future__ import annotations

import hashlib
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
from reader.domain.feeds.parsing import FeedItem
from reader.domain.articles.front_matter import front_matter

__all__ = [
    "FEEDS_FILE", "INDEX_FILE", "FeedFolder", "FeedLockTimeout", "Placement", "feed_folder", "item_hash",
    "render_article", "slugify", "write_atomic",
]

INDEX_FILE = ".index.json"
FEEDS_FILE = ".feeds.json"
_NOT_SLUG = re.compile(r"[^\w]+")
_WRITERS = 4  # where each file is fsynced, concurrent fsyncs share journal commits
_FEEDS_LOCK = threading.Lock()  # feeds are stored from worker threads; the mapping is shared
_UNFINISHED = ""  # the hash of an index entry whose file may not be on disk yet


def slugify(text: str, fallback: str = "item", max_length: int = 60) -> str:
    """A file-name-safe, lower-case slug of ``text`` (letters of any script kept), or ``fallback``."""
    slug = _NOT_SLUG.sub("-", clean_line(text).casefold()).strip("-_")[:max_length].strip("-_")
    return slug or fallback


def _read_json(path: Path) -> dict:
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
        "title": item.title or "(untitled)",
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


def item_hash(item: FeedItem) -> str:
    """A fingerprint of what the feed says about ``item``; it changes when the item is updated."""
    parts = (item.guid, item.title, item.link, item.author, item.date, item.body_markdown, *item.tags)
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Placement:
    """Where an item stands against the index: 'new', 'changed', 'unchanged' or 'thin'
    (unchanged, but written before its full text could be fetched)."""

    state: str
    key: str
    hash: str = ""
    """The item's :func:`item_hash`, computed once."""


Article = tuple[Placement, FeedItem, str, bool]
"""What :meth:`FeedFolder.write_many` takes: placement, item, file text, thin."""


class FeedFolder:
    """One feed's folder and its index.

    Use :meth:`opened` to hold the folder's cross-process lock from reading the index to saving
    it; ``FeedFolder(folder)`` alone only reads.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        index = _read_json(folder / INDEX_FILE)
        items, links = index.get("items"), index.get("links")
        self.items: dict[str, dict] = items if isinstance(items, dict) else {}
        self.links: dict[str, str] = links if isinstance(links, dict) else {}
        self._files = {e.get("file") for e in self.items.values() if isinstance(e, dict)}
        self._present: set[str] | None = None
        self._seen: set[str] = set()
        self._dirty = False

    @classmethod
    @contextmanager
    def opened(cls, folder: Path) -> Iterator[FeedFolder]:
        """The folder's index, read and written while no other process touches it."""
        with locked(folder / INDEX_FILE):
            yield cls(folder)

    def place(self, item: FeedItem) -> Placement | None:
        """Find ``item`` in the index (guid first, then link); None for a repeat in this sync."""
        digest = item_hash(item)
        key = f"guid:{item.guid}" if item.guid else (f"link:{item.link}" if item.link else f"hash:{digest}")
        if key not in self.items and item.link and self.links.get(item.link) in self.items:
            key = self.links[item.link]
        if key in self._seen:
            return None
        self._seen.add(key)
        entry = self.items.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            return Placement("new", key, digest)
        if entry.get("hash") != digest:
            return Placement("changed", key, digest)
        return Placement("thin" if entry.get("thin") else "unchanged", key, digest)

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
        entry = self.items.get(place.key)
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
            name = self._new_name(item)
        return name

    def _record(self, place: Placement, item: FeedItem, name: str, thin: bool) -> None:
        entry = {"file": name, "hash": place.hash or item_hash(item)}
        if thin:
            entry["thin"] = True
        self.items[place.key] = entry
        if item.link:
            self.links[item.link] = place.key
        self._dirty = True

    def write_many(self, articles: Iterable[Article]) -> int:
        """Write many articles (place, item, text, thin) and save the index; returns how many.

        The saved index records exactly the files that were written, even when one write fails
        (the error is raised after the index is saved). The names are first saved as unfinished,
        and recorded as done only once every file is on disk (see the module's docstring).
        """
        todo = [(place, item, self._target(place, item), text, thin) for place, item, text, thin in articles]
        if not todo:
            return 0
        before = {place.key: self.items.get(place.key) for place, *_ in todo}
        for place, _item, name, _text, _thin in todo:
            self.items[place.key] = {"file": name, "hash": _UNFINISHED}
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
            for key, entry in before.items():
                if key in on_disk:
                    continue
                if entry is None:
                    self.items.pop(key, None)
                else:
                    self.items[key] = entry
            for place, item, name, thin in synced:
                self._record(place, item, name, thin)
            self._dirty = True
            self.save()
        if failure is not None:
            raise failure
        return len(synced)

    def _write_files(self, todo: list, each_durable: bool, done: list) -> Exception | None:
        """Write the files, appending each success to ``done``; returns the first failure.

        Files fsynced one by one are written a few at a time (concurrent fsyncs share journal
        commits); otherwise one thread is fastest, as handing each file to a pool costs more
        than writing it.
        """
        folder = self.folder

        def attempt(job: tuple) -> Exception | None:
            place, _item, name, text, _thin = job
            try:
                write_atomic(folder / name, text.encode("utf-8"), durable=each_durable, exclusive=True,
                             new=place.state == "new")
            except Exception as error:  # noqa: BLE001 - returned, and raised once the index is saved
                return error
            return None

        failure: Exception | None = None
        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            outcomes = pool.map(attempt, todo) if each_durable else map(attempt, todo)
            for (place, item, name, _text, thin), error in zip(todo, outcomes):
                if error is None:
                    done.append((place, item, name, thin))
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
        data = json.dumps({"version": 1, "items": self.items, "links": self.links}, ensure_ascii=False)
        write_atomic(self.folder / INDEX_FILE, data.encode("utf-8"))
        fsync_dir(self.folder)
        self._dirty = False
