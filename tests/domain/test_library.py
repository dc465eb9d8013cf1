"""The library: listing a tree of article files through the metadata index, and opening them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import reader.domain.articles.library as library_module
import reader.domain.articles.reading as reading_module
from reader.domain.articles.article import article_id
from reader.domain.articles.files import read_text as real_read_text
from reader.domain.articles.index import MetadataIndex
from reader.domain.articles.library import Library, Root, named_root

DAY = 86_400
JAN_2020 = 1_577_836_800


def write(path: Path, text: str | bytes, mtime: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def make_tree(root: Path) -> Path:
    """A small library: nested folders, hidden and unknown files, and some broken ones."""
    write(root / "top.md", "---\ntitle: Top story\ndate: 2024-05-01\n---\nThe aardvark spoke.\n")
    write(root / "world" / "europe" / "deep.md", "---\ndate: 2025-01-15\n---\n# Deep story\n\nNested text.\n")
    write(root / "world" / "plain.txt", "WORLD\nPlain headline\nOnly mtime dates this one.\n", mtime=JAN_2020)
    write(root / "world" / "page.html", "<title>Web page</title><p>Hypertext body.</p>", mtime=JAN_2020 + DAY)
    write(root / ".hidden.md", "# Hidden\n\nnever listed")
    write(root / ".git" / "notes.md", "# In a hidden folder\n")
    write(root / "world" / ".draft.txt", "Draft\nnot listed")
    write(root / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(root / "doc.pdf", b"%PDF-1.4 \x00")
    write(root / "broken" / "binary.txt", b"abc\x00def")
    write(root / "broken" / "empty.md", "")
    write(root / "broken" / "latin.txt", b"caf\xe9 without a declaration")
    (root / "broken" / "dangling.md").symlink_to(root / "broken" / "nowhere.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "broken" / "pipe.txt")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "lib")


@pytest.fixture
def index(tmp_path: Path) -> MetadataIndex:
    db = MetadataIndex(tmp_path / "cache" / "index.sqlite3")
    yield db
    db.close()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path the library reads, in order."""
    calls: list[Path] = []

    def counting(path: Path, *args: object, **kwargs: object) -> str:
        calls.append(Path(path))
        return real_read_text(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library_module, "read_text", counting)
    monkeypatch.setattr(reading_module, "read_text", counting)  # what a scan reads
    return calls


def titles(listing) -> list[str]:  # type: ignore[no-untyped-def]
    return [meta.title for meta in listing.articles]


def test_scan_lists_articles_newest_first(tree: Path, index: MetadataIndex) -> None:
    listing = Library([Root(tree, "library")], index).scan()
    assert titles(listing) == ["Deep story", "Top story", "Web page", "Plain headline"]
    deep, top, page, plain = listing.articles
    assert deep.date == "2025-01-15" and top.date == "2024-05-01"
    assert page.date == "" and page.sort_key.startswith("2020-01-02")
    assert plain.section == "WORLD" and plain.format == "text" and page.format == "html"
    assert deep.path == str(tree / "world" / "europe" / "deep.md")
    assert deep.id == article_id("library", "world/europe/deep.md")
    assert top.words == 3


def test_hidden_and_unknown_files_are_ignored(tree: Path, index: MetadataIndex) -> None:
    listing = Library([Root(tree, "library")], index).scan()
    every = [m.path for m in listing.articles] + [s.path for s in listing.skipped]
    for name in (".hidden.md", "notes.md", ".draft.txt", "image.png", "doc.pdf"):
        assert not any(path.endswith(name) for path in every), name


def test_unreadable_files_are_reported_not_raised(tree: Path, index: MetadataIndex) -> None:
    listing = Library([Root(tree, "library")], index).scan()
    reasons = {Path(s.path).name: s.reason for s in listing.skipped}
    expected = {
        "binary.txt": "binary file",
        "empty.md": "empty file",
        "latin.txt": "not UTF-8 text and no charset declared",
        "dangling.md": "broken link",
    }
    if hasattr(os, "mkfifo"):
        expected["pipe.txt"] = "not a regular file"
    assert reasons == expected


def test_ids_are_stable_across_instances_and_locations(tree: Path, tmp_path: Path) -> None:
    first = Library([Root(tree, "library")], MetadataIndex(None)).scan()
    again = Library([Root(tree, "library")], MetadataIndex(None)).scan()
    moved = make_tree(tmp_path / "elsewhere" / "deeper" / "lib")
    there = Library([Root(moved, "library")], MetadataIndex(None)).scan()
    ids = {m.title: m.id for m in first.articles}
    assert ids == {m.title: m.id for m in again.articles}
    assert ids == {m.title: m.id for m in there.articles}
    assert len(set(ids.values())) == len(ids)
    assert {m.path for m in there.articles}.isdisjoint({m.path for m in first.articles})


def test_named_folders_with_the_same_name_share_ids(tree: Path, tmp_path: Path) -> None:
    moved = make_tree(tmp_path / "copy" / "lib")
    assert named_root(tree).label == named_root(moved).label == "path/lib"
    a = Library([named_root(tree)], MetadataIndex(None)).scan()
    b = Library([named_root(moved)], MetadataIndex(None)).scan()
    assert [m.id for m in a.articles] == [m.id for m in b.articles]


def test_second_scan_of_an_unchanged_tree_reads_nothing(
    tree: Path, index: MetadataIndex, reads: list[Path]
) -> None:
    first = Library([Root(tree, "library")], index).scan()
    assert len(reads) == 7  # four articles, and the binary, empty and latin-1 files
    reads.clear()
    second = Library([Root(tree, "library")], index).scan()
    assert reads == []
    assert second == first


def test_changed_file_is_read_again(tree: Path, index: MetadataIndex, reads: list[Path]) -> None:
    library = Library([Root(tree, "library")], index)
    library.scan()
    reads.clear()
    top = tree / "top.md"
    write(top, "---\ntitle: Top story, updated\ndate: 2024-05-01\n---\nThe zebra spoke at length.\n",
          mtime=int(top.stat().st_mtime) + 10)
    listing = library.scan()
    assert reads == [top]
    assert "Top story, updated" in titles(listing)
    changed = next(m for m in listing.articles if m.path == str(top))
    assert library.search("zebra") == {changed.id}
    assert library.search("aardvark") == set()


def test_same_size_new_mtime_is_read_again(tree: Path, index: MetadataIndex, reads: list[Path]) -> None:
    library = Library([Root(tree, "library")], index)
    library.scan()
    reads.clear()
    plain = tree / "world" / "plain.txt"
    write(plain, "WORLD\nPlain headlinX\nOnly mtime dates this one.\n", mtime=JAN_2020 + 5)
    assert "Plain headlinX" in titles(library.scan())
    assert reads == [plain]


def test_deleted_file_disappears(tree: Path, index: MetadataIndex) -> None:
    library = Library([Root(tree, "library")], index)
    before = library.scan()
    (tree / "top.md").unlink()
    (tree / "broken" / "binary.txt").unlink()
    after = library.scan()
    assert titles(after) == [t for t in titles(before) if t != "Top story"]
    assert not any(s.path.endswith("binary.txt") for s in after.skipped)
    assert library.search("aardvark") == set()
    assert not any(p.endswith("top.md") for p in index.stats([str(tree)]))
    assert titles(Library([Root(tree, "library")], index).cached()) == titles(after)


def test_cached_lists_from_the_index_without_reading(
    tree: Path, index: MetadataIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanned = Library([Root(tree, "library")], index).scan()

    def refuse(path: Path, *args: object, **kwargs: object) -> str:
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(library_module, "read_text", refuse)
    monkeypatch.setattr(reading_module, "read_text", refuse)
    library = Library([Root(tree, "library")], index)
    cached = library.cached()
    assert cached.articles == scanned.articles
    assert sorted(cached.skipped, key=lambda s: s.path) == sorted(scanned.skipped, key=lambda s: s.path)
    assert library.find(scanned.articles[0].id) == scanned.articles[0]


def test_cached_keeps_to_its_roots(tree: Path, tmp_path: Path, index: MetadataIndex) -> None:
    other = tmp_path / "lib2"
    write(other / "x.md", "# Other root\n\ntext")
    Library([Root(tree, "library"), Root(other, "second")], index).scan()
    assert titles(Library([Root(other, "second")], index).cached()) == ["Other root"]
    assert "Other root" not in titles(Library([Root(tree, "library")], index).cached())


def test_cached_of_an_empty_index_is_empty(tree: Path, index: MetadataIndex) -> None:
    listing = Library([Root(tree, "library")], index).cached()
    assert listing.articles == () and listing.skipped == ()


def test_ids_follow_the_root_label_even_from_the_cache(tree: Path, index: MetadataIndex) -> None:
    Library([Root(tree, "library")], index).scan()
    library = Library([named_root(tree)], index)
    listing = library.scan()
    rel = "world/europe/deep.md"
    deep = next(m for m in listing.articles if m.path.endswith(rel))
    assert deep.id == article_id("path/lib", rel)
    assert library.search("nested") == {deep.id}


def test_search_by_a_body_word(tree: Path, index: MetadataIndex) -> None:
    library = Library([Root(tree, "library")], index)
    listing = library.scan()
    by_title = {m.title: m.id for m in listing.articles}
    assert library.search("aardvark") == {by_title["Top story"]}
    assert library.search("AARDV") == {by_title["Top story"]}  # a prefix, any case
    assert library.search("hypertext body") == {by_title["Web page"]}
    assert library.search("hypertext aardvark") == set()
    assert library.search("nowhere-to-be-found") == set()
    assert library.search('"') == set()
    assert library.search("NEAR OR AND *") == set()


def test_load_returns_the_body(tree: Path, index: MetadataIndex) -> None:
    library = Library([Root(tree, "library")], index)
    listing = library.scan()
    deep = next(m for m in listing.articles if m.title == "Deep story")
    article = library.load(deep)
    assert article.id == deep.id
    assert article.title == "Deep story"
    assert article.body == "Nested text."
    plain = library.load(next(m for m in listing.articles if m.title == "Plain headline"))
    assert plain.body == "Only mtime dates this one."
    assert plain.meta.section == "WORLD"


def test_load_of_a_file_gone_bad_raises_unreadable(tree: Path, index: MetadataIndex) -> None:
    from reader.domain.articles.files import Unreadable

    library = Library([Root(tree, "library")], index)
    meta = next(m for m in library.scan().articles if m.title == "Top story")
    Path(meta.path).write_bytes(b"\x00\x01")
    with pytest.raises(Unreadable):
        library.load(meta)


def test_a_single_file_root(tree: Path, index: MetadataIndex) -> None:
    root = named_root(tree / "top.md")
    listing = Library([root], index).scan()
    assert titles(listing) == ["Top story"]
    assert listing.articles[0].id == article_id("file", "top.md")


def test_an_explicit_file_of_unknown_type_is_reported(tree: Path, index: MetadataIndex) -> None:
    listing = Library([named_root(tree / "doc.pdf")], index).scan()
    assert listing.articles == ()
    assert [(Path(s.path).name, s.reason) for s in listing.skipped] == [("doc.pdf", "unsupported file type")]


def test_missing_root_lists_nothing(tmp_path: Path, index: MetadataIndex) -> None:
    listing = Library([Root(tmp_path / "absent", "library")], index).scan()
    assert listing.articles == () and listing.skipped == ()


def test_damaged_index_file_is_rebuilt(tree: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad" / "index.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    db = MetadataIndex(path)
    try:
        assert len(Library([Root(tree, "library")], db).scan().articles) == 4
    finally:
        db.close()


def test_progress_is_reported(tree: Path, index: MetadataIndex) -> None:
    seen: list[tuple[int, int]] = []
    Library([Root(tree, "library")], index).scan(progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]


def test_search_follows_changes_made_after_it_first_ran_here_and_in_another_process(tree: Path, tmp_path: Path) -> None:
    path = tmp_path / "cache" / "index.sqlite3"
    mine, other = MetadataIndex(path), MetadataIndex(path)  # two connections: two reader processes
    try:
        library = Library([Root(tree, "library")], mine)
        library.scan()
        assert library.search("aardvark") == {by_title(library, "Top story")}  # the search map is built now
        top = tree / "top.md"
        write(top, "---\ntitle: Top story\ndate: 2024-05-01\n---\nThe zebra spoke.\n", mtime=int(top.stat().st_mtime) + 10)
        library.scan()  # this process changes the index
        assert library.search("aardvark") == set()
        assert library.search("zebra") == {by_title(library, "Top story")}
        (tree / "top.md").unlink()
        Library([Root(tree, "library")], other).scan()  # another process removes it: its rowid may come back
        write(tree / "newer.md", "---\ntitle: Newer\n---\nA yak appears.\n", mtime=JAN_2020 + 50)
        Library([Root(tree, "library")], other).scan()
        assert library.search("zebra") == set()
        assert library.search("yak") == {next(m.id for m in Library([Root(tree, "library")], other).cached().articles
                                              if m.title == "Newer")}
    finally:
        mine.close()
        other.close()


def by_title(library: Library, title: str) -> str:
    return next(m.id for m in library.cached().articles if m.title == title)


def test_the_index_gives_back_each_articles_text_as_a_fresh_projection_would(tree: Path, index: MetadataIndex) -> None:
    from reader.domain.articles.markdown import project

    library = Library([Root(tree, "library")], index)
    listing = library.scan()
    assert listing.articles
    for meta in listing.articles:  # every format in the tree: text, Markdown, HTML
        assert index.text_of(meta.path) == project(library.load(meta).body).text, meta.path
    assert index.text_of(str(tree / "nowhere.md")) is None
    assert all(index.text_of(s.path) is None for s in listing.skipped)


def test_a_scan_reads_only_the_index_rows_under_its_roots_and_keeps_the_others(
    tree: Path, tmp_path: Path, index: MetadataIndex
) -> None:
    other = make_tree(tmp_path / "other")
    Library([Root(other, "library")], index).scan()
    Library([Root(tree, "library")], index).scan()
    assert index.stats([str(tree)]) and all(p.startswith(str(tree) + os.sep) for p in index.stats([str(tree)]))
    assert not any(p.startswith(str(tree)) for p in index.stats([str(other)]))
    assert index.stats([str(other)]), "another root's rows are kept for its next run"
    # a prefix is a folder, not the start of a name: lib is not lib2
    write(tmp_path / "lib2" / "x.md", "# Next door\n")
    Library([Root(tmp_path / "lib2", "library")], index).scan()
    assert not any("lib2" in p for p in index.stats([str(tree)]))


def test_unchanged_names_the_files_of_indexed_articles_without_a_scan(
    tree: Path, index: MetadataIndex, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = Library([Root(tree, "library")], index).scan()
    reads.clear()
    library = Library([Root(tree, "library")], index)
    wanted = {m.id: m.path for m in listing.articles[:2]}
    assert library.unchanged(wanted) == wanted
    assert reads == []


def test_article_texts_of_unchanged_articles_come_from_the_index_without_a_scan(
    tree: Path, index: MetadataIndex, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.domain.articles.texts import ArticleTexts

    listing = Library([Root(tree, "library")], index).scan()
    top = next(m for m in listing.articles if m.title == "Top story")
    reads.clear()
    monkeypatch.setattr(Library, "scan", lambda *a, **k: pytest.fail("scanned the library"))
    texts = ArticleTexts.of(Library([Root(tree, "library")], index), [top.id])
    assert texts.text(top.id) == "The aardvark spoke."
    assert texts.meta(top.id) == top
    assert texts.text("0123456789ab") is None and texts.meta("0123456789ab") is None
    assert reads == []


def test_article_texts_of_a_changed_article_scan_and_give_its_new_text(tree: Path, index: MetadataIndex) -> None:
    from reader.domain.articles.texts import ArticleTexts

    library = Library([Root(tree, "library")], index)
    top = next(m for m in library.scan().articles if m.title == "Top story")
    write(Path(top.path), "---\ntitle: Top story\n---\nThe zebra spoke.\n", mtime=JAN_2020)
    texts = ArticleTexts.of(Library([Root(tree, "library")], index), [top.id])
    assert texts.text(top.id) == "The zebra spoke."


def test_unchanged_says_a_scan_is_needed_for_a_changed_a_gone_or_an_unknown_article(
    tree: Path, index: MetadataIndex
) -> None:
    library = Library([Root(tree, "library")], index)
    listing = library.scan()
    top = next(m for m in listing.articles if m.title == "Top story")
    deep = next(m for m in listing.articles if m.title == "Deep story")
    assert library.unchanged([top.id, deep.id]) is not None
    assert library.unchanged([top.id, "0123456789ab"]) is None  # a new file, or one gone before the last scan
    write(Path(top.path), "---\ntitle: Top story\n---\nThe aardvark spoke again.\n", mtime=JAN_2020)
    assert library.unchanged([top.id]) is None
    assert library.unchanged([deep.id]) == {deep.id: deep.path}
    Path(deep.path).unlink()
    assert library.unchanged([deep.id]) is None


def test_unchanged_does_not_answer_for_an_article_of_another_root_or_label(
    tree: Path, tmp_path: Path, index: MetadataIndex
) -> None:
    listing = Library([Root(tree, "library")], index).scan()
    top = next(m for m in listing.articles if m.title == "Top story")
    assert Library([Root(tmp_path / "elsewhere", "library")], index).unchanged([top.id]) is None
    relabelled = Library([Root(tree, "path/lib")], index)  # the same files now have other ids
    assert relabelled.unchanged([top.id]) is None
    fresh = relabelled.scan()
    assert top.id not in {m.id for m in fresh.articles}
    moved = next(m for m in fresh.articles if m.title == "Top story")
    assert relabelled.unchanged([moved.id]) == {moved.id: top.path}


def test_unchanged_does_not_follow_a_folder_the_scan_does_not_enter(tree: Path, tmp_path: Path, index: MetadataIndex) -> None:
    """A folder replaced by a link to it: the scan does not follow linked folders, so neither may
    the index's answer (found in review)."""
    library = Library([Root(tree, "library")], index)
    deep = next(m for m in library.scan().articles if m.title == "Deep story")
    europe = tree / "world" / "europe"
    europe.rename(tmp_path / "europe-moved")
    europe.symlink_to(tmp_path / "europe-moved", target_is_directory=True)
    assert library.unchanged([deep.id]) is None
    assert deep.id not in {m.id for m in library.scan().articles}


def test_unchanged_leaves_an_id_that_two_files_share_to_the_scan(tmp_path: Path, index: MetadataIndex) -> None:
    """Named folders with the same name share their ids: which file a scan keeps is the scan's to say."""
    for side in ("a", "b"):
        write(tmp_path / side / "notes" / "x.md", f"# Side {side}\n\nText of {side}.\n")
    library = Library([named_root(tmp_path / "a" / "notes"), named_root(tmp_path / "b" / "notes")], index)
    listing = library.scan()
    shared = article_id("path/notes", "x.md")
    assert [m.id for m in listing.articles] == [shared, shared]
    assert library.unchanged([shared]) is None


def test_stats_and_unchanged_with_a_root_of_the_whole_file_system(index: MetadataIndex) -> None:
    from reader.domain.articles.index import Entry

    index.put([(Entry("/lib/a.md", 1, 1, None, "unsupported file type"), "")])
    assert list(index.stats([os.sep])) == ["/lib/a.md"]


def test_lookup_gives_an_unchanged_articles_metadata_from_the_index_and_nothing_else(
    tree: Path, index: MetadataIndex, reads: list[Path]
) -> None:
    library = Library([Root(tree, "library")], index)
    listing = library.scan()
    top = next(m for m in listing.articles if m.title == "Top story")
    reads.clear()
    fresh = Library([Root(tree, "library")], index)
    assert fresh.lookup(top.id) == top
    assert fresh.lookup(top.id[:6]) is None  # a short id: the scan says which article, if any
    assert fresh.lookup("0123456789ab") is None
    assert reads == []
    write(Path(top.path), "---\ntitle: Top story, edited\n---\nNew.\n", mtime=JAN_2020)
    assert fresh.lookup(top.id) is None
