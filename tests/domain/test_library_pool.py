"""The scan's parallel reading: worker processes give what the scanning thread would, newest first."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.domain.articles.library as library_module
import reader.domain.articles.reading as reading_module
from reader.domain.articles.index import MetadataIndex
from reader.domain.articles.library import Library, Listing, Root

from tests.domain.test_library import JAN_2020, make_tree, write

COUNT = 120


def big_tree(root: Path) -> Path:
    """The small library of the scan tests plus ``COUNT`` articles, a day apart, spread over folders."""
    make_tree(root)
    for n in range(COUNT):
        write(root / f"s{n % 7}" / f"{n:04d}.txt", f"SECTION {n % 7}\nHeadline {n}\nBody of {n}, the word w{n}.\n",
              mtime=JAN_2020 + n * 86_400)
    return root


def scan(root: Path, index: MetadataIndex, partials: list[Listing] | None = None) -> Listing:
    return Library([Root(root, "library")], index).scan(partial=None if partials is None else partials.append)


def test_a_pool_scan_lists_and_indexes_what_a_scan_in_one_thread_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = big_tree(tmp_path / "lib")
    alone = MetadataIndex(tmp_path / "alone.sqlite3")
    expected = scan(tree, alone)
    monkeypatch.setattr(reading_module, "POOL_FROM", 1)
    monkeypatch.setattr(reading_module, "CHUNK", 7)
    monkeypatch.setattr(reading_module, "cores", lambda: 2)
    pooled = MetadataIndex(tmp_path / "pooled.sqlite3")
    got = scan(tree, pooled)
    assert got == expected
    assert len(got.articles) == COUNT + 4
    assert pooled.stats([str(tree)]) == alone.stats([str(tree)])
    for meta in got.articles:
        assert pooled.text_of(meta.path) == alone.text_of(meta.path)
    assert pooled.search("w17") == alone.search("w17") != set()


def test_the_first_partial_listing_comes_early_and_holds_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = big_tree(tmp_path / "lib")
    monkeypatch.setattr(library_module, "FIRST_BATCH", 10)
    monkeypatch.setattr(library_module, "BATCH", 50)
    partials: list[Listing] = []
    final = scan(tree, MetadataIndex(None), partials)
    read = [len(p.articles) + sum(s.reason not in ("broken link", "not a regular file") for s in p.skipped)
            for p in partials]
    assert read[:2] == [10, 60]  # the files that had to be read: not the link or the pipe
    first = partials[0]
    generated = [m for m in final.articles if m.title.startswith("Headline")]
    newest_by_mtime = sorted(generated, key=lambda m: m.mtime, reverse=True)[:3]
    assert set(newest_by_mtime) <= set(first.articles)
    assert final.articles[0] in first.articles


class _BrokenPool:
    """A pool whose workers all died: every task it was given fails."""

    def submit(self, *_args: object) -> object:
        from reader.domain.articles.reading import _failed

        return _failed()

    def shutdown(self, **_options: object) -> None:
        pass


def test_a_broken_pool_leaves_the_files_to_the_scanning_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = big_tree(tmp_path / "lib")
    expected = scan(tree, MetadataIndex(None))
    monkeypatch.setattr(reading_module, "POOL_FROM", 1)
    monkeypatch.setattr(reading_module, "CHUNK", 7)
    monkeypatch.setattr(reading_module, "cores", lambda: 2)
    monkeypatch.setattr(reading_module, "_pool", lambda _workers: _BrokenPool())
    assert scan(tree, MetadataIndex(None)) == expected
