"""A yes/no question as a modal that returns the answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Asks a question; ``True`` for yes. Untrusted text (a URL) is shown as plain content."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", tooltip="Answer yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", tooltip="Answer no", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._labels = (yes, no)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self._question), id="question")
            if self._detail:
                yield Static(Content(self._detail), id="detail")
            with Horizontal(id="buttons"):
                yield Button(Content(f"{self._labels[0]} (y)"), variant="primary", id="yes")
                yield Button(Content(f"{self._labels[1]} (n)"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
