"""The help screen: every key of the app, from the bindings themselves."""

from __future__ import annotations

from typing import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
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


def reading_keys(screen: Iterable[BindingType], app: Iterable[BindingType]) -> list[tuple[str, list[Binding]]]:
    """The reading screen's keys by where they work: the screen's, each pane's, the feeds'."""
    from reader.ui.panes.library import LibraryPane
    from reader.ui.panes.notes import NotesPanel
    from reader.ui.panes.reading import ReadingPane
    from reader.ui.screens.annotating import SCREEN_BINDINGS
    from reader.ui.screens.feeds import FEED_BINDINGS
    from reader.ui.widgets.article_list import ArticleList

    elsewhere = [*SCREEN_BINDINGS, *FEED_BINDINGS]
    everywhere = [b for b in screen if isinstance(b, Binding) and b not in elsewhere]
    return [
        ("Everywhere", everywhere + [b for b in app if isinstance(b, Binding)]),
        ("Passages, bookmarks and notes", [*ReadingPane.PASSAGE_BINDINGS, *SCREEN_BINDINGS]),
        ("Article list", [*ArticleList.BINDINGS, *LibraryPane.BINDINGS]),
        ("Article", list(ReadingPane.MOVE_BINDINGS)),
        ("Notes panel", list(NotesPanel.BINDINGS)),
        ("Feeds (Ctrl+P also has Add feed…, Remove feed…)", list(FEED_BINDINGS)),
    ]


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
                for binding in bindings:  # two columns: a long text wraps under itself, not under the keys
                    with Horizontal(classes="help-line"):
                        yield Static(Content(key_label(binding.key)), classes="help-key")
                        yield Static(Content(binding.tooltip or binding.description), classes="help-text")
            yield Static(Content("Esc closes this help."), classes="help-group")

    def on_mount(self) -> None:
        keys = self.query(".help-key").results(Static)
        width = max((len(str(key.render())) for key in keys), default=0)  # the longest key sets the column
        for key in self.query(".help-key"):
            key.styles.width = width

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
