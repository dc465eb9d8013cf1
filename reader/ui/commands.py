"""Command palette providers: open any article by title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

MAX_HITS = 40


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
        for meta in screen.article_list.first_articles(MAX_HITS):
            yield DiscoveryHit(Content(f"Open: {meta.title}"), partial(screen.open_listed, meta.id),
                               help=meta.group or None)

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        found = 0
        for meta in screen.all_articles():
            text = f"Open: {meta.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(screen.open_listed, meta.id),
                          text=text, help=meta.group or None)
                found += 1
                if found >= MAX_HITS:
                    return
