"""Fetch + parse + store of one big RSS feed served from loopback; prints medians.

Run: ``python bench/bench_feeds.py [--items 10000] [--runs 5]`` (``--quick``: 2,000 items, 3 runs).
Each run starts from an empty articles folder, so every item is written. When ``newsboat`` is on
PATH, ``newsboat -x reload`` of the same feed (fresh cache each run) is timed beside it. Folders are
removed only at the end: deleting 10,000 files can slow the file creation that follows for seconds
(seen on an ext4 VM mounted with ``discard``), which would punish whichever run came next. File
creation cost also swings with what other processes do to the same disk, so the line for each
run is printed beside the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.domain.feeds.articles import FeedFolder, feed_folder, render_article  # noqa: E402
from reader.domain.feeds.parsing import parse_feed  # noqa: E402
from reader.domain.feeds.fetching import FetchLimits, fetch  # noqa: E402
from reader.domain.feeds.subscriptions import MemorySubscriptions, add_subscription, sync_feeds  # noqa: E402

PARAGRAPH = "Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit, sed do eiusmod tempor. "


def generate_rss(items: int) -> bytes:
    """An RSS 2.0 document with ``items`` realistic items (HTML descriptions of about 500 bytes)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
           "<title>Bench feed</title><link>https://bench.example/</link><description>bench</description>"]
    start = 1_700_000_000
    for n in range(items):
        body = f"<p>Item {n}. {PARAGRAPH * 5}</p><p><a href='https://bench.example/{n}'>more</a></p>"
        out.append(
            f"<item><title>Item number {n}</title><link>https://bench.example/items/{n}</link>"
            f"<guid isPermaLink='false'>bench-{n}</guid><pubDate>{formatdate(start - n * 60, usegmt=True)}</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>"
        )
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


MemoryStore = MemorySubscriptions


def serve(body: bytes) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``body`` at /feed.xml on 127.0.0.1 from a daemon thread."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml"


def phases(url: str, folder: Path, limits: FetchLimits) -> tuple[float, float, float, float]:
    """Seconds to fetch, to parse, to render every item's file, and to write them all, by hand."""
    t0 = time.perf_counter()
    result = fetch(url, limits=limits)
    t1 = time.perf_counter()
    feed = parse_feed(result.body, result.content_type, url)
    t2 = time.perf_counter()
    with FeedFolder.opened(feed_folder(folder, url, feed.title)) as store:
        placed = [(place, item) for item in feed.items if (place := store.place(item)) is not None]
        todo = [(place, item, render_article(item, feed.title, item.body_markdown), False)
                for place, item in placed]
        t3 = time.perf_counter()
        store.write_many(todo)
    t4 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2, t4 - t3


def end_to_end(url: str, folder: Path, limits: FetchLimits) -> tuple[float, int]:
    """Seconds for ``sync_feeds`` of one subscription into an empty folder; items written."""
    store = MemoryStore()
    add_subscription(store, url)
    start = time.perf_counter()
    (result,) = sync_feeds(store, folder, limits=limits)
    took = time.perf_counter() - start
    if result.error:
        raise SystemExit(f"sync failed: {result.error}")
    return took, result.new


def newsboat_reload(url: str, home: Path) -> tuple[float, int] | None:
    """Seconds for ``newsboat -x reload`` of the feed with a fresh cache in the new folder ``home``
    and the items it cached, or None without newsboat."""
    exe = shutil.which("newsboat")
    if exe is None:
        return None
    home.mkdir()
    (home / "urls").write_text(url + "\n")
    (home / "config").write_text("")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home)}
    start = time.perf_counter()
    subprocess.run([exe, "-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "config"),
                    "-x", "reload"], env=env, check=True, capture_output=True, timeout=600)
    took = time.perf_counter() - start
    with closing(sqlite3.connect(home / "cache.db")) as db:
        (cached,) = db.execute("SELECT count(*) FROM rss_item").fetchone()
    return took, cached


def main() -> int:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 items, 3 runs")
    args = parser.parse_args()
    items, runs = (2_000, 3) if args.quick else (args.items, args.runs)
    body = generate_rss(items)
    limits = FetchLimits(max_bytes=max(10 * 1024 * 1024, len(body) + 1))
    httpd, url = serve(body)
    load = os.getloadavg()
    fetch_s, parse_s, render_s, write_s, total_s, newsboat_s = [], [], [], [], [], []
    newsboat_items = 0
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for run in range(runs):
                f, p, r, w = phases(url, Path(scratch, f"phases-{run}"), limits)
                fetch_s.append(f), parse_s.append(p), render_s.append(r), write_s.append(w)
                took, written = end_to_end(url, Path(scratch, f"sync-{run}"), limits)
                assert written == items, (written, items)
                total_s.append(took)
                nb = newsboat_reload(url, Path(scratch, f"newsboat-{run}"))
                if nb is not None:
                    newsboat_s.append(nb[0])
                    newsboat_items = nb[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
    med = statistics.median
    print(f"feed: {items} items, {len(body) / 1e6:.1f} MB, {runs} runs, medians; "
          f"load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after, {os.cpu_count()} CPUs")
    print(f"  reader fetch          {med(fetch_s) * 1000:8.0f} ms")
    print(f"  reader parse          {med(parse_s) * 1000:8.0f} ms   ({med(parse_s) / items * 1e6:.0f} us/item)")
    print(f"  reader render         {med(render_s) * 1000:8.0f} ms   ({med(render_s) / items * 1e6:.0f} us/item)")
    print(f"  reader write          {med(write_s) * 1000:8.0f} ms   ({med(write_s) / items * 1e6:.0f} us/item, "
          "one file each, one syncfs)")
    print(f"  reader sync_feeds     {med(total_s) * 1000:8.0f} ms   (fetch + parse + store, end to end; "
          f"runs: {', '.join(f'{t:.1f}' for t in total_s)} s)")
    if newsboat_s:
        print(f"  newsboat -x reload    {med(newsboat_s) * 1000:8.0f} ms   (fresh cache each run; "
              f"{newsboat_items} items cached in SQLite; runs: {', '.join(f'{t:.1f}' for t in newsboat_s)} s)")
        print(f"  ratio                 {med(total_s) / med(newsboat_s):8.2f} x  (reader / newsboat, medians)")
    else:
        print("  newsboat              not on PATH; not compared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
