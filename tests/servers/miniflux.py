"""A throwaway PostgreSQL cluster and a real Miniflux on 127.0.0.1, for the account tests and the sync benchmark.

``python tests/servers/miniflux.py install`` makes sure both can run (``.ci/run`` calls it before the
tests): Debian's PostgreSQL server binaries (``apt-get install postgresql`` when they are missing,
as root), and Miniflux 2.2.x from Debian 13 "trixie" taken with ``apt-get download`` through a
private apt state folder and unpacked with ``dpkg-deb -x`` (a static Go binary: no trixie library
is installed). The binary is kept in ``$READER_TEST_SERVERS`` (default ``~/.cache/reader-test-servers``).

:class:`MinifluxServer` is a context manager: ``initdb`` into a temporary folder (as the user
``readertest`` when run as root, since PostgreSQL refuses root), ``pg_ctl start`` on a free port of
127.0.0.1, then Miniflux on another, with an admin user. It stops every process it started.
``python tests/servers/miniflux.py serve`` runs one until Ctrl-C, for trying things by hand.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from running import NotAvailable, installing  # noqa: E402  (tests/servers/ is on sys.path)

CACHE = Path(os.environ.get("READER_TEST_SERVERS") or Path.home() / ".cache" / "reader-test-servers")
MINIFLUX_BIN = CACHE / "miniflux" / "usr" / "bin" / "miniflux"
PG_USER = "readertest"
ADMIN = ("admin", "admin-password-1")
_APT_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")



def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload]


def postgres_bindir() -> Path | None:
    """The folder of Debian's PostgreSQL server binaries (initdb, pg_ctl, postgres), if installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _install_postgres() -> None:
    if postgres_bindir() is not None:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise NotAvailable("PostgreSQL's server binaries are missing (apt-get install postgresql, as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        _run(["apt-get", "-q", "update"], env=env)
        _run(["apt-get", "-q", "-y", "install", "--no-install-recommends", "postgresql", "postgresql-contrib"], env=env)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise NotAvailable(f"could not install PostgreSQL with apt-get ({error})") from None
    subprocess.run(["service", "postgresql", "stop"], capture_output=True, check=False)  # the package starts one


def _trixie_sources(base: Path) -> Path:
    """The machine's own Debian sources with the suites renamed to trixie, in a file of our own."""
    try:
        text = _APT_SOURCES.read_text(encoding="utf-8")
    except OSError:
        raise NotAvailable(f"no {_APT_SOURCES} to derive trixie's apt sources from") from None
    lines = []
    for line in text.splitlines():
        if line.startswith("Suites:"):
            suites = [s.replace("bookworm", "trixie") for s in line.split()[1:]]
            line = "Suites: " + " ".join(suites)
        lines.append(line)
    target = base / "trixie.sources"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _install_miniflux() -> None:
    if MINIFLUX_BIN.exists():
        return
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        raise NotAvailable("Miniflux is not installed and apt-get/dpkg-deb are missing to fetch it")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        base = Path(scratch)
        for sub in ("state/lists/partial", "cache/archives/partial", "parts"):
            (base / sub).mkdir(parents=True)
        options = [
            "-o", f"Dir::State={base / 'state'}", "-o", f"Dir::Etc::SourceList={_trixie_sources(base)}",
            "-o", f"Dir::Etc::SourceParts={base / 'parts'}", "-o", f"Dir::Cache={base / 'cache'}",
            "-o", "Debug::NoLocking=1", "-o", "APT::Sandbox::User=root",
        ]
        try:
            _run(["apt-get", "-q", *options, "update"])
            _run(["apt-get", "-q", *options, "download", "miniflux"], cwd=base)
            (deb,) = base.glob("miniflux_*.deb")
            _run(["dpkg-deb", "-x", str(deb), str(base / "miniflux")])
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, ValueError) as error:
            raise NotAvailable(f"could not download Miniflux from Debian trixie ({error})") from None
        shutil.rmtree(CACHE / "miniflux", ignore_errors=True)
        os.replace(base / "miniflux", CACHE / "miniflux")


def install() -> None:
    """Make PostgreSQL and Miniflux runnable here, or raise :class:`NotAvailable`."""
    _install_postgres()
    _install_miniflux()
    _postgres_user()  # made here, before the test processes look for it
    version = _run([str(MINIFLUX_BIN), "-version"]).stdout.strip()
    if not version.startswith("2."):
        raise NotAvailable(f"unexpected Miniflux version {version!r}")


def free_port() -> int:
    """A TCP port of 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_user() -> tuple[str, int, int] | None:
    """(name, uid, gid) to run PostgreSQL as when we are root (created if needed); None otherwise."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(PG_USER)
    except KeyError:
        _run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER])
        entry = pwd.getpwnam(PG_USER)
    return entry.pw_name, entry.pw_uid, entry.pw_gid


@dataclass(frozen=True)
class User:
    """A Miniflux user made for one test: its id, name, password and API token."""

    id: int
    name: str
    password: str
    token: str


class MinifluxServer:
    """PostgreSQL and Miniflux on 127.0.0.1, started on ``__enter__`` and stopped on ``__exit__``."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="reader-miniflux-"))
        self.pg_port = free_port()
        self.port = free_port()
        self._pg_bin = postgres_bindir()
        self._as: tuple[str, int, int] | None = None
        self._miniflux: subprocess.Popen | None = None
        self._pg_started = False
        self._users = 0

    @property
    def url(self) -> str:
        """Miniflux's root URL."""
        return f"http://127.0.0.1:{self.port}"

    def _pg(self, tool: str, *args: str, **kwargs: object) -> subprocess.CompletedProcess:
        assert self._pg_bin is not None
        extra = {"user": self._as[1], "group": self._as[2]} if self._as else {}
        return _run([str(self._pg_bin / tool), *args], cwd="/", **extra, **kwargs)  # type: ignore[arg-type]

    def __enter__(self) -> "MinifluxServer":
        try:
            with installing():
                if self._pg_bin is None or not MINIFLUX_BIN.exists():
                    install()
                    self._pg_bin = postgres_bindir()
                self._as = _postgres_user()
            self._start_postgres()
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start_postgres(self) -> None:
        data = self.folder / "pgdata"
        data.mkdir()
        os.chmod(self.folder, 0o755)
        if self._as:
            os.chown(data, self._as[1], self._as[2])
        self._pg("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {data} -F -c fsync=off"
        self._pg("pg_ctl", "-D", str(data), "-o", options, "-l", str(data / "log.txt"), "-w", "start")
        self._pg_started = True
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "miniflux")

    def sql(self, query: str) -> str:
        """Run SQL in Miniflux's database as the superuser; its output, unaligned and tuples only."""
        psql = shutil.which("psql") or str(self._pg_bin / "psql")  # type: ignore[operator]
        result = _run([psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.pg_port),
                       "-U", "postgres", "-d", "miniflux", "-c", query])
        return result.stdout.strip()

    def start(self) -> None:
        """Start Miniflux (again, after :meth:`stop`) and wait until it answers."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/miniflux?sslmode=disable",
            "RUN_MIGRATIONS": "1", "CREATE_ADMIN": "1", "ADMIN_USERNAME": ADMIN[0], "ADMIN_PASSWORD": ADMIN[1],
            "LISTEN_ADDR": f"127.0.0.1:{self.port}", "BASE_URL": self.url, "POLLING_FREQUENCY": "1440",
            "WORKER_POOL_SIZE": "2", "BATCH_SIZE": "1", "CLEANUP_FREQUENCY_HOURS": "10000",
            "HTTP_CLIENT_TIMEOUT": "30", "LOG_LEVEL": "warning",
        }
        log = open(self.folder / "miniflux.log", "ab")  # noqa: SIM115 - handed to the process
        self._miniflux = subprocess.Popen([str(MINIFLUX_BIN)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, cwd=self.folder)
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._miniflux.poll() is not None:
                raise RuntimeError(f"miniflux exited: {(self.folder / 'miniflux.log').read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthcheck", timeout=1).text == "OK":
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("miniflux did not answer within 30 s")

    @property
    def running(self) -> bool:
        """Whether Miniflux is up (it is not between :meth:`stop` and :meth:`start`)."""
        return self._miniflux is not None and self._miniflux.poll() is None

    def stop(self) -> None:
        """Stop Miniflux (PostgreSQL keeps running, so :meth:`start` brings the same data back)."""
        if self._miniflux is not None and self._miniflux.poll() is None:
            self._miniflux.terminate()
            try:
                self._miniflux.wait(10)
            except subprocess.TimeoutExpired:
                self._miniflux.kill()
                self._miniflux.wait(5)
        self._miniflux = None

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if self._pg_started:
            data = self.folder / "pgdata"
            subprocess.run([str(self._pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],  # type: ignore[operator]
                           capture_output=True, check=False, timeout=60, cwd="/",
                           **({"user": self._as[1], "group": self._as[2]} if self._as else {}))
            self._pg_started = False
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- what a test needs of the server ----------------------------------------------------

    def admin(self) -> httpx.Client:
        """An API client logged in as the admin."""
        return httpx.Client(base_url=self.url + "/v1", auth=ADMIN, timeout=60)

    def new_user(self) -> User:
        """A fresh user with an API token, so that each test has its own feeds and entries."""
        self._users += 1
        name, password = f"user{self._users}-{os.getpid()}", f"pw-{self._users}-secret-Z9"
        with self.admin() as api:
            created = api.post("/users", json={"username": name, "password": password})
            created.raise_for_status()
        user_id = int(created.json()["id"])
        token = f"token-{user_id}-{os.urandom(8).hex()}"
        self.sql(f"INSERT INTO api_keys (user_id, token, description) VALUES ({user_id}, '{token}', 'reader tests')")
        return User(user_id, name, password, token)

    def enable_google_reader(self, user: User, username: str, password: str) -> None:
        """Turn on the Google Reader API for ``user`` as Miniflux's integration settings page does:
        the ``integrations`` row gets googlereader_enabled, the user name and a bcrypt hash."""
        self.sql("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        self.sql(
            "UPDATE integrations SET googlereader_enabled='t', "
            f"googlereader_username='{username}', googlereader_password=crypt('{password}', gen_salt('bf', 10)) "
            f"WHERE user_id={user.id}"
        )

    def client(self, user: User) -> httpx.Client:
        """An API client for ``user`` (by its token)."""
        return httpx.Client(base_url=self.url + "/v1", headers={"X-Auth-Token": user.token}, timeout=120)


def main(argv: list[str]) -> int:
    """``install`` (for CI) or ``serve`` (by hand)."""
    command = argv[1] if len(argv) > 1 else ""
    try:
        if command == "install":
            install()
            print(f"ready: PostgreSQL in {postgres_bindir()}, {_run([str(MINIFLUX_BIN), '-version']).stdout.strip()} "
                  f"in {MINIFLUX_BIN}")
            return 0
        if command == "serve":
            with MinifluxServer() as server:
                print(f"Miniflux at {server.url} (admin: {ADMIN[0]} / {ADMIN[1]}); Ctrl-C stops it")
                try:
                    while True:
                        time.sleep(3600)
                except KeyboardInterrupt:
                    return 0
    except NotAvailable as error:
        print(f"miniflux.py: {error}", file=sys.stderr)
        return 1
    print("usage: miniflux.py install|serve", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
