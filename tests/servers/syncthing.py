"""Two real Syncthing instances on 127.0.0.1 sharing one folder, for the sync-folder tests.

``python tests/servers/syncthing.py install`` makes sure Syncthing can run (``.ci/run`` calls it
before the tests): Debian's ``syncthing`` package (``apt-get install syncthing`` as root when the
binary is missing).

:class:`SyncthingPair` is a context manager: each instance gets its own home from ``syncthing
generate``, a listen address and a GUI/REST address on free loopback ports, an API key, and
global and local discovery, relays, NAT traversal, usage and crash reporting and upgrades off;
each knows the other only at its 127.0.0.1 address and shares the folder ``reader`` with it.
File watching is off: the test asks for rescans through the REST API. It stops both processes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx

from running import NotAvailable  # noqa: E402  (tests/servers/ is on sys.path)

FOLDER = "reader"
OPTIONS_OFF = {
    "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false", "relaysEnabled": "false",
    "natEnabled": "false", "urAccepted": "-1", "startBrowser": "false", "crashReportingEnabled": "false",
    "autoUpgradeIntervalH": "0", "stunServer": "", "globalAnnounceServer": "", "reconnectionIntervalS": "1",
}



def install() -> None:
    """Install Debian's syncthing when the binary is missing (as root, with apt-get)."""
    if shutil.which("syncthing"):
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise NotAvailable("the syncthing binary is missing (apt-get install syncthing, as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for cmd in (["apt-get", "-q", "update"], ["apt-get", "-q", "-y", "install", "--no-install-recommends", "syncthing"]):
            subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600, env=env)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise NotAvailable(f"could not install syncthing with apt-get ({error})") from None


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    """One Syncthing: its home, its shared folder, its ports and its REST client."""

    def __init__(self, base: Path, name: str) -> None:
        self.name = name
        self.home = base / f"{name}-home"
        self.folder = base / f"{name}-sync"
        self.folder.mkdir(parents=True)
        (self.folder / ".stfolder").mkdir()
        self.listen, self.gui = free_port(), free_port()
        self.api_key = secrets.token_hex(16)
        done = subprocess.run(["syncthing", "generate", f"--home={self.home}", "--no-default-folder", "--skip-port-probing"],
                              capture_output=True, text=True, timeout=60)
        found = [line.split("Device ID:")[1].strip() for line in (done.stdout + done.stderr).splitlines() if "Device ID:" in line]
        if done.returncode != 0 or not found:
            raise NotAvailable(f"syncthing generate failed: {done.stderr.strip()[:200]}")
        self.device = found[0]
        self.process: subprocess.Popen | None = None
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.gui}", headers={"X-API-Key": self.api_key}, timeout=10)

    def configure(self, other: "Instance") -> None:
        """Loopback only, everything that reaches outside off, the folder shared with ``other``."""
        path = self.home / "config.xml"
        root = ET.parse(path).getroot()
        gui = root.find("gui")
        assert gui is not None
        gui.find("address").text = f"127.0.0.1:{self.gui}"  # type: ignore[union-attr]
        gui.find("apikey").text = self.api_key  # type: ignore[union-attr]
        options = root.find("options")
        assert options is not None
        options.find("listenAddress").text = f"tcp://127.0.0.1:{self.listen}"  # type: ignore[union-attr]
        for key, value in OPTIONS_OFF.items():
            element = options.find(key)
            if element is None:
                element = ET.SubElement(options, key)
            element.text = value
        peer = ET.SubElement(root, "device", id=other.device, name=other.name, compression="metadata", introducer="false")
        ET.SubElement(peer, "address").text = f"tcp://127.0.0.1:{other.listen}"
        folder = ET.SubElement(root, "folder", id=FOLDER, label=FOLDER, path=str(self.folder), type="sendreceive",
                               rescanIntervalS="3600", fsWatcherEnabled="false", ignorePerms="false", autoNormalize="true")
        for device in (self.device, other.device):
            ET.SubElement(folder, "device", id=device, introducedBy="")
        ET.SubElement(folder, "fsWatcherDelayS").text = "1"
        ET.ElementTree(root).write(path)

    def start(self, log: Path) -> None:
        """Run ``syncthing serve`` and wait for its REST API."""
        env = {**os.environ, "STNOUPGRADE": "1", "STNODEFAULTFOLDER": "1", "STGUIADDRESS": f"127.0.0.1:{self.gui}"}
        self.process = subprocess.Popen(["syncthing", "serve", f"--home={self.home}", "--no-browser", "--no-restart",
                                         f"--logfile={log}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"syncthing {self.name} exited: {log.read_text(errors='replace')[-500:]}")
            try:
                if self.client.get("/rest/system/ping").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"syncthing {self.name} did not answer on 127.0.0.1:{self.gui}")

    def stop(self) -> None:
        """Stop the process (terminate, then kill)."""
        self.client.close()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def post(self, endpoint: str, **params: str) -> None:
        """POST to the REST API; raises on an error status."""
        self.client.post(endpoint, params=params).raise_for_status()

    def get(self, endpoint: str, **params: str) -> dict:
        """GET from the REST API as JSON."""
        response = self.client.get(endpoint, params=params)
        response.raise_for_status()
        return response.json()


class SyncthingPair:
    """Two instances sharing the folder ``reader``: ``a.folder`` and ``b.folder``."""

    def __init__(self) -> None:
        self._temp = tempfile.TemporaryDirectory(prefix="reader-syncthing-")
        self.base = Path(self._temp.name)
        self.a: Instance
        self.b: Instance
        self._started: list[Instance] = []

    def __enter__(self) -> "SyncthingPair":
        if shutil.which("syncthing") is None:
            self._temp.cleanup()
            raise NotAvailable("the syncthing binary is not installed (python tests/servers/syncthing.py install)")
        try:
            self.a, self.b = Instance(self.base, "a"), Instance(self.base, "b")
            self.a.configure(self.b)
            self.b.configure(self.a)
            for instance in (self.a, self.b):
                self._started.append(instance)
                instance.start(self.base / f"{instance.name}.log")
            self.wait_connected(True)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for instance in self._started:
            instance.stop()
        self._started = []
        self._temp.cleanup()

    def wait_connected(self, connected: bool, timeout: float = 60) -> None:
        """Wait until the two see each other connected (or not)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.a.get("/rest/system/connections")["connections"].get(self.b.device, {})
            if bool(state.get("connected")) == connected:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the two syncthing instances did not become {'connected' if connected else 'disconnected'}")

    def pause(self) -> None:
        """Pause the link both ways (machines apart)."""
        self.a.post("/rest/system/pause", device=self.b.device)
        self.b.post("/rest/system/pause", device=self.a.device)
        self.wait_connected(False)

    def resume(self) -> None:
        """Resume the link."""
        self.a.post("/rest/system/resume", device=self.b.device)
        self.b.post("/rest/system/resume", device=self.a.device)
        self.wait_connected(True)

    def rescan(self, timeout: float = 30) -> None:
        """Rescan both folders and wait until each is idle (while paused, nothing crosses)."""
        for instance in (self.a, self.b):
            instance.post("/rest/db/scan", folder=FOLDER)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(i.get("/rest/db/status", folder=FOLDER).get("state") == "idle" for i in (self.a, self.b)):
                return
            time.sleep(0.2)
        raise RuntimeError("a syncthing folder did not become idle")

    def sync(self, timeout: float = 90) -> None:
        """Rescan both folders, then wait until both are idle, need nothing, and hold the same files."""
        self.rescan()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            idle = all(i.get("/rest/db/status", folder=FOLDER).get("state") == "idle"
                       and i.get("/rest/db/status", folder=FOLDER).get("needTotalItems", 1) == 0
                       and i.get("/rest/db/completion", folder=FOLDER, device=o.device).get("completion") == 100
                       for i, o in ((self.a, self.b), (self.b, self.a)))
            if idle and _tree(self.a.folder) == _tree(self.b.folder):
                return
            time.sleep(0.2)
        raise RuntimeError("the two syncthing folders did not come into step")


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` except Syncthing's own, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".stfolder" not in p.parts and not p.name.startswith((".syncthing.", "~syncthing~"))}


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        try:
            install()
        except NotAvailable as error:
            sys.exit(f"syncthing: {error}")
    else:
        sys.exit("usage: python tests/servers/syncthing.py install")
