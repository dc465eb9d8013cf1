"""``reader sync`` of a real Miniflux holding N entries, beside reader's own ``fetch`` of an N-item feed.

Run: ``python bench/bench_sync.py [--items 10000] [--runs 3]`` (``--quick``: 2,000 items, 2 runs).
Starts PostgreSQL and Miniflux on 127.0.0.1 (tests/servers/miniflux.py; it installs them when it
can, else this prints why and stops), serves one RSS feed of N items from loopback, and has
Miniflux subscribe to it (its own fetch and insert is timed for information). Each run then, in a
fresh data dir, times: the first sync of all N entries (``account add`` with a token, then one
sync, as ``reader sync`` runs it: every entry converted from HTML and written as a Markdown file,
the store updated in one transaction), a second sync with nothing changed, and a sync after a
tenth of the entries were marked read on the server; beside it, ``sync_feeds`` of the same feed
into an empty folder (what ``reader fetch`` does), the reference. The entries' ``changed_at`` is
set an hour back after the ingest, as for a feed that came in earlier: the cursor stays a minute
behind the server's clock, and entries stamped within that minute would be asked for again.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "servers"), str(ROOT / "bench")]

from bench_feeds import end_to_end, generate_rss, serve  # noqa: E402
from figures import Figure, ms_list, print_table  # noqa: E402
from miniflux import MinifluxServer, NotAvailable  # noqa: E402

from reader.domain.feeds.accounts.connect import add_account  # noqa: E402
from reader.domain.feeds.accounts.credentials import CredentialFile, Secret  # noqa: E402
from reader.domain.feeds.accounts.sync import sync_account  # noqa: E402
from reader.domain.feeds.fetching import FetchLimits  # noqa: E402
from reader.domain.store.account_tables import AccountTables  # noqa: E402
from reader.domain.store.store import Store  # noqa: E402


def timed_sync(tables: AccountTables, credentials: CredentialFile, url: str, articles: Path) -> tuple[float, str]:
    """Seconds for one sync, and its report line (it must succeed)."""
    start = time.perf_counter()
    report = sync_account(tables, credentials, url, articles)
    took = time.perf_counter() - start
    if report.error:
        raise SystemExit(f"sync failed: {report.error}")
    return took, report.line()


def one_run(server: MinifluxServer, user, entry_ids: list[int], scratch: Path, run: int) -> tuple[float, float, float]:
    """(first sync, sync with nothing new, sync after a tenth was read on the server) in seconds."""
    data = scratch / f"sync-{run}"
    with Store.open(data / "reader.json") as store:
        tables, credentials = AccountTables(store), CredentialFile(data / "credentials.json")
        add_account(tables, credentials, data / "articles", "miniflux", server.url, secret=Secret(user.token))
        first, line = timed_sync(tables, credentials, server.url, data / "articles")
        written = sum(1 for _ in (data / "articles").rglob("*.md"))
        assert written == len(entry_ids), (written, line)
        nothing, _ = timed_sync(tables, credentials, server.url, data / "articles")
        tenth = entry_ids[run::10]
        with server.client(user) as api:
            api.put("/entries", json={"entry_ids": tenth, "status": "read" if run % 2 == 0 else "unread"}).raise_for_status()
        flags, line = timed_sync(tables, credentials, server.url, data / "articles")
        assert f"{len(tenth)} changed here" in line or run % 2 == 1, line
    return first, nothing, flags


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="2,000 items, 2 runs")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the servers are stopped
    items, runs = (2_000, 2) if args.quick else (args.items, args.runs)
    body = generate_rss(items)
    limits = FetchLimits(max_bytes=max(10 * 1024 * 1024, len(body) + 1))
    httpd, feed_url = serve(body)
    load = os.getloadavg()
    first_s, nothing_s, flags_s, fetch_s = [], [], [], []
    try:
        with tempfile.TemporaryDirectory() as scratch, MinifluxServer() as server:
            user = server.new_user()
            with server.client(user) as api:
                category = api.get("/categories").json()[0]["id"]
                start = time.perf_counter()
                api.post("/feeds", json={"feed_url": feed_url, "category_id": category}).raise_for_status()
                ingest = time.perf_counter() - start
                total = api.get("/entries", params={"limit": 1}).json()["total"]
            # as if the feed had come in an hour ago (the cursor trails the latest change by a minute,
            # so entries stamped in the last minute would come again on every sync)
            server.sql(f"UPDATE entries SET changed_at = changed_at - interval '1 hour' WHERE user_id = {user.id}")
            with server.client(user) as api:
                rows = api.get("/entries", params={"limit": 0, "order": "id"}).json()["entries"]
            entry_ids = [row["id"] for row in rows]
            assert total == items == len(entry_ids), (total, items, len(entry_ids))
            for run in range(runs):
                first, nothing, flags = one_run(server, user, entry_ids, Path(scratch), run)
                first_s.append(first), nothing_s.append(nothing), flags_s.append(flags)
                took, written = end_to_end(feed_url, Path(scratch, f"fetch-{run}"), limits)
                assert written == items
                fetch_s.append(took)
                print(f"  run {run + 1}: sync {first:.2f} s, again {nothing:.2f} s, flags {flags:.2f} s; "
                      f"fetch {took:.2f} s", flush=True)
    except NotAvailable as error:
        print(f"skipped: no Miniflux here ({error})")
        return 0
    finally:
        httpd.shutdown()
        httpd.server_close()
    med = statistics.median
    print(f"{items} entries / items, {len(body) / 1e6:.1f} MB of RSS, {runs} runs; Miniflux took {ingest:.1f} s to "
          f"ingest the feed; load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after, {os.cpu_count()} CPUs")
    print_table([
        Figure(f"reader fetch, {items}-item feed (reference)", med(fetch_s)),
        Figure(f"reader sync, first, {items} entries", med(first_s), reference=med(fetch_s), ratio=3.0),
        Figure("reader sync, nothing changed", med(nothing_s), target=2.0),
        Figure(f"reader sync, {items // 10} flags changed on the server", med(flags_s), target=3.0),
    ], runs)
    print(f"  samples: fetch {ms_list(fetch_s)}, first sync {ms_list(first_s)}, again {ms_list(nothing_s)}, "
          f"flags {ms_list(flags_s)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
