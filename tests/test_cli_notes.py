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
