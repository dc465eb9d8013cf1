"""Two machines of one user whose sync folders a real Syncthing pair carries (127.0.0.1 only).

Skips with the reason where Syncthing cannot run; fails instead under ``READER_REQUIRE_SERVERS=1``
(``.ci/run`` installs it first).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "servers")]

from running import running  # noqa: E402
from syncthing import SyncthingPair  # noqa: E402

from reader.domain.annotations.model import Annotation  # noqa: E402
from reader.domain.store.store import Store  # noqa: E402


@pytest.fixture
def syncthing() -> Iterator[SyncthingPair]:
    """Two Syncthing instances sharing one folder; both stopped at the end."""
    with running(SyncthingPair(), "Syncthing pair") as pair:
        yield pair


def listing(store: Store) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {a.id: (a.note, tuple(c.get("note", "(deleted)") for c in a.extra.get("conflicts", [])))
            for a in store.annotations()}


def test_notes_made_apart_and_together_end_the_same_on_both_machines(syncthing: SyncthingPair, tmp_path: Path) -> None:
    a = Store.open_synced(syncthing.a.folder, "laptop", tmp_path / "laptop" / "reader.json")
    b = Store.open_synced(syncthing.b.folder, "desktop", tmp_path / "desktop" / "reader.json")
    try:
        # connected: notes on both
        on_a = a.add(Annotation.new("art", note="made on a"))
        on_b = b.add(Annotation.new("art", note="made on b"))
        shared = a.add(Annotation.new("art", note="shared"))
        doomed_a = a.add(Annotation.new("art", note="a deletes me"))
        doomed_b = b.add(Annotation.new("art", note="b deletes me"))
        before = b.generation()
        syncthing.sync()
        assert b.generation() != before  # the running app notices
        assert listing(a) == listing(b) and len(listing(a)) == 5

        # apart: edits, new notes and deletions on both, the same note edited on both
        syncthing.pause()
        a.put(a.get(on_b.id).with_note("made on b, edited on a"))
        b.put(b.get(on_a.id).with_note("made on a, edited on b"))
        new_a = a.add(Annotation.new("art", note="new on a"))
        new_b = b.add(Annotation.new("art", note="new on b"))
        a.delete(doomed_a.id)
        b.delete(doomed_b.id)
        a.put(a.get(shared.id).with_note("shared, a's version"))
        b.put(b.get(shared.id).with_note("shared, b's version"))  # later: wins
        syncthing.rescan()  # while apart: nothing crosses
        assert new_b.id not in listing(a) and new_a.id not in listing(b)

        syncthing.resume()
        syncthing.sync()
        seen_a, seen_b = listing(a), listing(b)
        assert seen_a == seen_b
        assert seen_a == {
            on_a.id: ("made on a, edited on b", ()),
            on_b.id: ("made on b, edited on a", ()),
            new_a.id: ("new on a", ()),
            new_b.id: ("new on b", ()),
            shared.id: ("shared, b's version", ("shared, a's version",)),
        }
        assert not a.sync_storage().unreadable() and not b.sync_storage().unreadable()
        assert set(a.sync_storage().machines()) == {"laptop", "desktop"}
    finally:
        a.close()
        b.close()
