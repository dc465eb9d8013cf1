"""Starred and read flags in the store, and the account tables a sync commits to."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.domain.store.account_tables import AccountTables, SyncCommit
from reader.domain.store.store import Store, StoreError


def test_read_and_starred_flags_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    with Store.open(path) as store:
        store.set_starred("a1", True)
        store.set_read("a2", True)
        store.set_reading_state("a3", read=True, anchor={"block": 2})
        store.set_read("a3", False)
    with Store.open(path) as store:
        assert store.starred_articles() == {"a1"} and store.read_articles() == {"a2"}
        assert store.reading_state("a3")["anchor"] == {"block": 2}
        store.set_starred("a1", False)
        assert store.starred_articles() == set()


def test_opening_a_read_article_again_keeps_the_time_it_became_read(tmp_path: Path) -> None:
    with Store.open(tmp_path / "reader.json") as store:
        store.set_reading_state("a1", read=True)
        first = store.reading_state("a1")
        store.set_reading_state("a1", read=True)
        again = store.reading_state("a1")
        assert again["changed"] == first["changed"] and again["opened"] >= first["opened"]


def _account(store: Store) -> AccountTables:
    tables = AccountTables(store)
    tables.add_account({"url": "http://127.0.0.1:1", "kind": "miniflux", "folder": "mf"})
    return tables


def test_a_change_made_during_a_sync_is_kept_and_still_waits(tmp_path: Path) -> None:
    with Store.open(tmp_path / "reader.json") as store:
        tables = _account(store)
        url = "http://127.0.0.1:1"
        record = {"article": "art1", "file": "mf/f/x-1.md", "feed": "1", "read": False, "starred": False, "changed": 1.0}
        tables.commit(url, SyncCommit(account={}, puts={"1": record}))
        entries, reading, starred, _ = tables.snapshot(url)
        assert tables.pending(url) == 0
        store.set_read("art1", True)  # the user reads it while the sync talks to the server
        change = SyncCommit(account={"cursor": {"changed_after": 5}}, now="2024-01-01T00:00:00Z",
                            puts={"1": {**record, "starred": True}}, marks={"art1": (False, True)},
                            seen={"art1": (reading.get("art1"), starred.get("art1"))})
        tables.commit(url, change)
        assert store.read_articles() == {"art1"} and store.starred_articles() == set()
        assert tables.pending(url) == 1
        assert tables.account(url)["cursor"] == {"changed_after": 5}


def test_removing_an_account_forgets_its_entries_and_frees_its_subscriptions(tmp_path: Path) -> None:
    with Store.open(tmp_path / "reader.json") as store:
        tables = _account(store)
        url = "http://127.0.0.1:1"
        store.put_subscription({"url": "http://127.0.0.1:2/feed.xml"})
        record = {"article": "art1", "file": "mf/f/x-1.md", "feed": "1", "read": False, "starred": False}
        tables.commit(url, SyncCommit(account={}, puts={"1": record}, links={"http://127.0.0.1:2/feed.xml": url}))
        assert store.subscriptions()[0]["account"] == url and tables.find_article("art1") == (url, record)
        assert tables.remove_account(url) == 1
        assert tables.accounts() == [] and tables.find_article("art1") is None
        assert store.subscriptions()[0]["account"] is None
        assert tables.remove_account(url) is None
        with pytest.raises(StoreError):
            tables.commit(url, SyncCommit(account={}))
