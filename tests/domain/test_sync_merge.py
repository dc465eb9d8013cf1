"""The sync folder's merge: machines that each write their own files and read everyone's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_world import Machine, wipe  # noqa: E402

from reader.domain.annotations.model import Annotation  # noqa: E402
from reader.domain.store.store import Store  # noqa: E402


def notes(machine: Machine) -> dict[str, tuple[str, list[str]]]:
    """id -> (note, the texts of its conflicts) as the machine sees them."""
    return {a.id: (a.note, [c.get("note", "(deleted)") for c in a.extra.get("conflicts", [])])
            for a in machine.store.annotations()}


@pytest.fixture
def pair(tmp_path: Path):
    a, b = Machine(tmp_path, "a"), Machine(tmp_path, "b")
    yield a, b
    a.close()
    b.close()


def test_a_note_made_on_one_machine_appears_on_the_other(pair) -> None:
    a, b = pair
    made = a.store.add(Annotation.new("art", note="from a"))
    before = b.store.generation()
    a.push(b)
    assert b.store.generation() != before
    assert notes(b) == {made.id: ("from a", [])}


def test_an_edit_made_after_seeing_the_other_is_no_conflict(pair) -> None:
    a, b = pair
    made = a.store.add(Annotation.new("art", note="one"))
    a.push(b)
    b.store.put(b.store.get(made.id).with_note("two"))
    b.push(a)
    assert notes(a) == notes(b) == {made.id: ("two", [])}


def test_the_same_note_edited_on_both_while_apart_keeps_both_texts(pair) -> None:
    a, b = pair
    made = a.store.add(Annotation.new("art", note="base"))
    a.push(b)
    a.store.put(a.store.get(made.id).with_note("edited on a"))
    b.store.put(b.store.get(made.id).with_note("edited on b"))  # later: wins
    a.push(b)
    b.push(a)
    assert notes(a) == notes(b) == {made.id: ("edited on b", ["edited on a"])}
    # editing the winner keeps the other text visible; the conflict stays until cleared
    a.store.put(a.store.get(made.id).with_note("merged by hand"))
    a.push(b)
    assert notes(b) == {made.id: ("merged by hand", ["edited on a"])}


def test_an_edit_beats_a_deletion_made_while_apart(pair) -> None:
    a, b = pair
    made = a.store.add(Annotation.new("art", note="keep me"))
    a.push(b)
    b.store.put(b.store.get(made.id).with_note("edited on b"))
    a.store.delete(made.id)  # later, but a never saw b's edit
    a.push(b)
    b.push(a)
    assert notes(a) == notes(b)
    assert notes(a)[made.id][0] == "edited on b"


def test_a_deletion_after_seeing_the_note_deletes_it(pair) -> None:
    a, b = pair
    made = a.store.add(Annotation.new("art", note="x"))
    a.push(b)
    b.store.delete(made.id)
    b.push(a)
    assert notes(a) == notes(b) == {}


def test_conflict_copies_and_old_copies_lose_nothing_and_apply_nothing_twice(pair) -> None:
    a, b = pair
    first = a.store.add(Annotation.new("art", note="v1"))
    old = a.own_files()
    a.push(b)
    a.store.put(a.store.get(first.id).with_note("v2"))
    a.push(b)
    assert notes(b) == {first.id: ("v2", [])}  # b has read the newer file
    # an old copy of a's journal as a Syncthing conflict copy, then the old file itself again
    b.deliver("a", "reader.json.sync-conflict-20240101-120000-ABCDEFG.journal", old["reader.json.journal"])
    b.deliver("a", "reader (conflicted copy).json", old["reader.json"])
    b.deliver("a", "reader.json.journal", old["reader.json.journal"])
    assert notes(b) == {first.id: ("v2", [])}
    assert len(b.store.annotations()) == 1


def test_settings_reading_state_and_subscriptions_follow_the_user(pair) -> None:
    a, b = pair
    a.store.set_setting("theme", "nord")
    a.store.set_reading_state("art", anchor={"block": 3})
    a.store.put_subscription({"url": "https://example.org/feed"})
    a.push(b)
    assert b.store.setting("theme") == "nord"
    assert b.store.read_articles() == {"art"}
    assert [s["url"] for s in b.store.subscriptions()] == ["https://example.org/feed"]


def test_a_torn_file_from_a_machine_killed_mid_write_costs_only_the_unfinished_write(pair) -> None:
    a, b = pair
    kept = a.store.add(Annotation.new("art", note="saved"))
    a.store.add(Annotation.new("art", note="never acknowledged"))
    files = a.own_files()
    journal = files["reader.json.journal"]
    cut = journal[: journal.rindex(b"\n", 0, len(journal) - 1) + 1 + 20]  # the last line torn
    b.deliver("a", "reader.json", files["reader.json"])
    b.deliver("a", "reader.json.journal", cut)
    assert notes(b) == {kept.id: ("saved", [])}
    assert any("unfinished" in u.reason for u in b.store.sync_storage().unreadable())
    b.deliver("a", "reader.json", b'{"annotations": {"x": ')  # a snapshot half synced
    assert notes(b) == {kept.id: ("saved", [])}  # what was read stays
    assert any(u.path.name == "reader.json" for u in b.store.sync_storage().unreadable())
    a.push(b)
    assert len(notes(b)) == 2 and not b.store.sync_storage().unreadable()


def test_the_local_notes_file_seeds_the_first_synced_open(tmp_path: Path) -> None:
    local = tmp_path / "a" / "data" / "reader.json"
    with Store.open(local) as plain:
        made = plain.add(Annotation.new("art", note="from before sync"))
    a = Machine(tmp_path, "a")
    try:
        assert notes(a) == {made.id: ("from before sync", [])}
        a.reopen()
        assert len(a.store.annotations()) == 1
    finally:
        a.close()


def test_a_machines_files_are_its_own_and_hold_no_lock(pair) -> None:
    a, b = pair
    a.store.add(Annotation.new("art", note="x"))
    a.push(b)
    assert sorted(p.name for p in (a.sync_dir / "machines").iterdir()) == ["a"]
    assert not list(a.sync_dir.rglob("*.lock"))
    for line in (a.sync_dir / "machines" / "a" / "reader.json.journal").read_bytes().splitlines():
        for table, _, record in json.loads(line[9:])["ops"]:
            assert table.startswith("_") or record["_v"]["m"] == "a"


# -- the property: any interleaving and duplication of the files gives the same result ----------

KEYS = ["k0", "k1", "k2"]
step = st.one_of(
    st.tuples(st.just("write"), st.sampled_from("abc"), st.sampled_from(KEYS), st.text("xyz", max_size=3)),
    st.tuples(st.just("delete"), st.sampled_from("abc"), st.sampled_from(KEYS)),
    st.tuples(st.just("push"), st.sampled_from("abc"), st.sampled_from("abc")),
    st.tuples(st.just("compact"), st.sampled_from("abc")),
)


def _view(machine: Machine) -> dict:
    return {a.id: (a.note, sorted((c.get("machine"), c.get("note")) for c in a.extra.get("conflicts", [])))
            for a in machine.store.annotations()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=14), order=st.randoms(use_true_random=False))
def test_any_order_and_duplication_of_the_files_gives_the_same_merge(tmp_path_factory, steps, order) -> None:
    root = tmp_path_factory.mktemp("world")
    machines = {name: Machine(root, name) for name in "abc"}
    history: list[tuple[str, str, bytes]] = []  # every version of every file a machine wrote
    try:
        for action, who, *rest in steps:
            m = machines[who]
            if action == "write":
                key, text = rest
                record = Annotation(id=key, article="art", note=text).to_record()
                m.store.transact(lambda tables, r=record, k=key: [("annotations", k, {**tables.get("annotations", {}).get(k, {}), **r})])
            elif action == "delete":
                m.store.transact(lambda tables, k=rest[0]: [("annotations", k, None)] if k in tables.get("annotations", {}) else [])
            elif action == "push" and rest[0] != who:
                m.push(machines[rest[0]])
            elif action == "compact":
                m.store._storage.compact()
            history += [(who, name, data) for name, data in m.own_files().items()]
        final = [(name, f, d) for name, m in machines.items() for f, d in m.own_files().items()]
        reference = Machine(root, "ref")
        for who, name, data in final:
            reference.deliver(who, name, data)
        expected = _view(reference)
        reference.close()

        reader = Machine(root, "reader")
        deliveries = history + final + order.sample(history, k=min(len(history), 5))
        order.shuffle(deliveries)
        for i, (who, name, data) in enumerate(deliveries):
            copy = name if i % 3 else name.replace("reader", "reader.sync-conflict-%d" % i, 1)
            reader.deliver(who, copy, data)
            reader.store.annotations()  # the running app reads after each file arrives
        assert _view(reader) == expected
        reader.close()
    finally:
        for m in machines.values():
            m.close()
        wipe(root)


def test_the_days_backup_stays_on_the_machine_not_in_the_sync_folder(pair) -> None:
    a, _ = pair
    a.store.add(Annotation.new("art", note="the day's first write makes a backup"))
    in_sync = sorted(str(p.relative_to(a.sync_dir)) for p in a.sync_dir.rglob("*") if p.is_file())
    assert in_sync == ["machines/a/reader.json", "machines/a/reader.json.journal"]
    kept = [p for p in a.local.parent.rglob("*") if p.is_file() and "backups" in p.parts]
    assert kept, "no backup was made on the machine"


def test_copies_a_machine_kept_aside_of_its_damaged_files_are_not_read_as_versions(pair) -> None:
    a, b = pair
    for n in range(3):
        a.store.add(Annotation.new("art", note=f"note {n}"))
    a.close()
    journal = a.sync_dir / "machines" / "a" / "reader.json.journal"
    data = journal.read_bytes()
    journal.write_bytes(data[:40] + b"####" + data[44:] + b'0badf00d {"ops":[["annotations","torn')
    a.reopen()  # keeps the damaged journal and the torn write aside, beside its files
    assert len(a.store.annotations()) == 2
    aside = [p.name for p in (a.sync_dir / "machines" / "a").iterdir() if ".corrupt-" in p.name or ".torn-" in p.name]
    assert len(aside) == 2
    a.push(b)
    assert notes(b) == notes(a)
    assert b.store.sync_storage().unreadable() == []
