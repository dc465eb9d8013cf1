"""The link list (as newsboat's URL view): the open article's links, numbered, one to choose.

Choosing returns the address; the reading screen then asks before opening it, as for a click.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.domain.articles.links import Link
from reader.ui.widgets.choices import Choices


def _option(number: int, link: Link) -> Option:
    text = () if link.text == link.url else (link.text, "  ")  # a bare address: shown once
    return Option(Content.assemble((f"{number:>2}", "bold $accent"), "  ", *text, (link.url, "$text-muted")))


class LinkList(ModalScreen[str | None]):
    """Numbered links; a number (or the highlighted one and Enter) chooses, Escape closes.

    With ten links or more a first digit that could begin a longer number only moves the
    highlight; the next digit (or Enter) decides.
    """

    BINDINGS = [Binding("escape", "close", "Close", tooltip="Close the link list", id="links.close")]

    def __init__(self, links: tuple[Link, ...]) -> None:
        super().__init__()
        self._links = links
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content("Links in this article"), id="links-title")
            yield Choices(*(_option(n, link) for n, link in enumerate(self._links, 1)), id="links-list")
            yield Static(Content("a number or Enter opens (after asking) · Esc closes"), id="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_key(self, event: events.Key) -> None:
        if event.character is None or not event.character.isdigit():
            self._typed = ""
            return
        event.stop()
        typed = self._typed + event.character
        number = int(typed)
        if not 1 <= number <= len(self._links):
            self._typed = ""
            return
        if number * 10 > len(self._links):  # no longer number begins with it
            self.dismiss(self._links[number - 1].url)
            return
        self._typed = typed
        self.query_one(OptionList).highlighted = number - 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._links[event.option_index].url)

    def action_close(self) -> None:
        self.dismiss(None)
