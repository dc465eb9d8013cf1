"""The snapshot's one-record-a-line layout: plain JSON that TinyDB reads, and read a line at a
time only when it is exactly that layout (anything else is left to the whole-file decoder)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from reader.domain.store.snapshot import CHECKSUMS, DeferredTable, decode_lines, encode_json, encode_snapshot
from reader.domain.store.storage import DamagedFile, decode_snapshot

scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=12)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                      max_leaves=8)
records = st.dictionaries(st.text(max_size=8), values, max_size=4)
names = st.text(max_size=10).filter(lambda name: name != CHECKSUMS)
tables = st.dictionaries(names, st.dictionaries(st.text(max_size=10), records, max_size=4), max_size=3)


def _json(encoded: bytes) -> dict:
    """What a JSON reader finds in a snapshot, without the layout's own ``_checksums`` table."""
    value = json.loads(encoded)
    value.pop(CHECKSUMS, None)
    return value


def _plain(tables: dict) -> dict:
    """``tables`` with every ``DeferredTable`` decoded into a plain dict."""
    return {name: dict(table) for name, table in tables.items()}


@given(tables)
def test_the_layout_round_trips_and_is_the_same_json(data: dict) -> None:
    encoded = encode_snapshot(data)
    assert _json(encoded) == data
    assert decode_lines(encoded) == data
    assert decode_snapshot(encoded) == data


annotation_tables = st.dictionaries(st.text(max_size=10), records, max_size=4)
stores = st.fixed_dictionaries({"annotations": annotation_tables}, optional={"_meta": st.dictionaries(st.text(max_size=5), records, max_size=2)})


@given(stores)
def test_annotations_matching_their_checksum_stay_undecoded_until_used_and_read_the_same(data: dict) -> None:
    encoded = encode_snapshot(data)
    found = decode_snapshot(encoded)
    annotations = found["annotations"]
    assert isinstance(annotations, DeferredTable) == bool(data["annotations"])
    if isinstance(annotations, DeferredTable):
        assert not annotations.decoded
    assert _plain(found) == data == _json(encoded)


@settings(max_examples=300)
@given(st.data())
def test_a_changed_byte_anywhere_is_decoded_at_once_or_found_damaged_never_deferred_wrongly(draw) -> None:
    data = draw.draw(stores.filter(lambda d: bool(d["annotations"])))
    mutated = draw.draw(_mutations(encode_snapshot(data)))
    try:
        found = decode_snapshot(mutated)
    except DamagedFile:
        return
    assert _plain(found) == _json(mutated)  # deferred or not, what JSON says the bytes hold


def test_journal_changes_to_an_undecoded_table_wait_for_it_in_order() -> None:
    from reader.domain.store.storage import apply_ops

    found = decode_snapshot(encode_snapshot({"annotations": {"a": {"n": 1}, "b": {"n": 2}}}))
    apply_ops(found, [("annotations", "a", None), ("annotations", "c", {"n": 3})])
    apply_ops(found, [("annotations", "c", {"n": 4}), ("annotations", "b", {"n": 5})])
    assert not found["annotations"].decoded
    assert dict(found["annotations"]) == {"b": {"n": 5}, "c": {"n": 4}}


def test_a_checksum_that_does_not_match_means_decoding_at_once() -> None:
    encoded = encode_snapshot({"annotations": {"a": {"quote": "abc"}}})
    edited = encoded.replace(b'"abc"', b'"abd"')  # still valid JSON, but not the bytes summed
    found = decode_snapshot(edited)
    assert type(found["annotations"]) is dict and found["annotations"] == {"a": {"quote": "abd"}}


def test_the_checksums_table_is_the_layouts_own() -> None:
    encoded = encode_snapshot({"annotations": {"a": {"x": 1}}, CHECKSUMS: {"annotations": {"crc32": 1, "bytes": 1}}})
    assert json.loads(encoded)[CHECKSUMS]["annotations"]["bytes"] == len(b'"a":{"x":1}')
    assert CHECKSUMS not in decode_snapshot(encoded)
    assert CHECKSUMS not in decode_snapshot(encode_json(json.loads(encoded)))  # read whole, too


def _mutations(encoded: bytes) -> st.SearchStrategy[bytes]:
    lines = encoded.split(b"\n")
    at = st.integers(0, len(encoded))
    line_at = st.integers(0, max(0, len(lines) - 1))
    return st.one_of(
        at.map(lambda i: encoded[:i] + encoded[i + 1:]),  # a byte lost
        st.tuples(at, st.sampled_from([b",", b"}", b"{", b"\n", b":", b'"', b" ", b"1"])).map(
            lambda p: encoded[: p[0]] + p[1] + encoded[p[0]:]),  # a byte added
        line_at.map(lambda i: b"\n".join(lines[:i] + lines[i + 1:])),  # a line lost
        line_at.map(lambda i: b"\n".join(lines[: i + 1] + lines[i:])),  # a line twice
        at.map(lambda i: encoded[:i]),  # cut short
    )


@settings(max_examples=300)
@given(st.data())
def test_anything_but_the_exact_layout_is_left_to_the_whole_file_decoder(draw) -> None:
    data = draw.draw(tables.filter(bool))
    mutated = draw.draw(_mutations(encode_snapshot(data)))
    fast = decode_lines(mutated)
    if fast is not None:  # accepted: then it is exactly what JSON says the bytes hold
        assert fast == _json(mutated)


def test_an_older_single_line_snapshot_is_read_whole() -> None:
    data = {"annotations": {"k": {"id": "k", "quote": "q"}}, "_meta": {"schema": {"version": 1}}}
    old = encode_json(data)
    assert decode_lines(old) is None
    assert decode_snapshot(old) == data


def test_tinydb_reads_the_file_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    path.write_bytes(encode_snapshot({"annotations": {"1": {"note": "ünïcode ✎"}, "2": {"note": "two"}}}))
    with TinyDB(path) as db:
        assert sorted(doc["note"] for doc in db.table("annotations").all()) == ["two", "ünïcode ✎"]


def test_each_record_is_handed_over_as_it_is_read() -> None:
    seen: list[tuple[str, str]] = []
    decode_lines(encode_snapshot({"a": {"1": {"x": 1}}, "b": {"2": {"y": 2}}}), lambda t, k, r: seen.append((t, k)) or r)
    assert seen == [("a", "1"), ("b", "2")]


def test_near_misses_of_the_layout_are_not_taken_for_it() -> None:
    for text in [
        b'{\n"t":{\n"k":{},\n,\n"j":{}\n}\n}\n',  # a line with only a comma
        b'{\n"t":{\n"k":{},\n}\n}\n',  # a comma after the last record
        b'{\n"t":{\n"k":{}\n"j":{}\n}\n}\n',  # a comma missing between records
        b'{\n"t":{\n}\n"u":{\n}\n}\n',  # a comma missing between tables
        b'{\n"t":{\n},\n}\n',  # a comma after the last table
        b'{\n"t":{\n"k":{}\n}\n',  # a table left open
    ]:
        assert decode_lines(text) is None, text


def test_a_big_store_in_the_older_layout_is_rewritten_once_and_reads_the_same(tmp_path: Path) -> None:
    from reader.domain.store.store import Store

    path = tmp_path / "reader.json"
    with Store.open(path) as store:
        store.set_setting("theme", "nord")
    base = json.loads(path.read_bytes())
    notes = {f"id-{i}": {"id": f"id-{i}", "article": f"a{i % 50}", "note": "n" * 200, "quote": "q",
                         "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z"} for i in range(6000)}
    small = {**base, "annotations": dict(list(notes.items())[:10])}
    path.write_bytes(encode_json(small))  # under a megabyte: left as it is
    with Store.open(path):
        pass
    assert path.read_bytes() == encode_json(small)
    big = {**base, "annotations": notes}
    path.write_bytes(encode_json(big))
    assert len(path.read_bytes()) > (1 << 20)
    with Store.open(path) as store:
        assert store.annotation_counts()["a0"] == 120 and store.setting("theme") == "nord"
    rewritten = path.read_bytes()
    assert rewritten.startswith(b"{\n") and json.loads(rewritten)["annotations"] == notes
    assert decode_lines(rewritten) == _json(rewritten)
    with Store.open(path):
        pass
    assert path.read_bytes() == rewritten  # once


def test_a_big_store_without_checksums_gets_them_once(tmp_path: Path) -> None:
    from reader.domain.store.store import Store

    path = tmp_path / "reader.json"
    notes = {f"id-{i}": {"id": f"id-{i}", "article": f"a{i % 50}", "note": "n" * 200, "quote": "q",
                         "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z"} for i in range(6000)}
    with Store.open(path) as store:
        store.set_setting("theme", "nord")
        store._storage.compact()
    written = {**_json(path.read_bytes()), "annotations": notes}
    encoded = encode_snapshot(written)
    older = encoded[: encoded.index(b',\n"' + CHECKSUMS.encode())] + b"\n}\n"  # as the version before wrote it
    path.write_bytes(older)
    assert decode_lines(older) == written and not isinstance(decode_snapshot(older)["annotations"], DeferredTable)
    with Store.open(path) as store:
        assert store.setting("theme") == "nord"
    rewritten = path.read_bytes()
    assert rewritten != older and _json(rewritten) == written
    assert isinstance(decode_snapshot(rewritten)["annotations"], DeferredTable)
    with Store.open(path) as store:
        assert store.annotation_counts()["a0"] == 120
    assert path.read_bytes() == rewritten  # once
