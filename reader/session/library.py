"""Loading what the sidebar shows: the listing (cached, then scanned), the store's read and starred
marks, annotation counts, failing feeds, account categories and collapsed groups, and the filter's text search.

Each method does its disk and database work in a thread and returns plain values; callers
apply them to the ``Sidebar`` on their own thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, TYPE_CHECKING

from reader.domain.articles.library import Listing
from reader.services import FIRST_LISTING
from reader.session.commonplace import AnnotationQuery, articles_styled

if TYPE_CHECKING:
    from reader.domain.store.store import Store
    from reader.services import Services

COLLAPSED_SETTING = "collapsed_groups"
"""The store setting that keeps the names of the collapsed groups across restarts."""

Progress = Callable[[int, int], None]
Found = Callable[[Listing], None]


@dataclass(frozen=True)
class Marks:
    """What the store says about the listing: read articles, annotation counts, failing feeds
    (group name → error), the collapsed groups, starred articles and each synced article's
    server category."""

    read: frozenset[str]
    counts: Mapping[str, int]
    errors: Mapping[str, str]
    collapsed: frozenset[str]
    starred: frozenset[str] = frozenset()
    categories: Mapping[str, str] = field(default_factory=dict)


def feed_errors(subscriptions: list[dict[str, Any]]) -> dict[str, str]:
    """Each failing feed's last error under its group name (its title, else its URL)."""
    return {(s.get("title") or s["url"]): s["error"] for s in subscriptions if s.get("error")}


async def open_store(services: "Services") -> "Store":
    """The store, reached in a thread: the first use opens it, which takes a while when it is big."""
    return await asyncio.to_thread(lambda: services.store)


async def writable_store(services: "Services") -> "Store | None":
    """The store for a write nobody asked for (a read mark, a position, a collapsed group), or
    ``None`` when it is open read-only: opening said so once, and those are not worth an error."""
    store = await open_store(services)
    return None if store.read_only else store


def read_only(services: "Services") -> bool:
    """Whether the store, if open already, refuses writes (a newer reader wrote it)."""
    store = services.opened_store
    return store is not None and store.read_only


class LibraryLoader:
    """Reads the listing and the store's marks for the sidebar."""

    def __init__(self, services: "Services") -> None:
        self._services = services

    async def first(self) -> Listing:
        """The newest few articles the index knows, for the first screen: read since the CLI
        started reading them (``Services.read_first_listing``), or now."""
        started = self._services.first_listing
        if started is None:
            return await self.cached(FIRST_LISTING)
        return await asyncio.wrap_future(started)

    async def no_store_yet(self) -> bool:
        """Whether there is no notes file yet, so no marks to show (a first start without a sync folder)."""
        services = self._services
        return services.settings.sync_dir is None and not await asyncio.to_thread(services.paths.store_file.exists)

    def first_ready(self) -> Listing | None:
        """``first``'s listing if its read is done already (``None`` also when it failed: ``first``
        says why)."""
        started = self._services.first_listing
        if started is None or not started.done() or started.exception() is not None:
            return None
        return started.result()

    async def cached(self, limit: int | None = None) -> Listing:
        """What the index knows, newest first, without reading any article (``limit``: the newest few)."""
        return await asyncio.to_thread(self._services.library.cached, limit)

    async def scan(self, progress: Progress | None = None, found: Found | None = None) -> Listing:
        """Every article under the roots. ``progress`` and ``found`` (the articles found so far,
        for a first scan of a big library) are called on this caller's event loop."""
        loop = asyncio.get_running_loop()

        def on_progress(done: int, total: int) -> None:
            if progress is not None:
                loop.call_soon_threadsafe(progress, done, total)

        def on_found(listing: Listing) -> None:
            if found is not None:
                loop.call_soon_threadsafe(found, listing)

        return await asyncio.to_thread(self._services.library.scan, on_progress, on_found)

    async def marks(self) -> Marks:
        """Read and starred marks, annotation counts, feed errors, account categories and collapsed
        groups from the store."""
        from reader.domain.store.account_tables import AccountTables

        store = await open_store(self._services)

        def read() -> Marks:
            collapsed = store.setting(COLLAPSED_SETTING, [])
            names = frozenset(n for n in collapsed if isinstance(n, str)) if isinstance(collapsed, list) else frozenset()
            return Marks(frozenset(store.read_articles()), store.annotation_counts(),
                         feed_errors(store.subscriptions()), names, frozenset(store.starred_articles()),
                         AccountTables(store).categories())

        return await asyncio.to_thread(read)

    async def errors(self) -> dict[str, str]:
        """Each failing feed's last error by group name."""
        store = await open_store(self._services)
        return feed_errors(await asyncio.to_thread(store.subscriptions))

    async def save_collapsed(self, groups: frozenset[str]) -> None:
        """Remember which groups are collapsed (not in a read-only store)."""
        store = await writable_store(self._services)
        if store is not None:
            await asyncio.to_thread(store.set_setting, COLLAPSED_SETTING, sorted(groups))

    async def search(self, query: str) -> frozenset[str]:
        """Ids of articles whose text has every word of ``query``, or whose notes contain it; for
        a query of ``#tag`` and ``color:NAME`` alone, those with such passages (or tags)."""
        library, store = self._services.library, await open_store(self._services)
        styled = AnnotationQuery.parse(query)

        def find() -> frozenset[str]:
            if styled.styled and not styled.words:
                return frozenset(articles_styled(styled, store.annotations(), store.article_tags()))
            found = library.search(query)  # 96,000 ids for a common word: added to in place, copied once
            found |= store.articles_with_notes(query.strip())
            return frozenset(found)

        return await asyncio.to_thread(find)

    async def changed(self, new: Listing, old: Listing) -> bool:
        """Whether ``new`` differs from ``old``, compared off the event loop (100,000 comparisons)."""
        return await asyncio.to_thread(lambda: new != old)
