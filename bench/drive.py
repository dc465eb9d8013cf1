"""Driving the real app in-process for bench_scale: keys, waiting for quiet, the sidebar, GC pauses.

Every figure here runs from posting a key (or a message) until the widget changed and the screen
refreshed, as in ``bench_app.py``. Headless runs do not write to a terminal, so they leave out
the last step of a paint.
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Callable

from bench_app import idle, until


def key_event(name: str):
    """The ``events.Key`` a terminal would send for ``name`` (a character, or ``escape``)."""
    from textual import events

    return events.Key(name, name if len(name) == 1 else {"escape": "\x1b"}.get(name))


async def press(app, key: str, done: Callable[[], bool], widget) -> float:
    """Seconds from posting ``key`` until ``done()`` holds and ``widget`` has refreshed."""
    event = key_event(key)
    event.set_sender(app)
    start = time.perf_counter()
    app.post_message(event)
    await until(done, timeout=60)
    await widget.wait_for_refresh()
    return time.perf_counter() - start


async def quiet(app) -> None:
    """Wait until no worker runs, a pending position save is done, and the store poll caught up.

    The poll reloads counts and the list whenever the store changed, the app's own writes
    included; waiting for it keeps that work out of the next figure.
    """
    from reader.ui.screens.main import POLL_SECONDS, SAVE_POSITION_DELAY

    screen, store = app.screen, app.services.store
    await until(lambda: idle(app), step=0.01)
    await asyncio.sleep(SAVE_POSITION_DELAY + 0.1)
    await until(lambda: idle(app), step=0.01)
    deadline = time.monotonic() + POLL_SECONDS * 3
    while screen.session.watch.generation != store.generation() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await until(lambda: idle(app), step=0.01)


class RowsWatch:
    """Counts the sidebar's ``show`` calls that bring new rows (how the screen shows a new list), and their length."""

    def __init__(self, article_list) -> None:
        self.calls = 0
        self.length = 0
        original = article_list.show

        def counting(view):
            fresh = view.rows is not article_list.view.rows
            original(view)
            if fresh:
                self.calls += 1
                self.length = len(view.rows)

        article_list.show = counting


class FullCollections:
    """While active, the duration of each full (generation 2) run of Python's cyclic GC.

    With hundreds of thousands of long-lived objects each one stops the app for a while, at
    whatever allocation happens to trigger it: an outlier in any figure.
    """

    def __init__(self) -> None:
        self.durations: list[float] = []
        self._start = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.durations.append(time.perf_counter() - self._start)

    def __enter__(self) -> "FullCollections":
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)
