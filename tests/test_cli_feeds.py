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
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path != "/feed.xml":
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def base_url() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
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
    assert "imported 1 new feeds" in captured.out and "file:///etc/passwd" in captured.err
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
