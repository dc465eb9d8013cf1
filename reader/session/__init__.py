"""What the reading screen shows and does, without Textual: plain values in and out.

``Session`` is the face. Its parts: ``sidebar`` (the listing, read marks, counts, the filter and
collapsed groups → ``SidebarView``), ``loader`` (reading those from the library and the store),
``reading`` (the open article → ``OpenArticle``, its position), ``annotating`` (bookmarks and
notes: toggle, note, colour, tags, delete, undo), ``review`` (the daily review), ``feeds``,
``accounts`` (sync with servers, stars) and ``watch`` (other processes' changes).
Every disk and database call runs in a thread; state changes happen on the caller's loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Coroutine

from reader.domain.annotations.model import Annotation
from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.library import Listing, Partial
from reader.domain.articles.library import Progress as ScanProgress
from reader.session.accounts import Accounts, Say
from reader.session.annotating import Annotating
from reader.session.commonplace import TagGroup, tag_groups
from reader.session.feeds import NO_FEEDS, FeedProblem, Feeds, PageSaved, Progress, Refreshed
from reader.session.library import LibraryLoader, open_store, read_only
from reader.session.reading import OpenArticle, Reading
from reader.session.sidebar import Sidebar, SidebarView
from reader.session.skipped import SkippedFiles, skipped_message
from reader.session.statuses import Statuses
from reader.session.watch import Watch

if TYPE_CHECKING:
    from pathlib import Path

    from reader.services import Services
    from reader.session.review import DailyReview

__all__ = ["CaughtUp", "Session"]


@dataclass(frozen=True)
class CaughtUp:
    """What changed elsewhere and was taken in: a new listing or new marks for the sidebar, and
    the open article with its annotations as stored now (``None`` when unchanged)."""

    sidebar: bool = False
    opened: OpenArticle | None = None


class Session:
    """The reading screen's state and actions over the services the CLI built."""

    def __init__(self, services: "Services") -> None:
        self.services = services
        self.sidebar = Sidebar()
        self.loader = LibraryLoader(services)
        self.reading = Reading(services)
        self.annotating = Annotating(services, self.reading)
        self.feeds = Feeds(services)
        self.accounts = Accounts(services)
        self.watch = Watch(services)
        self.skipped = SkippedFiles()
        self._notices_shown = 0
        self._catching_up = False
        self._collapsed_known = False

    @cached_property
    def review(self) -> "DailyReview":
        """The daily review (built when first asked: the first screen needs no scheduler)."""
        from reader.session.review import DailyReview  # fsrs loads with the first review

        return DailyReview(self.services)

    @property
    def library_folder(self) -> "Path":
        """The folder where the user's own articles go."""
        return self.services.paths.articles_dir

    def show_listing(self, listing: Listing) -> None:
        """Take a listing (the sidebar's ``view`` then shows it)."""
        self.sidebar.set_listing(listing)

    async def load_marks(self) -> None:
        """Read marks, counts and failing feeds from the store, into the sidebar; the collapsed
        groups only the first time (after that, this session's own toggles are the truth: a look
        at the store just before a toggle was saved would undo it)."""
        marks = await self.loader.marks()
        if read_only(self.services):  # marked before the store was open, and never to be saved
            self.sidebar.forget_own_marks()
        self.sidebar.set_marks(marks.read, marks.counts)
        self.sidebar.set_errors(marks.errors)
        self.sidebar.set_starred(marks.starred)
        self.sidebar.set_categories(marks.categories)
        if not self._collapsed_known:
            self._collapsed_known = True
            self.sidebar.set_collapsed(marks.collapsed)

    async def scan(self, progress: ScanProgress | None = None, found: Partial | None = None) -> bool:
        """Scan the library; ``True`` if the listing changed (the sidebar has it then)."""
        await self.watch.seen_own_scan()
        listing = await self.loader.scan(progress, found)
        if not await self.loader.changed(listing, self.sidebar.listing):
            return False
        self.sidebar.set_listing(listing)
        return True

    def toggle_group(self, group: str) -> Coroutine[None, None, None]:
        """Collapse or expand a group now (the sidebar's next view shows it); the returned
        coroutine remembers it across restarts."""
        return self.loader.save_collapsed(self.sidebar.toggle(group))

    def mark_read(self, meta: ArticleMeta) -> tuple[SidebarView, Coroutine[None, None, None]] | None:
        """Mark an article read now: the sidebar's view with the mark, and the coroutine that saves
        it; ``None`` when it was read already or the store is read-only (the marks shown are the
        stored ones)."""
        if read_only(self.services):
            return None
        view = self.sidebar.mark_read(meta.id)
        return None if view is None else (view, self.reading.mark_read(meta.id))

    async def search(self, query: str) -> bool:
        """Find the filter's text in article bodies and notes; ``True`` if the sidebar took the matches."""
        ids = await self.loader.search(query)
        return bool(ids) and self.sidebar.add_matches(query, ids)

    async def catch_up(self) -> CaughtUp:
        """Take in what other processes changed since the last look: the store, the folders.
        While a look is still going (a rescan of a big library), another one finds nothing."""
        if self._catching_up:
            return CaughtUp()
        self._catching_up = True
        try:
            return await self._catch_up()
        finally:
            self._catching_up = False

    async def _catch_up(self) -> CaughtUp:
        changes = await self.watch.look()
        sidebar = False
        opened = None
        if changes.store:
            await self.load_marks()
            opened = await self.reading.reload_passages()
            sidebar = True
        if changes.library and not self.accounts.syncing:  # a sync's files wait for its store commit: its end scans
            sidebar = await self.scan() or sidebar
        return CaughtUp(sidebar, opened)

    async def refresh_feeds(self, urls: list[str] | None, say: Say | None = None) -> Refreshed:
        """Fetch the feeds (all, or ``urls``), saying how far it has come, then list what they
        brought and which failed."""
        done = await self.feeds.refresh(urls, _feed_progress(say))
        self.sidebar.set_errors(await self.loader.errors())
        await self.scan()
        return done

    async def refresh_all(self, say: Say) -> Refreshed:
        """``r``: fetch every feed, then sync every account; list what they brought and say so."""
        if self.accounts.syncing or self.feeds.refreshing:
            raise FeedProblem("Already refreshing.")
        has_feeds = bool(await self.feeds.subscriptions())
        if not has_feeds and not await self.accounts.accounts():
            raise FeedProblem(NO_FEEDS)
        lines: list[str] = []
        failed = False
        if has_feeds:
            done = await self.feeds.refresh(None, _feed_progress(say))
            lines.append(done.message)
            failed = done.failed
        try:
            synced = await self.accounts.sync(say)
        finally:  # the look for new files skipped them while the sync ran
            await self.load_marks()  # the flags and categories the sync brought, the feeds' errors
            await self.scan()
        return Refreshed("; ".join([*lines, *synced.lines]), failed or synced.failed)

    def star(self, meta: ArticleMeta) -> tuple[SidebarView, bool, Coroutine[None, None, str | None]]:
        """Star an unstarred article, unstar a starred one, now: the sidebar's view with it, the
        new state, and the coroutine that saves it (it returns the account whose sync sends it)."""
        starred = not self.sidebar.current.is_starred(meta.id)
        return self.sidebar.star(meta.id, starred), starred, self.accounts.star(meta.id, starred)

    async def save_page(self, url: str) -> PageSaved:
        """Save a web page as an article (``FeedProblem`` says why not), then list it."""
        saved = await self.feeds.save_page(url)
        await self.scan()
        return saved

    async def all_annotations(self) -> list[Annotation]:
        """Every annotation in the library, newest first."""
        store = await open_store(self.services)
        return await asyncio.to_thread(store.annotations)

    def statuses(self) -> Statuses:
        """Where passages stand in the listed articles' texts now (asked for a few at a time)."""
        return Statuses(self.services.library, self.sidebar.listing)

    def skipped_notice(self, again: bool = False) -> str | None:
        """What to say about the files the listing skipped: those not told yet, or (``again``)
        all of them; ``None`` when there is nothing to say."""
        skipped = self.sidebar.listing.skipped
        if again:
            return skipped_message(skipped) if skipped else None
        return self.skipped.untold(skipped)

    def this_machine(self) -> str:
        """This machine's id in the sync folder ("" without one, or before the store is open)."""
        store = self.services.opened_store
        synced = store.sync_storage() if store is not None else None
        return synced.machine if synced is not None else ""

    async def tag_groups(self) -> tuple[TagGroup, ...]:
        """The commonplace book: every tag with the passages and articles that carry it."""
        store = await open_store(self.services)
        annotations, tags = await asyncio.to_thread(lambda: (store.annotations(), store.article_tags()))
        return tag_groups(annotations, tags, {m.id: m.title for m in self.sidebar.articles})

    def notices(self) -> list[str]:
        """What the store has to say (recovered damage, a failed backup) that was not shown yet."""
        store = self.services.opened_store
        if store is None:
            return []
        messages = list(store.messages)
        fresh, self._notices_shown = messages[self._notices_shown:], len(messages)
        return fresh


def _feed_progress(say: Say | None) -> Progress | None:
    """A refresh's progress (feeds done, feeds in all) as lines for ``say``."""
    return None if say is None else lambda n, total: say(f"Refreshing feeds… {n} of {total}")
