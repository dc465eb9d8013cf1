"""A real system keyring for the credential tests: a private D-Bus session bus and GNOME Keyring's
Secret Service on it, in a temporary folder, reached over a Unix socket (no network at all).

``python tests/servers/keyring_daemon.py install`` makes sure both can run (``.ci/run`` calls it):
``dbus-daemon`` and ``gnome-keyring-daemon`` (``apt-get install gnome-keyring``, as root, when it is
missing). :class:`KeyringDaemon` is a context manager: it starts the bus, unlocks a fresh login
keyring with a throwaway password, sets ``DBUS_SESSION_BUS_ADDRESS`` for this process while it
runs, and stops both daemons (by their process ids) after.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from running import NotAvailable, installing  # noqa: E402  (tests/servers/ is on sys.path)

PASSWORD = "throwaway-keyring-password"


def install() -> None:
    """Make dbus-daemon and gnome-keyring-daemon runnable here, or raise :class:`NotAvailable`."""
    if shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon"):
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise NotAvailable("gnome-keyring-daemon or dbus-daemon is missing (apt-get install gnome-keyring dbus, as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "-q", "-y", "install", "--no-install-recommends", "gnome-keyring", "dbus-daemon"],
                       check=True, capture_output=True, timeout=600, env=env)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise NotAvailable(f"could not install gnome-keyring with apt-get ({error})") from None


def _pid_of(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class KeyringDaemon:
    """D-Bus and GNOME Keyring, started on ``__enter__`` and stopped on ``__exit__``."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="reader-keyring-"))
        self.address = ""
        self._pids: list[int] = []
        self._saved_env: dict[str, str | None] = {}

    def __enter__(self) -> "KeyringDaemon":
        try:
            with installing():
                install()
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self) -> None:
        runtime, home = self.folder / "run", self.folder / "home"
        runtime.mkdir(mode=0o700)
        home.mkdir()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
               "XDG_DATA_HOME": str(home / ".local" / "share")}
        pid_file = self.folder / "dbus.pid"
        with open(pid_file, "w") as pids:
            started = self._dbus(env, pids)
        pid = _pid_of(pid_file)
        if pid is not None:
            self._pids.append(pid)
        self.address = started.strip()
        if not self.address:
            raise NotAvailable("dbus-daemon printed no address")
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        unlocked = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
                                  input=PASSWORD, env=env, capture_output=True, text=True, timeout=30, check=False)
        if unlocked.returncode != 0:
            raise NotAvailable(f"gnome-keyring-daemon did not start: {unlocked.stderr.strip()[:200]}")
        self._pids += _keyring_daemons(runtime)
        for key in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "READER_KEYRING"):
            self._saved_env[key] = os.environ.get(key)
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.address
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        os.environ["READER_KEYRING"] = "1"
        self._wait_for_service()

    def _dbus(self, env: dict[str, str], pids) -> str:
        """Start the bus; its address (its pid goes to ``pids``)."""
        process = subprocess.Popen(["dbus-daemon", "--session", "--fork", "--print-address=1",
                                    f"--print-pid={pids.fileno()}", f"--address=unix:path={env['XDG_RUNTIME_DIR']}/bus"],
                                   env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                                   pass_fds=(pids.fileno(),))
        out, _ = process.communicate(timeout=30)
        return out.splitlines()[0] if out else ""

    def _wait_for_service(self) -> None:
        """Until the Secret Service answers (the daemon registers its name a moment after it forks)."""
        import keyring.backends.SecretService as secret_service

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                secret_service.Keyring().get_password("reader-probe", "probe")
                return
            except Exception:
                time.sleep(0.1)
        raise NotAvailable("the Secret Service did not answer within 15 s")

    def stop_keyring(self) -> None:
        """Stop GNOME Keyring only (the bus stays): the keyring is then gone, as on a locked-out session."""
        for pid in self._pids[1:]:
            _kill(pid)
        del self._pids[1:]

    def __exit__(self, *exc: object) -> None:
        for pid in _keyring_daemons(self.folder / "run"):  # one the bus started on demand, too
            _kill(pid)
        for pid in reversed(self._pids):
            _kill(pid)
        self._pids.clear()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


def _keyring_daemons(runtime: Path) -> list[int]:
    """The ids of the gnome-keyring-daemon processes started for ``runtime`` (it forks away from us)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "gnome-keyring-d":
                continue
            if f"XDG_RUNTIME_DIR={runtime}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _gone(pid: int) -> bool:
    """Whether a process has ended (a zombie nobody reaps has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(100):
        if _gone(pid):
            return
        time.sleep(0.05)


def main(argv: list[str]) -> int:
    """``install`` (for CI)."""
    if argv[1:] == ["install"]:
        try:
            install()
        except NotAvailable as error:
            print(f"keyring_daemon.py: {error}", file=sys.stderr)
            return 1
        print("ready: dbus-daemon and gnome-keyring-daemon")
        return 0
    print("usage: keyring_daemon.py install", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
