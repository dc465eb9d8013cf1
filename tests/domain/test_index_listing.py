"""Listing from the index alone: only the roots asked for, newest first, a first screen on demand."""

from pathlib import Path

from reader.domain.articles.index import MetadataIndex
from reader.domain.articles.library import Library, Root


def _library(tmp_path: Path, names: list[str]) -> list[Path]:
    roots = []
    for name in names:
        folder = tmp_path / name
        folder.mkdir()
        for n in range(3):
            (folder / f"{n}.md").write_text(f"---\ntitle: {name} {n}\ndate: 2024-01-0{n + 1}\n---\nBody {n}.\n")
        roots.append(folder)
    return roots


def test_cached_lists_only_its_roots_even_with_like_wildcards_and_case(tmp_path: Path) -> None:
    a_b, axb, upper = _library(tmp_path, ["a_b", "axb", "A_B"])
    index = MetadataIndex(tmp_path / "index.sqlite3")
    Library([Root(a_b, "x"), Root(axb, "y"), Root(upper, "z")], index).scan()
    only = Library([Root(a_b, "x")], index).cached()
    assert [m.title for m in only.articles] == ["a_b 2", "a_b 1", "a_b 0"]


def test_a_scans_index_rows_are_its_roots_even_with_like_wildcards_and_case(tmp_path: Path) -> None:
    a_b, axb, upper = _library(tmp_path, ["a_b", "axb", "A_B"])
    (tmp_path / "a%b").mkdir()
    (tmp_path / "a%b" / "p.md").write_text("# Percent\n")
    index = MetadataIndex(tmp_path / "index.sqlite3")
    Library([Root(a_b, "x"), Root(axb, "y"), Root(upper, "z"), Root(tmp_path / "a%b", "w")], index).scan()
    assert sorted(Path(p).name for p in index.stats([str(a_b)])) == ["0.md", "1.md", "2.md"]
    assert {Path(p).parent for p in index.stats([str(a_b)])} == {a_b}
    assert {Path(p).parent for p in index.stats([str(tmp_path / "a%b")])} == {tmp_path / "a%b"}


def test_a_limited_listing_is_the_newest_few(tmp_path: Path) -> None:
    (folder,) = _library(tmp_path, ["news"])
    library = Library([Root(folder, "n")], MetadataIndex(None))
    full = library.scan()
    first = library.cached(2)
    assert [m.id for m in first.articles] == [m.id for m in full.articles[:2]]
    assert library.cached().articles == full.articles


def test_tags_come_back_from_the_index_as_they_went_in_even_when_its_tag_cache_fills(monkeypatch) -> None:
    from dataclasses import replace

    from hypothesis import given, settings, strategies as st

    import reader.domain.articles.index as index_module
    from reader.domain.articles.article import ArticleMeta
    from reader.domain.articles.index import Entry

    monkeypatch.setattr(index_module, "_TAGS_KEPT", 3)  # the cache is cleared often within one run
    base = ArticleMeta(id="id", path="/lib/a.md", title="A")
    index = MetadataIndex(None)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.lists(st.text(max_size=8), max_size=4).map(tuple), min_size=1, max_size=8))
    def round_trip(tag_lists: list[tuple[str, ...]]) -> None:
        entries = [(Entry(f"/lib/{n}.md", 1, n, replace(base, id=f"id{n}", path=f"/lib/{n}.md", tags=tags), None), "")
                   for n, tags in enumerate(tag_lists)]
        index.put(entries)
        got = {m.path: m.tags for m in index.metas([e.path for e, _ in entries])}
        assert got == {e.path: e.meta.tags for e, _ in entries}

    round_trip()
