"""Account secrets (API tokens, passwords) in the system keyring, or in a file only its owner can
read; never shown.

``<data dir>/credentials.json`` (mode 0600) maps each account URL to its secret, or to
``{"keyring": true}`` when the secret is in the system keyring (:mod:`.system_keyring`, used
whenever there is a real one; the service name names the data dir, the user name is the URL).
The file is written whole (a temporary file created with mode 0600, fsynced, then renamed), and
a file found readable by others is narrowed back to 0600 before it is read. :class:`Secret` hides
its value from ``repr``, ``str`` and formatting, so a secret cannot reach a message or a log line
by accident; only :meth:`Secret.reveal` gives it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

from reader.domain.durable import fsync_dir, write_all
from reader.domain.feeds.accounts.model import AccountError
from reader.domain.feeds.accounts.system_keyring import KeyringUnavailable, SystemKeyring

__all__ = ["CredentialFile", "Secret", "read_secret_file"]

_MAX_SECRET = 4096
_IN_KEYRING = {"keyring": True}


class Secret:
    """A token or password that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, to send to its server."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def read_secret_file(name: str) -> Secret:
    """The first line of the file ``name`` (``-``: standard input) as a Secret; AccountError if
    there is none. The message names the file, never its content."""
    try:
        if name == "-":
            text = sys.stdin.readline(_MAX_SECRET + 1)
        else:
            with open(name, encoding="utf-8") as handle:
                text = handle.readline(_MAX_SECRET + 1)
    except FileNotFoundError:
        raise AccountError(f"no such file: {name}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AccountError(f"cannot read {name}: {getattr(error, 'strerror', None) or type(error).__name__}") from None
    value = text.rstrip("\r\n")
    if not value.strip():
        raise AccountError(f"{name} is empty; put the secret on its first line")
    if len(value) > _MAX_SECRET:
        raise AccountError(f"the first line of {name} is longer than {_MAX_SECRET} characters")
    return Secret(value)


class CredentialFile:
    """The secrets of every account, by account URL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._keyring: SystemKeyring | None | bool = False  # False: not looked for yet

    @property
    def keyring(self) -> SystemKeyring | None:
        """The system keyring new secrets go to, or ``None`` (then they go to the file)."""
        if self._keyring is False:
            self._keyring = SystemKeyring.find(f"reader {self.path.resolve().parent}")
        return self._keyring if isinstance(self._keyring, SystemKeyring) else None

    def _load(self) -> dict[str, str | dict[str, bool]]:
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return {}
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            os.chmod(self.path, 0o600)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise AccountError(f"the credentials file {self.path} cannot be read; add the account again") from None
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and (isinstance(v, str) or v == _IN_KEYRING)}

    def _save(self, secrets: dict[str, str | dict[str, bool]]) -> None:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{self.path.name}.tmp"
        temp.unlink(missing_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            write_all(fd, json.dumps(secrets, indent=1).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, self.path)
        fsync_dir(folder)

    def get(self, url: str) -> Secret | None:
        """The secret of an account, or ``None``; AccountError when the keyring that holds it
        cannot be reached."""
        value = self._load().get(url)
        if value != _IN_KEYRING:
            return Secret(value) if isinstance(value, str) else None
        keyring = self.keyring
        if keyring is None:
            raise AccountError(f"the secret of {url} is in the system keyring, which is not available now")
        try:
            kept = keyring.get(url)
        except KeyringUnavailable as error:
            raise AccountError(f"{error}; unlock it and try again") from None
        if kept is None:
            raise AccountError(f"the system keyring no longer holds the secret of {url}; remove the account and add it again")
        return Secret(kept)

    def where(self, url: str) -> str:
        """Where an account's secret is kept: ``keyring``, ``file`` or ``none``."""
        value = self._load().get(url)
        return "keyring" if value == _IN_KEYRING else "file" if value is not None else "none"

    def put(self, url: str, secret: Secret) -> None:
        """Save (or replace) an account's secret: in the system keyring if there is one (a keyring
        that refuses means the file), else in the file."""
        secrets = self._load()
        keyring = self.keyring
        secrets[url] = secret.reveal()
        if keyring is not None:
            try:
                keyring.set(url, secret.reveal())
                secrets[url] = dict(_IN_KEYRING)
            except KeyringUnavailable:
                pass
        self._save(secrets)

    def remove(self, url: str) -> None:
        """Forget an account's secret (in the keyring too)."""
        secrets = self._load()
        value = secrets.pop(url, None)
        if value == _IN_KEYRING and self.keyring is not None:
            try:
                self.keyring.delete(url)
            except KeyringUnavailable:
                pass  # the account goes anyway; the keyring's own tools can remove what is left
        if value is not None:
            self._save(secrets)
