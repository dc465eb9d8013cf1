"""The store under crashes, kill -9, a full disk and concurrent processes, on both layouts of
its files (``store_layouts``: one local notes file, or one machine's files in a sync folder).

Writers run in forked child processes that report each acknowledged operation on a pipe *after*
the call returned; the parent then opens the store and checks that nothing acknowledged is lost,
that the files load without any recovery, and that no temp file is left.
"""

from __future__ import annotations

import os
import random
import resource
import select
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Callable

import pytest
from store_layouts import Layout, layout  # noqa: F401  (the fixture)

from reader.domain.store import database as store_database
from reader.domain.annotations.model import Annotation
from reader.domain.store.storage import JournalStorage, journal_path
from reader.domain.store.store import Store, StoreError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

Op = tuple[str, str, str]
"""(kind, id or setting key, note or value); kind is add, edit, delete or setting."""
State = dict[tuple[str, str], str]


def make_script(seed: int, count: int, prefix: str) -> list[Op]:
    """A fixed mix of inserts, edits, deletes and setting writes."""
    rng = random.Random(seed)
    live: list[str] = []
    ops: list[Op] = []
    for i in range(count):
        roll = rng.random()
        if i % 10 == 9:
            ops.append(("setting", f"{prefix}last", str(i)))
        elif len(live) < 3 or roll < 0.5:
            live.append(f"{prefix}{i:04d}")
            ops.append(("add", live[-1], f"note {i} " + "x" * rng.randrange(400)))
        elif roll < 0.8:
            ops.append(("edit", rng.choice(live), f"edit {i}"))
        else:
            victim = rng.choice(live)
            live.remove(victim)
            ops.append(("delete", victim, ""))
    return ops


def perform(store: Store, op: Op) -> None:
    """Carry out one scripted operation."""
    kind, key, value = op
    if kind == "add":
        store.add(Annotation(id=key, article=f"art-{key[-1]}", note=value, created=f"t{key}"))
    elif kind == "edit":
        store.put(Annotation(id=key, article=f"art-{key[-1]}", note=value, created=f"t{key}"))
    elif kind == "delete":
        store.delete(key)
    else:
        store.set_setting(key, value)


def model(start: State, ops: list[Op]) -> State:
    """The state ``ops`` lead to from ``start``."""
    state = dict(start)
    for kind, key, value in ops:
        if kind == "delete":
            state.pop(("a", key), None)
        elif kind == "setting":
            state[("s", key)] = value
        else:
            state[("a", key)] = value
    return state


def observed(layout: Layout, path: Path, setting_keys: set[str], torn_ok: bool = False) -> State:
    """The state a fresh open finds; fails if opening had to recover anything (but for the
    notice of a torn write when ``torn_ok``: a kill in the middle of ``write`` leaves one)."""
    with layout.open(path) as store:
        assert [m for m in store.messages if not (torn_ok and "was incomplete" in m)] == []
        state: State = {("a", a.id): a.note for a in store.annotations()}
        for key in setting_keys:
            if store.setting(key) is not None:
                state[("s", key)] = store.setting(key)
    return state


def setting_keys(ops: list[Op]) -> set[str]:
    """The setting keys ``ops`` write."""
    return {key for kind, key, _ in ops if kind == "setting"}


def temp_files(folder: Path, backups: Path | None = None) -> list[str]:
    """Leftover temporary files in ``folder`` and in its backups (``backups``, or ``folder/backups``)."""
    backups = backups or folder / "backups"
    names = os.listdir(folder) + (os.listdir(backups) if backups.exists() else [])
    return [n for n in names if ".tmp-" in n]


def fork(body: Callable[[int], None]) -> tuple[int, int]:
    """Run ``body(pipe)`` in a forked child; returns (pid, read end of the pipe)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(read)
            body(write)
        except BaseException:
            traceback.print_exc(file=sys.stderr)
            code = 70
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def first_report(read: int) -> bytes:
    """Block until the child reported its first line (or died); returns what was read."""
    data = b""
    while not data.endswith(b"\n") and (chunk := os.read(read, 1)):
        data += chunk
    return data


def finish(pid: int, read: int, already: bytes = b"") -> tuple[int, list[str]]:
    """Read the child's reports to the end and reap it; returns (wait status, lines)."""
    chunks = [already]
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    return os.waitpid(pid, 0)[1], b"".join(chunks).decode().split()


def acknowledged(lines: list[str]) -> int:
    """How many operations the child reported done."""
    return sum(1 for line in lines if line.isdigit())


# -- crash at every fsync / replace -------------------------------------------------------------

SCRIPT = make_script(60, 60, "c")


def die_at_sync(crash_at: int, after: bool) -> Callable[[], int]:
    """Make this (child) process die at its ``crash_at``-th fsync/replace call, just before or
    just after it (0: never); returns how to ask how many calls were made so far."""
    calls = 0

    def counted(real: Callable) -> Callable:
        def call(*args: object) -> object:
            nonlocal calls
            calls += 1
            if calls == crash_at and not after:
                os._exit(99)
            result = real(*args)
            if calls == crash_at:
                os._exit(99)
            return result

        return call

    os.fsync, os.replace = counted(os.fsync), counted(os.replace)
    return lambda: calls


def crash_child(layout: Layout, path: Path, crash_at: int, after: bool) -> Callable[[int], None]:
    """A child that runs ``SCRIPT`` and dies at its ``crash_at``-th fsync/replace call."""

    def body(pipe: int) -> None:
        store_database.COMPACT_MIN_BYTES = 3000
        calls = die_at_sync(crash_at, after)
        store = layout.open(path)
        for i, op in enumerate(SCRIPT):
            perform(store, op)
            os.write(pipe, f"{i}\n".encode())
        os.write(pipe, f"calls={calls()}\n".encode())

    return body


def test_a_crash_at_any_fsync_or_replace_loses_no_acknowledged_write(tmp_path: Path, layout: Layout) -> None:
    full = layout.file(tmp_path / "full")
    status, lines = finish(*fork(crash_child(layout, full, 0, False)))
    assert status == 0 and acknowledged(lines) == len(SCRIPT)
    total = int(lines[-1].split("=")[1])
    keys = setting_keys(SCRIPT)
    assert observed(layout, full, keys) == model({}, SCRIPT)
    assert total > len(SCRIPT) + 10  # appends, compactions and the backup were all counted
    for crash_at in range(1, total + 1):
        for after in (False, True):
            path = layout.file(tmp_path / f"k{crash_at}{'a' if after else 'b'}")
            status, lines = finish(*fork(crash_child(layout, path, crash_at, after)))
            assert os.waitstatus_to_exitcode(status) == 99
            done = acknowledged(lines)
            state = observed(layout, path, keys)
            assert state in (model({}, SCRIPT[:done]), model({}, SCRIPT[: done + 1])), (crash_at, after, done)
            assert temp_files(path.parent, layout.backups(path)) == []


# -- kill -9 ---------------------------------------------------------------------------------


def writer_child(layout: Layout, path: Path, ops: list[Op], compact_bytes: int) -> Callable[[int], None]:
    """A child that performs ``ops`` on the store at ``path``, reporting each."""

    def body(pipe: int) -> None:
        store_database.COMPACT_MIN_BYTES = compact_bytes
        with layout.open(path) as store:
            for i, op in enumerate(ops):
                perform(store, op)
                os.write(pipe, f"{i}\n".encode())

    return body


def steady_writer(layout: Layout, path: Path, ops: list[Op], stop: tuple[int, int]) -> Callable[[int], None]:
    """A child that performs ``ops`` on the store at ``path`` until the pipe ``stop`` (read end,
    write end) is closed by the parent, reporting each: the second writer (another process, or
    another machine)."""

    def body(pipe: int) -> None:
        os.close(stop[1])  # else the child itself would keep the pipe open
        store_database.COMPACT_MIN_BYTES = 4000
        with layout.open(path) as store:
            for i, op in enumerate(ops):
                if select.select([stop[0]], [], [], 0)[0]:
                    return
                perform(store, op)
                os.write(pipe, f"{i}\n".encode())
                time.sleep(0.005)  # a pace a person (or a sync engine) keeps, not a busy loop

    return body


def mine(state: State, prefix: str) -> State:
    """The part of ``state`` whose keys start with ``prefix`` (one writer's)."""
    return {key: value for key, value in state.items() if key[1].startswith(prefix)}


def test_kill_9_while_writing_loses_nothing_acknowledged(tmp_path: Path, layout: Layout) -> None:
    """A writer killed again and again mid-write while a second one (another process of this
    machine, or another machine whose files change in the sync folder) keeps writing."""
    path = layout.file(tmp_path)
    rng = random.Random(9)
    state: State = {}
    killed = 0
    keys: set[str] = set()
    others = [("add", f"o-{n:02d}", "v0") for n in range(20)]
    others += [("edit", f"o-{n % 20:02d}", f"v{n}") if n % 7 else ("setting", "o-last", str(n)) for n in range(20, 20000)]
    stop_read, stop_write = os.pipe()
    other_pid, other_read = fork(steady_writer(layout, layout.other(path), others, (stop_read, stop_write)))
    os.close(stop_read)
    other_started = first_report(other_read)
    for run in range(100):
        ops = make_script(run, 40, f"r{run}-")
        keys |= setting_keys(ops)
        pid, read = fork(writer_child(layout, path, ops, 6000))
        already = first_report(read) if run % 4 else b""  # most runs die mid-script, some while opening
        time.sleep(rng.uniform(0, 0.015))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # pragma: no cover - already gone
            pass
        status, lines = finish(pid, read, already)
        killed += os.WIFSIGNALED(status)
        done = acknowledged(lines)
        found = mine(observed(layout, path, keys, torn_ok=True), "r")
        assert found in (model(state, ops[:done]), model(state, ops[: done + 1])), (run, done)
        state = found
    os.close(stop_write)
    status, lines = finish(other_pid, other_read, other_started)
    assert status == 0
    other_done = acknowledged(lines)
    assert killed > 50 and 100 < other_done < len(others)  # it wrote all along, and stopped when told
    keys |= setting_keys(others)
    expected = state | model({}, others[:other_done])
    assert observed(layout, path, keys, torn_ok=True) == expected
    assert observed(layout, layout.other(path), keys, torn_ok=True) == expected  # the same merged view


# -- disk full ---------------------------------------------------------------------------------


def test_a_full_disk_keeps_every_acknowledged_record(tmp_path: Path, layout: Layout) -> None:
    path = layout.file(tmp_path)
    with layout.open(path) as store:
        for n in range(40):
            store.add(Annotation(id=f"seed{n:03d}", article="a", note="y" * 300, created=str(n)))
    compacted = JournalStorage(path)
    compacted.load_files()
    compacted.write(compacted.tables)
    limit = path.stat().st_size + 4096  # room for some appends, not for a compaction
    ops = make_script(3, 400, "d")

    def body(pipe: int) -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        store_database.COMPACT_MIN_BYTES = 2048
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        with layout.open(path) as store:
            for i, op in enumerate(ops):
                try:
                    perform(store, op)
                except StoreError:
                    os.write(pipe, b"full\n")
                    continue
                os.write(pipe, f"{i}\n".encode())

    status, lines = finish(*fork(body))
    assert status == 0
    done = [ops[int(line)] for line in lines if line.isdigit()]
    assert "full" in lines and sum(op[0] == "add" for op in done) > 3
    assert temp_files(path.parent, layout.backups(path)) == []
    seed = {("a", f"seed{n:03d}"): "y" * 300 for n in range(40)}
    assert observed(layout, path, setting_keys(ops)) == model(seed, done)
    assert journal_path(path).stat().st_size <= limit


# -- concurrent processes ----------------------------------------------------------------------


def test_two_processes_writing_at_once(tmp_path: Path, layout: Layout) -> None:
    path = layout.file(tmp_path)
    for run in range(5):
        children = []
        for who, where in enumerate((path, layout.other(path))):
            ops = [("add", f"p{run}-{who}-{i:03d}", f"n{i}") for i in range(500)]
            children.append(fork(writer_child(layout, where, ops, 64 * 1024)))
        for pid, read in children:
            status, lines = finish(pid, read)
            assert status == 0 and acknowledged(lines) == 500
    for where in (path, layout.other(path)):
        with layout.open(where) as store:
            assert store.messages == []
            assert len({a.id for a in store.annotations()}) == 5000
