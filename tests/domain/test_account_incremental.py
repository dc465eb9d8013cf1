"""What the Miniflux sync asks for: everything once, then only what changed (``changed_after``),
ordered by entry id. A scripted ``/v1`` on loopback records each request."""

from __future__ import annotations

import json
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from feedserver import FeedServer, Route

from reader.domain.feeds.accounts.connect import add_account
from reader.domain.feeds.accounts.credentials import CredentialFile, Secret
from reader.domain.feeds.accounts.sync import sync_account
from reader.domain.store.account_tables import AccountTables
from reader.domain.store.store import Store

NOW = 1_900_000_000  # 2030-03-17T17:46:40Z; the server's Date header says an hour later


def entry(n: int) -> dict:
    return {"id": n, "feed_id": 7, "status": "unread", "title": f"Entry {n}", "url": f"https://example.org/{n}",
            "changed_at": f"2030-03-17T17:{n:02d}:00Z",
            "published_at": "2030-03-17T00:00:00Z", "content": f"<p>Body {n}</p>", "starred": False}


def test_the_first_sync_pages_through_everything_and_the_next_asks_only_for_changes(tmp_path: Path) -> None:
    rows = [entry(n) for n in range(1, 8)]

    def answer(req: BaseHTTPRequestHandler, payload: object) -> None:
        body = json.dumps(payload).encode()
        req.send_response(200)
        req.send_header("Content-Type", "application/json")
        req.send_header("Date", formatdate(NOW + 3600, usegmt=True))
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def entries(req: BaseHTTPRequestHandler, server: FeedServer) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(req.path).query).items()}
        after, limit = int(query["after_entry_id"]), int(query["limit"])
        since = query.get("changed_after")
        chosen = [r for r in rows if r["id"] > after and (since is None or r["id"] == 7)][:limit]
        answer(req, {"total": len(chosen), "entries": chosen})

    routes = {
        "/v1/me": Route(handler=lambda req, srv: answer(req, {"username": "ada"})),
        "/v1/feeds": Route(handler=lambda req, srv: answer(req, [{"id": 7, "title": "Seven", "feed_url": "https://x.org/f",
                                                                  "category": {"title": "Cat"}}])),
        "/v1/entries": Route(handler=entries),
    }
    with FeedServer(routes) as server, Store.open(tmp_path / "reader.json") as store:
        tables, secrets = AccountTables(store), CredentialFile(tmp_path / "credentials.json")
        add_account(tables, secrets, tmp_path / "articles", "miniflux", server.base, secret=Secret("t0ken"))
        first = sync_account(tables, secrets, server.base, tmp_path / "articles")
        assert first.error is None and first.new == 7
        rows[6] = {**rows[6], "status": "read", "changed_at": "2030-03-17T18:30:00Z"}
        second = sync_account(tables, secrets, server.base, tmp_path / "articles")
        assert second.error is None and (second.new, second.here) == (0, 1)
        asked = [parse_qs(urlsplit(path).query) for path, _ in server.requests if path.startswith("/v1/entries")]
    assert all(q["order"] == ["id"] and q["direction"] == ["asc"] for q in asked)
    first_sync = [q for q in asked if "changed_after" not in q]
    assert [q["after_entry_id"] for q in first_sync][0] == ["0"] and len(first_sync) == 1
    later = [q for q in asked if "changed_after" in q]
    assert len(later) == 1 and int(later[0]["changed_after"][0]) > 0
