"""Pictures inline (issue 13): off by default; when on, local pictures are drawn under their
``▣`` line through textual-image and remote ones are never fetched; a missing package is said once."""

from __future__ import annotations

import sys
import threading
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest
from PIL import Image as PILImage
from textual.widget import Widget
from textual_image.widget import TGPImage

from reader.config import ConfigError, Settings, load_settings
from reader.ui.app import ReaderApp
from reader.ui.widgets.inline_pictures import MISSING, OFF, UNSUPPORTED, PictureSupport

from .conftest import SIZE, Running, make_services, record_notifications, write_article

FORCED = PictureSupport(widget=TGPImage)
"""What ``detect`` answers in a kitty-graphics terminal: textual-image's own TGP widget."""

PICTURED = """---
title: Pictured story
---
Before the picture.

![A red square](pics/square.png)

After the picture.
"""


def pictured_library(data_dir: Path, body: str = PICTURED) -> None:
    folder = data_dir / "articles"
    write_article(folder, "pictured.md", body)
    (folder / "pics").mkdir(exist_ok=True)
    PILImage.new("RGB", (40, 40), (200, 0, 0)).save(folder / "pics" / "square.png")


@asynccontextmanager
async def started(data_dir: Path, settings: Settings, pictures: PictureSupport | None) -> AsyncIterator[Running]:
    """The app at 120×40 with the picture support given (``None``: the app asks textual-image)."""
    services = make_services(data_dir, settings=settings)
    app = ReaderApp(services, pictures)
    notices = record_notifications(app)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            run = Running(app, pilot, services, notices)
            await run.settle()
            yield run
    finally:
        services.close()


def pictures_in(run: Running) -> list[Widget]:
    return list(run.view.query(".inline-picture"))


async def test_pictures_are_off_by_default_even_where_the_terminal_could(data_dir: Path) -> None:
    pictured_library(data_dir)
    assert Settings().inline_images is False
    async with started(data_dir, Settings(), FORCED) as run:
        await run.choose("Pictured story")
        await run.settle()
        assert pictures_in(run) == []
        assert run.view.opened is not None and run.view.opened.pictures == ()
        assert run.notices == []


async def test_on_a_local_picture_is_drawn_under_its_line_and_the_text_stays(data_dir: Path) -> None:
    pictured_library(data_dir)
    async with started(data_dir, Settings(inline_images=True), FORCED) as run:
        await run.choose("Pictured story")
        await run.settle()
        shown = pictures_in(run)
        assert len(shown) == 1 and isinstance(shown[0], TGPImage)
        opened = run.view.opened
        assert opened is not None
        assert [b.text for b in opened.projection.blocks] == ["Before the picture.", "▣ A red square", "After the picture."]
        line = run.view.block_widget(1)
        assert line is not None and line.parent is shown[0].parent
        siblings = list(shown[0].parent.children)
        assert siblings.index(shown[0]) == siblings.index(line) + 1  # right under its ▣ line
        width, height = shown[0].outer_size
        assert 0 < width <= run.view.scrollable_content_region.width and 0 < height <= SIZE[1] // 2
        await run.press("j")  # the cursor still walks the text blocks, the picture is not one
        assert run.view.cursor == 1
        await run.press("j")
        assert run.view.cursor == 2
        assert run.notices == []


class Recorder(BaseHTTPRequestHandler):
    """Counts every request (there must be none) and answers each with a picture."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        Recorder.seen.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


async def test_on_a_remote_picture_is_never_fetched_and_stays_a_placeholder(data_dir: Path, loopback: str) -> None:
    body = f"---\ntitle: Remote story\n---\nText.\n\n![A far cat]({loopback}/cat.png)\n"
    pictured_library(data_dir, body)
    async with started(data_dir, Settings(inline_images=True), FORCED) as run:
        await run.choose("Remote story")
        await run.settle()
        await run.press("l")  # it is in the link list, to open on request
        assert f"{loopback}/cat.png" in [link.url for link in run.app.screen._links]  # type: ignore[attr-defined]
        await run.press("escape")
        assert pictures_in(run) == []
        opened = run.view.opened
        assert opened is not None and opened.projection.blocks[1].text == "▣ A far cat"
    assert Recorder.seen == []


async def test_on_without_textual_image_says_so_once_and_keeps_the_placeholder(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "textual_image"]:
        monkeypatch.setitem(sys.modules, name, None)  # an import of it now fails as if not installed
    monkeypatch.setitem(sys.modules, "textual_image", None)
    pictured_library(data_dir)
    async with started(data_dir, Settings(inline_images=True), None) as run:
        assert run.app.pictures.widget is None
        await run.choose("Pictured story")
        await run.settle()
        await run.choose("Pictured story")
        await run.settle()
        assert pictures_in(run) == []
        assert [(n.message, n.severity) for n in run.notices] == [(MISSING, "warning")]
        assert "textual-image" in MISSING and "reader-tui[images]" in MISSING
        opened = run.view.opened
        assert opened is not None and opened.projection.blocks[1].text == "▣ A red square"


def truncated(path: Path) -> None:
    PILImage.effect_noise((400, 400), 50).convert("RGB").save(path)
    path.write_bytes(path.read_bytes()[:2000])  # the header is whole, the pixels are not


async def test_on_textual_image_is_asked_and_a_terminal_without_graphics_is_said_once(data_dir: Path) -> None:
    """Under pytest stdout is no terminal: textual-image picks its unicode fallback, which is not
    kitty graphics or sixel, so pictures stay placeholders."""
    pictured_library(data_dir)
    async with started(data_dir, Settings(inline_images=True), None) as run:
        await run.choose("Pictured story")
        await run.settle()
        assert pictures_in(run) == []
        assert [(n.message, n.severity) for n in run.notices] == [(UNSUPPORTED, "warning")]


@pytest.mark.parametrize("spoil", [lambda path: path.write_bytes(b"not a picture at all"), truncated],
                         ids=["not-a-picture", "truncated"])
async def test_a_file_that_is_not_a_whole_picture_stays_a_placeholder(data_dir: Path, spoil) -> None:
    pictured_library(data_dir)
    spoil(data_dir / "articles" / "pics" / "square.png")
    async with started(data_dir, Settings(inline_images=True), FORCED) as run:
        await run.choose("Pictured story")
        await run.settle()
        assert pictures_in(run) == []
        assert run.view.block_widget(1) is not None and run.view.block_widget(2) is not None
        await run.pilot.pause(0.2)  # drawn a few times: nothing fails while drawing either
        assert run.notices == [] and run.app.is_running


def test_the_config_turns_pictures_on_and_refuses_what_is_not_a_switch(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert load_settings(config).inline_images is False
    config.write_text("inline_images = true\n", encoding="utf-8")
    assert load_settings(config).inline_images is True
    config.write_text('inline_images = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'inline_images' must be true or false"):
        load_settings(config)
    assert OFF.widget is None and OFF.notice is None
