"""Entries as Markdown files: ``<articles>/<account folder>/<feed folder>/<title>-<entry id>.md``.

Each file has the same YAML front matter as a feed item's (title, author, date, source, url,
guid) with the category as ``section`` and tag, then the entry's HTML as safe Markdown (the same
converter as for feeds). A file's name ends in its entry id, so the same entry always lands on the
same file, and a sync that stopped halfway rewrites, never duplicates. Files are written whole
(temporary file, rename) and made durable by one ``syncfs`` before the store records them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from reader.domain.articles.article import article_id
from reader.domain.articles.cleaning import clean_text
from reader.domain.articles.htmlconv import html_to_markdown, safe_url
from reader.domain.feeds.accounts.model import RemoteEntry, RemoteFeed
from reader.domain.feeds.articles import slugify
from reader.domain.articles.front_matter import front_matter
from reader.domain.feeds.writes import can_sync_filesystem, sync_filesystem, write_atomic

__all__ = ["MARKER", "LIBRARY_LABEL", "account_folder", "article_of", "entry_file", "feed_folders", "remove_files",
           "render_entry", "write_files"]

MARKER = ".account"
"""A hidden file in an account's folder holding the account's URL."""
LIBRARY_LABEL = "library"
"""The label of the user's articles folder in the library (see ``default_roots``): ids derive from it."""


def article_of(relative: str) -> str:
    """The library id of the article at ``relative`` (a path under the articles folder)."""
    return article_id(LIBRARY_LABEL, relative)


def account_folder(articles_dir: Path, url: str, kind: str) -> str:
    """The folder name for an account (made now, with its marker); another account's or feed's
    folder of the same name is left alone."""
    parts = urlsplit(url)
    base = slugify(f"{kind} {parts.hostname or ''} {parts.port or ''} {parts.path}", fallback=kind)
    name, n = base, 1
    while True:
        folder = articles_dir / name
        marker = folder / MARKER
        if not folder.exists() or (marker.exists() and marker.read_text(encoding="utf-8").strip() == url):
            break
        n += 1
        name = f"{base}-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(marker, (url + "\n").encode("utf-8"))
    return name


def feed_folders(known: Mapping[str, str], feeds: Iterable[RemoteFeed]) -> dict[str, str]:
    """A folder name per feed id: the one it had, or a new one from its title, unique."""
    names = dict(known)
    taken = set(names.values())
    for feed in sorted(feeds, key=lambda f: (len(f.id), f.id)):
        if feed.id in names:
            continue
        base = slugify(feed.title or urlsplit(feed.url).hostname or "", fallback="feed")
        name = base if base not in taken else f"{base}-{slugify(feed.id)}"
        names[feed.id] = name
        taken.add(name)
    return names


def entry_file(entry: RemoteEntry) -> str:
    """The file name of an entry: a slug of its title, then its id."""
    return f"{slugify(entry.title or entry.url, fallback='entry', max_length=50)}-{slugify(entry.id)}.md"


def render_entry(entry: RemoteEntry, feed: RemoteFeed) -> str:
    """The Markdown file of an entry: front matter, then its content as safe Markdown."""
    url = safe_url(entry.url) or ""
    meta: dict[str, str | list[str]] = {
        "title": entry.title or "(untitled)", "author": entry.author, "date": entry.published,
        "source": feed.title or feed.url, "url": url, "guid": f"entry-{entry.id}", "section": feed.category,
    }
    if feed.category:
        meta["tags"] = [feed.category]
    body = html_to_markdown(entry.html, base_url=url or None)
    return f"---\n{front_matter(meta)}---\n\n{clean_text(body).strip()}\n"


def write_files(articles_dir: Path, files: Mapping[str, str]) -> None:
    """Write each ``relative path -> text`` whole, then make them all durable at once."""
    each = not can_sync_filesystem()
    folders = {str(Path(rel).parent) for rel in files}
    for folder in folders:
        (articles_dir / folder).mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        write_atomic(articles_dir / rel, text.encode("utf-8"), durable=each)
    if files and not each:
        sync_filesystem(articles_dir)


def remove_files(articles_dir: Path, relatives: Iterable[str]) -> None:
    """Delete these files (those already gone are no error)."""
    for rel in relatives:
        try:
            os.unlink(articles_dir / rel)
        except FileNotFoundError:
            pass
