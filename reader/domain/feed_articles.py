"""Feed items written as Markdown articles: one folder per feed, one file per item, never deleted.

``<articles dir>/<feed slug>/<item slug>.md`` holds YAML front matter (title, author, date, source,
url, guid, section, and tags when there are any) then the body. A hidden ``.index.json`` in each
feed folder remembers which file belongs to which item (by guid, else by link) and a hash of what
the feed said, so an unchanged item is not rewritten and a changed one rewrites its own file. The
hidden ``.feeds.json`` at the top keeps each feed's folder stable when its title changes. Every
write is atomic (temporary file, fsync, rename).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from reader.domain.cleaning import clean_line, clean_text
from reader.domain.feeds import FeedItem

__all__ = [
    "FEEDS_FILE", "INDEX_FILE", "FeedFolder", "Placement", "feed_folder", "item_hash", "render_article", "slugify",
    "write_atomic",
]

INDEX_FILE = ".index.json"
FEEDS_FILE = ".feeds.json"
_NOT_SLUG = re.compile(r"[^\w]+")
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # yaml.safe_dump's dumper, in C when available
_WRITERS = 4  # concurrent fsyncs share journal commits: about a third faster than one at a time
_FEEDS_LOCK = threading.Lock()  # feeds are stored from worker threads; the mapping is shared


def slugify(text: str, fallback: str = "item", max_length: int = 60) -> str:
    """A file-name-safe, lower-case slug of ``text`` (letters of any script kept), or ``fallback``."""
    slug = _NOT_SLUG.sub("-", clean_line(text).casefold()).strip("-_")[:max_length].strip("-_")
    return slug or fallback


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, then os.replace."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _batches(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size``."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


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
    with _FEEDS_LOCK:
        return _feed_folder_locked(articles_dir, url, title)


def _feed_folder_locked(articles_dir: Path, url: str, title: str) -> Path:
    articles_dir.mkdir(parents=True, exist_ok=True)
    mapping_path = articles_dir / FEEDS_FILE
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
    folder = articles_dir / slug
    folder.mkdir(exist_ok=True)
    return folder


def render_article(item: FeedItem, feed_title: str, body: str, tags: tuple[str, ...] = ()) -> str:
    """The Markdown file for ``item``: YAML front matter (yaml.safe_dump) and the body."""
    meta: dict[str, object] = {
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
    header = yaml.dump(meta, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False,
                       default_flow_style=False, width=1000)
    return f"---\n{header}---\n\n{clean_text(body).strip()}\n"


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


class FeedFolder:
    """One feed's folder and its index; call :meth:`save` after writing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        index = _read_json(folder / INDEX_FILE)
        items, links = index.get("items"), index.get("links")
        self.items: dict[str, dict] = items if isinstance(items, dict) else {}
        self.links: dict[str, str] = links if isinstance(links, dict) else {}
        self._files = {e.get("file") for e in self.items.values() if isinstance(e, dict)}
        self._seen: set[str] = set()
        self._dirty = False

    def place(self, item: FeedItem) -> Placement | None:
        """Find ``item`` in the index (guid first, then link); None for a repeat in this sync."""
        key = f"guid:{item.guid}" if item.guid else (f"link:{item.link}" if item.link else f"hash:{item_hash(item)}")
        if key not in self.items and item.link and self.links.get(item.link) in self.items:
            key = self.links[item.link]
        if key in self._seen:
            return None
        self._seen.add(key)
        entry = self.items.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            return Placement("new", key)
        if entry.get("hash") != item_hash(item):
            return Placement("changed", key)
        return Placement("thin" if entry.get("thin") else "unchanged", key)

    def _new_name(self, item: FeedItem) -> str:
        base = slugify(item.title or item.link or item.guid, fallback="item")
        name, n = f"{base}.md", 1
        while name in self._files or (self.folder / name).exists():
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
        self.items[place.key] = {"file": name, "hash": item_hash(item), **({"thin": True} if thin else {})}
        if item.link:
            self.links[item.link] = place.key
        self._dirty = True

    def write(self, place: Placement, item: FeedItem, text: str, *, thin: bool = False) -> None:
        """Write the article for ``item`` (its existing file, or a new unique name)."""
        name = self._target(place, item)
        write_atomic(self.folder / name, text.encode("utf-8"))
        self._record(place, item, name, thin)

    def write_many(self, articles: Iterable[tuple[Placement, FeedItem, str, bool]]) -> int:
        """Write many articles (place, item, text, thin), a few fsyncs at a time; returns how many.

        The index always records exactly the files that were written, even when one write fails
        (the error is raised after the index is saved).
        """
        written = 0
        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            try:
                for batch in _batches(articles, 64):
                    jobs = []
                    for place, item, text, thin in batch:
                        name = self._target(place, item)
                        jobs.append((pool.submit(write_atomic, self.folder / name, text.encode("utf-8")),
                                     place, item, name, thin))
                    failure: BaseException | None = None
                    for job, place, item, name, thin in jobs:
                        try:
                            job.result()
                        except BaseException as error:  # noqa: BLE001 - re-raised once the batch is done
                            failure = failure or error
                            continue
                        self._record(place, item, name, thin)
                        written += 1
                    if failure is not None:
                        raise failure
            finally:
                self.save()
        return written

    def count(self) -> int:
        """How many items this folder holds."""
        return len(self.items)

    def save(self) -> None:
        """Write the index if anything changed, and make the folder's renames durable."""
        if not self._dirty:
            return
        data = json.dumps({"version": 1, "items": self.items, "links": self.links}, ensure_ascii=False)
        write_atomic(self.folder / INDEX_FILE, data.encode("utf-8"))
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self._dirty = False
