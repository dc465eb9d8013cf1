"""The notes panel: the open article's bookmarks and notes in document order."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.domain.annotations.anchoring import AnchorStatus

STATUS_NOTES: dict[AnchorStatus, str] = {
    "exact": "",
    "moved": "",  # the very text, elsewhere in the article: the mark is on it, nothing to warn of
    "fuzzy": "  (text changed)",
    "orphaned": "  (text no longer in the article)",
}
"""What a panel line adds after the quote, for each anchor status."""


@dataclass(frozen=True)
class PanelEntry:
    """One line of the panel: an annotation id, its quote, its note and its status."""

    id: str
    quote: str
    note: str
    status: AnchorStatus


class NotesPanel(OptionList):
    """Lists entries; choosing one asks the screen to move the cursor there."""

    BINDINGS = [
        Binding("d,delete", "delete", "Delete", tooltip="Delete the chosen bookmark or note (u undoes)", id="notes.delete"),
    ]

    @dataclass
    class Delete(Message):
        """The user asked to delete an annotation."""

        id: str

    def show_entries(self, entries: list[PanelEntry]) -> None:
        """Replace the list."""
        highlighted = self.highlighted
        self.clear_options()
        if not entries:
            self.add_option(Option(Content("No bookmarks or notes yet. b bookmarks, n writes a note."), disabled=True))
            return
        for entry in entries:
            quote = " ".join(entry.quote.split())
            head = f"“{quote[:120]}{'…' if len(quote) > 120 else ''}”" if quote else "Whole article"
            head += STATUS_NOTES[entry.status]
            lines = [Content.styled(head, "italic")]
            note = entry.note.strip()
            if note:
                lines.append(Content("✎ " + (note if len(note) <= 400 else note[:400] + "…")))
            self.add_option(Option(Content("\n").join(lines), id=entry.id))
        if highlighted is not None:
            self.highlighted = min(highlighted, self.option_count - 1)

    def action_delete(self) -> None:
        if self.highlighted is None:
            return
        option = self.get_option_at_index(self.highlighted)
        if option.id:
            self.post_message(self.Delete(option.id))
