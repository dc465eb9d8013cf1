"""Whose read and starred flags win, per entry: the three-way merge at the heart of a sync.

For each flag, the *base* is what both sides agreed on at the last sync. A side that still has
the base value did not change it. When only one side changed it, that side's value is taken;
when the server changed the entry after the base and the values differ, the later change wins:
the server's ``changed_at`` against the local time of the change. An entry the server never gave
before (no base) has only the second rule. Miniflux keeps one ``changed_at`` per entry, not per
flag, so a server change to one flag counts as later for both.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.domain.feeds.accounts.model import Flags

__all__ = ["Local", "Outcome", "merge"]


@dataclass(frozen=True)
class Local:
    """The local flags of an entry's article and when each last changed (epoch seconds)."""

    read: bool
    starred: bool
    read_at: float = 0.0
    starred_at: float = 0.0


@dataclass(frozen=True)
class Outcome:
    """The flags both sides should have after the sync, and which of them the server needs."""

    flags: Flags
    push_read: bool = False
    push_starred: bool = False


def _flag(base: bool | None, base_changed: float, local: bool, local_at: float, server: bool,
          server_changed: float) -> tuple[bool, bool]:
    """(value, push) for one flag."""
    if local == server or (base is not None and local == base):
        return server, False
    if base is not None and server_changed <= base_changed:
        return local, True  # only we changed it
    if server_changed > local_at:
        return server, False  # both changed it; the server's change is later
    return local, True


def merge(base: Flags | None, base_changed: float, server: Flags, server_changed: float, local: Local) -> Outcome:
    """The outcome for one entry (see the module's docstring)."""
    read, push_read = _flag(base.read if base else None, base_changed, local.read, local.read_at,
                            server.read, server_changed)
    starred, push_starred = _flag(base.starred if base else None, base_changed, local.starred, local.starred_at,
                                  server.starred, server_changed)
    return Outcome(Flags(read, starred), push_read, push_starred)
