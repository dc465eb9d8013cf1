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


def _jobs(tree: Path) -> list[reading_module.Job]:
    import os

    from reader.domain.articles.article import article_id

    jobs = []
    for path in sorted(tree.glob("s*/*.txt")):
        info = os.stat(path)
        jobs.append(reading_module.Job(str(path), article_id("library", path.name), "text", info.st_size,
                                       info.st_mtime_ns, info.st_mtime))
    return jobs


def test_the_first_files_are_read_before_the_pool_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting the pool waits for the fork server to import the parsers: the first screen's
    files must not wait for that."""
    jobs = _jobs(big_tree(tmp_path / "lib"))
    events: list[str] = []

    def pool(_workers: int) -> _BrokenPool:
        events.append("pool")
        return _BrokenPool()

    monkeypatch.setattr(reading_module, "POOL_FROM", 1)
    monkeypatch.setattr(reading_module, "cores", lambda: 2)
    monkeypatch.setattr(reading_module, "_pool", pool)
    reads = reading_module.read_all(jobs, 5)
    firsts = [next(reads) for _ in range(5)]
    assert events == [] and [e.path for e, _ in firsts] == [j.path for j in jobs[:5]]
    rest = list(reads)
    assert events == ["pool"]
    assert [e.path for e, _ in firsts + rest] == [j.path for j in jobs]  # each file once, in order


def test_a_pool_that_cannot_start_reads_every_file_once_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = _jobs(big_tree(tmp_path / "lib"))

    def cannot(_workers: int) -> None:
        raise OSError("no semaphores here")

    monkeypatch.setattr(reading_module, "POOL_FROM", 1)
    monkeypatch.setattr(reading_module, "cores", lambda: 2)
    monkeypatch.setattr(reading_module, "_pool", cannot)
    assert [e.path for e, _ in reading_module.read_all(jobs, 5)] == [j.path for j in jobs]


def test_the_pools_workers_run_below_the_apps_priority(tmp_path: Path) -> None:
    import os

    pool = reading_module._pool(2)
    try:
        assert pool.submit(os.nice, 0).result(timeout=60) == min(19, os.nice(0) + reading_module.WORKER_NICENESS)
    finally:
        pool.shutdown()
