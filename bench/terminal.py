"""Timing a program's first paint in a real pseudo-terminal: from spawn until a text shows.

The program runs in a child process whose stdin, stdout and stderr are a pty of a fixed size, as
in a terminal window. The clock starts just before the fork and stops when the bytes the program
wrote contain the text (escape sequences removed), so it covers interpreter start, imports,
the app's start-up and the first frame's rendering and write. The program is then asked to quit
with ctrl+q, and killed if it does not. ``times_until_shown`` follows a program through several
steps: texts that show, keys typed in between, and the moment it goes idle (from its CPU time in
``/proc``, so Linux only).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence, TypeVar

_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78c])")
T = TypeVar("T")
QUIT = b"\x11"
"""ctrl+q, Textual's quit key."""


class NotShown(Exception):
    """The text did not appear before the timeout (the message holds the end of the output)."""


def _contains(buffer: bytearray, needle: bytes, since: int = 0) -> bool:
    """Whether ``needle`` is in the output from offset ``since`` on (escape sequences removed)."""
    if needle in buffer[since:]:
        return True
    return needle in _ESCAPES.sub(b"", bytes(buffer[max(since, len(buffer) - 262_144):]))


def _drain_and_stop(fd: int, pid: int, grace: float) -> None:
    """Read what the child still writes (so it never blocks), ask it to quit, then reap it."""
    try:
        os.write(fd, QUIT)
    except OSError:
        pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                if not os.read(fd, 65_536):
                    break
            except OSError:
                break
    else:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                break
            time.sleep(0.2)
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)


def time_until_shown(
    argv: Sequence[str],
    text: str,
    env: Mapping[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 120.0,
    grace: float = 30.0,
) -> float:
    """Seconds from spawning ``argv`` in a ``size`` (columns, rows) terminal until ``text`` is on it."""
    times, _ = times_until_shown(argv, [text], env, size, timeout, grace)
    return times[0]


@dataclass(frozen=True)
class Step:
    """One thing ``times_until_shown`` waits for, then keys it types.

    ``text``: wait until it is on the terminal (anywhere in the output so far, or with ``fresh``
    only in output that came after the previous step). ``text=None``: wait until the program is
    idle (below ``IDLE_SHARE`` of a core for ``IDLE_WINDOW`` seconds); its time is when the
    quiet began. ``keys`` are written to the terminal once the step is reached.
    """

    text: str | None
    keys: bytes = b""
    fresh: bool = False


IDLE_WINDOW = 1.0
IDLE_SHARE = 0.05


def times_until_shown(
    argv: Sequence[str],
    steps: Sequence[str | Step],
    env: Mapping[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 120.0,
    grace: float = 30.0,
    probe: Callable[[int], T] | None = None,
) -> tuple[list[float], T | None]:
    """Seconds from spawning ``argv`` until each of ``steps`` is reached, in turn.

    After the last step ``probe(pid)`` is called while the program still runs (to read its
    memory, say); its result is returned beside the times.
    """
    environment = dict(os.environ if env is None else env)
    columns, rows = size
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: set the window size, then become the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execvpe(argv[0], list(argv), environment)
        finally:
            os._exit(127)
    buffer = bytearray()
    times: list[float] = []
    result: T | None = None
    mark = 0
    try:
        for step in (s if isinstance(s, Step) else Step(s) for s in steps):
            deadline = start + timeout
            if step.text is None:
                times.append(_until_idle(fd, pid, buffer, deadline) - start)
            else:
                needle = step.text.encode("utf-8")
                while not _contains(buffer, needle, mark if step.fresh else 0):
                    if not _read_some(fd, buffer, deadline - time.perf_counter()):
                        tail = _ESCAPES.sub(b"", bytes(buffer[-2000:])).decode("utf-8", "replace")
                        raise NotShown(f"{step.text!r} did not appear in {timeout:.0f} s; output ended with: {tail[-400:]!r}")
                times.append(time.perf_counter() - start)
            mark = len(buffer)
            if step.keys:
                os.write(fd, step.keys)
        if probe is not None:
            result = probe(pid)
    finally:
        _drain_and_stop(fd, pid, grace)
    return times, result


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _until_idle(fd: int, pid: int, buffer: bytearray, deadline: float) -> float:
    """Read output until the program has used under ``IDLE_SHARE`` of a core for ``IDLE_WINDOW`` s.

    Returns when that quiet stretch began (to a tenth of a second).
    """
    samples = [(time.perf_counter(), cpu_seconds(pid))]
    while True:
        until = time.perf_counter() + 0.1
        while (left := until - time.perf_counter()) > 0:
            if time.perf_counter() >= deadline:
                raise NotShown("the program was still busy at the timeout")
            if not _read_some(fd, buffer, left):
                time.sleep(max(0.0, until - time.perf_counter()))  # it closed the terminal: it is idle
                break
        now, spent = time.perf_counter(), cpu_seconds(pid)
        samples.append((now, spent))
        quiet = None
        for moment, used in reversed(samples[:-1]):
            if spent - used > IDLE_SHARE * (now - moment):
                break
            quiet = moment
        if quiet is not None and now - quiet >= IDLE_WINDOW:
            return quiet


def _read_some(fd: int, buffer: bytearray, left: float) -> bool:
    """Add what the program wrote within ``left`` seconds to ``buffer``; False once it is over."""
    if left <= 0:
        return False
    ready, _, _ = select.select([fd], [], [], min(left, 0.5))
    if not ready:
        return True
    try:
        chunk = os.read(fd, 65_536)
    except OSError:  # the child closed the terminal
        return False
    if not chunk:
        return False
    buffer += chunk
    return True
