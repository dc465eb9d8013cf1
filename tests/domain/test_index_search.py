"""The index's full-text search: every matching article's id, however many match, whatever the id."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.index import Entry, MetadataIndex


def _entry(n: int, id_: str) -> Entry:
    path = f"/library/{n}.txt"
    return Entry(path, 1, 1, ArticleMeta(id=id_, path=path, title=f"Title {n}"), None)


def test_a_word_in_more_than_a_hundred_thousand_articles_finds_every_one() -> None:
    index = MetadataIndex(None)
    try:
        count = 100_001
        index.put([(_entry(n, f"id{n}"), f"Title {n}\nthe government said {n}") for n in range(count)])
        found = index.search("government")
        assert len(found) == count
        assert found == {f"id{n}" for n in range(count)}
    finally:
        index.close()


ids = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(ids, st.booleans()), min_size=1, max_size=30, unique_by=lambda pair: pair[0]))
def test_search_gives_back_the_ids_it_was_given(articles: list[tuple[str, bool]]) -> None:
    index = MetadataIndex(None)
    try:
        index.put([(_entry(n, id_), f"Title {n}\n{'zebra' if has else 'yak'} grazing")
                   for n, (id_, has) in enumerate(articles)])
        assert index.search("zebra") == {id_ for id_, has in articles if has}
        assert index.search("grazing") == {id_ for id_, _ in articles}
        assert index.search("ZEB graz") == {id_ for id_, has in articles if has}
    finally:
        index.close()


def test_skipped_and_forgotten_files_are_not_found() -> None:
    index = MetadataIndex(None)
    try:
        index.put([(_entry(n, f"id{n}"), f"Title {n}\nzebra") for n in range(3)])
        index.put([(Entry("/library/1.txt", 2, 2, None, "unreadable"), "")])
        index.forget(["/library/2.txt"])
        assert index.search("zebra") == {"id0"}
    finally:
        index.close()


def _older_index(path: Path) -> None:
    """An index as a reader before the id table made it (same schema version otherwise)."""
    index = MetadataIndex(path)
    index.put([(_entry(n, f"id{n}"), f"Title {n}\nzebra") for n in range(3)])
    index.close()
    db = sqlite3.connect(path)
    for (kind, name) in db.execute("SELECT type, name FROM sqlite_master WHERE name LIKE '%ids%'").fetchall():
        db.execute(f"DROP {kind} {name}")
    db.commit()
    db.close()


def test_an_index_made_before_the_id_table_is_searched_whole_without_a_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    _older_index(path)
    index = MetadataIndex(path)
    try:
        assert index.search("zebra") == {"id0", "id1", "id2"}
        assert index.stats(["/library"])["/library/1.txt"][2] == "id1"  # kept, not rebuilt
        index.put([(_entry(3, "id3"), "Title 3\nzebra")])
        index.forget(["/library/0.txt"])
        assert index.search("zebra") == {"id1", "id2", "id3"}
    finally:
        index.close()


def test_writes_by_a_reader_that_knows_no_id_table_are_searched_right(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    index = MetadataIndex(path)
    try:
        index.put([(_entry(n, f"id{n}"), f"Title {n}\nzebra") for n in range(3)])
        assert index.search("zebra") == {"id0", "id1", "id2"}
        older = sqlite3.connect(path)  # an older reader's statements, as its put and forget ran them
        with older:
            (row,) = older.execute("SELECT rowid FROM files WHERE path = '/library/1.txt'").fetchone()
            older.execute("DELETE FROM bodies WHERE rowid = ?", (row,))
            older.execute("INSERT OR REPLACE INTO files (rowid, path, size, mtime_ns, error, id) VALUES (?, ?, 2, 2, NULL, ?)",
                          (row, "/library/1.txt", "renamed1"))
            older.execute("INSERT INTO bodies (rowid, text) VALUES (?, ?)", (row, "Title 1\nzebra"))
            (row,) = older.execute("SELECT rowid FROM files WHERE path = '/library/2.txt'").fetchone()
            older.execute("DELETE FROM bodies WHERE rowid = ?", (row,))
            older.execute("INSERT OR REPLACE INTO files (rowid, path, size, mtime_ns, error, id) VALUES (?, ?, 2, 2, ?, NULL)",
                          (row, "/library/2.txt", "unreadable"))
            cursor = older.execute("INSERT INTO files (path, size, mtime_ns, id) VALUES ('/library/9.txt', 1, 1, 'id9')")
            older.execute("INSERT INTO bodies (rowid, text) VALUES (?, ?)", (cursor.lastrowid, "Title 9\nzebra"))
            (row,) = older.execute("SELECT rowid FROM files WHERE path = '/library/0.txt'").fetchone()
            older.execute("DELETE FROM bodies WHERE rowid = ?", (row,))
            older.execute("DELETE FROM files WHERE rowid = ?", (row,))
        older.close()
        assert index.search("zebra") == {"renamed1", "id9"}
    finally:
        index.close()


_FIRST_TRIGGERS = (
    "DROP TRIGGER ids_added; DROP TRIGGER ids_changed; DROP TRIGGER ids_removed;"
    "CREATE TRIGGER ids_insert AFTER INSERT ON files BEGIN DELETE FROM ids WHERE file = new.rowid;"
    " INSERT INTO ids SELECT new.rowid, new.id WHERE new.id IS NOT NULL; END;"
    "CREATE TRIGGER ids_update AFTER UPDATE OF id ON files BEGIN DELETE FROM ids WHERE file = old.rowid;"
    " INSERT INTO ids SELECT new.rowid, new.id WHERE new.id IS NOT NULL; END;"
    "CREATE TRIGGER ids_delete AFTER DELETE ON files BEGIN DELETE FROM ids WHERE file = old.rowid; END;"
)
"""The id table's first triggers (861af26 and before), which could abort and so made FTS5 write
its pending terms out at every file indexed."""


def test_an_index_with_the_first_id_triggers_gets_the_ones_that_cannot_abort_and_is_searched_whole(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    index = MetadataIndex(path)
    index.put([(_entry(n, f"id{n}"), f"Title {n}\nzebra") for n in range(3)])
    index.close()
    db = sqlite3.connect(path)
    db.executescript(_FIRST_TRIGGERS)
    db.close()
    index = MetadataIndex(path)
    try:
        triggers = {name for (name,) in index._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert triggers == {"ids_added", "ids_changed", "ids_removed"}
        index.put([(_entry(3, "id3"), "Title 3\nzebra"), (_entry(1, "id1b"), "Title 1\nzebra again")])
        index.forget(["/library/0.txt"])
        assert index.search("zebra") == {"id1b", "id2", "id3"}
    finally:
        index.close()


def test_a_root_is_matched_with_windows_separators_too(monkeypatch) -> None:
    """On Windows the separator is the LIKE escape character: it must be escaped itself (found in review)."""
    import reader.domain.articles.index as index_module

    index = MetadataIndex(None)
    try:
        monkeypatch.setattr(index_module.os, "sep", "\\")
        for path in ("C:\\Users\\me\\notes\\a.md", "C:\\Users\\me\\notes2\\b.md", "C:\\Users\\me\\notes\\deep\\c.md"):
            index.put([(Entry(path, 1, 1, None, "unsupported file type"), "")])
        assert sorted(index.stats(["C:\\Users\\me\\notes"])) == ["C:\\Users\\me\\notes\\a.md", "C:\\Users\\me\\notes\\deep\\c.md"]
        assert sorted(index.stats(["C:\\"])) == sorted(index.stats(["C:\\Users"]))
    finally:
        monkeypatch.undo()
        index.close()


def test_the_first_triggers_put_back_beside_the_new_ones_by_an_older_checkout_are_dropped_again(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    MetadataIndex(path).close()
    db = sqlite3.connect(path)
    db.executescript(_FIRST_TRIGGERS.split(";", 3)[3])  # the first triggers added, the new ones kept (found in review)
    db.close()
    index = MetadataIndex(path)
    try:
        triggers = {name for (name,) in index._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert triggers == {"ids_added", "ids_changed", "ids_removed"}
    finally:
        index.close()
