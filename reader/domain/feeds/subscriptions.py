"""Feed subscriptions and their sync: fetch every feed, store its items as articles, record the outcome.

Subscriptions live in the store (``subscriptions()``, ``put_subscription(dict)``,
``remove_subscription(url)``); a subscription is a dict with url, title, tags, etag, modified,
last_fetch, error, items and full, and, once fetched, missing_pages (some item of the last
document has no page text yet, so a full fetch must not settle for "not modified"). Syncing never raises for one bad feed: its error is recorded
on its subscription and the others go on. A subscription with ``account`` set is fetched by
that account's server, and its sync brings the items.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Protocol

from reader.domain.articles.cleaning import clean_line
from reader.domain.feeds.articles import FeedFolder, feed_folder, render_article
from reader.domain.feeds.parsing import FeedError, FeedItem, parse_feed
from reader.domain.feeds.fetching import FetchError, FetchLimits, FetchRequest, FetchResult, FetchSession, check_scheme
from reader.domain.articles.htmlconv import extract_article

__all__ = [
    "MAX_PAGES_PER_SYNC", "SubscriptionError", "SubscriptionStore", "SyncResult",
    "add_subscription", "new_subscription", "sync_feeds", "sync_feeds_async",
]

MAX_PAGES_PER_SYNC = 25
"""For full-text feeds: linked pages fetched per feed per sync; the rest wait for the next one."""


class SubscriptionStore(Protocol):
    """The three store methods that subscriptions need."""

    def subscriptions(self) -> list[dict[str, Any]]: ...  # noqa: D102
    def put_subscription(self, sub: dict[str, Any]) -> None: ...  # noqa: D102
    def remove_subscription(self, url: str) -> bool: ...  # noqa: D102


class MemorySubscriptions:
    """A ``SubscriptionStore`` kept in memory: for a one-off sync, the benchmarks and the tests."""

    def __init__(self) -> None:
        self.subs: dict[str, dict[str, Any]] = {}

    def subscriptions(self) -> list[dict[str, Any]]:
        """Copies of every subscription."""
        return [dict(s) for s in self.subs.values()]

    def put_subscription(self, sub: dict[str, Any]) -> None:
        """Add a subscription, or merge these fields into the one with the same url."""
        self.subs[sub["url"]] = {**self.subs.get(sub["url"], {}), **sub}

    def remove_subscription(self, url: str) -> bool:
        """Forget a subscription; ``False`` if there was none."""
        return self.subs.pop(url, None) is not None


class SubscriptionError(Exception):
    """A subscription the user asked for that cannot be made; one sentence."""


def new_subscription(url: str, *, title: str = "", tags: Iterable[str] = (), full: bool = False) -> dict[str, Any]:
    """A fresh subscription record for ``url``; raises :class:`SubscriptionError` unless http(s)."""
    url = clean_line(url)
    try:
        check_scheme(url)
    except FetchError as error:
        raise SubscriptionError(str(error)) from None
    clean_tags = list(dict.fromkeys(t for t in (clean_line(t) for t in tags) if t))
    return {"url": url, "title": clean_line(title), "tags": clean_tags, "etag": None, "modified": None,
            "last_fetch": None, "error": None, "items": 0, "full": bool(full)}


def find_subscription(store: SubscriptionStore, url: str) -> dict[str, Any] | None:
    """The subscription to ``url`` (as ``add_subscription`` would save it), or ``None``."""
    wanted = new_subscription(url)["url"]
    return next((s for s in store.subscriptions() if s.get("url") == wanted), None)


def add_subscription(store: SubscriptionStore, url: str, *, title: str = "", tags: Iterable[str] = (),
                     full: bool = False) -> dict[str, Any]:
    """Subscribe to ``url`` (or add tags to an existing subscription); returns the record saved."""
    sub = new_subscription(url, title=title, tags=tags, full=full)
    existing = find_subscription(store, url)
    if existing is not None:
        merged = list(dict.fromkeys([*(existing.get("tags") or []), *sub["tags"]]))
        sub = {**existing, "tags": merged, "full": bool(existing.get("full")) or sub["full"]}
        sub["title"] = sub.get("title") or clean_line(title)
    store.put_subscription(sub)
    return sub


@dataclass(frozen=True)
class SyncResult:
    """What syncing one feed did."""

    url: str
    title: str = ""
    new: int = 0
    updated: int = 0
    not_modified: bool = False
    error: str | None = None
    account: str = ""
    """The server account that brings this feed instead (``reader sync``); it was not fetched."""

    def line(self) -> str:
        """A one-line summary for the user."""
        name = self.title or self.url
        if self.error:
            return f"FAILED {name}: {self.error}"
        if self.account:
            return f"ok {name}: comes through the account {self.account} (reader sync)"
        if self.not_modified:
            return f"ok {name}: not modified"
        return f"ok {name}: {self.new} new, {self.updated} updated"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


async def _full_texts(items: list[FeedItem], session: FetchSession) -> dict[str, str]:
    """Main text of the pages linked by ``items``, at most MAX_PAGES_PER_SYNC of them."""
    links = list(dict.fromkeys(item.link for item in items if item.link))[:MAX_PAGES_PER_SYNC]

    async def one(link: str) -> tuple[str, str]:
        page = await session.fetch(FetchRequest(link))
        if not page.ok or not page.body:
            return link, ""
        return link, await asyncio.to_thread(extract_article, page.body, page.final_url or link, page.content_type)

    return dict(await asyncio.gather(*(one(link) for link in links)))


def _pending(folder: Path, items: Sequence[FeedItem], full: bool) -> list[FeedItem]:
    """The items whose pages should be fetched (read without the folder's lock: a hint, checked
    again when writing)."""
    index = FeedFolder(folder)
    if not full and not index.has_pages():
        return []
    return [item for item in items if (place := index.place(item)) is not None and place.wants_page(full)]


@dataclass(frozen=True)
class _Stored:
    """What writing one feed document did."""

    new: int
    updated: int
    count: int
    """Items in the feed's folder."""
    missing_pages: bool
    """Some item of the document has an article without its page's text."""


def _write(folder: Path, items: Sequence[FeedItem], texts: dict[str, str], feed_title: str,
           tags: tuple[str, ...], full: bool) -> _Stored:
    """Write new and changed items, and the page text of saved ones that lack it, while holding the
    folder's lock.

    An article that has its page text keeps it until the page can be fetched again.
    """
    with FeedFolder.opened(folder) as index:
        todo = []
        missing = False
        for item in items:
            place = index.place(item)
            if place is None:
                continue
            page_text = texts.get(item.link, "") if place.wants_page(full) else ""
            missing = missing or not (page_text or place.page)
            if not page_text and (place.state == "unchanged" or place.page):
                continue
            text = render_article(item, feed_title, page_text or item.body_markdown, tags)
            todo.append((place, item, text, bool(page_text)))
        index.write_many(todo)
        new = sum(place.state == "new" for place, *_ in todo)
        return _Stored(new, len(todo) - new, index.count(), missing)


async def _store_feed(sub: dict[str, Any], fetched: FetchResult, articles_dir: Path, full: bool,
                      session: FetchSession) -> tuple[SyncResult, _Stored | None]:
    """Parse and store one fetched feed; every failure becomes the result's error."""
    url, known_title = sub["url"], sub.get("title") or ""
    if not fetched.ok:
        return SyncResult(url, known_title, error=fetched.error), None
    if fetched.not_modified:
        return SyncResult(url, known_title, not_modified=True), None
    try:
        feed = await asyncio.to_thread(parse_feed, fetched.body, fetched.content_type, fetched.final_url or url)
    except FeedError as error:
        return SyncResult(url, known_title, error=str(error)), None
    title = feed.title or known_title
    try:
        folder = await asyncio.to_thread(feed_folder, articles_dir, url, title)
        texts = await _full_texts(await asyncio.to_thread(_pending, folder, feed.items, full), session)
        tags = tuple(sub.get("tags") or ())
        stored = await asyncio.to_thread(_write, folder, feed.items, texts, title or url, tags, full)
    except OSError as error:
        return SyncResult(url, title, error=f"Could not write articles ({error.strerror or error})."), None
    return SyncResult(url, title, new=stored.new, updated=stored.updated), stored


def _request(sub: dict[str, Any], full: bool) -> FetchRequest:
    """The request for a subscription's feed: conditional, unless a full fetch still has pages to
    get for items of the last document (a "not modified" would leave them without)."""
    if full and sub.get("missing_pages", True):
        return FetchRequest(sub["url"])
    return FetchRequest(sub["url"], sub.get("etag"), sub.get("modified"))


async def sync_feeds_async(store: SubscriptionStore, articles_dir: Path, urls: Sequence[str] | None = None, *,
                           full: bool = False, limits: FetchLimits | None = None,
                           concurrency: int = 4,
                           on_result: Callable[[SyncResult], None] | None = None) -> list[SyncResult]:
    """Fetch the subscribed feeds (all, or those in ``urls``), write their items, update the store.

    ``full`` (or a subscription's own ``full`` flag) fetches the linked page of each item whose
    article does not have its text yet, new or saved before, at most MAX_PAGES_PER_SYNC a feed
    each time. Results come in subscription order; a failed feed has ``error`` set.
    """
    wanted = None if urls is None else set(urls)
    subs = [s for s in store.subscriptions() if wanted is None or s.get("url") in wanted]
    async with FetchSession(limits, concurrency) as session:

        async def one(sub: dict[str, Any]) -> SyncResult:
            if sub.get("account"):  # the account's server fetches it, and the sync brings its items
                result = SyncResult(sub["url"], sub.get("title") or "", not_modified=True, account=sub["account"])
                if on_result is not None:
                    on_result(result)
                return result
            wants_full = full or bool(sub.get("full"))
            fetched = await session.fetch(_request(sub, wants_full))
            try:
                result, stored = await _store_feed(sub, fetched, articles_dir, wants_full, session)
            except Exception as error:  # a bug met on one feed must not stop the others
                result, stored = SyncResult(sub["url"], error=f"Unexpected error ({type(error).__name__})."), None
            record = {"url": sub["url"], "last_fetch": _now(), "error": result.error}
            if stored is not None:
                record.update(etag=fetched.etag, modified=fetched.modified, items=stored.count,
                              missing_pages=stored.missing_pages)
                if result.title:
                    record["title"] = result.title
            store.put_subscription({**sub, **record})
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(sub) for sub in subs)))


def sync_feeds(store: SubscriptionStore, articles_dir: Path, urls: Sequence[str] | None = None, *,
               full: bool = False, limits: FetchLimits | None = None, concurrency: int = 4,
               on_result: Callable[[SyncResult], None] | None = None) -> list[SyncResult]:
    """:func:`sync_feeds_async` for synchronous callers (the CLI, or a worker thread).

    ``on_result`` is called as each feed finishes, so a caller can show progress.
    """
    return asyncio.run(sync_feeds_async(store, articles_dir, urls, full=full, limits=limits,
                                        concurrency=concurrency, on_result=on_result))
