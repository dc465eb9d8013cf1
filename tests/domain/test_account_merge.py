"""The three-way merge of read and starred flags (reader.domain.feeds.accounts.merge)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.domain.feeds.accounts.merge import Local, merge
from reader.domain.feeds.accounts.model import Flags

flags = st.builds(Flags, st.booleans(), st.booleans())
times = st.floats(min_value=0, max_value=2e9, allow_nan=False)
locals_ = st.builds(Local, st.booleans(), st.booleans(), times, times)


@given(flags, times, flags, times, locals_)
def test_unchanged_here_takes_the_server(base: Flags, base_at: float, server: Flags, server_at: float, local: Local) -> None:
    here = Local(base.read, base.starred, local.read_at, local.starred_at)
    outcome = merge(base, base_at, server, server_at, here)
    assert outcome.flags == server and not outcome.push_read and not outcome.push_starred


@given(flags, times, locals_)
def test_unchanged_on_the_server_takes_ours_and_sends_it(base: Flags, base_at: float, local: Local) -> None:
    outcome = merge(base, base_at, base, base_at, local)
    assert outcome.flags == Flags(local.read, local.starred)
    assert outcome.push_read == (local.read != base.read) and outcome.push_starred == (local.starred != base.starred)


@given(st.one_of(st.none(), flags), times, flags, times, locals_)
def test_the_outcome_is_one_side_and_a_push_only_carries_a_difference(base, base_at, server, server_at, local) -> None:
    outcome = merge(base, base_at, server, server_at, local)
    assert outcome.flags.read in (local.read, server.read) and outcome.flags.starred in (local.starred, server.starred)
    if outcome.push_read:
        assert outcome.flags.read == local.read != server.read
    elif outcome.flags.read != server.read:
        raise AssertionError("a read flag that differs from the server's must be sent")
    if outcome.push_starred:
        assert outcome.flags.starred == local.starred != server.starred


def test_when_both_changed_the_later_change_wins() -> None:
    base = Flags(read=False, starred=False)
    # the server toggled read twice (now unread again) after we marked it read: its change is later
    later_server = merge(base, 100.0, Flags(False, False), 300.0, Local(True, False, read_at=200.0))
    assert later_server.flags.read is False and not later_server.push_read
    # the server toggled before our change: ours is later and is sent
    later_here = merge(base, 100.0, Flags(False, False), 150.0, Local(True, False, read_at=200.0))
    assert later_here.flags.read is True and later_here.push_read


def test_with_no_base_the_later_side_wins() -> None:
    server = Flags(read=True, starred=False)
    assert merge(None, 0.0, server, 50.0, Local(False, True, 10.0, 10.0)).flags == Flags(True, False)
    assert merge(None, 0.0, server, 50.0, Local(False, True, 90.0, 90.0)) .flags == Flags(False, True)
