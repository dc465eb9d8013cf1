"""Feeds in the app: `r` fetches from a loopback server, the list fills, a failing feed shows its error."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.domain.store.store import Store
from reader.domain.feeds.subscriptions import add_subscription, new_subscription

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title>
<link>http://127.0.0.1/</link>{items}</channel></rss>"""
ITEM = """<item><title>Story {i}</title><link>http://127.0.0.1/s{i}</link><guid>s{i}</guid>
<pubDate>Mon, 0{d} Sep 2025 10:00:00 GMT</pubDate><description><![CDATA[<p>Body of story {i}.</p>
<script>evil()</script>]]></description></item>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture
def server(tmp_path: Path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "rss.xml").write_text(RSS.format(items="".join(ITEM.format(i=i, d=i + 1) for i in range(3))))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _subscribe(data_dir: Path, *urls: str) -> None:
    store = Store.open(data_dir / "reader.json")
    try:
        for url in urls:
            store.put_subscription(new_subscription(url))
    finally:
        store.close()


async def test_refresh_lists_new_items_and_marks_only_the_bad_feed(launch, data_dir: Path, server: str) -> None:
    _subscribe(data_dir, f"{server}/rss.xml", f"{server}/missing.xml")
    async with launch() as run:
        assert not any(r.meta.source == "Loopback News" for r in run.articles.rows)
        await run.press("r")
        await run.settle()  # the refresh rescans the library when every feed is done
        titles = [r.meta.title for r in run.articles.rows if r.meta.source == "Loopback News"]
        assert titles == ["Story 2", "Story 1", "Story 0"]
        lines = run.sidebar()
        assert any(line.startswith(" ▾ Loopback News  3 unread") for line in lines), lines
        bad = next(i for i, line in enumerate(lines) if line.startswith(f" ▾ {server}"))  # its URL (cut with …) names it
        assert "⚠" in lines[bad + 1] and "404" in lines[bad + 1]
        told = run.notices_of("warning")[-1].message
        assert told == f"1 feed refreshed, 3 new articles; 1 failed: {server}/missing.xml: HTTP 404 File not found.", told


async def test_a_feed_item_is_read_and_bookmarked_like_any_article(launch, data_dir: Path, server: str) -> None:
    _subscribe(data_dir, f"{server}/rss.xml")
    async with launch() as run:
        await run.press("r")
        await run.settle()
        await run.choose("Story 1")
        assert "Body of story 1." in run.view.opened.projection.text
        assert "evil" not in run.view.opened.article.body
        await run.press("b")
        stored = run.services.store.annotations()
        assert [(a.article, a.quote) for a in stored] == [(run.view.opened.article.id, "Body of story 1.")]


async def test_refresh_of_a_feed_marked_full_fills_a_saved_article_and_its_bookmark_stays(
        launch, data_dir: Path, server: str, tmp_path: Path) -> None:
    www = tmp_path / "www"
    story = ("<item><title>Story 1</title><link>{server}/story-1.html</link><guid>s1</guid>"
             "<description><![CDATA[<p>Body of story 1.</p>]]></description></item>")
    (www / "full.xml").write_text(RSS.format(items=story.format(server=server)))
    rest = "".join(f"<p>The rest of the story, told in full, paragraph {n} of many words here.</p>" for n in range(8))
    (www / "story-1.html").write_text(f"<html><body><nav>Menu</nav><article><h1>Story 1</h1>"
                                      f"<p>Body of story 1.</p>{rest}</article></body></html>")
    url = f"{server}/full.xml"
    _subscribe(data_dir, url)
    async with launch() as run:
        await run.press("r")
        await run.choose("Story 1")
        article = run.view.opened.article.id
        assert "told in full" not in run.view.opened.projection.text
        await run.press("b")
        add_subscription(run.services.store, url, full=True)  # what `reader feeds add URL --full` does
        await run.press("r")
        assert [r.meta.id for r in run.articles.rows if r.meta.title == "Story 1"] == [article]
        await run.choose(next(r.meta.title for r in run.articles.rows if r.meta.id != article))
        await run.choose("Story 1")  # (choosing the article already open does not read it again)
        text = run.view.opened.projection.text
        assert "told in full, paragraph 7" in text and "Menu" not in text
        assert [text[m.start:m.end] for m in run.view.marks] == ["Body of story 1."]
        assert [(a.article, a.quote) for a in run.services.store.annotations()] == [(article, "Body of story 1.")]


async def test_a_failed_feed_whose_address_looks_like_markup_is_told_as_it_is(launch, data_dir: Path, server: str) -> None:
    url = f"{server}/[b]missing[/b].xml"
    _subscribe(data_dir, url)
    async with launch() as run:
        await run.press("r")
        await run.settle()
        (told,) = run.notices_of("warning")
        assert told.message == f"No feed refreshed; 1 failed: {url}: HTTP 404 File not found.", told
        toasts = "".join(str(t.render()) for t in run.app.screen.query("Toast"))
        assert f"[b]missing[/b].xml" in "".join(toasts.split()), toasts
