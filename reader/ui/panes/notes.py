"""The notes panel: the open article's bookmarks and notes in document order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.session.passages import NoteEntry
from reader.session.styling import labelled

EMPTY = "No bookmarks or notes yet. b bookmarks, n writes a note."
FINDING = "Finding this article's bookmarks…"


NOTE_LINES = 6
"""A note in the panel shows this many lines at most (then ``…``)."""


def _prompt(entry: NoteEntry) -> Content:
    from reader.ui.widgets.note_text import note_content, quote_content, remark_content  # with the first entry shown

    head = quote_content(entry.quote, 120) if entry.quote.strip() else Content.styled("Whole article", "italic")
    if entry.remark:
        head += remark_content(entry.remark)
    label = labelled(entry.color, entry.tags)
    lines = [head] + ([Content.styled(label, f"on $passage-{entry.color}" if entry.color else "")] if label else [])
    if entry.note.strip():
        lines.append(note_content(entry.note, NOTE_LINES))
    for other in entry.conflicts:
        said = "deleted it" if other.deleted else "wrote: " + " ".join(other.note.split())[:200]
        lines.append(Content.styled(f"⚠ also edited on {other.machine}, which {said}", "bold"))
    if entry.conflicts:
        lines.append(Content.styled("c chooses the text to keep", "dim"))
    return Content("\n").join(lines)


class NotesPanel(OptionList):
    """Lists the entries it is given; Enter asks to jump to one, ``d`` to delete it, ``c`` to
    settle a note edited on two machines."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next bookmark or note in the panel", id="notes.down"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous bookmark or note in the panel", id="notes.up"),
        Binding("enter", "select", "Jump", tooltip="Move the article's cursor to this passage", id="notes.jump"),
        Binding("d,delete", "delete", "Delete", tooltip="Delete the chosen bookmark or note (u undoes)", id="notes.delete"),
        Binding("c", "resolve", "Resolve", tooltip="Choose the text of a note edited on two machines", id="notes.resolve"),
    ]

    @dataclass
    class Jump(Message):
        """The user chose an annotation: show its passage."""

        id: str

    @dataclass
    class Asked(Message):
        """The user asked to delete an annotation, or to settle its conflicting texts."""

        id: str
        what: Literal["delete", "resolve"]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: tuple[NoteEntry, ...] = ()
        self._tags: tuple[str, ...] = ()
        self._empty = EMPTY

    def show_entries(self, entries: tuple[NoteEntry, ...], tags: tuple[str, ...] = (), empty: str = EMPTY) -> None:
        """Replace the list, under the article's own ``tags``; the highlight stays where it was
        (on the first entry at first). ``empty`` is said when there are no entries."""
        if (entries, tags) == (self._entries, self._tags) and self.option_count and self._empty == empty:
            return
        self._entries, self._tags, self._empty = entries, tags, empty
        highlighted = self.highlighted
        self.clear_options()
        if tags:
            self.add_option(Option(Content.styled("Article: " + labelled("", tags), "bold"), disabled=True))
        first = self.option_count
        if not entries:
            self.add_option(Option(Content(empty), disabled=True))
            return
        from reader.ui.widgets.note_text import with_rules  # loads the note renderer with the first entry, not at start

        self.add_options(with_rules([Option(_prompt(entry), id=entry.id) for entry in entries]))
        self.highlighted = min(max(first, highlighted or 0), self.option_count - 1)

    def show_finding(self, tags: tuple[str, ...] = ()) -> None:
        """The article is shown and its bookmarks are being located."""
        self.show_entries((), tags, FINDING)

    def _chosen_id(self) -> str | None:
        if self.highlighted is None or not self._entries:
            return None
        return self.get_option_at_index(self.highlighted).id

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))

    def _conflicted(self) -> bool:
        chosen = self._chosen_id()
        return any(entry.id == chosen and entry.conflicts for entry in self._entries)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``c`` is dimmed unless the highlighted note has other machines' texts."""
        return self._conflicted() or None if action == "resolve" else True

    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()  # ``c`` may have become available (or not)

    def action_delete(self) -> None:
        chosen = self._chosen_id()
        if chosen:
            self.post_message(self.Asked(chosen, "delete"))

    def action_resolve(self) -> None:
        chosen = self._chosen_id()
        if chosen and self._conflicted():
            self.post_message(self.Asked(chosen, "resolve"))
