"""The expat reader for simple RSS 2.0 gives exactly the Feed that feedparser gives, or declines."""

from __future__ import annotations

from unittest import mock
from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.feeds import parsing as feeds
from reader.domain.feeds.parsing import parse_feed
from reader.domain.feeds.rss_simple import read_simple_rss

NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}
DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())


def parse_both(data: bytes, url: str) -> tuple[object, object]:
    """parse_feed through the simple reader, and through feedparser alone (FeedError as a value)."""
    def run() -> object:
        try:
            return parse_feed(data, "application/rss+xml", url)
        except feeds.FeedError as error:
            return error.args

    fast = run()
    with mock.patch.object(feeds, "read_simple_rss", return_value=None):
        slow = run()
    return fast, slow


_TEXTS = st.sampled_from([
    "", " ", "Plain words", "  padded  ", "Caf\u00c3\u00a9 mojibake", "caf\u00e9", "\u0093quoted\u0094 cp1252",
    "Ada & Bob", "a &lt;b&gt;bold&lt;/b&gt; c", "<b>bold</b> title", "Tom &amp; Jerry", "x &amp;amp; y",
    "AT&T", "&copy; 2024", "https://example.org/a?b=1&c=2", "/relative/path", "relative.html", "javascript:alert(1)",
    "mailto:a@example.org", "tag:example.org,2024:1", "urn:uuid:1", "12345", "ada@example.org (Ada)", "日本語",
    "Mon, 02 Jan 2024 10:00:00 GMT", "2024-01-02T10:00:00Z", "Tue, 3 Jun 2008 11:05:30 +0200", "yesterday",
    "<p>Para <a href='/x'>link</a> &amp; <img src='i.png'></p>", "line\nbreak", "\u00a0nbsp\u00a0",
])


@st.composite
def _text(draw: st.DrawFn) -> str:
    value = draw(_TEXTS)
    if draw(st.booleans()) and "]]>" not in value:
        return f"<![CDATA[{value}]]>"
    return escape(value)


@st.composite
def _item(draw: st.DrawFn) -> str:
    parts = []
    fields = draw(st.lists(st.sampled_from(["title", "link", "description", "guid", "pubDate", "author",
                                            "dc:date", "content:encoded", "comments", "slash:comments",
                                            "wfw:commentRss"]), unique=True, max_size=8))
    for name in fields:
        if name == "author" and draw(st.booleans()):
            name = "dc:creator"
        attrs = ""
        if name == "guid":
            attrs = draw(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"', ' isPermaLink="True"']))
        parts.append(f"<{name}{attrs}>{draw(_text())}</{name}>")
    for _ in range(draw(st.integers(0, 3))):
        domain = draw(st.sampled_from(["", ' domain="d"', ' domain=""']))
        parts.append(f"<category{domain}>{draw(_text())}</category>")
    for _ in range(draw(st.integers(0, 2))):
        url = draw(st.sampled_from(["https://e.org/a.mp3", "/rel.mp3", "", "data:x"]))
        parts.append(f'<enclosure url={quoteattr(url)} length="1" type="audio/mpeg"/>')
    order = draw(st.permutations(parts))
    return "<item>" + "\n".join(order) + "</item>"


@st.composite
def _document(draw: st.DrawFn) -> bytes:
    channel = []
    if draw(st.booleans()):
        channel.append(f"<title>{draw(_text())}</title>")
    if draw(st.booleans()):
        channel.append(f"<link>{draw(_text())}</link>")
    extras = ["<description>d</description>", "<language>en</language>", "<sy:updatePeriod>hourly</sy:updatePeriod>",
              '<atom:link href="https://e.org/feed" rel="self" type="application/rss+xml"/>',
              "<image><url>https://e.org/i.png</url><title>Image title</title><link>https://e.org/img</link></image>",
              "<category>chan</category>", "<lastBuildDate>Mon, 02 Jan 2024 10:00:00 GMT</lastBuildDate>"]
    channel += draw(st.lists(st.sampled_from(extras), unique=True, max_size=4))
    channel += draw(st.lists(_item(), max_size=4))
    body = "\n".join(draw(st.permutations(channel)))
    version = draw(st.sampled_from(["2.0", "0.91", "2.01"]))
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="{version}" {DECLARATIONS}>'
    return f"{head}<channel>{body}</channel></rss>".encode()


_URLS = st.sampled_from(["", "https://example.org/dir/feed.xml", "http://127.0.0.1:8080/feed.xml?x=1&y=2"])


@settings(max_examples=400, deadline=None)
@given(_document(), _URLS)
def test_property_simple_reader_matches_feedparser(data: bytes, url: str) -> None:
    assert read_simple_rss(feeds.neutralise_prolog(data)) is not None  # the shortcut is taken
    fast, slow = parse_both(data, url)
    assert fast == slow


_NOISE = st.sampled_from([
    "<item><title>a</title><title>b</title></item>", "<item><media:title xmlns:media='http://search.yahoo.com/mrss/'>m"
    "</media:title></item>", "<item><author>a</author><dc:creator>b</dc:creator></item>", "<textInput/>",
    "<item xml:base='https://other.example/'><link>x</link></item>", "<item><title type='html'>t</title></item>",
    "<item><description><b>nested</b></description></item>", '<atom:link href="https://e.org/alt"/>',
    "<item><source url='https://s.example/'>S</source></item>", "&undefined;",
])


@settings(max_examples=200, deadline=None)
@given(_document(), st.lists(_NOISE, min_size=1, max_size=2), _URLS)
def test_property_unusual_documents_fall_back_to_feedparser(data: bytes, noise: list[str], url: str) -> None:
    data = data.replace(b"<channel>", b"<channel>" + "".join(noise).encode(), 1)
    assert read_simple_rss(feeds.neutralise_prolog(data)) is None
    fast, slow = parse_both(data, url)
    assert fast == slow


def test_typical_wordpress_item_takes_the_shortcut() -> None:
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" {DECLARATIONS}>
<channel><title>Blog &amp; more</title><link>https://blog.example/</link>
<atom:link href="https://blog.example/feed/" rel="self" type="application/rss+xml" />
<description>Words</description><lastBuildDate>Tue, 02 Jan 2024 10:00:00 +0000</lastBuildDate>
<language>en-US</language><sy:updatePeriod>hourly</sy:updatePeriod><generator>https://wordpress.org/</generator>
<item><title>Hello world</title><link>https://blog.example/hello/</link>
<comments>https://blog.example/hello/#comments</comments><dc:creator><![CDATA[Ada]]></dc:creator>
<pubDate>Tue, 02 Jan 2024 10:00:00 +0000</pubDate><category><![CDATA[News]]></category>
<guid isPermaLink="false">https://blog.example/?p=1</guid>
<description><![CDATA[<p>Short</p>]]></description>
<content:encoded><![CDATA[<p>Long <em>text</em> with <a href="/x">a link</a>.</p>]]></content:encoded>
<wfw:commentRss>https://blog.example/hello/feed/</wfw:commentRss><slash:comments>3</slash:comments></item>
</channel></rss>""".encode()
    assert read_simple_rss(feeds.neutralise_prolog(data)) is not None
    fast, slow = parse_both(data, "https://blog.example/feed/")
    assert fast == slow
    item = fast.items[0]  # type: ignore[attr-defined]
    assert (item.title, item.author, item.tags) == ("Hello world", "Ada", ("News",))
    assert item.date == "2024-01-02T10:00:00+00:00"
    assert item.content_markdown == "Long *text* with [a link](https://blog.example/x)."
