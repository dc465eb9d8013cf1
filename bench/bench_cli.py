"""Whole-process cost of CLI commands with many annotations, beside the same command with none.

Each data dir has the seed library (one article, a warm index) and a store of N generated
annotations (bench/out/cli-N/, kept; the store is copied back from ``pristine/`` before each
round so runs do not pile up). Per round every size runs once, one after the other, so each
figure has its reference (0 annotations) measured next to it. Printed per command and size: the
median wall time and CPU time (user + system of the child; on a loaded machine CPU time is the
steadier of the two), the median of the per-round ratios, and the load average.

    python bench/bench_cli.py [--quick] [--runs N] [--sizes 0,20000,100000] [--only bookmark,mark,open,annotations,doctor]

``open`` is ``Store.open`` of the N-annotation store in a fresh interpreter (target ≤ 0.2 s at
100,000). ``--base DIR`` runs another checkout of reader in the same rounds (before/after);
``--data DIR`` runs the commands in an existing data dir instead (``bench_scale``'s, for
``annotations`` and ``doctor`` over its 100,002 articles), this checkout beside ``--base``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

OUT = BENCH / "out"
SEED = "e3be79094a6e"
"""The seed article's id (the one article of the seed library)."""
TARGETS = {"bookmark": "≤ 1.2× none", "note": "≤ 1.2× none", "mark": "≤ 1.2× none", "annotations": "≤ 2 s", "doctor": "≤ 2 s"}
COMMANDS = {
    "bookmark": ["bookmark", SEED, "--paragraph", "2", "--note", "a note from the benchmark"],
    "note": ["note", SEED, "a whole-article note from the benchmark"],
    "mark": ["mark", "--star", SEED],  # a command that opens the store and never uses the annotations
    "annotations": ["annotations"],
    "doctor": ["doctor"],
}


def _annotations(count: int):
    """``count`` deterministic annotations on 5,000 articles, about 900 bytes each as stored."""
    import random

    from reader.domain.annotations.model import Annotation, Selectors

    rng = random.Random(17)
    words = "the budget police council river market energy school weighs vote city park harbour".split()
    text = " ".join(rng.choice(words) for _ in range(400))
    for n in range(count):
        article = f"{n % 5000:012x}"
        note = " ".join(rng.choice(words) for _ in range(rng.choice((0, 0, 8, 30, 300))))
        start = rng.randrange(0, len(text) - 300)
        selectors = None if n % 20 == 0 else Selectors.for_span(text, start, start + rng.randint(40, 300), (1, 1))
        item = Annotation.new(article, title=f"Article {article}", url=f"https://example.org/{article}",
                              selectors=selectors, note=note or ("" if selectors else "a note"))
        yield item


def data_dir(count: int) -> Path:
    """The data dir with ``count`` annotations (made on first use) and its store reset."""
    folder = OUT / f"cli-{count}"
    data, pristine = folder / "data", folder / "pristine"
    if not (folder / "ready").exists():
        if folder.exists():
            shutil.rmtree(folder)
        from reader.domain.store.store import Store

        pristine.mkdir(parents=True)
        with Store.open(pristine / "reader.json") as store:
            store.import_annotations(_annotations(count))
        data.mkdir()
        subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data), "list"], check=True,
                       stdout=subprocess.DEVNULL)  # a warm index
        (folder / "ready").write_text("1\n")
    for item in data.iterdir():
        if item.name != "cache":
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    for name in ("reader.json", "reader.json.journal"):
        if (pristine / name).exists():
            shutil.copy2(pristine / name, data / name)
    return data


def _env(tree: Path) -> dict[str, str]:
    """The environment that runs reader from ``tree`` (run with ``cwd=tree`` too: ``-m`` and ``-c``
    put the working folder first on ``sys.path``)."""
    return {**os.environ, "PYTHONPATH": str(tree)}


def run_once(tree: Path, data: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``reader --data-dir data ARGS``, reader's code taken from ``tree``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data), *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env(tree), cwd=tree)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # doctor exits 1 while damage is unacknowledged
        raise SystemExit(f"reader {' '.join(args)} failed: {done.stderr.strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def open_once(tree: Path, data: Path) -> tuple[float, float]:
    """Seconds of ``Store.open`` + close of the store in ``data`` in a fresh interpreter (twice:
    wall and the process's CPU time during it)."""
    code = ("import sys, time; from pathlib import Path; from reader.domain.store.store import Store; "
            "t, c = time.perf_counter(), time.process_time(); Store.open(Path(sys.argv[1])).close(); "
            "print(time.perf_counter() - t, time.process_time() - c)")
    done = subprocess.run([sys.executable, "-c", code, str(data / "reader.json")], capture_output=True, text=True,
                          check=True, env=_env(tree), cwd=tree)
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def _load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--sizes", help="annotation counts (default 0,20000,100000; with --quick 0,20000)")
    parser.add_argument("--only", default="bookmark,open,annotations,doctor")
    parser.add_argument("--data", type=Path, help="run the commands in this data dir (e.g. bench_scale's) instead, "
                        "this checkout beside --base")
    parser.add_argument("--base", type=Path, help="another checkout of reader, measured in the same rounds (before/after)")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    sizes = [int(s) for s in (args.sizes or ("0,20000" if args.quick else "0,20000,100000")).split(",")]
    if 0 not in sizes:
        sizes.insert(0, 0)
    trees = {"this": BENCH.parent, **({"base": args.base.resolve()} if args.base else {})}
    print(f"bench_cli: medians of {runs} rounds; load average {_load()} at the start, {os.cpu_count()} cores"
          + (f"; base = {trees['base']}" if args.base else ""))
    if args.data:
        return _in_data_dir(args.data.resolve(), trees, args.only.split(","), runs)
    for measure in args.only.split(","):
        walls: dict[tuple[str, int], list[float]] = {(t, n): [] for t in trees for n in sizes}
        cpus: dict[tuple[str, int], list[float]] = {(t, n): [] for t in trees for n in sizes}
        for round_ in range(runs + 1):  # the first round warms the caches and is dropped
            for n in sizes:
                for name, tree in trees.items():
                    data = data_dir(n)
                    if measure == "open":
                        wall, cpu = open_once(tree, data)
                    else:
                        if measure in ("bookmark", "note", "mark"):
                            run_once(tree, data, COMMANDS["bookmark"])  # the day's first write makes the backup
                        wall, cpu = run_once(tree, data, COMMANDS[measure])
                    if round_:
                        walls[name, n].append(wall)
                        cpus[name, n].append(cpu)
        target = TARGETS.get(measure, "≤ 0.2 s at 100,000" if measure == "open" else "")
        print(f"{measure}  (target {target}; load {_load()})")
        for n in sizes:
            for name in trees:
                ratio = statistics.median(w / r for w, r in zip(walls[name, n], walls[name, 0]))
                cpu_ratio = statistics.median(c / r for c, r in zip(cpus[name, n], cpus[name, 0]))
                line = (f"  {name:>4} {n:>7,} annotations: wall {statistics.median(walls[name, n]):6.3f} s ({ratio:4.2f}× none),"
                        f" cpu {statistics.median(cpus[name, n]):6.3f} s ({cpu_ratio:4.2f}× none)")
                print(line + f"   wall runs: {' '.join(f'{w:.2f}' for w in walls[name, n])}", flush=True)



def _in_data_dir(data: Path, trees: dict[str, Path], measures: list[str], runs: int) -> None:
    """Each command in ``data`` (left as it is between runs), every tree in turn, run by run."""
    for measure in measures:
        walls: dict[str, list[float]] = {name: [] for name in trees}
        cpus: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(runs):
            for name, tree in trees.items():
                wall, cpu = run_once(tree, data, COMMANDS[measure])
                walls[name].append(wall)
                cpus[name].append(cpu)
        print(f"{measure} in {data}  (target {TARGETS.get(measure, '')}; load {_load()})")
        for name in trees:
            print(f"  {name:>4}: wall {statistics.median(walls[name]):6.2f} s, cpu {statistics.median(cpus[name]):6.2f} s"
                  f"   wall runs: {' '.join(f'{w:.1f}' for w in walls[name])}", flush=True)


if __name__ == "__main__":
    main()
