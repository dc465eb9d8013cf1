"""One test's world: a Miniflux user with feeds served from loopback, and a reader data dir with
an account on it (Miniflux's own API, or its Google Reader API), driven through ``reader``'s CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from feedserver import FeedServer, Route
from miniflux import MinifluxServer, User

from reader.cli import main


def rss(title: str, items: list[tuple[str, str]]) -> bytes:
    """An RSS document with (guid, title) items, each linking to https://example.org/<guid>."""
    body = "".join(
        f"<item><title>{t}</title><guid>{g}</guid><link>https://example.org/{g}</link>"
        f"<description>&lt;p&gt;Text of {t}, with a &lt;strong&gt;bold&lt;/strong&gt; word.&lt;/p&gt;</description></item>"
        for g, t in items)
    return f"<rss version='2.0'><channel><title>{title}</title>{body}</channel></rss>".encode()


@dataclass
class Run:
    """What one ``reader`` command did."""

    code: int
    out: str
    err: str


@dataclass
class World:
    """A Miniflux user, its feeds, and a reader data dir with the account added."""

    server: MinifluxServer
    feeds: FeedServer
    data: Path
    kind: str
    user: User
    capsys: pytest.CaptureFixture[str]
    gr_user: str = ""
    gr_password: str = ""
    outputs: list[str] = field(default_factory=list)

    @property
    def api(self) -> httpx.Client:
        """Miniflux's API as the same user on "another machine" (the web UI, a phone)."""
        return self.server.client(self.user)

    def reader(self, *argv: str) -> Run:
        """Run ``reader --data-dir DATA ARGV...`` in this process."""
        self.capsys.readouterr()
        code = main(["--data-dir", str(self.data), *argv])
        captured = self.capsys.readouterr()
        self.outputs += [captured.out, captured.err]
        return Run(code, captured.out, captured.err)

    def secret_file(self, name: str, value: str) -> str:
        """A file holding ``value`` on its first line."""
        path = self.data.parent / name
        path.write_text(value + "\n", encoding="utf-8")
        return str(path)

    def add_account(self) -> Run:
        """``reader account add`` of this world's kind, with the right credentials."""
        if self.kind == "miniflux":
            return self.reader("account", "add", "miniflux", self.server.url,
                               "--token-file", self.secret_file("token", self.user.token))
        return self.reader("account", "add", "greader", self.server.url, "--user", self.gr_user,
                           "--password-file", self.secret_file("password", self.gr_password))

    def subscribe(self, path: str, title: str, items: list[tuple[str, str]], category: str = "") -> int:
        """Serve a feed at ``path`` and subscribe the Miniflux user to it; its feed id."""
        self.feeds.routes[path] = Route(rss(title, items), headers={"Content-Type": "application/rss+xml"})
        with self.api as api:
            categories = api.get("/categories").json()
            if category:
                made = api.post("/categories", json={"title": category})
                made.raise_for_status()
                category_id = made.json()["id"]
            else:
                category_id = categories[0]["id"]
            answer = api.post("/feeds", json={"feed_url": self.feeds.url(path), "category_id": category_id})
            answer.raise_for_status()
            return int(answer.json()["feed_id"])

    def entries(self) -> dict[str, dict]:
        """The user's entries on the server, by title."""
        with self.api as api:
            rows = api.get("/entries", params={"limit": 1000, "order": "id"}).json()["entries"]
        return {row["title"]: row for row in rows}

    def articles(self) -> dict[str, dict]:
        """``reader list --json`` by title."""
        run = self.reader("list", "--json")
        assert run.code == 0, run.err
        return {row["title"]: row for row in json.loads(run.out) if row["path"].startswith(str(self.data))}

    def sync(self) -> Run:
        """``reader sync``, which must succeed."""
        run = self.reader("sync")
        assert run.code == 0, run.err
        return run

    def store_json(self) -> str:
        """Everything in the store (snapshot and journal), as text."""
        return "".join(p.read_text(encoding="utf-8") for p in sorted(self.data.glob("reader.json*"))
                       if p.is_file() and not p.name.endswith(".lock"))
