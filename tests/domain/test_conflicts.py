"""A note edited on two machines while apart: its other texts, and settling them (keep this one,
take the other, keep both), which clears the conflict on every machine."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_world import Machine  # noqa: E402

from reader.domain.annotations.conflicts import Resolution, conflicts, resolved, texts  # noqa: E402
from reader.domain.annotations.model import Annotation  # noqa: E402
from reader.session.passages import Passages  # noqa: E402


@pytest.fixture
def apart(tmp_path: Path):
    """Machines a and b, one note edited on both while apart (b later), then synced both ways."""
    a, b = Machine(tmp_path, "a"), Machine(tmp_path, "b")
    made = a.store.add(Annotation.new("art", note="base"))
    a.push(b)
    a.store.put(a.store.get(made.id).with_note("on a\x1b[31m"))
    b.store.put(b.store.get(made.id).with_note("on b"))
    a.push(b)
    b.push(a)
    yield a, b, made.id
    a.close()
    b.close()


def test_the_other_text_is_read_back_with_its_machine_and_no_control_characters(apart) -> None:
    a, b, key = apart
    note = a.store.get(key)
    assert note.note == "on b"
    assert [(c.machine, c.note, c.deleted) for c in conflicts(note)] == [("a", "on a[31m", False)]
    assert texts(note) == ("on a[31m",)
    assert [c.machine for c in conflicts(note, here="a")] == ["this machine"]  # as a itself shows it
    assert conflicts(Annotation.new("art", note="alone")) == ()


@pytest.mark.parametrize(("how", "text"), [(Resolution.KEEP, "on b"), (Resolution.OTHER, "on a[31m"),
                                           (Resolution.BOTH, "on b\n\non a[31m")])
def test_settling_on_one_machine_settles_it_on_every_machine(apart, how: Resolution, text: str) -> None:
    a, b, key = apart
    a.store.put(resolved(a.store.get(key), how))
    a.push(b)
    for machine in (a, b):
        settled = machine.store.get(key)
        assert (settled.note, conflicts(settled)) == (text, ()), machine.name
    b.reopen()
    assert conflicts(b.store.get(key)) == ()


def test_the_open_article_sees_a_conflict_arrive_even_when_the_text_shown_stays(tmp_path: Path) -> None:
    a, b = Machine(tmp_path, "a"), Machine(tmp_path, "b")
    try:
        made = a.store.add(Annotation.new("art", note="base"))
        a.push(b)
        b.store.put(b.store.get(made.id).with_note("on b"))
        a.store.put(a.store.get(made.id).with_note("on a"))  # later: a's text stays on a
        before = Passages.locate(a.store.annotations("art"), _projection())
        b.push(a)
        after = a.store.annotations("art")
        assert [x.note for x in after] == ["on a"] and conflicts(after[0])
        assert not before.same_as(after), "the notes panel would keep showing no conflict"
        assert [e.conflicts for e in Passages.locate(after, _projection()).entries()] == [conflicts(after[0])]
    finally:
        a.close()
        b.close()


def _projection():
    from reader.domain.articles.markdown import project

    return project("Some article text.\n")
