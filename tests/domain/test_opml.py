"""OPML import and export: round trips, folders as tags, refused schemes and hostile XML."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from feedserver import BILLION_LAUGHS, PEAK_MEMORY_KB, SECRET, FeedServer, Route
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.feeds.opml import OpmlError, OpmlFeed, parse_opml, write_opml

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Tech">
      <outline type="rss" text="One" xmlUrl="https://one.example/feed" htmlUrl="https://one.example/"
               category="/News/Daily,python"/>
      <outline text="Deeper"><outline type="rss" title="Two" xmlUrl="http://two.example/rss"/></outline>
    </outline>
    <outline type="rss" text="Three" xmlUrl="https://three.example/atom"/>
    <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="JS" xmlUrl="javascript:alert(1)"/>
    <outline type="rss" text="Dup" xmlUrl="https://three.example/atom"/>
  </body>
</opml>"""


def test_import() -> None:
    doc = parse_opml(SAMPLE)
    assert doc.title == "My feeds"
    assert doc.feeds == (
        OpmlFeed("https://one.example/feed", "One", ("Tech", "News/Daily", "python"), "https://one.example/"),
        OpmlFeed("http://two.example/rss", "Two", ("Tech", "Deeper")),
        OpmlFeed("https://three.example/atom", "Three"),
    )
    assert doc.skipped == ("file:///etc/passwd", "javascript:alert(1)")


def test_export_then_import_round_trips() -> None:
    feeds = [
        OpmlFeed("https://a.example/feed", "A & <b>", ("news", "tech")),
        OpmlFeed("https://b.example/feed", "", (), "https://b.example/"),
    ]
    text = write_opml(feeds, title="Mine")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert 'category="news,tech"' in text and 'version="2.0"' in text
    doc = parse_opml(text.encode())
    assert doc.title == "Mine"
    assert doc.feeds == (
        OpmlFeed("https://a.example/feed", "A & <b>", ("news", "tech")),
        OpmlFeed("https://b.example/feed", "https://b.example/feed", (), "https://b.example/"),
    )


_TAG = st.text(st.characters(blacklist_characters=",/", blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9]{0,6}", fullmatch=True),
                          st.text(max_size=20), st.lists(_TAG, max_size=3)), max_size=5))
def test_property_round_trip(rows: list[tuple[str, str, list[str]]]) -> None:
    feeds = [OpmlFeed(url, title, tuple(tags)) for url, title, tags in rows]
    doc = parse_opml(write_opml(feeds).encode())
    urls = list(dict.fromkeys(url for url, _, _ in rows))
    assert [f.url for f in doc.feeds] == urls
    for feed in doc.feeds:
        assert "\x1b" not in feed.title and all(feed.tags)


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml", b"<html/>", b"<opml version='2.0'><head/></opml>", b"<opml><body><outline",
     b"<" * 1000],
)
def test_not_opml(data: bytes) -> None:
    with pytest.raises(OpmlError) as info:
        parse_opml(data)
    assert "\n" not in str(info.value)


def test_deeply_nested_folders() -> None:
    depth = 5000
    data = b"<opml><body>" + b"<outline text='f'>" * depth + b"<outline xmlUrl='https://x.example/'/>"
    data += b"</outline>" * depth + b"</body></opml>"
    (feed,) = parse_opml(data).feeds
    assert feed.url == "https://x.example/" and feed.tags == ("f",)


_CHILD = PEAK_MEMORY_KB + """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from reader.domain.feeds.opml import parse_opml, OpmlError
out = {}
for path in sys.argv[2:]:
    start = time.monotonic()
    try:
        text = repr(parse_opml(open(path, "rb").read()))
    except OpmlError as error:
        text = "OpmlError: " + str(error)
    out[path] = {"seconds": time.monotonic() - start, "text": text[:20000]}
out["peak_kb"] = peak_kb()
print(json.dumps(out))
"""


def test_xml_attacks_as_opml(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    with FeedServer({"/evil.dtd": Route(f'<!ENTITY xxe "{SECRET}">'.encode())}) as server:
        dtd = server.url("/evil.dtd")
        outline = "<body><outline text='&xxe;' xmlUrl='https://x.example/'/></body></opml>"
        docs = {
            "xxe": f'<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]><opml>{outline}',
            "xxe-http": f'<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{dtd}">]><opml>{outline}',
            "external-dtd": f'<!DOCTYPE opml SYSTEM "{dtd}"><opml>{outline}',
            "parameter": f'<!DOCTYPE opml [<!ENTITY % p SYSTEM "{dtd}"> %p;]><opml>{outline}',
            "billion": BILLION_LAUGHS.decode().split("<rss")[0].replace("lolz", "opml")
            + "<opml><body><outline text='&lol9;' xmlUrl='https://x.example/'/></body></opml>",
            "quadratic": '<!DOCTYPE opml [<!ENTITY a "' + "A" * 200_000 + '">]><opml><body>'
            + "<outline text='" + "&a;" * 50_000 + "' xmlUrl='https://x.example/'/></body></opml>",
        }
        paths = []
        for name, text in docs.items():
            paths.append(tmp_path / f"{name}.opml")
            paths[-1].write_text(text)
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), *map(str, paths)],
                              capture_output=True, text=True, timeout=60, check=True)
        assert server.requests == []
    report = json.loads(proc.stdout)
    assert report.pop("peak_kb") < 100 * 1024
    for path in paths:
        outcome = report[str(path)]
        assert outcome["text"].startswith("OpmlError: "), path.name
        assert SECRET not in outcome["text"]
        assert outcome["seconds"] < 1.0
