"""What the reading screen does with feeds: refresh all (and sync the accounts) or one,
subscribe, unsubscribe.

Plain functions over the screen's ``Host`` face (``host.py``).
"""

from __future__ import annotations

from textual.binding import Binding

from reader.domain.articles.cleaning import shorten
from reader.session.feeds import FeedProblem
from reader.ui.commands import plain
from reader.ui.screens.host import Host

TITLE_SHOWN = 60
"""The longest feed title the Remove feed… palette shows whole (the URL under it says which feed)."""

FEED_BINDINGS = [
    Binding("r", "refresh_feeds", "Refresh", show=False, tooltip="Fetch every subscribed feed and sync every account", id="feeds.refresh"),
    Binding("R", "refresh_feed", "Refresh feed", show=False, tooltip="Fetch the feed of the current article", id="feeds.refresh_one"),
]


async def refresh(host: Host, urls: list[str] | None) -> None:
    """Fetch the feeds (``None``: all of them, and sync every account), say how far it has come,
    list the new articles and say what happened."""
    try:
        say = host.library.say
        done = await (host.session.refresh_all(say) if urls is None else host.session.refresh_feeds(urls, say))
    except FeedProblem as problem:
        host.notify(str(problem), timeout=5)
        return
    host.relist()
    host.notify(done.message, severity="warning" if done.failed else "information", timeout=6)


async def refresh_source(host: Host, source: str) -> None:
    """Fetch the feed an article comes from."""
    urls = await host.session.feeds.of_source(source)
    if not urls:
        host.notify("The current article does not come from a subscribed feed.", timeout=3)
        return
    host.write(refresh(host, urls), "feeds")


async def subscribe(host: Host) -> None:
    """Ask for a feed URL, subscribe, and fetch it."""
    from reader.ui.screens.prompt import PromptScreen  # a dialog the first frame does not draw loads when asked

    url = await host.app.push_screen_wait(PromptScreen("Subscribe to a feed (RSS, Atom or JSON Feed)", "https://…"))
    if not url:
        return
    try:
        saved, new = await host.session.feeds.add(url)
    except FeedProblem as problem:
        host.notify(str(problem), severity="error")
        return
    host.notify(f"{'Subscribed' if new else 'Already subscribed'} to {saved}; fetching it now.", timeout=3)
    host.write(refresh(host, [saved]), "feeds")


async def choose_to_unsubscribe(host: Host) -> None:
    """Choose a subscription in a palette; the choice is confirmed before it goes."""
    subs = await host.session.feeds.subscriptions()
    if not subs:
        host.notify("No feeds to remove.", timeout=3)
        return
    host.app.search_commands([(plain(shorten(s.title, TITLE_SHOWN)) or "", (lambda url=s.url: host.write(unsubscribe(host, url), "feeds")), plain(s.url))
                              for s in subs],
                             placeholder="Remove which feed?")


async def unsubscribe(host: Host, url: str) -> None:
    """Confirm, then unsubscribe (the feed's saved articles stay)."""
    from reader.ui.screens.confirm import ConfirmScreen  # a dialog the first frame does not draw loads when asked

    question = ConfirmScreen("Unsubscribe from this feed? Its saved articles stay.", url, yes="Unsubscribe", no="Keep")
    if not await host.app.push_screen_wait(question):
        return
    removed = await host.session.feeds.remove(url)
    host.notify("Unsubscribed." if removed else "That feed was already gone.", timeout=3)
    host.session.sidebar.set_errors(await host.session.loader.errors())
    host.relist()


async def save_page(host: Host) -> None:
    """Ask for a URL, save the page as an article (saying so while it loads), list it and open it."""
    from reader.ui.screens.prompt import PromptScreen  # a dialog the first frame does not draw loads when asked

    url = await host.app.push_screen_wait(PromptScreen("Save a web page as an article", "https://…"))
    if not url:
        return
    host.notify(f"Saving {url}…", timeout=3)
    try:
        saved = await host.session.save_page(url)
    except FeedProblem as problem:
        host.notify(f"Not saved: {problem}", severity="error", timeout=8)
        return
    host.relist()
    if host.session.sidebar.find(saved.article) is None:  # reader was started on other files
        host.notify(f"{saved.message}, in {host.session.library_folder / 'saved'} (not among the files shown now).", timeout=8)
        return
    host.notify(saved.message, timeout=5)
    host.open_listed(saved.article)
