"""The feed commands, driven through their argparse parsers with an in-memory store and loopback feeds."""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from reader.cli.feeds import add_parsers
from reader.domain.feeds.subscriptions import MemorySubscriptions

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>CLI feed</title>
<item><title>Hello</title><guid>h1</guid><description>World</description></item></channel></rss>"""


FakeStore = MemorySubscriptions


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        body = self.routes.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.path.startswith("/page") else "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def routes() -> dict[str, bytes]:
    """What the loopback server serves, by path; a test may change it between fetches."""
    return {"/feed.xml": FEED}


@pytest.fixture()
def base_url(routes: dict[str, bytes]) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture()
def run(tmp_path: Path):
    parser = argparse.ArgumentParser(prog="reader")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    store = FakeStore()

    def invoke(*argv: str) -> int:
        args = parser.parse_args(list(argv))
        services = SimpleNamespace(store=store, paths=SimpleNamespace(articles_dir=tmp_path / "articles"))
        return args.func(args, services)

    invoke.store = store  # type: ignore[attr-defined]
    return invoke


def test_add_list_remove(run, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("feeds", "add", "https://example.org/feed.xml", "--tag", "news", "--tag", "tech") == 0
    assert run("feeds", "list", "--json") == 0
    out = capsys.readouterr().out
    rows = json.loads(out[out.index("[") :])
    assert rows == [{"url": "https://example.org/feed.xml", "title": "", "tags": ["news", "tech"], "items": 0,
                     "error": None, "last_fetch": None, "full": False}]
    assert run("feeds", "list") == 0
    assert "https://example.org/feed.xml" in capsys.readouterr().out
    assert run("feeds", "remove", "https://example.org/feed.xml") == 0
    assert run("feeds", "remove", "https://example.org/feed.xml") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not subscribed" in err


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.org/", "feed.xml"])
def test_non_http_subscription_refused(run, capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert run("feeds", "add", url) == 2
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and err.count("\n") == 1
    assert run.store.subs == {}


def test_fetch_prints_one_line_per_feed(run, base_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run("feeds", "add", base_url + "/feed.xml")
    run("feeds", "add", base_url + "/gone.xml")
    capsys.readouterr()
    assert run("fetch") == 1  # one feed failed
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["ok CLI feed: 1 new, 0 updated", f"FAILED {base_url}/gone.xml: HTTP 404 Not Found."]
    assert (tmp_path / "articles" / "cli-feed" / "hello.md").exists()
    assert run("fetch", base_url + "/feed.xml") == 0
    assert capsys.readouterr().out == "ok CLI feed: 0 new, 0 updated\n"
    assert run("fetch", "https://not-subscribed.example/") == 2
    run("feeds", "list", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["items"], r["error"] is None) for r in rows] == [("CLI feed", 1, True), ("", 0, False)]


def test_fetch_with_no_subscriptions(run, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("fetch", "--full") == 0
    assert "no subscriptions" in capsys.readouterr().out


def test_opml_import_and_export(run, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text("""<opml version="2.0"><head><title>x</title></head><body>
      <outline text="Folder"><outline text="A" xmlUrl="https://a.example/feed" category="one"/></outline>
      <outline text="Bad" xmlUrl="file:///etc/passwd"/></body></opml>""")
    assert run("feeds", "import", str(opml)) == 0
    captured = capsys.readouterr()
    assert "imported 1 new feed (" in captured.out and "file:///etc/passwd" in captured.err
    assert run.store.subs["https://a.example/feed"]["tags"] == ["Folder", "one"]
    assert run("feeds", "export") == 0
    out = capsys.readouterr().out
    assert 'xmlUrl="https://a.example/feed"' in out and 'category="Folder,one"' in out
    target = tmp_path / "out.opml"
    assert run("feeds", "export", "-o", str(target)) == 0
    assert "https://a.example/feed" in target.read_text()
    assert run("feeds", "export", "-o", str(target)) == 2  # never overwritten


@pytest.mark.parametrize(
    "content", ["<not xml", '<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body/></opml>', None]
)
def test_opml_import_errors(run, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "bad.opml"
    if content is not None:
        path.write_text(content)
    assert run("feeds", "import", str(path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "root:" not in err


def _rss(title: str, items: list[tuple[str, str, str]], link: str) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><guid isPermaLink='false'>{g}</guid>"
                      f"<description>{text}</description></item>" for g, t, text in items)
    return f"<rss version='2.0'><channel><title>{title}</title>{entries}</channel></rss>".encode()


def _page(words: str) -> bytes:
    return (f"<html><body><nav>Menu</nav><article><h1>Story</h1><p>{words} " * 20 + "</p></article></body></html>").encode()


def test_fetch_counts_every_update_of_a_live_blog(run, base_url: str, routes: dict[str, bytes],
                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    updates = [(f"u{n}", f"Update {n}", f"Text of update {n}.") for n in range(1, 6)]
    run("feeds", "add", base_url + "/live.xml")
    printed = []
    for shown in (2, 4, 5):
        routes["/live.xml"] = _rss("Live", updates[:shown][::-1], "https://news.example/live")
        capsys.readouterr()
        assert run("fetch") == 0
        printed.append(capsys.readouterr().out)
    assert printed == ["ok Live: 2 new, 0 updated\n", "ok Live: 2 new, 0 updated\n", "ok Live: 1 new, 0 updated\n"]
    bodies = sorted(p.read_text().rsplit("\n\n", 1)[1].strip() for p in (tmp_path / "articles" / "live").glob("*.md"))
    assert bodies == [f"Text of update {n}." for n in range(1, 6)]


def test_fetch_full_and_feeds_add_full_fill_items_already_saved(run, base_url: str, routes: dict[str, bytes],
                                                                capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    routes.update({"/a.xml": _rss("A", [("a1", "Alpha", "Summary a.")], base_url + "/page/a"),
                   "/b.xml": _rss("B", [("b1", "Beta", "Summary b.")], base_url + "/page/b"),
                   "/page/a": _page("Alpha page text"), "/page/b": _page("Beta page text")})
    run("feeds", "add", base_url + "/a.xml")
    run("feeds", "add", base_url + "/b.xml")
    assert run("fetch") == 0
    alpha, beta = tmp_path / "articles" / "a" / "alpha.md", tmp_path / "articles" / "b" / "beta.md"
    assert "Summary a." in alpha.read_text() and "Summary b." in beta.read_text()
    capsys.readouterr()
    assert run("fetch", "--full", base_url + "/b.xml") == 0
    assert capsys.readouterr().out == "ok B: 0 new, 1 updated\n"
    assert "Beta page text" in beta.read_text()
    assert "Summary a." in alpha.read_text()
    assert run("feeds", "add", base_url + "/a.xml", "--full") == 0
    run("feeds", "list", "--json")
    assert [row["full"] for row in json.loads(capsys.readouterr().out.split("\n", 1)[1])] == [True, False]
    run("feeds", "list")
    assert [" full text " in line for line in capsys.readouterr().out.splitlines()] == [True, False]
    assert run("fetch") == 0
    assert capsys.readouterr().out == "ok A: 0 new, 1 updated\nok B: 0 new, 0 updated\n"
    assert "Alpha page text" in alpha.read_text() and "Beta page text" in beta.read_text()
    assert sorted(p.name for p in (tmp_path / "articles").rglob("*.md")) == ["alpha.md", "beta.md"]


def test_adding_a_feed_again_says_it_is_already_subscribed(run, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("feeds", "add", "https://example.org/feed.xml") == 0
    assert capsys.readouterr().out == "subscribed: https://example.org/feed.xml\n"
    assert run("feeds", "add", "https://example.org/feed.xml", "--tag", "news") == 0
    out = capsys.readouterr().out
    assert out == "already subscribed: https://example.org/feed.xml (tags now: news)\n", out
    assert run("feeds", "add", "https://example.org/feed.xml") == 0
    assert capsys.readouterr().out == "already subscribed: https://example.org/feed.xml\n"
    assert [s["tags"] for s in run.store.subscriptions()] == [["news"]]


def test_listing_no_feeds_says_how_to_add_one(run, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("feeds", "list") == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "no subscriptions yet; add one with: reader feeds add URL\n"
    assert run("feeds", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
