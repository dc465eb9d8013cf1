"""``reader list`` and ``reader show`` run as a user runs them: a subprocess with its own data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_TITLE = "Trump Speaks With Xi by Phone, Predicts ‘Positive Results’ Through Presidential Term"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    articles = data / "articles"
    (articles / "sub").mkdir(parents=True)
    (articles / "sub" / "mine.md").write_text(
        "---\ntitle: My own article\ndate: 2030-01-02\nsection: Notes\n---\nSome *body* text.\n", encoding="utf-8"
    )
    (articles / "bad.txt").write_bytes(b"\x00\x01binary")
    return data


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    env["READER_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False,
    )


def listed(data_dir: Path) -> list[dict]:
    result = run(data_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_list_json(data_dir: Path) -> None:
    articles = listed(data_dir)
    assert [a["title"] for a in articles] == ["My own article", SEED_TITLE]
    for article in articles:
        assert {"id", "title", "section", "source", "date", "words", "path"} <= set(article)
        assert isinstance(article["id"], str) and len(article["id"]) == 12
        assert isinstance(article["words"], int) and article["words"] > 0
        assert Path(article["path"]).is_file()
    mine, seed = articles
    assert (mine["section"], mine["date"], mine["words"]) == ("Notes", "2030-01-02", 3)
    assert mine["path"] == str(data_dir / "articles" / "sub" / "mine.md")
    assert seed["section"] == "NEWS"
    assert listed(data_dir) == articles  # the second run, from the index, says the same


def test_list_plain_mentions_skipped_files(data_dir: Path) -> None:
    result = run(data_dir, "list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("  2030-01-02  Notes  My own article")
    assert "1 file skipped" in result.stderr


def test_list_errors(data_dir: Path) -> None:
    result = run(data_dir, "list", "--errors")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{data_dir / 'articles' / 'bad.txt'}\tbinary file"]
    errors = json.loads(run(data_dir, "list", "--errors", "--json").stdout)
    assert errors == [{"path": str(data_dir / "articles" / "bad.txt"), "reason": "binary file"}]


def test_show_by_id_and_prefix(data_dir: Path) -> None:
    article = next(a for a in listed(data_dir) if a["title"] == "My own article")
    result = run(data_dir, "show", article["id"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "# My own article\n\nSome *body* text.\n"
    assert run(data_dir, "show", article["id"][:6]).stdout == result.stdout


def test_show_seed(data_dir: Path) -> None:
    seed = next(a for a in listed(data_dir) if a["section"] == "NEWS")
    result = run(data_dir, "show", seed["id"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"# {SEED_TITLE}\n\nPresident Donald Trump")
    assert result.stdout.rstrip().endswith("processing centers.")


@pytest.mark.parametrize(
    "args",
    [("show", "nope"), ("list", "/no/such/path"), ("show", "")],
)
def test_user_errors_are_one_line_and_exit_2(data_dir: Path, args: tuple[str, ...]) -> None:
    result = run(data_dir, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("reader: ")
    assert "Traceback" not in result.stderr


def test_list_named_paths_replace_the_library(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Only headline\nOnly body.\n", encoding="utf-8")
    articles = json.loads(run(data_dir, "list", "--json", str(tmp_path)).stdout)
    assert [a["title"] for a in articles] == ["Only headline"]


def test_a_mistyped_command_is_named_with_the_command_it_looks_like(data_dir: Path) -> None:
    result = run(data_dir, "anotations")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "reader: unknown command 'anotations' (did you mean 'annotations'? reader --help lists the commands)"]


def test_a_missing_path_that_looks_like_no_command_is_named_as_a_path(data_dir: Path) -> None:
    result = run(data_dir, "no-such-folder-xyz")
    assert (result.returncode, result.stderr.strip()) == (2, "reader: no such file or folder: no-such-folder-xyz")


def test_import_of_a_missing_file_names_the_file(data_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent.json"
    result = run(data_dir, "import", str(missing))
    assert (result.returncode, result.stderr.strip()) == (2, f"reader: {missing}: no such file")


def test_show_by_id_of_a_file_edited_or_put_back_since_the_last_listing(tmp_path: Path) -> None:
    """A whole id is answered from the index while the file is unchanged; an edited file, or one
    put back after a listing forgot it, is found by a scan."""
    data = tmp_path / "data"
    mine = data / "articles" / "mine.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: First title\n---\nBody one.\n", encoding="utf-8")
    article = next(a for a in listed(data) if a["title"] == "First title")["id"]
    assert run(data, "show", article).stdout == "# First title\n\nBody one.\n"
    mine.write_text("---\ntitle: Second title\n---\nBody two, longer.\n", encoding="utf-8")
    assert run(data, "show", article).stdout == "# Second title\n\nBody two, longer.\n"
    mine.rename(tmp_path / "aside.md")
    gone = run(data, "show", article)
    assert gone.returncode == 2 and "no article with id" in gone.stderr
    (tmp_path / "aside.md").rename(mine)
    assert run(data, "show", article).stdout == "# Second title\n\nBody two, longer.\n"
