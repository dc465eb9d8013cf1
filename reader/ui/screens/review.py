"""The daily review screen: today's passages one at a time, answered again, hard, good or easy.

Each passage is recorded as shown when it appears (today does not bring it back) and each answer
is stored with it, through the session's ``DailyReview`` (the code ``reader review`` runs).
"""

from __future__ import annotations

from typing import Coroutine

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from reader.domain.annotations.model import Annotation
from reader.session.review import DailyReview
from reader.domain.articles.cleaning import clean_line
from reader.session.styling import labelled
from reader.ui.widgets.note_text import note_content, quote_content
from reader.ui.widgets.footer import ReaderFooter

QUOTE_SHOWN = 1200
"""The review shows this much of a passage (then ``…``)."""
NOTE_LINES = 12
"""And this many lines of its note, rendered as Markdown."""


class ReviewScreen(Screen[None]):
    """Shows one passage at a time; each answer key records the answer and shows the next."""

    BINDINGS = [
        Binding("a", "answer('again')", "Again", tooltip="Forgot it: bring it back soon", id="review.again"),
        Binding("h", "answer('hard')", "Hard", tooltip="Hard to recall: back in a short while", id="review.hard"),
        Binding("g", "answer('good')", "Good", tooltip="Recalled it: back later", id="review.good"),
        Binding("e", "answer('easy')", "Easy", tooltip="Knew it at once: back much later", id="review.easy"),
        Binding("s", "skip", "Skip", tooltip="Next passage without an answer (not shown again today)", id="review.skip"),
        Binding("escape", "close", "Close", tooltip="Back to reading", id="review.close"),
    ]

    def __init__(self, daily: DailyReview, passages: list[Annotation]) -> None:
        super().__init__()
        self._daily = daily
        self._passages = passages
        self._index = 0
        self._answered = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(id="review-progress", markup=False)
            with VerticalScroll(id="review-card"):
                yield Static(id="review-title", markup=False)
                yield Static(id="review-quote", markup=False)
                yield Static(id="review-note", markup=False)
            yield Static(id="review-last", markup=False)
        yield ReaderFooter()

    @property
    def current(self) -> Annotation | None:
        """The passage on screen (``None`` once every passage has had its turn)."""
        return self._passages[self._index] if self._index < len(self._passages) else None

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        passage = self.current
        total = len(self._passages)
        if passage is None:
            self._set("#review-progress", f"Done for today: {self._answered} of {total} answered.")
            self._set("#review-title", "")
            self._set("#review-quote", "Come back tomorrow for the next ones. Esc goes back to reading.")
            self._set("#review-note", "")
        else:
            self._set("#review-progress", f"Passage {self._index + 1} of {total} · how well do you remember it?")
            label = labelled(passage.color, passage.tags)
            self._set("#review-title", (clean_line(passage.title) or "(untitled)") + (f"   {label}" if label else ""))
            self.query_one("#review-quote", Static).update(quote_content(passage.quote, QUOTE_SHOWN, ""))
            note = passage.note.strip()
            self.query_one("#review-note", Static).update(note_content(note, NOTE_LINES) if note else Content(""))
            self._write(self._daily.shown(passage))
        self.refresh_bindings()

    def _set(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(Content(text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action == "close" or self.current is not None

    def action_answer(self, answer: str) -> None:
        passage = self.current
        if passage is None:
            return
        self._index += 1
        self._answered += 1
        self._write(self._record(passage, answer))
        self._show()

    def _write(self, work: Coroutine[None, None, None]) -> None:
        """Writes run as the app's workers: Esc right after an answer must not cancel its write."""
        self.app.run_worker(self._reported(work), group="review", exit_on_error=False)

    async def _reported(self, work: Coroutine[None, None, None]) -> None:
        try:
            await work
        except Exception as error:  # StoreError, OSError: one sentence, the review goes on
            self.app.notify(f"Review not saved: {error}", severity="error")

    async def _record(self, passage: Annotation, answer: str) -> None:
        answered = await self._daily.answer(passage, answer)
        if self.is_attached:
            self._set("#review-last", answered.message())
        if answered.gone:
            self.app.notify(answered.message(), severity="warning")

    def action_skip(self) -> None:
        if self.current is not None:
            self._index += 1
            self._show()

    def action_close(self) -> None:
        self.dismiss(None)
