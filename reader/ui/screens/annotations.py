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

from reader.domain.plural import plural
from reader.domain.annotations.conflicts import conflicts
from reader.domain.annotations.model import Annotation
from reader.session.commonplace import AnnotationQuery
from reader.session.styling import labelled


SHOWN = 300
"""At most this many rows are built: the newest matches. Typing narrows the rest."""


def _haystack(annotation: Annotation) -> str:
    return f"{annotation.quote}\n{annotation.note}\n{annotation.title}".casefold()


def _option(annotation: Annotation) -> Option:
    quote = " ".join(annotation.quote.split())
    lines = [
        Content.styled(annotation.title or "(untitled)", "bold"),
        Content.styled(f"“{quote[:160]}{'…' if len(quote) > 160 else ''}”" if quote else "Note on the whole article", "italic"),
    ]
    note = " ".join(annotation.note.split())
    if note:
        lines.append(Content("✎ " + note[:200]))
    others = conflicts(annotation)
    if others:
        machines = ", ".join(dict.fromkeys(other.machine for other in others))
        lines.append(Content.styled(f"⚠ also edited on {machines}: open it and press c in the notes panel", "bold"))
    label = labelled(annotation.color, annotation.tags)
    lines.append(Content.styled(annotation.created[:16].replace("T", " ") + (f"  {label}" if label else ""), "dim"))
    return Option(Content("\n").join(lines), id=annotation.id)


class AnnotationsScreen(Screen[Annotation | None]):
    """Filter as you type over quote, note and title (``#tag`` and ``color:NAME`` narrow by tag
    and colour); Enter opens the article at the passage."""

    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to reading", id="annotations.back"),
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by quote, note, title, #tag or color:NAME", id="annotations.filter"),
    ]

    def __init__(self, annotations: list[Annotation]) -> None:
        super().__init__()
        self._all = annotations
        self._hays: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="annotations"):
            yield Static(Content("Bookmarks and notes"), id="annotations-title")
            yield Input(placeholder="filter quote, note or title; #tag, color:yellow", id="annotations-filter", compact=True)
            yield OptionList(id="annotations-list")
            yield Static(id="annotations-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show("")
        self.query_one(OptionList).focus()

    def _show(self, text: str) -> None:
        query = AnnotationQuery.parse(text)
        needle = not query.empty
        chosen = self._all
        if query.words:
            if self._hays is None:  # once, on the first letter: then each word is one pass in C
                self._hays = [_haystack(a) for a in self._all]
            hays = self._hays
            for word in query.words:
                keep = list(map(contains, hays, repeat(word)))
                chosen, hays = list(compress(chosen, keep)), list(compress(hays, keep))
        if query.styled:
            chosen = [a for a in chosen if query.matches_style(a)]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([_option(a) for a in chosen[:SHOWN]])  # 100,000 rows would take a minute
        if chosen:
            options.highlighted = 0
        total = len(self._all)
        status = f"{len(chosen):,} of {total:,}" if needle else plural(total, "annotation")
        if len(chosen) > SHOWN:
            status += f" · the newest {SHOWN} are listed: type to narrow"
        if query.problem():
            status = query.problem()
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
