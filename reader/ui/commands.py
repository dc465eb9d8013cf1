"""Command palette providers: open any article by title; untrusted names shown as they are.

Textual's palette reads a hit's help, and ``Matcher.highlight``'s candidate, as markup: a title
``[b]x[/b]`` would show as a bold ``x`` (and a stray ``[link=…]`` would make a link).
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

MAX_HITS = 40
FUZZY_SCAN = 2_000
EXACT = 1e9
"""The score of a title that contains the query as typed: above any fuzzy score (not bound to 0–1)."""


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` as it is, with the letters ``matcher`` matched highlighted."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets if score else ():
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def plain(text: str | None) -> str | None:
    """Untrusted text for a place the palette reads as markup (a hit's help, a listed command)."""
    return escape(text) if text else None


class ArticleCommands(Provider):
    """``Open: <title>`` for every listed article, matched on title, section and source."""

    def _screen(self):
        from reader.ui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    async def discover(self) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        for meta in screen.article_list.view.articles(MAX_HITS):
            yield DiscoveryHit(Content(f"Open: {meta.title}"), partial(screen.open_listed, meta.id),
                               help=plain(meta.group))

    async def search(self, query: str) -> Hits:
        """Titles that contain what was typed come first, newest first; then fuzzy matches among
        the newest ``FUZZY_SCAN`` articles (a fuzzy match costs too much to try on 100,000)."""
        screen = self._screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        needle = query.strip().casefold()
        articles = screen.all_articles()
        shown: set[str] = set()

        def hit(meta, score: float) -> Hit:
            shown.add(meta.id)
            text = f"Open: {meta.title}"
            return Hit(score, highlighted(matcher, text), partial(screen.open_listed, meta.id), text=text,
                       help=plain(meta.group))

        if needle:
            for meta in articles:
                if needle in meta.title.casefold():
                    yield hit(meta, EXACT - len(shown))
                    if len(shown) >= MAX_HITS:
                        return
        for meta in articles[:FUZZY_SCAN]:
            if meta.id not in shown and (score := matcher.match(f"Open: {meta.title}")) > 0:
                yield hit(meta, score)
                if len(shown) >= MAX_HITS:
                    return
