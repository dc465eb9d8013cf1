"""Snapshots at 120×40: the library with the seed in each bundled theme, and the seed read with
a highlight and a note marker in the light and dark themes; and the seed read at 80×24.

Everything on screen is fixed: the seed is copied into a folder named on the command line with a
fixed modification time (the sidebar shows it as the date), annotations have fixed ids and times,
the theme is saved in the store before the app starts, and no text cursor is on screen.
Update with ``pytest tests/ui/test_snapshots.py --snapshot-update`` only after looking at the SVGs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.config import bundled_dir
from reader.domain.annotations.model import Annotation
from reader.domain.articles.article import article_id
from reader.domain.articles.formats import parse
from reader.domain.articles.markdown import project
from reader.domain.annotations.passages import selectors_for
from reader.domain.store.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.main import PREVIEW_DELAY

from .conftest import FIXED_MTIME, SIZE, make_services, settle

SEED = next(bundled_dir("seeds").glob("*.txt"))
FIXED_TIME = "2024-05-01T09:30:00.000000Z"


def seed_library(tmp_path: Path) -> Path:
    """A folder holding only a copy of the seed, with a fixed modification time."""
    folder = tmp_path / "library"
    folder.mkdir()
    copy = folder / SEED.name
    shutil.copyfile(SEED, copy)
    os.utime(copy, (FIXED_MTIME, FIXED_MTIME))
    return folder


def seed_annotations(folder: Path) -> list[Annotation]:
    """A plain bookmark on the second block and a bookmark with a note on the fourth."""
    parsed = parse(SEED.read_text(encoding="utf-8"), "text", SEED.stem)
    projection = project(parsed.body)
    article = article_id("path/" + folder.name, SEED.name)
    made = []
    for number, (block, note) in enumerate([(1, ""), (3, "Compare with last season's numbers.")]):
        span = projection.blocks[block]
        made.append(Annotation(
            id=f"00000000-0000-4000-8000-00000000000{number}", article=article, title=parsed.title,
            selectors=selectors_for(projection, span.start, span.end), note=note,
            created=FIXED_TIME, updated=FIXED_TIME,
        ))
    return made


def prepared_app(tmp_path: Path, theme: str, annotations: bool = False) -> ReaderApp:
    """The app on a fixed library and data dir, with ``theme`` saved as the user's choice."""
    folder = seed_library(tmp_path)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    services = make_services(data_dir, [folder])
    with Store.open(services.paths.store_file) as store:
        store.set_setting("theme", theme)
        if annotations:
            for annotation in seed_annotations(folder):
                store.add(annotation)
    return ReaderApp(services)


async def loaded(pilot: Pilot) -> None:
    """Wait for the listing, the first article and its delayed preview."""
    await settle(pilot)
    await pilot.pause(PREVIEW_DELAY + 0.05)
    await settle(pilot)


@pytest.mark.parametrize("theme", ["reader-dark", "reader-light", "reader-contrast"])
def test_library_with_the_seed(snap_compare, tmp_path: Path, theme: str) -> None:
    app = prepared_app(tmp_path, theme)

    async def run_before(pilot: Pilot) -> None:
        await loaded(pilot)
        assert pilot.app.theme == theme
        assert pilot.app.screen.article_view.opened is not None

    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    finally:
        app.services.close()


@pytest.mark.parametrize("theme", ["reader-dark", "reader-light"])
def test_seed_with_a_highlight_and_a_note(snap_compare, tmp_path: Path, theme: str) -> None:
    app = prepared_app(tmp_path, theme, annotations=True)

    async def run_before(pilot: Pilot) -> None:
        await loaded(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = pilot.app.screen.article_view
        assert pilot.app.focused is view
        assert [m.noted for m in view.marks] == [False, True]
        assert view.block_widget(3).has_class("-noted")
        assert not view.block_widget(1).has_class("-noted")

    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    finally:
        app.services.close()


def test_reading_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    """A small terminal: the seed read a few blocks down, its note's passage on screen."""
    app = prepared_app(tmp_path, "reader-dark", annotations=True)

    async def run_before(pilot: Pilot) -> None:
        await loaded(pilot)
        await pilot.press("enter", "j", "j", "j")
        await settle(pilot)
        view = pilot.app.screen.article_view
        assert view.cursor == 3 and view.block_widget(3).has_class("-noted")
        assert view.scrollable_content_region.contains_region(view.block_widget(3).region)

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    finally:
        app.services.close()
