"""Feeds from the reading screen: refresh all or one, subscribe and unsubscribe.

Fetching runs in a thread; the caller hears of each feed as it lands and gets one summary.
Feeds are imported only when used: they bring httpx and feedparser.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from reader.session.library import open_store

if TYPE_CHECKING:
    from reader.services import Services

Progress = Callable[[int, int], None]
"""Called on the caller's loop with (feeds done, feeds in all)."""


class FeedProblem(Exception):
    """A feed action the user asked for cannot be done; ``str(error)`` is one sentence."""


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did, as one sentence, and whether a feed failed."""

    message: str
    failed: bool


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
            raise FeedProblem("No feeds yet: Ctrl+P → Add feed…, or `reader feeds add URL`.")
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
            results = await asyncio.to_thread(sync_feeds, store, self._services.paths.articles_dir, urls,
                                              on_result=finished)
        finally:
            self.refreshing = False
        failed = [r for r in results if r.error]
        message = f"{len(results)} feeds refreshed, {sum(r.new for r in results)} new articles"
        if failed:
            message += f"; {len(failed)} failed: " + "; ".join(r.line() for r in failed[:3])
        return Refreshed(message, bool(failed))

    async def add(self, url: str) -> str:
        """Subscribe to a feed; the URL as saved. ``FeedProblem`` for a URL that cannot be one."""
        from reader.domain.feeds.subscriptions import SubscriptionError, add_subscription

        store = await open_store(self._services)
        try:
            sub = await asyncio.to_thread(add_subscription, store, url)
        except (SubscriptionError, ValueError) as error:
            raise FeedProblem(f"Not subscribed: {error}") from error
        return str(sub["url"])

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
            saved = await asyncio.to_thread(save_page, url, self._services.paths.articles_dir)
        except SaveError as error:
            raise FeedProblem(str(error)) from None
        summary = saved.summary[:1].upper() + saved.summary[1:]
        return PageSaved(summary, article_id("library", f"{SAVED_FOLDER}/{saved.path.name}"))
