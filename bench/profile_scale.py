"""The scenarios ``profile_app.py scale-*`` profiles: bench_scale's measures on its big data dir.

Each returns a stopped pyinstrument profiler (``scale-memory`` prints a table and returns None).
The data dir is built on first use and its store reset to the pristine copy (``scale_data.py``).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Callable

from bench_app import SIZE, loaded, make_app, open_chosen, until
from drive import RowsWatch, press, quiet
from scale_data import ScaleData, prepare

SCENARIOS = ("scale-start", "scale-idle", "scale-domain", "scale-memory", "scale-tracemalloc", "scale-filter", "scale-clear", "scale-search",
             "scale-write", "scale-open", "scale-switch", "scale-bottom", "scale-poll")
WORDS = 50_000


def profile_scale(scenario: str, count: int, make_profiler: Callable):
    """Run one scenario on ``count`` articles and annotations; the stopped profiler."""
    scale = prepare(count, count, WORDS, lambda text: print(f"  … {text}", flush=True))
    if scenario == "scale-domain":
        return _domain(scale, make_profiler())
    if scenario == "scale-memory":
        _memory(scale)
        return None
    if scenario == "scale-tracemalloc":
        asyncio.run(_traced(scale))
        return None
    if scenario == "scale-search":
        return _search(scale, make_profiler())
    if scenario == "scale-write":
        return _write(scale, make_profiler())
    run = {"scale-start": _start, "scale-idle": _idle, "scale-filter": _filter, "scale-clear": _clear, "scale-open": _open,
           "scale-switch": _switch, "scale-bottom": _bottom, "scale-poll": _poll}[scenario]
    return asyncio.run(run(scale, make_profiler()))


def _services(scale: ScaleData):
    from reader.config import load_settings, resolve_paths
    from reader.services import Services

    paths = resolve_paths(str(scale.data))
    return Services(paths=paths, settings=load_settings(paths.config_file))


def _haystacks(articles) -> list[str]:
    """What the screen's filter matches against, one string an article."""
    return [f"{m.title}\n{m.section}\n{m.source}".casefold() for m in articles]


def _domain(scale: ScaleData, profiler):
    """What a start asks of the index and the store before the whole list shows, in one thread."""
    from reader.session.grouping import group_articles

    profiler.start()
    services = _services(scale)
    library = services.library
    library.cached(200)
    listing = library.cached()
    store = services.store
    store.setting("theme")
    read = store.read_articles()
    store.generation()
    store.annotation_counts()
    _haystacks(listing.articles)
    group_articles(list(listing.articles), read)
    profiler.stop()
    services.close()
    return profiler


def _rss() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _memory(scale: ScaleData) -> None:
    """VmRSS after each step of what a start holds on to, in this process."""
    import gc

    from reader.session.grouping import group_articles

    steps = [("python, bench modules", _rss())]
    import reader.ui.app  # noqa: F401  (textual, rich, markdown-it)

    steps.append(("import reader.ui.app", _rss()))
    services = _services(scale)
    store = services.store
    steps.append(("Store.open (tables in memory)", _rss()))
    counts = store.annotation_counts()
    steps.append(("store.annotation_counts()", _rss()))
    annotations = store.annotations()
    steps.append(("store.annotations() held (the annotations screen)", _rss()))
    del annotations
    gc.collect()
    steps.append(("… and dropped again", _rss()))
    listing = services.library.cached()
    steps.append(("library.cached() (ArticleMeta × N)", _rss()))
    haystacks = _haystacks(listing.articles)
    steps.append(("filter haystacks", _rss()))
    rows = group_articles(list(listing.articles), set())
    steps.append(("grouped rows", _rss()))
    services.library.scan()
    steps.append(("library.scan() (the warm rescan)", _rss()))
    del haystacks, rows, counts
    services.close()
    previous = 0.0
    print(f"{'VmRSS':>8}  {'step':>7}  after")
    for name, rss in steps:
        print(f"{rss:6.0f} MB  {rss - previous:+5.0f} MB  {name}")
        previous = rss


def _search(scale: ScaleData, profiler, query: str = "government"):
    services = _services(scale)
    library, store = services.library, services.store
    library.search(query)  # warm the OS cache of the index, as bench_scale's later runs are
    store.search_notes(query)
    profiler.start()
    library.search(query)
    store.search_notes(query)
    profiler.stop()
    services.close()
    return profiler


def _write(scale: ScaleData, profiler, adds: int = 20):
    from reader.domain.store.store import Store

    with tempfile.TemporaryDirectory(prefix="reader-profile-") as tmp:
        path = Path(tmp) / "reader.json"
        for name in ("reader.json", "reader.json.journal"):
            if (scale.data / name).exists():
                shutil.copy2(scale.data / name, Path(tmp) / name)
        with Store.open(path) as store:
            model = store.annotations()[0]
            store.add(replace(model, id=str(uuid.uuid4())))
            profiler.start()
            for _ in range(adds):
                store.add(replace(model, id=str(uuid.uuid4())))
            profiler.stop()
    return profiler


async def _start(scale: ScaleData, profiler):
    """From building the app until the newest headline is listed (the event loop's share of a start)."""
    from reader.ui.screens.main import MainScreen

    watches: list[RowsWatch] = []
    original = MainScreen.on_mount

    def on_mount(screen) -> None:  # watch the list before the screen fills it
        watches.append(RowsWatch(screen.article_list))
        original(screen)

    profiler.start()
    app = make_app(scale.data)
    try:
        MainScreen.on_mount = on_mount
        async with app.run_test(size=SIZE):
            await until(lambda: bool(watches and watches[0].length), step=0.005)
            await app.screen.article_list.wait_for_refresh()
            profiler.stop()
    finally:
        MainScreen.on_mount = original
        app.services.close()
    return profiler


async def _idle(scale: ScaleData, profiler):
    """From building the app until everything is listed and no worker runs (the whole start-up)."""
    profiler.start()
    app = make_app(scale.data)
    try:
        async with app.run_test(size=SIZE):
            await loaded(app, scale.articles)
            profiler.stop()
    finally:
        app.services.close()
    return profiler


async def _traced(scale: ScaleData, top: int = 18) -> None:
    """The running app's live Python memory once everything is listed and idle, by the package
    (reader's own by module) that allocated it: tracemalloc, which sees Python's allocations only
    (VmRSS also holds the interpreter, C libraries, SQLite's cache and freed-but-kept arenas)."""
    import tracemalloc

    tracemalloc.start(1)
    app = make_app(scale.data)
    try:
        async with app.run_test(size=SIZE):
            await loaded(app, scale.articles)
            await quiet(app)
            snapshot = tracemalloc.take_snapshot()
            rss = _rss()
    finally:
        app.services.close()
        tracemalloc.stop()
    groups: dict[str, list[int]] = {}
    for stat in snapshot.statistics("filename"):
        name = stat.traceback[0].filename
        parts = Path(name).parts
        if "reader" in parts and "site-packages" not in parts:
            key = "/".join(parts[parts.index("reader"):])
        elif "site-packages" in parts:
            key = parts[parts.index("site-packages") + 1].split(".")[0]
        else:
            key = "python: " + Path(name).name
        size_count = groups.setdefault(key, [0, 0])
        size_count[0] += stat.size
        size_count[1] += stat.count
    total = sum(size for size, _ in groups.values())
    print(f"live Python memory {total / 2**20:.0f} MB (tracemalloc), VmRSS {rss:.0f} MB, idle with {scale.articles:,} articles")
    for key, (size, count) in sorted(groups.items(), key=lambda kv: -kv[1][0])[:top]:
        print(f"  {size / 2**20:7.1f} MB  {count:>9,} blocks  {key}")


async def _in_app(scale: ScaleData, steps):
    app = make_app(scale.data)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await loaded(app, scale.articles)
            await quiet(app)
            return await steps(app, pilot)
    finally:
        app.services.close()


async def _filter(scale: ScaleData, profiler):
    async def steps(app, pilot):
        articles = app.screen.article_list
        shown = RowsWatch(articles)
        await pilot.press("slash")
        profiler.start()
        await press(app, "w", lambda: shown.calls > 0, articles)
        profiler.stop()
        return profiler

    return await _in_app(scale, steps)


async def _clear(scale: ScaleData, profiler):
    async def steps(app, pilot):
        articles = app.screen.article_list
        shown = RowsWatch(articles)
        await pilot.press("slash", "w")
        await quiet(app)
        before = shown.calls
        profiler.start()
        await press(app, "escape", lambda: shown.calls > before, articles)
        profiler.stop()
        return profiler

    return await _in_app(scale, steps)


def _longs(app, scale: ScaleData):
    metas = {m.title: m for m in app.screen.all_articles()}
    return [metas[t] for t in scale.long_titles]


async def _opening(scale: ScaleData, profiler, pick: Callable):
    """Profile choosing ``pick(app)``'s second article after opening its first."""
    async def steps(app, pilot):
        before, chosen = pick(app)
        await open_chosen(app, before)
        await quiet(app)
        profiler.start()
        await open_chosen(app, chosen)
        profiler.stop()
        return profiler

    return await _in_app(scale, steps)


async def _open(scale: ScaleData, profiler):
    """A long read, from an ordinary article."""
    return await _opening(scale, profiler, lambda app: (app.screen.all_articles()[1], _longs(app, scale)[0]))


async def _switch(scale: ScaleData, profiler):
    """One long read to the other."""
    return await _opening(scale, profiler, lambda app: _longs(app, scale))


async def _bottom(scale: ScaleData, profiler):
    async def steps(app, pilot):
        _, second = _longs(app, scale)
        await open_chosen(app, second)
        await quiet(app)
        await pilot.press("g")
        await quiet(app)
        view = app.screen.article_view
        last = max(b.index for b in view.opened.projection.blocks if b.text)
        profiler.start()
        await press(app, "G", lambda: view.cursor == last and view.scroll_y >= view.max_scroll_y - 1, view)
        profiler.stop()
        return profiler

    return await _in_app(scale, steps)


async def _poll(scale: ScaleData, profiler):
    async def steps(app, pilot):
        screen, store = app.screen, app.services.store
        await asyncio.to_thread(store.set_setting, "bench", time.time())  # as any write of the app does
        profiler.start()
        while screen.session.watch.generation != store.generation():
            await asyncio.sleep(0.01)
        await until(lambda: all(w.is_finished for w in app.workers), step=0.01)
        profiler.stop()
        return profiler

    return await _in_app(scale, steps)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit("run it through profile_app.py: python bench/profile_app.py scale-start 100000")
