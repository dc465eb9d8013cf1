"""Secrets of accounts: a 0600 file, never in a repr, a message or an error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.domain.feeds.accounts.credentials import CredentialFile, Secret, read_secret_file
from reader.domain.feeds.accounts.model import AccountError

VALUE = "s3cr3t-V4lue-never-shown"


def test_a_secret_never_shows_itself() -> None:
    secret = Secret(VALUE)
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", "%s" % secret, str([secret])):
        assert VALUE not in shown
    assert secret.reveal() == VALUE


def test_the_file_is_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "credentials.json"
    file = CredentialFile(path)
    file.put("http://127.0.0.1:1", Secret(VALUE))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    os.chmod(path, 0o644)
    assert file.get("http://127.0.0.1:1") == Secret(VALUE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    file.remove("http://127.0.0.1:1")
    assert file.get("http://127.0.0.1:1") is None


def test_secret_files_are_read_by_their_first_line_and_errors_name_only_the_file(tmp_path: Path) -> None:
    good = tmp_path / "token"
    good.write_text(VALUE + "\nsecond line\n")
    assert read_secret_file(str(good)).reveal() == VALUE
    empty = tmp_path / "empty"
    empty.write_text("\n")
    for name in (str(empty), str(tmp_path / "missing")):
        with pytest.raises(AccountError) as caught:
            read_secret_file(name)
        assert name in str(caught.value) and "\n" not in str(caught.value)
