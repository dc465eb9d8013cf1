"""Hostile article text never reaches the terminal as control sequences (a real pty run)."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

HOSTILE = {
    "osc52": "\x1b]52;c;Y2xpcGJvYXJk\x07",
    "osc0": "\x1b]0;pwned-title\x07",
    "osc8": "\x1b]8;;http://evil.example/\x1b\\",
    "dcs": "\x1bP1$qm\x1b\\",
    "csi2j": "\x1b[2J",
    "csi8bit": "\x9b2J",
    "rlo": "\u202e",
}


def _article(folder: Path) -> None:
    hostile = "".join(HOSTILE.values())
    (folder / "hostile.txt").write_text(
        f"NEWS\nTitleMarker{hostile}Visible\nBodyMarker{hostile}Shown and the rest of a paragraph.\n",
        encoding="utf-8",
    )


def _run_in_pty(folder: Path, data_dir: Path, seconds: float = 6.0) -> bytes:
    pid, fd = pty.fork()
    if pid == 0:  # child: the real app on a real terminal
        env = dict(os.environ, READER_DATA_DIR=str(data_dir), TERM="xterm-256color", COLUMNS="120", LINES="40")
        os.execvpe(sys.executable, [sys.executable, "-m", "reader", str(folder)], env)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    output = bytearray()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output.extend(chunk)
                if b"BodyMarker" in output and b"TitleMarker" in output and time.monotonic() > deadline - seconds + 3:
                    break
        os.write(fd, b"q")
        time.sleep(0.5)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return bytes(output)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a Linux pty")
def test_control_sequences_from_articles_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    _article(folder)
    out = _run_in_pty(folder, tmp_path / "data")
    assert b"TitleMarker" in out and b"BodyMarker" in out, out[-2000:]
    for marker in (b"TitleMarker", b"BodyMarker"):
        at = out.index(marker)
        window = out[at : at + 200]
        # The text right after the marker is the next visible word, not an escape from the file.
        assert window[len(marker) : len(marker) + 1] != b"\x1b", window
    for sequence in (b"\x1b]52;", b"\x1b]0;pwned", b"\x1b]8;;http://evil", b"\x1bP1$q"):
        assert sequence not in out, sequence
    # What is left of the payloads is shown as ordinary text.
    assert b"pwned-title" in out
    assert "\u202e".encode() not in out
    assert b"\xc2\x9b" not in out and b"\x9b2J" not in out
