"""The idle collector: full garbage collections wait until the app is quiet, and still happen."""

from __future__ import annotations

import gc
import weakref

import pytest

from reader.collector import NEVER, IdleCollector


class Node:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def busy() -> None:
    """Allocate enough containers for many young collections (as opening a long article does)."""
    junk = [[] for _ in range(200_000)]
    del junk


@pytest.fixture
def collector():
    made = IdleCollector(longest=30.0, quiet_ticks=2)
    made.start()
    yield made
    made.stop()


def test_start_turns_off_automatic_full_collections_and_stop_restores_them() -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    assert gc.get_threshold() == (before[0], before[1], NEVER)
    collector.stop()
    assert gc.get_threshold() == before


def test_a_full_collection_waits_for_quiet_ticks_then_frees_cycles(collector: IdleCollector) -> None:
    node = Node()
    alive = weakref.ref(node)
    gc.collect()  # it survives into the oldest generation, like the widgets of an article read a while
    del node
    busy()
    assert not collector.tick()  # allocating: not now
    busy()
    assert not collector.tick()
    assert alive() is not None  # young collections alone do not reach it
    assert not collector.tick()  # one quiet tick
    assert collector.tick()  # two in a row: collect
    assert alive() is None
    assert not collector.tick()  # nothing due right after


def test_an_overdue_collection_runs_even_while_busy() -> None:
    now = [0.0]
    collector = IdleCollector(longest=30.0, quiet_ticks=2, clock=lambda: now[0])
    collector.start()
    try:
        busy()
        assert not collector.tick()
        now[0] = 31.0
        busy()
        assert collector.tick()
    finally:
        collector.stop()
