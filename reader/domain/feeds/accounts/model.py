"""What a server account says, read into plain values the same way from Miniflux and Google Reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

__all__ = ["KINDS", "AccountError", "Flags", "RemoteEntry", "RemoteFeed", "epoch", "iso_utc"]

KINDS = ("miniflux", "greader")
"""The account kinds: Miniflux's own API (``/v1``) and the Google Reader API."""


class AccountError(Exception):
    """A sync or a sign-in that cannot go on; ``str(error)`` is one sentence, never with a secret."""


@dataclass(frozen=True)
class Flags:
    """An entry's read and starred flags."""

    read: bool
    starred: bool


@dataclass(frozen=True)
class RemoteFeed:
    """A feed the account follows, with its category's title."""

    id: str
    title: str
    url: str
    category: str = ""


@dataclass(frozen=True)
class RemoteEntry:
    """One entry as the server has it now; ``changed`` is when its state last changed (epoch seconds)."""

    id: str
    feed: str
    title: str
    url: str
    flags: Flags
    changed: float
    author: str = ""
    published: str = ""
    """ISO 8601 in UTC, or ''."""
    html: str = ""
    removed: bool = False
    """The server dropped it (Miniflux's status "removed")."""


def epoch(text: str | None) -> float:
    """Seconds since the epoch of an ISO 8601 time (any offset, up to nanoseconds); 0 for none."""
    if not text:
        return 0.0
    value = text.strip().replace("Z", "+00:00")
    if "." in value:  # Python reads at most six fractional digits
        head, _, rest = value.partition(".")
        digits = len(rest) - len(rest.lstrip("0123456789"))
        value = f"{head}.{rest[:min(digits, 6)]}{rest[digits:]}"
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return 0.0
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.timestamp()


def iso_utc(seconds: float) -> str:
    """Epoch seconds as ISO 8601 in UTC to the second (as feed items carry dates), '' for 0."""
    if seconds <= 0:
        return ""
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat()
