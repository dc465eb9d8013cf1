"""The current text (projection) of the library's articles, looked up by id and read once each:
what passages are located in again (``reader annotations``, ``doctor``, ``cite``, the app's
annotations screen)."""

from __future__ import annotations

from typing import Collection

from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.files import Unreadable
from reader.domain.articles.library import Library, Listing
from reader.domain.articles.markdown import project


class ArticleTexts:
    """Article texts by id over one listing (a fresh scan unless one is given), or over the files
    ``paths`` names; ``None`` for an article that is gone or unreadable (its passages are orphaned)."""

    def __init__(self, library: Library, listing: Listing | None = None, *, paths: dict[str, str] | None = None) -> None:
        self._library = library
        self._metas: dict[str, ArticleMeta] = {}
        if paths is None:
            self._metas = {m.id: m for m in (library.scan() if listing is None else listing).articles}
            paths = {article: meta.path for article, meta in self._metas.items()}
        self._paths = paths
        self._texts: dict[str, str | None] = {}

    @classmethod
    def of(cls, library: Library, articles: Collection[str]) -> ArticleTexts:
        """The texts of ``articles``: from the index alone when their files are unchanged since it
        read them, which costs a stat of each instead of a scan of the whole library; over a fresh
        scan when one of them is new, gone or changed."""
        paths = library.unchanged(articles)
        return cls(library) if paths is None else cls(library, paths=paths)

    def meta(self, article: str) -> ArticleMeta | None:
        """The article's metadata, or ``None`` when it is gone."""
        if article not in self._metas and article in self._paths:
            found = self._library.index.metas([self._paths[article]])
            if found:
                self._metas[article] = found[0]
        return self._metas.get(article)

    def text(self, article: str) -> str | None:
        """The article's text now, or ``None`` when it is gone or unreadable."""
        if article not in self._texts:
            path = self._paths.get(article)
            # the index holds the text as of the scan: no file to read and parse again
            text = self._library.index.text_of(path) if path else None
            if text is None and path is not None:
                meta = self.meta(article)
                try:
                    text = project(self._library.load(meta).body).text if meta else None
                except Unreadable:
                    text = None
            self._texts[article] = text
        return self._texts[article]
