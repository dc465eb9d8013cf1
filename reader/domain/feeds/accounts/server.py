"""What the sync asks of a server, whichever API it speaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from reader.domain.feeds.accounts.model import Flags, RemoteEntry, RemoteFeed

__all__ = ["Changes", "Known", "Progress", "Pushes", "Server"]

Progress = Callable[[int, int], None]
"""Called with (entries read so far, entries to read in all) as a sync downloads them."""


@dataclass(frozen=True)
class Known:
    """An entry synced before: its flags at the last sync (the base) and whether ours differ now."""

    base: Flags
    changed: float
    pending: bool = False


@dataclass
class Changes:
    """What changed on the server since the cursor: its feeds (all of them), the entries that are
    new or changed (full), the known entries it no longer has, and the cursor for next time."""

    feeds: list[RemoteFeed]
    entries: list[RemoteEntry]
    gone: set[str] = field(default_factory=set)
    cursor: dict[str, Any] = field(default_factory=dict)


@dataclass
class Pushes:
    """Flags to set on the server, entry ids by change, with the server's current flags."""

    read: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    star: list[str] = field(default_factory=list)
    unstar: list[str] = field(default_factory=list)

    def count(self) -> int:
        """How many flag changes there are to send."""
        return len(self.read) + len(self.unread) + len(self.star) + len(self.unstar)


class Server(Protocol):
    """One account's server, signed in."""

    async def user(self) -> str:
        """The user name the server knows us by (checks the credentials)."""
        ...

    async def changes(self, cursor: dict[str, Any], known: dict[str, Known], progress: Progress | None = None) -> Changes:
        """Everything new or changed since ``cursor`` (empty: since the beginning); ``progress``
        hears how many entries have been read after each page."""
        ...

    async def push(self, pushes: Pushes) -> None:
        """Send local flag changes."""
        ...
