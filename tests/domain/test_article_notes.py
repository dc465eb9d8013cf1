"""One whole-article note per article: duplicates (from an older `reader note`, or an import) merge
into one on the next save without losing a word, in one store transaction."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reader.domain.annotations.model import Annotation, Selectors
from reader.domain.annotations.article_notes import ArticleNote, duplicated
from reader.domain.store.storage import journal_path
from reader.domain.store.store import Store


def article_note(key: str, text: str, day: int, article: str = "a1") -> Annotation:
    """A whole-article note with a fixed id and creation day."""
    return Annotation(id=key, article=article, note=text, created=f"2024-01-{day:02d}T00:00:00Z")


def test_the_newest_is_kept_unless_one_is_named() -> None:
    old, new = article_note("old", "old text", 1), article_note("new", "new text", 2)
    passage = Annotation(id="p", article="a1", selectors=Selectors.for_span("some text", 0, 4), note="on a passage",
                         created="2024-01-03T00:00:00Z")
    notes = ArticleNote.of([old, passage, new])
    assert (notes.kept, notes.others) == (new, (old,)), "a passage's note is not a whole-article note"
    assert notes.text == "new text\n\n---\n\nold text"
    assert notes.absorbed == {"old": "old text"}
    assert ArticleNote.of([old, new], keep="old").kept == old
    assert ArticleNote.of([passage]) == ArticleNote(None)
    assert duplicated([old, passage, new, article_note("x", "alone", 1, article="a2")]) == {"a1": [old, new]}


def test_one_note_is_replaced_and_duplicates_are_kept_below_the_new_text() -> None:
    only = article_note("only", "before", 1)
    assert ArticleNote.of([only]).replaced("after").note == "after"
    both = ArticleNote.of([only, article_note("newer", "newer text", 2)])
    assert both.replaced("after").note == "after\n\n---\n\nnewer text\n\n---\n\nbefore"
    assert both.replaced("before").note == "before\n\n---\n\nnewer text", "a text already there is not repeated"


some_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(some_text, min_size=1, max_size=5), some_text)
def test_merging_loses_no_text(texts: list[str], new: str) -> None:
    notes = ArticleNote.of([article_note(f"n{i}", text, i + 1) for i, text in enumerate(texts)])
    shown, saved = notes.text, notes.replaced(new).note
    if len(texts) == 1:  # nothing to merge: the editor shows the note, a script's text replaces it
        assert (shown, saved) == (texts[0], new)
        return
    for text in texts:
        assert text.strip() in shown and text.strip() in saved
    assert saved.startswith(new.strip())


def test_put_deletes_the_absorbed_duplicates_in_the_same_transaction(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    with Store.open(path) as store:
        old, new = store.add(article_note("old", "old text", 1)), store.add(article_note("new", "new text", 2))
        notes = ArticleNote.of(store.annotations("a1"))
        lines = journal_path(path).read_bytes().count(b"\n")
        store.put(notes.replaced("mine"), notes.absorbed)
        assert journal_path(path).read_bytes().count(b"\n") == lines + 1, "one transaction"
    with Store.open(path) as store:
        (kept,) = store.annotations()
        assert (kept.id, kept.note) == ("new", "mine\n\n---\n\nnew text\n\n---\n\nold text")


def test_a_duplicate_edited_meanwhile_is_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "reader.json"
    with Store.open(path) as store, Store.open(path) as other:
        store.add(article_note("old", "old text", 1))
        store.add(article_note("new", "new text", 2))
        notes = ArticleNote.of(store.annotations("a1"))
        other.put(other.get("old").with_note("old text, edited in another copy"))
        store.put(notes.replaced("mine"), notes.absorbed)
        assert {a.id: a.note for a in other.annotations()} == {
            "new": "mine\n\n---\n\nnew text\n\n---\n\nold text", "old": "old text, edited in another copy"}
