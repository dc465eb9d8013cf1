"""The help screen: every key of the app, from the bindings themselves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def key_label(keys: str) -> str:
    """``j,down`` as ``j / ↓``."""
    names = {"down": "↓", "up": "↑", "left": "←", "right": "→", "enter": "Enter", "escape": "Esc",
             "space": "Space", "shift+space": "Shift+Space", "pagedown": "PgDn", "pageup": "PgUp",
             "slash": "/", "question_mark": "?", "full_stop": ".", "comma": ",", "home": "Home",
             "end": "End", "tab": "Tab", "shift+tab": "Shift+Tab", "right_square_bracket": "]",
             "left_square_bracket": "[", "ctrl+p": "Ctrl+P", "ctrl+s": "Ctrl+S", "delete": "Del",
             "shift+down": "Shift+↓", "shift+up": "Shift+↑"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """Lists each group of keys with what it does."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", tooltip="Close the help", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content("reader — keys"), classes="help-title")
            for title, bindings in self._groups:
                yield Static(Content(title), classes="help-group")
                for binding in bindings:
                    text = binding.tooltip or binding.description
                    line = Content.assemble((f"{key_label(binding.key):>16}  ", "bold"), text)
                    yield Static(line, classes="help-line")
            yield Static(Content("Esc closes this help."), classes="help-group")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
