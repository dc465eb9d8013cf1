"""Feed folders under concurrent writers and interrupted syncs: the lock, the unfinished marks,
and both ways of creating item files."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest
from feedserver import FeedServer, Route
from filelock import FileLock

from reader.domain.feeds import articles as feed_articles, writes as feed_writes
from reader.domain.feeds.articles import FEEDS_FILE, INDEX_FILE
from reader.domain.feeds.fetching import FetchLimits
from reader.domain.feeds.subscriptions import MemorySubscriptions, add_subscription, sync_feeds

FAST = FetchLimits(connect_timeout=2.0, total_timeout=5.0)
ITEMS = 400


def big_feed(items: int = ITEMS, title: str = "Busy") -> bytes:
    entries = "".join(
        f"<item><title>Item {n}</title><guid isPermaLink='false'>g-{n}</guid><link>https://e.org/{n}</link>"
        f"<description>&lt;p&gt;Body {n} with &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;</description></item>"
        for n in range(items)
    )
    return f"<rss version='2.0'><channel><title>{title}</title>{entries}</channel></rss>".encode()


MemoryStore = MemorySubscriptions


CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from test_feeds_concurrency import MemoryStore, FAST
from reader.domain.feeds.subscriptions import add_subscription, sync_feeds
articles, url, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
store = MemoryStore()
add_subscription(store, url)
while not go.exists():
    time.sleep(0.005)
(result,) = sync_feeds(store, articles, limits=FAST)
print(result.new, result.updated, result.error)
"""


def check_folder(folder: Path, items: int) -> dict:
    """Every item has exactly one finished file, the index is valid JSON, no temporary file is left."""
    index = json.loads((folder / INDEX_FILE).read_text())
    entries = index["items"]
    assert sorted(entries) == sorted(f"guid:g-{n}" for n in range(items))
    assert all(entry["hash"] for entry in entries.values())
    files = sorted(p.name for p in folder.glob("*.md"))
    assert files == sorted(entry["file"] for entry in entries.values())
    assert files == sorted(f"item-{n}.md" for n in range(items))
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    return index


def test_two_processes_syncing_one_feed_write_each_item_once(tmp_path: Path) -> None:
    articles, go = tmp_path / "articles", tmp_path / "go"
    with FeedServer({"/f.xml": Route(big_feed())}) as srv:
        command = [sys.executable, "-c", CHILD, str(articles), srv.url("/f.xml"), str(go), str(Path(__file__).parent)]
        children = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    for _ in range(2)]
        time.sleep(0.5)  # both started and waiting
        go.touch()
        outputs = [child.communicate(timeout=120) for child in children]
    assert all(child.returncode == 0 for child in children), outputs
    results = sorted(out.split() for out, _err in outputs)
    assert results == [["0", "0", "None"], [str(ITEMS), "0", "None"]]  # one wrote everything, the other nothing
    check_folder(articles / "busy", ITEMS)
    assert json.loads((articles / FEEDS_FILE).read_text()) == {srv.url("/f.xml"): "busy"}


def test_a_folder_locked_elsewhere_is_an_error_on_that_feed_only(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed_writes, "LOCK_TIMEOUT", 0.2)
    with FeedServer({"/a.xml": Route(big_feed(3, "Held")), "/b.xml": Route(big_feed(3, "Free"))}) as srv:
        store = MemoryStore()
        add_subscription(store, srv.url("/a.xml"))
        sync_feeds(store, tmp_path, limits=FAST)
        srv.routes["/a.xml"] = Route(big_feed(4, "Held"))
        add_subscription(store, srv.url("/b.xml"))
        with FileLock(str(tmp_path / "held" / INDEX_FILE) + ".lock"):
            held, free = sync_feeds(store, tmp_path, limits=FAST)
    assert held.error == "Could not write articles (another reader process is saving held)."
    assert free.error is None and free.new == 3
    assert len(list((tmp_path / "held").glob("*.md"))) == 3


def test_names_are_saved_as_unfinished_before_any_file_is_written(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict] = []
    real = feed_articles.write_atomic

    def spy(path: Path, data: bytes, **options: bool) -> None:
        if path.suffix == ".md" and not seen:
            seen.append(json.loads((path.parent / INDEX_FILE).read_text()))
        real(path, data, **options)

    monkeypatch.setattr(feed_articles, "write_atomic", spy)
    with FeedServer({"/f.xml": Route(big_feed(5))}) as srv:
        store = MemoryStore()
        add_subscription(store, srv.url("/f.xml"))
        sync_feeds(store, tmp_path, limits=FAST)
    (index,) = seen
    assert {entry["hash"] for entry in index["items"].values()} == {""}
    assert sorted(entry["file"] for entry in index["items"].values()) == sorted(f"item-{n}.md" for n in range(5))
    check_folder(tmp_path / "busy", 5)


def test_files_not_known_to_be_on_disk_are_rewritten_under_their_own_names(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_sync(folder: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with FeedServer({"/f.xml": Route(big_feed(5))}) as srv:
        store = MemoryStore()
        add_subscription(store, srv.url("/f.xml"))
        monkeypatch.setattr(feed_articles, "sync_filesystem", failing_sync)
        (first,) = sync_feeds(store, tmp_path, limits=FAST)
        folder = tmp_path / "busy"
        index = json.loads((folder / INDEX_FILE).read_text())
        assert first.error == "Could not write articles (Input/output error)."
        assert {entry["hash"] for entry in index["items"].values()} == {""}  # still unfinished
        (folder / "item-3.md").write_bytes(b"")  # as a crash might leave it
        monkeypatch.undo()
        (second,) = sync_feeds(store, tmp_path, limits=FAST)
    assert (second.new, second.updated, second.error) == (0, 5, None)
    check_folder(folder, 5)
    assert frontmatter.loads((folder / "item-3.md").read_text())["title"] == "Item 3"


@pytest.mark.parametrize("nameless", [True, False], ids=["o_tmpfile", "temporary-name"])
def test_both_ways_of_creating_files_give_the_same_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          nameless: bool) -> None:
    if not nameless:
        monkeypatch.setattr(feed_writes, "_TMPFILE", 0)
    elif not feed_writes._TMPFILE:
        pytest.skip("no O_TMPFILE here")
    with FeedServer({"/f.xml": Route(big_feed(20))}) as srv:
        store = MemoryStore()
        add_subscription(store, srv.url("/f.xml"))
        (first,) = sync_feeds(store, tmp_path, limits=FAST)
        srv.routes["/f.xml"] = Route(big_feed(20).replace(b"Body 7 ", b"Body seven "))
        (second,) = sync_feeds(store, tmp_path, limits=FAST)
    assert (first.new, second.updated) == (20, 1)
    check_folder(tmp_path / "busy", 20)
    assert "Body seven" in (tmp_path / "busy" / "item-7.md").read_text()
    umask = os.umask(0)
    os.umask(umask)
    for name in ("item-0.md", "item-7.md"):  # created new, and replaced
        assert (tmp_path / "busy" / name).stat().st_mode & 0o777 == 0o666 & ~umask
