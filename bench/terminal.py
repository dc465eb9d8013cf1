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
from typing import Mapping, Sequence

_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78c])")
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
    needle = text.encode("utf-8")
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
    elapsed: float | None = None
    try:
        while elapsed is None:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65_536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            buffer += chunk
            if _contains(buffer, needle):
                elapsed = time.perf_counter() - start
    finally:
        _drain_and_stop(fd, pid, grace)
    if elapsed is None:
        tail = _ESCAPES.sub(b"", bytes(buffer[-2000:])).decode("utf-8", "replace")
        raise NotShown(f"{text!r} did not appear in {timeout:.0f} s; output ended with: {tail[-400:]!r}")
    return elapsed
