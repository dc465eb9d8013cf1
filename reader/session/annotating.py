"""Bookmarks and notes on the open article: what a key acts on, saving, deleting and undoing.

Each write goes to the store in a thread; what the store saved is then added to (or taken from)
the open article's passages, one passage at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, TypeVar

from reader.domain.annotations.article_notes import ArticleNote
from reader.domain.annotations.conflicts import Resolution, resolved
from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import Located, selectors_for
from reader.domain.articles.cleaning import clean_text
from reader.session.library import open_store
from reader.session.reading import OpenArticle, Reading

if TYPE_CHECKING:
    from reader.domain.store.store import Store
    from reader.services import Services

T = TypeVar("T")


class SaveFailed(Exception):
    """The store refused a write; ``str(error)`` is one sentence for the user."""


@dataclass(frozen=True)
class Target:
    """What ``b`` or ``n`` acts on: the passage under the cursor and the annotation already on it."""

    span: tuple[int, int]
    existing: Located | None


@dataclass(frozen=True)
class Draft:
    """An annotation to edit a note on, and whether the store has it yet."""

    annotation: Annotation
    new: bool
    text: str | None = None
    """What the editor starts with, when not the annotation's own note (merged duplicates)."""
    absorbed: Mapping[str, str] = field(default_factory=dict)
    """Duplicate whole-article notes a save merges and deletes, each with the text it had."""


class Annotating:
    """Writes the open article's bookmarks and notes; keeps what was deleted, for undo."""

    def __init__(self, services: "Services", reading: Reading) -> None:
        self._services = services
        self._reading = reading
        self._deleted: list[Annotation] = []
        self._bookmarking: dict[tuple[str, tuple[int, int]], asyncio.Future[OpenArticle | None]] = {}
        """The bookmark writes under way, by article and span (a second ``b`` joins the first)."""

    @property
    def can_undo(self) -> bool:
        """Whether a deletion can be undone."""
        return bool(self._deleted)

    async def _write(self, write: Callable[["Store"], T]) -> T:
        from reader.domain.store.store import StoreError  # the store is open by now: no extra cost

        try:
            store = await open_store(self._services)
            return await asyncio.to_thread(write, store)
        except (StoreError, OSError) as error:  # one sentence for the user; nothing is dropped
            raise SaveFailed(str(error) or type(error).__name__) from error

    def target(self, span: tuple[int, int], exact: bool) -> Target | None:
        """The passage ``span`` of the open article and the annotation a key there acts on."""
        opened = self._reading.opened
        if opened is None:
            return None
        return Target(span, opened.passages.at(span, exact))

    def draft(self, target: Target) -> Draft:
        """The annotation to write a note on: the one there, or a new one on the passage."""
        if target.existing is not None:
            return Draft(target.existing.annotation, False)
        return Draft(self._new(target.span), True)

    def article_draft(self) -> Draft | None:
        """The note on the whole open article: the one it has, or a new one."""
        opened = self._reading.opened
        if opened is None:
            return None
        note = ArticleNote.of(opened.passages.annotations)  # the one `reader note` edits too
        if note.kept is not None:  # duplicates an older reader made are shown together, merged on save
            return Draft(note.kept, False, note.text if note.others else None, note.absorbed)
        meta = opened.article.meta
        return Draft(Annotation.new(meta.id, title=meta.title, url=meta.url), True)

    def _new(self, span: tuple[int, int]) -> Annotation:
        opened = self._opened()
        meta = opened.article.meta
        return Annotation.new(meta.id, title=meta.title, url=meta.url, selectors=selectors_for(opened.projection, *span))

    def _opened(self) -> OpenArticle:
        if self._reading.opened is None:
            raise SaveFailed("No article is open.")
        return self._reading.opened

    async def bookmark(self, span: tuple[int, int]) -> OpenArticle | None:
        """Bookmark a passage of the open article; the open article with it (``None`` if another
        was opened meanwhile). Asked again for the same passage while its write is under way (a
        key pressed twice on a slow disk), it waits for that write instead of making a second."""
        key = (self._opened().id, span)
        running = self._bookmarking.get(key)
        if running is None:
            running = self._bookmarking[key] = asyncio.ensure_future(self._bookmark(span))
            running.add_done_callback(lambda _: self._bookmarking.pop(key, None))
        return await asyncio.shield(running)

    async def _bookmark(self, span: tuple[int, int]) -> OpenArticle | None:
        new = self._new(span)
        saved = await self._write(lambda store: store.add(new))
        return self._added(saved)

    async def save_note(self, draft: Draft, text: str) -> tuple[Draft, OpenArticle | None]:
        """Save a note; the draft as saved (no longer new) and the open article with it."""
        updated = draft.annotation.with_note(clean_text(text))
        if draft.new:
            saved = await self._write(lambda store: store.add(updated))
            return Draft(saved, False), self._added(saved)
        saved = await self._write(lambda store: store.put(updated, draft.absorbed or None))
        opened = self._reading.opened
        for gone in draft.absorbed:  # merged into this one, deleted in the same write
            if opened is not None and opened.id == saved.article:
                opened = self._reading.set_passages(opened.id, opened.passages.without(gone))
        if opened is None or opened.id != saved.article:
            return Draft(saved, False), None
        return Draft(saved, False), self._reading.set_passages(opened.id, opened.passages.with_note(saved))

    async def resolve(self, annotation: Annotation, how: Resolution) -> OpenArticle | None:
        """Settle a note edited on two machines while apart as the user chose; the open article
        with it (the other machines see it settled once the sync engine carries the change)."""
        settled = resolved(annotation, how)
        saved = await self._write(lambda store: store.put(settled))
        opened = self._reading.opened
        if opened is None or opened.id != saved.article:
            return None
        return self._reading.set_passages(opened.id, opened.passages.with_note(saved))

    async def delete(self, annotation: Annotation) -> OpenArticle | None:
        """Delete an annotation (``undo`` brings it back); the open article without it."""
        deleted = await self._write(lambda store: store.delete(annotation.id))
        self._deleted.append(deleted or annotation)
        opened = self._reading.opened
        if opened is None or opened.id != annotation.article:
            return None
        return self._reading.set_passages(opened.id, opened.passages.without(annotation.id))

    async def undo(self) -> tuple[Annotation, OpenArticle | None] | None:
        """Restore the last deleted annotation; ``None`` when there is nothing to undo."""
        if not self._deleted:
            return None
        annotation = self._deleted.pop()
        try:
            saved = await self._write(lambda store: store.put(annotation))
        except SaveFailed:
            self._deleted.append(annotation)
            raise
        return saved, self._added(saved)

    async def restyle(self, target: Target, *, color: str | None = None,
                      tags: tuple[str, ...] | None = None) -> tuple[Annotation, OpenArticle | None]:
        """Give the passage a colour or tags (``None``: keep them): the annotation there, or a new
        bookmark on it; what was saved, and the open article with it."""
        if target.existing is None:
            new = replace(self._new(target.span), color=color or "", tags=tags or ())
            saved = await self._write(lambda store: store.add(new))
            return saved, self._added(saved)
        old = target.existing.annotation
        changed = old.restyled(old.color if color is None else color, old.tags if tags is None else tags)
        saved = await self._write(lambda store: store.put(changed))
        opened = self._reading.opened
        if opened is None or opened.id != saved.article:
            return saved, None
        return saved, self._reading.set_passages(opened.id, opened.passages.with_note(saved))

    async def tag_article(self, tags: tuple[str, ...]) -> OpenArticle | None:
        """Replace the open article's own tags; the open article with them."""
        opened = self._opened()
        saved = await self._write(lambda store: store.set_article_tags(opened.id, lambda old: tags))
        return self._reading.set_tags(opened.id, saved)

    def _added(self, saved: Annotation) -> OpenArticle | None:
        opened = self._reading.opened
        if opened is None or opened.id != saved.article:
            return None
        return self._reading.set_passages(opened.id, opened.passages.with_added(saved, opened.projection.text))
