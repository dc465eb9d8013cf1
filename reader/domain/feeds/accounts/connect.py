"""Signing in to an account's server, and adding an account once its credentials work."""

from __future__ import annotations

from typing import Any

import asyncio
from pathlib import Path

from reader.domain.articles.cleaning import clean_line
from reader.domain.feeds.accounts.client import normal_url
from reader.domain.feeds.accounts.credentials import CredentialFile, Secret
from reader.domain.feeds.accounts.greader import GReaderServer
from reader.domain.feeds.accounts.miniflux import MinifluxServer
from reader.domain.feeds.accounts.mirror import account_folder
from reader.domain.feeds.accounts.model import KINDS, AccountError
from reader.domain.feeds.fetching import FetchLimits
from reader.domain.store.account_tables import AccountTables

__all__ = ["add_account", "open_server"]


def open_server(account: dict[str, Any], secret: Secret, limits: FetchLimits | None = None) -> MinifluxServer | GReaderServer:
    """The server of ``account`` (a record with url, kind, user and auth), ready to sign in."""
    url, kind, user = account["url"], account.get("kind"), account.get("user") or ""
    if kind == "miniflux":
        if account.get("auth") == "token":
            return MinifluxServer(url, token=secret.reveal(), limits=limits)
        return MinifluxServer(url, user=user, password=secret.reveal(), limits=limits)
    if kind == "greader":
        return GReaderServer(url, user=user, password=secret.reveal(), limits=limits)
    raise AccountError(f"unknown account kind {clean_line(str(kind))!r}")


async def _check(account: dict[str, Any], secret: Secret, limits: FetchLimits | None) -> str:
    async with open_server(account, secret, limits) as server:
        return await server.user()


def add_account(tables: AccountTables, credentials: CredentialFile, articles_dir: Path, kind: str, url: str, *,
                user: str = "", secret: Secret, limits: FetchLimits | None = None) -> dict[str, Any]:
    """Check the credentials with the server, then save the account and its secret; the record
    saved (no secret in it). AccountError (nothing saved) when the server refuses or is away."""
    if kind not in KINDS:
        raise AccountError(f"unknown account kind {kind!r} (one of: {', '.join(KINDS)})")
    url = normal_url(url)
    if tables.account(url) is not None:
        raise AccountError(f"there is already an account for {url}; remove it first")
    record: dict[str, Any] = {"url": url, "kind": kind, "user": clean_line(user), "auth": "password" if user else "token"}
    if kind == "greader" and not user:
        raise AccountError("a Google Reader account needs --user and --password-file")
    name = asyncio.run(_check(record, secret, limits))
    record.update(user=record["user"] or name, folder=account_folder(articles_dir, url, kind), cursor={},
                  feeds={}, folders={}, last_sync=None, entries=0)
    credentials.put(url, secret)
    try:
        tables.add_account(record)
    except BaseException:
        credentials.remove(url)
        raise
    return record
