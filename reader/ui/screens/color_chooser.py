"""The colour chooser: a small list of the passage colours, each with its marker glyph and hue."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.session.styling import ColorChoice
from reader.ui.widgets.choices import Choices


def _prompt(choice: ColorChoice) -> Content:
    swatch = Content.styled(f" {choice.glyph} ", f"on $passage-{choice.name}" if choice.name else "")
    return Content.assemble(swatch, " ", choice.label)


class ColorChooser(ModalScreen[str | None]):
    """Returns the chosen colour's name ("" removes the colour), or ``None`` when closed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing the colour", id="colors.cancel")]

    def __init__(self, choices: tuple[ColorChoice, ...], current: str) -> None:
        super().__init__()
        self._choices = choices
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content("Colour of this passage"), id="question")
            yield Choices(*[Option(_prompt(c), id=c.name or "none") for c in self._choices], id="colors")
            yield Static(Content("Enter chooses · Esc cancels"), id="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        # on the passage's colour; on the first colour when it has none (Enter then highlights)
        options.highlighted = next((i for i, c in enumerate(self._choices) if self._current and c.name == self._current), 0)
        options.focus()

    @on(OptionList.OptionSelected, "#colors")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._choices[event.option_index].name)

    def action_cancel(self) -> None:
        self.dismiss(None)
