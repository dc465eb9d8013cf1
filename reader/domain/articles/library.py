"""The library: every article under the roots reader was given, listed fast, opened on demand."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Collection, Iterator

from reader.domain.articles.article import Article, ArticleMeta, article_id
from reader.domain.articles.files import read_text
from reader.domain.articles.formats import format_of, format_of_name, parse
from reader.domain.articles.index import Entry, MetadataIndex, Stat
from reader.domain.articles.reading import Job, Read, read_all

Progress = Callable[[int, int], None]
Partial = Callable[["Listing"], None]
BATCH = 500
FIRST_BATCH = 40
"""Files read before the first ``partial`` listing: the newest, enough for a first screen."""


@dataclass(frozen=True)
class Root:
    """A folder (scanned recursively) or a single file, with the label that keeps ids stable."""

    path: Path
    label: str
    explicit: bool = False
    """Named by the user: a file in it with an unknown format is reported, not ignored."""


@dataclass(frozen=True)
class Skipped:
    """A file that was not listed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Listing:
    """The articles, newest first, and the files that were skipped."""

    articles: tuple[ArticleMeta, ...]
    skipped: tuple[Skipped, ...]


def _sort(articles: list[ArticleMeta]) -> tuple[ArticleMeta, ...]:
    articles.sort(key=lambda a: a.title.casefold())
    articles.sort(key=lambda a: a.sort_key, reverse=True)
    return tuple(articles)


def _candidates(root: Root) -> Iterator[tuple[str, str, str | None]]:
    """Files under a root: path, path relative to it, format; hidden names are passed over."""
    if not root.path.is_dir():
        if root.explicit or root.path.exists() or root.path.is_symlink():
            yield str(root.path), root.path.name, format_of(root.path)
        return
    stack = [(str(root.path), "")]  # strings, not a Path a file: a scan of 100,000 files makes none
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for item in items:
            name = item.name
            if name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                stack.append((item.path, prefix + name + "/"))
            else:
                kind = format_of_name(name)
                if kind is not None:
                    yield item.path, prefix + name, kind


class Library:
    """Lists and opens articles from a set of roots, through the metadata index."""

    def __init__(self, roots: list[Root], index: MetadataIndex) -> None:
        self.roots = roots
        self.index = index
        self._by_id: dict[str, ArticleMeta] = {}

    def cached(self, limit: int | None = None) -> Listing:
        """What the index knows about the roots, newest first, without touching any article file.

        With ``limit``, only the newest few: enough for a first screen while the rest loads.
        """
        articles, skipped = self.index.listed(self._prefixes(), limit)
        listing = Listing(tuple(articles), tuple(Skipped(p, r) for p, r in skipped))
        return listing if limit is not None else self._remember(listing)

    def scan(self, progress: Progress | None = None, partial: Partial | None = None) -> Listing:
        """Every article under the roots; files unchanged since the last scan are not read.

        Changed files are read newest first (by mtime), in worker processes when there are many.
        ``partial`` receives the articles found so far after the first ``FIRST_BATCH`` files read
        and then every ``BATCH``, so a first scan of a big library can be shown while it goes on;
        ``progress`` gets the files done and the total. An unchanged article keeps the very
        metadata object of the last listing, so a rescan of a big library does not build a
        second copy of it.
        """
        known = self.index.stats(self._prefixes())
        previous = {meta.path: meta for meta in self._by_id.values()}
        seen: set[str] = set()
        articles: list[ArticleMeta] = []
        skipped: list[Skipped] = []
        unlisted: list[str] = []  # unchanged, but not in the last listing: read from the index
        pending: list[Read] = []
        jobs: list[Job] = []
        files = [(root, found) for root in self.roots for found in _candidates(root)]
        for root, (key, rel, kind) in files:
            if key in seen:
                continue
            seen.add(key)
            found = self._check(root, key, rel, kind, known.get(key), pending)
            if isinstance(found, Job):
                jobs.append(found)
            elif found is not None:
                skipped.append(Skipped(key, found))
            elif key in previous:
                articles.append(previous[key])
            else:
                unlisted.append(key)
        articles += self.index.metas(unlisted)
        jobs.sort(key=lambda job: job.mtime, reverse=True)
        done, total = len(files) - len(jobs), len(files)
        flush_at, fresh = FIRST_BATCH, 0
        for entry, text in read_all(jobs, FIRST_BATCH):
            pending.append((entry, text))
            fresh += 1
            if entry.meta is not None:
                articles.append(entry.meta)
            else:
                skipped.append(Skipped(entry.path, entry.error or "unreadable"))
            done += 1
            if fresh >= flush_at:
                self.index.put(pending)
                pending, flush_at, fresh = [], BATCH, 0
                if partial is not None:
                    partial(Listing(_sort(list(articles)), tuple(skipped)))
            if progress and done % 200 == 0:
                progress(done, total)
        if pending:
            self.index.put(pending)
        gone = [p for p in known if p not in seen]  # ``known`` has only the files under the roots
        if gone:
            self.index.forget(gone)
        if progress:
            progress(total, total)
        skipped.sort(key=lambda item: item.path)  # in the same order whether read now or remembered
        return self._remember(Listing(_sort(articles), tuple(skipped)))

    def _check(self, root: Root, key: str, rel: str, kind: str | None, old: Stat | None,
               pending: list[Read]) -> Job | str | None:
        """What to read of a changed file, or the reason it is skipped; ``None`` for an unchanged article.

        An entry for a file that is skipped without reading is added to ``pending`` for the index.
        """
        failed = None
        try:
            info = os.stat(key)
        except FileNotFoundError:
            failed = Entry(key, 0, 0, None, "broken link" if os.path.islink(key) else "no such file")
        except OSError as error:
            failed = Entry(key, 0, 0, None, error.strerror or "cannot read")
        else:
            if not stat.S_ISREG(info.st_mode):
                failed = Entry(key, 0, 0, None, "not a regular file")
        if failed is not None:
            if old != (failed.size, failed.mtime_ns, None, failed.error):  # remembered, so that ``cached`` reports it too
                pending.append((failed, ""))
            return failed.error
        fresh_id = article_id(root.label, rel)
        if old and old[:2] == (info.st_size, info.st_mtime_ns) and old[2] in (None, fresh_id):
            # unchanged (and not the same file seen before under another root label)
            return (old[3] or "unreadable") if old[2] is None else None
        if kind is None:
            pending.append((Entry(key, info.st_size, info.st_mtime_ns, None, "unsupported file type"), ""))
            return "unsupported file type"
        return Job(key, fresh_id, kind, info.st_size, info.st_mtime_ns, info.st_mtime)

    def unchanged(self, ids: Collection[str]) -> dict[str, str] | None:
        """The file of each article in ``ids``, from the index and a stat of each of those files
        alone, when the index has every one of them and none has changed since it was read;
        ``None`` when only a scan can say (an id the index lacks is a new file or a gone one).

        What reading a few articles' texts costs, instead of a scan of the whole library.
        """
        wanted = set(ids)
        paths: dict[str, str] = {}
        entered: dict[str, bool] = {}
        for path, size, mtime_ns, id_ in self.index.files_of(wanted, self._prefixes()):
            place = self._place(path)
            if place is None or article_id(place[0].label, place[1]) != id_:
                continue  # another root's spelling of the path, or a root whose label changed
            if id_ in paths:
                return None  # two files with one id (same-named folders named on the command line)
            if not self._entered(place[0], place[1], entered):
                return None
            try:
                info = os.stat(path)
            except OSError:
                return None
            if not stat.S_ISREG(info.st_mode) or (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
                return None
            paths[id_] = path
        return paths if len(paths) == len(wanted) else None

    def lookup(self, article: str) -> ArticleMeta | None:
        """The metadata of the article whose whole id is ``article``, from the index, when its file
        is unchanged since it was read; ``None`` when only a scan can say (what a command on one
        article needs, without a scan of 100,000 files)."""
        paths = self.unchanged([article])
        found = self.index.metas([paths[article]]) if paths else []
        return found[0] if found else None

    def _place(self, path: str) -> tuple[Root, str] | None:
        """The first root the file at ``path`` is under, as a scan goes, and the file's path
        relative to it as the scan names it (what its id is made of)."""
        for root in self.roots:
            base = str(root.path)
            if path == base:
                return root, root.path.name  # a root that is a file
            folder = base if base.endswith(os.sep) else base + os.sep
            if path.startswith(folder):
                return root, path[len(folder) :].replace(os.sep, "/")
        return None

    @staticmethod
    def _entered(root: Root, relative: str, known: dict[str, bool]) -> bool:
        """Whether a scan of ``root`` reaches the file at ``relative``: it lists no hidden name and
        follows no linked folder (``known`` keeps the answer for each folder on the way)."""
        if relative == root.path.name and not root.path.is_dir():
            return True  # a root that is a file
        *folders, name = relative.split("/")
        if name.startswith("."):
            return False
        current = str(root.path)
        for folder in folders:
            current = os.path.join(current, folder)
            if current not in known:
                known[current] = not folder.startswith(".") and not os.path.islink(current)
            if not known[current]:
                return False
        return True

    def _prefixes(self) -> list[str]:
        return [str(root.path) for root in self.roots]

    def _remember(self, listing: Listing) -> Listing:
        self._by_id = {meta.id: meta for meta in listing.articles}
        return listing

    def find(self, article: str) -> ArticleMeta | None:
        """The metadata of a listed article by id (after ``cached`` or ``scan``)."""
        return self._by_id.get(article)

    def load(self, meta: ArticleMeta) -> Article:
        """Read and parse an article's file now; ``Unreadable`` if it went bad since listing."""
        path = Path(meta.path)
        kind = format_of(path) or "text"
        parsed = parse(read_text(path), kind, path.stem)
        fresh = replace(meta, title=parsed.title, section=parsed.section, author=parsed.author,
                        date=parsed.date, source=parsed.source, url=parsed.url, tags=parsed.tags)
        return Article(meta=fresh, body=parsed.body)

    def search(self, query: str) -> set[str]:
        """Ids of articles whose text has every word of ``query``."""
        return self.index.search(query)


SYNCED = "synced"
"""The label of the user's articles in a sync folder (the same on every machine, so are the ids)."""


def default_roots(seeds: Path | None, articles_dir: Path, extra: list[Path], synced: Path | None = None) -> list[Root]:
    """The library reader opens: the bundled seeds, the user's folder, the user's articles in a
    sync folder (``synced``, when there is one), and any named paths."""
    roots: list[Root] = []
    if seeds is not None:
        roots.append(Root(seeds.resolve(), "seeds"))
    roots.append(Root(articles_dir.absolute(), "library"))
    if synced is not None:
        roots.append(Root(synced.absolute(), SYNCED))
    for path in extra:
        roots.append(named_root(path))
    return roots


def named_root(path: Path) -> Root:
    """A root for a file or folder named on the command line."""
    absolute = path.expanduser().absolute()
    label = "path/" + absolute.name if absolute.is_dir() else "file"
    return Root(absolute, label, explicit=True)
