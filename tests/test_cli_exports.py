"""Exports checked against the rules of the tools that read them (not our own reader), through
the command line on the bundled seed article: W3C (the WPT annotation-model validator),
Hypothesis (its client's import), Readwise (its CSV rules), Obsidian (a vault updated in place)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.test_cli_notes import annotations, one_line_error, reader

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR_HOMES = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]


def validator() -> Path:
    for home in VALIDATOR_HOMES:
        script = home / "testdata" / "w3c-annotation-model" / "validate.py"
        if script.is_file():
            return script
    pytest.skip(f"the W3C annotation-model test suite is not here (looked for shared/ at {', '.join(map(str, VALIDATOR_HOMES))})")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The seed library with coloured, tagged and noted passages and a whole-article note."""
    data = tmp_path_factory.mktemp("seeded") / "data"
    data.mkdir()
    seed = json.loads(reader(data, "list", "--json").stdout)[0]["id"]
    made = [
        reader(data, "bookmark", seed, "--quote", "long and thorough call", "--color", "yellow", "--tag", "diplomacy",
               "--note", 'He said "long" — twice, with a comma, and\na second line.').stdout.strip(),
        reader(data, "bookmark", seed, "--paragraph", "3", "--color", "green", "--tag", "trade", "--tag", "soy beans").stdout.strip(),
        reader(data, "bookmark", seed, "--quote", "critical minerals market", "--color", "purple").stdout.strip(),
        reader(data, "bookmark", seed, "--quote", "Secretary of State Marco Rubio", "--tag", "2025").stdout.strip(),
        reader(data, "note", seed, "A whole-article note.").stdout.strip(),
    ]
    reader(data, "tag", seed, "china", "trade")
    assert all(made) and len(annotations(data)) == 5
    return data, made


def export(data: Path, form: str, target: Path) -> str:
    done = reader(data, "export", "--format", form, "-o", str(target))
    assert done.returncode == 0, done.stderr
    return target.read_bytes().decode("utf-8")  # as written: CSV rows end in \r\n


def test_w3c_export_passes_every_must_of_the_wpt_annotation_model_suite(seeded, tmp_path: Path) -> None:
    script = validator()
    data, _ = seeded
    target = tmp_path / "seed.jsonld"
    document = json.loads(export(data, "w3c", target))
    items = [i for i in document["first"]["items"] if isinstance(i["target"], dict)]  # passages
    assert {i["target"].get("styleClass") for i in items} == {"reader-yellow", "reader-green", "reader-purple", None}
    assert any(b.get("purpose") == "tagging" and b["value"] == "soy beans" for i in items for b in _bodies(i))
    assert all(".reader-" in i["stylesheet"]["value"] for i in items if "styleClass" in i["target"])
    done = subprocess.run([sys.executable, str(script), "-v", str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"w3c: 5 annotations, \d+ assertions checked, 0 failed", done.stdout), done.stdout[-500:]


def _bodies(item: dict) -> list[dict]:
    body = item.get("body", [])
    return body if isinstance(body, list) else [body]


def test_hypothesis_export_has_the_shape_its_client_imports(seeded, tmp_path: Path) -> None:
    data, made = seeded
    document = json.loads(export(data, "hypothesis", tmp_path / "h.json"))
    # src/sidebar/helpers/import.ts: an object whose `annotations` is an array
    assert isinstance(document, dict) and isinstance(document["annotations"], list)
    assert {"export_date", "export_userid", "client_version"} <= set(document)
    for ann in document["annotations"]:
        # ImportAnnotations.tsx groups by `user`, parsed by account-id.ts as acct:name@authority
        assert re.fullmatch(r"acct:[^@]+@.+", ann["user"])
        # import-annotations.ts keeps target, tags, text, uri, document; compares tags as arrays
        assert isinstance(ann["text"], str) and isinstance(ann["uri"], str) and ann["uri"]
        assert isinstance(ann["tags"], list) and all(isinstance(t, str) for t in ann["tags"])
        assert isinstance(ann["target"], list) and ann["target"][0]["source"] == ann["uri"]
        # annotation-metadata.ts: document.title[0] is the title; a quote is target[0].selector's TextQuoteSelector
        assert isinstance(ann["document"]["title"], list) and ann["document"]["title"][0]
        selectors = ann["target"][0].get("selector")
        if ann["id"] == made[4]:
            assert selectors is None  # a page note: no selector
        else:
            assert [s["type"] for s in selectors] == ["TextQuoteSelector", "TextPositionSelector"]
            assert selectors[0]["exact"] and 0 <= selectors[1]["start"] < selectors[1]["end"]
        assert not ann.get("references")  # not a reply
        for stamp in (ann["created"], ann["updated"]):
            datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        assert set(ann["permissions"]["read"]) == {ann["user"]}  # private, as exported


def test_readwise_csv_follows_readwises_rules(seeded, tmp_path: Path) -> None:
    data, _ = seeded
    text = export(data, "readwise", tmp_path / "r.csv")
    assert text.startswith("Highlight,Title,Author,URL,Note,Location,Date\r\n")
    assert '\\"' not in text  # quotes are doubled, never backslash-escaped
    rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
    assert len(rows) == 4  # the passages; a whole-article note has no highlight
    for row in rows:
        assert list(row) == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
        assert row["Highlight"] and len(row["Highlight"]) <= 8191 and len(row["Title"]) <= 511
        assert row["Location"].isdigit()
        datetime.strptime(row["Date"], "%Y-%m-%d %H:%M:%S")
    noted = next(r for r in rows if r["Highlight"] == "long and thorough call")
    assert noted["Note"] == '.diplomacy\nHe said "long" — twice, with a comma, and\na second line.'
    assert next(r for r in rows if "soybean" in r["Highlight"])["Note"] == ".trade .soy-beans"
    assert '".diplomacy\nHe said ""long"" — twice, with a comma, and\na second line."' in text


def test_readwise_keeps_within_readwises_limits() -> None:
    from reader.domain.annotations.exports.readwise import export_readwise
    from reader.domain.annotations.model import Annotation, Selectors

    long = Annotation.new("a", title="t" * 600, url="ftp://x", selectors=Selectors.for_span("w " * 5000, 0, 9999))
    (row,) = list(csv.DictReader(io.StringIO(export_readwise([long], {"a": "Ann, Author"}), newline="")))
    assert len(row["Highlight"]) == 8191 and row["Highlight"].endswith("…") and len(row["Title"]) == 511
    assert row["URL"] == "" and row["Author"] == "Ann, Author" and row["Location"] == "1"


OBSIDIAN_TAG = re.compile(r"[\w/-]+")


def test_obsidian_vault_is_idempotent_and_keeps_what_the_user_wrote(seeded, tmp_path: Path) -> None:
    data, made = seeded
    vault = tmp_path / "vault"
    assert reader(data, "export", "--format", "obsidian", "-o", str(vault)).returncode == 0
    (path,) = vault.glob("*.md")
    text = path.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert 'title: "Trump Speaks With Xi by Phone' in front and 'reader-article: "' in front
    assert 'tags:\n  - "china"\n  - "trade"\n' in front and 'author: ""' in front
    blocks = re.findall(r"^\^(\S+)$", text, re.M)
    assert len(blocks) == 4 and all(re.fullmatch(r"[A-Za-z0-9-]+", b) for b in blocks) and len(set(blocks)) == 4
    for block in blocks:  # Obsidian: an id after a quote goes on its own line, blank lines around it
        assert f"\n\n^{block}\n\n" in text
    assert "> long and thorough call\n\n^" in text and "A whole-article note." in text
    assert all(OBSIDIAN_TAG.fullmatch(t[1:]) and not t[1:].isdigit() for t in re.findall(r"(?<!\S)#\S+", text))
    assert "#soy-beans" in text and "#tag-2025" in text and "● yellow" in text

    before = (path.stat().st_mtime_ns, path.read_bytes())
    time.sleep(0.05)
    again = reader(data, "export", "--format", "obsidian", "-o", str(vault))
    assert "0 files written, 1 unchanged" in again.stderr
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before

    mine = text.replace("---\n\n%% reader: begin", "---\nMy own thoughts, before.\n\n%% reader: begin", 1)
    mine = mine.replace('reader-article:', 'rating: 5\nreader-article:', 1) + "\nAnd after, [[links]].\n"
    path.write_text(mine, encoding="utf-8")
    reader(data, "edit", made[2], "--note", "now with a note")
    reader(data, "export", "--format", "obsidian", "-o", str(vault))
    updated = path.read_text(encoding="utf-8")
    assert "now with a note" in updated and "My own thoughts, before." in updated
    assert updated.endswith("\nAnd after, [[links]].\n") and "rating: 5\n" in updated
    assert len(list(vault.glob("*.md"))) == 1
    assert "needs -o" in one_line_error(reader(data, "export", "--format", "obsidian"))
    assert "not a folder" in one_line_error(reader(data, "export", "--format", "obsidian", "-o", str(path)))


@pytest.mark.parametrize("form", ["json", "w3c", "hypothesis"])
def test_import_reads_back_each_format_and_twice_adds_nothing(seeded, tmp_path: Path, form: str) -> None:
    data, _ = seeded
    target = tmp_path / f"out.{form}"
    export(data, form, target)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert "imported 5 new of 5" in reader(fresh, "import", str(target)).stdout
    assert "imported 0 new of 5" in reader(fresh, "import", str(target)).stdout
    keep = ("id", "quote", "note", "color", "tags", "status")
    assert sorted(tuple(str(a[k]) for k in keep) for a in annotations(fresh)) == sorted(
        tuple(str(a[k]) for k in keep) for a in annotations(data))


def test_another_tools_annotations_land_on_the_article_with_their_url(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    (data / "articles" / "p.md").write_text("---\ntitle: Page\nurl: https://news.example/p\n---\nQuoted words here.\n",
                                            encoding="utf-8")
    foreign = {"annotations": [{"id": "hyp1", "uri": "https://news.example/p", "text": "mine", "tags": ["t"],
                                "target": [{"source": "https://news.example/p",
                                            "selector": [{"type": "TextQuoteSelector", "exact": "Quoted words"}]}]}]}
    (tmp_path / "h.json").write_text(json.dumps(foreign), encoding="utf-8")
    assert "imported 1 new of 1" in reader(data, "import", str(tmp_path / "h.json")).stdout
    article = json.loads(reader(data, "list", "--json").stdout)[0]["id"]
    ((listed),) = annotations(data, "--article", article)
    assert (listed["quote"], listed["note"], listed["tags"], listed["status"]) == ("Quoted words", "mine", ["t"], "exact")
