"""What the reading screen does with passages: bookmark, note, jump, list, delete and undo.

A mixin of ``MainScreen``: every store call runs in a thread, and the article shows a highlight
only after the store confirmed the write.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual import on, work
from textual.binding import Binding
from textual.widgets import OptionList

from reader.domain.annotations.model import Annotation
from reader.domain.annotations.article_notes import ArticleNote
from reader.domain.articles.cleaning import clean_text
from reader.domain.annotations.passages import Located, locate_all, selectors_for
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.widgets.marks import Mark
from reader.ui.widgets.notes_panel import NotesPanel, PanelEntry

PASSAGE_BINDINGS = [
    Binding("b", "bookmark", "Bookmark", tooltip="Bookmark the passage (again: remove it)", id="passage.bookmark"),
    Binding("n", "note", "Note", tooltip="Write a note on the passage", id="passage.note"),
    Binding("N", "article_note", "Article note", show=False, tooltip="Write a note on the whole article", id="passage.article_note"),
    Binding("right_square_bracket", "jump(1)", "Next mark", show=False, tooltip="Next bookmark in the article", id="passage.next"),
    Binding("left_square_bracket", "jump(-1)", "Prev mark", show=False, tooltip="Previous bookmark in the article", id="passage.previous"),
    Binding("o", "toggle_notes", "Notes", tooltip="Show or hide the notes panel", id="passage.panel"),
    Binding("a", "annotations", "All notes", show=False, tooltip="Every bookmark and note in the library", id="passage.all"),
    Binding("u", "undo", "Undo", show=False, tooltip="Undo the last deletion", id="passage.undo"),
]


class PassageActions:
    """Bookmarks and notes for the open article (mixed into MainScreen)."""

    located: list[Located]
    _undo: list[Annotation]

    def _init_passages(self) -> None:
        self.located = []
        self._undo = []

    # -- state -------------------------------------------------------------------------------

    def show_annotations(self, annotations: list[Annotation]) -> None:
        """Locate the open article's annotations and draw them."""
        view = self.article_view
        if view.opened is None:
            return
        self.located = locate_all(annotations, view.opened.projection)
        marks = [Mark(l.anchor.start, l.anchor.end, bool(l.annotation.note.strip()))
                 for l in self.located if l.annotation.selectors is not None and l.anchor.start is not None]
        view.set_marks(marks)
        self.query_one(NotesPanel).show_entries([
            PanelEntry(l.annotation.id, l.annotation.quote, l.annotation.note, l.status) for l in self.located])
        self.update_annotation_count(view.opened.article.id, len(annotations))

    def _annotations_now(self) -> list[Annotation]:
        return [l.annotation for l in self.located]

    def _at_passage(self, span: tuple[int, int], exact_only: bool) -> Located | None:
        start, end = span
        for item in self.located:
            a_start, a_end = item.anchor.start, item.anchor.end
            if item.annotation.selectors is None or a_start is None or a_end is None:
                continue
            if (a_start, a_end) == (start, end):
                return item
            if not exact_only and start <= a_start and a_end <= end:
                return item
        return None

    def _passage(self) -> tuple[tuple[int, int], bool] | None:
        view = self.article_view
        mouse = view.mouse_passage()
        if mouse is not None:
            return mouse, True
        span = view.current_passage()
        return (span, view.narrowed) if span is not None else None

    # -- writes ------------------------------------------------------------------------------

    async def _write(self, action, *args) -> str | None:
        """Run a store write in a thread; ``None`` on success, else a sentence for the user."""
        try:
            await asyncio.to_thread(action, *args)
        except Exception as error:  # StoreError, OSError: the user is told, nothing is dropped
            return str(error) or type(error).__name__
        return None

    @work(group="store", exit_on_error=False)
    async def _reload_annotations(self) -> None:
        view = self.article_view
        if view.opened is None:
            return
        article = view.opened.article.id
        annotations = await asyncio.to_thread(self.services.store.annotations, article)
        if view.opened is not None and view.opened.article.id == article:
            self.show_annotations(annotations)

    @work(group="store", exit_on_error=False)
    async def _save_new(self, annotation: Annotation, message: str) -> None:
        error = await self._write(self.services.store.add, annotation)
        if error is not None:
            self.notify(f"Bookmark not saved: {error}", severity="error")
            return
        self.notify(message, timeout=2)
        self._reload_annotations()

    # -- actions -----------------------------------------------------------------------------

    def _target(self) -> tuple[tuple[int, int], Located | None] | None:
        """The passage to act on, and the bookmark already on it (if any)."""
        passage = self._passage()
        if self.article_view.opened is None or passage is None:
            return None
        span, explicit = passage
        return span, self._at_passage(span, exact_only=explicit)

    def action_bookmark(self) -> None:
        view = self.article_view
        target = self._target()
        if view.opened is None or target is None:
            return
        span, existing = target
        if existing is not None:
            def answer(remove: bool | None) -> None:
                if remove:
                    self._delete(existing.annotation)

            quote = " ".join(existing.annotation.quote.split())[:200]
            self.app.push_screen(ConfirmScreen("Remove this bookmark" + (" and its note?" if existing.annotation.note else "?"),
                                               quote, yes="Remove", no="Keep"), answer)
            return
        meta = view.opened.article.meta
        annotation = Annotation.new(meta.id, title=meta.title, url=meta.url,
                                    selectors=selectors_for(view.opened.projection, *span))
        self._save_new(annotation, "Bookmarked")

    def action_note(self) -> None:
        view = self.article_view
        target = self._target()
        if view.opened is None or target is None:
            return
        span, existing = target
        meta = view.opened.article.meta
        base = existing.annotation if existing else Annotation.new(
            meta.id, title=meta.title, url=meta.url, selectors=selectors_for(view.opened.projection, *span))
        self._edit(base, is_new=existing is None, heading=f"Note on a passage of “{meta.title}”")

    def action_article_note(self) -> None:
        view = self.article_view
        if view.opened is None:
            return
        meta = view.opened.article.meta
        note = ArticleNote.of(self._annotations_now())  # the one the CLI's `reader note` edits too
        if note.kept is None:
            self._edit(Annotation.new(meta.id, title=meta.title, url=meta.url), True, f"Note on “{meta.title}”")
        else:  # duplicates an older reader made are shown together, and merged into one on save
            self._edit(note.kept, False, f"Note on “{meta.title}”", note.text, note.absorbed)

    def _edit(self, base: Annotation, is_new: bool, heading: str, text: str | None = None,
              absorbed: dict[str, str] | None = None) -> None:
        store = self.services.store
        state = {"saved": base, "new": is_new, "absorbed": absorbed or {}}

        async def save(text: str) -> str | None:
            updated = state["saved"].with_note(clean_text(text))
            if state["new"]:
                error = await self._write(store.add, updated)
            else:
                error = await self._write(store.put, updated, state["absorbed"])
            if error is None:
                state.update(saved=updated, new=False, absorbed={})
                self._reload_annotations()
            return error

        self.app.push_screen(NoteEditor(heading, base.quote, base.note if text is None else text, save))

    def _delete(self, annotation: Annotation) -> None:
        self._delete_worker(annotation)

    @work(group="store", exit_on_error=False)
    async def _delete_worker(self, annotation: Annotation) -> None:
        error = await self._write(self.services.store.delete, annotation.id)
        if error is not None:
            self.notify(f"Not deleted: {error}", severity="error")
            return
        self._undo.append(annotation)
        self.notify("Deleted. Press u to undo.", timeout=4)
        self._reload_annotations()

    @work(group="store", exit_on_error=False)
    async def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo.", timeout=2)
            return
        annotation = self._undo.pop()
        error = await self._write(self.services.store.put, replace(annotation))
        if error is not None:
            self._undo.append(annotation)
            self.notify(f"Undo failed: {error}", severity="error")
            return
        self.notify("Restored.", timeout=2)
        self._reload_annotations()

    def action_jump(self, step: int) -> None:
        view = self.article_view
        if view.opened is None:
            return
        starts = sorted({view.block_of_offset(l.anchor.start) for l in self.located
                         if l.annotation.selectors is not None and l.anchor.start is not None})
        after = [b for b in starts if (b > view.cursor if step > 0 else b < view.cursor)]
        if not after:
            self.notify("No more bookmarks in this direction.", timeout=2)
            return
        view.cursor = after[0] if step > 0 else after[-1]

    def action_toggle_notes(self) -> None:
        panel = self.query_one(NotesPanel)
        panel.display = not panel.display
        if panel.display:
            panel.focus()
        else:
            self.article_view.focus()

    @on(OptionList.OptionSelected, "NotesPanel")
    def _panel_chosen(self, event: OptionList.OptionSelected) -> None:
        item = next((l for l in self.located if l.annotation.id == event.option.id), None)
        if item is not None and item.anchor.start is not None:
            self.article_view.cursor = self.article_view.block_of_offset(item.anchor.start)
            self.article_view.focus()

    @on(NotesPanel.Delete)
    def _panel_delete(self, event: NotesPanel.Delete) -> None:
        item = next((l for l in self.located if l.annotation.id == event.id), None)
        if item is not None:
            self._delete(item.annotation)

    @work(group="store", exit_on_error=False)
    async def action_annotations(self) -> None:
        annotations = await asyncio.to_thread(self.services.store.annotations)
        chosen = await self.app.push_screen_wait(AnnotationsScreen(annotations))
        if chosen is not None:
            self.open_at(chosen)
