"""The accounts' HTTP client against hostile or broken loopback servers: capped, never redirected,
every failure one sentence (reader.domain.feeds.accounts.client, through the Miniflux API)."""

from __future__ import annotations

import asyncio

import pytest
from feedserver import FeedServer, Route, gzip_bomb, redirect

from reader.domain.feeds.accounts.miniflux import MinifluxServer
from reader.domain.feeds.accounts.model import AccountError
from reader.domain.feeds.fetching import FetchLimits

SMALL = FetchLimits(connect_timeout=2.0, total_timeout=5.0, max_bytes=1024 * 1024)
TOKEN = "tok-ABC-123-never-shown"


def who(url: str) -> str:
    async def run() -> str:
        async with MinifluxServer(url, token=TOKEN, limits=SMALL) as server:
            return await server.user()

    return asyncio.run(run())


@pytest.mark.parametrize(("route", "message"), [
    (Route(b"x" * (2 * 1024 * 1024)), "larger than 1 MB"),
    (Route(gzip_bomb(64), headers={"Content-Encoding": "gzip"}), "larger than 1 MB once decompressed"),
    (redirect("/elsewhere"), "redirect (HTTP 302)"),
    (Route(b"oops", status=500), "HTTP 500"),
    (Route(b"<html>not json</html>"), "with JSON"),
    (Route(b'{"id": 1}'), "does not look like a Miniflux server"),
])
def test_every_failure_is_one_sentence_without_the_token(route: Route, message: str) -> None:
    with FeedServer({"/v1/me": route, "/elsewhere": Route(b'{"username": "x"}')}) as server:
        with pytest.raises(AccountError) as caught:
            who(server.base)
        assert server.hits("/elsewhere") == []
        assert server.hits("/v1/me")[0]["x-auth-token"] == TOKEN
    text = str(caught.value)
    assert message in text and "\n" not in text and TOKEN not in text


def test_an_unreachable_server_is_one_sentence() -> None:
    with FeedServer() as server:
        base = server.base
    with pytest.raises(AccountError, match=r"^Could not connect to 127\.0\.0\.1:\d+\.$"):
        who(base)
