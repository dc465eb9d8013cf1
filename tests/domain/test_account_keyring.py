"""Account secrets in a real system keyring: GNOME Keyring's Secret Service on a private D-Bus
(tests/servers/keyring_daemon.py, started and stopped here, over a Unix socket). Skipped where
the daemons cannot run (failed under CI, which installs them)."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "servers"))

from keyring_daemon import KeyringDaemon  # noqa: E402
from running import running  # noqa: E402

from reader.domain.feeds.accounts.credentials import CredentialFile, Secret  # noqa: E402
from reader.domain.feeds.accounts.model import AccountError  # noqa: E402

URL = "http://127.0.0.1:9"
TOKEN = "token-kept-in-the-keyring-0042"


@pytest.fixture
def daemon() -> Iterator[KeyringDaemon]:
    with running(KeyringDaemon(), "system keyring (D-Bus and GNOME Keyring)") as started:
        yield started


def in_keyring(credentials: CredentialFile, url: str) -> str | None:
    """What the Secret Service holds, asked directly (not through reader's code)."""
    import keyring.backends.SecretService as secret_service

    return secret_service.Keyring().get_password(f"reader {credentials.path.resolve().parent}", url)


def test_a_secret_goes_to_the_system_keyring_and_never_into_the_file(daemon: KeyringDaemon, tmp_path: Path) -> None:
    credentials = CredentialFile(tmp_path / "credentials.json")
    assert credentials.keyring is not None and "SecretService" in credentials.keyring.name
    credentials.put(URL, Secret(TOKEN))
    text = credentials.path.read_text(encoding="utf-8")
    assert TOKEN not in text and json.loads(text) == {URL: {"keyring": True}}
    assert stat.S_IMODE(credentials.path.stat().st_mode) == 0o600
    assert in_keyring(credentials, URL) == TOKEN
    again = CredentialFile(tmp_path / "credentials.json")  # another process, later
    assert again.get(URL) == Secret(TOKEN) and again.where(URL) == "keyring"
    again.remove(URL)
    assert in_keyring(credentials, URL) is None and json.loads(credentials.path.read_text()) == {}


def test_two_data_dirs_keep_their_own_secret_for_the_same_server(daemon: KeyringDaemon, tmp_path: Path) -> None:
    first, second = CredentialFile(tmp_path / "a" / "credentials.json"), CredentialFile(tmp_path / "b" / "credentials.json")
    first.put(URL, Secret("first-secret"))
    second.put(URL, Secret("second-secret"))
    first.remove(URL)
    assert CredentialFile(second.path).get(URL) == Secret("second-secret")


def test_a_keyring_that_went_away_is_one_sentence_without_the_secret(daemon: KeyringDaemon, tmp_path: Path) -> None:
    CredentialFile(tmp_path / "credentials.json").put(URL, Secret(TOKEN))
    daemon.stop_keyring()
    with pytest.raises(AccountError) as raised:
        CredentialFile(tmp_path / "credentials.json").get(URL)
    message = str(raised.value)
    assert "system keyring" in message and "\n" not in message and TOKEN not in message


def test_with_the_keyring_turned_off_the_secret_goes_to_the_0600_file(daemon: KeyringDaemon, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_KEYRING", "0")
    credentials = CredentialFile(tmp_path / "credentials.json")
    assert credentials.keyring is None
    credentials.put(URL, Secret(TOKEN))
    assert json.loads(credentials.path.read_text()) == {URL: TOKEN} and credentials.where(URL) == "file"
    assert in_keyring(credentials, URL) is None
