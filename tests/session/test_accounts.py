"""The session's side of accounts, without Textual or a server: categories as sidebar groups,
stars drawn at once and saved in order, ``r`` with nothing to refresh, and a sync whose server
cannot be reached (one line, nothing local changed). Syncs against a real Miniflux are driven
through the app in tests/ui/test_keys_accounts.py."""

from __future__ import annotations

import asyncio
import socket

from reader.domain.articles.article import ArticleMeta
from reader.domain.feeds.accounts.credentials import CredentialFile, Secret
from reader.domain.store.account_tables import AccountTables
from reader.session import Session
from reader.session.feeds import NO_FEEDS, FeedProblem
from reader.session.grouping import Group

from .test_sidebar import headings, titles


def ids(session: Session) -> dict[str, str]:
    return {meta.title: meta.id for meta in session.sidebar.articles}


async def test_articles_an_account_brought_are_grouped_by_their_category(session: Session) -> None:
    by_title = ids(session)
    session.sidebar.set_categories({by_title["Bees return"]: "Tech", by_title["Dusk falls"]: "Tech"})
    view = session.sidebar.view()
    assert headings(view.rows) == ["SCIENCE", "Tech", "ARTS"]
    tech = next(row for row in view.rows if isinstance(row, Group) and row.name == "Tech")
    assert (tech.total, tech.unread) == (2, 2)
    assert titles(view.rows) == ["Atoms split", "Bees return", "Dusk falls", "Cello recital"]
    marked = session.sidebar.mark_read(by_title["Dusk falls"])
    assert marked is not None and marked.unread(tech) == 1  # its category's count, not "Other"'s


async def test_a_star_is_drawn_at_once_and_saved_in_the_order_asked(session: Session) -> None:
    meta: ArticleMeta = session.sidebar.find(ids(session)["Cello recital"])  # type: ignore[assignment]
    session.sidebar.view()
    first, starred, save_first = session.star(meta)
    assert starred and first.is_starred(meta.id)
    second, starred_again, save_second = session.star(meta)
    assert not starred_again and not second.is_starred(meta.id)
    assert await asyncio.gather(save_first, save_second) == [None, None]  # no account brought it
    assert session.services.store.starred_articles() == set()  # the later press wins
    await session.load_marks()
    assert not session.sidebar.view().is_starred(meta.id)


async def test_r_with_neither_feeds_nor_accounts_says_how_to_add_one(session: Session) -> None:
    try:
        await session.refresh_all(lambda line: None)
    except FeedProblem as problem:
        assert str(problem) == NO_FEEDS
    else:
        raise AssertionError("refresh_all did not say there is nothing to refresh")


async def test_a_sync_that_cannot_reach_its_server_is_one_line_and_changes_nothing(session: Session) -> None:
    with socket.socket() as probe:  # a port of 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    store = session.services.store
    AccountTables(store).add_account({"url": url, "kind": "miniflux", "user": "u", "auth": "token",
                                      "folder": "miniflux-away", "cursor": {}, "feeds": {}, "folders": {},
                                      "last_sync": None, "entries": 0})
    CredentialFile(session.services.paths.credentials_file).put(url, Secret("token-never-shown"))
    before = store.read_tables("accounts", "reading", "starred")
    lines: list[str] = []
    done = await session.refresh_all(lines.append)
    assert done.failed and done.message.count("\n") == 0
    assert done.message.startswith(f"FAILED {url}: Could not connect") and "token-never-shown" not in done.message
    assert lines == [f"Syncing… miniflux {url.removeprefix('http://')}"]
    assert store.read_tables("accounts", "reading", "starred") == before


async def test_r_while_a_sync_runs_says_so_and_starts_nothing(session: Session) -> None:
    session.accounts.syncing = True  # as while a sync's thread runs
    lines: list[str] = []
    try:
        await session.refresh_all(lines.append)
    except FeedProblem as problem:
        assert str(problem) == "Already refreshing."
    else:
        raise AssertionError("a second refresh started")
    assert lines == []
