"""Where passages stand in their articles' current text, for the labels of the annotations
screen: worked out in a thread, a few at a time (the rows shown), each article read once."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from reader.domain.annotations.model import Annotation
from reader.domain.annotations.passages import status_in
from reader.domain.articles.texts import ArticleTexts

if TYPE_CHECKING:
    from reader.domain.annotations.anchoring import AnchorStatus
    from reader.domain.articles.library import Library, Listing


class Statuses:
    """Anchor statuses over one listing; the texts read stay for the next question."""

    def __init__(self, library: "Library", listing: "Listing") -> None:
        self._library = library
        self._listing = listing
        self._texts: ArticleTexts | None = None

    async def of(self, annotations: list[Annotation]) -> dict[str, AnchorStatus]:
        """The status of each passage by annotation id (notes on a whole article are left out)."""
        return await asyncio.to_thread(self._of, annotations)

    def _of(self, annotations: list[Annotation]) -> dict[str, AnchorStatus]:
        if self._texts is None:
            self._texts = ArticleTexts(self._library, self._listing)
        texts = self._texts
        return {a.id: status_in(a, texts.text(a.article)) for a in annotations if a.selectors is not None}
