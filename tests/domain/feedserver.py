"""A loopback HTTP server for feed tests: good feeds, bad feeds and hostile servers, on 127.0.0.1.

Used as a context manager; it binds port 0, serves from a daemon thread, records every request's
headers, and stops (waking any slow handler) on exit. It never contacts anything itself.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Loopback &amp; RSS</title>
  <link>https://example.org/</link>
  <item>
    <title>First post</title>
    <link>https://example.org/posts/1</link>
    <guid isPermaLink="false">rss-1</guid>
    <dc:creator>Ada</dc:creator>
    <pubDate>Tue, 02 Jan 2024 10:00:00 +0000</pubDate>
    <description>&lt;p&gt;Summary with &lt;b&gt;bold&lt;/b&gt;.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full text with <a href="https://example.org/x">a link</a>.</p>
      <script>alert('no')</script>]]></content:encoded>
    <category>news</category>
  </item>
  <item>
    <title>Second post</title>
    <link>javascript:alert(1)</link>
    <guid>rss-2</guid>
    <description>Plain second.</description>
    <enclosure url="file:///etc/passwd" length="1" type="text/plain"/>
    <enclosure url="data:text/plain,hi" length="1" type="text/plain"/>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Loopback Atom</title>
  <link href="https://example.com/"/>
  <id>urn:uuid:feed</id>
  <updated>2024-02-01T00:00:00Z</updated>
  <entry>
    <title type="html">Atom &lt;i&gt;entry&lt;/i&gt;</title>
    <link href="https://example.com/a/1"/>
    <id>urn:uuid:entry-1</id>
    <updated>2024-02-01T12:30:00+01:00</updated>
    <author><name>Grace</name></author>
    <summary>Short summary.</summary>
    <content type="html">&lt;h2&gt;Heading&lt;/h2&gt;&lt;p&gt;Body &lt;a href="data:text/html,x"&gt;bad&lt;/a&gt;&lt;/p&gt;</content>
  </entry>
</feed>
"""

JSON_FEED = b"""{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Loopback JSON",
  "home_page_url": "https://example.net/",
  "items": [
    {"id": "j-1", "url": "https://example.net/1", "title": "JSON one",
     "content_html": "<p>Hello <em>json</em></p>", "date_published": "2024-03-01T08:00:00Z",
     "authors": [{"name": "Linus"}], "tags": ["t1"],
     "attachments": [{"url": "file:///etc/passwd", "mime_type": "text/plain"}]},
    {"id": 2, "url": "javascript:alert(1)", "title": "JSON two", "content_text": "Text only"}
  ]
}
"""

BAD_SURROGATE = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bad &#xD800;</title>
<item><title>x &#xD800;</title></item></channel></rss>"""

SECRET = "TOP-SECRET-7f3a9c"
"""Written to a temporary file that hostile documents try to read."""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"""


def gzip_bomb(megabytes_out: int = 1024) -> bytes:
    """A valid gzip stream of about 1 MB that inflates to ``megabytes_out`` MB of zeros."""
    zeros = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    segment = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.flush()[:-8]
    crc = 0
    for _ in range(megabytes_out):
        crc = zlib.crc32(zeros, crc)
    trailer = struct.pack("<II", crc, (megabytes_out << 20) & 0xFFFFFFFF)
    return first + segment * (megabytes_out - 1) + end + trailer


@dataclass
class Route:
    """A canned response; ``handler`` overrides everything when set."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    handler: Callable[[BaseHTTPRequestHandler, "FeedServer"], None] | None = None


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 with a table of routes; a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.handler is not None:
                    route.handler(self, server)
                    return
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        """The server's root URL, ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of every request made for ``path``."""
        return [headers for p, headers in self.requests if p == path]

    def __enter__(self) -> "FeedServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


def conditional(body: bytes, etag: str = '"v1"', modified: str = "Tue, 02 Jan 2024 10:00:00 GMT") -> Route:
    """A route that answers 304 when the request carries its ETag or Last-Modified."""

    def handle(req: BaseHTTPRequestHandler, server: FeedServer) -> None:
        if req.headers.get("If-None-Match") == etag or req.headers.get("If-Modified-Since") == modified:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        req.send_header("ETag", etag)
        req.send_header("Last-Modified", modified)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return Route(handler=handle)


def slow(seconds: float = 5.0) -> Route:
    """A route that waits ``seconds`` (or until the server stops) before answering."""

    def handle(req: BaseHTTPRequestHandler, server: FeedServer) -> None:
        server.stopping.wait(seconds)
        try:
            req.send_response(200)
            req.end_headers()
            req.wfile.write(RSS)
        except OSError:
            pass

    return Route(handler=handle)


def redirect(location: str, status: int = 302) -> Route:
    """A route that redirects to ``location``."""
    return Route(status=status, headers={"Location": location})


def standard_routes() -> dict[str, Route]:
    """The routes most feed tests share."""
    return {
        "/rss.xml": Route(RSS, headers={"Content-Type": "application/rss+xml; charset=utf-8"}),
        "/atom.xml": Route(ATOM, headers={"Content-Type": "application/atom+xml"}),
        "/feed.json": Route(JSON_FEED, headers={"Content-Type": "application/feed+json"}),
        "/etag.xml": conditional(RSS),
        "/raises.xml": Route(BAD_SURROGATE, headers={"Content-Type": "application/xml"}),
        "/slow.xml": slow(),
        "/loop": redirect("/loop"),
        "/to-file": redirect("file:///etc/passwd"),
        "/hop1": redirect("/hop2", 301),
        "/hop2": redirect("/rss.xml", 307),
    }


PEAK_MEMORY_KB = '''
def peak_kb():
    """This process's peak resident memory in kB.

    VmHWM belongs to the process image since exec; resource.getrusage's ru_maxrss on Linux also
    carries the parent's peak across fork and exec, which would measure the test runner instead.
    """
    import resource
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
'''
"""Source of ``peak_kb()`` for the measuring subprocesses, which cannot import this module."""
