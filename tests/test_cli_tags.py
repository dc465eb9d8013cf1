"""Colours and tags from scripts: bookmark and edit options, the filters, `reader tags`, `reader tag`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli_notes import annotations, library, one_line_error, reader  # noqa: F401  (fixture)


def test_bookmark_with_colour_and_tags_and_list_them(library) -> None:  # noqa: F811
    data, article = library
    done = reader(data, "bookmark", article, "--quote", "the cost would rise", "--color", "Red",
                  "--tag", "money", "--tag", "#Money", "--tag", "city  hall")
    assert done.returncode == 0, done.stderr
    (listed,) = annotations(data)
    assert (listed["color"], listed["tags"]) == ("red", ["money", "city hall"])
    text = reader(data, "annotations").stdout
    assert "◆" in text and "#money #city hall" in text


def test_edit_changes_colour_and_tags_and_says_so(library) -> None:  # noqa: F811
    data, article = library
    made = reader(data, "bookmark", article, "--paragraph", "1", "--tag", "keep", "--tag", "drop").stdout.strip()
    done = reader(data, "edit", made[:6], "--color", "blue", "--tag", "new", "--untag", "DROP")
    assert done.returncode == 0, done.stderr
    assert "coloured it blue" in done.stdout and "tagged it new" in done.stdout and "untagged DROP" in done.stdout
    (listed,) = annotations(data)
    assert (listed["color"], listed["tags"]) == ("blue", ["keep", "new"])
    reader(data, "edit", made, "--color", "none")
    assert annotations(data)[0]["color"] == ""


def test_bad_colours_and_tags_are_one_line_and_exit_2(library) -> None:  # noqa: F811
    data, article = library
    made = reader(data, "bookmark", article, "--paragraph", "1").stdout.strip()
    note = reader(data, "note", article, "whole").stdout.strip()
    assert "unknown colour 'pink'" in one_line_error(reader(data, "bookmark", article, "--paragraph", "2", "--color", "pink"))
    assert "unknown colour" in one_line_error(reader(data, "edit", made, "--color", "mauve"))
    assert "unknown colour" in one_line_error(reader(data, "annotations", "--color", "mauve"))
    assert "empty" in one_line_error(reader(data, "edit", made, "--tag", " # "))
    assert "whole article" in one_line_error(reader(data, "edit", note, "--color", "red"))
    assert len(annotations(data)) == 2 and annotations(data, "--color", "red") == []


def test_the_tag_view_across_the_library(library, tmp_path: Path) -> None:  # noqa: F811
    data, article = library
    (data / "articles" / "other.txt").write_text("NEWS\nAnother story\nThe weather was fine all week.\n", encoding="utf-8")
    listed = json.loads(reader(data, "list", "--json").stdout)
    other = next(a["id"] for a in listed if a["title"] == "Another story")
    one = reader(data, "bookmark", article, "--quote", "Work begins in spring", "--tag", "Plans", "--color", "green").stdout.strip()
    two = reader(data, "bookmark", other, "--quote", "weather was fine", "--tag", "plans", "--tag", "sky").stdout.strip()
    reader(data, "bookmark", other, "--quote", "all week")
    assert reader(data, "tag", article, "Local", "plans").returncode == 0
    assert json.loads(reader(data, "tags", "--json").stdout) == [
        {"tag": "plans", "passages": 2, "articles": 1},  # the newest spelling
        {"tag": "Local", "passages": 0, "articles": 1},
        {"tag": "sky", "passages": 1, "articles": 0},
    ]
    assert [a["id"] for a in annotations(data, "--tag", "PLANS")] == [two, one]  # newest first, both articles
    assert [a["id"] for a in annotations(data, "--tag", "plans", "--tag", "sky")] == [two]
    assert [a["id"] for a in annotations(data, "--color", "green")] == [one]
    removed = reader(data, "tag", article, "local", "--remove")
    assert removed.returncode == 0 and removed.stdout.strip().endswith(": plans")
    assert "nosuch" in one_line_error(reader(data, "tag", "nosuch", "x"))
    assert reader(data, "tags").stdout.splitlines()[0].split() == ["plans", "2", "passages", "1", "article"]
