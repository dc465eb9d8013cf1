"""Miniflux's own API (``/v1``): feeds with their categories, entries by ``changed_after``, flags.

Entries are read in pages ordered by id (``after_entry_id``), so a page boundary never skips or
repeats one; after the first sync only entries whose ``changed_at`` is later than the cursor come
(new ones, and those whose status or star changed, "removed" included). The next cursor is the
latest ``changed_at`` seen, but never later than a minute before the server's clock at the last
answer: the server stamps a change when its transaction starts, not when it commits, so a change
committed just after we looked may carry an earlier time. What comes twice is recognised by its
``changed_at`` and skipped.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from reader.domain.articles.cleaning import clean_line
from reader.domain.feeds.accounts.client import ApiClient
from reader.domain.feeds.accounts.model import AccountError, Flags, RemoteEntry, RemoteFeed, epoch, iso_utc
from reader.domain.feeds.accounts.server import Changes, Known, Progress, Pushes
from reader.domain.feeds.fetching import FetchLimits

__all__ = ["PAGE", "MinifluxServer"]

PAGE = 250
"""Entries in the first request; later pages are sized to come to about a third of the body cap."""
_MAX_PAGE = 2000
_WRITE_BATCH = 500
_OVERLAP = 60


class MinifluxServer:
    """A Miniflux account, by API token or by user name and password."""

    def __init__(self, url: str, *, token: str = "", user: str = "", password: str = "",
                 limits: FetchLimits | None = None, page: int = PAGE) -> None:
        if token:
            headers = {"X-Auth-Token": token}
        else:
            basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers = {"Authorization": f"Basic {basic}"}
        self.api = ApiClient(url + "/v1", limits, headers)
        self.page = page

    async def __aenter__(self) -> "MinifluxServer":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.api.__aexit__()

    async def user(self) -> str:
        """The user name of the account (``/v1/me``)."""
        me = await self.api.json("GET", "/me", what="who am I")
        if not isinstance(me, dict) or "username" not in me:
            raise AccountError(f"{self.api.host} does not look like a Miniflux server.")
        return clean_line(str(me["username"]))

    async def feeds(self) -> list[RemoteFeed]:
        """Every feed of the account with its category."""
        rows = await self.api.json("GET", "/feeds", what="the feed list")
        if not isinstance(rows, list):
            raise AccountError(f"{self.api.host} sent a feed list that is not a list.")
        return [RemoteFeed(str(row["id"]), clean_line(str(row.get("title") or "")), str(row.get("feed_url") or ""),
                           clean_line(str((row.get("category") or {}).get("title") or "")))
                for row in rows if isinstance(row, dict) and "id" in row]

    async def changes(self, cursor: dict[str, Any], known: dict[str, Known], progress: Progress | None = None) -> Changes:
        """New and changed entries since ``cursor["changed_after"]`` (all entries the first time)."""
        feeds = await self.feeds()
        since = int(cursor.get("changed_after") or 0)
        entries: list[RemoteEntry] = []
        gone: set[str] = set()
        after, size, seen = 0, self.page, 0
        while True:
            params: dict[str, Any] = {"order": "id", "direction": "asc", "limit": size, "after_entry_id": after}
            if since:
                params["changed_after"] = since
            _status, body = await self.api.request("GET", "/entries", params=params, what="the entry list")
            page = _json(body, self.api.host)
            rows = page.get("entries") if isinstance(page, dict) else None
            if not isinstance(rows, list):
                raise AccountError(f"{self.api.host} sent an entry list without entries.")
            remaining = page.get("total") if isinstance(page.get("total"), int) else len(rows)
            seen += len(rows)
            if progress is not None:  # "total" counts the entries after ``after``, this page's included
                progress(seen, seen - len(rows) + max(remaining, len(rows)))
            for row in rows:
                entry = _entry(row)
                after = max(after, int(row["id"]))
                if entry.removed:
                    if entry.id in known:
                        gone.add(entry.id)
                elif known.get(entry.id) is None or known[entry.id].changed != entry.changed or since == 0:
                    entries.append(entry)
            if len(rows) < size:
                break
            per_entry = max(len(body) / len(rows), 1.0)
            size = max(self.page // 5, min(_MAX_PAGE, int(self.api.limits.max_bytes / 3 / per_entry)))
        latest = max((e.changed for e in entries), default=0.0)
        if latest:  # see the module's docstring
            started = self.api.server_time or latest
            next_cursor = {"changed_after": max(since, int(min(latest, started - _OVERLAP)))}
        else:
            next_cursor = dict(cursor)
        return Changes(feeds, entries, gone, next_cursor)

    async def push(self, pushes: Pushes) -> None:
        """Set read and unread in batches; toggle the star of each entry that needs it."""
        for ids, status in ((pushes.read, "read"), (pushes.unread, "unread")):
            for start in range(0, len(ids), _WRITE_BATCH):
                batch = [int(i) for i in ids[start:start + _WRITE_BATCH]]
                await self.api.request("PUT", "/entries", json_body={"entry_ids": batch, "status": status},
                                       what="a status change")
        # /v1 can only toggle a star; the sync sends one only where the server's flag differs
        for entry in (*pushes.star, *pushes.unstar):
            await self.api.request("PUT", f"/entries/{int(entry)}/bookmark", what="a star change")


def _json(body: bytes, host: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise AccountError(f"{host} did not answer the entry list with JSON.") from None


def _entry(row: Any) -> RemoteEntry:
    """One ``/v1/entries`` row as a RemoteEntry."""
    if not isinstance(row, dict) or "id" not in row:
        raise AccountError("The server sent an entry without an id.")
    status = str(row.get("status") or "unread")
    return RemoteEntry(
        id=str(int(row["id"])), feed=str(row.get("feed_id") or ""), title=clean_line(str(row.get("title") or "")),
        url=str(row.get("url") or ""), flags=Flags(status == "read", bool(row.get("starred"))),
        changed=epoch(str(row.get("changed_at") or "")), author=clean_line(str(row.get("author") or "")),
        published=iso_utc(epoch(str(row.get("published_at") or ""))), html=str(row.get("content") or ""),
        removed=status == "removed",
    )
