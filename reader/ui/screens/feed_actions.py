"""What the reading screen does with feeds: refresh all or one, add and remove subscriptions.

A mixin of ``MainScreen``. Fetching runs in a thread; each feed's result is shown as it lands,
and the library is rescanned when the refresh ends.
"""

from __future__ import annotations

import asyncio

from functools import partial

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.prompt import PromptScreen

FEED_BINDINGS = [
    Binding("r", "refresh_feeds", "Refresh", show=False, tooltip="Fetch every subscribed feed", id="feeds.refresh"),
    Binding("R", "refresh_feed", "Refresh feed", show=False, tooltip="Fetch the feed of the current article", id="feeds.refresh_one"),
]


class FeedActions:
    """Feed subscriptions for the reading screen (mixed into MainScreen)."""

    _refreshing = False

    async def _subscriptions(self) -> list[dict]:
        return await asyncio.to_thread(self.services.store.subscriptions)

    async def load_feed_errors(self) -> None:
        """Remember each failing feed's error under its group name (its title)."""
        subs = await self._subscriptions()
        self._feed_errors = {(s.get("title") or s["url"]): s["error"] for s in subs if s.get("error")}

    def action_refresh_feeds(self) -> None:
        self._refresh(None)

    async def action_refresh_feed(self) -> None:
        current = self.article_list.current
        source = current.source if current else ""
        subs = await self._subscriptions()
        chosen = [s["url"] for s in subs if source and (s.get("title") == source or s["url"] == source)]
        if not chosen:
            self.notify("The current article does not come from a subscribed feed.", timeout=3)
            return
        self._refresh(chosen)

    @work(group="feeds", exit_on_error=False)
    async def _refresh(self, urls: list[str] | None) -> None:
        from reader.domain.feeds.subscriptions import sync_feeds

        if self._refreshing:
            self.notify("Already refreshing.", timeout=2)
            return
        subs = await self._subscriptions()
        total = len(subs) if urls is None else len(urls)
        if total == 0:
            self.notify("No feeds yet: Ctrl+P → Add feed…, or `reader feeds add URL`.", timeout=5)
            return
        self._refreshing = True
        status = self.query_one("#status", Static)
        done: list[str] = []

        def finished(result) -> None:
            done.append(result.line())
            self.app.call_from_thread(status.update, Content(f"Refreshing feeds… {len(done)} of {total}"))

        try:
            status.update(Content(f"Refreshing feeds… 0 of {total}"))
            store, folder = self.services.store, self.services.paths.articles_dir
            results = await asyncio.to_thread(sync_feeds, store, folder, urls, on_result=finished)
        finally:
            self._refreshing = False
        await self.load_feed_errors()
        listing = await asyncio.to_thread(self.services.library.scan)
        self._show_listing(listing)
        failed = [r for r in results if r.error]
        new = sum(r.new for r in results)
        message = f"{len(results)} feeds refreshed, {new} new articles"
        if failed:
            message += f"; {len(failed)} failed: " + "; ".join(r.line() for r in failed[:3])
        self.notify(message, severity="warning" if failed else "information", timeout=6)

    @work(group="feeds", exit_on_error=False)
    async def add_feed(self) -> None:
        """Ask for a feed URL, subscribe, and fetch it."""
        from reader.domain.feeds.subscriptions import SubscriptionError, add_subscription

        url = await self.app.push_screen_wait(PromptScreen("Subscribe to a feed (RSS, Atom or JSON Feed)", "https://…"))
        if not url:
            return
        try:
            sub = await asyncio.to_thread(add_subscription, self.services.store, url)
        except (SubscriptionError, ValueError) as error:
            self.notify(f"Not subscribed: {error}", severity="error")
            return
        self.notify(f"Subscribed to {sub['url']}; fetching it now.", timeout=3)
        self._refresh([sub["url"]])

    @work(group="feeds", exit_on_error=False)
    async def remove_feed(self) -> None:
        """Choose a subscription in a palette, then confirm and remove it (its saved articles stay)."""
        subs = await self._subscriptions()
        if not subs:
            self.notify("No feeds to remove.", timeout=3)
            return
        commands = [(s.get("title") or s["url"], partial(self._confirm_remove, s["url"]), s["url"]) for s in subs]
        self.app.search_commands(commands, placeholder="Remove which feed?")

    @work(group="feeds", exit_on_error=False)
    async def _confirm_remove(self, url: str) -> None:
        question = ConfirmScreen("Unsubscribe from this feed? Its saved articles stay.", url, yes="Unsubscribe", no="Keep")
        if not await self.app.push_screen_wait(question):
            return
        removed = await asyncio.to_thread(self.services.store.remove_subscription, url)
        self.notify("Unsubscribed." if removed else "That feed was already gone.", timeout=3)
        await self.load_feed_errors()
        self._apply_filter(self.query_one("#filter").value, keep=self.article_list.current_key)
