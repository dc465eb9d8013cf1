"""The store's API, its files on disk, damage recovery, backups, migrations and round-trips."""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.domain.store import database as store_database
from reader.domain.store import store as store_module
from reader.domain.store import recovery as store_recovery
from reader.domain.annotations.model import Annotation, Selectors
from reader.domain.store.storage import apply_ops, decode_snapshot, encode_line, journal_path, parse_journal
from reader.domain.store.store import Store, StoreError

TEXT = "It was the best of times, it was the worst of times, it was the age of wisdom."


def note(article: str = "a1", text: str = "", created: str = "") -> Annotation:
    """A passage annotation on ``article``, optionally with a fixed ``created``."""
    made = Annotation.new(article, title="T", url="https://x/1", selectors=Selectors.for_span(TEXT, 7, 20), note=text)
    if created:
        made = Annotation(**{**made.__dict__, "created": created, "updated": created})
    return made


def temp_files(folder: Path) -> list[str]:
    """Names of leftover temporary files in ``folder`` and its backups."""
    names = os.listdir(folder) + (os.listdir(folder / "backups") if (folder / "backups").exists() else [])
    return [n for n in names if ".tmp-" in n]


def on_disk(path: Path) -> dict:
    """What the files hold: the snapshot with the journal replayed."""
    tables = decode_snapshot(path.read_bytes())
    for ops in parse_journal(journal_path(path).read_bytes()).batches:
        apply_ops(tables, ops)
    return tables


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reader.json"


@pytest.fixture
def store(path: Path):
    with Store.open(path) as opened:
        yield opened


# -- the API -----------------------------------------------------------------------------------


def test_a_missing_file_is_a_new_store(path: Path) -> None:
    with Store.open(path) as store:
        assert store.messages == [] and not store.read_only
        assert store.annotations() == [] and store.subscriptions() == []
    assert path.exists() and path.parent.is_dir()


def test_add_get_put_delete(store: Store) -> None:
    a = store.add(note(text="first"))
    assert store.get(a.id) == a
    edited = store.put(a.with_note("second"))
    assert store.get(a.id).note == "second" and len(store.annotations()) == 1
    with pytest.raises(StoreError):
        store.add(a)
    assert store.delete(a.id) == edited
    assert store.delete(a.id) is None and store.get(a.id) is None


def test_annotations_newest_first_and_by_article(store: Store) -> None:
    old = store.add(note("a1", created="2026-01-01T00:00:00.000000Z"))
    new = store.add(note("a1", created="2026-03-01T00:00:00.000000Z"))
    other = store.add(note("a2", created="2026-02-01T00:00:00.000000Z"))
    assert store.annotations() == [new, other, old]
    assert store.annotations("a1") == [new, old]
    assert store.annotations("nothing") == []


def test_import_twice_adds_nothing_and_is_one_transaction(store: Store, path: Path) -> None:
    items = [note(f"a{n % 3}") for n in range(20)]
    before = journal_path(path).read_bytes().count(b"\n")
    assert store.import_annotations(items) == 20
    assert journal_path(path).read_bytes().count(b"\n") == before + 1
    assert store.import_annotations(items) == 0
    assert len(store.annotations()) == 20
    newer = items[0].with_note("edited later")
    assert store.import_annotations([newer, items[1]]) == 0
    assert store.get(newer.id).note == "edited later"


def test_reading_state(store: Store) -> None:
    assert store.reading_state("a1") is None and store.read_articles() == set()
    store.set_reading_state("a1", anchor={"block": 3})
    store.set_reading_state("a2", read=False)
    state = store.reading_state("a1")
    assert state["article"] == "a1" and state["read"] is True and state["anchor"] == {"block": 3} and state["opened"]
    store.set_reading_state("a1")
    assert store.reading_state("a1")["anchor"] == {"block": 3}
    assert store.read_articles() == {"a1"}


def test_settings_persist(path: Path) -> None:
    with Store.open(path) as store:
        assert store.setting("theme", "default") == "default"
        store.set_setting("theme", "nord")
        store.set_setting("sizes", {"list": [1, 2]})
        with pytest.raises(StoreError):
            store.set_setting("bad", object())
    with Store.open(path) as store:
        assert store.setting("theme") == "nord" and store.setting("sizes") == {"list": [1, 2]}
        assert store.setting("bad") is None


def test_subscriptions_keep_unknown_keys(store: Store) -> None:
    store.put_subscription({"url": "https://b/feed", "title": "B", "future": {"x": 1}})
    store.put_subscription({"url": "https://a/feed", "title": "A"})
    store.put_subscription({"url": "https://b/feed", "etag": "W/1"})
    subs = store.subscriptions()
    assert [s["url"] for s in subs] == ["https://b/feed", "https://a/feed"]
    assert subs[0]["future"] == {"x": 1} and subs[0]["etag"] == "W/1" and subs[0]["title"] == "B"
    assert set(store_module.SUBSCRIPTION_DEFAULTS) <= set(subs[1])
    subs[0]["title"] = "mutated copy"
    assert store.subscriptions()[0]["title"] == "B"
    assert store.remove_subscription("https://b/feed") is True
    assert store.remove_subscription("https://b/feed") is False
    with pytest.raises(StoreError):
        store.put_subscription({"title": "no url"})


def test_unknown_fields_and_tables_survive_saves_and_compaction(path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_database, "COMPACT_MIN_BYTES", 0)
    record = {**note().to_record(), "colour": "yellow"}
    with Store.open(path):
        pass
    tables = json.loads(path.read_bytes())
    tables["annotations"] = {record["id"]: record}
    tables["settings"] = {"theme": {"key": "theme", "value": "x", "scope": "global"}}
    tables["future_table"] = {"k": {"anything": [1, 2]}}
    path.write_text(json.dumps(tables))
    with Store.open(path) as store:
        store.put(store.get(record["id"]).with_note("edited"))
        store.set_setting("theme", "y")
        store.set_reading_state("a1")
    saved = on_disk(path)
    assert saved["annotations"][record["id"]]["colour"] == "yellow"
    assert saved["settings"]["theme"] == {"key": "theme", "value": "y", "scope": "global"}
    assert saved["future_table"] == {"k": {"anything": [1, 2]}}


def test_two_stores_see_each_others_writes(path: Path) -> None:
    with Store.open(path) as one, Store.open(path) as two:
        seen = two.generation()
        a = one.add(note())
        assert two.generation() != seen
        assert two.get(a.id) == a
        seen = one.generation()
        assert one.generation() == seen
        two.set_setting("theme", "dark")
        assert one.generation() != seen and one.setting("theme") == "dark"


def test_compaction_keeps_everything(path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_database, "COMPACT_MIN_BYTES", 2000)
    with Store.open(path) as store, Store.open(path) as other:
        made = [store.add(note(f"a{n % 4}", text=str(n))) for n in range(60)]
        for a in made[:20]:
            store.delete(a.id)
        assert len(json.loads(path.read_bytes())["annotations"]) > 0  # compacted at least once
        assert {a.id for a in other.annotations()} == {a.id for a in made[20:]}
    with Store.open(path) as store:
        assert {a.id: a.note for a in store.annotations()} == {a.id: a.note for a in made[20:]}


def test_a_failing_write_leaves_the_files_intact(path: Path, monkeypatch) -> None:
    with Store.open(path) as store:
        kept = store.add(note(text="kept"))
        before = (path.read_bytes(), journal_path(path).read_bytes())

        def full(*args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(StoreError, match="No space left"):
            store.add(note(text="lost"))
        monkeypatch.undo()
        assert (path.read_bytes(), journal_path(path).read_bytes()) == before
        assert store.annotations() == [kept]


def test_a_failing_compaction_keeps_the_acknowledged_write(path: Path, monkeypatch) -> None:
    with Store.open(path) as store:
        kept = store.add(note(text="kept"))
        snapshot = path.read_bytes()
        monkeypatch.setattr(store_database, "COMPACT_MIN_BYTES", 0)
        monkeypatch.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(OSError(28, "No space left on device")))
        second = store.add(note(text="in the journal only"))
        monkeypatch.undo()
        assert path.read_bytes() == snapshot and temp_files(path.parent) == []
    with Store.open(path) as store:
        assert {a.id for a in store.annotations()} == {kept.id, second.id}


def test_a_torn_last_journal_line_is_ignored_cut_off_and_told_once(path: Path) -> None:
    with Store.open(path) as store:
        kept = store.add(note())
    line = encode_line([("annotations", "x", {"id": "x", "article": "a"})])
    with open(journal_path(path), "ab") as stream:
        stream.write(line[: len(line) // 2])
    with Store.open(path) as store:
        assert len(store.messages) == 1 and "incomplete" in store.messages[0]
        assert store.annotations() == [kept]
        second = store.add(note())
    with Store.open(path) as store:
        assert store.messages == [] and {a.id for a in store.annotations()} == {kept.id, second.id}


def test_a_damaged_journal_line_keeps_what_came_before_and_after(path: Path) -> None:
    with Store.open(path) as store:
        first = store.add(note())
        store.add(note())
    data = journal_path(path).read_bytes()
    second_line = data.index(b"\n") + 1
    damaged = data[:second_line] + b"X" + data[second_line + 1 :] + encode_line([("settings", "k", {"key": "k", "value": 1})])
    journal_path(path).write_bytes(damaged)
    with Store.open(path) as store:
        assert store.annotations() == [first] and store.setting("k") == 1
        assert "journal was damaged" in store.messages[0]
    aside = [p for p in path.parent.iterdir() if ".journal.corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged


# -- damage, backups ---------------------------------------------------------------------------

DAMAGE = {
    "empty": lambda good: b"",
    "cut off": lambda good: good[: len(good) // 2],
    "trailing garbage": lambda good: good + b"}garbage",
    "NUL bytes": lambda good: good[:10] + b"\x00" * 64 + good[10:],
    "JSON array": lambda good: b"[1, 2, 3]",
    "BOM": lambda good: b"\xef\xbb\xbf" + good,
    "invalid UTF-8": lambda good: good[:-2] + b"\xff\xfe" + good[-2:],
    "wrong table shape": lambda good: b'{"annotations": [1, 2]}',
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_file_is_kept_aside_and_the_backup_restored(path: Path, kind: str) -> None:
    with Store.open(path) as store:
        saved = store.add(note(text="in the backup"))  # the day's first save makes the backup
        store_recovery.make_backup(path, path.read_bytes(), journal_path(path).read_bytes())
        journal_path(path).write_bytes(b"")
    damaged = DAMAGE[kind](path.read_bytes())
    path.write_bytes(damaged)
    with Store.open(path) as store:
        assert store.annotations() == [saved]
        assert len(store.messages) == 1 and "damaged" in store.messages[0]
        assert "restored the backup from" in store.messages[0]
    aside = [p for p in path.parent.iterdir() if p.name.startswith("reader.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged and str(aside[0]) in store.messages[0]


def test_a_damaged_snapshot_keeps_the_journal_changes_made_since(path: Path) -> None:
    with Store.open(path) as store:
        in_backup = store.add(note(text="in the backup"))
        store_recovery.make_backup(path, path.read_bytes(), journal_path(path).read_bytes())
        later = store.add(note(text="only in the journal"))
    path.write_bytes(b"")
    with Store.open(path) as store:
        assert {a.id for a in store.annotations()} == {in_backup.id, later.id}
        assert "restored the backup from" in store.messages[0]


def test_temp_files_of_a_dead_process_are_removed(path: Path) -> None:
    with Store.open(path):
        pass
    (path.parent / ".reader.json.tmp-123-abcd").write_bytes(b"half")
    with Store.open(path) as store:
        assert store.messages == []
    assert temp_files(path.parent) == []


def test_a_permission_error_is_a_store_error(path: Path, monkeypatch) -> None:
    real_open = os.open

    def refuse(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == str(journal_path(path)):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    with Store.open(path) as store:
        kept = store.add(note())
        before = journal_path(path).read_bytes()
        monkeypatch.setattr(os, "open", refuse)
        with pytest.raises(StoreError, match="Permission denied"):
            store.add(note())
        monkeypatch.undo()
        assert journal_path(path).read_bytes() == before and store.annotations() == [kept]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_an_unwritable_journal_is_a_store_error(path: Path) -> None:
    with Store.open(path) as store:
        kept = store.add(note())
        before = journal_path(path).read_bytes()
        journal_path(path).chmod(0o444)
        try:
            with pytest.raises(StoreError, match="Could not save"):
                store.add(note())
        finally:
            journal_path(path).chmod(0o644)
        assert journal_path(path).read_bytes() == before and store.annotations() == [kept]


@pytest.mark.parametrize("kind", ["empty", "JSON array", "invalid UTF-8"])
def test_a_damaged_file_without_backup_starts_empty(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True)
    damaged = DAMAGE[kind](b'{"_meta": {}}')
    path.write_bytes(damaged)
    with Store.open(path) as store:
        assert store.annotations() == [] and "no good backup" in store.messages[0]
        store.add(note())
    aside = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert [p.read_bytes() for p in aside] == [damaged]


def test_one_backup_a_day_newest_seven_kept(path: Path, monkeypatch) -> None:
    day = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    for n in range(10):
        monkeypatch.setattr(store_recovery, "clock", lambda n=n: day + timedelta(days=n))
        with Store.open(path) as store:
            store.add(note(text=str(n)))
            store.add(note(text=str(n)))
    found = store_recovery.backups(path)
    assert [b.taken.day for b in found] == [10, 9, 8, 7, 6, 5, 4, 3, 2][:7]
    with Store.open(found[0].snapshot) as backup:
        assert len(backup.annotations()) == 18  # the state before day 10's first save


# -- schema versions ---------------------------------------------------------------------------

V0 = {
    "annotations": {
        "1": {"id": "0b7c1a52-0000-4000-8000-000000000001", "article": "a1", "note": "one", "created": "2026-01-01", "selectors": None},
        "2": {"id": "0b7c1a52-0000-4000-8000-000000000002", "article": "a2", "note": "two", "created": "2026-01-02", "shade": "blue"},
    },
    "reading": {"1": {"article": "a1", "read": True, "anchor": None, "opened": "2026-01-01"}},
    "settings": {"1": {"key": "theme", "value": "nord"}},
    "subscriptions": {"1": {"url": "https://a/feed", "title": "A", "tags": ["x"]}},
    "_default": {},
}


def check_v0_migrated(store: Store) -> None:
    """Everything from ``V0`` is there, keyed by its own id."""
    assert {a.id: a.note for a in store.annotations()} == {r["id"]: r["note"] for r in V0["annotations"].values()}
    assert store.get("0b7c1a52-0000-4000-8000-000000000002").extra == {"shade": "blue"}
    assert store.read_articles() == {"a1"} and store.setting("theme") == "nord"
    assert store.subscriptions()[0]["tags"] == ["x"]


def test_schema_0_migrates_without_loss_and_twice_equals_once(path: Path) -> None:
    path.parent.mkdir(parents=True)
    original = json.dumps(V0).encode()
    path.write_bytes(original)
    with Store.open(path) as store:
        check_v0_migrated(store)
        assert "from schema 0 to 1" in store.messages[0]
    once = path.read_bytes()
    assert json.loads(once)["_meta"]["schema_version"]["value"] == store_recovery.CURRENT_VERSION
    assert [b.snapshot.read_bytes() for b in store_recovery.backups(path)] == [original]
    with Store.open(path) as store:
        assert store.messages == []
        check_v0_migrated(store)
    assert path.read_bytes() == once
    migrated = store_recovery.migrate(json.loads(original))
    assert store_recovery.migrate(json.loads(json.dumps(migrated))) == migrated


def test_schema_1_opens_unchanged(path: Path) -> None:
    with Store.open(path) as store:
        store.add(note())
        store.set_setting("theme", "nord")
    data = path.read_bytes(), journal_path(path).read_bytes()
    with Store.open(path) as store:
        assert store.messages == [] and store.setting("theme") == "nord"
    assert (path.read_bytes(), journal_path(path).read_bytes()) == data


def test_a_newer_schema_opens_read_only_and_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    record = {**note().to_record(), "v2_field": 1}
    newer = json.dumps({"_meta": {"schema_version": {"key": "schema_version", "value": 2}}, "annotations": {record["id"]: record}, "v2": {}})
    path.write_bytes(newer.encode())
    with Store.open(path) as store:
        assert store.read_only and "newer version" in store.messages[0]
        assert [a.id for a in store.annotations()] == [record["id"]]
        with pytest.raises(StoreError, match="read-only"):
            store.add(note())
        with pytest.raises(StoreError):
            store.set_setting("theme", "x")
    assert path.read_bytes() == newer.encode()
    assert not journal_path(path).exists() and not (path.parent / "backups").exists()


# -- threads and text --------------------------------------------------------------------------


def test_eight_threads_through_one_store(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(250):
                store.add(note(f"t{n}", text=str(i)))
                if i % 50 == 0:
                    store.annotations(f"t{n}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.annotations()) == 2000
    with Store.open(store.path) as again:
        assert len(again.annotations()) == 2000


ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=200)
"""Any code point at all, lone surrogates, NUL and other controls included."""

SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def as_reloaded(text: str) -> str:
    """What the store gives back for ``text``: itself, except that a high surrogate followed by a
    low one (two code points, not a well-formed string) comes back as the character they spell,
    as JSON defines ``\\ud800\\udfff``."""
    return json.loads(json.dumps(text))


def test_lone_surrogates_round_trip_exactly_and_pairs_combine() -> None:
    assert as_reloaded("a\ud800b\udfffc\udc80") == "a\ud800b\udfffc\udc80"
    assert as_reloaded("\ud800\udfff") == "\U000103ff"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT, article=ANY_TEXT)
@example(text="\x00\x1b[31m\u202egnp.exe\ud800 \udfff\udc00", article="\ud83d")
@example(text="x" * (1 << 20), article="big")
@example(text="pair \ud800\udfff", article="\udc80")
def test_any_text_round_trips(tmp_path: Path, text: str, article: str) -> None:
    path = tmp_path / uuid.uuid4().hex / "reader.json"
    made = note(article, text=text)
    made = Annotation(**{**made.__dict__, "title": text[:50]})
    with Store.open(path) as store:
        store.add(made)
        store.set_reading_state(article)
        store.set_setting(text, text)
    with Store.open(path) as store:
        again = store.get(made.id)
        assert again.note == as_reloaded(text) and again.title == as_reloaded(made.title)
        assert store.read_articles() == {as_reloaded(article)} and store.setting(as_reloaded(text)) == as_reloaded(text)
        if not SURROGATE_PAIR.search(text + article):
            assert again == made and again.note == text


def _annotations_decoded(store: Store) -> bool:
    table = store._storage.tables.get("annotations")
    return getattr(table, "decoded", True)


def test_commands_that_never_use_the_annotations_do_not_decode_them(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    with Store.open(path) as store:
        kept = [store.add(note(f"a{i}", f"note {i}")) for i in range(5)]
        store._storage.compact()  # the annotations now live in the snapshot, with their checksum
    with Store.open(path) as store:
        store.set_read("a1", True)
        store.set_setting("theme", "nord")
        store.set_starred("a2", True)
        assert store.setting("theme") == "nord" and store.read_articles() == {"a1"} and store.subscriptions() == []
        assert not _annotations_decoded(store)
        assert {a.id for a in store.annotations()} == {a.id for a in kept}
        assert _annotations_decoded(store)


def test_changes_made_while_the_annotations_wait_undecoded_are_all_there_when_read(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    with Store.open(path) as store:
        first, second = store.add(note("a1", "one")), store.add(note("a2", "two"))
        store._storage.compact()
    with Store.open(path) as store, Store.open(path) as other:
        third = other.add(note("a1", "three"))  # another process: a journal line
        other.delete(first.id)
        store.set_read("a1", True)  # catches up with the journal, still without decoding
        assert not _annotations_decoded(store)
        assert store.annotation_counts() == {"a1": 1, "a2": 1}
        assert [a.note for a in store.annotations("a1")] == ["three"]
        assert store.get(second.id) == second and store.get(first.id) is None and store.get(third.id) == third
    with Store.open(path) as store:  # and the journal says the same after a reopen
        assert sorted(a.note for a in store.annotations()) == ["three", "two"]
