"""Feeds from the reading screen: refresh all or one, subscribe and unsubscribe.

Fetching runs in a thread; the caller hears of each feed as it lands and gets one summary.
Feeds are imported only when used: they bring httpx and feedparser.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from reader.domain.plural import plural
from reader.session.library import open_store

if TYPE_CHECKING:
    from reader.domain.feeds.subscriptions import SyncResult
    from reader.services import Services

NO_FEEDS = "No feeds yet: Ctrl+P → Add feed…, `reader feeds add URL` or `reader account add`."
"""What ``r`` says when there is nothing to refresh."""

Progress = Callable[[int, int], None]
"""Called on the caller's loop with (feeds done, feeds in all)."""


class FeedProblem(Exception):
    """A feed action the user asked for cannot be done; ``str(error)`` is one sentence."""


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did, as one sentence, and whether a feed failed."""

    message: str
    failed: bool


NAMED_FAILURES = 3
"""How many failed feeds a refresh names (with their errors); the rest are counted."""


def summary(results: "Sequence[SyncResult]") -> Refreshed:
    """One sentence for a refresh: the feeds refreshed and what they brought, then each failed
    feed (counted apart, not as refreshed) with its error."""
    failed = [r for r in results if r.error]
    fetched = len(results) - len(failed)
    message = (f"{plural(fetched, 'feed')} refreshed, {plural(sum(r.new for r in results), 'new article')}"
               if fetched else "No feed refreshed")
    if failed:
        named = [f"{r.title or r.url}: {r.error}" for r in failed[:NAMED_FAILURES]]
        more = [f"and {len(failed) - NAMED_FAILURES} more"] if len(failed) > NAMED_FAILURES else []
        message += f"; {len(failed)} failed: " + "; ".join(named + more)
    return Refreshed(message, bool(failed))


@dataclass(frozen=True)
class PageSaved:
    """A page saved as an article: one sentence that says so, and the article's id."""

    message: str
    article: str


@dataclass(frozen=True)
class Subscription:
    """A feed as the palette lists it."""

    url: str
    title: str


class Feeds:
    """Refreshes and changes the subscriptions."""

    def __init__(self, services: "Services") -> None:
        self._services = services
        self.refreshing = False

    async def subscriptions(self) -> list[Subscription]:
        """Every subscription, in the order they were added."""
        store = await open_store(self._services)
        subs = await asyncio.to_thread(store.subscriptions)
        return [Subscription(s["url"], s.get("title") or s["url"]) for s in subs]

    async def of_source(self, source: str) -> list[str]:
        """The URL of the feed an article's source names (an empty list if none does)."""
        if not source:
            return []
        return [s.url for s in await self.subscriptions() if source in (s.title, s.url)]

    async def refresh(self, urls: list[str] | None, progress: Progress | None = None) -> Refreshed:
        """Fetch every feed (or those in ``urls``) and save their new items as articles."""
        from reader.domain.feeds.subscriptions import sync_feeds

        if self.refreshing:
            raise FeedProblem("Already refreshing.")
        total = len(await self.subscriptions()) if urls is None else len(urls)
        if total == 0:
            raise FeedProblem(NO_FEEDS)
        loop = asyncio.get_running_loop()
        done = [0]

        def finished(result: object) -> None:
            done[0] += 1
            if progress is not None:
                loop.call_soon_threadsafe(progress, done[0], total)

        self.refreshing = True
        try:
            if progress is not None:
                progress(0, total)
            store = await open_store(self._services)
            if store.read_only:
                raise FeedProblem("Feeds are not refreshed while the notes file is read-only (a newer reader wrote it).")
            results = await asyncio.to_thread(sync_feeds, store, self._services.paths.articles_dir, urls,
                                              on_result=finished)
        finally:
            self.refreshing = False
        return summary(results)

    async def add(self, url: str) -> tuple[str, bool]:
        """Subscribe to a feed; the URL as saved, and whether it is new (``False``: subscribed
        already). ``FeedProblem`` for a URL that cannot be one."""
        from reader.domain.feeds.subscriptions import SubscriptionError, add_subscription, find_subscription
        from reader.domain.store.store import StoreError

        store = await open_store(self._services)

        def add() -> tuple[str, bool]:
            before = find_subscription(store, url)
            return str(add_subscription(store, url)["url"]), before is None

        try:
            return await asyncio.to_thread(add)
        except (SubscriptionError, StoreError, ValueError) as error:
            raise FeedProblem(f"Not subscribed: {error}") from error

    async def remove(self, url: str) -> bool:
        """Unsubscribe (the feed's saved articles stay); ``False`` if it was gone already."""
        store = await open_store(self._services)
        return await asyncio.to_thread(store.remove_subscription, url)

    async def save_page(self, url: str) -> PageSaved:
        """Save a web page as an article, as ``reader save URL`` does (saving it again updates it);
        ``FeedProblem`` says in one sentence why a page could not be saved."""
        from reader.domain.articles.article import article_id
        from reader.domain.feeds.saving import SAVED_FOLDER, SaveError, save_page

        try:
            folder, label = self._services.own_articles
            saved = await asyncio.to_thread(save_page, url, folder)
        except SaveError as error:
            raise FeedProblem(str(error)) from None
        summary = saved.summary[:1].upper() + saved.summary[1:]
        return PageSaved(summary, article_id(label, f"{SAVED_FOLDER}/{saved.path.name}"))
