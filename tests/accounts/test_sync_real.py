"""Two-way sync against a real Miniflux on 127.0.0.1, through its own API and its Google Reader API.

Each test runs twice: with a ``miniflux`` account (``/v1``, API token) and a ``greader`` account
(the Google Reader endpoint, switched on for the user as Miniflux's integration settings do). The
"other machine" is Miniflux's ``/v1`` API as the same user.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedserver import FeedServer
from world import World

from reader.domain.store.store import Store

ITEMS = [("a1", "Alpha post"), ("b2", "Beta post"), ("c3", "Gamma post")]


@pytest.fixture(params=["miniflux", "greader"])
def world(request: pytest.FixtureRequest, miniflux, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[World]:
    user = miniflux.new_user()
    with FeedServer() as feeds:
        w = World(miniflux, feeds, tmp_path / "data", request.param, user, capsys)
        if request.param == "greader":
            w.gr_user, w.gr_password = f"gr-{user.name}", f"gr-{user.password}"
            miniflux.enable_google_reader(user, w.gr_user, w.gr_password)
        yield w
    if not miniflux.running:  # a test that stopped it and failed before starting it again
        miniflux.start()


def flags(world: World) -> tuple[set[str], set[str]]:
    """(read, starred) article titles in the local store."""
    titles = {row["id"]: title for title, row in world.articles().items()}
    with Store.open(world.data / "reader.json") as store:
        return ({titles[a] for a in store.read_articles() if a in titles},
                {titles[a] for a in store.starred_articles() if a in titles})


def server_flags(world: World) -> tuple[set[str], set[str]]:
    entries = world.entries()
    return ({t for t, e in entries.items() if e["status"] == "read"}, {t for t, e in entries.items() if e["starred"]})


def test_entries_arrive_as_markdown_articles_grouped_by_feed_and_category(world: World) -> None:
    world.subscribe("/news.xml", "Loop News", ITEMS, category="Tech")
    assert world.add_account().code == 0
    run = world.sync()
    assert "3 new" in run.out
    articles = world.articles()
    assert set(articles) == {"Alpha post", "Beta post", "Gamma post"}
    alpha = articles["Alpha post"]
    assert (alpha["source"], alpha["section"], alpha["tags"], alpha["url"]) == (
        "Loop News", "Tech", ["Tech"], "https://example.org/a1")
    path = Path(alpha["path"])
    assert path.parent.name == "loop-news" and path.parent.parent.parent == world.data / "articles"
    assert "Text of Alpha post, with a **bold** word." in path.read_text(encoding="utf-8")
    shown = world.reader("show", alpha["id"])
    assert "**bold**" in shown.out and "<strong>" not in shown.out
    again = world.sync()
    assert "0 new" in again.out and set(world.articles()) == set(articles)


def test_read_and_starred_travel_both_ways(world: World) -> None:
    world.subscribe("/news.xml", "Loop News", ITEMS)
    world.add_account()
    world.sync()
    ids = {title: row["id"] for title, row in world.articles().items()}
    entries = world.entries()
    with world.api as api:  # on the other machine: read Alpha, star Beta
        api.put("/entries", json={"entry_ids": [entries["Alpha post"]["id"]], "status": "read"}).raise_for_status()
        api.put(f"/entries/{entries['Beta post']['id']}/bookmark").raise_for_status()
    assert "2 changed here" in world.sync().out
    assert flags(world) == ({"Alpha post"}, {"Beta post"})

    for article, flag in ((ids["Gamma post"], "--read"), (ids["Alpha post"], "--unread"),
                          (ids["Alpha post"], "--star"), (ids["Beta post"], "--unstar")):
        run = world.reader("mark", article, flag)
        assert run.code == 0 and "reader sync" in run.out
    assert "4 sent" in world.sync().out
    assert server_flags(world) == ({"Gamma post"}, {"Alpha post"})
    assert flags(world) == ({"Gamma post"}, {"Alpha post"})
    assert "0 sent" in world.sync().out and server_flags(world) == ({"Gamma post"}, {"Alpha post"})


def test_a_change_made_while_the_server_is_down_is_sent_when_it_is_back(world: World) -> None:
    world.subscribe("/news.xml", "Loop News", ITEMS)
    world.add_account()
    world.sync()
    ids = {title: row["id"] for title, row in world.articles().items()}
    world.server.stop()
    try:
        assert world.reader("mark", ids["Beta post"], "--read").code == 0
        assert world.reader("mark", ids["Gamma post"], "--star").code == 0
        files = {p: p.read_bytes() for p in (world.data / "articles").rglob("*") if p.is_file() and ".lock" not in p.name}
        store_before = world.store_json()
        failed = world.reader("sync")
        assert failed.code == 1 and failed.out == ""
        assert failed.err.count("\n") == 1 and "Could not connect to 127.0.0.1" in failed.err
        assert world.store_json() == store_before  # a failed sync changes nothing local
        assert {p: p.read_bytes() for p in files} == files
        listed = json.loads(world.reader("account", "list", "--json").out)
        assert listed[0]["pending"] == 2
    finally:
        world.server.start()
    assert "2 sent" in world.sync().out
    assert server_flags(world) == ({"Beta post"}, {"Gamma post"})
    assert json.loads(world.reader("account", "list", "--json").out)[0]["pending"] == 0


def test_the_later_change_wins_when_both_sides_changed(world: World) -> None:
    world.subscribe("/news.xml", "Loop News", ITEMS)
    world.add_account()
    world.sync()
    ids = {title: row["id"] for title, row in world.articles().items()}
    entries = world.entries()
    alpha, beta = entries["Alpha post"]["id"], entries["Beta post"]["id"]
    # Alpha: read here first, then read and unread again on the server: the server's is later
    world.reader("mark", ids["Alpha post"], "--read")
    time.sleep(1.1)  # the Google Reader API gives change times to the second
    # Beta: starred and unstarred on the server first, then starred here: ours is later
    with world.api as api:
        api.put("/entries", json={"entry_ids": [alpha], "status": "read"}).raise_for_status()
        api.put("/entries", json={"entry_ids": [alpha], "status": "unread"}).raise_for_status()
        api.put(f"/entries/{beta}/bookmark").raise_for_status()
        api.put(f"/entries/{beta}/bookmark").raise_for_status()
    time.sleep(1.1)
    world.reader("mark", ids["Beta post"], "--star")
    world.sync()
    assert flags(world) == (set(), {"Beta post"})
    assert server_flags(world) == (set(), {"Beta post"})


def test_a_dropped_feed_keeps_the_articles_with_notes(world: World) -> None:
    feed = world.subscribe("/news.xml", "Loop News", ITEMS)
    world.subscribe("/other.xml", "Other News", [("o1", "Other post")])
    world.add_account()
    world.sync()
    ids = {title: row["id"] for title, row in world.articles().items()}
    bookmark = world.reader("bookmark", ids["Alpha post"], "--quote", "bold", "--note", "keep this")
    assert bookmark.code == 0
    assert world.reader("note", ids["Beta post"], "a note on the whole article").code == 0
    with world.api as api:
        api.delete(f"/feeds/{feed}").raise_for_status()
    run = world.sync()
    assert "3 dropped by the server (2 kept for their notes or star)" in run.out
    assert set(world.articles()) == {"Alpha post", "Beta post", "Other post"}
    listed = json.loads(world.reader("annotations", "--json").out)
    assert {(row["note"], row["status"]) for row in listed} == {("keep this", "exact"),
                                                                ("a note on the whole article", "exact")}
    assert "0 dropped" in world.sync().out and "Alpha post" in world.articles()


def test_a_bad_password_is_one_clear_line_and_no_secret_is_ever_shown(world: World, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-Pa55word-for-this-test"
    if world.kind == "miniflux":
        run = world.reader("account", "add", "miniflux", world.server.url, "--user", world.user.name,
                           "--password-file", world.secret_file("bad", wrong))
    else:
        run = world.reader("account", "add", "greader", world.server.url, "--user", world.gr_user,
                           "--password-file", world.secret_file("bad", wrong))
    assert run.code == 1 and run.out == ""
    assert run.err.count("\n") == 1 and "refused the credentials (HTTP 401)" in run.err
    assert json.loads(world.reader("account", "list", "--json").out) == []
    assert world.add_account().code == 0
    world.subscribe("/news.xml", "Loop News", ITEMS)
    world.sync()
    listed = world.reader("account", "list", "--json")
    assert json.loads(listed.out)[0]["kind"] == world.kind
    world.reader("account", "list")
    secrets = [wrong, world.user.token, world.user.password, world.gr_password]
    seen = "".join(world.outputs) + caplog.text + world.store_json()
    assert [s for s in secrets if s and s in seen] == []
    credentials = world.data / "credentials.json"
    assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600
    assert world.reader("account", "remove", world.server.url).code == 0
    assert json.loads(credentials.read_text()) == {}


def test_a_feed_both_local_and_on_the_server_is_shown_once(world: World) -> None:
    feed_url = world.feeds.url("/news.xml")
    world.subscribe("/news.xml", "Loop News", ITEMS)
    assert world.reader("feeds", "add", feed_url).code == 0
    assert world.reader("fetch").code == 0
    local = world.articles()
    assert set(local) == {"Alpha post", "Beta post", "Gamma post"}
    world.add_account()
    run = world.sync()
    assert "0 new" in run.out
    titles = [row["title"] for row in json.loads(world.reader("list", "--json").out)]
    assert sorted(t for t in titles if t.endswith(" post")) == ["Alpha post", "Beta post", "Gamma post"]
    fetched = world.reader("fetch")
    assert fetched.code == 0 and "comes through the account" in fetched.out
    assert world.reader("mark", local["Alpha post"]["id"], "--read").code == 0
    assert "1 sent" in world.sync().out
    assert server_flags(world)[0] == {"Alpha post"}
    # a new item on the server arrives once, through the account
    world.feeds.routes["/news.xml"] = world.feeds.routes["/news.xml"].__class__(
        world.feeds.routes["/news.xml"].body.replace(b"</channel>", b"<item><title>Delta post</title><guid>d4</guid>"
                                                     b"<link>https://example.org/d4</link></item></channel>"),
        headers={"Content-Type": "application/rss+xml"})
    with world.api as api:
        feed_id = next(f["id"] for f in api.get("/feeds").json() if f["feed_url"] == feed_url)
        api.put(f"/feeds/{feed_id}/refresh").raise_for_status()
    assert "1 new" in world.sync().out
    world.reader("fetch")
    titles = [row["title"] for row in json.loads(world.reader("list", "--json").out)]
    assert titles.count("Delta post") == 1 and titles.count("Alpha post") == 1


def test_an_entry_the_server_drops_goes_unless_it_has_a_note(world: World) -> None:
    world.subscribe("/news.xml", "Loop News", ITEMS)
    world.add_account()
    world.sync()
    articles = world.articles()
    ids = {title: row["id"] for title, row in articles.items()}
    beta_file = Path(articles["Beta post"]["path"])
    assert world.reader("bookmark", ids["Alpha post"], "--paragraph", "1").code == 0
    entries = world.entries()
    read = [entries["Alpha post"]["id"], entries["Beta post"]["id"]]
    with world.api as api:  # Miniflux's "flush history": read entries become "removed"
        api.put("/entries", json={"entry_ids": read, "status": "read"}).raise_for_status()
        api.put("/flush-history").raise_for_status()
        deadline = time.monotonic() + 10
        while api.get("/entries", params={"status": "removed"}).json()["total"] < 2:
            assert time.monotonic() < deadline, "the server did not flush its history"
            time.sleep(0.05)
    assert "2 dropped by the server (1 kept for their notes or star)" in world.sync().out
    assert set(world.articles()) == {"Alpha post", "Gamma post"}
    assert not beta_file.exists() and Path(articles["Alpha post"]["path"]).exists()


def test_with_a_system_keyring_the_secret_is_kept_there_and_sync_still_signs_in(world: World) -> None:
    from keyring_daemon import KeyringDaemon
    from running import running

    import keyring.backends.SecretService as secret_service

    world.subscribe("/news.xml", "Loop News", ITEMS)
    with running(KeyringDaemon(), "system keyring (D-Bus and GNOME Keyring)"):
        added = world.add_account()
        assert added.code == 0 and "secret in the system keyring" in added.out
        secret = world.user.token if world.kind == "miniflux" else world.gr_password
        credentials = world.data / "credentials.json"
        assert secret not in credentials.read_text(encoding="utf-8")
        service = f"reader {world.data.resolve()}"
        assert secret_service.Keyring().get_password(service, world.server.url) == secret
        assert "3 new" in world.sync().out
        assert json.loads(world.reader("account", "list", "--json").out)[0]["secret"] == "keyring"
        assert world.reader("account", "remove", world.server.url).code == 0
        assert secret_service.Keyring().get_password(service, world.server.url) is None
    assert all(secret not in output for output in world.outputs)
