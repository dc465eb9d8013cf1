"""Damage to the journal (issue 10): a bad line costs only its own changes, the damaged bytes are
kept aside, and every process that opens the store says so until the damage is acknowledged."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.domain.store import database as store_database
from reader.domain.annotations.model import Annotation
from reader.domain.store.storage import apply_ops, encode_line, journal_path, parse_journal
from reader.domain.store.store import Store


def made(n: int) -> Annotation:
    """The ``n``-th annotation of a test store."""
    return Annotation(id=f"note-{n:02d}", article="a1", note=f"note {n}", created=f"2026-01-01T00:00:{n:02d}Z")


def lines_of(data: bytes) -> list[bytes]:
    """The journal's lines, each with its newline."""
    return data.splitlines(keepends=True)


def damage_line(path: Path, index: int, count: int = 4) -> tuple[bytes, int]:
    """Change ``count`` bytes in the middle of journal line ``index``; returns (new bytes, offset of the line)."""
    data = journal_path(path).read_bytes()
    lines = lines_of(data)
    offset = sum(len(line) for line in lines[:index])
    middle = offset + len(lines[index]) // 2
    damaged = data[:middle] + b"#" * count + data[middle + count :]
    journal_path(path).write_bytes(damaged)
    return damaged, offset


def eleven(path: Path) -> list[Annotation]:
    """A store with eleven annotations, one journal line each."""
    with Store.open(path) as store:
        notes = [store.add(made(n)) for n in range(11)]
    assert len(lines_of(journal_path(path).read_bytes())) == 11
    return notes


def kept_aside(path: Path, kind: str) -> list[Path]:
    """The copies kept aside next to the store whose names hold ``kind``."""
    return sorted(p for p in path.parent.iterdir() if kind in p.name and ".tmp-" not in p.name)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reader.json"


def test_a_damaged_line_costs_only_its_own_changes(path: Path) -> None:
    notes = eleven(path)
    damaged, offset = damage_line(path, 5)
    with Store.open(path) as store:
        assert {a.id for a in store.annotations()} == {a.id for a in notes} - {notes[5].id}
        assert len(store.messages) == 1
        message = store.messages[0]
    copies = kept_aside(path, ".journal.corrupt-")
    assert len(copies) == 1 and copies[0].read_bytes() == damaged
    assert str(copies[0]) in message and f"byte {offset}" in message and "1 line" in message
    assert "5 changes saved after the damage were kept" in message


def test_every_open_says_so_until_the_damage_is_acknowledged(path: Path) -> None:
    eleven(path)
    damage_line(path, 5)
    with Store.open(path) as store:
        first = store.messages
    for _ in range(2):
        with Store.open(path) as store:
            assert store.messages == first
            assert [d.kind for d in store.damage() if not d.acknowledged] == ["journal"]
    with Store.open(path) as store:
        assert store.acknowledge_damage() == 1
        assert store.acknowledge_damage() == 0
    with Store.open(path) as store:
        assert store.messages == []
        (found,) = store.damage()
        assert found.acknowledged and found.aside.exists() and not found.blocking
        assert len(store.annotations()) == 10
    assert len(kept_aside(path, ".journal.corrupt-")) == 1


def test_the_unacknowledged_damage_survives_compaction_and_other_writers(path: Path, monkeypatch) -> None:
    eleven(path)
    damage_line(path, 2)
    with Store.open(path) as store:
        message = store.messages[0]
    monkeypatch.setattr(store_database, "COMPACT_MIN_BYTES", 0)
    with Store.open(path) as store, Store.open(path) as other:
        for n in range(20, 40):
            (store if n % 2 else other).add(made(n))  # the journal is folded into the snapshot on the way
        assert b"note-20" in path.read_bytes()
    with Store.open(path) as store:
        assert store.messages == [message] and len(store.annotations()) == 30


def test_a_damaged_newline_loses_no_line(path: Path) -> None:
    notes = eleven(path)
    data = journal_path(path).read_bytes()
    newline = data.index(b"\n", data.index(b"\n") + 1)  # the end of the second line
    journal_path(path).write_bytes(data[:newline] + b"#" + data[newline + 1 :])
    with Store.open(path) as store:
        assert {a.id for a in store.annotations()} == {a.id for a in notes}
        assert f"byte {newline}" in store.messages[0]


def test_a_damaged_last_line_is_damage_not_a_torn_write(path: Path) -> None:
    notes = eleven(path)
    damage_line(path, 10)
    with Store.open(path) as store:
        assert {a.id for a in store.annotations()} == {a.id for a in notes[:10]}
        assert [d.blocking for d in store.damage()] == [True]


def test_a_torn_tail_is_kept_aside_and_told_once(path: Path) -> None:
    notes = eleven(path)
    line = encode_line([("annotations", "x", made(30).to_record())])
    with open(journal_path(path), "ab") as stream:
        stream.write(line[:40])
    size = len(journal_path(path).read_bytes()) - 40
    with Store.open(path) as store:
        assert {a.id for a in store.annotations()} == {a.id for a in notes}
        (message,) = store.messages
        assert "incomplete" in message and f"byte {size}" in message and "40 bytes" in message
    (copy,) = kept_aside(path, ".journal.torn-")
    assert copy.read_bytes() == line[:40] and str(copy) in message
    with Store.open(path) as store:
        assert store.messages == []
        (found,) = store.damage()
        assert found.kind == "torn" and not found.blocking and found.aside == copy


def test_a_torn_tail_found_by_a_running_writer_is_kept_and_told_by_the_next_open(path: Path) -> None:
    eleven(path)
    line = encode_line([("annotations", "x", made(30).to_record())])
    with Store.open(path) as running:
        with open(journal_path(path), "ab") as stream:  # another process died mid-append
            stream.write(line[:25])
        running.add(made(31))
    (copy,) = kept_aside(path, ".journal.torn-")
    assert copy.read_bytes() == line[:25]
    with Store.open(path) as store:
        assert len(store.messages) == 1 and "incomplete" in store.messages[0]
        assert store.get("note-31") is not None
    with Store.open(path) as store:
        assert store.messages == []


def test_a_damaged_snapshot_is_told_until_acknowledged(path: Path) -> None:
    eleven(path)
    with Store.open(path) as store:
        store._storage.write(store._storage.tables)  # everything in the snapshot
    path.write_bytes(path.read_bytes()[:-20])
    with Store.open(path) as store:
        first = store.messages
        assert "damaged" in first[0]
    with Store.open(path) as store:
        assert store.messages == first
        assert store.acknowledge_damage() == 1
    with Store.open(path) as store:
        assert store.messages == []


# -- the property ------------------------------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "c", "d", "e"])
OPS = st.lists(
    st.tuples(st.sampled_from(["annotations", "settings"]), KEYS, st.one_of(st.none(), st.integers(0, 9))),
    min_size=1,
    max_size=3,
)


def as_ops(raw: list[tuple[str, str, int | None]]) -> list[tuple[str, str, dict | None]]:
    """Journal ops from drawn (table, key, value) triples."""
    return [(t, k, None if v is None else {"key": k, "value": v, "pad": "p" * v}) for t, k, v in raw]


def replayed(batches: list[list]) -> dict:
    """The tables ``batches`` build from nothing."""
    tables: dict = {}
    for ops in batches:
        apply_ops(tables, ops)
    return tables


@st.composite
def damaged_journals(draw: st.DrawFn) -> tuple[list[list], bytes, set[int]]:
    """(every transaction, the damaged journal's bytes, the indices of the lines left intact).

    Each damaged line has one to four bytes changed anywhere in it, its newline included; the
    last line is always intact (the damage is in the middle). A line is intact when its own
    bytes are: a damaged newline after it costs no change, it only hides where the line ends."""
    batches = [as_ops(draw(OPS)) for _ in range(draw(st.integers(2, 12)))]
    lines = [encode_line(ops) for ops in batches]
    hit = draw(st.sets(st.integers(0, len(lines) - 2), min_size=1, max_size=len(lines) - 1))
    for index in hit:
        line = bytearray(lines[index])
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(line) - 1))
            line[at] = draw(st.integers(0, 255).filter(lambda b, old=line[at]: b != old))
        lines[index] = bytes(line)
    intact = {i for i in range(len(lines)) if lines[i][:-1] == encode_line(batches[i])[:-1]}
    return batches, b"".join(lines), intact


@settings(max_examples=300, deadline=None)
@given(damaged_journals())
def test_every_intact_line_is_applied_in_order(case: tuple[list[list], bytes, set[int]]) -> None:
    batches, data, intact = case
    scan = parse_journal(data)
    assert replayed(scan.batches) == replayed([batches[i] for i in sorted(intact)])
    assert scan.torn is None
    assert bool(scan.damaged) == (data != b"".join(map(encode_line, batches)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged_journals())
def test_a_store_with_damaged_lines_holds_exactly_the_intact_ones(tmp_path: Path, case: tuple[list[list], bytes, set[int]]) -> None:
    batches, data, intact = case
    path = tmp_path / uuid.uuid4().hex / "reader.json"
    with Store.open(path):
        pass
    journal_path(path).write_bytes(data)
    expected = replayed([batches[i] for i in sorted(intact)])
    with Store.open(path) as store:
        for table in ("annotations", "settings"):
            assert store._storage.tables.get(table, {}) == expected.get(table, {})
        assert bool(store.messages) == (data != b"".join(map(encode_line, batches)))
