"""How fast the real app paints: start-up, a big sidebar, a filter keystroke, long articles.

Run: ``python bench/bench_app.py`` (``--quick`` for fewer runs and smaller sizes, ``--runs N``,
``--only launch,sidebar,filter,long``). Every figure is the median of several runs.

- launch: spawn under a pseudo-terminal until a seed headline is on screen, beside a
  hello-world Textual app measured in the same loop (see ``terminal.py``).
- sidebar: the same, with a generated library in the data dir, until its newest headline shows;
  cold is a first start (no index, no store), warm a second start.
- filter, long: in-process with ``App.run_test``: from the keystroke or the call that opens an
  article until the widgets are updated and the screen has refreshed. Headless runs do not write
  to a terminal, so these leave out the last step of a paint (turning the frame into escapes).
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
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from figures import Figure, print_table  # noqa: E402
from generate import write_library, write_long_article  # noqa: E402
from terminal import time_until_shown  # noqa: E402

SIZE = (120, 40)
SEED_HEADLINE = "Trump Speaks"
HELLO_TEXT = "Hello from Textual"
HELLO = f"""
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static({HELLO_TEXT!r})

Hello().run()
"""
LAUNCH_RATIO = 1.4
LIST_TARGET = 1.0
KEY_TARGET = 0.1
LONG_TARGETS = {10_000: 0.3, 50_000: 0.5}


def _log(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


def _env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE left out: an installed reader runs from cached bytecode, as the
    # hello-world's Textual does (its .pyc files were written when it was installed)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("READER_", "TEXTUAL")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG=env.get("LANG") or "C.UTF-8")
    return env


def _reader(data_dir: Path) -> list[str]:
    return [sys.executable, "-P", "-m", "reader", "--data-dir", str(data_dir)]  # -P: PYTHONPATH, not the current folder, picks the checkout


def _first_start(data_dir: Path) -> None:
    """Remove everything reader wrote (index, store), keeping the articles and config."""
    for item in data_dir.iterdir():
        if item.name in ("articles", "config.toml"):
            continue
        if item.is_dir():
            shutil.rmtree(item)
        else:
            item.unlink()


# -- launch and sidebar, under a pseudo-terminal ---------------------------------------------


def bench_launch(runs: int, work: Path) -> list[Figure]:
    """Start-up to the seed headline (first and second start) beside hello-world."""
    env = _env()
    hello_argv = [sys.executable, "-c", HELLO]
    data = work / "launch"
    data.mkdir()
    time_until_shown(hello_argv, HELLO_TEXT, env, SIZE)  # warm the OS cache and bytecode
    time_until_shown(_reader(data), SEED_HEADLINE, env, SIZE)
    hello, first, second = [], [], []
    for run in range(runs):
        hello.append(time_until_shown(hello_argv, HELLO_TEXT, env, SIZE))
        _first_start(data)
        first.append(time_until_shown(_reader(data), SEED_HEADLINE, env, SIZE))
        second.append(time_until_shown(_reader(data), SEED_HEADLINE, env, SIZE))
        _log(f"launch run {run + 1}: hello {hello[-1]:.3f} s, first {first[-1]:.3f} s, second {second[-1]:.3f} s")
    reference = statistics.median(hello)
    return [
        Figure("launch → first paint, hello-world", reference),
        Figure("launch → first paint, seeds (second start)", statistics.median(second), reference=reference, ratio=LAUNCH_RATIO),
        Figure("launch → first paint, seeds (first start)", statistics.median(first), reference=reference, ratio=LAUNCH_RATIO),
    ]


def library_dir(work: Path, count: int) -> tuple[Path, str]:
    """A data dir holding ``count`` generated articles and no seeds; and the newest headline."""
    data = work / f"library-{count}"
    newest = data.with_suffix(".newest")
    if not data.exists():
        _log(f"generating {count:,} articles")
        written = write_library(data / "articles", count)
        (data / "config.toml").write_text("include_seeds = false\n")
        newest.write_text(written[0].title)
    return data, newest.read_text()


def bench_sidebar(count: int, runs: int, work: Path) -> list[Figure]:
    """Start-up until the newest generated headline is in the sidebar, with a cold and a warm index."""
    data, newest = library_dir(work, count)
    needle = newest[:24]
    env = _env()
    cold, warm = [], []
    for run in range(runs):
        _first_start(data)
        cold.append(time_until_shown(_reader(data), needle, env, SIZE, timeout=600))
        warm.append(time_until_shown(_reader(data), needle, env, SIZE, timeout=600))
        _log(f"sidebar {count:,} run {run + 1}: cold {cold[-1]:.3f} s, warm {warm[-1]:.3f} s")
    return [
        Figure(f"sidebar first paint, {count:,} articles, cold index", statistics.median(cold), target=LIST_TARGET),
        Figure(f"sidebar first paint, {count:,} articles, warm index", statistics.median(warm), target=LIST_TARGET),
    ]


# -- filter and long articles, in-process ------------------------------------------------------


def make_app(data: Path):
    """The real app on the data dir ``data``, built the way ``reader --data-dir`` builds it."""
    from reader.config import load_settings, resolve_paths
    from reader.services import Services
    from reader.ui.app import ReaderApp

    paths = resolve_paths(str(data))
    return ReaderApp(Services(paths=paths, settings=load_settings(paths.config_file)))


async def until(condition: Callable[[], bool], timeout: float = 600.0, step: float = 0.001) -> None:
    """Poll ``condition`` every ``step`` seconds while the app runs."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(step)


def idle(app) -> bool:
    """No worker of the app is pending or running."""
    return all(worker.is_finished for worker in app.workers)


async def loaded(app, count: int) -> None:
    """Wait until the listing holds ``count`` articles and no worker runs, nor will soon.

    The sidebar opens the highlighted article after a short delay, so wait that long again.
    """
    from reader.ui.screens.main import PREVIEW_DELAY

    screen = app.screen
    await until(lambda: len(screen.all_articles()) >= count and screen.article_view.opened is not None
                 and idle(app), step=0.02)
    await asyncio.sleep(PREVIEW_DELAY * 2)
    await until(lambda: idle(app), step=0.02)


async def _filter_runs(data: Path, count: int, runs: int, letter: str) -> tuple[list[float], list[float]]:
    from textual import events

    app = make_app(data)
    titles, bodies = [], []
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(app, count)
            screen = app.screen
            articles = screen.article_list
            for _ in range(runs + 1):
                await pilot.press("slash")
                before = articles.rows
                start = time.perf_counter()
                key = events.Key(letter, letter)
                key.set_sender(app)
                app.post_message(key)
                await until(lambda: articles.rows is not before)
                await articles.wait_for_refresh()
                titles.append(time.perf_counter() - start)
                search = [w for w in app.workers if w.group == "search" and not w.is_finished]
                for worker in search:
                    await worker.wait()
                await articles.wait_for_refresh()
                bodies.append(time.perf_counter() - start)
                await pilot.press("escape")
                await until(lambda: len(articles.rows) == len(screen.all_articles()) and idle(app))
    finally:
        app.services.close()
    return titles[1:], bodies[1:]  # the first keystroke warms caches


def bench_filter(count: int, runs: int, work: Path, letter: str) -> list[Figure]:
    """``/`` then one letter, with ``count`` articles: until the list shows title matches, then body matches."""
    data, _ = library_dir(work, count)
    titles, bodies = asyncio.run(_filter_runs(data, count, runs, letter))
    _log(f"filter {count:,}: titles {[round(t * 1000) for t in titles]} ms, bodies {[round(b * 1000) for b in bodies]} ms")
    return [
        Figure(f"filter keystroke, {count:,} articles → list updated", statistics.median(titles), target=KEY_TARGET),
        Figure(f"filter keystroke, {count:,} articles → body matches added", statistics.median(bodies)),
    ]


def long_dir(work: Path, sizes: list[int]) -> Path:
    """A data dir with the seeds and two long articles of each size (dated 2001, so a seed opens first)."""
    data = work / "long"
    for words in sizes:
        for name, seed in (("a", 1), ("b", 2)):
            path = data / "articles" / f"long-{words}-{name}.md"
            if not path.exists():
                write_long_article(path, words, seed=seed + words, title=f"Long read {words} {name}")
    return data


async def open_chosen(app, meta) -> float:
    """Seconds from choosing an article in the list until its cursor's page is mounted and painted."""
    from reader.ui.widgets.article_list import ArticleList

    screen = app.screen
    view = screen.article_view
    before = set(app.workers)
    start = time.perf_counter()
    screen.article_list.post_message(ArticleList.Chosen(meta))
    await until(lambda: any(w.group == "article" and w not in before for w in app.workers))
    worker = next(w for w in app.workers if w.group == "article" and w not in before)
    await until(lambda: view.opened is not None and view.opened.article.id == meta.id
                and view.block_widget(view.cursor) is not None)  # its cursor's page is mounted
    await view.wait_for_refresh()
    elapsed = time.perf_counter() - start
    await worker.wait()  # the rest of the open (its bookmarks located and drawn) before the next step
    if view.opened is None or view.opened.article.id != meta.id or view.block_widget(view.cursor) is None:
        raise RuntimeError(f"{meta.title} is not shown after its first page was mounted")
    return elapsed


async def _long_run(data: Path, words: int) -> tuple[float, float, float]:
    app = make_app(data)
    try:
        async with app.run_test(size=SIZE):
            await loaded(app, 1)
            screen = app.screen
            metas = {m.title: m for m in screen.all_articles()}
            first = await open_chosen(app, metas[f"Long read {words} a"])
            start = time.perf_counter()
            await until(lambda: idle(app), step=0.005)
            rest = time.perf_counter() - start + first
            switch = await open_chosen(app, metas[f"Long read {words} b"])
            await until(lambda: idle(app), step=0.005)
    finally:
        app.services.close()
    return first, rest, switch


def bench_long(sizes: list[int], runs: int, work: Path) -> list[Figure]:
    """Opening a long article after the seed, and switching from one long article to another."""
    data = long_dir(work, sizes)
    figures: list[Figure] = []
    asyncio.run(_long_run(data, sizes[0]))  # index the folder, warm imports and caches
    for words in sizes:
        samples = [asyncio.run(_long_run(data, words)) for _ in range(runs)]
        _log(f"long {words:,}: " + ", ".join(f"{a:.3f}/{b:.3f}/{c:.3f}" for a, b, c in samples) + " s (first/all/switch)")
        target = LONG_TARGETS.get(words)
        figures += [
            Figure(f"open {words:,}-word article → first page painted", statistics.median(s[0] for s in samples), target=target),
            Figure(f"open {words:,}-word article → all pages mounted", statistics.median(s[1] for s in samples)),
            Figure(f"switch {words:,} → {words:,}-word article → first page", statistics.median(s[2] for s in samples), target=target),
        ]
    return figures


# -- the table -------------------------------------------------------------------------------


def main() -> None:
    """Run the chosen measures and print the table."""
    parser = argparse.ArgumentParser(description="Benchmark the app's paints.")
    parser.add_argument("--quick", action="store_true", help="3 runs, 1,000 articles and a 10,000-word article only")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, or 3 with --quick)")
    parser.add_argument("--only", default="launch,sidebar,filter,long", help="comma-separated measures to run")
    parser.add_argument("--letter", default="m", help="the letter typed into the filter")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    counts = [1_000] if args.quick else [1_000, 10_000]
    words = [10_000] if args.quick else [10_000, 50_000]
    chosen = set(args.only.split(","))
    unknown = chosen - {"launch", "sidebar", "filter", "long"}
    if unknown:
        parser.error(f"--only: unknown measure {', '.join(sorted(unknown))}")
    load = "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    print(f"bench_app: the real app at {SIZE[0]}×{SIZE[1]}, medians of {runs} runs{' (quick)' if args.quick else ''}; {load}",
          flush=True)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        work = Path(tmp)
        if "launch" in chosen:
            figures += bench_launch(runs, work)
        for count in counts:
            if "sidebar" in chosen:
                figures += bench_sidebar(count, runs, work)
            if "filter" in chosen:
                figures += bench_filter(count, runs, work, args.letter)
        if "long" in chosen:
            figures += bench_long(words, runs, work)
    print_table(figures, runs)
    print("load average at the end: {:.1f} {:.1f} {:.1f} (on {} cores)".format(*os.getloadavg(), os.cpu_count()))


if __name__ == "__main__":
    main()
