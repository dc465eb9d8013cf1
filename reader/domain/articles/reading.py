"""Reading changed files for the library scan: one file at a time, or many in worker processes.

A first start of a big library parses every file. On more than a few, the parsing runs in a
process pool sized to the cores, fed newest first, at a lower priority than the app. The scanning
thread parses the newest few itself before the pool starts, so the first screen can be shown early.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import deque
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from reader.domain.articles.article import ArticleMeta
from reader.domain.articles.files import Unreadable, read_text
from reader.domain.articles.formats import parse
from reader.domain.articles.index import Entry
from reader.domain.articles.markdown import project
from reader.domain.articles.words import count_words

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

POOL_FROM = 2_000
"""Fewer changed files than this are read in the scanning thread: starting the pool (about a second
under load) cost more than it saved on 1,000 files (3.4 s against 2.3 s in one pair)."""
CHUNK = 100
"""Files a worker process reads per task."""
AHEAD = 4
"""Tasks handed to the pool ahead of the one being taken, per worker."""

Read = tuple[Entry, str]
"""What the index is given for one file: its entry and the text of its body ("" when skipped)."""


@dataclass(frozen=True)
class Job:
    """A file the scan has to read: where it is, its id, and what ``os.stat`` said of it."""

    path: str
    id: str
    kind: str
    size: int
    mtime_ns: int
    mtime: float


def read_job(job: Job) -> Read:
    """The index entry of one file and its plain text, or the entry that says why it is skipped."""
    path = Path(job.path)
    try:
        parsed = parse(read_text(path), job.kind, path.stem)
    except Unreadable as error:
        return Entry(job.path, job.size, job.mtime_ns, None, str(error)), ""
    text = parsed.plain if parsed.plain is not None else project(parsed.body).text
    stamp = dt.datetime.fromtimestamp(job.mtime, dt.timezone.utc)
    meta = ArticleMeta(
        id=job.id, path=job.path, title=parsed.title, section=parsed.section,
        author=parsed.author, date=parsed.date, source=parsed.source, url=parsed.url,
        tags=parsed.tags, words=count_words(text), format=job.kind, mtime=job.mtime,
        size=job.size, sort_key=parsed.date or stamp.isoformat(timespec="seconds"),
    )
    return Entry(job.path, job.size, job.mtime_ns, meta, None), parsed.title + "\n" + text


def _read_chunk(jobs: list[Job]) -> list[Read]:
    return [read_job(job) for job in jobs]


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_all(jobs: list[Job], first: int) -> Iterator[Read]:
    """What ``read_job`` gives for each job, in the order of ``jobs``.

    With many jobs and more than one core, all but the first ``first`` go to worker processes.
    The first are read here before the pool starts, so they come without waiting for it: starting
    it blocks until the fork server has imported reader's parsers, which took 0.3 s and more
    of a first start's way to its first screen. A pool that cannot start or breaks leaves the
    rest to this thread.
    """
    workers = cores()
    if len(jobs) < POOL_FROM or workers < 2:
        yield from map(read_job, jobs)
        return
    yield from map(read_job, jobs[:first])
    from concurrent.futures.process import BrokenProcessPool  # multiprocessing loads only for a scan this big

    rest = [jobs[start : start + CHUNK] for start in range(first, len(jobs), CHUNK)]
    pool: ProcessPoolExecutor | None
    try:
        pool = _pool(workers)
        ahead = deque((chunk, pool.submit(_read_chunk, chunk)) for chunk in rest[: AHEAD * workers])
    except (OSError, ValueError, BrokenProcessPool):
        yield from map(read_job, jobs[first:])
        return
    waiting = iter(rest[len(ahead) :])
    try:
        while ahead:
            chunk, future = ahead.popleft()
            try:
                reads = future.result()
            except BrokenProcessPool:  # a worker was killed: what it had not given back is read here
                reads = _read_chunk(chunk)
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
            if pool is not None:
                for more in islice(waiting, 1):  # a chunk more for each one taken: results do not pile up
                    ahead.append((more, pool.submit(_read_chunk, more)))
            else:
                ahead.extend((more, _failed()) for more in waiting)
            yield from reads
    finally:
        for _chunk, future in ahead:
            future.cancel()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _failed() -> Future[list[Read]]:
    """A future that says the pool broke, for the chunks not handed to it."""
    from concurrent.futures.process import BrokenProcessPool

    future: Future[list[Read]] = Future()
    future.set_exception(BrokenProcessPool("the pool broke"))
    return future


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool of fresh interpreters: ``fork`` would copy the other threads' state (the app's, its locks)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import resource_tracker

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with _stderr_with_a_descriptor():
        resource_tracker.ensure_running()  # started once, with the real stderr: the pool's start needs it
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_in_the_background)


WORKER_NICENESS = 10
"""How much lower the pool's processes run than the app: parsing a first start's files must not
take the cores from the screen that shows the first of them (2 cores: the UI, 2 workers)."""


def _in_the_background() -> None:
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # not on this system, or not allowed: the same priority, then
        pass


@contextmanager
def _stderr_with_a_descriptor() -> Iterator[None]:
    """The process's real stderr while a helper process starts: a terminal app captures ``sys.stderr``
    with a stand-in whose ``fileno()`` is -1, which ``multiprocessing`` would hand to the helper."""
    current = sys.stderr
    try:
        usable = current is not None and current.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if not usable and sys.__stderr__ is not None:
        sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = current
