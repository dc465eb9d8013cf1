"""Account keys in the app against a real Miniflux on 127.0.0.1 (tests/servers/miniflux.py, started
for this module and stopped after it; skipped where it cannot run, failed under CI), each test
through its own API and through its Google Reader API: ``r`` syncs
every account with progress, the server's categories become sidebar groups, opening marks read,
``*`` stars, and the next ``r`` sends both; a failed sync is one line and changes nothing.
``*`` on a local article needs no server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "servers"), str(HERE.parent / "domain"), str(HERE.parent / "accounts")]

from feedserver import FeedServer  # noqa: E402
from miniflux import MinifluxServer  # noqa: E402
from running import running  # noqa: E402
from world import World  # noqa: E402

from reader.domain.feeds.subscriptions import new_subscription  # noqa: E402
from reader.domain.store.store import Store  # noqa: E402

from .keys_support import SEED_TITLE, focused_id, many_articles, listed_titles, open_title, sidebar, toasts, wait_until  # noqa: E402

ITEMS = [("a1", "Alpha post"), ("b2", "Beta post"), ("c3", "Gamma post")]


@pytest.fixture(scope="module")
def miniflux() -> Iterator[MinifluxServer]:
    """PostgreSQL and Miniflux on 127.0.0.1 for this module."""
    with running(MinifluxServer(), "Miniflux server") as server:
        yield server


@pytest.fixture(params=["miniflux", "greader"])
def world(request: pytest.FixtureRequest, miniflux: MinifluxServer, data_dir: Path,
          capsys: pytest.CaptureFixture[str]) -> Iterator[World]:
    """A fresh Miniflux user following "Loop News" (category "Tech"), and the account added to
    ``data_dir`` with ``reader account add`` (not synced yet): through Miniflux's own API, and
    through its Google Reader API."""
    user = miniflux.new_user()
    with FeedServer() as feeds:
        w = World(miniflux, feeds, data_dir, request.param, user, capsys)
        if request.param == "greader":
            w.gr_user, w.gr_password = f"gr-{user.name}", f"gr-{user.password}"
            miniflux.enable_google_reader(user, w.gr_user, w.gr_password)
        w.subscribe("/news.xml", "Loop News", ITEMS, category="Tech")
        assert w.add_account().code == 0
        yield w
    if not miniflux.running:
        miniflux.start()


def headings(run) -> list[str]:
    return [line[3:].split("  ")[0] for line in sidebar(run) if line.startswith((" ▾ ", " ▸ "))]


def details(run, title: str) -> str:
    """The second line of an article's row (its star, group, date), found by its headline's start."""
    return run.sidebar_entry(title[:25])[1]


def shown(run, text: str) -> bool:
    return any(text in toast for toast in toasts(run))


def said(run) -> list[str]:
    """Record every line the library pane's status shows from now on."""
    lines: list[str] = []
    pane = run.main.library
    original = pane.say

    def say(text: str) -> None:
        lines.append(text)
        original(text)

    pane.say = say  # type: ignore[method-assign]
    return lines


async def synced(run, text: str = "ok http://127.0.0.1") -> None:
    """Press r and wait until the sync's notice says ``text``."""
    run.notices.clear()
    await run.press("r")
    assert await wait_until(run, lambda: any(text in n.message for n in run.notices), tries=200), run.notices


def starred_in_store(run) -> set[str]:
    titles = {r.meta.id: r.meta.title for r in run.articles.rows}
    return {titles[a] for a in run.services.store.starred_articles() if a in titles}


def server_flags(world: World) -> dict[str, tuple[str, bool]]:
    return {title: (row["status"], row["starred"]) for title, row in world.entries().items()}


async def test_r_syncs_the_account_with_progress_and_lists_its_entries_under_their_category(launch, world: World) -> None:
    async with launch() as run:
        assert not {"Alpha post", "Beta post", "Gamma post"} & set(listed_titles(run))
        lines = said(run)
        await synced(run)
        host = world.server.url.removeprefix("http://")
        assert f"Syncing 3/3 entries… {world.kind} {host}" in lines, lines
        assert any("3 new" in n.message and n.severity == "information" for n in run.notices)
        assert {"Alpha post", "Beta post", "Gamma post"} <= set(listed_titles(run))
        assert "Tech" in headings(run) and "Loop News" not in headings(run)  # the category is the group
        assert "Loop News" in details(run, "Alpha post")  # the feed is still named on the row
        await synced(run)  # nothing new the second time, nothing listed twice
        assert any("0 new" in n.message for n in run.notices)
        assert sorted(t for t in listed_titles(run) if t.endswith(" post")) == ["Alpha post", "Beta post", "Gamma post"]


async def test_keys_still_work_while_r_syncs_a_bigger_account(launch, world: World, data_dir: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import reader.session.accounts as accounts_module

    gate = threading.Event()  # the sync's thread waits here after its first page, until j was handled
    throttled = accounts_module._throttled

    def held(*args):
        inner = throttled(*args)

        def progress(done: int, total: int) -> None:
            inner(done, total)
            gate.wait(10)

        return progress

    monkeypatch.setattr(accounts_module, "_throttled", held)
    world.subscribe("/more.xml", "More News", [(f"m{i}", f"More item {i:03d}") for i in range(600)], category="More")
    many_articles(data_dir, 5)
    async with launch() as run:
        lines = said(run)
        run.articles.focus()
        handled: list[tuple[bool, int, int]] = []  # for each j: was the sync still running; the rows from, to
        move = run.articles.action_move

        def moved(delta: int) -> None:
            syncing, before = run.main.session.accounts.syncing, run.articles.cursor
            move(delta)
            handled.append((syncing, before, run.articles.cursor))

        run.articles.action_move = moved  # type: ignore[method-assign]
        await run.pilot.press("r")  # not settled: the sync is running
        first_page = "Syncing 250/603" if world.kind == "miniflux" else "Syncing 100/603"  # greader: contents batches
        assert await wait_until(run, lambda: any(line.startswith(first_page) for line in lines), tries=200)
        await run.pilot.press("j")
        await run.pilot.pause()
        gate.set()
        assert len(handled) == 1 and handled[0][0] and handled[0][2] == handled[0][1] + 1  # moved while it synced
        assert await wait_until(run, lambda: any("603 new" in n.message for n in run.notices), tries=400), run.notices
        assert any(line.startswith("Syncing 603/603 entries") for line in lines), lines


async def test_while_r_syncs_no_listing_shows_the_accounts_articles_under_their_feed(
        launch, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync writes its files before the store knows their category: the app's look for new
    files (every 2 s; every 0.05 s here) must not list them in between, grouped by feed."""
    import reader.ui.screens.main as main_module

    from reader.session.grouping import Group

    monkeypatch.setattr(main_module, "POLL_SECONDS", 0.05)
    world.subscribe("/more.xml", "More News", [(f"m{i}", f"More item {i:03d}") for i in range(600)], category="More")
    async with launch() as run:
        groups: set[str] = set()
        pane = run.main.library
        show = pane.show

        def shown_view(view) -> None:
            groups.update(row.name for row in view.rows if isinstance(row, Group))
            show(view)

        pane.show = shown_view  # type: ignore[method-assign]
        await synced(run, "603 new")
        await run.pilot.pause(0.3)
        await run.settle()
        assert {"More", "Tech"} <= groups and not {"More News", "Loop News"} & groups, groups


async def test_opening_marks_read_star_key_stars_and_the_next_r_sends_both(launch, world: World) -> None:
    async with launch() as run:
        await synced(run)
        await open_title(run, "Alpha post")  # Enter opens it and marks it read
        await run.press("asterisk")  # in the article: stars the open article
        assert "★" in details(run, "Alpha post")
        run.articles.focus()
        run.articles.select_id(next(r.meta.id for r in run.articles.rows if r.meta.title == "Beta post"))
        await run.pilot.pause()
        await run.press("asterisk")  # in the list: stars the highlighted article, not the open one
        assert focused_id(run) == "articles"
        assert "★" in details(run, "Beta post") and "★" in details(run, "Alpha post")
        await run.press("asterisk")  # again: unstars it
        assert "★" not in details(run, "Beta post")
        assert starred_in_store(run) == {"Alpha post"}
        assert shown(run, "the next sync (r) sends it to http://127.0.0.1")
        assert server_flags(world)["Alpha post"] == ("unread", False)  # queued, not sent yet
        await synced(run, "2 sent")  # read and star of Alpha
        flags = server_flags(world)
        assert flags["Alpha post"] == ("read", True)
        assert flags["Beta post"] == ("unread", False) and flags["Gamma post"] == ("unread", False)
        with world.api as api:  # on another machine: star Gamma
            api.put(f"/entries/{world.entries()['Gamma post']['id']}/bookmark").raise_for_status()
        await synced(run, "1 changed here")
        assert "★" in details(run, "Gamma post")
        assert starred_in_store(run) == {"Alpha post", "Gamma post"}


async def test_r_with_the_server_away_says_so_in_one_line_and_changes_nothing(launch, world: World) -> None:
    async with launch() as run:
        await synced(run)
        await open_title(run, "Beta post")
        await run.press("asterisk")
        await run.pilot.pause(0.8)  # the position's save timer (0.5 s) has run
        await run.settle()
        before = world.store_json()
        listed = listed_titles(run)
        world.server.stop()
        await synced(run, "FAILED http://127.0.0.1")
        failure = [n for n in run.notices if "FAILED" in n.message]
        assert len(failure) == 1 and failure[0].severity == "warning"
        assert "\n" not in failure[0].message and "Could not connect" in failure[0].message
        assert world.user.token not in failure[0].message and (not world.gr_password or world.gr_password not in failure[0].message)
        assert world.store_json() == before and listed_titles(run) == listed
        world.server.start()
        await synced(run, "2 sent")  # what waited is sent once the server is back
        assert server_flags(world)["Beta post"] == ("read", True)


async def test_a_feed_both_local_and_on_the_server_is_listed_once_in_the_app(launch, world: World, data_dir: Path) -> None:
    with Store.open(data_dir / "reader.json") as store:
        store.put_subscription(new_subscription(world.feeds.url("/news.xml")))
    async with launch() as run:
        await synced(run, "0 new")  # the fetch saved the items; the sync makes them the account's
        assert any("1 feed refreshed, 3 new articles" in n.message for n in run.notices)
        titles = [t for t in listed_titles(run) if t.endswith(" post")]
        assert sorted(titles) == ["Alpha post", "Beta post", "Gamma post"]
        await synced(run, "0 new")
        assert any("1 feed refreshed, 0 new articles" in n.message for n in run.notices)  # left to the sync
        assert sorted(t for t in listed_titles(run) if t.endswith(" post")) == ["Alpha post", "Beta post", "Gamma post"]
        assert "Tech" in headings(run) and "Loop News" not in headings(run)


async def test_asterisk_stars_a_local_article_and_again_unstars_it(launch) -> None:
    async with launch() as run:
        await open_title(run, SEED_TITLE)
        await run.press("asterisk")
        assert "★" in details(run, SEED_TITLE)
        assert run.services.store.starred_articles() == {run.view.opened.article.id}
        assert shown(run, f"Starred: {SEED_TITLE}") and not shown(run, "next sync")
        await run.press("asterisk")
        assert "★" not in details(run, SEED_TITLE)
        assert run.services.store.starred_articles() == set()
