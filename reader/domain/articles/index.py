"""The metadata and full-text index: a rebuildable SQLite cache keyed by path, size and mtime.

Starting reader on a big library reads this instead of every file; a body is read again only
when its file changed. Deleting the cache loses nothing: the next scan rebuilds it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Sequence

from reader.domain.articles.article import ArticleMeta

SCHEMA_VERSION = 4
"""Raised when what the index holds changes, and when parsing does (4: hard-wrapped text, extracted
web pages), so entries parsed the old way are not kept."""
_NO_TAGS: tuple[str, ...] = ()
_EMPTY = (None, "", "[]")
_WORD = re.compile(r"\w+", re.UNICODE)


Stat = tuple[int, int, "str | None", "str | None"]
"""A file as the index remembers it: size, mtime in ns, article id (None if skipped), error."""


@dataclass(frozen=True)
class Entry:
    """What the index remembers of one file: its stat, and its metadata or why it was skipped."""

    path: str
    size: int
    mtime_ns: int
    meta: ArticleMeta | None
    error: str | None


_COLUMNS = "id, title, section, author, date, source, url, tags, words, format, mtime, sort_key"
_IDS_TRIGGERS = ("ids_added", "ids_changed", "ids_removed")
_OLD_TRIGGERS = ("ids_insert", "ids_update", "ids_delete")
"""The first triggers (before 2026-12-01's fifth session) could abort, see ``_IDS``: replaced when opened."""
_IDS = (
    "DROP TABLE IF EXISTS ids;" + "".join(f"DROP TRIGGER IF EXISTS {name};" for name in _IDS_TRIGGERS + _OLD_TRIGGERS) +
    "CREATE TABLE ids (file INTEGER PRIMARY KEY, id TEXT);"
    "INSERT INTO ids SELECT rowid, id FROM files WHERE id IS NOT NULL;"
    "CREATE TRIGGER ids_added AFTER INSERT ON files BEGIN DELETE FROM ids WHERE file = new.rowid;"
    " INSERT OR REPLACE INTO ids SELECT new.rowid, new.id WHERE new.id IS NOT NULL; END;"
    "CREATE TRIGGER ids_changed AFTER UPDATE OF id ON files BEGIN DELETE FROM ids WHERE file = old.rowid;"
    " INSERT OR REPLACE INTO ids SELECT new.rowid, new.id WHERE new.id IS NOT NULL; END;"
    "CREATE TRIGGER ids_removed AFTER DELETE ON files BEGIN DELETE FROM ids WHERE file = old.rowid; END;"
)
"""Each listed article's id by its files rowid: 4 MB beside the 77 MB of ``files`` at 100,000 articles,
so a search that matches most of them reads a fiftieth as much to name them. SQLite's triggers
keep it in step with ``files`` for the writes readers make (``put`` names the old rowid when it
replaces a row; a REPLACE that deletes a row by its path alone would not fire the delete trigger
while recursive triggers are off, and an ``ids`` row left so joins no file and is never found);
an index without the table gets it when opened, without a rebuild.

Nothing in a trigger may abort (no NOT NULL, no plain INSERT that a key could refuse): a
statement that might abort part-way gets a statement journal, and FTS5 writes out the terms it
holds in memory at each such savepoint. With the first triggers every file's insert did that:
putting 3,000 real files in the index took 1.13–1.51 s instead of 0.40–0.57 s, and indexing
100,000 took 100 s where the reader before the id table took 60 s."""
_SEARCH = "SELECT group_concat(ids.id, char(0)) FROM bodies JOIN ids ON ids.file = bodies.rowid WHERE bodies MATCH ?"
"""The ids of the matching articles as one string, NUL between them (an id is a hex digest). For
a common word (96,000 of 100,000 articles) one string costs less than a row and a tuple for each
match, it makes nothing the garbage collector visits (a search no longer sets off a full
collection), and no map of every rowid to its id has to be built first or kept in step."""


class MetadataIndex:
    """SQLite tables of article metadata and skipped files, plus an FTS5 table of body text."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        self._db = self._connect(path)

    def _connect(self, path: Path | None) -> sqlite3.Connection:
        target = ":memory:"
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            target = str(path)
        try:
            db = self._prepare(sqlite3.connect(target, check_same_thread=False, timeout=10))
        except sqlite3.DatabaseError:
            if path is None:
                raise
            path.unlink(missing_ok=True)  # a cache: a damaged one is rebuilt from the files
            db = self._prepare(sqlite3.connect(target, check_same_thread=False, timeout=10))
        return db

    def _prepare(self, db: sqlite3.Connection) -> sqlite3.Connection:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            db.executescript(
                "DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS bodies;"
                "CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, error TEXT,"
                " id TEXT, title TEXT, section TEXT, author TEXT, date TEXT, source TEXT, url TEXT,"
                " tags TEXT, words INTEGER, format TEXT, mtime REAL, sort_key TEXT);"
                "CREATE VIRTUAL TABLE bodies USING fts5(text, tokenize='unicode61');"  # rowid = files.rowid
                f"PRAGMA user_version = {SCHEMA_VERSION};"
            )
        triggers = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        if not triggers.issuperset(_IDS_TRIGGERS) or triggers.intersection(_OLD_TRIGGERS):
            # made again from ``files``: a new index, one from before the id table, or one whose
            # first triggers an older reader put back beside these
            db.executescript("BEGIN IMMEDIATE;" + _IDS + "COMMIT;")
        db.execute("PRAGMA case_sensitive_like = ON")  # paths differ by case on most systems
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        return db

    def stats(self, prefixes: list[str]) -> dict[str, Stat]:
        """What a scan compares each file with: its remembered size, mtime, id and error, by path,
        for the files under ``prefixes`` (the index also keeps other roots' files, from a run on
        other paths or before a folder was moved: their rows are no concern of this scan)."""
        where, params = _under(prefixes)
        sql = f"SELECT path, size, mtime_ns, id, error FROM files WHERE {where}"
        with self._lock:  # rows one at a time: no list of 100,000 rows beside the result
            return {path: (size, mtime_ns, id_, error) for path, size, mtime_ns, id_, error in self._db.execute(sql, params)}

    def files_of(self, ids: Collection[str], prefixes: list[str]) -> list[tuple[str, int, int, str]]:
        """Path, size, mtime in ns and id of each listed file under ``prefixes`` whose article id
        is one of ``ids``: found through the small id table (CROSS JOIN keeps SQLite to that
        order), so only their rows of ``files`` are read."""
        where, params = _under(prefixes, "files.")
        sql = ("SELECT files.path, files.size, files.mtime_ns, files.id FROM ids CROSS JOIN files ON files.rowid = ids.file"
               f" WHERE ids.id IN (SELECT value FROM json_each(?)) AND files.error IS NULL AND ({where})")
        with self._lock:
            return self._db.execute(sql, [json.dumps(sorted(ids)), *params]).fetchall()

    def metas(self, paths: list[str]) -> list[ArticleMeta]:
        """The remembered metadata of the articles at ``paths`` (skipped files left out)."""
        found: list[ArticleMeta] = []
        for start in range(0, len(paths), 500):
            chunk = paths[start : start + 500]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(
                    f"SELECT path, size, {_COLUMNS} FROM files WHERE error IS NULL AND path IN ({marks})", chunk
                ).fetchall()
            found += [_meta(path, size, meta) for path, size, *meta in rows]
        return found

    def listed(self, prefixes: list[str], limit: int | None = None) -> tuple[list[ArticleMeta], list[tuple[str, str]]]:
        """Articles under ``prefixes``, newest first (at most ``limit``), and skipped files with reasons.

        Answered from the index alone; a small ``limit`` gives the first screen of a big library fast.
        """
        if not prefixes:
            return [], []
        where, params = _under(prefixes)
        sql = (f"SELECT path, size, error, {_COLUMNS} FROM files WHERE ({where})"
               " ORDER BY error IS NOT NULL, sort_key DESC, title COLLATE NOCASE")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        articles: list[ArticleMeta] = []
        skipped: list[tuple[str, str]] = []
        with self._lock:  # rows one at a time: no list of 100,000 rows beside the articles
            for path, size, error, *meta in self._db.execute(sql, params):
                if error:
                    skipped.append((path, error))
                else:
                    articles.append(_meta(path, size, meta))
        return articles, skipped

    def put(self, entries: list[tuple[Entry, str]]) -> None:
        """Remember files: each entry with the plain text of its body ("" for a skipped file)."""
        with self._lock, self._db:
            for entry, text in entries:
                m = entry.meta
                old = self._db.execute("SELECT rowid FROM files WHERE path = ?", (entry.path,)).fetchone()
                if old:
                    self._db.execute("DELETE FROM bodies WHERE rowid = ?", old)
                cursor = self._db.execute(
                    "INSERT OR REPLACE INTO files (rowid, path, size, mtime_ns, error, " + _COLUMNS + ")"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        old[0] if old else None,
                        entry.path, entry.size, entry.mtime_ns, entry.error,
                        m.id if m else None, m.title if m else None, m.section if m else None,
                        m.author if m else None, m.date if m else None, m.source if m else None,
                        m.url if m else None, json.dumps(list(m.tags)) if m else None,
                        m.words if m else None, m.format if m else None, m.mtime if m else None,
                        m.sort_key if m else None,
                    ),
                )
                if m and text:
                    self._db.execute("INSERT INTO bodies (rowid, text) VALUES (?, ?)", (cursor.lastrowid, text))

    def forget(self, paths: list[str]) -> None:
        """Drop files that no longer exist."""
        with self._lock, self._db:
            for path in paths:
                old = self._db.execute("SELECT rowid FROM files WHERE path = ?", (path,)).fetchone()
                if old:
                    self._db.execute("DELETE FROM bodies WHERE rowid = ?", old)
                    self._db.execute("DELETE FROM files WHERE rowid = ?", old)

    def search(self, query: str) -> set[str]:
        """Ids of articles whose body has every word of ``query`` (as a word prefix), all of them."""
        words = _WORD.findall(query)
        if not words:
            return set()
        match = " AND ".join('"' + w.replace('"', '""') + '"*' for w in words)
        with self._lock:
            try:
                (joined,) = self._db.execute(_SEARCH, (match,)).fetchone()
            except sqlite3.OperationalError:
                return set()
        return set(joined.split("\0")) if joined else set()

    def text_of(self, path: str) -> str | None:
        """The plain text of the article at ``path`` as last indexed (its projection's ``text``),
        or ``None`` when there is none. After a scan it is the file's current text."""
        with self._lock:
            row = self._db.execute(
                "SELECT text FROM bodies WHERE rowid = (SELECT rowid FROM files WHERE path = ? AND error IS NULL)", (path,)
            ).fetchone()
        if row is None:
            return None
        _title, _newline, text = str(row[0]).partition("\n")  # stored as title, a line break, then the text
        return text

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _under(prefixes: list[str], table: str = "") -> tuple[str, list[object]]:
    """A condition on ``path``: the file is one of ``prefixes`` or under one of them (false for none)."""
    if not prefixes:
        return "0", []
    column = table + "path"
    where = " OR ".join([f"{column} = ? OR {column} LIKE ? ESCAPE '\\'"] * len(prefixes))
    params: list[object] = []
    for prefix in prefixes:
        folder = prefix if prefix.endswith(os.sep) else prefix + os.sep  # "/" is its own folder
        params += [prefix, _like_escaped(folder) + "%"]
    return where, params


def _like_escaped(text: str) -> str:
    """``text`` matched as it is by LIKE with ``ESCAPE '\\'``: Windows' separator is that escape too."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _meta(path: str, size: int, row: Sequence[Any]) -> ArticleMeta:
    id_, title, section, author, date, source, url, tags, words, fmt, mtime, sort_key = row
    date = date or ""
    return ArticleMeta(
        id=id_, path=path, title=title or "", section=_shared(section), author=_shared(author),
        date=date, source=_shared(source), url=url or "", tags=_NO_TAGS if tags in _EMPTY else _tags(tags),
        words=words or 0, format=_shared(fmt) or "text", mtime=mtime or 0.0, size=size or 0,
        sort_key=date if sort_key == date else sort_key or "",
    )


def _tags(stored: str) -> tuple[str, ...]:
    """The tags stored as a JSON list; one tuple for each list that many articles repeat."""
    tags = _TAGS.get(stored)
    if tags is None:
        if len(_TAGS) >= _TAGS_KEPT:
            _TAGS.clear()
        tags = _TAGS[stored] = tuple(json.loads(stored))
    return tags


_TAGS: dict[str, tuple[str, ...]] = {}
_TAGS_KEPT = 50_000


def _shared(value: str | None) -> str:
    """One string object for a value that many articles repeat (a section, source, author, format)."""
    return sys.intern(value) if value else ""
