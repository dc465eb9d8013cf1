"""The current text (projection) of the library's articles, looked up by id and read once each:
what passages are located in again (``reader annotations``, ``doctor``, ``cite``, the app's
annotations screen)."""

from __future__ import annotations

from reader.domain.articles.files import Unreadable
from reader.domain.articles.library import Library, Listing
from reader.domain.articles.markdown import project


class ArticleTexts:
    """Article texts by id over one listing (a fresh scan unless one is given); ``None`` for an
    article that is gone or unreadable (its passages are orphaned)."""

    def __init__(self, library: Library, listing: Listing | None = None) -> None:
        self._library = library
        self.listing = library.scan() if listing is None else listing
        self._by_id = {m.id: m for m in self.listing.articles}
        self._texts: dict[str, str | None] = {}

    def text(self, article: str) -> str | None:
        """The article's text now, or ``None`` when it is gone or unreadable."""
        if article not in self._texts:
            meta = self._by_id.get(article)
            # the index holds the text as of the scan: no file to read and parse again
            text = self._library.index.text_of(meta.path) if meta else None
            if text is None and meta is not None:
                try:
                    text = project(self._library.load(meta).body).text
                except Unreadable:
                    text = None
            self._texts[article] = text
        return self._texts[article]
