"""Syncing subscriptions into Markdown articles, against a loopback server and an in-memory store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import frontmatter
import pytest
from feedserver import RSS, FeedServer, Route, standard_routes

from reader.domain.feeds.articles import INDEX_FILE, slugify, write_atomic
from reader.domain.feeds.fetching import FetchLimits
from reader.domain.feeds.subscriptions import (
    MemorySubscriptions, SubscriptionError, add_subscription, new_subscription, sync_feeds,
)

FAST = FetchLimits(connect_timeout=2.0, total_timeout=1.0)


FakeStore = MemorySubscriptions


def rss(*items: str, title: str = "Changing") -> bytes:
    body = "".join(items)
    return f"<rss version='2.0'><channel><title>{title}</title>{body}</channel></rss>".encode()


def item(guid: str | None, title: str, text: str, link: str | None = None) -> str:
    guid_el = f"<guid>{guid}</guid>" if guid else ""
    link_el = f"<link>{link}</link>" if link else ""
    return f"<item><title>{title}</title>{guid_el}{link_el}<description>{text}</description></item>"


def articles(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.glob("*.md"))}


@pytest.fixture()
def server():
    with FeedServer(standard_routes()) as srv:
        yield srv


def test_sync_marks_only_bad_feeds_failing(server: FeedServer, tmp_path: Path) -> None:
    store = FakeStore()
    good = ["/rss.xml", "/atom.xml", "/feed.json", "/etag.xml"]
    bad = ["/raises.xml", "/missing.xml", "/slow.xml", "/loop", "/to-file"]
    for path in good + bad:
        add_subscription(store, server.url(path), tags=["news"])
    results = sync_feeds(store, tmp_path, limits=FAST)
    assert [r.error is None for r in results] == [True] * 4 + [False] * 5
    subs = {s["url"]: s for s in store.subscriptions()}
    for path in good:
        sub = subs[server.url(path)]
        assert sub["error"] is None and sub["items"] >= 1 and sub["last_fetch"] and sub["title"]
    for path in bad:
        sub = subs[server.url(path)]
        assert sub["error"] and "\n" not in sub["error"] and sub["items"] == 0
    assert subs[server.url("/etag.xml")]["etag"] == '"v1"'
    assert subs[server.url("/missing.xml")]["error"] == "HTTP 404 Not Found."
    assert subs[server.url("/slow.xml")]["error"] == "Timed out."


def test_articles_have_front_matter_and_body(server: FeedServer, tmp_path: Path) -> None:
    store = FakeStore()
    add_subscription(store, server.url("/rss.xml"), tags=["mine"])
    (result,) = sync_feeds(store, tmp_path, limits=FAST)
    assert (result.new, result.updated) == (2, 0)
    folder = tmp_path / "loopback-rss"
    assert sorted(articles(folder)) == ["first-post.md", "second-post.md"]
    post = frontmatter.loads((folder / "first-post.md").read_text())
    assert post.metadata == {
        "title": "First post", "author": "Ada", "date": "2024-01-02T10:00:00+00:00",
        "source": "Loopback & RSS", "url": "https://example.org/posts/1", "guid": "rss-1",
        "section": "Loopback & RSS", "tags": ["mine", "news"],
    }
    assert post.content == "Full text with [a link](https://example.org/x)."
    second = frontmatter.loads((folder / "second-post.md").read_text())
    assert second["url"] == "" and second.content == "Plain second."
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_second_sync_rewrites_nothing_and_uses_304(server: FeedServer, tmp_path: Path) -> None:
    store = FakeStore()
    add_subscription(store, server.url("/etag.xml"))
    add_subscription(store, server.url("/atom.xml"))
    sync_feeds(store, tmp_path, limits=FAST)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    results = sync_feeds(store, tmp_path, limits=FAST)
    assert results[0].not_modified and (results[1].new, results[1].updated) == (0, 0)
    assert server.hits("/etag.xml")[-1]["if-none-match"] == '"v1"'
    after = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
    assert store.subs[server.url("/etag.xml")]["items"] == 2


def test_updated_item_rewrites_its_file_and_nothing_is_deleted(tmp_path: Path) -> None:
    routes = {"/f.xml": Route(rss(item("a", "Alpha", "one"), item("b", "Beta", "two")))}
    with FeedServer(routes) as srv:
        store = FakeStore()
        add_subscription(store, srv.url("/f.xml"))
        sync_feeds(store, tmp_path, limits=FAST)
        srv.routes["/f.xml"] = Route(rss(item("a", "Alpha renamed", "one, edited"), item("c", "Gamma", "three")))
        (result,) = sync_feeds(store, tmp_path, limits=FAST)
    assert (result.new, result.updated) == (1, 1)
    files = articles(tmp_path / "changing")
    assert sorted(files) == ["alpha.md", "beta.md", "gamma.md"]  # beta left the feed but stays
    alpha = frontmatter.loads(files["alpha.md"])
    assert alpha["title"] == "Alpha renamed" and alpha.content == "one, edited"
    assert store.subs[srv.url("/f.xml")]["items"] == 3


def test_dedupe_by_guid_then_link(tmp_path: Path) -> None:
    first = rss(item(None, "No guid", "x", "https://e.org/1"), item(None, "Same title", "y", "https://e.org/2"),
                item(None, "Same title", "z", "https://e.org/3"), item("g", "Dup", "1"), item("g", "Dup", "2"))
    with FeedServer({"/f.xml": Route(first)}) as srv:
        store = FakeStore()
        add_subscription(store, srv.url("/f.xml"))
        (r1,) = sync_feeds(store, tmp_path, limits=FAST)
        # The feed starts giving guids: the item is still found by its link.
        srv.routes["/f.xml"] = Route(rss(item("new-guid", "No guid", "x", "https://e.org/1")))
        (r2,) = sync_feeds(store, tmp_path, limits=FAST)
    assert r1.new == 4
    assert (r2.new, r2.updated) == (0, 1)
    assert sorted(articles(tmp_path / "changing")) == ["dup.md", "no-guid.md", "same-title-2.md", "same-title.md"]
    index = json.loads((tmp_path / "changing" / INDEX_FILE).read_text())
    files = {entry["file"]: key for key, entry in index["items"].items()}
    assert files["no-guid.md"] == f"guid:{srv.url('/new-guid')}"  # the article is now the id's (a permalink)


def test_full_text_fetches_linked_pages(tmp_path: Path) -> None:
    page = ("<html><head><title>P</title></head><body><nav>Menu</nav><article><h1>Story</h1><p>"
            + "The whole story is told here in many words. " * 20 + "</p></article></body></html>").encode()
    with FeedServer({}) as srv:
        feed = rss(item("1", "One", "summary only", srv.url("/page/1")),
                   item("2", "Two", "summary two", srv.url("/page/2")))
        srv.routes.update({"/f.xml": Route(feed), "/page/1": Route(page, headers={"Content-Type": "text/html"})})
        store = FakeStore()
        add_subscription(store, srv.url("/f.xml"), full=True)
        (result,) = sync_feeds(store, tmp_path, limits=FAST)
        files = articles(tmp_path / "changing")
        assert "The whole story is told here" in files["one.md"] and "Menu" not in files["one.md"]
        assert frontmatter.loads(files["two.md"]).content == "summary two"  # page 404: feed text kept
        srv.routes["/page/2"] = Route(page.replace(b"whole story", b"second story"))
        (again,) = sync_feeds(store, tmp_path, limits=FAST)
        assert "second story" in articles(tmp_path / "changing")["two.md"]
        assert len(srv.hits("/page/1")) == 1  # an item that has its full text is not fetched again
    assert result.new == 2


def test_subscription_urls_must_be_http(tmp_path: Path) -> None:
    store = FakeStore()
    for url in ["file:///etc/passwd", "javascript:alert(1)", "ftp://e.org/f", "data:,x", "feed", ""]:
        with pytest.raises(SubscriptionError):
            add_subscription(store, url)
    assert store.subs == {}
    add_subscription(store, "https://e.org/f", tags=["a"])
    add_subscription(store, "https://e.org/f", tags=["b", "a"])
    assert store.subs["https://e.org/f"]["tags"] == ["a", "b"]
    assert set(new_subscription("https://e.org/f")) == {
        "url", "title", "tags", "etag", "modified", "last_fetch", "error", "items", "full"}


def test_hostile_titles_make_safe_slugs(tmp_path: Path) -> None:
    evil = rss(item("1", "../../etc/passwd", "x"), item("2", ".hidden", "y"), item("3", "\u202e\x1b[2J", "z"),
               title="../../..")
    with FeedServer({"/f.xml": Route(evil)}) as srv:
        store = FakeStore()
        add_subscription(store, srv.url("/f.xml"))
        sync_feeds(store, tmp_path, limits=FAST)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md"))
    assert written == ["127-0-0-1/2j.md", "127-0-0-1/etc-passwd.md", "127-0-0-1/hidden.md"]
    assert slugify("Ünïcode 日本語 title!") == "ünïcode-日本語-title"
    assert slugify("...") == "item"


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    write_atomic(target, b"old")

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_unwritable_articles_dir_is_an_error_on_that_feed(server: FeedServer, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = FakeStore()
    add_subscription(store, server.url("/rss.xml"))
    (result,) = sync_feeds(store, blocker, limits=FAST)
    assert result.error and result.error.startswith("Could not write articles")
    assert store.subs[server.url("/rss.xml")]["error"] == result.error
    assert RSS  # the feed itself was fine


def test_a_failed_write_leaves_an_index_of_what_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.domain.feeds import articles as feed_articles

    real = feed_articles.write_atomic

    def flaky(path: Path, data: bytes, **options: bool) -> None:
        if path.name == "beta.md":
            raise OSError(28, "No space left on device")
        real(path, data, **options)

    feed = rss(item("a", "Alpha", "one"), item("b", "Beta", "two"), item("c", "Gamma", "three"))
    with FeedServer({"/f.xml": Route(feed)}) as srv:
        store = FakeStore()
        add_subscription(store, srv.url("/f.xml"))
        monkeypatch.setattr(feed_articles, "write_atomic", flaky)
        (first,) = sync_feeds(store, tmp_path, limits=FAST)
        assert first.error and "No space left" in first.error
        index = json.loads((tmp_path / "changing" / INDEX_FILE).read_text())
        assert sorted(e["file"] for e in index["items"].values()) == ["alpha.md", "gamma.md"]
        monkeypatch.setattr(feed_articles, "write_atomic", real)
        (second,) = sync_feeds(store, tmp_path, limits=FAST)
    assert (second.new, second.updated, second.error) == (1, 0, None)
    assert sorted(articles(tmp_path / "changing")) == ["alpha.md", "beta.md", "gamma.md"]
