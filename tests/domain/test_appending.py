"""Adding an annotation without loading the store (``appending``): what it writes is what
``Store.add`` would have, every other process sees it, and whatever needs the full open's care
makes it step aside without writing a byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.annotations.model import Annotation
from reader.domain.store import appending, damage, recovery
from reader.domain.store.snapshot import encode_snapshot
from reader.domain.store.storage import journal_path
from reader.domain.store.store import Store, StoreError


def made(path: Path, count: int = 30) -> Path:
    """A compacted store of ``count`` annotations (with a daily backup taken) and one journal line."""
    with Store.open(path) as store:
        store.import_annotations(Annotation.new(f"art-{n % 7}", note=f"note {n}") for n in range(count))
        store._storage.compact()
        store.set_setting("theme", "reader-dark")
    return path


def files(path: Path) -> tuple[bytes, bytes]:
    return path.read_bytes(), journal_path(path).read_bytes()


def test_the_annotation_added_is_the_one_store_add_writes(tmp_path: Path) -> None:
    path = made(tmp_path / "reader.json")
    new = Annotation.new("art-1", title="A title", note="quick note")
    assert appending.append_annotation(path, new)
    with Store.open(path) as store:
        assert store.get(new.id) == new
        assert len(store.annotations()) == 31
        assert [a.id for a in store.annotations("art-1")].count(new.id) == 1
        assert store.setting("theme") == "reader-dark"


def test_a_store_already_open_in_another_process_sees_it(tmp_path: Path) -> None:
    path = made(tmp_path / "reader.json")
    with Store.open(path) as running:
        before = len(running.annotations("art-2"))
        new = Annotation.new("art-2", note="from the command line")
        assert appending.append_annotation(path, new)
        assert running.get(new.id) == new
        assert len(running.annotations("art-2")) == before + 1
        running.add(Annotation.new("art-2", note="and one from the app"))  # appends after it
    with Store.open(path) as store:
        assert len(store.annotations("art-2")) == before + 2


def test_an_id_in_the_snapshot_or_the_journal_is_refused_and_one_deleted_is_not(tmp_path: Path) -> None:
    path = made(tmp_path / "reader.json")
    with Store.open(path) as store:
        in_snapshot = store.annotations()[-1]
        in_journal = store.add(Annotation.new("art-3", note="journal only"))
        gone = store.annotations()[-2]
        store.delete(gone.id)
    for existing in (in_snapshot, in_journal):
        before = files(path)
        with pytest.raises(StoreError, match="already exists"):
            appending.append_annotation(path, existing)
        assert files(path) == before
    assert appending.append_annotation(path, gone)
    with Store.open(path) as store:
        assert store.get(gone.id) == gone


def test_a_new_days_first_write_makes_the_days_backup(tmp_path: Path, monkeypatch) -> None:
    path = made(tmp_path / "reader.json")
    tomorrow = recovery.clock().replace(year=recovery.clock().year + 1)
    monkeypatch.setattr(recovery, "clock", lambda: tomorrow)
    snapshot, journal = files(path)
    assert appending.append_annotation(path, Annotation.new("art-1", note="next year"))
    newest = recovery.backups(path)[0]
    assert newest.taken.year == tomorrow.year
    assert newest.snapshot.read_bytes() == snapshot and newest.journal.read_bytes() == journal


def _torn(path: Path) -> None:
    with open(journal_path(path), "ab") as stream:
        stream.write(b'0badf00d {"ops":[["annotations","torn",{"id":"to')


def _damaged_line(path: Path) -> None:
    data = bytearray(journal_path(path).read_bytes())
    data[12:16] = b"XXXX"
    journal_path(path).write_bytes(bytes(data))


def _newer_schema(path: Path) -> None:
    tables = json.loads(path.read_bytes())
    tables["_meta"]["schema_version"]["value"] = recovery.CURRENT_VERSION + 1
    path.write_bytes(encode_snapshot(tables))


def _older_layout(path: Path) -> None:
    path.write_bytes(json.dumps(json.loads(path.read_bytes())).encode())


def _unacknowledged(path: Path) -> None:
    with Store.open(path) as store:
        finding = damage.Damage(key="k", kind="journal", found="2025-01-01T00:00:00Z", aside=path.with_name("aside"), lines=2)
        store.transact(lambda tables: [damage.record_op(finding)])


def _no_snapshot(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize("change", [_torn, _damaged_line, _newer_schema, _older_layout, _unacknowledged, _no_snapshot])
def test_what_the_full_open_must_handle_makes_it_step_aside_untouched(tmp_path: Path, change) -> None:
    path = made(tmp_path / "reader.json")
    change(path)
    before = (path.read_bytes() if path.exists() else None, journal_path(path).read_bytes())
    assert not appending.append_annotation(path, Annotation.new("art-1", note="not here"))
    assert (path.read_bytes() if path.exists() else None, journal_path(path).read_bytes()) == before


def test_a_journal_due_for_compaction_is_left_to_the_full_store(tmp_path: Path, monkeypatch) -> None:
    path = made(tmp_path / "reader.json")
    with Store.open(path) as store:
        while journal_path(path).stat().st_size <= path.stat().st_size // 2:
            store.set_setting(f"s{journal_path(path).stat().st_size}", "x" * 200)
    monkeypatch.setattr(appending, "COMPACT_MIN_BYTES", 10)
    before = files(path)
    assert not appending.append_annotation(path, Annotation.new("art-1", note="compact first"))
    assert files(path) == before
    monkeypatch.setattr(appending, "COMPACT_MIN_BYTES", 1 << 20)
    assert appending.append_annotation(path, Annotation.new("art-1", note="under the store's own limit"))


def test_a_snapshot_damaged_afterwards_is_restored_with_the_annotation_on_top(tmp_path: Path) -> None:
    path = made(tmp_path / "reader.json")
    new = Annotation.new("art-4", note="must survive")
    assert appending.append_annotation(path, new)
    path.write_bytes(path.read_bytes()[:-40])  # the snapshot loses its end
    with Store.open(path) as store:
        assert store.get(new.id) == new
        assert any("damaged" in m or "restored" in m for m in store.messages)


records = st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=12), st.integers(), st.none()), max_size=3)
table_names = st.sampled_from(["annotations", "_meta", "_damage", "reading", "a:{", "}", "settings"])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(table_names, st.dictionaries(st.text(max_size=10), records, max_size=4), max_size=5))
def test_the_small_tables_and_the_annotations_range_are_found_in_any_snapshot(tables) -> None:
    data = encode_snapshot(tables)
    found = appending.snapshot_tables(data, ("_meta", "_damage", "}"))
    assert found is not None
    small, (start, end) = found
    assert small == {name: tables[name] for name in ("_meta", "_damage", "}") if name in tables}
    keys = {key for table in tables.values() for key in table} | {"absent"}
    for key in keys:
        line = b"\n" + json.dumps(key, ensure_ascii=True).encode() + b":{"
        assert (data.find(line, start, end) >= 0) == (key in tables.get("annotations", {}))
        assert appending.has_annotation(data, key) == (key in tables.get("annotations", {}))
    assert appending.named_tables(data, ("_meta", "_damage", "}")) == small
