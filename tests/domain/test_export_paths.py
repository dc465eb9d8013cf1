"""Export file names and writes: portable names, no escaping the folder, no overwriting."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.domain.annotations.export_paths import MAX_NAME, safe_filename, unique_path, write_new_file, write_unique_file

SAFE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")


@pytest.mark.parametrize(
    ("title", "suffix", "expected"),
    [
        ("Hello, World!", ".md", "Hello-World.md"),
        ("Hello, World!", "md", "Hello-World.md"),
        ("../../etc/passwd", ".md", "etc-passwd.md"),
        ("/etc/passwd", "", "etc-passwd"),
        ("a/b\\c:d*e?f\"g<h>i|j", ".json", "a-b-c-d-e-f-g-h-i-j.json"),
        (".hidden", ".md", "hidden.md"),
        ("-rf --no-preserve-root", ".md", "rf-no-preserve-root.md"),
        ("tab\there\x00nul\x1bescape\u202eevil", ".md", "tab-here-nul-escape-evil.md"),
        ("Café au lait, naïve Ångström", ".md", "Cafe-au-lait-naive-Angstrom.md"),
        ("日本語のタイトル", ".md", "annotations.md"),
        ("Tokyo 東京 2024", ".md", "Tokyo-2024.md"),
        ("", ".md", "annotations.md"),
        ("...", ".md", "annotations.md"),
        ("CON", ".md", "annotations-CON.md"),
        ("nul.txt", ".md", "annotations-nul.txt.md"),
        ("notes", ".tar.gz", "notes.tar.gz"),
        ("notes", "../../x", "notes.x"),
        ("notes", "", "notes"),
    ],
)
def test_safe_filename_examples(title: str, suffix: str, expected: str) -> None:
    assert safe_filename(title, suffix) == expected


def test_safe_filename_limits_length_keeping_the_suffix() -> None:
    name = safe_filename("word " * 100, ".md")
    assert len(name) <= MAX_NAME and name.endswith(".md") and name.startswith("word-word")
    assert not name.removesuffix(".md").endswith(("-", "."))


@given(title=st.text(), suffix=st.sampled_from(["", ".md", "md", ".json", ".tar.gz", "../..", "\x00"]) | st.text())
def test_safe_filename_is_always_safe(title: str, suffix: str) -> None:
    name = safe_filename(title, suffix)
    assert SAFE.match(name), name
    assert 0 < len(name) <= MAX_NAME
    assert "--" not in name and name not in (".", "..")


def test_unique_path_picks_the_next_free_name(tmp_path: Path) -> None:
    assert unique_path(tmp_path, "notes.md") == tmp_path.resolve() / "notes.md"
    (tmp_path / "notes.md").write_text("taken")
    assert unique_path(tmp_path, "notes.md") == tmp_path.resolve() / "notes-2.md"
    (tmp_path / "notes-2.md").write_text("taken")
    assert unique_path(tmp_path, "notes.md").name == "notes-3.md"
    assert unique_path(tmp_path, "README").name == "README"


def test_unique_path_treats_directories_and_dangling_symlinks_as_taken(tmp_path: Path) -> None:
    (tmp_path / "a.md").mkdir()
    (tmp_path / "a-2.md").symlink_to(tmp_path / "nowhere")
    assert unique_path(tmp_path, "a.md").name == "a-3.md"


@pytest.mark.parametrize(
    "filename", ["../../etc/passwd", "..", ".", "", "a/b.md", "/etc/passwd", "a\\b.md", "x\x00y.md", "sub/"]
)
def test_unique_path_refuses_names_that_are_not_plain(tmp_path: Path, filename: str) -> None:
    with pytest.raises(ValueError):
        unique_path(tmp_path, filename)


def test_unique_path_stays_inside_a_symlinked_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    path = unique_path(link, "x.md")
    assert path.parent == real.resolve()


def test_write_new_file_writes_utf8_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "out.md"
    write_new_file(path, "héllo ✓\n")
    assert path.read_bytes() == "héllo ✓\n".encode()
    with pytest.raises(FileExistsError):
        write_new_file(path, "other")
    assert path.read_text(encoding="utf-8") == "héllo ✓\n"


def test_write_new_file_does_not_follow_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    (tmp_path / "out.md").symlink_to(victim)
    with pytest.raises(FileExistsError):
        write_new_file(tmp_path / "out.md", "overwrite?")
    assert victim.read_text() == "keep me"
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "would-be-created")
    with pytest.raises(FileExistsError):
        write_new_file(dangling, "x")
    assert not (tmp_path / "would-be-created").exists()


def test_write_new_file_leaves_nothing_when_text_cannot_be_encoded(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_new_file(tmp_path / "bad.md", "lone \ud800 surrogate")
    assert not (tmp_path / "bad.md").exists()


def test_write_new_file_respects_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_new_file(tmp_path / "private.md", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "private.md").stat().st_mode & 0o777 == 0o600


def test_write_unique_file_never_clobbers(tmp_path: Path) -> None:
    first = write_unique_file(tmp_path, "export.md", "one")
    second = write_unique_file(tmp_path, "export.md", "two")
    assert (first.name, second.name) == ("export.md", "export-2.md")
    assert first.read_text() == "one" and second.read_text() == "two"
