"""The annotation commands, run as a user would: `python -m reader ...` on a temporary library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = """NEWS
Council approves the river plan
The council voted on Tuesday to approve the river plan after a long debate.
Opponents said the cost would rise. Supporters said the river needs it now.
Work begins in spring and should end within two years.
"""


def reader(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, READER_DATA_DIR=str(data))
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, str]:
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    (data / "articles" / "river.txt").write_text(ARTICLE, encoding="utf-8")
    listed = json.loads(reader(data, "list", "--json").stdout)
    article = next(a["id"] for a in listed if a["title"] == "Council approves the river plan")
    return data, article


def annotations(data: Path, *args: str) -> list[dict]:
    done = reader(data, "annotations", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_bookmark_a_paragraph_and_a_quote_then_list_them(library) -> None:
    data, article = library
    first = reader(data, "bookmark", article, "--paragraph", "2", "--note", "check the cost")
    assert first.returncode == 0, first.stderr
    second = reader(data, "bookmark", article, "--quote", "Work begins in spring")
    note = reader(data, "note", article, "A whole-article note")
    ids = {first.stdout.strip(), second.stdout.strip(), note.stdout.strip()}
    listed = annotations(data)
    assert {a["id"] for a in listed} == ids
    by_id = {a["id"]: a for a in listed}
    para = by_id[first.stdout.strip()]
    assert para["quote"] == "Opponents said the cost would rise. Supporters said the river needs it now."
    assert para["note"] == "check the cost" and para["status"] == "exact" and para["article"] == article
    assert para["anchor"]["text"] == para["quote"]
    assert by_id[second.stdout.strip()]["quote"] == "Work begins in spring"
    assert by_id[note.stdout.strip()]["anchor"] is None
    assert [a["id"] for a in annotations(data, "--search", "COST")] == [first.stdout.strip()]


def test_user_errors_are_one_line_and_exit_2(library) -> None:
    data, article = library
    for args in (["bookmark", article, "--quote", "not in the article"], ["bookmark", article, "--paragraph", "9"],
                 ["bookmark", "nope", "--paragraph", "1"], ["import", str(data / "missing.json")]):
        done = reader(data, *args)
        assert done.returncode == 2, args
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_status_follows_edits_to_the_article(library) -> None:
    data, article = library
    passages = ["The council voted on Tuesday", "Opponents said the cost would rise.",
                "Supporters said the river needs it now.", "Work begins in spring and should end within two years."]
    for passage in passages:
        assert reader(data, "bookmark", article, "--quote", passage).returncode == 0
    path = data / "articles" / "river.txt"
    path.write_text(ARTICLE.replace("Opponents said the cost would rise.", "Critics said that the costs would rise.")
                    .replace("Work begins in spring and should end within two years.", "Nothing else is planned."),
                    encoding="utf-8")
    listed = {a["quote"]: a for a in annotations(data)}
    assert {quote: a["status"] for quote, a in listed.items()} == dict(zip(passages, ["exact", "fuzzy", "moved", "orphaned"]))
    assert listed["Opponents said the cost would rise."]["anchor"]["text"] == "Critics said that the costs would rise."
    assert listed["Supporters said the river needs it now."]["anchor"]["text"] == "Supporters said the river needs it now."
    assert listed[passages[3]]["anchor"] is None
    doctor = reader(data, "doctor")
    assert "annotations: 4 (1 exact, 1 moved, 1 fuzzy, 1 orphaned)" in doctor.stdout


def test_export_and_import_round_trip_without_duplicates(library, tmp_path: Path) -> None:
    data, article = library
    reader(data, "bookmark", article, "--paragraph", "1", "--note", "**bold** note")
    markdown = reader(data, "export", "--format", "markdown").stdout
    assert "## Council approves the river plan" in markdown and "> The council voted on Tuesday" in markdown
    for fmt in ("json", "w3c"):
        target = tmp_path / f"out-{fmt}.json"
        assert reader(data, "export", "--format", fmt, "-o", str(target)).returncode == 0
        again = reader(data, "export", "--format", fmt, "-o", str(target))
        assert again.returncode == 2 and "never overwrites" in again.stderr
        fresh = tmp_path / f"fresh-{fmt}"
        (fresh / "articles").mkdir(parents=True)
        (fresh / "articles" / "river.txt").write_text(ARTICLE, encoding="utf-8")
        assert "imported 1 new of 1" in reader(fresh, "import", str(target)).stdout
        assert "imported 0 new of 1" in reader(fresh, "import", str(target)).stdout
        assert [(a["quote"], a["note"], a["status"]) for a in annotations(fresh)] == [
            ("The council voted on Tuesday to approve the river plan after a long debate.", "**bold** note", "exact")]
    w3c = json.loads((tmp_path / "out-w3c.json").read_text())
    assert w3c["@context"] == "http://www.w3.org/ns/anno.jsonld"


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The single stderr line of a refused command (exit 2, no traceback)."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_annotations_of_an_unknown_article_is_one_line_and_exit_2(library) -> None:
    data, article = library
    for extra in ([], ["--json"]):
        assert "nosuchid" in one_line_error(reader(data, "annotations", "--article", "nosuchid", *extra))
    assert annotations(data, "--article", article) == []  # known, nothing on it: valid JSON, exit 0
    quiet = reader(data, "annotations", "--article", article)
    assert quiet.returncode == 0 and quiet.stdout.strip() == "no annotations"


def test_annotations_of_an_article_gone_from_the_library_still_lists_its_orphans(library) -> None:
    data, article = library
    made = reader(data, "bookmark", article, "--quote", "Work begins in spring").stdout.strip()
    (data / "articles" / "river.txt").unlink()
    assert [(a["id"], a["status"]) for a in annotations(data, "--article", article)] == [(made, "orphaned")]


def test_annotations_find_an_article_put_back_and_one_edited_since_the_last_listing(library) -> None:
    """The texts come from the index without a scan only while it knows every article unchanged:
    a file put back after its passages were orphaned, or edited, is read again."""
    data, article = library
    made = reader(data, "bookmark", article, "--quote", "Work begins in spring").stdout.strip()
    river = data / "articles" / "river.txt"
    river.unlink()
    assert [a["status"] for a in annotations(data)] == ["orphaned"]
    river.write_text(ARTICLE, encoding="utf-8")
    assert [(a["id"], a["status"]) for a in annotations(data)] == [(made, "exact")]
    river.write_text(ARTICLE.replace("Work begins in spring", "Work begins in the spring"), encoding="utf-8")
    os.utime(river, (1, 1))
    assert [a["status"] for a in annotations(data)] == ["fuzzy"]
    assert "annotations: 1 (0 exact, 0 moved, 1 fuzzy, 0 orphaned)" in reader(data, "doctor").stdout


def article_notes(data: Path, article: str) -> list[dict]:
    """The whole-article notes on an article."""
    return [a for a in annotations(data, "--article", article) if a["selectors"] is None]


def test_note_again_edits_the_one_whole_article_note(library) -> None:
    data, article = library
    first = reader(data, "note", article, "First thought")
    second = reader(data, "note", article, "Second thought")
    assert first.returncode == second.returncode == 0, second.stderr
    assert second.stdout.strip() == first.stdout.strip(), "the same note, edited"
    (note,) = article_notes(data, article)
    assert (note["id"], note["note"]) == (first.stdout.strip(), "Second thought")
    assert note["updated"] > note["created"]


def test_whole_article_notes_an_older_reader_duplicated_are_merged_on_the_next_note(library) -> None:
    from reader.domain.annotations.model import Annotation
    from reader.domain.store.store import Store

    data, article = library
    old = [Annotation(**{**Annotation.new(article, note=text).__dict__, "created": f"2024-01-0{day}T00:00:00Z"})
           for day, text in ((1, "oldest words"), (2, "newer words"))]
    with Store.open(data / "reader.json") as store:
        for annotation in old:
            store.add(annotation)
    doctor = reader(data, "doctor")
    assert doctor.returncode == 0 and f"{article}: 2 whole-article notes" in doctor.stdout
    merged = reader(data, "note", article, "my new words")
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.strip() == old[1].id, "the newest record is kept"
    assert "merged" in merged.stderr
    (note,) = article_notes(data, article)
    assert note["note"] == "my new words\n\n---\n\nnewer words\n\n---\n\noldest words", "no text is lost"
    assert "whole-article notes" not in reader(data, "doctor").stdout
    reader(data, "note", article, "only this")  # one note now: TEXT replaces it
    assert [n["note"] for n in article_notes(data, article)] == ["only this"]


def test_doctor_names_twenty_articles_with_duplicated_notes_then_counts_the_rest(library) -> None:
    from reader.domain.annotations.model import Annotation
    from reader.domain.store.store import Store

    data, _ = library
    with Store.open(data / "reader.json") as store:
        store.import_annotations(Annotation(id=f"n{i}-{k}", article=f"gone{i:02d}", note="x") for i in range(22) for k in (1, 2))
    lines = reader(data, "doctor").stdout.splitlines()
    assert lines[-22].startswith("22 articles have more than one whole-article note")
    assert [line.split(":")[0].strip() for line in lines[-21:-1]] == [f"gone{i:02d}" for i in range(20)]
    assert lines[-1].strip().startswith("… and 2 more")
def test_a_damaged_journal_is_told_by_every_command_until_doctor_acknowledges_it(library) -> None:
    data, article = library
    # eleven passages (a whole-article note would be edited in place, one record)
    ids = [reader(data, "bookmark", article, "--paragraph", "1", "--note", f"note {n}").stdout.strip() for n in range(11)]
    journal = data / "reader.json.journal"
    raw = journal.read_bytes()
    lines = raw.splitlines(keepends=True)
    assert len(lines) >= 11
    sixth = sum(len(line) for line in lines[:-6])  # the sixth note from the end
    middle = sixth + len(lines[-6]) // 2
    journal.write_bytes(raw[:middle] + b"####" + raw[middle + 4 :])  # four bytes changed on disk

    listed = reader(data, "annotations", "--json")
    assert listed.returncode == 0
    assert sorted(a["id"] for a in json.loads(listed.stdout)) == sorted(ids[:5] + ids[6:])
    copy = next(data.glob("reader.json.journal.corrupt-*"))
    assert "damaged" in listed.stderr and str(copy) in listed.stderr and f"byte {sixth}" in listed.stderr
    again = reader(data, "annotations")
    assert again.returncode == 0 and str(copy) in again.stderr  # every process says so, not only the first

    doctor = reader(data, "doctor")
    assert doctor.returncode == 1
    assert "not acknowledged" in doctor.stdout and str(copy) in doctor.stdout and "backup" in doctor.stdout
    acknowledged = reader(data, "doctor", "--acknowledge")
    assert acknowledged.returncode == 0 and "acknowledged 1" in acknowledged.stdout
    quiet = reader(data, "annotations")
    assert quiet.returncode == 0 and quiet.stderr == ""
    after = reader(data, "doctor")
    assert after.returncode == 0 and str(copy) in after.stdout and "(ok)" in after.stdout


def test_annotations_cuts_its_columns_with_an_ellipsis(library) -> None:
    data, article = library
    long_note = "A note that runs on and on about the river plan, its cost and its critics."
    made = reader(data, "bookmark", article, "--quote", "Opponents said the cost would rise. Supporters said the river needs it now.",
                  "--note", long_note)
    assert made.returncode == 0, made.stderr
    (line,) = reader(data, "annotations").stdout.splitlines()
    assert "“Opponents said the cost would rise. Supporters said the riv…”" in line, line
    assert long_note[:39] + "…" in line and long_note not in line, line
    assert "Council approves the river plan  " in line  # a title that fits is not cut
    columns = line.index("“"), line.index(long_note[:10])
    assert columns == (8 + 2 + 8 + 2 + 2 + 40 + 2, 8 + 2 + 8 + 2 + 2 + 40 + 2 + 62 + 2), line  # in columns
