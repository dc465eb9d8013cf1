"""Parsing RSS 2.0, Atom 1.0 and JSON Feed 1.1 bytes into clean Feed values."""

from __future__ import annotations

import dataclasses

import pytest
from feedserver import ATOM, BAD_SURROGATE, JSON_FEED, RSS
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.feeds.parsing import Feed, FeedError, FeedItem, parse_feed


def test_rss() -> None:
    feed = parse_feed(RSS, "application/rss+xml", "https://example.org/feed.xml")
    assert feed.kind == "rss"
    assert feed.title == "Loopback & RSS"
    assert feed.link == "https://example.org/"
    first, second = feed.items
    assert first == FeedItem(
        guid="rss-1",
        title="First post",
        link="https://example.org/posts/1",
        author="Ada",
        date="2024-01-02T10:00:00+00:00",
        summary_markdown="Summary with **bold**.",
        content_markdown="Full text with [a link](https://example.org/x).",
        tags=("news",),
    )
    assert first.body_markdown == first.content_markdown
    assert second.link == ""  # javascript: dropped
    assert second.enclosures == ()  # file: and data: dropped
    assert second.body_markdown == "Plain second."


def test_atom() -> None:
    feed = parse_feed(ATOM)
    assert feed.kind == "atom"
    assert feed.title == "Loopback Atom"
    assert feed.link == "https://example.com/"
    (entry,) = feed.items
    assert entry.guid == "urn:uuid:entry-1"
    assert entry.title == "Atom entry"
    assert entry.author == "Grace"
    assert entry.date == "2024-02-01T11:30:00+00:00"
    assert entry.summary_markdown == "Short summary."
    assert entry.content_markdown == "## Heading\n\nBody bad"


def test_json_feed() -> None:
    feed = parse_feed(JSON_FEED, "application/feed+json")
    assert feed.kind == "json"
    assert feed.title == "Loopback JSON"
    assert feed.link == "https://example.net/"
    one, two = feed.items
    assert one.guid == "j-1" and one.link == "https://example.net/1"
    assert one.content_markdown == "Hello *json*"
    assert one.author == "Linus" and one.tags == ("t1",)
    assert one.date == "2024-03-01T08:00:00+00:00"
    assert one.enclosures == ()
    assert two.guid == "2" and two.link == "" and two.body_markdown == "Text only"


def test_json_detected_by_content_without_content_type() -> None:
    assert parse_feed(JSON_FEED).kind == "json"
    # A JSON content type over an XML body is a server mistake: the body wins.
    assert parse_feed(RSS, "application/json").kind == "rss"


def test_relative_links_resolved_against_feed_url() -> None:
    rss = b"""<rss version="2.0"><channel><title>t</title><link>/home</link>
    <item><title>a</title><link>/a</link><description>&lt;a href="b"&gt;b&lt;/a&gt;</description></item>
    </channel></rss>"""
    feed = parse_feed(rss, url="https://example.org/dir/feed.xml")
    assert feed.link == "https://example.org/home"
    assert feed.items[0].link == "https://example.org/a"
    assert feed.items[0].summary_markdown == "[b](https://example.org/dir/b)"  # document base


def test_values_are_frozen() -> None:
    feed = parse_feed(RSS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        feed.title = "x"  # type: ignore[misc]
    assert isinstance(feed.items, tuple)


def test_control_characters_cleaned_everywhere() -> None:
    rss = (
        "<rss version='2.0'><channel><title>T\u202eitle\u200b</title>"
        "<item><title>a\x1b[2Jb</title><author>x\u2066y</author><guid>g\x07</guid>"
        "<description>&lt;p&gt;s\x1b]0;evil\x07&lt;/p&gt;</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(rss)
    item = feed.items[0]
    assert feed.title == "Title"
    assert item.title == "a[2Jb" and item.author == "xy" and item.guid == "g"
    assert "\x1b" not in item.summary_markdown and "\x07" not in item.summary_markdown


def test_feedparser_exception_becomes_feed_error() -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(BAD_SURROGATE)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"<html><body><p>not a feed</p></body></html>", b"just text", b"{not json",
     b'{"version": "1"}', b"[1, 2]", b"[" * 100_000, b"{" * 100_000, b"<!DOCTYPE x [", b"<?xml?>"],
)
def test_not_a_feed(data: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(data)


def test_oversized_document_refused() -> None:
    with pytest.raises(FeedError, match="larger than"):
        parse_feed(b" " * (10 * 1024 * 1024 + 1))


def test_paths_and_urls_are_not_opened() -> None:
    with pytest.raises(TypeError):
        parse_feed("/etc/passwd")  # type: ignore[arg-type]
    with pytest.raises(FeedError):
        parse_feed(b"/etc/passwd")
    with pytest.raises(FeedError):
        parse_feed(b"file:///etc/passwd")


def test_utf16_and_latin1_feeds() -> None:
    text = RSS.decode().replace('encoding="utf-8"', 'encoding="utf-16"')
    assert parse_feed(text.encode("utf-16")).title == "Loopback & RSS"
    latin = b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>caf\xe9</title></channel></rss>'
    assert parse_feed(latin).title == "café"


def test_netscape_doctype_still_parses() -> None:
    rss = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><item><title>i</title><link>https://e.org/</link></item></channel></rss>"""
    feed = parse_feed(rss)
    assert feed.title == "Old" and feed.items[0].link == "https://e.org/"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_property_bytes_give_a_feed_or_feed_error(data: bytes) -> None:
    try:
        result = parse_feed(data)
    except FeedError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(result, Feed)


_XMLISH = st.lists(
    st.sampled_from(["<rss version='2.0'>", "<channel>", "<item>", "<title>", "</title>", "</item>",
                     "&#xD800;", "&amp;", "&lol;", "<![CDATA[", "]]>", "<!DOCTYPE x [", "]>", "\x00",
                     "<link>javascript:x</link>", "<description>&lt;b&gt;</description>", "text"]),
    max_size=20,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(_XMLISH)
def test_property_xmlish_gives_a_feed_or_feed_error(text: str) -> None:
    try:
        feed = parse_feed(text.encode())
    except FeedError:
        return
    for item in feed.items:
        assert not item.link or item.link.startswith(("http://", "https://"))


@pytest.mark.parametrize("content_type", ["text/xml", "application/xml; charset=bogus", "text/html; charset=latin-1"])
def test_utf8_feed_with_misleading_content_type(content_type: str) -> None:
    data = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>café 日本</title></channel></rss>'
    assert parse_feed(data.encode(), content_type).title == "café 日本"
