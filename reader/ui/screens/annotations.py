"""The annotations screen: every bookmark and note across the library, newest first."""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.domain.annotations.model import Annotation
from reader.ui.widgets.note_text import note_content, quote_content, with_rules


SHOWN = 300
"""At most this many rows are built: the newest matches. Typing narrows the rest."""


def _haystack(annotation: Annotation) -> str:
    return f"{annotation.quote}\n{annotation.note}\n{annotation.title}".casefold()


NOTE_LINES = 3
"""A note on this screen shows this many lines at most (then ``…``)."""


def _option(annotation: Annotation) -> Option:
    quote = quote_content(annotation.quote, 160) if annotation.quote.strip() else Content.styled("Note on the whole article", "italic")
    lines = [Content.styled(annotation.title or "(untitled)", "bold"), quote]
    if annotation.note.strip():
        lines.append(note_content(annotation.note, NOTE_LINES))
    lines.append(Content.styled(annotation.created[:16].replace("T", " "), "dim"))
    return Option(Content("\n").join(lines), id=annotation.id)


class AnnotationsScreen(Screen[Annotation | None]):
    """Filter as you type over quote, note and title; Enter opens the article at the passage."""

    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to reading", id="annotations.back"),
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by quote, note or title", id="annotations.filter"),
    ]

    def __init__(self, annotations: list[Annotation]) -> None:
        super().__init__()
        self._all = annotations
        self._hays: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="annotations"):
            yield Static(Content("Bookmarks and notes"), id="annotations-title")
            yield Input(placeholder="filter quote, note or title", id="annotations-filter", compact=True)
            yield OptionList(id="annotations-list")
            yield Static(id="annotations-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show("")
        self.query_one(OptionList).focus()

    def _show(self, query: str) -> None:
        needle = query.strip().casefold()
        chosen = self._all
        if needle:
            if self._hays is None:  # once, on the first letter: then each letter is one pass in C
                self._hays = [_haystack(a) for a in self._all]
            chosen = list(compress(self._all, map(contains, self._hays, repeat(needle))))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(with_rules([_option(a) for a in chosen[:SHOWN]]))  # 100,000 rows would take a minute
        if chosen:
            options.highlighted = 0
        total = len(self._all)
        status = f"{len(chosen):,} of {total:,}" if needle else f"{total:,} annotation{'s' if total != 1 else ''}"
        if len(chosen) > SHOWN:
            status += f" · the newest {SHOWN} are listed: type to narrow"
        if not total:
            status = "No bookmarks yet: in an article, b bookmarks the passage under the cursor."
        self.query_one("#annotations-status", Static).update(Content(status))

    @on(Input.Changed, "#annotations-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#annotations-filter")
    def _to_list(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#annotations-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = next((a for a in self._all if a.id == event.option.id), None)
        self.dismiss(chosen)

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
