"""The Google Reader API (as Miniflux, FreshRSS and others serve it): sign-in, id lists, contents, tags.

A sync lists ids only, in pages of ``n`` with the ``c`` continuation: every entry of the reading
list, the unread ones (``xt`` the read state) and the starred ones; then it asks for the contents
of the entries it has not seen, of those whose flags moved, and of those with a local change
waiting (whose ``updated``, the server's change time, decides a conflict). The start time ``ot``
is not used: Miniflux applies it to an entry's publication date, not to when it arrived or
changed, so an old item of a newly added feed, or a flag changed on an old entry, would be missed.
"""

from __future__ import annotations

import json
from typing import Any

from reader.domain.articles.cleaning import clean_line
from reader.domain.feeds.accounts.client import ApiClient
from reader.domain.feeds.accounts.model import AccountError, Flags, RemoteEntry, RemoteFeed, iso_utc
from reader.domain.feeds.accounts.server import Changes, Known, Progress, Pushes
from reader.domain.feeds.fetching import FetchLimits

__all__ = ["GReaderServer", "long_id", "short_id"]

_STATE = "user/-/state/com.google/"
_IDS_PAGE = 1000
_CONTENTS_BATCH = 100
_EDIT_BATCH = 250


def long_id(entry: str) -> str:
    """The long form of an item id, as ``edit-tag`` and ``items/contents`` take it."""
    return f"tag:google.com,2005:reader/item/{int(entry):016x}"


def short_id(item: str) -> str:
    """The decimal id of an item given in its long (hex) or short (decimal) form."""
    if item.startswith("tag:google.com,2005:reader/item/"):
        return str(int(item.rsplit("/", 1)[1], 16))
    return str(int(item))


class GReaderServer:
    """A Google Reader API account, signed in with ClientLogin."""

    def __init__(self, url: str, *, user: str, password: str, limits: FetchLimits | None = None) -> None:
        self.api = ApiClient(url, limits)
        self._login = {"Email": user, "Passwd": password}
        self._token = ""

    async def __aenter__(self) -> "GReaderServer":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.api.__aexit__()

    async def _signed_in(self) -> None:
        if self._token:
            return
        _status, body = await self.api.request("POST", "/accounts/ClientLogin", form=self._login, what="the sign-in")
        fields = dict(line.split("=", 1) for line in body.decode("utf-8", "replace").splitlines() if "=" in line)
        if not fields.get("Auth"):
            raise AccountError(f"{self.api.host} did not sign us in (no Auth token in its answer).")
        self.api.headers["Authorization"] = f"GoogleLogin auth={fields['Auth']}"
        _status, token = await self.api.request("GET", "/reader/api/0/token", what="the edit token")
        self._token = token.decode("utf-8", "replace").strip()

    async def _get(self, path: str, what: str, **params: Any) -> Any:
        await self._signed_in()
        answer = await self.api.json("GET", "/reader/api/0" + path, params={"output": "json", **params}, what=what)
        if not isinstance(answer, dict):
            raise AccountError(f"{self.api.host} sent an unexpected answer to {what}.")
        return answer

    async def _post(self, path: str, form: list[tuple[str, str]], what: str) -> bytes:
        await self._signed_in()
        _status, body = await self.api.request("POST", "/reader/api/0" + path,
                                               form=[*form, ("T", self._token), ("output", "json")], what=what)
        return body

    async def user(self) -> str:
        """The user name (``user-info``), after signing in."""
        info = await self._get("/user-info", "the user info")
        return clean_line(str(info.get("userName") or info.get("userEmail") or ""))

    async def feeds(self) -> list[RemoteFeed]:
        """The subscriptions, each with its first folder (label) as its category."""
        answer = await self._get("/subscription/list", "the subscription list")
        feeds = []
        for row in answer.get("subscriptions") or []:
            labels = [c.get("label") or "" for c in row.get("categories") or [] if isinstance(c, dict)]
            feeds.append(RemoteFeed(str(row.get("id") or ""), clean_line(str(row.get("title") or "")),
                                    str(row.get("url") or ""), clean_line(labels[0] if labels else "")))
        return feeds

    async def ids(self, stream: str, **params: str) -> set[str]:
        """Every item id of a stream, page by page."""
        found: set[str] = set()
        continuation = ""
        for _page in range(10_000):
            query = {"s": stream, "n": str(_IDS_PAGE), **params, **({"c": continuation} if continuation else {})}
            answer = await self._get("/stream/items/ids", "the item list", **query)
            found.update(short_id(str(ref["id"])) for ref in answer.get("itemRefs") or [] if "id" in ref)
            continuation = str(answer.get("continuation") or "")
            if not continuation or continuation == "0":
                return found
        raise AccountError(f"{self.api.host} kept sending more pages of item ids.")

    async def contents(self, ids: list[str], progress: Progress | None = None) -> list[RemoteEntry]:
        """The full entries with these ids, a batch at a time (``progress`` hears after each)."""
        entries: list[RemoteEntry] = []
        for start in range(0, len(ids), _CONTENTS_BATCH):
            form = [("i", long_id(i)) for i in ids[start:start + _CONTENTS_BATCH]]
            body = await self._post("/stream/items/contents", form, "the item contents")
            try:
                answer = json.loads(body)
            except ValueError:
                raise AccountError(f"{self.api.host} did not send the item contents as JSON.") from None
            entries += [_entry(item) for item in answer.get("items") or []]
            if progress is not None:
                progress(min(start + _CONTENTS_BATCH, len(ids)), len(ids))
        return entries

    async def changes(self, cursor: dict[str, Any], known: dict[str, Known], progress: Progress | None = None) -> Changes:
        """The id lists, then the contents of what is new, moved or waiting to be sent."""
        feeds = await self.feeds()
        everything = await self.ids(_STATE + "reading-list")
        unread = await self.ids(_STATE + "reading-list", xt=_STATE + "read")
        starred = await self.ids(_STATE + "starred")
        wanted = []
        for entry in sorted(everything, key=int):
            seen = known.get(entry)
            flags = Flags(entry not in unread, entry in starred)
            if seen is None or seen.pending or seen.base != flags:
                wanted.append(entry)
        entries = await self.contents(wanted, progress)
        return Changes(feeds, entries, {entry for entry in known if entry not in everything}, {})

    async def push(self, pushes: Pushes) -> None:
        """``edit-tag`` in batches: add or remove the read and starred states."""
        for ids, verb, state in ((pushes.read, "a", "read"), (pushes.unread, "r", "read"),
                                 (pushes.star, "a", "starred"), (pushes.unstar, "r", "starred")):
            for start in range(0, len(ids), _EDIT_BATCH):
                form = [(verb, _STATE + state), *(("i", long_id(i)) for i in ids[start:start + _EDIT_BATCH])]
                await self._post("/edit-tag", form, "a state change")


def _entry(item: Any) -> RemoteEntry:
    """One item of ``stream/items/contents`` as a RemoteEntry."""
    if not isinstance(item, dict) or "id" not in item:
        raise AccountError("The server sent an item without an id.")
    labels = {str(c).rsplit("/", 1)[-1] for c in item.get("categories") or [] if "/state/com.google/" in str(c)}
    links = [link.get("href") for key in ("canonical", "alternate") for link in item.get(key) or [] if isinstance(link, dict)]
    body = (item.get("content") or item.get("summary") or {}).get("content") or ""
    published = item.get("published") or 0
    return RemoteEntry(
        id=short_id(str(item["id"])), feed=str((item.get("origin") or {}).get("streamId") or ""),
        title=clean_line(str(item.get("title") or "")), url=str(next((link for link in links if link), "")),
        flags=Flags("read" in labels, "starred" in labels), changed=float(item.get("updated") or published or 0),
        author=clean_line(str(item.get("author") or "")), published=iso_utc(float(published)), html=str(body),
    )
