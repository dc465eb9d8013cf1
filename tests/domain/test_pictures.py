"""Which pictures are local files (shown inline when asked) and which are remote (never read)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from reader.domain.articles.markdown import project
from reader.domain.articles.pictures import MAX_PICTURE_BYTES, Picture, local_file, local_pictures


@pytest.mark.parametrize("src", [
    "http://127.0.0.1/a.png", "https://example.org/a.png", "//example.org/a.png",
    "data:image/png;base64,AAAA", "file:///tmp/a.png", "ftp://host/a.png", "", "#top",
])
def test_remote_or_empty_addresses_are_not_local(src: str) -> None:
    assert local_file(src, "/library/article.md") is None


def test_a_relative_path_is_the_articles_neighbour_and_escapes_are_resolved() -> None:
    assert local_file("pics/my%20pic.png", "/library/news/a.md") == Path("/library/news/pics/my pic.png")
    assert local_file("/srv/pic.png", "/library/a.md") == Path("/srv/pic.png")


def test_local_pictures_are_the_existing_files_by_block(tmp_path: Path) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a b.png").write_bytes(b"\x89PNG")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    article = tmp_path / "article.md"
    body = ("First paragraph.\n\n![A cat](<pics/a b.png>)\n\n![gone](missing.png)\n\n"
            "- a list with ![C](c.png)\n\n![remote](https://example.org/x.png)\n")
    found = local_pictures(body, article)
    assert found == (Picture(1, tmp_path / "pics" / "a b.png"), Picture(3, tmp_path / "c.png"))
    blocks = project(body).blocks
    assert blocks[1].text == "▣ A cat" and blocks[3].text == "a list with ▣ C"


def test_a_picture_too_big_is_not_shown(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as file:
        file.truncate(MAX_PICTURE_BYTES + 1)
    assert local_pictures("![big](big.png)", tmp_path / "a.md") == ()


@given(st.text(max_size=40))
def test_any_address_with_a_scheme_or_host_is_never_local(rest: str) -> None:
    for prefix in ("http://", "https://", "//", "data:", "file:"):
        assert local_file(prefix + "h/" + rest, "/library/a.md") is None
