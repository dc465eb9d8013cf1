"""Time from the `b` keypress to the confirmed write, with 0, 1,000 and 10,000 existing annotations.

Drives the real app in-process (Pilot) on the seed article; "confirmed" is the store holding the
new bookmark and the article showing its highlight. Prints medians. ``--quick`` runs fewer times.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.config import Settings, resolve_paths  # noqa: E402
from reader.domain.annotations.model import Annotation  # noqa: E402
from reader.domain.store.store import Store  # noqa: E402
from reader.services import Services  # noqa: E402
from reader.ui.app import ReaderApp  # noqa: E402


def prepare(folder: Path, existing: int) -> None:
    with Store.open(folder / "reader.json") as store:
        store.import_annotations(Annotation.new(f"other-{n % 500}", note=f"note {n}") for n in range(existing))


async def one_run(folder: Path) -> float:
    services = Services(paths=resolve_paths(str(folder), None), settings=Settings())
    app = ReaderApp(services)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            view = app.screen.article_view
            before = len(view.marks)
            block = view.cursor
            await pilot.press("j")  # a block with no bookmark yet
            start = time.perf_counter()
            await pilot.press("b")
            while len(view.marks) == before:
                await asyncio.sleep(0.001)
            elapsed = time.perf_counter() - start
            assert view.cursor == block + 1
            return elapsed
    finally:
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    print(f"bench_bookmark: b → confirmed write and highlight, medians of {runs} runs")
    for existing in (0, 1_000, 10_000):
        samples = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                prepare(folder, existing)
                samples.append(asyncio.run(one_run(folder)))
        print(f"  {existing:>6,} existing annotations: {statistics.median(samples) * 1000:7.1f} ms"
              f"  (runs: {' '.join(f'{s * 1000:.0f}' for s in samples)})")


if __name__ == "__main__":
    main()
