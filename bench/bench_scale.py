"""Issue 6: reader with 100,000 articles and 100,000 annotations, each figure beside its target.

Run: ``python bench/bench_scale.py`` (``--quick`` for 10,000 articles and annotations and 3 runs,
``--runs N``, ``--articles N``, ``--only write,search,launch,filter,long``). The data dir is
built once and kept under ``bench/out/`` (see ``scale_data.py``); its store is reset before
every run of this script. Every figure is a median.

- write: ``Store.add`` of one annotation (durable: fsync'd) into a copy of the big store.
- search: ``library.search`` (the FTS5 index over every body) plus ``Store.articles_with_notes``
  (note, quote and title), for a few kinds of query; and the filter's search worker itself,
  ``LibraryLoader.search``, which runs both in a thread and joins them into one set.
- launch: ``reader --data-dir`` spawned in a pseudo-terminal on a warm index (the index is
  built with the data, and one start is discarded), until the newest headline is in the
  sidebar; beside Textual's hello-world in the same loop. The same start goes on: ``?`` is typed
  the moment the headline shows, until the help screen is up (the app answers keys); then until
  the process is idle (start-up work, the rescan included, done); then Escape closes the help,
  and once idle again VmRSS and VmHWM are read from ``/proc``.
- filter, long: in-process (``App.run_test``), as in ``bench_app.py``: from posting the key
  until the widgets changed and the screen refreshed. Between steps the script waits until no
  worker runs, the position was saved and the store poll has seen the app's own writes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from bench_app import HELLO, HELLO_TEXT, SIZE, _env, _reader, loaded, make_app, open_chosen  # noqa: E402
from drive import FullCollections, RowsWatch, press, quiet  # noqa: E402
from figures import Figure, ms_list, print_table  # noqa: E402
from scale_data import ScaleData, prepare  # noqa: E402
from terminal import Step, time_until_shown, times_until_shown  # noqa: E402

from reader.ui.screens.listing import SEARCH_PAUSE  # noqa: E402

WRITE_TARGET = 0.020
LAUNCH_TARGET = 1.0
KEY_TARGET = 0.050
SEARCH_TARGET = 0.200
LONG_TARGET = 0.25
JUMP_TARGET = 0.1
MEMORY_TARGET = 250.0
ADDS_PER_RUN = 5
MOVES_PER_RUN = 10
HELP_TITLE = "reader — keys"
MEASURES = ("write", "search", "launch", "filter", "long")


def _log(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


# -- the store and the search, in this process -------------------------------------------------


def bench_write(scale: ScaleData, runs: int) -> list[Figure]:
    """A durable ``Store.add`` into a copy of the big store; opening it, for information."""
    from reader.domain.store.store import Store

    with tempfile.TemporaryDirectory(prefix="reader-scale-") as tmp:
        path = Path(tmp) / "reader.json"
        for name in ("reader.json", "reader.json.journal"):
            if (scale.data / name).exists():
                shutil.copy2(scale.data / name, Path(tmp) / name)
        opens = []
        for _ in range(max(1, runs // 2)):
            start = time.perf_counter()
            Store.open(path).close()
            opens.append(time.perf_counter() - start)
        with Store.open(path) as store:
            model = store.annotations()[0]
            store.add(replace(model, id=str(uuid.uuid4())))  # the day's first write also makes the backup
            adds = []
            for _ in range(runs * ADDS_PER_RUN):
                item = replace(model, id=str(uuid.uuid4()))
                start = time.perf_counter()
                store.add(item)
                adds.append(time.perf_counter() - start)
    _log(f"write: open {ms_list(opens)}, add {ms_list(adds)}")
    count = f"{scale.annotations:,} annotations"
    return [
        Figure(f"durable Store.add, {count}", statistics.median(adds), WRITE_TARGET),
        Figure(f"Store.open, {count}", statistics.median(opens)),
    ]


def bench_search(scale: ScaleData, runs: int) -> list[Figure]:
    """Full-text search of bodies (the index) plus note text (the store), per kind of query."""
    from reader.config import load_settings, resolve_paths
    from reader.services import Services
    from reader.session.library import LibraryLoader

    paths = resolve_paths(str(scale.data))
    services = Services(paths=paths, settings=load_settings(paths.config_file))
    library, store = services.library, services.store
    loader = LibraryLoader(services)
    loop = asyncio.new_event_loop()  # one loop, as in the app: asyncio.run's SIGINT restore reprs the result, sorting 96,000 ids
    queries = {
        "a common word": "government",
        "a rare word": scale.rare_word,
        "two words": "budget police",
        "a word in notes": scale.note_word,
    }
    figures = []
    try:
        start = time.perf_counter()
        store.articles_with_notes("warm up")
        first = time.perf_counter() - start
        _log(f"first note search after opening the store (builds each article's search text): {first * 1000:.0f} ms")
        for kind, query in queries.items():
            bodies, notes, totals, listed, worker = [], [], [], [], []
            for _ in range(runs):
                start = time.perf_counter()
                ids = library.search(query)
                middle = time.perf_counter()
                with_notes = store.articles_with_notes(query)
                end = time.perf_counter()
                found = store.search_notes(query)
                listed.append(time.perf_counter() - end)
                begun = time.perf_counter()
                loop.run_until_complete(loader.search(query))
                worker.append(time.perf_counter() - begun)
                bodies.append(middle - start)
                notes.append(end - middle)
                totals.append(end - start)
            _log(f"search {query!r}: {len(ids | with_notes):,} articles ({len(with_notes):,} by their notes), {len(found):,} notes;"
                 f" bodies {ms_list(bodies)}, notes {ms_list(notes)}, the filter's worker {ms_list(worker)}")
            figures += [
                Figure(f"search {kind} ({query!r}): bodies + notes", statistics.median(totals), SEARCH_TARGET),
                Figure("  … of which library.search (bodies)", statistics.median(bodies)),
                Figure("  … of which Store.articles_with_notes", statistics.median(notes)),
                Figure("  the filter's worker: LibraryLoader.search (both, one set)", statistics.median(worker), SEARCH_TARGET),
                Figure("  (info) Store.search_notes, the annotations themselves", statistics.median(listed)),
            ]
        figures.append(Figure("first note search after opening the store", first))
    finally:
        loop.close()
        services.close()
    return figures


# -- launch and memory, in a pseudo-terminal -----------------------------------------------------


def _memory(pid: int) -> tuple[float, float]:
    """VmRSS and VmHWM of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def bench_launch(scale: ScaleData, runs: int) -> list[Figure]:
    """A second start: first frame, newest headline, a typed filter answered, idle; then memory."""
    env = _env()
    hello_argv = [sys.executable, "-c", HELLO]
    argv = _reader(scale.data)
    steps = [
        Step("/ filter"),  # the first frame
        Step(scale.newest[:24], keys=b"?"),  # the newest headline; then ask for the help screen
        Step(HELP_TITLE, fresh=True),  # the app answered a key
        Step(None, keys=b"\x1b"),  # idle: start-up work (the rescan too) done; close the help
        Step(None),
    ]
    time_until_shown(hello_argv, HELLO_TEXT, env, SIZE)  # warm the OS cache and bytecode
    times_until_shown(argv, steps[:2], env, SIZE, timeout=900)
    hello, frame, headline, typed, busy, rss, hwm = [], [], [], [], [], [], []
    for run in range(runs):
        hello.append(time_until_shown(hello_argv, HELLO_TEXT, env, SIZE))
        times, memory = times_until_shown(argv, steps, env, SIZE, timeout=900, probe=_memory)
        frame.append(times[0])
        headline.append(times[1])
        typed.append(times[2])
        busy.append(times[3])
        rss.append(memory[0])
        hwm.append(memory[1])
        _log(f"launch run {run + 1}: hello {hello[-1]:.3f} s, first frame {times[0]:.3f} s, headline {times[1]:.3f} s, "
             f"help shown {times[2]:.3f} s, idle from {times[3]:.1f} s; VmRSS {memory[0]:.0f} MB, "
             f"VmHWM {memory[1]:.0f} MB")
    reference = statistics.median(hello)
    size = f"{scale.articles:,} articles, {scale.annotations:,} annotations"
    return [
        Figure("launch → first paint, hello-world", reference),
        Figure(f"launch → newest headline, {size}, warm", statistics.median(headline), LAUNCH_TARGET, reference),
        Figure("  … → first frame (the filter box)", statistics.median(frame), None, reference),
        Figure("  … → ? typed at the headline: help shown", statistics.median(typed)),
        Figure("  … → idle (start-up work done)", statistics.median(busy)),
        Figure(f"memory, {scale.articles:,} articles listed, idle: VmRSS", statistics.median(rss), MEMORY_TARGET, unit="MB"),
        Figure(f"memory, {scale.articles:,} articles listed, idle: VmHWM", statistics.median(hwm), MEMORY_TARGET, unit="MB"),
    ]


# -- filter and long articles, in-process ----------------------------------------------------------


async def _filter_runs(scale: ScaleData, runs: int, word: str, pauses: FullCollections) -> tuple[list[float], ...]:
    app = make_app(scale.data)
    first, further, bodies, clear = [], [], [], []
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(app, scale.articles)
            await quiet(app)
            articles = app.screen.article_list
            shown = RowsWatch(articles)
            for run in range(runs + 1):  # the first run warms caches
                await pilot.press("slash")
                with pauses:
                    for n, letter in enumerate(word):
                        before = shown.calls
                        start = time.perf_counter()
                        took = await press(app, letter, lambda: shown.calls > before, articles)
                        searching = [w for w in app.workers if w.group == "search" and not w.is_finished]
                        for worker in searching:
                            await worker.wait()
                        if searching:
                            await articles.wait_for_refresh()
                        if run:
                            (further if n else first).append(took)
                            if searching:
                                bodies.append(time.perf_counter() - start)
                    before = shown.calls
                    took = await press(app, "escape", lambda: shown.calls > before, articles)
                if run:
                    clear.append(took)
                await quiet(app)
    finally:
        app.services.close()
    return first, further, bodies, clear


def bench_filter(scale: ScaleData, runs: int, word: str) -> list[Figure]:
    """Typing ``word`` into the filter, a letter at a time, then Escape to clear it."""
    pauses = FullCollections()
    first, further, bodies, clear = asyncio.run(_filter_runs(scale, runs, word, pauses))
    _log(f"filter {word!r}: first letter {ms_list(first)}, further letters {ms_list(further)}, clear {ms_list(clear)}, "
         f"body matches {ms_list(bodies)}; full GC pauses {ms_list(pauses.durations)}")
    size = f"{scale.articles:,} articles"
    return [
        Figure(f"filter keystroke, {size}: first letter ({word[0]!r})", statistics.median(first), KEY_TARGET),
        Figure(f"filter keystroke, {size}: further letters ({word[1:]!r})", statistics.median(further), KEY_TARGET),
        Figure(f"filter keystroke, {size}: Escape (clear, list all)", statistics.median(clear), KEY_TARGET),
        Figure(f"  … letters 3+ → body matches added (after a {SEARCH_PAUSE * 1000:.0f} ms pause)",
               statistics.median(bodies) if bodies else float("nan")),
        _pauses_figure(pauses),
    ]


def _pauses_figure(pauses: FullCollections) -> Figure:
    """The median full GC pause seen during a session, with how many there were."""
    count = len(pauses.durations)
    return Figure(f"  … full GC pauses meanwhile: {count} (median; max {max(pauses.durations, default=0) * 1000:.0f} ms)",
                  statistics.median(pauses.durations) if count else 0.0)


def _last_text_block(view) -> int:
    return max(b.index for b in view.opened.projection.blocks if b.text)


async def _long_runs(scale: ScaleData, runs: int, pauses: FullCollections) -> dict[str, list[float]]:
    app = make_app(scale.data)
    found: dict[str, list[float]] = {"open": [], "switch": [], "move": [], "bottom": [], "cold_bottom": []}
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(app, scale.articles)
            await quiet(app)
            screen = app.screen
            view = screen.article_view
            everything = screen.all_articles()
            metas = {m.title: m for m in everything}
            first, second = (metas[t] for t in scale.long_titles)
            for run in range(runs + 1):  # the first run warms caches
                with pauses:
                    await open_chosen(app, everything[run + 1])  # from an ordinary article
                    await quiet(app)
                    opened = await open_chosen(app, first)
                    await quiet(app)
                    last = _last_text_block(view)
                    cold = await press(app, "G", lambda: view.cursor == last and view.scroll_y >= view.max_scroll_y - 1,
                                       view)  # its last page is not built yet: it opened at the top
                    await quiet(app)
                    await pilot.press("g")  # so that the next run opens it at the top again
                    await quiet(app)
                    switched = await open_chosen(app, second)
                    await quiet(app)
                    await pilot.press("g")  # from the top, whatever position was saved
                    await quiet(app)
                    moves = []
                    for _ in range(MOVES_PER_RUN):
                        before = view.cursor
                        moves.append(await press(app, "j", lambda: view.cursor != before, view))
                    await quiet(app)
                    last = _last_text_block(view)
                    bottom = await press(app, "G", lambda: view.cursor == last and view.scroll_y >= view.max_scroll_y - 1,
                                         view)
                await quiet(app)
                _log(f"long run {run}: open {opened:.3f} s, G there {cold:.3f} s, switch {switched:.3f} s, G {bottom:.3f} s,"
                     f" j {ms_list(moves)}")
                if run:
                    found["open"].append(opened)
                    found["switch"].append(switched)
                    found["bottom"].append(bottom)
                    found["cold_bottom"].append(cold)
                    found["move"] += moves
    finally:
        app.services.close()
    return found


def bench_long(scale: ScaleData, runs: int) -> list[Figure]:
    """Open a long read, switch to another, move the passage cursor, jump to the end."""
    pauses = FullCollections()
    found = asyncio.run(_long_runs(scale, runs, pauses))
    _log(f"long: full GC pauses {ms_list(pauses.durations)}")
    words = f"{scale.words:,}-word article"
    return [
        Figure(f"open a {words} → first page painted", statistics.median(found["open"]), LONG_TARGET),
        Figure(f"switch {words} → {words}", statistics.median(found["switch"]), LONG_TARGET),
        Figure(f"G: jump to the end of a {words} just opened at its top", statistics.median(found["cold_bottom"]), JUMP_TARGET),
        Figure(f"G: jump to the end of a {words} whose end was read before", statistics.median(found["bottom"]), JUMP_TARGET),
        Figure(f"j: move the passage cursor ({MOVES_PER_RUN} a run)", statistics.median(found["move"]), JUMP_TARGET),
        Figure("  … slowest j", max(found["move"])),
        _pauses_figure(pauses),
    ]


def _revision() -> str:
    """The commit the app is at, and whether reader/ has uncommitted changes."""
    import subprocess

    try:
        head = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=BENCH.parent, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "reader"], cwd=BENCH.parent,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit"
    return head[:72] + (" (+ uncommitted changes in reader/)" if dirty else "")


def main() -> None:
    """Build or reuse the data, run the chosen measures and print the table."""
    parser = argparse.ArgumentParser(description="Benchmark reader at 100,000 articles and annotations (issue 6).")
    parser.add_argument("--quick", action="store_true", help="10,000 articles and annotations, 3 runs")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, or 3 with --quick)")
    parser.add_argument("--articles", type=int, help="articles, and as many annotations (default 100,000)")
    parser.add_argument("--words", type=int, default=50_000, help="words in each of the two long reads")
    parser.add_argument("--only", default=",".join(MEASURES), help="comma-separated measures to run")
    parser.add_argument("--word", default="weighs", help="the word typed into the filter")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    count = args.articles or (10_000 if args.quick else 100_000)
    chosen = set(args.only.split(","))
    if chosen - set(MEASURES):
        parser.error(f"--only: unknown measure {', '.join(sorted(chosen - set(MEASURES)))}")
    load = "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    print(f"bench_scale: {count:,} articles, {count:,} annotations, {args.words:,}-word long reads; medians of {runs} runs"
          f"{' (quick)' if args.quick else ''}; {load}", flush=True)
    print(f"reader at {_revision()}", flush=True)
    scale = prepare(count, count, args.words, _log)
    figures: list[Figure] = []
    if "write" in chosen:
        figures += bench_write(scale, runs)
    if "search" in chosen:
        figures += bench_search(scale, runs)
    if "launch" in chosen:
        figures += bench_launch(scale, runs)
    if "filter" in chosen:
        figures += bench_filter(scale, runs, args.word)
    if "long" in chosen:
        figures += bench_long(scale, runs)
    print_table(figures, runs)
    print("load average at the end: {:.1f} {:.1f} {:.1f} (on {} cores)".format(*os.getloadavg(), os.cpu_count()))


if __name__ == "__main__":
    main()
