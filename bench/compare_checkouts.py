"""This checkout beside another one (``--base``), run by run in turn, for the first-start figures.

``first-start``: a data dir of N generated articles and no index or store, ``reader --data-dir``
in a pseudo-terminal until the newest headline is in the sidebar (``bench_app.py``'s cold sidebar).
``index``: ``Library.scan`` of an articles folder into a fresh index, in a fresh interpreter.
The base checkout is another tree of reader's source (``git worktree add`` or ``git archive``),
run with this checkout's interpreter and ``PYTHONPATH`` pointing at it. Medians and the median of
the per-pair ratios are printed, with the load average: on a shared machine only pairs compare.

    python bench/compare_checkouts.py first-start --base /tmp/reader-main [--articles 10000] [--runs 5]
    python bench/compare_checkouts.py index --base /tmp/reader-main --folder DIR [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_app import SIZE, _env, _first_start, library_dir  # noqa: E402
from terminal import time_until_shown  # noqa: E402

INDEX_ONCE = """
import sys, tempfile, time
from pathlib import Path
from reader.domain.articles.index import MetadataIndex
from reader.domain.articles.library import Library, Root

def main():
    with tempfile.TemporaryDirectory() as tmp:
        index = MetadataIndex(Path(tmp) / "index.sqlite3")
        start = time.perf_counter()
        Library([Root(Path(sys.argv[1]), "library")], index).scan()
        print(time.perf_counter() - start)
        index.close()

if __name__ == "__main__":
    main()
"""


def _first_start_once(tree: Path, data: Path, needle: str) -> float:
    _first_start(data)
    env = _env()
    env["PYTHONPATH"] = str(tree)
    # -P: without it ``-m`` puts the current folder first on sys.path, and a run started in this
    # checkout ran this checkout's reader whatever PYTHONPATH named
    return time_until_shown([sys.executable, "-P", "-m", "reader", "--data-dir", str(data)], needle, env, SIZE, timeout=900)


def _index_once(tree: Path, folder: Path, script: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(script), str(folder)], env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Time both checkouts in turn and print the medians."""
    parser = argparse.ArgumentParser(description="This checkout beside another, pair by pair.")
    parser.add_argument("measure", choices=["first-start", "index"])
    parser.add_argument("--base", type=Path, required=True, help="the other checkout's folder")
    parser.add_argument("--articles", type=int, default=10_000, help="first-start: generated articles")
    parser.add_argument("--folder", type=Path, help="index: the articles folder to index")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=BENCH / "out", help="first-start: where the data dir is kept")
    args = parser.parse_args()
    trees = {"this": BENCH.parent, "base": args.base.resolve()}
    if args.measure == "first-start":
        data, newest = library_dir(args.work, args.articles)
        run = lambda tree: _first_start_once(tree, data, newest[:24])  # noqa: E731
    else:
        if args.folder is None:
            parser.error("index needs --folder")
        script = args.work / "index_once.py"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(INDEX_ONCE)
        run = lambda tree: _index_once(tree, args.folder, script)  # noqa: E731
    times: dict[str, list[float]] = {name: [] for name in trees}
    for number in range(args.runs):
        for name, tree in trees.items():
            times[name].append(run(tree))
        print(f"  … run {number + 1}: this {times['this'][-1]:.3f} s, base {times['base'][-1]:.3f} s;"
              f" load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    for name, values in times.items():
        print(f"{args.measure} {name}: median {statistics.median(values):.3f} s of {[round(v, 3) for v in values]}")
    ratios = [a / b for a, b in zip(times["this"], times["base"])]
    print(f"this / base, median of the pairs: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
