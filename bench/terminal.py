"""Timing a program's first paint in a real pseudo-terminal: from spawn until a text shows.

The program runs in a child process whose stdin, stdout and stderr are a pty of a fixed size, as
in a terminal window. The clock starts just before the fork and stops when the bytes the program
wrote contain the text (escape sequences removed), so it covers interpreter start, imports,
the app's start-up and the first frame's rendering and write. The program is then asked to quit
with ctrl+q, and killed if it does not.
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
from typing import Callable, Mapping, Sequence, TypeVar

_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78c])")
T = TypeVar("T")
QUIT = b"\x11"
"""ctrl+q, Textual's quit key."""


class NotShown(Exception):
    """The text did not appear before the timeout (the message holds the end of the output)."""


def _contains(buffer: bytearray, needle: bytes) -> bool:
    if needle in buffer:
        return True
    return needle in _ESCAPES.sub(b"", bytes(buffer[-262_144:]))


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


def times_until_shown(
    argv: Sequence[str],
    texts: Sequence[str],
    env: Mapping[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 120.0,
    grace: float = 30.0,
    probe: Callable[[int], T] | None = None,
    settle: float = 0.0,
) -> tuple[list[float], T | None]:
    """Seconds from spawning ``argv`` until each of ``texts`` is on the terminal, in turn.

    Once the last text shows, the program is left running ``settle`` seconds more (its output
    still read), then ``probe(pid)`` is called while it runs (to read its memory, say); its
    result is returned beside the times.
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
    try:
        for text in texts:
            needle = text.encode("utf-8")
            while not _contains(buffer, needle):
                if not _read_some(fd, buffer, timeout - (time.perf_counter() - start)):
                    tail = _ESCAPES.sub(b"", bytes(buffer[-2000:])).decode("utf-8", "replace")
                    raise NotShown(f"{text!r} did not appear in {timeout:.0f} s; output ended with: {tail[-400:]!r}")
            times.append(time.perf_counter() - start)
        deadline = time.perf_counter() + settle
        while time.perf_counter() < deadline:
            _read_some(fd, buffer, deadline - time.perf_counter())
        if probe is not None:
            result = probe(pid)
    finally:
        _drain_and_stop(fd, pid, grace)
    return times, result


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
