"""Server accounts from the reading screen: sync every account with its progress, and star.

Each account's sync runs whole in a thread (with its own event loop), so the screen's loop only
hears its progress; a failed sync is one line and has changed nothing local (see
:mod:`reader.domain.feeds.accounts.sync`). Starring, like reading, is a change in the store that
the next sync sends. Accounts are imported only when used: they bring httpx.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

from reader.session.library import open_store

if TYPE_CHECKING:
    from reader.services import Services

Say = Callable[[str], None]
"""Called on the caller's loop with one progress line."""

PROGRESS_EVERY = 0.2
"""Seconds between two progress lines of a sync."""


@dataclass(frozen=True)
class Synced:
    """What syncing the accounts did: one line per account, and whether one failed."""

    lines: tuple[str, ...]
    failed: bool


def account_label(account: dict[str, object]) -> str:
    """How the screen names an account: its kind and its host (``miniflux 127.0.0.1:8080``)."""
    return f"{account.get('kind') or 'account'} {urlsplit(str(account.get('url') or '')).netloc}"


class Accounts:
    """Syncs the server accounts and keeps starring in order."""

    def __init__(self, services: "Services") -> None:
        self._services = services
        self.syncing = False
        self._star_order = asyncio.Lock()

    async def accounts(self) -> list[dict[str, object]]:
        """Every account (never a secret: those are not in the store), in the order they were added."""
        from reader.domain.store.account_tables import AccountTables

        store = await open_store(self._services)
        return await asyncio.to_thread(AccountTables(store).accounts)

    async def sync(self, say: Say | None = None) -> Synced:
        """Sync every account, one after the other, saying how far each has come."""
        from reader.domain.feeds.accounts.credentials import CredentialFile
        from reader.domain.feeds.accounts.sync import sync_account
        from reader.domain.store.account_tables import AccountTables

        if self.syncing:
            return Synced(("Already syncing.",), False)
        store = await open_store(self._services)
        tables = AccountTables(store)
        credentials = CredentialFile(self._services.paths.credentials_file)
        loop = asyncio.get_running_loop()
        lines: list[str] = []
        failed = False
        self.syncing = True
        try:
            for account in await asyncio.to_thread(tables.accounts):
                label = account_label(account)
                if say is not None:
                    say(f"Syncing… {label}")
                progress = _throttled(loop, label, say)
                report = await asyncio.to_thread(sync_account, tables, credentials, str(account["url"]),
                                                 self._services.paths.articles_dir, None, progress)
                lines.append(report.line())
                failed = failed or report.error is not None
        finally:
            self.syncing = False
        return Synced(tuple(lines), failed)

    async def star(self, article: str, starred: bool) -> str | None:
        """Save an article's star (in the order asked); the URL of the account whose next sync
        sends it, or ``None`` when no account brought the article."""
        from reader.domain.store.account_tables import AccountTables

        store = await open_store(self._services)
        async with self._star_order:
            await asyncio.to_thread(store.set_starred, article, starred)
        owner = await asyncio.to_thread(AccountTables(store).find_article, article)
        return owner[0] if owner else None


def _throttled(loop: asyncio.AbstractEventLoop, label: str, say: Say | None) -> Callable[[int, int], None] | None:
    """A progress callback for the sync's thread that says a line on ``loop`` now and then (and
    always the last one)."""
    if say is None:
        return None
    said = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - said[0] >= PROGRESS_EVERY or done >= total:
            said[0] = now
            loop.call_soon_threadsafe(say, f"Syncing {done:,}/{total:,} entries… {label}")

    return progress
