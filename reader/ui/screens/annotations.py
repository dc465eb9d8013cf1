"""The annotations screen: every bookmark and note across the library, newest first."""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains
from typing import Awaitable, Callable, Mapping

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.domain.plural import plural
from reader.domain.annotations.conflicts import conflicts
from reader.domain.annotations.model import Annotation
from reader.session.commonplace import AnnotationQuery
from reader.session.styling import labelled
from reader.domain.articles.cleaning import clean_line
from reader.session.passages import STATUS_NOTES
from reader.ui.widgets.note_text import note_content, quote_content, remark_content, with_rules
from reader.ui.widgets.footer import ReaderFooter

Statuses = Callable[[list[Annotation]], Awaitable[Mapping[str, str]]]
"""Where passages stand in their articles now (anchor status by annotation id), asked for the rows shown."""

LABEL_BATCH = 50
"""Statuses are asked for this many rows at a time, so the first labels show soon."""


SHOWN = 300
"""At most this many rows are built: the newest matches. Typing narrows the rest."""


def _haystack(annotation: Annotation) -> str:
    return f"{annotation.quote}\n{annotation.note}\n{annotation.title}".casefold()


NOTE_LINES = 3
"""A note on this screen shows this many lines at most (then ``…``)."""


def _option(annotation: Annotation, remark: str = "") -> Option:
    quote = quote_content(annotation.quote, 160) if annotation.quote.strip() else Content.styled("Note on the whole article", "italic")
    if remark:
        quote += remark_content(remark)
    lines = [Content.styled(clean_line(annotation.title) or "(untitled)", "bold"), quote]
    if annotation.note.strip():
        lines.append(note_content(annotation.note, NOTE_LINES))
    others = conflicts(annotation)
    if others:
        machines = ", ".join(dict.fromkeys(other.machine for other in others))
        lines.append(Content.styled(f"⚠ also edited on {machines}: open it and press c in the notes panel", "bold"))
    label = labelled(annotation.color, annotation.tags)
    lines.append(Content.styled(annotation.created[:16].replace("T", " ") + (f"  {label}" if label else ""), "dim"))
    return Option(Content("\n").join(lines), id=annotation.id)


class AnnotationsScreen(Screen[Annotation | None]):
    """Filter as you type over quote, note and title (``#tag`` and ``color:NAME`` narrow by tag
    and colour; typing on the list starts the filter; Enter in the filter hands the keys back to
    the list); Enter on the list opens the article at the passage. Passages whose text changed or
    is gone say so."""

    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to reading", id="annotations.back"),
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by quote, note, title, #tag or color:NAME", id="annotations.filter"),
    ]

    TYPED_KEYS = [
        ("a letter", "Start the filter with that letter (on the list)"),
        ("Enter", "In the filter: back to the list, the filter kept; on the list: open the passage"),
    ]
    """Keys the screen handles without a binding, for the help: (label, what it does)."""

    def __init__(self, annotations: list[Annotation], statuses: Statuses | None = None) -> None:
        super().__init__()
        self._all = annotations
        self._hays: list[str] | None = None
        self._statuses = statuses
        self._known: dict[str, str] = {}
        self._shown: list[Annotation] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="annotations"):
            yield Static(Content("Bookmarks and notes"), id="annotations-title")
            yield Input(placeholder="type to filter quote, note or title; #tag, color:yellow", id="annotations-filter",
                        compact=True, select_on_focus=False)
            yield OptionList(id="annotations-list")
            yield Static(id="annotations-status", markup=False)
        yield ReaderFooter()

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
        self._shown = chosen[:SHOWN]  # 100,000 rows would take a minute
        options.add_options(with_rules([_option(a, self._remark(a)) for a in self._shown]))
        self._label()
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

    def _remark(self, annotation: Annotation) -> str:
        return STATUS_NOTES.get(self._known.get(annotation.id, ""), "")

    @work(exclusive=True, group="labels", exit_on_error=False)
    async def _label(self) -> None:
        """Ask where the shown passages stand, a batch at a time, and label those not found as made."""
        if self._statuses is None:
            return
        shown, options = self._shown, self.query_one(OptionList)
        unknown = [a for a in shown if a.id not in self._known]
        for start in range(0, len(unknown), LABEL_BATCH):
            batch = unknown[start:start + LABEL_BATCH]
            self._known.update(await self._statuses(batch))
            for annotation in batch:
                if self._remark(annotation):
                    options.replace_option_prompt(annotation.id, _option(annotation, self._remark(annotation)).prompt)

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the list starts the filter with that letter."""
        filter_box = self.query_one(Input)
        if self.focused is filter_box or not event.is_printable or not event.character or event.character.isspace():
            return
        if event.character == "/":
            return  # the filter key itself
        event.stop()
        event.prevent_default()
        filter_box.focus()
        filter_box.insert_text_at_cursor(event.character)

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
