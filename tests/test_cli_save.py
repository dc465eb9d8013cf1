"""``reader save URL`` run as a user runs it, against a loopback server (127.0.0.1) that the test
starts and stops, serving copies of Readability's test pages and pages made here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "domain"))

from shared_data import shared_path  # noqa: E402

Routes = dict[str, tuple[int, str, bytes]]


class Server:
    """A loopback HTTP server whose pages the test may change between requests."""

    def __init__(self) -> None:
        self.routes: Routes = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                status, kind, body = routes.get(self.path, (404, "text/plain", b"missing"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def page(self, path: str, html: str | bytes, kind: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = (200, kind, html.encode("utf-8") if isinstance(html, str) else html)
        return self.url(path)


@pytest.fixture()
def server() -> Iterator[Server]:
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()
    running.thread.join(5)


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    env["READER_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "reader", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)


def listed(data_dir: Path) -> list[dict]:
    result = run(data_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def saved_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "articles" / "saved").glob("*.md"))


STORY = [
    "The lighthouse keeper climbed the stairs at dusk, as he had done every evening for thirty years.",
    "He lit the lamp and watched the beam sweep across the grey water towards the northern rocks.",
    "Far out, a fishing boat turned for the harbour, its crew glad of the light on a rough night.",
]


def story_page(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>The Keeper - Coast News</title></head><body><nav><a href='/'>Home</a>"
            f"<a href='/more'>More stories</a></nav><article><h1>The Keeper</h1>{body}</article>"
            "<footer>Footer text, all rights reserved.</footer></body></html>")


@pytest.mark.parametrize("name", ["bbc-1", "nytimes-1", "wikipedia-2"])
def test_save_a_test_page_then_list_it(tmp_path: Path, server: Server, name: str) -> None:
    folder = shared_path("testdata", "readability-pages", name)
    expected_title = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))["title"]
    url = server.page(f"/{name}.html", (folder / "source.html").read_bytes())
    result = run(tmp_path, "save", url, "--tag", "kept")
    assert result.returncode == 0, result.stderr
    article = result.stdout.strip()
    (entry,) = [a for a in listed(tmp_path) if a["id"] == article]
    assert entry["title"] == expected_title
    assert entry["url"] == url
    assert entry["words"] > 100 and entry["reading_minutes"] >= 1
    assert "kept" in entry["tags"]
    assert Path(entry["path"]).parent == tmp_path / "articles" / "saved"
    assert Path(entry["path"]).read_text(encoding="utf-8").startswith("---\ntitle: ")


def test_every_listed_article_has_url_words_and_reading_minutes(tmp_path: Path, server: Server) -> None:
    run(tmp_path, "save", server.page("/keeper", story_page(STORY)))
    articles = listed(tmp_path)
    assert len(articles) >= 2  # the seed and the saved page
    for article in articles:
        assert isinstance(article["url"], str)
        assert isinstance(article["words"], int) and article["words"] > 0
        assert article["reading_minutes"] == max(1, -(-article["words"] // 230))


def test_saving_again_updates_the_article_and_its_passage_reanchors(tmp_path: Path, server: Server) -> None:
    url = server.page("/keeper", story_page(STORY))
    first = run(tmp_path, "save", url, "--tag", "sea")
    assert first.returncode == 0, first.stderr
    article = first.stdout.strip()
    bookmark = run(tmp_path, "bookmark", article, "--quote", "watched the beam sweep across the grey water")
    assert bookmark.returncode == 0, bookmark.stderr

    changed = ["A new opening paragraph was added when the story was updated this morning, with some detail.",
               STORY[0], STORY[1].replace("grey water", "dark grey water"), STORY[2]]
    server.page("/keeper", story_page(changed))
    again = run(tmp_path, "save", url, "--tag", "night")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == article
    (path,) = saved_files(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "A new opening paragraph" in text
    assert "- sea\n- night\n" in text

    annotations = run(tmp_path, "annotations", "--json")
    (passage,) = json.loads(annotations.stdout)
    assert passage["article"] == article
    assert passage["status"] == "fuzzy"
    assert "watched the beam sweep across the dark grey water" in passage["anchor"]["text"]


def test_a_page_without_article_text_is_saved_with_a_note(tmp_path: Path, server: Server) -> None:
    links = "".join(f"<li><a href='/p{n}'>Page {n}</a></li>" for n in range(6))
    url = server.page("/index", f"<html><head><title>Index page</title></head><body><ul>{links}</ul></body></html>")
    result = run(tmp_path, "save", url)
    assert result.returncode == 0, result.stderr
    assert "no article text" in result.stderr
    (path,) = saved_files(tmp_path)
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "reader found no article text on this page" in body
    assert "Page 5" in body


def test_an_empty_page_is_saved_with_a_note_not_empty(tmp_path: Path, server: Server) -> None:
    result = run(tmp_path, "save", server.page("/empty", "<html><body></body></html>"))
    assert result.returncode == 0, result.stderr
    (path,) = saved_files(tmp_path)
    assert "reader found no text on this page" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("path", "message"), [
    ("/picture.png", "serves image/png, not a web page"),
    ("/missing", "HTTP 404"),
])
def test_what_cannot_be_saved_is_one_sentence_and_exit_2(tmp_path: Path, server: Server, path: str, message: str) -> None:
    server.page("/picture.png", b"\x89PNG\r\n\x1a\n", kind="image/png")
    result = run(tmp_path, "save", server.url(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert saved_files(tmp_path) == []


def test_only_http_and_https_are_saved(tmp_path: Path) -> None:
    result = run(tmp_path, "save", "file:///etc/passwd")
    assert result.returncode == 2
    assert "Only http and https" in result.stderr
