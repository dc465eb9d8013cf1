"""A start as the CLI makes it: the index is read in a thread while the app's modules load
(``Services.read_first_listing``), and the reading screen draws that listing when it mounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.session.library import LibraryLoader
from reader.ui.app import ReaderApp
from reader.ui.screens.main import PREVIEW_DELAY, MainScreen

from .conftest import SIZE, make_services, settle

SEED = "Trump Speaks"


async def test_the_listing_read_while_the_app_loads_is_drawn_when_the_screen_mounts(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexed = make_services(data_dir)
    indexed.library.scan()  # an earlier start indexed the seeds
    indexed.close()
    services = make_services(data_dir)
    services.read_first_listing()
    assert services.first_listing is not None
    services.first_listing.result(timeout=30)  # read by the time the app's modules are loaded

    async def not_again(self: LibraryLoader) -> None:
        raise AssertionError("the screen read the first listing again")

    monkeypatch.setattr(LibraryLoader, "first", not_again)
    app = ReaderApp(services)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            assert [m.title for m in screen.session.sidebar.articles][0].startswith(SEED)
            await settle(pilot)
            await pilot.pause(PREVIEW_DELAY + 0.05)
            await settle(pilot)
            opened = screen.article_view.opened
            assert opened is not None and opened.article.title.startswith(SEED)  # opened once the list was drawn
    finally:
        services.close()


async def test_a_first_start_scans_before_the_store_is_opened_and_opens_it_after(data_dir: Path) -> None:
    services = make_services(data_dir)
    services.read_first_listing()
    app = ReaderApp(services)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.pause(PREVIEW_DELAY + 0.05)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            assert [m.title for m in screen.session.sidebar.articles][0].startswith(SEED)
            assert services.opened_store is not None  # opened after the first screen
            assert services.paths.store_file.exists()
    finally:
        services.close()
