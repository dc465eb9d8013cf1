"""The open article: opening it where the reader left it (or at a passage), remembering where
the cursor is, marking it read, and taking in other processes' changes to its annotations."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Any, TYPE_CHECKING

from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import locate
from reader.domain.articles.article import Article, ArticleMeta
from reader.domain.articles.markdown import Projection, project
from reader.domain.articles.pages import anchor_for, find_anchor
from reader.domain.articles.pictures import Picture, local_pictures
from reader.session.library import open_store, writable_store
from reader.session.passages import Passages

if TYPE_CHECKING:
    from reader.domain.store.store import Store
    from reader.services import Services


@dataclass(frozen=True)
class OpenArticle:
    """An article ready to show: the article, its projection, the block the cursor starts on and
    its bookmarks and notes."""

    article: Article
    projection: Projection
    cursor: int
    passages: Passages = Passages()
    tags: tuple[str, ...] = ()
    """The article's own tags (its passages have theirs)."""
    pictures: tuple[Picture, ...] = ()
    """Its local pictures, when the user asked for them inline (remote ones are never listed)."""
    located: bool = True
    """False until its bookmarks are located (``Reading.open(passages=False)``): ``passages`` is
    empty then, not because it has none."""
    request: int = 0
    """Which open brought it (its copies with new passages or tags keep it): see ``Reading.latest``."""

    @property
    def id(self) -> str:
        """The article's id."""
        return self.article.id

    def block_of(self, offset: int) -> int:
        """The block that holds a projection offset."""
        block = self.projection.block_at(offset)
        return block.index if block else 0


class Reading:
    """The article open now and the reading position waiting to be saved."""

    def __init__(self, services: "Services") -> None:
        self._services = services
        self.opened: OpenArticle | None = None
        self._asked = 0
        self._pending: dict[str, dict[str, Any]] = {}  # article → the position waiting to be saved

    async def open(self, meta: ArticleMeta, at: Annotation | None = None,
                   passages: bool = True) -> OpenArticle | None:
        """Load an article with the cursor at its saved position, or on the passage ``at``;
        ``None`` when another article was asked for meanwhile (the last one asked for wins).
        With ``passages=False`` its bookmarks are not located yet (``reload_passages`` does it
        once the article is on screen: locating sixty on a long read takes longer than showing it)."""
        self._asked += 1
        asked = self._asked
        article = await asyncio.to_thread(self._services.library.load, meta)
        projection = await asyncio.to_thread(project, article.body)
        store = await open_store(self._services)
        state, annotations, tags = await asyncio.to_thread(
            lambda: (store.reading_state(meta.id), store.annotations(meta.id), store.tags_of(meta.id)))
        placed = await asyncio.to_thread(Passages.locate, annotations, projection) if passages else Passages()
        cursor = find_anchor(projection.blocks, (state or {}).get("anchor"))
        if at is not None and at.selectors is not None:
            found = placed.find(at.id) or locate(at, projection.text)
            if found.anchor.start is not None:
                block = projection.block_at(found.anchor.start)
                cursor = block.index if block else cursor
        pictures = (await asyncio.to_thread(local_pictures, article.body, meta.path)
                    if self._services.settings.inline_images else ())
        if asked != self._asked:
            return None
        self.opened = OpenArticle(article, projection, cursor, placed, tags, pictures, located=passages, request=asked)
        return self.opened

    def latest(self, opened: OpenArticle) -> OpenArticle | None:
        """The open article as it is now (its bookmarks may have been located meanwhile) if no
        later open has taken its place; else ``None``. A later open still loading, or one that
        failed, has not: the article shown finishes opening."""
        now = self.opened
        if now is None or now.request != opened.request:
            return None
        return now

    def set_passages(self, article: str, passages: Passages) -> OpenArticle | None:
        """New passages for ``article``; the open article with them, or ``None`` if it is not open."""
        if self.opened is None or self.opened.id != article:
            return None
        self.opened = replace(self.opened, passages=passages, located=True)
        return self.opened

    def set_tags(self, article: str, tags: tuple[str, ...]) -> OpenArticle | None:
        """New tags for ``article``; the open article with them, or ``None`` if it is not open."""
        if self.opened is None or self.opened.id != article:
            return None
        self.opened = replace(self.opened, tags=tags)
        return self.opened

    async def mark_read(self, article: str) -> None:
        """Save the read mark (the saved position stays); not in a read-only store."""
        store = await writable_store(self._services)
        if store is not None:
            await asyncio.to_thread(store.set_reading_state, article, read=True)

    def moved(self, article: str, block: int) -> bool:
        """The cursor of ``article`` is on ``block``: remember it until ``save_position`` (a switch
        to another article meanwhile loses neither)."""
        opened = self.opened
        if opened is None or opened.id != article or not 0 <= block < len(opened.projection.blocks):
            return False
        self._pending[article] = anchor_for(opened.projection.blocks[block])
        return True

    async def save_position(self) -> None:
        """Write the positions waiting to be saved, if any (not to a read-only store)."""
        pending, self._pending = self._pending, {}
        if pending:
            store = await writable_store(self._services)
            if store is not None:
                await asyncio.to_thread(self._write, store, pending)

    def save_position_now(self) -> None:
        """On the way out: write the waiting position at once; a failure is dropped (a position is
        a convenience, and there is no screen left to tell)."""
        pending, self._pending = self._pending, {}
        if not pending:
            return
        from reader.domain.store.store import StoreError  # not at start-up: it brings TinyDB and filelock

        try:
            self._write(self._services.store, pending)
        except (StoreError, OSError):
            pass

    @staticmethod
    def _write(store: "Store", pending: dict[str, dict[str, Any]]) -> None:
        for article, anchor in pending.items():
            store.set_reading_state(article, read=True, anchor=anchor)

    async def reload_passages(self) -> OpenArticle | None:
        """After another process wrote: the open article with its annotations and tags as stored
        now, or ``None`` when they are the ones shown (nothing is located again then)."""
        opened = self.opened
        if opened is None:
            return None
        store = await open_store(self._services)
        article = opened.id
        annotations, tags = await asyncio.to_thread(lambda: (store.annotations(article), store.tags_of(article)))
        same = opened.located and opened.passages.same_as(annotations)
        if same and tags == opened.tags:
            return None
        if tags != opened.tags:
            opened = self.set_tags(opened.id, tags) or opened
        if same:
            return opened if self.opened is opened else None
        passages = await asyncio.to_thread(Passages.locate, annotations, opened.projection)
        now = self.opened
        if now is not None and now.id == article and now.passages is not opened.passages:
            return await self.reload_passages()  # changed here meanwhile (a bookmark made): look again
        return self.set_passages(opened.id, passages)
