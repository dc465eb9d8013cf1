"""A reader whose terminal goes away quits, saving what it had, instead of spinning a core.

When the terminal closes without the hangup signal reaching reader (started under ``nohup``, an
SSH connection that died, ``make run`` in a tmux pane that was killed: make takes the signal and
dies), Textual's input thread finds every read empty and loops on it forever (Textual PR #6690,
open). A real app in a real pty, with SIGHUP ignored as those cases leave it.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from reader.ui.hangup import TerminalWatch

WAIT = 30.0
"""Seconds the app may take to start and, once its terminal is gone, to notice and quit."""


def _read_until(fd: int, text: bytes, deadline: float) -> bytes:
    seen = b""
    while time.monotonic() < deadline and text not in seen:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65_536)
            except OSError:
                break
    return seen


def _until_quiet(fd: int, deadline: float, quiet: float = 0.5) -> None:
    """Read what the app draws until it has drawn something and then nothing for ``quiet`` s."""
    drawn, last = False, time.monotonic()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                if os.read(fd, 65_536):
                    drawn, last = True, time.monotonic()
            except OSError:
                return
        elif drawn and time.monotonic() - last >= quiet:
            return


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see the process")
def test_reader_quits_when_its_terminal_is_closed_without_a_hangup_signal(tmp_path: Path) -> None:
    folder, data = tmp_path / "articles", tmp_path / "data"
    folder.mkdir()
    (folder / "a.txt").write_text("NEWS\nHangupMarker headline\nFirst paragraph.\nSecond paragraph.\nThird paragraph.\n",
                                  encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real app, deaf to SIGHUP as under nohup
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        env = dict(os.environ, READER_DATA_DIR=str(data), TERM="xterm-256color")
        os.execvpe(sys.executable, [sys.executable, "-m", "reader", str(folder)], env)
    try:
        shown = _read_until(fd, b"HangupMarker", time.monotonic() + WAIT)
        assert b"HangupMarker" in shown, shown[-500:]
        os.write(fd, b"\r")  # Enter: read the article
        _read_until(fd, b"Next", time.monotonic() + WAIT)  # its keys are in the footer
        os.write(fd, b"jj")  # to the third paragraph; the position waits a moment to be saved
        _until_quiet(fd, time.monotonic() + WAIT)  # both moves drawn
    finally:
        os.close(fd)  # the terminal window closes
    deadline = time.monotonic() + WAIT
    try:
        while time.monotonic() < deadline and not os.waitpid(pid, os.WNOHANG)[0]:
            time.sleep(0.1)
        else:
            if time.monotonic() >= deadline:
                spun = _cpu_seconds(pid)
                pytest.fail(f"reader still runs {WAIT:.0f} s after its terminal closed ({spun:.1f} CPU-seconds)")
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    from reader.domain.store.store import Store

    with Store.open(data / "reader.json") as store:
        (state,) = [store.reading_state(key) for key in store.read_articles()]
    assert state["anchor"]["quote"] == "Third paragraph.", "the position it had is in the store"


def test_the_watch_sees_a_closed_terminal_and_ignores_what_is_not_one() -> None:
    master, slave = os.openpty()
    watch = TerminalWatch(slave)
    assert watch.armed and not watch.gone()
    os.close(master)
    assert watch.gone()
    os.close(slave)
    read, write = os.pipe()
    assert not TerminalWatch(read).armed and not TerminalWatch(read).gone()  # tests run without a terminal
    assert not TerminalWatch(None).armed
    os.close(read)
    os.close(write)
