"""Fixtures for driving the real app: a temporary data dir per test, and a launcher that starts
``ReaderApp`` at 120×40, waits until the library is listed and the first article is shown, and
records every notification."""

from __future__ import annotations

import asyncio
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from reader.config import Settings, resolve_paths
from reader.services import Services
from reader.ui.app import ReaderApp
from reader.ui.screens.main import PREVIEW_DELAY, MainScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView

SIZE = (120, 40)
WORKER_TIMEOUT = 10.0
FIXED_MTIME = 1_700_000_000  # 2023-11-14 22:13:20 UTC


@dataclass(frozen=True)
class Notice:
    """One notification the app showed."""

    message: str
    title: str
    severity: str


@dataclass
class Running:
    """A running app, its pilot, its services and the notifications shown so far."""

    app: ReaderApp
    pilot: Pilot
    services: Services
    notices: list[Notice] = field(default_factory=list)

    @property
    def main(self) -> MainScreen:
        """The reading screen (even while a modal is on top of it)."""
        return next(s for s in self.app.screen_stack if isinstance(s, MainScreen))

    @property
    def view(self) -> ArticleView:
        """The article pane."""
        return self.main.query_one(ArticleView)

    @property
    def articles(self) -> ArticleList:
        """The sidebar list."""
        return self.main.query_one(ArticleList)

    async def settle(self) -> None:
        """Let messages run and every worker started so far finish."""
        await settle(self.pilot)

    async def press(self, *keys: str) -> None:
        """Press keys, then settle."""
        await self.pilot.press(*keys)
        await self.settle()

    async def type(self, text: str) -> None:
        """Type text one character at a time."""
        await self.pilot.press(*text)
        await self.pilot.pause()

    def sidebar(self) -> list[str]:
        """The rendered lines of the sidebar list, as plain text."""
        return [self.articles.render_line(y).text for y in range(self.articles.size.height)]

    def sidebar_entry(self, title: str) -> tuple[str, str]:
        """The two rendered lines (headline, details) of an article in the sidebar."""
        lines = self.sidebar()
        for y, line in enumerate(lines[:-1]):
            if line[3:].startswith(title):
                return line, lines[y + 1]
        raise AssertionError(f"{title!r} is not in the sidebar: {lines}")

    async def choose(self, title: str) -> None:
        """Open an article from the sidebar: focus the list, put the cursor on it, press Enter."""
        article = next(r.meta.id for r in self.articles.rows if r.meta.title == title)
        self.articles.focus()
        self.articles.select_id(article)
        await self.pilot.pause()
        await self.press("enter")
        assert self.view.opened is not None and self.view.opened.article.id == article

    def notices_of(self, severity: str) -> list[Notice]:
        """The notifications of one severity."""
        return [n for n in self.notices if n.severity == severity]


async def settle(pilot: Pilot) -> None:
    """Let pending messages run and wait for the workers started so far."""
    await pilot.pause()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WORKER_TIMEOUT
    while running := [w for w in pilot.app.workers if not w.is_finished]:
        try:
            await asyncio.wait_for(pilot.app.workers.wait_for_complete(running), deadline - loop.time())
        except WorkerCancelled:  # an exclusive worker replaced by a newer one: wait for the others
            continue
        except TimeoutError:
            running = [w for w in pilot.app.workers if not w.is_finished]
            raise AssertionError(f"workers still running after {WORKER_TIMEOUT}s: {running}") from None
    await pilot.pause()


def make_services(data_dir: Path, extra_paths: list[Path] | None = None, settings: Settings | None = None) -> Services:
    """Services on a data dir given on the command line (its config dir is the data dir)."""
    return Services(paths=resolve_paths(str(data_dir), None), settings=settings or Settings(),
                    extra_paths=list(extra_paths or []))


def record_notifications(app: ReaderApp) -> list[Notice]:
    """Record what the app notifies (and still show it)."""
    seen: list[Notice] = []
    original = app.notify

    def notify(message: str, *, title: str = "", severity="information", timeout=None, markup: bool = False) -> None:
        seen.append(Notice(message, title, severity))
        original(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def write_article(folder: Path, name: str, text: str, mtime: float = FIXED_MTIME) -> Path:
    """Write an article file with a fixed modification time (the sidebar shows it as the date)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data dir for this test (also its config dir)."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def launch(data_dir: Path):
    """``async with launch() as run:`` starts the app on ``data_dir`` and waits for the first article.

    ``size`` is the terminal's (120×40 unless given), ``settings`` what config.toml would hold.
    Call it again after the block ends to restart on the same data dir. Notifications are drawn
    as toasts on the screen (Pilot leaves them out by default), so tests read them as users do.
    """

    @asynccontextmanager
    async def start(extra_paths: list[Path] | None = None, size: tuple[int, int] = SIZE,
                    settings: Settings | None = None) -> AsyncIterator[Running]:
        services = make_services(data_dir, extra_paths, settings)
        app = ReaderApp(services)
        notices = record_notifications(app)
        try:
            async with app.run_test(size=size, notifications=True) as pilot:  # toasts on screen
                running = Running(app, pilot, services, notices)
                await running.settle()
                # The first listing also schedules a preview of the highlighted row; let it pass.
                await pilot.pause(PREVIEW_DELAY + 0.05)
                await running.settle()
                yield running
        finally:
            services.close()

    return start
