"""The big data dir of ``bench_scale.py``: N articles, two long reads, N annotations, a warm index.

Generating 100,000 article files, indexing them and annotating them takes minutes, so the result
is kept under ``bench/out/scale-<articles>-<annotations>-<words>/`` (gitignored) and reused; a
``ready.json`` in it says it is complete. The store is kept aside as ``pristine/`` and copied
into the data dir by every ``prepare``, so what one benchmark run writes (reading state, daily
backups) never reaches the next.

Layout of the data dir (what ``reader --data-dir`` expects): ``articles/`` (the generated
library plus ``longreads/long-a.md`` and ``long-b.md``), ``config.toml`` (seeds off),
``cache/index.sqlite3`` (built once), ``reader.json`` (the annotations).

Run: ``python bench/scale_data.py 100000`` to build (or check) one ahead of a benchmark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from generate import _COMMON, _Words, write_library, write_long_article  # noqa: E402

OUT = (BENCH / "out").resolve()
"""Resolved: a checkout whose ``out`` is a link to another's gives the app the same paths, so the
data dir's index keeps one row per article and not one per spelling of the folder (the index
keeps other roots' rows; four spellings made search 261 ms where one copy takes 73 ms)."""
FORMAT = 1
"""Bump when what is generated changes, so old caches are rebuilt."""
LONG_NOTES = 60
"""Annotations on each of the two long articles (the rest go to ordinary articles)."""
NOTE_SHARE = 0.5
ARTICLE_NOTE_SHARE = 0.05
Log = Callable[[str], None]


@dataclass(frozen=True)
class ScaleData:
    """A ready data dir and what the benchmarks need to know about it."""

    data: Path
    articles: int
    """Articles listed (the generated ones plus the two long reads)."""
    annotations: int
    words: int
    newest: str
    """The headline at the top of the sidebar."""
    long_titles: tuple[str, str]
    rare_word: str
    """A made-up word that occurs in some bodies, for the full-text search."""
    note_word: str
    """A word that occurs in some notes."""


def _quiet(_text: str) -> None:
    pass


def folder_for(articles: int, annotations: int, words: int) -> Path:
    """Where the data of this size is kept."""
    return OUT / f"scale-{articles}-{annotations}-{words}"


def prepare(articles: int, annotations: int, words: int, log: Log = _quiet) -> ScaleData:
    """The data dir for this size, generated on first use; its store reset to the pristine copy."""
    folder = folder_for(articles, annotations, words)
    ready = folder / "ready.json"
    info = json.loads(ready.read_text()) if ready.exists() else {}
    if info.get("format") != FORMAT:
        if folder.exists():
            shutil.rmtree(folder)
        info = _generate(folder, articles, annotations, words, log)
        ready.write_text(json.dumps(info, indent=1))
    data = folder / "data"
    _relayout(folder / "pristine" / "reader.json", log)
    _reset_store(folder / "pristine", data)
    if not _index_is_warm(data / "cache" / "index.sqlite3"):  # reader changed its index format: warm the new one
        log("the index is not in reader's current format: indexing the articles again")
        _scan(data, log)
    return ScaleData(
        data=data, articles=info["listed"], annotations=info["annotations"], words=words,
        newest=info["newest"], long_titles=tuple(info["long_titles"]), rare_word=info["rare_word"],
        note_word=info["note_word"],
    )


def _reset_store(pristine: Path, data: Path) -> None:
    """Remove everything reader wrote into ``data`` except the index; put the pristine store back."""
    for item in data.iterdir():
        if item.name in ("articles", "config.toml", "cache"):
            continue
        shutil.rmtree(item) if item.is_dir() else item.unlink()
    for name in ("reader.json", "reader.json.journal"):
        if (pristine / name).exists():
            shutil.copy2(pristine / name, data / name)


def _relayout(snapshot: Path, log: Log) -> None:
    """Let reader rewrite a pristine store made before its one-record-a-line layout (or before
    its annotations had a checksum), once."""
    from reader.domain.store.snapshot import wants_relayout
    from reader.domain.store.storage import decode_snapshot
    from reader.domain.store.store import Store

    data = snapshot.read_bytes()
    if wants_relayout(data, decode_snapshot(data)):
        log("the pristine store is in reader's older layout: rewriting it once")
        Store.open(snapshot).close()


def _index_is_warm(path: Path) -> bool:
    """True when the index at ``path`` has reader's current schema and lists files."""
    import sqlite3

    from reader.domain.articles.index import SCHEMA_VERSION

    if not path.exists():
        return False
    db = sqlite3.connect(path)
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return False
        return db.execute("SELECT count(*) FROM files").fetchone()[0] > 0
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()


def _scan(data: Path, log: Log):
    """Index the articles of ``data`` (the app's own scan); the library and its listing."""
    from reader.config import load_settings, resolve_paths
    from reader.services import Services

    paths = resolve_paths(str(data))
    services = Services(paths=paths, settings=load_settings(paths.config_file))
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 20_000 == 0 or done == total:
            log(f"indexed {done:,} of {total:,}")

    try:
        return services.library, services.library.scan(progress)
    finally:
        services.close()
        log(f"indexed in {time.perf_counter() - start:.0f} s")


def _generate(folder: Path, articles: int, annotations: int, words: int, log: Log) -> dict:
    data = folder / "data"
    start = time.perf_counter()
    log(f"generating {articles:,} articles under {data / 'articles'}")
    written = write_library(data / "articles", articles)
    long_titles = (f"Long read {words} a", f"Long read {words} b")
    for name, title, seed in (("a", long_titles[0], 1), ("b", long_titles[1], 2)):
        write_long_article(data / "articles" / "longreads" / f"long-{name}.md", words, seed=seed + words, title=title)
    (data / "config.toml").write_text("include_seeds = false\n")
    log(f"wrote them in {time.perf_counter() - start:.0f} s; building the index")

    library, listing = _scan(data, log)
    log("annotating")
    start = time.perf_counter()
    rng = random.Random(6)
    notes = _Words(rng)
    made = _annotate(library, listing.articles, annotations, long_titles, rng, notes)
    pristine = folder / "pristine"
    pristine.mkdir(parents=True)
    from reader.domain.store.store import Store

    with Store.open(pristine / "reader.json") as store:
        new = store.import_annotations(made)
    journal = pristine / "reader.json.journal"
    log(f"{new:,} annotations in {time.perf_counter() - start:.0f} s: snapshot "
        f"{(pristine / 'reader.json').stat().st_size / 1e6:.0f} MB, journal "
        f"{journal.stat().st_size / 1e6 if journal.exists() else 0:.1f} MB")
    return {
        "format": FORMAT, "listed": len(listing.articles), "annotations": new, "newest": written[0].title,
        "long_titles": list(long_titles), "rare_word": _rare_word(written[0].path.read_text()),
        "note_word": _note_word(made),
    }


def _annotate(library, metas, total: int, long_titles: tuple[str, str], rng: random.Random, words: _Words) -> list:
    """``total`` annotations: ``LONG_NOTES`` on each long read, the rest on a quarter of the articles."""
    from reader.domain.articles.markdown import project

    by_title = {m.title: m for m in metas}
    longs = [by_title[t] for t in long_titles]
    others = [m for m in metas if m.title not in long_titles]
    plan: list[tuple[object, int]] = [(m, min(LONG_NOTES, total // 4)) for m in longs]
    left = total - sum(n for _, n in plan)
    chosen = rng.sample(others, max(1, min(len(others), left // 4)))
    while left > 0:
        for meta in chosen:
            if left <= 0:
                break
            count = min(left, rng.randint(1, 7))
            plan.append((meta, count))
            left -= count
    made = []
    newest = dt.datetime(2025, 6, 30, tzinfo=dt.timezone.utc)
    for meta, count in plan:
        projection = project(library.load(meta).body)
        made += _on_article(meta, projection, count, rng, words, newest)
    return made


def _on_article(meta, projection, count: int, rng: random.Random, words: _Words, newest: dt.datetime) -> list:
    from reader.domain.annotations.model import Annotation
    from reader.domain.annotations.passages import selectors_for

    texts = [b for b in projection.blocks if len(b.text) > 40]
    made = []
    for _ in range(count):
        note = ""
        if rng.random() < NOTE_SHARE:
            note = words.paragraph(rng.randint(5, 60)) if rng.random() < 0.9 else words.paragraph(300)
        selectors = None
        if texts and rng.random() >= ARTICLE_NOTE_SHARE:
            block = rng.choice(texts)
            start = block.start + rng.randrange(0, max(1, len(block.text) - 40))
            selectors = selectors_for(projection, start, min(block.end, start + rng.randint(40, 300)))
        elif not note:
            note = words.sentence()
        when = (newest - dt.timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        item = Annotation.new(meta.id, title=meta.title, url=meta.url, selectors=selectors, note=note)
        made.append(replace(item, created=when, updated=when))
    return made


def _rare_word(text: str) -> str:
    """A made-up word (not one of the common ones) of at least six letters from ``text``."""
    common = set(_COMMON)
    return next(w for w in (w.strip(".,*`[]()").lower() for w in text.split()[5:])
                if len(w) >= 6 and w.isalpha() and w not in common)


def _note_word(made: list) -> str:
    """A made-up word from one of the notes."""
    return _rare_word(" ".join(a.note for a in made if a.note)[:20_000])


def main() -> None:
    """Build (or check) the data of one size and say where it is."""
    parser = argparse.ArgumentParser(description="Build the big data dir bench_scale.py uses.")
    parser.add_argument("articles", type=int, nargs="?", default=100_000)
    parser.add_argument("--annotations", type=int, help="default: as many as articles")
    parser.add_argument("--words", type=int, default=50_000, help="words in each of the two long reads")
    args = parser.parse_args()
    scale = prepare(args.articles, args.annotations or args.articles, args.words,
                    lambda text: print(f"  … {text}", file=sys.stderr, flush=True))
    print(f"{scale.data}: {scale.articles:,} articles, {scale.annotations:,} annotations; newest {scale.newest!r}")


if __name__ == "__main__":
    main()
