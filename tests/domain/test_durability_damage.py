"""The store under crashes while it recovers from damage (issue 10): at every fsync and replace
of keeping the damaged bytes aside, of rewriting the store without them and of acknowledging
the damage, nothing intact is lost, the copies are kept once, and the damage is still told; on
both layouts of the store's files (a local notes file, a machine's files in a sync folder)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest
from store_layouts import Layout, layout  # noqa: F401  (the fixture)
from test_durability import State, acknowledged, die_at_sync, finish, fork, make_script, model, perform, setting_keys, temp_files

from reader.domain.store import recovery as store_recovery
from reader.domain.annotations.model import Annotation
from reader.domain.store.storage import journal_path

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

# -- crash while recovering from damage, and while acknowledging it -----------------------------

DAMAGE_SCRIPT = make_script(61, 24, "g")
DAMAGED_LINE = 11
TORN = b'0badf00d {"ops":[["annotations","torn",{"id":"to'


def damaged_store(layout: Layout, path: Path, snapshot_too: bool) -> tuple[State, bytes, bytes]:
    """A store on which ``DAMAGE_SCRIPT`` ran, then one journal line got four bytes changed and a
    torn write was left at its end (and, if ``snapshot_too``, the snapshot lost its last bytes
    after a backup of it was taken). Returns (the state the intact lines give, the damaged
    journal, the damaged snapshot or b"")."""
    with layout.open(path) as store:
        if snapshot_too:
            store.add(Annotation(id="in-backup", article="art-p", note="from the backup", created="t0"))
            store._storage.compact()
            shutil.rmtree(layout.backups(path))  # only the backup taken here
            store_recovery.make_backup(path, path.read_bytes(), b"", folder=layout.backups(path))
        for op in DAMAGE_SCRIPT:
            perform(store, op)
    journal = journal_path(path).read_bytes()
    lines = journal.splitlines(keepends=True)
    assert len(lines) == len(DAMAGE_SCRIPT)
    middle = sum(map(len, lines[:DAMAGED_LINE])) + len(lines[DAMAGED_LINE]) // 2
    journal = journal[:middle] + b"####" + journal[middle + 4 :] + TORN
    journal_path(path).write_bytes(journal)
    start: State = {}
    snapshot = b""
    if snapshot_too:
        start = {("a", "in-backup"): "from the backup"}
        snapshot = path.read_bytes()[:-30]
        path.write_bytes(snapshot)
    return model(start, DAMAGE_SCRIPT[:DAMAGED_LINE] + DAMAGE_SCRIPT[DAMAGED_LINE + 1 :]), journal, snapshot


def recovery_child(layout: Layout, path: Path, crash_at: int, after: bool) -> Callable[[int], None]:
    """A child that opens the damaged store, acknowledges the damage, and dies at its
    ``crash_at``-th fsync/replace (0: never); it reports ``opened`` and ``acknowledged``."""

    def body(pipe: int) -> None:
        calls = die_at_sync(crash_at, after)
        store = layout.open(path)
        os.write(pipe, b"opened\n")
        store.acknowledge_damage()
        os.write(pipe, b"acknowledged\n")
        os.write(pipe, f"calls={calls()}\n".encode())

    return body


def copies(folder: Path, kind: str) -> list[bytes]:
    """The bytes of every copy kept aside in ``folder`` whose name holds ``kind``."""
    return [p.read_bytes() for p in sorted(folder.iterdir()) if kind in p.name and ".tmp-" not in p.name]


@pytest.mark.parametrize("snapshot_too", [False, True], ids=["journal", "journal-and-snapshot"])
def test_a_crash_at_any_fsync_or_replace_while_recovering_or_acknowledging_loses_nothing(
    tmp_path: Path, snapshot_too: bool, layout: Layout
) -> None:
    keys = setting_keys(DAMAGE_SCRIPT)
    probe = layout.file(tmp_path / "probe")
    expected, _, _ = damaged_store(layout, probe, snapshot_too)
    status, lines = finish(*fork(recovery_child(layout, probe, 0, False)))
    assert status == 0 and lines[:2] == ["opened", "acknowledged"]
    total = int(lines[-1].split("=")[1])
    assert total >= 6  # the copies aside, the snapshot and journal rewrite, the acknowledgement
    for crash_at in range(1, total + 1):
        for after in (False, True):
            path = layout.file(tmp_path / f"k{crash_at}{'a' if after else 'b'}")
            expected, journal, snapshot = damaged_store(layout, path, snapshot_too)
            status, lines = finish(*fork(recovery_child(layout, path, crash_at, after)))
            assert os.waitstatus_to_exitcode(status) == 99
            where = (crash_at, after, lines)
            with layout.open(path) as store:
                state: State = {("a", a.id): a.note for a in store.annotations()}
                state |= {("s", k): store.setting(k) for k in keys if store.setting(k) is not None}
                assert state == expected, where
                damage = {d.kind: d for d in store.damage()}
                if "acknowledged" in lines:
                    assert store.messages == [], where
                else:
                    assert any("journal was damaged" in m for m in store.messages) or damage["journal"].acknowledged, where
                assert sum("incomplete" in m for m in store.messages) <= 1, where
            assert set(damage) == ({"journal", "torn", "snapshot"} if snapshot_too else {"journal", "torn"}), where
            assert copies(path.parent, ".journal.corrupt-") == [journal], where
            assert copies(path.parent, ".journal.torn-") == [TORN], where
            assert copies(path.parent, "reader.json.corrupt-") == ([snapshot] if snapshot_too else []), where
            assert temp_files(path.parent, layout.backups(path)) == [], where
            with layout.open(path) as store:
                assert not any("incomplete" in m for m in store.messages), where  # told once at most


def torn_writer_child(layout: Layout, path: Path, crash_at: int, after: bool) -> Callable[[int], None]:
    """A child that has the store open when another process leaves a torn write, then saves
    one more annotation and dies at its ``crash_at``-th fsync/replace (0: never)."""

    def body(pipe: int) -> None:
        store = layout.open(path)
        store.annotations()
        with open(journal_path(path), "ab") as stream:
            stream.write(TORN)
        calls = die_at_sync(crash_at, after)
        perform(store, ("add", "after-torn", "saved after the torn write"))
        os.write(pipe, b"0\n")
        os.write(pipe, f"calls={calls()}\n".encode())

    return body


def test_a_crash_while_keeping_a_torn_write_aside_loses_neither_it_nor_the_next_save(tmp_path: Path, layout: Layout) -> None:
    def fresh(path: Path) -> State:
        with layout.open(path) as store:
            for op in DAMAGE_SCRIPT[:6]:
                perform(store, op)
        return model({}, DAMAGE_SCRIPT[:6])

    probe = layout.file(tmp_path / "probe")
    fresh(probe)
    status, lines = finish(*fork(torn_writer_child(layout, probe, 0, False)))
    assert status == 0
    total = int(lines[-1].split("=")[1])
    assert total >= 4  # the copy aside (file, rename, folder) and the append
    for crash_at in range(1, total + 1):
        for after in (False, True):
            path = layout.file(tmp_path / f"k{crash_at}{'a' if after else 'b'}")
            start = fresh(path)
            status, lines = finish(*fork(torn_writer_child(layout, path, crash_at, after)))
            assert os.waitstatus_to_exitcode(status) == 99
            with layout.open(path) as store:
                state: State = {("a", a.id): a.note for a in store.annotations()}
                told = [m for m in store.messages if "incomplete" in m]
            assert state in (start, model(start, [("add", "after-torn", "saved after the torn write")])), (crash_at, after)
            assert state != start or acknowledged(lines) == 0, (crash_at, after)
            assert len(told) == 1, (crash_at, after, store.messages)
            assert copies(path.parent, ".journal.torn-") == [TORN], (crash_at, after)
            assert temp_files(path.parent, layout.backups(path)) == [], (crash_at, after)
            with layout.open(path) as store:
                assert store.messages == [], (crash_at, after)
