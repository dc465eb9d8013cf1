"""Snapshots of every screen a reader sees, at 80×24, 120×40 and 200×60 in the dark and the light
theme: the library, the seed read with a highlight and a note, the note editor, the notes panel,
the annotations screen and the help; and the library in the high-contrast theme.

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
from textual.widgets import TextArea

from reader.config import bundled_dir
from reader.domain.annotations.model import Annotation
from reader.domain.articles.article import article_id
from reader.domain.articles.formats import parse
from reader.domain.articles.markdown import project
from reader.domain.annotations.passages import selectors_for
from reader.domain.store.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import PREVIEW_DELAY, MainScreen
from reader.ui.screens.note_editor import NoteEditor

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


SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x60": (200, 60)}
THEMES = ["reader-dark", "reader-light"]
NOTED = 3
"""The block of the seed that holds the note (block 1 holds the plain bookmark)."""


async def library(pilot: Pilot) -> None:
    """The library as it opens: the list focused, the newest article previewed."""
    assert isinstance(pilot.app.screen, MainScreen)
    assert pilot.app.screen.article_view.opened is not None


async def article(pilot: Pilot) -> None:
    """The seed read, its cursor on the noted block, the bookmark above it."""
    await pilot.press("enter", *["j"] * NOTED)
    await settle(pilot)
    view = pilot.app.screen.article_view
    assert pilot.app.focused is view and view.cursor == NOTED
    assert [m.noted for m in view.marks] == [False, True]
    assert view.block_widget(NOTED).has_class("-noted") and not view.block_widget(1).has_class("-noted")
    assert view.scrollable_content_region.contains_region(view.block_widget(NOTED).region)


async def note_editor(pilot: Pilot) -> None:
    """``n`` on the noted block: its note in the editor, under the quote."""
    await article(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditor)
    area = pilot.app.screen.query_one(TextArea)
    assert area.text == "Compare with last season's numbers."
    area.cursor_blink = False  # the cursor drawn, steadily
    area.notify_style_update()  # Textual caches a line drawn in a blink's off phase as if steady: draw again
    area.refresh()
    await pilot.pause()


async def notes_panel(pilot: Pilot) -> None:
    """``o`` while reading: the panel lists the bookmark and the note."""
    await article(pilot)
    await pilot.press("o")
    await settle(pilot)
    screen = pilot.app.screen
    assert screen.notes.display and pilot.app.focused is screen.notes and screen.notes.option_count >= 2


async def annotations(pilot: Pilot) -> None:
    """``a``: every bookmark and note of the library."""
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AnnotationsScreen)


async def help_screen(pilot: Pilot) -> None:
    """``?``: every key."""
    await pilot.press("question_mark")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HelpScreen)


VIEWS = {"library": library, "article": article, "note-editor": note_editor, "notes-panel": notes_panel,
         "annotations": annotations, "help": help_screen}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_screen(snap_compare, tmp_path: Path, view: str, size: str, theme: str) -> None:
    app = prepared_app(tmp_path, theme, annotations=True)

    async def run_before(pilot: Pilot) -> None:
        await loaded(pilot)
        assert pilot.app.theme == theme
        await VIEWS[view](pilot)

    try:
        assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
    finally:
        app.services.close()


def test_library_in_the_contrast_theme(snap_compare, tmp_path: Path) -> None:
    app = prepared_app(tmp_path, "reader-contrast")

    async def run_before(pilot: Pilot) -> None:
        await loaded(pilot)
        assert pilot.app.theme == "reader-contrast"
        await library(pilot)

    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    finally:
        app.services.close()
