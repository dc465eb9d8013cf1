"""What the reading screen does when a key asks for a bookmark or a note: the questions it asks
(remove this bookmark? the note editor), the session's writes, and undo.

Plain functions over the screen's ``Host`` face (``host.py``).
"""

from __future__ import annotations

from typing import Awaitable, Callable

from textual.binding import Binding

from reader.domain.annotations.conflicts import Resolution, conflicts
from reader.domain.annotations.model import Annotation
from reader.session.annotating import Draft, SaveFailed
from reader.session.reading import OpenArticle
from reader.ui.screens.host import Host

SCREEN_BINDINGS = [
    Binding("o", "toggle_notes", "Notes", tooltip="Show or hide the notes panel", id="passage.panel"),
    Binding("a", "annotations", "All notes", show=False, tooltip="Every bookmark and note in the library", id="passage.all"),
    Binding("u", "undo", "Undo", show=False, tooltip="Undo the last deletion", id="passage.undo"),
]
"""The passage keys that work anywhere on the reading screen (the others belong to the reading pane)."""


def passage_asked(host: Host, span: tuple[int, int], exact: bool, what: str) -> None:
    """``b`` or ``n`` on a passage: bookmark it, offer to remove the bookmark there, or edit a
    note; ``c``, ``t`` and ``y`` go to ``styling``."""
    annotating, opened = host.session.annotating, host.session.reading.opened
    if opened is not None and not opened.located:
        host.write(_once_located(host, opened.id, lambda: passage_asked(host, span, exact, what)))
        return
    target = annotating.target(span, exact)
    if target is None or opened is None:
        return
    from reader.ui.screens import styling  # its dialogs load with the first passage key, not at start

    if what in styling.PASSAGE_FLOWS:
        styling.PASSAGE_FLOWS[what](host, target)
    elif what == "note":
        edit_note(host, annotating.draft(target), f"Note on a passage of “{opened.article.title}”")
    elif target.existing is not None:
        offer_removal(host, target.existing.annotation)
    else:
        host.write(bookmark(host, target.span))


def article_asked(host: Host, what: str) -> None:
    """``N``: edit the note on the whole article (there is one at most); ``T``: its tags."""
    opened = host.session.reading.opened
    if opened is not None and not opened.located:
        host.write(_once_located(host, opened.id, lambda: article_asked(host, what)))
        return
    draft = host.session.annotating.article_draft()
    if what == "tags":
        from reader.ui.screens import styling  # its dialogs load with the first passage key, not at start

        styling.tag_article(host)
    elif draft is not None and opened is not None:
        edit_note(host, draft, f"Note on “{opened.article.title}”")


async def _once_located(host: Host, article: str, then: Callable[[], None]) -> None:
    """A key that acts on the bookmark or note there, pressed while the open article's are being
    located (a long read): wait for them, then act, if the article is still the one open."""
    host.notify("Finding this article's bookmarks…", timeout=2)
    located = await host.session.reading.reload_passages()
    if located is not None:
        host.show_passages(located)
    opened = host.session.reading.opened
    if opened is not None and opened.id == article and opened.located:
        then()


def notes_asked(host: Host, annotation: str, what: str) -> None:
    """The notes panel asked to delete one of the open article's annotations (``d``), or to
    settle the texts of a note edited on two machines while apart (``c``)."""
    opened = host.session.reading.opened
    found = opened.passages.find(annotation) if opened is not None else None
    if found is None:
        return
    if what == "delete":
        host.write(delete(host, found.annotation))
    elif conflicts(found.annotation):
        from reader.ui.screens.resolve import ResolveScreen  # a screen the first frame does not draw loads when opened

        chosen = found.annotation
        question = ResolveScreen(chosen.note, conflicts(chosen, host.session.this_machine()))
        host.app.push_screen(question, lambda how: host.write(resolve(host, chosen, how)) if how is not None else None)


async def _written(host: Host, write: Awaitable[OpenArticle | None], failed: str, done: str, timeout: float) -> None:
    """Await one of the session's writes; say ``done`` and show the passages it left, or say
    ``failed`` with the reason."""
    try:
        opened = await write
    except SaveFailed as error:
        host.notify(f"{failed}: {error}", severity="error")
        return
    host.notify(done, timeout=timeout)
    if opened is not None:
        host.show_passages(opened)


async def resolve(host: Host, annotation: Annotation, how: Resolution) -> None:
    """Save the text the user chose for a note with conflicts; every machine then shows it alone."""
    await _written(host, host.session.annotating.resolve(annotation, how), "Not saved",
                   "Saved: this note has one text again.", 3)


async def bookmark(host: Host, span: tuple[int, int]) -> None:
    """Bookmark a passage; the highlight shows once the store has it."""
    await _written(host, host.session.annotating.bookmark(span), "Bookmark not saved", "Bookmarked", 2)


def offer_removal(host: Host, annotation: Annotation) -> None:
    """Ask, then remove a bookmark (and its note). No worker waits for the answer meanwhile."""
    from reader.ui.screens.confirm import ConfirmScreen  # a dialog the first frame does not draw loads when asked

    quote = " ".join(annotation.quote.split())[:200]
    question = ConfirmScreen("Remove this bookmark" + (" and its note?" if annotation.note else "?"), quote,
                             yes="Remove", no="Keep")
    host.app.push_screen(question, lambda remove: host.write(delete(host, annotation)) if remove else None)


async def delete(host: Host, annotation: Annotation) -> None:
    """Delete an annotation (``u`` undoes it)."""
    await _written(host, host.session.annotating.delete(annotation), "Not deleted", "Deleted. Press u to undo.", 4)


async def undo(host: Host) -> None:
    """Bring back the last deleted annotation."""
    try:
        restored = await host.session.annotating.undo()
    except SaveFailed as error:
        host.notify(f"Undo failed: {error}", severity="error")
        return
    if restored is None:
        host.notify("Nothing to undo.", timeout=2)
        return
    host.notify("Restored.", timeout=2)
    if restored[1] is not None:
        host.show_passages(restored[1])


def edit_note(host: Host, draft: Draft, heading: str) -> None:
    """Open the note editor on a draft; each save goes to the store before the editor closes."""
    latest = [draft]

    async def save(text: str) -> str | None:
        try:
            latest[0], opened = await host.session.annotating.save_note(latest[0], text)
        except SaveFailed as error:
            return str(error)
        host.notify("Note saved" if latest[0].annotation.note else "Note cleared", timeout=2)
        if opened is not None:
            host.show_passages(opened)
        return None

    annotation = draft.annotation
    text = annotation.note if draft.text is None else draft.text
    from reader.ui.screens.note_editor import NoteEditor  # a screen the first frame does not draw loads when opened

    host.app.push_screen(NoteEditor(heading, annotation.quote, text, save))


async def browse(host: Host) -> None:
    """Every annotation in the library; the one chosen opens at its passage."""
    from reader.ui.screens.annotations import AnnotationsScreen  # a screen the first frame does not draw loads when opened

    annotations = await host.session.all_annotations()
    chosen = await host.app.push_screen_wait(AnnotationsScreen(annotations, host.session.statuses().of))
    if chosen is not None:
        host.open_listed(chosen.article, at=chosen)
