"""The store's tables for server accounts: the accounts, and what each synced entry was at the last sync.

``accounts`` holds one record per account, keyed by its URL (kind, user, folder, cursor, the
server's feeds; never a credential). ``account_entries`` holds, per entry, the article it became
and the read and starred flags both sides agreed on at the last sync (the *base*): a local flag
that differs from its base is a change still to be sent, so a change made while the server is
away waits here, in the store, with the same durability as a note. Every write goes through
:meth:`Store.transact`, one durable transaction each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reader.domain.store.store import Store, StoreError

ACCOUNTS = "accounts"
ENTRIES = "account_entries"
READING = "reading"
STARRED = "starred"
SUBSCRIPTIONS = "subscriptions"


def entry_key(account: str, entry: str) -> str:
    """The ``account_entries`` key of an account's entry."""
    return f"{account}#{entry}"


def local_flags(article: str, reading: Mapping[str, dict[str, Any]], starred: Mapping[str, dict[str, Any]]) -> tuple[bool, bool]:
    """(read, starred) of an article as the store has them; no record means unread, unstarred."""
    return bool(reading.get(article, {}).get("read")), bool(starred.get(article, {}).get("starred"))


@dataclass
class SyncCommit:
    """Everything one successful sync changes in the store, committed at once."""

    account: dict[str, Any]
    """Fields of the account record to update (cursor, feeds, last_sync, ...)."""
    puts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Entry id to its new record."""
    deletes: set[str] = field(default_factory=set)
    """Entry ids to forget."""
    marks: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    """Article id to the (read, starred) it should have locally."""
    seen: dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None]] = field(default_factory=dict)
    """Article id to its (reading, starred) records as the sync read them: a mark is written only
    where they are unchanged, so a change made during the sync is kept (and sent next time)."""
    links: dict[str, str | None] = field(default_factory=dict)
    """Subscription URL to the account that now brings its items (None: no longer)."""
    now: str = ""


class AccountTables:
    """Accounts and their entries in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def accounts(self) -> list[dict[str, Any]]:
        """Every account, in the order they were added."""
        return list(self.store.read_tables(ACCOUNTS)[ACCOUNTS].values())

    def account(self, url: str) -> dict[str, Any] | None:
        """The account with this URL, or ``None``."""
        return self.store.read_tables(ACCOUNTS)[ACCOUNTS].get(url)

    def add_account(self, record: dict[str, Any]) -> None:
        """Save a new account; ``StoreError`` if one with its URL exists."""
        url = record["url"]

        def plan(tables: dict[str, Any]) -> list[Any]:
            if url in tables.get(ACCOUNTS, {}):
                raise StoreError(f"There is already an account for {url}; remove it first.")
            return [(ACCOUNTS, url, dict(record))]

        self.store.transact(plan)

    def remove_account(self, url: str) -> int | None:
        """Forget an account, its entries' records and its links to subscriptions; the article files
        stay. Returns how many entries it had, or ``None`` when there was no such account."""
        found: list[int] = []

        def plan(tables: dict[str, Any]) -> list[Any]:
            if url not in tables.get(ACCOUNTS, {}):
                return []
            prefix = entry_key(url, "")
            ops: list[Any] = [(ACCOUNTS, url, None)]
            ops += [(ENTRIES, key, None) for key in tables.get(ENTRIES, {}) if key.startswith(prefix)]
            found.append(len(ops) - 1)
            for sub_url, sub in tables.get(SUBSCRIPTIONS, {}).items():
                if sub.get("account") == url:
                    ops.append((SUBSCRIPTIONS, sub_url, {**sub, "account": None}))
            return ops

        self.store.transact(plan)
        return found[0] if found else None

    def snapshot(self, url: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[dict[str, Any]]]:
        """At one moment: the account's entries (by entry id), the reading and starred tables, and
        the subscriptions."""
        tables = self.store.read_tables(ENTRIES, READING, STARRED, SUBSCRIPTIONS)
        prefix = entry_key(url, "")
        entries = {key[len(prefix):]: rec for key, rec in tables[ENTRIES].items() if key.startswith(prefix)}
        return entries, tables[READING], tables[STARRED], list(tables[SUBSCRIPTIONS].values())

    def pending(self, url: str) -> int:
        """How many entries have a local read or starred change not yet sent to the server."""
        entries, reading, starred, _ = self.snapshot(url)
        return sum(local_flags(rec["article"], reading, starred) != (rec["read"], rec["starred"])
                   for rec in entries.values())

    def categories(self) -> dict[str, str]:
        """Article id to the category of the feed its entry came from, for every synced entry whose
        feed has one (the sidebar groups them by it)."""
        tables = self.store.read_tables(ACCOUNTS, ENTRIES)
        found: dict[str, str] = {}
        for key, rec in tables[ENTRIES].items():
            account = tables[ACCOUNTS].get(key.rsplit("#", 1)[0]) or {}
            category = ((account.get("feeds") or {}).get(rec.get("feed")) or {}).get("category")
            if isinstance(category, str) and category:
                found[rec["article"]] = category
        return found

    def find_article(self, article: str) -> tuple[str, dict[str, Any]] | None:
        """(account URL, entry record) of the synced entry that is ``article``, if any."""
        for key, rec in self.store.read_tables(ENTRIES)[ENTRIES].items():
            if rec.get("article") == article:
                return key.rsplit("#", 1)[0], rec
        return None

    def commit(self, url: str, change: SyncCommit) -> None:
        """Apply one sync's outcome in one transaction; ``StoreError`` if the account went away."""

        def plan(tables: dict[str, Any]) -> list[Any]:
            account = tables.get(ACCOUNTS, {}).get(url)
            if account is None:
                raise StoreError(f"The account {url} was removed while it was syncing.")
            ops: list[Any] = [(ACCOUNTS, url, {**account, **change.account})]
            ops += [(ENTRIES, entry_key(url, entry), record) for entry, record in change.puts.items()]
            ops += [(ENTRIES, entry_key(url, entry), None) for entry in change.deletes if entry not in change.puts]
            ops += _mark_ops(tables, change)
            subs = tables.get(SUBSCRIPTIONS, {})
            for sub_url, owner in change.links.items():
                if sub_url in subs and subs[sub_url].get("account") != owner:
                    ops.append((SUBSCRIPTIONS, sub_url, {**subs[sub_url], "account": owner}))
            return ops

        self.store.transact(plan)


def _mark_ops(tables: dict[str, Any], change: SyncCommit) -> Iterable[tuple[Any, ...]]:
    """The reading and starred records that bring each article to its synced flags, skipping any
    article whose records changed since the sync read them."""
    reading, starred = tables.get(READING, {}), tables.get(STARRED, {})
    for article, (read, star) in change.marks.items():
        seen_reading, seen_starred = change.seen.get(article, (None, None))
        if reading.get(article) != seen_reading or starred.get(article) != seen_starred:
            continue
        old = reading.get(article, {})
        if bool(old.get("read")) != read:
            yield READING, article, {"anchor": None, **old, "article": article, "read": read, "changed": change.now}
        if bool(starred.get(article, {}).get("starred")) != star:
            yield STARRED, article, {"article": article, "starred": star, "changed": change.now}
