"""`reader edit` and `reader delete`, run as a script runs them, on the short ids `reader annotations` lists."""

from __future__ import annotations

from pathlib import Path

from test_cli_notes import annotations, library, one_line_error, reader  # noqa: F401  (library is a fixture)


def listed_short_ids(data: Path) -> list[str]:
    """The first column of `reader annotations`: the ids as a person copies them."""
    done = reader(data, "annotations")
    assert done.returncode == 0, done.stderr
    return [line.split()[0] for line in done.stdout.splitlines()]


def bookmark(data: Path, article: str, *args: str) -> str:
    done = reader(data, "bookmark", article, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_edit_note_by_the_short_id_the_listing_shows(library) -> None:
    data, article = library
    made = bookmark(data, article, "--quote", "Work begins in spring", "--note", "old note")
    (short,) = listed_short_ids(data)
    assert made.startswith(short) and len(short) < len(made)
    done = reader(data, "edit", short, "--note", "new note")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1 and short in done.stdout
    (after,) = annotations(data)
    assert (after["id"], after["note"], after["quote"], after["status"]) == (made, "new note", "Work begins in spring", "exact")


def test_edit_quote_repoints_to_the_occurrence_nearest_the_passage(library) -> None:
    data, article = library
    early = bookmark(data, article, "--paragraph", "1")  # starts at offset 0
    late = bookmark(data, article, "--quote", "Work begins in spring")  # starts at offset 154
    for made, start, which in ((early, 40, "1 of 2"), (late, 129, "2 of 2")):  # "the river" is at 40 and 129
        done = reader(data, "edit", made, "--quote", "the  river")  # whitespace as in `bookmark --quote`
        assert done.returncode == 0, done.stderr
        assert which in done.stdout and len(done.stdout.strip().splitlines()) == 1
        (after,) = [a for a in annotations(data) if a["id"] == made]
        assert after["quote"] == "the river" and after["status"] == "exact"
        assert (after["anchor"]["start"], after["anchor"]["end"]) == (start, start + len("the river"))
    unique = reader(data, "edit", late, "--quote", "needs it now", "--note", "and a note")
    assert unique.returncode == 0 and "of 2" not in unique.stdout
    (after,) = [a for a in annotations(data) if a["id"] == late]
    assert (after["quote"], after["note"]) == ("needs it now", "and a note")


def test_edit_refuses_what_it_cannot_do_in_one_line(library) -> None:
    data, article = library
    made = bookmark(data, article, "--quote", "Work begins in spring", "--note", "keep me")
    note = reader(data, "note", article, "whole").stdout.strip()
    assert "not found" in one_line_error(reader(data, "edit", made, "--quote", "words the article lacks"))
    assert "whole article" in one_line_error(reader(data, "edit", note, "--quote", "the river"))
    assert "--note" in one_line_error(reader(data, "edit", made))
    assert "nosuchid" in one_line_error(reader(data, "edit", "nosuchid", "--note", "x"))
    (data / "articles" / "river.txt").unlink()
    assert "not in the library" in one_line_error(reader(data, "edit", made, "--quote", "the river"))
    assert {(a["id"], a["note"], a["quote"]) for a in annotations(data)} == {
        (made, "keep me", "Work begins in spring"), (note, "whole", "")}, "nothing changed"


def test_delete_one_by_id_then_it_is_unknown(library) -> None:
    data, article = library
    gone = bookmark(data, article, "--paragraph", "2")
    kept = bookmark(data, article, "--paragraph", "3")
    done = reader(data, "delete", gone[:8])
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1 and "deleted" in done.stdout and gone[:8] in done.stdout
    assert [a["id"] for a in annotations(data)] == [kept]
    assert gone in one_line_error(reader(data, "delete", gone))
    assert [a["id"] for a in annotations(data)] == [kept]


def test_a_prefix_two_ids_share_is_refused(library) -> None:
    from reader.domain.annotations.model import Annotation
    from reader.domain.store.store import Store

    data, article = library
    with Store.open(data / "reader.json") as store:
        for suffix in ("1", "2"):
            store.add(Annotation(id=f"abcd0000-{suffix}", article=article, note=suffix))
    assert "2 annotations" in one_line_error(reader(data, "delete", "abcd0000"))
    assert "4 characters" in one_line_error(reader(data, "delete", "abc"))
    assert reader(data, "delete", "abcd0000-2").returncode == 0
    assert [a["id"] for a in annotations(data)] == ["abcd0000-1"]


def test_edit_note_on_a_duplicated_whole_article_note_merges_the_others(library) -> None:
    from reader.domain.annotations.model import Annotation
    from reader.domain.store.store import Store

    data, article = library
    older, newer = (Annotation(id=f"note-{day}", article=article, note=f"text {day}", created=f"2024-01-0{day}T00:00:00Z")
                    for day in (1, 2))
    with Store.open(data / "reader.json") as store:
        store.add(older)
        store.add(newer)
    assert reader(data, "edit", "note-1", "--note", "rewritten").returncode == 0
    (note,) = annotations(data)
    assert note["id"] == "note-1", "the note named is the one kept"
    assert note["note"] == "rewritten\n\n---\n\ntext 1\n\n---\n\ntext 2"
