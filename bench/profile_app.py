"""Where the time goes in one of bench_app's measures: a pyinstrument profile of it, as text.

Needs pyinstrument (``.venv/bin/pip install pyinstrument``; it is not a dependency of reader).
Only the event-loop thread is sampled: work the app sends to threads shows as waiting.

    python bench/profile_app.py startup           # app start until the seed article is shown
    python bench/profile_app.py scan 10000        # Library.scan on a cold index (domain only)
    python bench/profile_app.py cached 10000      # Library.cached on a warm index (domain only)
    python bench/profile_app.py sidebar 10000     # app start until 10,000 rows are listed (warm index)
    python bench/profile_app.py filter 10000      # one filter keystroke
    python bench/profile_app.py open 50000        # opening a 50,000-word article
    python bench/profile_app.py switch 50000      # switching between two 50,000-word articles

On bench_scale's data (N articles and N annotations, built once under bench/out/):

    python bench/profile_app.py scale-start 100000     # app start until the newest headline is listed
    python bench/profile_app.py scale-idle 100000      # app start until all is listed and no worker runs
    python bench/profile_app.py scale-domain 100000    # the same start's store and index calls, in one thread
    python bench/profile_app.py scale-memory 100000    # VmRSS after each step of a start (no profile)
    python bench/profile_app.py scale-tracemalloc 100000  # the idle app's live memory by module (tracemalloc)
    python bench/profile_app.py scale-filter 100000    # one filter keystroke ("w")
    python bench/profile_app.py scale-clear 100000     # Escape in the filter: list everything again
    python bench/profile_app.py scale-search 100000    # library.search plus the note search in the store
    python bench/profile_app.py scale-write 100000     # 20 durable Store.add
    python bench/profile_app.py scale-open 100000      # open a 50,000-word article from a short one
    python bench/profile_app.py scale-switch 100000    # switch between the two 50,000-word articles
    python bench/profile_app.py scale-bottom 100000    # G on a 50,000-word article
    python bench/profile_app.py scale-poll 100000      # the store poll after the app's own write
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import SIZE, idle, library_dir, long_dir, loaded, make_app, open_chosen, until  # noqa: E402
from profile_scale import SCENARIOS as SCALE_SCENARIOS, profile_scale  # noqa: E402

try:
    from pyinstrument import Profiler
except ImportError:  # pragma: no cover - a developer tool
    sys.exit("profile_app.py needs pyinstrument: .venv/bin/pip install pyinstrument")


def _profiler() -> Profiler:
    return Profiler(interval=0.0005, async_mode="disabled")


async def _startup(work: Path) -> Profiler:
    data = work / "startup"
    data.mkdir(exist_ok=True)
    profiler = _profiler()
    profiler.start()
    app = make_app(data)
    try:
        async with app.run_test(size=SIZE):
            await until(lambda: app.screen.article_view.opened is not None, step=0.005)
            await app.screen.article_view.wait_for_refresh()
            profiler.stop()
    finally:
        app.services.close()
    return profiler


async def _sidebar(work: Path, count: int) -> Profiler:
    data, _ = library_dir(work, count)
    warm = make_app(data)  # build the index first
    try:
        async with warm.run_test(size=SIZE):
            await loaded(warm, count)
    finally:
        warm.services.close()
    profiler = _profiler()
    profiler.start()
    app = make_app(data)
    try:
        async with app.run_test(size=SIZE):
            await until(lambda: len(app.screen.article_list.rows) >= count, step=0.005)
            await app.screen.article_list.wait_for_refresh()
            profiler.stop()
    finally:
        app.services.close()
    return profiler


async def _filter(work: Path, count: int, letter: str = "m") -> Profiler:
    from textual import events

    data, _ = library_dir(work, count)
    app = make_app(data)
    profiler = _profiler()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(app, count)
            articles = app.screen.article_list
            await pilot.press("slash")
            before = articles.rows
            profiler.start()
            key = events.Key(letter, letter)
            key.set_sender(app)
            app.post_message(key)
            await until(lambda: articles.rows is not before)
            await articles.wait_for_refresh()
            for worker in [w for w in app.workers if w.group == "search"]:
                await worker.wait()
            await articles.wait_for_refresh()
            profiler.stop()
    finally:
        app.services.close()
    return profiler


async def _open(work: Path, words: int, switch: bool) -> Profiler:
    data = long_dir(work, [words])
    app = make_app(data)
    profiler = _profiler()
    try:
        async with app.run_test(size=SIZE):
            await loaded(app, 1)
            metas = {m.title: m for m in app.screen.all_articles()}
            if switch:
                await open_chosen(app, metas[f"Long read {words} a"])
                await until(lambda: idle(app), step=0.005)
            profiler.start()
            await open_chosen(app, metas[f"Long read {words} {'b' if switch else 'a'}"])
            profiler.stop()
            await until(lambda: idle(app), step=0.005)
    finally:
        app.services.close()
    return profiler


def _domain(work: Path, count: int, cold: bool) -> Profiler:
    from reader.domain.articles.index import MetadataIndex
    from reader.domain.articles.library import Library, named_root

    data, _ = library_dir(work, count)
    index_file = work / f"index-{count}.sqlite3"
    if not cold and not index_file.exists():
        Library([named_root(data / "articles")], MetadataIndex(index_file)).scan()
    library = Library([named_root(data / "articles")], MetadataIndex(index_file if not cold else None))
    profiler = _profiler()
    profiler.start()
    library.scan() if cold else library.cached()
    profiler.stop()
    library.index.close()
    return profiler


def _name(identifier: str) -> str:
    function, path, *_ = identifier.split("\x00")
    parts = Path(path).parts
    short = "/".join(parts[-2:]) if len(parts) > 1 else path
    return f"{function}  {short}"


def top_functions(profiler: Profiler, count: int) -> str:
    """The ``count`` functions with the most inclusive time, with their share of the whole."""
    session = profiler.last_session
    total = sum(duration for _stack, duration in session.frame_records) or 1.0
    inclusive: dict[str, float] = {}
    for stack, duration in session.frame_records:
        for name in {_name(frame) for frame in stack[1:]}:
            inclusive[name] = inclusive.get(name, 0.0) + duration
    boring = ("importlib", "asyncio/", "events.py", "base_events.py", "<thread>", "_callback.py", "message_pump.py")
    rows = sorted(((t, n) for n, t in inclusive.items() if not any(b in n for b in boring)), reverse=True)[:count]
    lines = [f"{'seconds':>8}  {'share':>6}  function (inclusive time; samples of the event-loop thread)"]
    lines += [f"{t:8.3f}  {t / total:6.1%}  {n}" for t, n in rows]
    return f"total {total:.3f} s\n" + "\n".join(lines)


def main() -> None:
    """Profile one scenario and print the tree (or, with ``--top N``, the costliest functions)."""
    parser = argparse.ArgumentParser(description="Profile one of bench_app's measures with pyinstrument.")
    parser.add_argument("scenario", choices=["startup", "scan", "cached", "sidebar", "filter", "open", "switch",
                                             *SCALE_SCENARIOS])
    parser.add_argument("size", type=int, nargs="?", default=10_000, help="articles, or words for open/switch")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    parser.add_argument("--top", type=int, metavar="N", help="print the N functions with the most inclusive time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reader-profile-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        if args.scenario in SCALE_SCENARIOS:
            profiler = profile_scale(args.scenario, args.size, _profiler)
            if profiler is None:  # a report without a profile (memory)
                return
        elif args.scenario == "startup":
            profiler = asyncio.run(_startup(work))
        elif args.scenario in ("scan", "cached"):
            profiler = _domain(work, args.size, cold=args.scenario == "scan")
        elif args.scenario == "sidebar":
            profiler = asyncio.run(_sidebar(work, args.size))
        elif args.scenario == "filter":
            profiler = asyncio.run(_filter(work, args.size))
        else:
            profiler = asyncio.run(_open(work, args.size, switch=args.scenario == "switch"))
        print(f"# {args.scenario} {args.size}: whole script {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.top:
        print(top_functions(profiler, args.top))
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=args.all))


if __name__ == "__main__":
    main()
