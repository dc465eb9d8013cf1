"""The palette's *Save page…* (issue 13): asks for a URL, saves the page as ``reader save`` does
(in a worker, saying so), lists and opens it; a failure is one clear sentence and writes nothing.
Pages come from a loopback server the test starts and stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.feedserver import FeedServer, Route

from .conftest import write_article
from .keys_support import headline, listed_titles, palette_prompt, toasts, wait_for_top, wait_until

PAGE = b"""<!doctype html><html><head><title>Loopback story - Example Site</title>
<meta property="og:title" content="Loopback story"></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Loopback story</h1>
<p>The first paragraph of the story is long enough to be the main text of this page, with words.</p>
<p>A second paragraph follows it, and it also has enough words to count as article text here.</p>
<p>The third paragraph closes the story with a picture <img src="/cat.png" alt="a cat"> of a cat.</p>
</article><footer>Copyright footer text</footer></body></html>"""


@pytest.fixture
def pages():
    html = {"Content-Type": "text/html; charset=utf-8"}
    with FeedServer({"/story.html": Route(PAGE, headers=html),
                     "/feed.bin": Route(b"\x00\x01", headers={"Content-Type": "application/octet-stream"})}) as server:
        yield server


def shown(run, text: str) -> bool:
    return any(text in toast for toast in toasts(run))


def saved_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "articles" / "saved").glob("*.md"))


async def save_page(run, url: str) -> None:
    """Ctrl+P, Save page…, the URL, Enter."""
    await palette_prompt(run, "Save page")
    await run.pilot.press(*url, "enter")
    await wait_for_top(run, "MainScreen")


async def test_save_page_saves_lists_and_opens_the_page(launch, data_dir: Path, pages: FeedServer) -> None:
    async with launch() as run:
        await save_page(run, pages.url("/story.html"))
        assert await wait_until(run, lambda: shown(run, "Saved: Loopback story"), tries=200)
        assert await wait_until(run, lambda: headline(run) == "Loopback story", tries=100)
        assert "Loopback story" in listed_titles(run)
        (path,) = saved_files(data_dir)
        text = path.read_text(encoding="utf-8")
        assert f"url: {pages.url('/story.html')}" in text and "Copyright footer" not in text
        assert pages.hits("/story.html")
        body = run.view.opened.projection.text  # type: ignore[union-attr]
        assert "▣ a cat" in body

        await save_page(run, pages.url("/story.html"))  # again: the same article, updated
        assert await wait_until(run, lambda: shown(run, "Updated: Loopback story"), tries=200)
        assert saved_files(data_dir) == [path]


@pytest.mark.parametrize(("path", "said"), [
    ("/missing.html", "Could not fetch the page"),
    ("/feed.bin", "not a web page"),
])
async def test_save_page_that_fails_says_why_and_writes_nothing(launch, data_dir: Path, pages: FeedServer,
                                                               path: str, said: str) -> None:
    async with launch() as run:
        await save_page(run, pages.url(path))
        assert await wait_until(run, lambda: shown(run, said), tries=200)
        assert any(n.severity == "error" and said in n.message for n in run.notices)
        assert saved_files(data_dir) == []
        assert run.app.is_running


async def test_save_page_refuses_an_address_that_is_not_http(launch, data_dir: Path) -> None:
    async with launch() as run:
        await save_page(run, "file:///etc/passwd")
        assert await wait_until(run, lambda: any(n.severity == "error" for n in run.notices), tries=100)
        (error,) = [n for n in run.notices if n.severity == "error"]
        assert "http" in error.message and "Traceback" not in error.message
        assert saved_files(data_dir) == []


async def test_save_page_while_reading_other_files_says_where_it_went(launch, data_dir: Path, tmp_path: Path,
                                                                      pages: FeedServer) -> None:
    other = tmp_path / "elsewhere"
    write_article(other, "one.txt", "One story\nIts only paragraph.\n")
    async with launch([other]) as run:
        await save_page(run, pages.url("/story.html"))
        assert await wait_until(run, lambda: shown(run, "not among the files shown now"), tries=200)
        (path,) = saved_files(data_dir)
        assert str(path.parent) in " ".join(toasts(run)).replace("\n", "")
        assert headline(run) == "One story"
