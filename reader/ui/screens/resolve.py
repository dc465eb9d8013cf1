"""The choice for a note edited on two machines while apart: keep this text, the other, or both."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.domain.annotations.conflicts import Conflict, Resolution
from reader.ui.widgets.choices import Choices

SHOWN = 300
"""How many characters of each text the dialog shows."""


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:SHOWN] + ("…" if len(flat) > SHOWN else "") or "(empty)"


class ResolveScreen(ModalScreen[Resolution | None]):
    """Shows the note's texts; Enter on a choice answers it, Escape leaves the note as it is."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Decide later: both texts stay", id="resolve.cancel")]

    def __init__(self, note: str, others: tuple[Conflict, ...]) -> None:
        super().__init__()
        self._note = note
        self._others = others

    def compose(self) -> ComposeResult:
        texts = [o for o in self._others if not o.deleted]
        with Vertical(id="dialog"):
            yield Static(Content("This note was edited on two machines while they were apart."), id="question")
            yield Static(Content("Shown here: " + _short(self._note)), classes="resolve-text")
            for other in self._others:
                said = "deleted it" if other.deleted else "wrote: " + _short(other.note)
                yield Static(Content(f"{other.machine} {said}"), classes="resolve-text")
            choices = [Option(Content("Keep the text shown here"), id=Resolution.KEEP.value)]
            if texts:
                choices += [Option(Content(f"Keep the text from {texts[-1].machine}"), id=Resolution.OTHER.value),
                            Option(Content("Keep both texts, one after the other"), id=Resolution.BOTH.value)]
            yield Choices(*choices, id="resolve-list")
            yield Static(Content("Enter chooses · Esc decides later"), id="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#resolve-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Resolution(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
