"""How long a durable annotation write and an open take as the store grows; prints medians.

Run: ``python bench/bench_store.py`` (or ``--quick`` for fewer, smaller runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.domain.annotations.model import Annotation, Selectors  # noqa: E402
from reader.domain.store.storage import JournalStorage  # noqa: E402
from reader.domain.store.store import Store  # noqa: E402

TEXT = "The quick brown fox jumps over the lazy dog. " * 8


def sample(n: int) -> Annotation:
    """A realistic annotation: a quoted passage with context and a short note."""
    start = n % 200
    return Annotation.new(
        f"article-{n % 997}",
        title=f"Article {n % 997}",
        url=f"https://example.org/{n % 997}",
        selectors=Selectors.for_span(TEXT, start, start + 60, (1, 2)),
        note=f"note number {n}",
    )


def populated(folder: Path, size: int) -> Path:
    """A store at ``folder`` holding ``size`` annotations, compacted."""
    path = folder / "reader.json"
    with Store.open(path) as store:
        if size:
            store.import_annotations(sample(n) for n in range(size))
    return path


def median_ms(samples: list[float]) -> float:
    """The median of ``samples`` (seconds) in milliseconds."""
    return statistics.median(samples) * 1000


def bench_add(size: int, runs: int) -> float:
    """Median time of one durable ``add`` into a store already holding ``size`` annotations."""
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(populated(Path(tmp), size)) as store:
            store.add(sample(-1))  # the day's first save also makes the daily backup
            samples = []
            for n in range(runs):
                item = sample(size + n)
                start = time.perf_counter()
                store.add(item)
                samples.append(time.perf_counter() - start)
    return median_ms(samples)


def bench_open(size: int, runs: int) -> float:
    """Median time to open a store holding ``size`` annotations."""
    with tempfile.TemporaryDirectory() as tmp:
        path = populated(Path(tmp), size)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            Store.open(path).close()
            samples.append(time.perf_counter() - start)
    return median_ms(samples)


def bench_rewrite(size: int, runs: int) -> float:
    """Median time of one durable whole-snapshot rewrite (a compaction) at ``size`` annotations."""
    with tempfile.TemporaryDirectory() as tmp:
        storage = JournalStorage(populated(Path(tmp), size))
        storage.load_files()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            storage.write(storage.tables)
            samples.append(time.perf_counter() - start)
    return median_ms(samples)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, stop at 10,000")
    args = parser.parse_args()
    sizes = [0, 1_000, 10_000] if args.quick else [0, 1_000, 10_000, 100_000]
    runs = 7 if args.quick else 25
    for size in sizes:
        print(f"add, {size:>7,} existing: {bench_add(size, runs):8.2f} ms median of {runs}", flush=True)
    size = sizes[-1]
    opens = 3 if args.quick else 5
    print(f"open, {size:>6,} annotations: {bench_open(size, opens):8.1f} ms median of {opens}", flush=True)
    print(f"compaction (whole rewrite), {size:>6,}: {bench_rewrite(size, opens):8.1f} ms median of {opens}", flush=True)


if __name__ == "__main__":
    main()
