"""Reading files that may be anything: only bounded regular text files, and never a hang."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.domain.articles.files import MAX_ARTICLE_BYTES, Unreadable, decode, read_bytes, read_text

READERS = [read_bytes, read_text]


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, instead of hanging the suite, if the block blocks for longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def reason(reader: Callable[[Path], object], path: Path) -> str:
    with deadline(3), pytest.raises(Unreadable) as error:
        reader(path)
    return str(error.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("reader", READERS)
def test_fifo_is_refused_promptly(tmp_path: Path, reader: Callable[[Path], object]) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert reason(reader, fifo) == "not a regular file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("reader", READERS)
def test_symlink_to_dev_zero_is_refused(tmp_path: Path, reader: Callable[[Path], object]) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert reason(reader, link) == "not a regular file"


@pytest.mark.parametrize("reader", READERS)
def test_broken_symlink(tmp_path: Path, reader: Callable[[Path], object]) -> None:
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "nowhere.md")
    assert reason(reader, link) == "broken link"


@pytest.mark.parametrize("reader", READERS)
def test_missing_file(tmp_path: Path, reader: Callable[[Path], object]) -> None:
    assert reason(reader, tmp_path / "missing.txt") == "no such file"


@pytest.mark.parametrize("reader", READERS)
def test_directory(tmp_path: Path, reader: Callable[[Path], object]) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    assert reason(reader, folder) == "not a regular file"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\n"])
@pytest.mark.parametrize("reader", READERS)
def test_empty_and_whitespace_only(tmp_path: Path, reader: Callable[[Path], object], content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert reason(reader, path) == "empty file"


@pytest.mark.parametrize("reader", READERS)
def test_sparse_file_over_the_limit_is_not_read(tmp_path: Path, reader: Callable[[Path], object]) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_ARTICLE_BYTES + 1)
    assert reason(reader, path) == "larger than 5 MB"


def test_limit_is_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "ten.txt"
    path.write_bytes(b"0123456789")
    assert read_bytes(path, limit=10) == b"0123456789"
    with pytest.raises(Unreadable):
        read_bytes(path, limit=9)


def test_binary_with_nul(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(b"PK\x03\x04\x00\x00some zip-like bytes")
    assert read_bytes(path).startswith(b"PK")
    assert reason(read_text, path) == "binary file"


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffcafé — “quoted”".encode("utf-8"))
    assert read_text(path) == "café — “quoted”"
    path.write_bytes("café".encode("utf-8"))
    assert read_text(path) == "café"


@pytest.mark.parametrize(
    "declaration",
    [b'<meta charset="iso-8859-1">', b"<meta charset=ISO-8859-1>", b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'],
)
def test_latin1_html_with_declared_charset(tmp_path: Path, declaration: bytes) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><head>" + declaration + b"</head><body><p>caf\xe9 na\xefve \xa9</p></body></html>")
    text = read_text(path)
    assert "café naïve ©" in text


def test_latin1_without_declaration_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><body><p>caf\xe9</p></body></html>")
    assert reason(read_text, path) == "not UTF-8 text and no charset declared"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("no-such-charset", "unknown declared charset 'no-such-charset'"),
        ("base64", "not valid base64"),  # a bytes-to-bytes codec, not a text encoding
        ("zlib", "not valid zlib"),
        ("rot13", "not valid rot13"),
        ("undefined", "not valid undefined"),
        ("utf-8", "not valid utf-8"),
    ],
)
def test_bad_declared_charsets_are_unreadable(declared: str, expected: str) -> None:
    data = f'<meta charset="{declared}">'.encode("ascii") + b"<p>caf\xe9 \xff\xfe</p>"
    with pytest.raises(Unreadable) as error:
        decode(data)
    assert str(error.value) == expected


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads anything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        assert reason(read_text, path) == "permission denied"
    finally:
        path.chmod(0o600)


def test_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("# Real\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert read_text(link) == "# Real\n"
