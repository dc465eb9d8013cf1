"""Fetching over loopback only: limits, redirects, conditional GETs, bombs and concurrency."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from feedserver import PEAK_MEMORY_KB, RSS, FeedServer, Route, gzip_bomb, standard_routes

from reader.domain.feeds.fetching import FetchLimits, FetchRequest, check_scheme, fetch, fetch_all

ROOT = Path(__file__).resolve().parents[2]
FAST = FetchLimits(connect_timeout=2.0, total_timeout=2.0)


@pytest.fixture(scope="module")
def server():
    with FeedServer(standard_routes()) as srv:
        yield srv


def test_fetch_ok(server: FeedServer) -> None:
    result = fetch(server.url("/rss.xml"), limits=FAST)
    assert result.ok and result.error is None
    assert result.status == 200
    assert result.body == RSS
    assert result.content_type.startswith("application/rss+xml")
    assert "reader/" in server.hits("/rss.xml")[-1]["user-agent"]


def test_conditional_get_answered_304(server: FeedServer) -> None:
    first = fetch(server.url("/etag.xml"), limits=FAST)
    assert first.status == 200 and first.etag == '"v1"' and first.modified
    second = fetch(server.url("/etag.xml"), etag=first.etag, modified=first.modified, limits=FAST)
    assert second.ok and second.not_modified and second.status == 304
    assert second.body == b""
    assert second.etag == '"v1"' and second.modified == first.modified
    sent = server.hits("/etag.xml")[-1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == first.modified


def test_404_is_an_error_line(server: FeedServer) -> None:
    result = fetch(server.url("/nope.xml"), limits=FAST)
    assert not result.ok
    assert result.error == "HTTP 404 Not Found."


def test_slow_server_times_out(server: FeedServer) -> None:
    start = time.monotonic()
    result = fetch(server.url("/slow.xml"), limits=FetchLimits(connect_timeout=1, total_timeout=0.5))
    assert time.monotonic() - start < 3
    assert result.error == "Timed out."


def test_redirect_loop_stops_after_five(server: FeedServer) -> None:
    before = len(server.hits("/loop"))
    result = fetch(server.url("/loop"), limits=FAST)
    assert result.error is not None and "Too many redirects" in result.error
    assert len(server.hits("/loop")) - before == 6  # the request and five redirects


def test_redirect_to_file_refused(server: FeedServer) -> None:
    result = fetch(server.url("/to-file"), limits=FAST)
    assert result.error is not None and "file:" in result.error
    assert b"root:" not in result.body


def test_redirects_followed(server: FeedServer) -> None:
    result = fetch(server.url("/hop1"), limits=FAST)
    assert result.ok and result.final_url == server.url("/rss.xml") and result.body == RSS


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "data:,x", "http://", "/relative"]
)
def test_non_http_schemes_refused(url: str) -> None:
    result = fetch(url, limits=FAST)
    assert not result.ok and result.error
    with pytest.raises(Exception):
        check_scheme(url)


def test_connection_refused_is_an_error() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    result = fetch(f"http://127.0.0.1:{port}/feed", limits=FAST)
    assert result.error == "Could not connect to the server."


def _streamed(body_chunk: bytes, count: int, encoding: str | None = None) -> Route:
    """A route that streams ``count`` chunks with no Content-Length (close-delimited)."""

    def handle(req: BaseHTTPRequestHandler, srv: FeedServer) -> None:
        req.send_response(200)
        if encoding:
            req.send_header("Content-Encoding", encoding)
        req.end_headers()
        try:
            for _ in range(count):
                req.wfile.write(body_chunk)
        except OSError:
            pass

    return Route(handler=handle)


def test_size_caps() -> None:
    small = FetchLimits(connect_timeout=2, total_timeout=5, max_bytes=100_000)
    routes = {
        "/declared": Route(b"x" * 200_000),
        "/streamed": _streamed(b"y" * 10_000, 50),
        "/gzip": Route(zlib.compress(RSS, wbits=31), headers={"Content-Encoding": "gzip"}),
        "/deflate": Route(zlib.compress(RSS), headers={"Content-Encoding": "deflate"}),
        "/raw-deflate": Route(zlib.compress(RSS, wbits=-15), headers={"Content-Encoding": "deflate"}),
        "/brotli": Route(b"??", headers={"Content-Encoding": "br"}),
        "/inflates": Route(zlib.compress(bytes(500_000), wbits=31), headers={"Content-Encoding": "gzip"}),
    }
    with FeedServer(routes) as srv:
        results = fetch_all([FetchRequest(srv.url(p)) for p in routes], limits=small)
    by_path = dict(zip(routes, results))
    assert "larger than" in (by_path["/declared"].error or "")
    assert "larger than" in (by_path["/streamed"].error or "")
    assert by_path["/gzip"].body == RSS
    assert by_path["/deflate"].body == RSS
    assert by_path["/raw-deflate"].body == RSS
    assert "content encoding" in (by_path["/brotli"].error or "")
    assert "once decompressed" in (by_path["/inflates"].error or "")


_BOMB_CHILD = PEAK_MEMORY_KB + """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from reader.domain.feeds.fetching import fetch, FetchLimits
start = time.monotonic()
result = fetch(sys.argv[1], limits=FetchLimits(total_timeout=20))
print(json.dumps({"error": result.error, "body": len(result.body), "seconds": time.monotonic() - start,
                  "peak_kb": peak_kb()}))
"""


def test_gzip_bomb_refused_quickly_with_little_memory() -> None:
    bomb = gzip_bomb(1024)
    assert len(bomb) < 1_200_000
    routes = {"/bomb.xml": Route(bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/xml"})}
    with FeedServer(routes) as srv:
        out = subprocess.run(
            [sys.executable, "-c", _BOMB_CHILD, srv.url("/bomb.xml"), str(ROOT)],
            capture_output=True, text=True, timeout=60, check=True,
        )
    report = json.loads(out.stdout)
    assert "once decompressed" in report["error"]
    assert report["body"] == 0
    assert report["seconds"] < 15
    assert report["peak_kb"] < 200 * 1024


def test_many_feeds_concurrently_limited_and_isolated(server: FeedServer) -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def handle(req: BaseHTTPRequestHandler, srv: FeedServer) -> None:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.1)
        with lock:
            in_flight -= 1
        req.send_response(200)
        req.send_header("Content-Length", str(len(RSS)))
        req.end_headers()
        req.wfile.write(RSS)

    for i in range(10):
        server.routes[f"/busy/{i}"] = Route(handler=handle)
    paths = [f"/busy/{i}" for i in range(10)] + ["/nope", "/loop", "/to-file", "/atom.xml"]
    results = fetch_all([FetchRequest(server.url(p)) for p in paths], limits=FAST)
    assert [r.url for r in results] == [server.url(p) for p in paths]
    assert all(r.ok for r in results[:10]) and results[-1].ok
    assert [r.ok for r in results[10:13]] == [False, False, False]
    assert 1 < peak <= 4
