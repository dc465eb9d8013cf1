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
             "shift+down": "Shift+↓", "shift+up": "Shift+↑", "asterisk": "*", "number_sign": "#"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


HelpRow = Binding | tuple[str, str]
"""A line of the help: a binding, or a key Textual handles itself (its label, what it does)."""


def reading_keys(screen: Iterable[BindingType], app: Iterable[BindingType]) -> list[tuple[str, list[HelpRow]]]:
    """The reading screen's keys by where they work: the screen's, each pane's, the feeds', and
    those of the annotations screen (``a``)."""
    from reader.ui.panes.library import LibraryPane
    from reader.ui.panes.notes import NotesPanel
    from reader.ui.panes.reading import ReadingPane
    from reader.ui.screens.annotating import SCREEN_BINDINGS
    from reader.ui.screens.commonplace import COMMONPLACE_BINDINGS
    from reader.ui.screens.annotations import AnnotationsScreen
    from reader.ui.screens.feeds import FEED_BINDINGS
    from reader.ui.widgets.article_list import ArticleList

    elsewhere = [*SCREEN_BINDINGS, *COMMONPLACE_BINDINGS, *FEED_BINDINGS]
    everywhere = [b for b in screen if isinstance(b, Binding) and b not in elsewhere]
    return [
        ("Everywhere", everywhere + [b for b in app if isinstance(b, Binding)]),
        ("Passages, bookmarks and notes", [*ReadingPane.PASSAGE_BINDINGS, *SCREEN_BINDINGS]),
        ("Review and tags (Ctrl+P also has Review today's passages, Tags)", list(COMMONPLACE_BINDINGS)),
        ("Article list", [*ArticleList.BINDINGS, *LibraryPane.BINDINGS]),
        ("Article", [*ReadingPane.MOVE_BINDINGS, *ReadingPane.LINK_BINDINGS]),
        ("Notes panel", list(NotesPanel.BINDINGS)),
        ("Feeds (Ctrl+P also has Add feed…, Remove feed…, Save page…)", list(FEED_BINDINGS)),
        ("Every bookmark and note (a)", [*AnnotationsScreen.BINDINGS, *AnnotationsScreen.TYPED_KEYS]),
    ]


class HelpScreen(ModalScreen[None]):
    """Lists each group of keys with what it does."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", tooltip="Close the help", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[HelpRow]]]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content("reader — keys"), classes="help-title")
            for title, bindings in self._groups:
                yield Static(Content(title), classes="help-group")
                for row in bindings:  # two columns: a long text wraps under itself, not under the keys
                    label, text = row if isinstance(row, tuple) else (key_label(row.key), row.tooltip or row.description)
                    with Horizontal(classes="help-line"):
                        yield Static(Content(label), classes="help-key")
                        yield Static(Content(text), classes="help-text")
            yield Static(Content("Esc closes this help."), classes="help-group")

    def on_mount(self) -> None:
        keys = self.query(".help-key").results(Static)
        width = max((len(str(key.render())) for key in keys), default=0)  # the longest key sets the column
        for key in self.query(".help-key"):
            key.styles.width = width

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
