"""Which saved article a feed item belongs to: by its id, by its link only when it has none, and
never an article of another story; and ``full`` text for items saved before it was asked for."""

from __future__ import annotations

import json
from pathlib import Path

import frontmatter
from feedserver import FeedServer, Route, conditional

from reader.domain.feeds.articles import INDEX_FILE, FeedFolder, item_hash
from reader.domain.feeds.parsing import parse_feed
from reader.domain.feeds.fetching import FetchLimits
from reader.domain.feeds.subscriptions import MemorySubscriptions, SyncResult, add_subscription, sync_feeds

FAST = FetchLimits(connect_timeout=2.0, total_timeout=5.0)


def rss(*items: str, title: str = "Live") -> Route:
    body = f"<rss version='2.0'><channel><title>{title}</title>{''.join(items)}</channel></rss>"
    return Route(body.encode(), headers={"Content-Type": "application/rss+xml"})


def item(guid: str | None, title: str, text: str, link: str | None = None) -> str:
    guid_el = f"<guid isPermaLink='false'>{guid}</guid>" if guid else ""
    link_el = f"<link>{link}</link>" if link else ""
    return f"<item><title>{title}</title>{link_el}{guid_el}<description>{text}</description></item>"


def page(words: str) -> Route:
    html = (f"<html><head><title>P</title></head><body><nav>Menu</nav><article><h1>Story</h1><p>"
            f"{words} " * 20 + "</p></article></body></html>").encode()
    return Route(html, headers={"Content-Type": "text/html"})


def saved(folder: Path) -> dict[str, frontmatter.Post]:
    """Every article file of a feed folder, by file name (the name is what the article id is made of)."""
    return {p.name: frontmatter.loads(p.read_text()) for p in sorted(folder.glob("*.md"))}


def counts(result: SyncResult) -> tuple[int, int, str | None]:
    return result.new, result.updated, result.error


def sync(store: MemorySubscriptions, tmp_path: Path, **options: bool) -> SyncResult:
    (result,) = sync_feeds(store, tmp_path, limits=FAST, **options)
    return result


def test_live_blog_items_sharing_one_link_are_each_their_own_article(tmp_path: Path) -> None:
    live = "https://news.example/live/election"
    updates = [item(f"live-{n}", f"Update {n}", f"What happened in update {n}.", live) for n in range(1, 6)]
    with FeedServer({"/live.xml": rss(*reversed(updates[:2]))}) as srv:  # newest first, as live blogs are
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/live.xml"))
        first = sync(store, tmp_path)
        names_after_first = {post["guid"]: name for name, post in saved(tmp_path / "live").items()}
        srv.routes["/live.xml"] = rss(*reversed(updates[:4]))
        second = sync(store, tmp_path)
        srv.routes["/live.xml"] = rss(*reversed(updates))
        third = sync(store, tmp_path)
    assert [counts(r) for r in (first, second, third)] == [(2, 0, None), (2, 0, None), (1, 0, None)]
    posts = saved(tmp_path / "live")
    assert sorted((post["guid"], post["title"], post.content) for post in posts.values()) == [
        (f"live-{n}", f"Update {n}", f"What happened in update {n}.") for n in range(1, 6)]
    names = {post["guid"]: name for name, post in posts.items()}
    assert {guid: names[guid] for guid in names_after_first} == names_after_first  # same files, same ids
    assert store.subs[srv.url("/live.xml")]["items"] == 5
    index = FeedFolder(tmp_path / "live")  # a link names one of the articles saved from it
    assert list(index.links) == [live] and index.items[index.links[live]]["file"] in names.values()


def test_an_item_without_id_is_not_saved_over_another_story_at_its_link(tmp_path: Path) -> None:
    link = "https://changelog.example/releases"
    with FeedServer({"/f.xml": rss(item(None, "Version 1.0", "First release.", link))}) as srv:
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        first = sync(store, tmp_path)
        srv.routes["/f.xml"] = rss(item(None, "Version 1.1", "Bug fixes.", link),
                                   item(None, "Version 1.0", "First release.", link))
        second = sync(store, tmp_path)
    assert [counts(r) for r in (first, second)] == [(1, 0, None), (1, 0, None)]
    posts = saved(tmp_path / "live")
    assert {name: (post["title"], post.content) for name, post in posts.items()} == {
        "version-1-0.md": ("Version 1.0", "First release."), "version-1-1.md": ("Version 1.1", "Bug fixes.")}


def test_an_item_without_id_keeps_its_article_only_while_its_title_and_text_are_the_same(tmp_path: Path) -> None:
    link = "https://blog.example/post"
    with FeedServer({"/f.xml": rss(item(None, "A post", "Old text.", link))}) as srv:
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        sync(store, tmp_path)
        srv.routes["/f.xml"] = rss(item(None, "A post", "Old text.", link).replace(
            "</title>", "</title><author>ada@blog.example (Ada)</author>"))
        author_added = sync(store, tmp_path)
        srv.routes["/f.xml"] = rss(item(None, "A post", "New text.", link))
        text_edit = sync(store, tmp_path)
        srv.routes["/f.xml"] = rss(item(None, "A post, retitled", "New text.", link))
        title_edit = sync(store, tmp_path)
    # Without an id, "Update" items of a live blog share title and link: only the same title and
    # text show it is the same story, so an edit of either is kept beside the old one.
    assert [counts(r) for r in (author_added, text_edit, title_edit)] == [(0, 1, None), (1, 0, None), (1, 0, None)]
    posts = saved(tmp_path / "live")
    assert {name: (post["title"], post["author"], post.content) for name, post in posts.items()} == {
        "a-post.md": ("A post", "ada@blog.example (Ada)", "Old text."), "a-post-2.md": ("A post", "", "New text."),
        "a-post-retitled.md": ("A post, retitled", "", "New text.")}


def test_live_blog_updates_without_ids_and_with_one_title_are_each_their_own_article(tmp_path: Path) -> None:
    live = "https://news.example/live"
    updates = [item(None, "Live: the count", f"Update number {n}.", live) for n in range(1, 4)]
    with FeedServer({"/f.xml": rss(updates[0])}) as srv:
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        results = [sync(store, tmp_path)]
        for shown in (2, 3):
            srv.routes["/f.xml"] = rss(*reversed(updates[:shown]))
            results.append(sync(store, tmp_path))
    assert [counts(r) for r in results] == [(1, 0, None), (1, 0, None), (1, 0, None)]
    posts = saved(tmp_path / "live")
    assert {name: post.content for name, post in posts.items()} == {
        "live-the-count.md": "Update number 1.", "live-the-count-2.md": "Update number 2.",
        "live-the-count-3.md": "Update number 3."}


def test_an_item_with_the_same_id_and_edited_text_updates_its_article_in_place(tmp_path: Path) -> None:
    link = "https://blog.example/shared"
    with FeedServer({"/f.xml": rss(item("g1", "Story", "First draft.", link), item("g2", "Other", "Else.", link))}) as srv:
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        sync(store, tmp_path)
        srv.routes["/f.xml"] = rss(item("g1", "Story rewritten", "Second draft.", link),
                                   item("g2", "Other", "Else.", link))
        edited = sync(store, tmp_path)
    assert counts(edited) == (0, 1, None)
    posts = saved(tmp_path / "live")
    assert {name: (post["guid"], post.content) for name, post in posts.items()} == {
        "story.md": ("g1", "Second draft."), "other.md": ("g2", "Else.")}


def test_full_text_of_a_new_item_does_not_replace_an_old_item_at_the_same_link(tmp_path: Path) -> None:
    with FeedServer({}) as srv:
        link = srv.url("/page")
        srv.routes.update({"/f.xml": rss(item("a", "Morning", "Summary a.", link)), "/page": page("Morning words")})
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"), full=True)
        first = sync(store, tmp_path)
        srv.routes["/f.xml"] = rss(item("b", "Evening", "Summary b.", link), item("a", "Morning", "Summary a.", link))
        srv.routes["/page"] = page("Evening words")
        second = sync(store, tmp_path)
    assert [counts(r) for r in (first, second)] == [(1, 0, None), (1, 0, None)]
    posts = saved(tmp_path / "live")
    assert sorted(posts) == ["evening.md", "morning.md"]
    assert posts["morning.md"]["guid"] == "a" and "Morning words" in posts["morning.md"].content
    assert posts["evening.md"]["guid"] == "b" and "Evening words" in posts["evening.md"].content


def test_full_fetches_page_text_for_items_saved_without_it(tmp_path: Path) -> None:
    with FeedServer({}) as srv:
        feed = rss(item("1", "One", "Summary one.", srv.url("/p/1")), item("2", "Two", "Summary two.", srv.url("/p/2")))
        srv.routes.update({"/f.xml": feed, "/p/1": page("Page one says more")})
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        plain = sync(store, tmp_path)
        before = saved(tmp_path / "live")
        full = sync(store, tmp_path, full=True)
        after_first_full = saved(tmp_path / "live")
        srv.routes["/p/2"] = page("Page two arrived later")
        again = sync(store, tmp_path, full=True)
        settled = sync(store, tmp_path, full=True)
        page_hits = len(srv.hits("/p/1"))
    assert [counts(r) for r in (plain, full, again, settled)] == [
        (2, 0, None), (0, 1, None), (0, 1, None), (0, 0, None)]
    assert before["one.md"].content == "Summary one." and before["two.md"].content == "Summary two."
    assert "Page one says more" in after_first_full["one.md"].content
    assert after_first_full["two.md"].content == "Summary two."  # its page failed: the feed text stays
    final = saved(tmp_path / "live")
    assert sorted(final) == ["one.md", "two.md"]  # the same files: the same article ids
    assert "Page two arrived later" in final["two.md"].content
    assert page_hits == 1  # an article that has its page text is not fetched again


def test_a_subscription_marked_full_later_fills_its_saved_items(tmp_path: Path) -> None:
    with FeedServer({}) as srv:
        srv.routes.update({"/f.xml": rss(item("1", "One", "Summary one.", srv.url("/p/1"))),
                           "/p/1": page("Page one says more")})
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        sync(store, tmp_path)
        add_subscription(store, srv.url("/f.xml"), full=True)  # what `reader feeds add URL --full` does
        filled = sync(store, tmp_path)
    assert store.subs[srv.url("/f.xml")]["full"] is True
    assert counts(filled) == (0, 1, None)
    assert "Page one says more" in saved(tmp_path / "live")["one.md"].content


def test_full_asks_for_the_feed_again_while_saved_items_lack_their_page(tmp_path: Path) -> None:
    with FeedServer({}) as srv:
        items = [item(str(n), f"Story {n}", f"Summary {n}.", srv.url(f"/p/{n}")) for n in range(1, 4)]
        srv.routes.update({"/f.xml": conditional(rss(*items).body), "/p/1": page("Page one says more"),
                           "/p/2": page("Page two says more")})
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        plain = sync(store, tmp_path)
        unchanged = sync(store, tmp_path)
        full = sync(store, tmp_path, full=True)  # the server would say "not modified": not asked
        srv.routes["/p/3"] = page("Page three says more")
        again = sync(store, tmp_path, full=True)  # story 3 still lacked its page
        done = sync(store, tmp_path, full=True)
    assert counts(plain) == (1 * 3, 0, None) and unchanged.not_modified
    assert [counts(r) for r in (full, again)] == [(0, 2, None), (0, 1, None)]
    assert done.not_modified
    assert [len(srv.hits(f"/p/{n}")) for n in range(1, 4)] == [1, 1, 2]
    assert all("says more" in post.content for post in saved(tmp_path / "live").values())


def test_page_text_is_not_replaced_by_the_feed_text_when_the_page_fails(tmp_path: Path) -> None:
    with FeedServer({}) as srv:
        srv.routes.update({"/f.xml": rss(item("1", "One", "Summary one.", srv.url("/p/1"))),
                           "/p/1": page("Page one says more")})
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        sync(store, tmp_path, full=True)
        del srv.routes["/p/1"]
        srv.routes["/f.xml"] = rss(item("1", "One", "Summary one, edited.", srv.url("/p/1")))
        edited = sync(store, tmp_path)  # not --full, but the article has page text: it keeps it
    assert counts(edited) == (0, 0, None)
    assert "Page one says more" in saved(tmp_path / "live")["one.md"].content


def test_an_index_written_before_ids_were_kept_apart_is_read_without_renaming(tmp_path: Path) -> None:
    """A version 1 index (``links`` maps a link to one key; no per-entry link, title or text) with the
    damage the old mapping did: update 3's text saved over update 2's file."""
    live = "https://news.example/live"
    feed = rss(item(None, "Old note", "A note without id.", live).replace("</title>", "</title><category>x</category>"),
               *(item(f"live-{n}", f"Update {n}", f"Text {n}.", live) for n in (3, 2, 1)))
    parsed = {i.guid or i.title: i for i in parse_feed(feed.body).items}
    folder = tmp_path / "live"
    folder.mkdir()
    files = {"update-1.md": ("live-1", "Update 1", "Text 1."), "update-2.md": ("live-3", "Update 3", "Text 3."),
             "old-note.md": ("", "Old note", "A note without id.")}
    for name, (guid, title, text) in files.items():
        (folder / name).write_text(f"---\ntitle: {title}\nguid: '{guid}'\nurl: {live}\n---\n\n{text}\n")
    index = {"version": 1, "links": {live: "guid:live-2"}, "items": {
        "guid:live-1": {"file": "update-1.md", "hash": item_hash(parsed["live-1"])},
        "guid:live-2": {"file": "update-2.md", "hash": item_hash(parsed["live-3"])},
        f"link:{live}": {"file": "old-note.md", "hash": "an older version"}}}
    (folder / INDEX_FILE).write_text(json.dumps(index))
    assert FeedFolder(folder).links == {live: "guid:live-2"}  # what the old map said, for finding a link
    with FeedServer({"/f.xml": feed}) as srv:
        (tmp_path / ".feeds.json").write_text(json.dumps({srv.url("/f.xml"): "live"}))
        store = MemorySubscriptions()
        add_subscription(store, srv.url("/f.xml"))
        result = sync(store, tmp_path)
    assert counts(result) == (1, 2, None)  # update 3 gets a file of its own; 2 and the (tagged) note are rewritten
    posts = saved(folder)
    assert {name: (post["guid"], post.content) for name, post in posts.items()} == {
        "update-1.md": ("live-1", "Text 1."), "update-2.md": ("live-2", "Text 2."),  # repaired in place
        "update-3.md": ("live-3", "Text 3."), "old-note.md": ("", "A note without id.")}
    assert posts["old-note.md"]["tags"] == ["x"]
    entries = json.loads((folder / INDEX_FILE).read_text())["items"]
    assert {key: entry["file"] for key, entry in entries.items()} == {
        "guid:live-1": "update-1.md", "guid:live-2": "update-2.md", "guid:live-3": "update-3.md",
        f"link:{live}": "old-note.md"}
    assert list(FeedFolder(folder).links) == [live]
