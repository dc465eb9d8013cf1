"""What the reading screen does to fill the sidebar: the cached listing at once, the store's
marks, a fresh scan with its progress, and later what other processes changed.

Plain functions over the screen's ``Host`` face (``host.py``).
"""

from __future__ import annotations

import asyncio
import time

from reader.collector import freeze_long_lived
from reader.domain.articles.library import Listing
from reader.ui.screens.host import Host

PROGRESS_EVERY = 0.25
"""Seconds between two progress lines of a scan."""

SEARCH_PAUSE = 0.12
"""Seconds the filter waits for the next letter before it searches the articles' text."""


async def load(host: Host, first: Listing | None = None) -> None:
    """The newest few from the index (unless ``first`` was shown already), then all it knows,
    then the store's marks, then a scan; on a first start (nothing indexed, no notes yet) the
    scan comes first: there are no marks to wait for."""
    session = host.session
    scanned = False
    try:
        if first is None:
            first = Listing((), ())
            first = await session.loader.first()
            if first.articles:  # the index answers before the store is open: no read marks yet
                host.show_listing(first)
        if not first.articles and await session.loader.no_store_yet():
            scanned = True
            await scan(host)
    finally:
        await host.first_screen_shown()
    if not scanned:
        cached = await session.loader.cached()
        if len(cached.articles) > len(first.articles):
            host.show_listing(cached)
    await session.load_marks()
    await session.watch.start()
    if session.sidebar.articles:  # read marks and counts are known now: draw them
        host.redraw()
    if not scanned:
        await scan(host)
    freeze_long_lived()  # the listing lives as long as the app


async def scan(host: Host) -> None:
    """Scan the library, saying how far it has come, then list what it found."""
    host.library.say("Scanning the library…")
    shown_at = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - shown_at[0] >= PROGRESS_EVERY or done == total:
            shown_at[0] = time.monotonic()
            host.library.say(f"Scanning the library… {done:,} of {total:,}")

    await host.session.scan(progress, host.show_listing)
    host.relist()
    tell_skipped(host)


async def catch_up(host: Host) -> None:
    """Take in what other processes changed: the store, the library's folders; say what the store says."""
    caught = await host.session.catch_up()
    if caught.sidebar:
        host.relist()
        tell_skipped(host)
    if caught.opened is not None:
        host.show_passages(caught.opened)
    for notice in host.session.notices():
        host.notify(notice, title="Your notes", severity="warning", timeout=20)


def tell_skipped(host: Host, again: bool = False) -> None:
    """Name the files the scan skipped, and why: each once a session, or all when asked."""
    message = host.session.skipped_notice(again)
    if message is not None:
        host.notify(message, title="Files skipped", severity="warning", timeout=15)


async def search(host: Host, query: str) -> None:
    """Add articles whose text or notes match the filter, once typing paused and the index answered."""
    await asyncio.sleep(SEARCH_PAUSE)
    if await host.session.search(query):
        host.redraw(host.library.articles.current_key)
