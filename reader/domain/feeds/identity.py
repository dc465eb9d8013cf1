"""Which saved article a feed item is: the rules that keep every story in a file of its own.

An item with an id (RSS guid, Atom id, JSON Feed id) is keyed by that id, whatever its link says:
live blogs and changelogs give every item the same link. An item without an id is keyed by its
link, but a saved article is its article only when the title and the text are the same too (an
edit of either makes a new article, never a rewrite of another story's file); a date, author or
tag change updates it in place. An item that gains an id takes over the article it had without one.

Index keys are ``guid:<id>`` for items with an id; ``link:<link>`` for the first item without one
at a link, ``link:<link> #<n>`` for the others; ``hash:<item hash>`` for items with neither.
Entries carry the item's ``link``, and those of items without an id a ``story`` (a digest of
title and text); entries written before these existed (index version 1) are compared with their
file instead.
"""

from __future__ import annotations

from typing import Any

import hashlib
from collections.abc import Iterator
from pathlib import Path

from reader.domain.articles.cleaning import clean_text
from reader.domain.feeds.parsing import FeedItem
from reader.domain.articles.files import Unreadable, read_text
from reader.domain.articles.formats import parse_markdown

__all__ = ["UNTITLED", "ItemKeys", "item_hash", "links_of", "story_digest"]

UNTITLED = "(untitled)"
"""The title an article is saved with when its item has none."""


def _digest(parts: Iterator[str] | tuple[str, ...]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def item_hash(item: FeedItem) -> str:
    """A fingerprint of what the feed says about ``item``; it changes when the item is updated."""
    return _digest((item.guid, item.title, item.link, item.author, item.date, item.body_markdown, *item.tags))


def _story(title: str, text: str) -> str:
    """The digest of a title and a text as an article saves them."""
    return _digest((title, text))


def story_digest(item: FeedItem) -> str:
    """A digest of ``item``'s title and text as its article shows them: what makes it the same story."""
    return _story(item.title or UNTITLED, clean_text(item.body_markdown).strip())


class ItemKeys:
    """Finds the index key of each item of one sync against a feed folder's index entries.

    ``entries`` is the index's ``items`` mapping (key -> entry), read but never changed here.
    """

    def __init__(self, folder: Path, entries: dict[str, dict[str, Any]]) -> None:
        self.folder = folder
        self.entries = entries
        self._by_hash: dict[str, str] = {}  # item hash -> key, for articles of items without an id
        self._by_story: dict[tuple[str, str], str] = {}  # (link, story digest) -> key, the same
        self._unread: dict[str, list[str]] = {}  # link -> keys of version 1 entries not compared yet
        self._links: set[str] = set()  # the links of all these
        self._placed: set[str] = set()  # keys of new articles placed in this sync
        self._seen: set[str] = set()
        for key, entry in entries.items():
            link = _link_of(key, entry)
            if link is None:
                continue
            self._links.add(link)
            if isinstance(entry.get("hash"), str) and entry["hash"]:
                self._by_hash.setdefault(entry["hash"], key)
            story = entry.get("story")
            if isinstance(story, str):
                self._by_story.setdefault((link, story), key)
            else:
                self._unread.setdefault(link, []).append(key)

    def key(self, item: FeedItem, digest: str) -> tuple[str, str, str] | None:
        """``(key, adopts, story)`` for ``item`` (whose :func:`item_hash` is ``digest``). ``adopts`` is
        the key of an article saved before the item had an id, which the item now takes over, else
        ''; ``story`` is the item's :func:`story_digest` if it had to be worked out, else ''. None for
        an item that repeats one already placed in this sync."""
        adopts = story = ""
        if item.guid:
            key = f"guid:{item.guid}"
            if key not in self.entries and key not in self._seen:
                found, story = self._match(item, digest)
                adopts = found if found is not None and found not in self._seen else ""
        else:
            found, story = self._match(item, digest)
            key = found or self._fresh(item, digest, story := story or story_digest(item))
        if key in self._seen:
            return None
        self._seen.add(key)
        if adopts:
            self._seen.add(adopts)
        return key, adopts, story

    def _match(self, item: FeedItem, digest: str) -> tuple[str | None, str]:
        """The key of the article, saved for an item without an id, that holds ``item``'s story (or
        None), and the item's story digest if it was worked out (else '')."""
        if digest in self._by_hash:
            return self._by_hash[digest], ""
        if item.link not in self._links:
            return None, ""  # (spares the story digest of each new item of a feed that has ids)
        for key in self._unread.pop(item.link, ()):
            self._by_story.setdefault((item.link, self._story_on_disk(self.entries[key])), key)
        story = story_digest(item)
        return self._by_story.get((item.link, story)), story

    def _fresh(self, item: FeedItem, digest: str, story: str) -> str:
        """A key no entry has, for a new item without an id; found again for the rest of the sync."""
        base = f"link:{item.link}" if item.link else f"hash:{digest}"
        key, n = base, 1
        while key in self.entries or key in self._placed:
            n += 1
            key = f"{base} #{n}"
        self._placed.add(key)
        self._links.add(item.link)
        self._by_hash[digest] = key
        self._by_story[(item.link, story)] = key
        return key

    def _story_on_disk(self, entry: dict[str, Any]) -> str:
        """The story digest of a version 1 entry, from its file's title and text ('' if unreadable)."""
        name = entry.get("file")
        if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
            return ""
        try:
            parsed = parse_markdown(read_text(self.folder / name), "")
        except Unreadable:
            return ""
        return _story(parsed.title, parsed.body.strip())


def _link_of(key: str, entry: object) -> str | None:
    """The link of an entry of an item without an id (None for items with one)."""
    if not isinstance(entry, dict) or key.startswith("guid:"):
        return None
    link = entry.get("link")
    if isinstance(link, str):
        return link
    if key.startswith("link:"):
        return key.removeprefix("link:")
    return "" if key.startswith("hash:") else None


def links_of(entries: dict[str, dict[str, Any]], old_links: dict[str, Any]) -> dict[str, str]:
    """Each item link of an index and the key of one article saved from it; ``old_links`` is a
    version 1 index's own map, still right for the entries it names."""
    found = {link: key for link, key in old_links.items() if isinstance(link, str) and key in entries}
    for key, entry in entries.items():
        link = entry.get("link") if isinstance(entry, dict) else None
        if not isinstance(link, str) and key.startswith("link:"):
            link = key.removeprefix("link:")
        if isinstance(link, str) and link:
            found.setdefault(link, key)
    return found
