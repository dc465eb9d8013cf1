"""What the reading screen does with the open article: open it, draw its bookmarks in the
article, the notes panel and the sidebar, mark it read, star it, step to the next one, and open
its links only when asked.

Plain functions over the screen's ``Host`` face (``host.py``).
"""

from __future__ import annotations

from typing import Callable

from textual.binding import Binding

from reader.domain.annotations.model import Annotation
from reader.domain.articles.article import ArticleMeta
from reader.session.reading import OpenArticle
from reader.ui.screens.host import Host

STAR_BINDINGS = [
    Binding("asterisk", "star", "Star", show=False, id="main.star",
            tooltip="Star or unstar the article (r sends it to its server)"),
]


async def open_article(host: Host, meta: ArticleMeta, focus: bool, at: Annotation | None,
                       shown: Callable[[], None] = lambda: None) -> None:
    """Load an article, show it at its saved position (or the passage ``at``); read it if ``focus``;
    ``shown()`` once it is on screen, before its bookmarks are located.
    Opens are not cancelled by later ones (a mount cut short breaks widgets): they step aside."""
    opened = await host.session.reading.open(meta, at, passages=False)
    if opened is None:
        return  # another article was asked for meanwhile
    articles = host.library.articles
    articles.open_id = meta.id
    articles.refresh()
    await host.reading.show(opened)
    latest = host.session.reading.latest(opened)
    if latest is None:
        return  # a later one was asked for and shows next
    opened = latest  # with its bookmarks, if a look at another process's write found them meanwhile
    host.refresh_bindings()  # the passage keys are available now
    show_passages(host, opened)
    if focus:
        host.reading.view.focus()
        mark_read(host, meta)
    shown()
    located = await host.session.reading.reload_passages()  # the bookmarks, once the text is up
    if located is not None and host.session.reading.opened is located:
        show_passages(host, located)


def show_passages(host: Host, opened: OpenArticle) -> None:
    """Draw the open article's bookmarks and notes in the article, the panel and the sidebar."""
    host.reading.show_passages(opened)
    if not opened.located:  # being located: the sidebar keeps the count it has
        host.notes.show_finding(opened.tags)
        return
    host.notes.show_entries(opened.passages.entries(host.session.this_machine()), opened.tags)
    view = host.session.sidebar.set_count(opened.id, len(opened.passages))
    if view is not None:
        host.library.show(view)


def mark_read(host: Host, meta: ArticleMeta) -> None:
    """Draw the article as read at once; the store hears of it in a worker."""
    marked = host.session.mark_read(meta)
    if marked is not None:
        host.library.show(marked[0])
        host.write(marked[1])


def confirm_link(host: Host, url: str) -> None:
    """Open a link in the browser only if it is http(s), and only after the user saw it whole."""
    if not url.lower().startswith(("http://", "https://")):
        host.notify(f"Not opened: reader opens only http and https links ({url[:200]})", severity="warning")
        return
    from reader.ui.screens.confirm import ConfirmScreen  # a dialog the first frame does not draw loads when asked

    question = ConfirmScreen("Open this link in your browser?", url, yes="Open", no="Cancel")
    host.app.push_screen(question, lambda yes: host.app.open_url(url) if yes else None)


def star(host: Host) -> None:
    """Star or unstar the article under the list's cursor (when the list has focus), else the one
    being read: drawn at once, saved in a worker, sent to its server by the next sync."""
    opened = host.reading.view.opened
    meta = host.library.articles.current if host.library.has_focus_within or opened is None else opened.article.meta
    if meta is None:
        host.notify("No article to star here.", timeout=3)
        return
    view, starred, save = host.session.star(meta)
    host.library.show(view)

    async def saved() -> None:
        account = await save
        where = f"; the next sync (r) sends it to {account}" if account else ""
        host.notify(f"{'Starred' if starred else 'Unstarred'}: {meta.title}{where}", timeout=3)

    host.write(saved())


def next_article(host: Host, step: int) -> None:
    """Open the article ``step`` rows after (or before) the one being read."""
    opened = host.reading.view.opened
    meta = host.session.sidebar.neighbour(opened.id if opened else None, step)
    if meta is None:
        host.notify("No more articles in this direction.", timeout=2)
    else:
        host.open_listed(meta.id)
