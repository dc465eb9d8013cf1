"""`reader cite`: a citation whose link leads back to the passage."""

from __future__ import annotations

import json
from urllib.parse import unquote

from tests.test_cli_notes import one_line_error, reader  # noqa: F401

PAGE = """---
title: "River [plan] *now*"
url: https://news.example/river?x=1
source: The Gazette
---
The plan passed. The plan passed again, said the mayor.

Work begins in spring - or later, the mayor said.
"""


def test_cite_prints_quote_title_source_and_a_fragment_link(tmp_path) -> None:
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    (data / "articles" / "river.md").write_text(PAGE, encoding="utf-8")
    article = json.loads(reader(data, "list", "--json").stdout)[0]["id"]
    second = reader(data, "bookmark", article, "--quote", "passed again").stdout.strip()
    reader(data, "edit", second, "--quote", "The plan passed.")  # the first occurrence, nearest
    dash = reader(data, "bookmark", article, "--quote", "spring - or later,").stdout.strip()
    markdown = reader(data, "cite", dash[:8])
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout == ("> spring - or later,\n\n— [*River \\[plan\\] \\*now\\**](<https://news.example/river?x=1"
                               "#:~:text=spring%20%2D%20or%20later%2C>), The Gazette\n")
    text = reader(data, "cite", second, "--format", "text").stdout.splitlines()
    assert text[:2] == ["“The plan passed.”", "— River [plan] *now*, The Gazette"]
    assert unquote(text[2].split("#:~:text=")[1]) == "The plan passed."
    note = reader(data, "note", article, "whole").stdout.strip()
    assert "only a passage" in one_line_error(reader(data, "cite", note))
    assert "no annotation" in one_line_error(reader(data, "cite", "zzzzzz"))
