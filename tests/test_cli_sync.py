"""``READER_SYNC_DIR`` from the command line: two machines of one user, their notes merged,
conflicts in ``annotations --json``, and ``reader doctor`` naming the machines it sees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from test_cli_save import Server, server  # noqa: F401  (a loopback HTTP server, started and stopped by the fixture)

ARTICLE = "Council approves the river plan\n\nThe council voted on Tuesday to approve the river plan.\n"


def reader(data: Path, sync: Path | None, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, READER_DATA_DIR=str(data))
    env.pop("READER_SYNC_DIR", None)
    if sync is not None:
        env["READER_SYNC_DIR"] = str(sync)
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=env, timeout=60)


def test_two_machines_share_notes_and_keep_both_texts_of_a_note_edited_on_both(tmp_path: Path) -> None:
    sync_a, sync_b = tmp_path / "sync-a", tmp_path / "sync-b"
    data_a, data_b = tmp_path / "a", tmp_path / "b"
    for data in (data_a, data_b):
        (data / "articles").mkdir(parents=True)
        (data / "articles" / "river.txt").write_text(ARTICLE, encoding="utf-8")
    article = json.loads(reader(data_a, sync_a, "list", "--json").stdout)[0]["id"]
    made = reader(data_a, sync_a, "note", article, "first thought")
    assert made.returncode == 0, made.stderr
    shutil.copytree(sync_a, sync_b, dirs_exist_ok=True)  # the sync engine
    [note] = json.loads(reader(data_b, sync_b, "annotations", "--json").stdout)
    assert note["note"] == "first thought"
    assert reader(data_a, sync_a, "edit", note["id"][:8], "--note", "edited on a").returncode == 0
    edited = reader(data_b, sync_b, "edit", note["id"][:8], "--note", "edited on b")
    assert edited.returncode == 0, edited.stderr
    shutil.copytree(sync_a, sync_b, dirs_exist_ok=True)
    shutil.copytree(sync_b, sync_a, dirs_exist_ok=True)
    seen = [json.loads(reader(d, s, "annotations", "--json").stdout) for d, s in ((data_a, sync_a), (data_b, sync_b))]
    assert seen[0] == seen[1]
    [merged] = seen[0]
    assert merged["note"] == "edited on b"
    assert [c["note"] for c in merged["conflicts"]] == ["edited on a"]
    assert not list(sync_a.rglob("*.lock")) and not list(sync_a.rglob("machine-id"))
    doctor = reader(data_a, sync_a, "doctor")
    machines = [line for line in doctor.stdout.splitlines() if line.startswith("machine ")]
    assert len(machines) == 2 and sum("(this machine)" in line for line in machines) == 1, doctor.stdout
    assert all("last change 20" in line for line in machines)
    assert f"backups: 1 in {data_a / 'backups' / 'sync'}" in doctor.stdout, doctor.stdout
    assert not list(sync_a.rglob("backups"))


def test_doctor_names_a_file_it_could_not_read(tmp_path: Path) -> None:
    sync, data = tmp_path / "sync", tmp_path / "data"
    assert reader(data, sync, "list").returncode == 0
    other = sync / "machines" / "laptop-1234"
    other.mkdir(parents=True)
    (other / "reader.json").write_bytes(b'{"annotations": ')
    doctor = reader(data, sync, "doctor")
    assert "could not read: " in doctor.stdout and "laptop-1234" in doctor.stdout, doctor.stdout
    assert "Traceback" not in doctor.stderr


def test_without_a_sync_dir_nothing_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    (data / "articles" / "river.txt").write_text(ARTICLE, encoding="utf-8")
    article = json.loads(reader(data, None, "list", "--json").stdout)[0]["id"]
    assert reader(data, None, "note", article, "local").returncode == 0
    assert (data / "reader.json").exists() and "sync folder" not in reader(data, None, "doctor").stdout


def test_the_users_own_articles_and_saved_pages_live_in_the_sync_folder(tmp_path: Path, server: Server) -> None:
    sync, desk, laptop = tmp_path / "sync", tmp_path / "desk", tmp_path / "laptop"
    page = "<html><head><title>Harbour works</title></head><body><article><h1>Harbour works</h1>" + \
           "<p>The harbour works start in May and end next year, the port said on Monday.</p>" * 6 + "</article></body></html>"
    saved = reader(desk, sync, "save", server.page("/harbour", page))
    assert saved.returncode == 0, saved.stderr
    article = saved.stdout.strip()
    assert [p.name for p in (sync / "articles" / "saved").iterdir()], "the saved page is in the sync folder"
    (sync / "articles" / "mine.md").write_text("# My own draft\n\nWritten by hand, in the synced folder.\n", encoding="utf-8")
    listed = {a["title"]: a["id"] for a in json.loads(reader(laptop, sync, "list", "--json").stdout)}
    assert listed.get("Harbour works") == article, listed  # the other machine lists it, with the same id
    assert "My own draft" in listed
    assert reader(laptop, sync, "note", article, "noted on the laptop").returncode == 0
    [note] = json.loads(reader(desk, sync, "annotations", "--json", "--article", article).stdout)
    assert note["note"] == "noted on the laptop" and note["status"] != "orphaned"
    assert not (desk / "articles" / "saved").exists()
