"""One account's sync, start to end: read, merge, send, write, record.

Everything is read from the server before anything local changes: the feeds, the entries that are
new or changed since the cursor, and the entries it dropped. Each entry's flags are merged
(:mod:`.merge`); local changes are sent; only then are new entries written as files and the
store updated, in one transaction. A failure anywhere before that raises :class:`AccountError`
and leaves every local thing as it was (what was sent before the failure is sent again, or found
already done, next time).

An entry the server drops (Miniflux's "removed", gone from the Google Reader lists, or its feed
unsubscribed) loses its file, unless the article has a bookmark or a note, or is starred here:
then it stays as an ordinary article, no longer synced. A feed that is both a local subscription
and followed by the account is brought by the account: its entries whose link the local feed
already saved become that article (no second copy), and ``reader fetch`` leaves it to the sync.
"""

from __future__ import annotations

from typing import Any

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from reader.domain.feeds.accounts.connect import open_server
from reader.domain.feeds.accounts.credentials import CredentialFile
from reader.domain.feeds.accounts.merge import Local, merge
from reader.domain.feeds.accounts.mirror import (
    MARKER, article_of, entry_file, feed_folders, remove_files, render_entry, write_files,
)
from reader.domain.feeds.accounts.model import AccountError, Flags, RemoteEntry, epoch
from reader.domain.feeds.accounts.server import Changes, Known, Progress, Pushes
from reader.domain.feeds.articles import FEEDS_FILE, FeedFolder
from reader.domain.feeds.fetching import FetchLimits
from reader.domain.feeds.writes import locked
from reader.domain.store.account_tables import AccountTables, SyncCommit, local_flags
from reader.domain.store.store import StoreError
from reader.domain.annotations.model import utc_now

__all__ = ["SyncReport", "sync_account", "sync_account_async"]


@dataclass(frozen=True)
class SyncReport:
    """What one account's sync did."""

    url: str
    new: int = 0
    here: int = 0
    """Articles whose read or starred flag the server changed."""
    sent: int = 0
    removed: int = 0
    kept: int = 0
    """Dropped by the server but kept here for their notes or star."""
    error: str | None = None

    def line(self) -> str:
        """One line for the user."""
        if self.error:
            return f"FAILED {self.url}: {self.error}"
        kept = f" ({self.kept} kept for their notes or star)" if self.kept else ""
        return (f"ok {self.url}: {self.new} new, {self.here} changed here, {self.sent} sent, "
                f"{self.removed + self.kept} dropped by the server{kept}")


def feed_key(url: str) -> str:
    """A feed URL as compared between the server and the local subscriptions."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/') or '/'}" + (
        f"?{parts.query}" if parts.query else "")


def _local(article: str, reading: dict[str, Any], starred: dict[str, Any]) -> Local:
    read, star = local_flags(article, reading, starred)
    record = reading.get(article, {})
    read_at = epoch(record.get("changed") or record.get("opened"))
    return Local(read, star, read_at, epoch(starred.get(article, {}).get("changed")))


def _local_links(articles_dir: Path, sub_url: str) -> dict[str, str]:
    """Item link to article path (under the articles folder) of a local subscription's folder."""
    try:
        mapping = json.loads((articles_dir / FEEDS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    slug = mapping.get(sub_url) if isinstance(mapping, dict) else None
    if not isinstance(slug, str) or not slug or "/" in slug or slug.startswith("."):
        return {}
    index = FeedFolder(articles_dir / slug)
    links = {}
    for link, key in index.links.items():
        name = (index.items.get(key) or {}).get("file")
        if isinstance(name, str) and (articles_dir / slug / name).is_file():
            links[link] = f"{slug}/{name}"
    return links


class _Plan:
    """The outcome of a sync, worked out from what the server said and the store's snapshot."""

    def __init__(self, tables: AccountTables, account: dict[str, Any], articles_dir: Path) -> None:
        self.url, self.account, self.articles_dir = account["url"], account, articles_dir
        self.entries, self.reading, self.starred, self.subs = tables.snapshot(self.url)
        self.known = {
            eid: Known(Flags(rec["read"], rec["starred"]), float(rec.get("changed") or 0),
                       local_flags(rec["article"], self.reading, self.starred) != (rec["read"], rec["starred"]))
            for eid, rec in self.entries.items()
        }
        self.pushes = Pushes()
        self.commit = SyncCommit(account={}, now=utc_now())
        self.files: dict[str, str] = {}
        self.doomed: list[str] = []
        self.report: dict[str, Any] = {"new": 0, "here": 0, "removed": 0, "kept": 0}

    def work_out(self, changes: Changes, annotated: set[str]) -> None:
        """Fill in the pushes, the files and the store's changes."""
        feeds = {feed.id: feed for feed in changes.feeds}
        folders = feed_folders(self.account.get("folders") or {}, changes.feeds)
        subs = {feed_key(s["url"]): s["url"] for s in self.subs}
        shared = {fid: subs[feed_key(f.url)] for fid, f in feeds.items() if feed_key(f.url) in subs}
        links = {fid: _local_links(self.articles_dir, sub_url) for fid, sub_url in shared.items()}
        gone = set(changes.gone) | {eid for eid, rec in self.entries.items() if rec.get("feed") not in feeds}
        fresh = {entry.id: entry for entry in changes.entries}
        for eid in sorted(set(fresh) | {eid for eid, k in self.known.items() if k.pending}, key=lambda e: (len(e), e)):
            if eid not in gone:
                self._entry(eid, fresh.get(eid), feeds, folders, links)
        for eid in gone:
            self._drop(eid, annotated)
        self.commit.links = {sub_url: self.url for sub_url in shared.values()}
        self.commit.links.update({s["url"]: None for s in self.subs
                                  if s.get("account") == self.url and s["url"] not in shared.values()})
        self.commit.account = {
            "cursor": changes.cursor, "folders": {fid: folders[fid] for fid in feeds}, "last_sync": self.commit.now,
            "feeds": {fid: {"title": f.title, "url": f.url, "category": f.category} for fid, f in feeds.items()},
            "entries": len(set(self.entries) - gone | set(self.commit.puts)),
        }

    def _entry(self, eid: str, entry: RemoteEntry | None, feeds: dict[str, Any], folders: dict[str, Any], links: dict[str, Any]) -> None:
        record = self.entries.get(eid)
        if record is None:
            if entry is None or entry.feed not in feeds:
                return
            relative = links.get(entry.feed, {}).get(entry.url)
            if relative is None:
                relative = f"{self.account['folder']}/{folders[entry.feed]}/{entry_file(entry)}"
                self.files[relative] = render_entry(entry, feeds[entry.feed])
                self.report["new"] += 1
            record = {"article": article_of(relative), "file": relative, "feed": entry.feed}
        article = record["article"]
        base = Flags(record["read"], record["starred"]) if "read" in record else None
        base_changed = float(record.get("changed") or 0)
        server, server_changed = (entry.flags, entry.changed) if entry else (base or Flags(False, False), base_changed)
        local = _local(article, self.reading, self.starred)
        outcome = merge(base, base_changed, server, server_changed, local)
        if outcome.push_read:
            (self.pushes.read if outcome.flags.read else self.pushes.unread).append(eid)
        if outcome.push_starred:
            (self.pushes.star if outcome.flags.starred else self.pushes.unstar).append(eid)
        self.commit.puts[eid] = {**record, "read": outcome.flags.read, "starred": outcome.flags.starred,
                                 "changed": server_changed}
        if (local.read, local.starred) != (outcome.flags.read, outcome.flags.starred):
            self.commit.marks[article] = (outcome.flags.read, outcome.flags.starred)
            self.commit.seen[article] = (self.reading.get(article), self.starred.get(article))
            self.report["here"] += base is not None

    def _drop(self, eid: str, annotated: set[str]) -> None:
        record = self.entries.get(eid)
        if record is None:
            return
        self.commit.deletes.add(eid)
        article, relative = record["article"], record["file"]
        if not relative.startswith(self.account["folder"] + "/"):
            return  # the article of a local subscription: it stays that subscription's
        if article in annotated or local_flags(article, self.reading, self.starred)[1]:
            self.report["kept"] += 1
        else:
            self.doomed.append(relative)
            self.report["removed"] += 1


async def sync_account_async(tables: AccountTables, credentials: CredentialFile, url: str, articles_dir: Path,
                             limits: FetchLimits | None = None, progress: Progress | None = None) -> SyncReport:
    """Sync one account; a failure becomes the report's ``error`` and changes nothing local.
    ``progress`` hears (entries read, entries to read) as they are downloaded."""
    try:
        return await _sync(tables, credentials, url, articles_dir, limits, progress)
    except AccountError as error:
        return SyncReport(url, error=str(error))
    except StoreError as error:
        return SyncReport(url, error=str(error))
    except OSError as error:
        return SyncReport(url, error=f"Could not write articles ({error.strerror or error}).")
    except Exception as error:  # a bug met on one account must not stop the others
        return SyncReport(url, error=f"Unexpected error ({type(error).__name__}).")


async def _sync(tables: AccountTables, credentials: CredentialFile, url: str, articles_dir: Path,
                limits: FetchLimits | None, progress: Progress | None) -> SyncReport:
    account = tables.account(url)
    if account is None:
        raise AccountError(f"no account for {url} (see reader account list)")
    secret = credentials.get(url)
    if secret is None:
        raise AccountError(f"no credentials are stored for {url}; remove the account and add it again")
    folder = articles_dir / account["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder / MARKER):
        plan = _Plan(tables, account, articles_dir)
        async with open_server(account, secret, limits) as server:
            changes = await server.changes(account.get("cursor") or {}, plan.known, progress)
            annotated = set(await asyncio.to_thread(tables.store.annotation_counts))
            plan.work_out(changes, annotated)
            await server.push(plan.pushes)
        await asyncio.to_thread(write_files, articles_dir, plan.files)
        await asyncio.to_thread(tables.commit, url, plan.commit)
        await asyncio.to_thread(remove_files, articles_dir, plan.doomed)
    return SyncReport(url, sent=plan.pushes.count(), **plan.report)


def sync_account(tables: AccountTables, credentials: CredentialFile, url: str, articles_dir: Path,
                 limits: FetchLimits | None = None, progress: Progress | None = None) -> SyncReport:
    """:func:`sync_account_async` for synchronous callers (the CLI, a worker thread)."""
    return asyncio.run(sync_account_async(tables, credentials, url, articles_dir, limits, progress))
