"""The notes panel: the open article's bookmarks and notes in document order."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.session.passages import NoteEntry
from reader.ui.widgets.note_text import note_content, quote_content, remark_content, with_rules

EMPTY = "No bookmarks or notes yet. b bookmarks, n writes a note."


NOTE_LINES = 6
"""A note in the panel shows this many lines at most (then ``…``)."""


def _prompt(entry: NoteEntry) -> Content:
    head = quote_content(entry.quote, 120) if entry.quote.strip() else Content.styled("Whole article", "italic")
    if entry.remark:
        head += remark_content(entry.remark)
    lines = [head]
    if entry.note.strip():
        lines.append(note_content(entry.note, NOTE_LINES))
    return Content("\n").join(lines)


class NotesPanel(OptionList):
    """Lists the entries it is given; Enter asks to jump to one, ``d`` to delete it."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next bookmark or note in the panel", id="notes.down"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous bookmark or note in the panel", id="notes.up"),
        Binding("enter", "select", "Jump", tooltip="Move the article's cursor to this passage", id="notes.jump"),
        Binding("d,delete", "delete", "Delete", tooltip="Delete the chosen bookmark or note (u undoes)", id="notes.delete"),
    ]

    @dataclass
    class Jump(Message):
        """The user chose an annotation: show its passage."""

        id: str

    @dataclass
    class Delete(Message):
        """The user asked to delete an annotation."""

        id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: tuple[NoteEntry, ...] = ()

    def show_entries(self, entries: tuple[NoteEntry, ...]) -> None:
        """Replace the list; the highlight stays where it was (on the first entry at first)."""
        if entries == self._entries and self.option_count:
            return
        self._entries = entries
        highlighted = self.highlighted or 0
        self.clear_options()
        if not entries:
            self.add_option(Option(Content(EMPTY), disabled=True))
            return
        self.add_options(with_rules([Option(_prompt(entry), id=entry.id) for entry in entries]))
        self.highlighted = min(highlighted, self.option_count - 1)

    def _chosen_id(self) -> str | None:
        if self.highlighted is None or not self._entries:
            return None
        return self.get_option_at_index(self.highlighted).id

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))

    def action_delete(self) -> None:
        chosen = self._chosen_id()
        if chosen:
            self.post_message(self.Delete(chosen))
