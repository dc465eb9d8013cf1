"""Property: over any run of fetches, every distinct item has exactly one article, and no article
ever holds another item's text.

An item's identity is its id when it has one, else its link, title and text together (the rule
of :mod:`reader.domain.feeds.identity`). Ids, links, titles and texts come from small pools, so items
share them all the time; each variant of an item carries a unique author, which tells from a file
which variant wrote it. Items with and without ids draw titles from separate pools: an item with
an id whose link, title and text equal those of an article saved without an id takes that article
over (the feed started giving ids), which ``test_dedupe_by_guid_then_link`` covers.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

import frontmatter
import pytest
from feedserver import FeedServer, Route
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.domain.feeds.fetching import FetchLimits
from reader.domain.feeds.subscriptions import MemorySubscriptions, add_subscription, sync_feeds

FAST = FetchLimits(connect_timeout=2.0, total_timeout=5.0)
LINKS = [None, "https://e.example/live", "https://e.example/other"]


@dataclass(frozen=True)
class Variant:
    """One version of an item as a feed shows it; ``marker`` (its author) is unique."""

    marker: str
    guid: str | None
    link: str | None
    title: str
    text: str

    @property
    def identity(self) -> tuple[str | None, ...]:
        """What makes two variants the same item."""
        return ("guid", self.guid) if self.guid else ("story", self.link or "", self.title, self.text)


def _variant(index: int, with_id: bool, guid: str, link: str | None, title: str, text: str) -> Variant:
    return Variant(f"v{index}", guid if with_id else None, link, title, text)


@st.composite
def variants(draw: st.DrawFn) -> list[Variant]:
    count = draw(st.integers(1, 10))
    out = []
    for index in range(count):
        with_id = draw(st.booleans())
        titles = ["Update", "Story", ""] if with_id else ["Live", "Note", "Release"]
        out.append(_variant(index, with_id, draw(st.sampled_from(["g1", "g2", "g3", "g4"])),
                            draw(st.sampled_from(LINKS)), draw(st.sampled_from(titles)),
                            draw(st.sampled_from(["Alpha text.", "Beta text.", "Gamma text.", ""]))))
    return out


# Per XML format: the document around the items, then the item element and its id, link, author
# and text elements.
_XML = {
    "rss": ("<rss version='2.0'><channel><title>Prop</title>{}</channel></rss>", "item",
            "<guid isPermaLink='false'>{}</guid>", "<link>{}</link>", "<author>{}</author>",
            "<description>{}</description>"),
    "atom": ("<feed xmlns='http://www.w3.org/2005/Atom'><title>Prop</title>{}</feed>", "entry", "<id>{}</id>",
             "<link href='{}'/>", "<author><name>{}</name></author>", "<content type='text'>{}</content>"),
}


def render(kind: str, items: list[Variant]) -> bytes:
    """The feed document of ``items`` in the given format ('rss', 'atom' or 'json')."""
    if kind == "json":
        entries = [{**({"id": v.guid} if v.guid else {}), **({"url": v.link} if v.link else {}), "title": v.title,
                    "content_text": v.text, "authors": [{"name": v.marker}]} for v in items]
        return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Prop", "items": entries}).encode()
    document, tag, guid, link, author, text = _XML[kind]
    return document.format("".join(
        f"<{tag}><title>{escape(v.title)}</title>" + (guid.format(v.guid) if v.guid else "")
        + (link.format(v.link) if v.link else "") + author.format(v.marker) + text.format(escape(v.text)) + f"</{tag}>"
        for v in items)).encode()


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer({}) as srv:
        yield srv


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), kind=st.sampled_from(["rss", "atom", "json"]), pool=variants())
def test_property_every_item_has_one_article_and_keeps_it(server: FeedServer, data: st.DataObject, kind: str,
                                                          pool: list[Variant]) -> None:
    fetches = data.draw(st.lists(st.lists(st.sampled_from(pool), max_size=8), min_size=1, max_size=4))
    by_marker = {v.marker: v for v in pool}
    owner: dict[str, tuple] = {}  # file name -> the identity whose text it holds
    written: dict[tuple, str] = {}  # identity -> marker of the variant its article holds
    with tempfile.TemporaryDirectory() as tmp:
        store = MemorySubscriptions()
        add_subscription(store, server.url("/prop.xml"))
        for shown in fetches:
            server.routes["/prop.xml"] = Route(render(kind, shown))
            (result,) = sync_feeds(store, Path(tmp), limits=FAST)
            assert result.error is None
            first: dict[tuple, Variant] = {}
            for variant in shown:
                first.setdefault(variant.identity, variant)
            expected_new = sum(identity not in written for identity in first)
            expected_updated = sum(identity in written and written[identity] != v.marker
                                   for identity, v in first.items())
            assert (result.new, result.updated) == (expected_new, expected_updated)
            written.update({identity: v.marker for identity, v in first.items()})

            files = {p.name: frontmatter.loads(p.read_text()) for p in Path(tmp).rglob("*.md")}
            held = {name: by_marker[str(post["author"])] for name, post in files.items()}
            for name, variant in held.items():
                assert owner.setdefault(name, variant.identity) == variant.identity, name  # never another's
                assert files[name].content == variant.text
            assert Counter(v.identity for v in held.values()) == Counter(written.keys())  # one article each
            assert {v.identity: v.marker for v in held.values()} == written  # changes reached the article
