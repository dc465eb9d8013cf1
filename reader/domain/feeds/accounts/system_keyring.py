"""The system keyring (the Secret Service of GNOME or KDE, macOS's Keychain, Windows's Credential
Locker) through the ``keyring`` package: where account secrets go when there is one.

Only a real keyring counts: not keyring's ``fail`` or ``null`` backends (no keyring here), and
not the file backends of ``keyrings.alt`` (our 0600 file is as good as those). Setting
``READER_KEYRING=0`` turns it off; the test suite does, so that no test writes to the keyring of
the person running it (the keyring tests start a keyring of their own). Errors are one sentence
that names the keyring, never a secret.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["KeyringUnavailable", "SystemKeyring"]

ENVIRONMENT = "READER_KEYRING"
"""``0`` (or ``off``, ``no``, ``false``): never use the system keyring."""


class KeyringUnavailable(Exception):
    """The keyring could not be used (locked, gone, refused); ``str(error)`` is one sentence."""


def _real(backend: Any) -> bool:
    """Whether ``backend`` keeps secrets in a system keyring (not nowhere, not in a plain file)."""
    module = type(backend).__module__
    return not (module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt"))
                or getattr(backend, "priority", 0) <= 0)


class SystemKeyring:
    """The secrets of one data dir's accounts in the system keyring, under one service name."""

    def __init__(self, service: str, backend: Any) -> None:
        self.service = service
        self._backend = backend

    @property
    def name(self) -> str:
        """The kind of keyring, for messages (``SecretService Keyring``)."""
        return f"{type(self._backend).__module__.rsplit('.', 1)[-1]} {type(self._backend).__name__}"

    @classmethod
    def find(cls, service: str) -> "SystemKeyring | None":
        """The system keyring, if there is a real one and it is not turned off."""
        if os.environ.get(ENVIRONMENT, "").strip().lower() in ("0", "off", "no", "false"):
            return None
        try:
            import keyring
        except ImportError:
            return None
        try:
            backend = keyring.get_keyring()
        except Exception:  # a broken keyring configuration means no keyring, not a crash
            return None
        return cls(service, backend) if _real(backend) else None

    def _call(self, what: str, method: str, *args: str) -> Any:
        try:
            return getattr(self._backend, method)(self.service, *args)
        except Exception as error:  # keyring's errors, D-Bus's, a locked keychain: all one sentence
            raise KeyringUnavailable(f"the system keyring ({self.name}) could not {what} "
                                     f"({type(error).__name__})") from None

    def get(self, user: str) -> str | None:
        """The secret kept for ``user``, or ``None``."""
        value = self._call("be read", "get_password", user)
        return value if isinstance(value, str) else None

    def set(self, user: str, secret: str) -> None:
        """Keep ``secret`` for ``user``."""
        self._call("save the secret", "set_password", user, secret)

    def delete(self, user: str) -> None:
        """Forget the secret of ``user`` (one that is not there is no error)."""
        if self.get(user) is not None:
            self._call("delete the secret", "delete_password", user)
