"""Feed keys against a loopback server (127.0.0.1, started and stopped here): r refreshes every
feed, R the current article's; the palette's Add feed… prompt (Enter, Esc); and new articles that
arrive while the app runs — a file dropped in the library folder, or `reader fetch` run in
another process (the app polls every 2 s: each gets up to 6 s)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from domain.feedserver import FeedServer, standard_routes
from reader.domain.feeds.subscriptions import new_subscription
from reader.domain.store.store import Store

from .conftest import write_article
from .keys_support import (headline, list_current, listed_titles, open_title, palette_prompt, sidebar, toasts, top,
                           wait_for_top, wait_until)

RSS_TITLES = ["First post", "Second post"]


@pytest.fixture
def feeds():
    """The loopback server with the shared routes (``/rss.xml``, ``/atom.xml`` …)."""
    with FeedServer(standard_routes()) as server:
        yield server


def subscribe(data_dir: Path, *urls: str) -> None:
    with Store.open(data_dir / "reader.json") as store:
        for url in urls:
            store.put_subscription(new_subscription(url))


def shown(run, text: str) -> bool:
    return any(text in toast for toast in toasts(run))


async def refreshed(run) -> None:
    """Press r and wait for the refresh (and the rescan after it) to end."""
    await run.press("r")
    await run.settle()
    assert await wait_until(run, lambda: shown(run, " refreshed, "))


async def test_r_fetches_every_feed_and_lists_the_new_articles(launch, data_dir: Path, feeds: FeedServer) -> None:
    subscribe(data_dir, feeds.url("/rss.xml"), feeds.url("/atom.xml"))
    async with launch() as run:
        assert not set(RSS_TITLES) & set(listed_titles(run))
        await refreshed(run)
        assert shown(run, "2 feeds refreshed, 3 new articles")
        assert set(RSS_TITLES) <= set(listed_titles(run))
        headings = [line[3:].split("  ")[0] for line in sidebar(run) if line.startswith(" ▾ ")]
        assert sorted(headings) == ["Loopback & RSS", "Loopback Atom", "NEWS"]
        subs = run.services.store.subscriptions()
        assert sorted(s["title"] for s in subs) == ["Loopback & RSS", "Loopback Atom"]
        assert all(s.get("last_fetch") and not s.get("error") for s in subs)
        assert len(feeds.hits("/rss.xml")) == len(feeds.hits("/atom.xml")) == 1


async def test_r_without_feeds_says_how_to_add_one(launch) -> None:
    async with launch() as run:
        await run.press("r")
        assert shown(run, "No feeds yet")


async def test_R_fetches_only_the_feed_of_the_article_being_read(launch, data_dir: Path, feeds: FeedServer) -> None:
    subscribe(data_dir, feeds.url("/rss.xml"), feeds.url("/atom.xml"))
    async with launch() as run:
        await refreshed(run)
        await open_title(run, "First post")
        await run.press("R")
        await run.settle()
        assert await wait_until(run, lambda: shown(run, "1 feed refreshed"))
        assert (len(feeds.hits("/rss.xml")), len(feeds.hits("/atom.xml"))) == (2, 1)


async def test_R_reading_a_feed_article_with_the_list_cursor_on_its_heading(launch, data_dir: Path,
                                                                           feeds: FeedServer) -> None:
    subscribe(data_dir, feeds.url("/rss.xml"))
    async with launch() as run:
        await refreshed(run)
        await open_title(run, "Second post")  # the feed's newest: right under its heading
        await run.press("escape")
        await run.press("k")  # onto the feed's heading; the article stays open
        assert list_current(run) is None
        assert headline(run) == "Second post"
        await run.press("R")
        await run.settle()
        assert not shown(run, "does not come from a subscribed feed"), "R is about the article being read"
        assert len(feeds.hits("/rss.xml")) == 2


async def test_R_on_an_article_that_is_not_from_a_feed_says_so(launch, data_dir: Path, feeds: FeedServer) -> None:
    subscribe(data_dir, feeds.url("/rss.xml"))
    async with launch() as run:
        await run.press("enter", "R")  # the seed
        assert shown(run, "The current article does not come from a subscribed feed.")
        assert feeds.hits("/rss.xml") == []


async def open_add_feed(run) -> None:
    """Ctrl+P, Add feed…, Enter: the prompt for a URL."""
    await palette_prompt(run, "Add feed")


async def test_escape_in_the_add_feed_prompt_subscribes_to_nothing(launch, feeds: FeedServer) -> None:
    async with launch() as run:
        await open_add_feed(run)
        await run.pilot.press(*feeds.url("/rss.xml"), "escape")
        await wait_for_top(run, "MainScreen")
        await run.settle()
        assert run.services.store.subscriptions() == []
        assert feeds.requests == []


async def test_enter_in_the_add_feed_prompt_subscribes_and_fetches(launch, feeds: FeedServer) -> None:
    async with launch() as run:
        await open_add_feed(run)
        await run.pilot.press(*feeds.url("/rss.xml"), "enter")
        await wait_for_top(run, "MainScreen")
        assert await wait_until(run, lambda: shown(run, "1 feed refreshed"), tries=100)
        assert [s["url"] for s in run.services.store.subscriptions()] == [feeds.url("/rss.xml")]
        assert set(RSS_TITLES) <= set(listed_titles(run))


# -- what arrives while the app runs --------------------------------------------------------------------


async def test_a_file_added_to_the_library_folder_is_listed_while_the_app_runs(launch, data_dir: Path) -> None:
    async with launch() as run:
        write_article(data_dir / "articles", "late.txt", "LATE\nLate story\nIt arrived after start.\n")
        assert await wait_until(run, lambda: "Late story" in listed_titles(run), tries=60, step=0.1), \
            "not listed 6 s after it was written"
        assert top(run) == "MainScreen"


async def test_articles_fetched_by_reader_fetch_in_another_process_are_listed(launch, data_dir: Path,
                                                                              feeds: FeedServer) -> None:
    subscribe(data_dir, feeds.url("/rss.xml"))
    async with launch() as run:
        fetch = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "reader", "--data-dir", str(data_dir), "fetch",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(fetch.communicate(), 60)
        assert fetch.returncode == 0, err.decode()
        assert sorted(p.name for p in (data_dir / "articles").rglob("*.md")), "reader fetch wrote the items"
        assert await wait_until(run, lambda: set(RSS_TITLES) <= set(listed_titles(run)), tries=60, step=0.1), \
            "not listed 6 s after reader fetch ended"


async def test_enter_in_the_add_feed_prompt_on_a_subscribed_feed_says_so(launch, data_dir: Path, feeds: FeedServer) -> None:
    subscribe(data_dir, feeds.url("/rss.xml"))
    async with launch() as run:
        await open_add_feed(run)
        await run.pilot.press(*feeds.url("/rss.xml"), "enter")
        await wait_for_top(run, "MainScreen")
        assert await wait_until(run, lambda: shown(run, f"Already subscribed to {feeds.url('/rss.xml')}"), tries=100), toasts(run)
        assert not shown(run, "Subscribed to")
        assert [s["url"] for s in run.services.store.subscriptions()] == [feeds.url("/rss.xml")]
