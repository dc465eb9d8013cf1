"""The note editor: a multi-line Markdown text area in a modal that saves before it closes."""

from __future__ import annotations

from typing import Awaitable, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.widgets.clamped import Clamped

QUOTE_LINES = 4
"""The quote above the text is wrapped to this many lines at most (then ``…``)."""

SaveNote = Callable[[str], Awaitable[str | None]]
"""Saves the text; returns ``None`` when the store confirmed it, else the error to show."""


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; ctrl+s saves (and stays open if saving fails), Escape asks before dropping changes."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the note", id="note.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving (asks if the text changed)", id="note.cancel"),
    ]

    def __init__(self, heading: str, quote: str, text: str, save: SaveNote) -> None:
        super().__init__()
        self._heading = heading
        self._quote = quote
        self._initial = text
        self._save = save
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="editor"):
            yield Static(Content(self._heading), id="note-heading")
            if self._quote:
                yield Clamped(self._quote, QUOTE_LINES, id="note-quote")
            yield TextArea(self._initial, language="markdown", id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Content("ctrl+s save · Esc cancel"), id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        """The text in the editor now."""
        return self.query_one(TextArea).text

    async def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        try:
            error = await self._save(self.text)
        finally:
            self._saving = False
        if error is None:
            self.dismiss(self.text)
        else:
            self.notify(f"{error} Your text is still here: try again, or copy it.", title="Note not saved",
                        severity="error", timeout=15)

    def action_cancel(self) -> None:
        if self.text == self._initial:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the changes to this note?", yes="Discard", no="Keep editing"), answer)
