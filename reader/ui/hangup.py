"""Leaving when the terminal goes away.

Textual's input thread reads the terminal until the app ends. When the terminal closes without
the hangup signal reaching reader (started under ``nohup``, an SSH connection that died, ``make
run`` in a tmux pane that was killed: make takes the signal and dies), each read returns nothing
at once and that thread spins a core for ever (Textual PR #6690, open in Textual 8.2).
``TerminalWatch`` tells a hung-up terminal from a live one; the app then quits as ``q`` does
(the reading position waiting to be saved is saved) and, since Textual's writer thread may have
died on a write to the dead terminal and left its queue full, ends the process a few seconds
later if quitting got stuck (everything the app said was saved is on disk by then).
"""

from __future__ import annotations

import os
import termios
import threading


class TerminalWatch:
    """Watches the terminal on ``fd`` (nothing when it is not a terminal, as in tests)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd if fd is not None and os.isatty(fd) else None

    @property
    def armed(self) -> bool:
        """True when there is a terminal to watch."""
        return self._fd is not None

    def gone(self) -> bool:
        """True once the terminal has hung up (its other end closed)."""
        if self._fd is None:
            return False
        try:
            termios.tcgetattr(self._fd)
        except (termios.error, OSError):
            return True
        return False

    def detach(self) -> None:
        """Point standard input, output and error at ``/dev/null``: on a hung-up terminal every
        write fails and Textual's writer thread stops, so the app could not finish quitting."""
        null = os.open(os.devnull, os.O_RDWR)
        try:
            for fd in (0, 1, 2):
                os.dup2(null, fd)
        finally:
            os.close(null)
        self._fd = None

    def end_after(self, seconds: float) -> None:
        """End the process in ``seconds`` unless it has ended by then (quitting got stuck)."""
        timer = threading.Timer(seconds, os._exit, args=(0,))
        timer.daemon = True
        timer.start()
