"""`reader review` in-process with a fixed clock: listing, answering, the terminal prompt."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import reader.cli.review as review_cli
from reader.cli.main import main
from tests.test_cli_notes import ARTICLE

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=timezone(timedelta(hours=1)))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    (data / "articles" / "river.txt").write_text(ARTICLE, encoding="utf-8")
    clock = {"now": NOW}
    monkeypatch.setattr(review_cli, "clock", lambda: clock["now"])

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    run.clock = clock  # type: ignore[attr-defined]
    run.data = data  # type: ignore[attr-defined]
    return run


def bookmark_three(run) -> list[str]:
    article = json.loads(run("list", "--json")[1])[0]["id"]
    return [run("bookmark", article, "--paragraph", str(n))[1].strip() for n in (1, 2, 3)]


def test_review_shows_a_few_once_a_day_and_answers_schedule_them(run) -> None:
    ids = bookmark_three(run)
    code, out, _ = run("review", "--count", "2")
    assert code == 0 and [line[:8] for line in out.splitlines() if line[:8] in {i[:8] for i in ids}] == [i[:8] for i in ids[:2]]
    assert "reader review --answer ID again|hard|good|easy" in out
    assert run("review", "--count", "2")[1].startswith("nothing to review today")
    assert run("review", "--count", "3")[1].split()[0] == ids[2][:8]  # the one not yet shown
    assert run("review", "--again")[1].count("“") == 3
    code, out, _ = run("review", "--answer", ids[0][:6], "good")
    assert code == 0 and out.startswith(f"{ids[0][:8]}: good; back on 2025-03-")
    records = {a["id"]: a for a in json.loads(run("annotations", "--json")[1])}
    assert records[ids[0]]["review"]["last"] == "good" and records[ids[1]]["review"] == {"shown": "2025-03-03"}
    run.clock["now"] = NOW + timedelta(days=1)
    tomorrow = run("review")[1]
    assert ids[0][:8] not in tomorrow and ids[1][:8] in tomorrow and ids[2][:8] in tomorrow


def test_review_mistakes_are_one_line_and_exit_2(run) -> None:
    ids = bookmark_three(run)
    for args in (["review", "--answer", ids[0], "meh"], ["review", "--answer", "zzzz", "good"], ["review", "--count", "0"]):
        code, _, err = run(*args)
        assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("reader: ")


def test_in_a_terminal_review_asks_for_each_answer(run, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = bookmark_three(run)
    monkeypatch.setattr("sys.stdin", Terminal("x\ng\ns\neasy\n"))
    monkeypatch.setattr("sys.stdout", Terminal())
    assert main(["--data-dir", str(run.data), "review"]) == 0
    printed = sys.stdout.getvalue()
    assert printed.count("again, hard, good, easy?") == 4  # "x" was asked again
    assert f"{ids[0][:8]}: good" in printed and f"{ids[2][:8]}: easy" in printed and f"{ids[1][:8]}:" not in printed

