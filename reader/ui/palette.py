"""The app's own commands in the palette, and the sentences they say: Textual's *Keys* panel
gives way to reader's help, *Screenshot* saves where reader keeps its data and says where, and
Ctrl+C names the key that quits.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from textual.app import App, SystemCommand

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen

REPLACED = frozenset({"Keys", "Screenshot"})
"""Textual's system commands that reader gives in its own way."""

QUIT_ACTIONS = ("quit", "app.quit")


def own_commands(inherited: Iterable[SystemCommand], main: "MainScreen | None",
                 screenshot: Callable[[], object]) -> Iterable[SystemCommand]:
    """Textual's commands but its key panel and screenshot; then reader's help and screenshot."""
    yield from (command for command in inherited if command.title not in REPLACED)
    if main is not None:
        yield SystemCommand("Keys", "Show every key of reader (?)", main.action_help)
    yield SystemCommand("Screenshot", "Save an SVG picture of the screen in reader's data folder", screenshot)


def quit_hint(app: App[object]) -> str:
    """What Ctrl+C says: the key that quits here, in plain words (Ctrl+C itself copies)."""
    for key, active in app.active_bindings.items():
        if active.binding.action in QUIT_ACTIONS:
            return f"Press {app.get_key_display(active.binding) or key} to quit reader."
    return "Press Ctrl+Q to quit reader."


def screenshot_path(folder: Path, now: datetime) -> Path:
    """A new file name in ``folder`` for a screenshot taken at ``now`` (never one that exists)."""
    stem = f"reader-{now:%Y-%m-%d_%H-%M-%S}"
    path, n = folder / f"{stem}.svg", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.svg"
    return path


async def save_screenshot(app: App[object], folder: Path) -> None:
    """Draw the screen as SVG (on the event loop), write it in ``folder`` (in a thread) and say where."""
    svg = app.export_screenshot()

    def write() -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = screenshot_path(folder, datetime.now())
        path.write_text(svg, encoding="utf-8")
        return path

    try:
        saved = await asyncio.to_thread(write)
    except OSError as error:
        app.notify(f"Screenshot not saved in {folder}: {error.strerror or error}.", severity="error")
        return
    app.notify(f"Screenshot saved to {saved}", timeout=8)
