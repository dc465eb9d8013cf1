"""Saving any web page as an article: fetched within the feeds' limits, its main text extracted,
written as Markdown with front matter under ``<articles dir>/saved/``.

A saved page's file is named ``<title slug>-<key>.md``, where the key is a hash of the URL as
given (without its fragment), so saving the same URL again finds the file and rewrites it in
place: the article keeps its id, and its passages re-anchor in the new text. A page with no main
text is saved with a note that says so, never as an empty article.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag

from reader.domain.articles.cleaning import clean_line, clean_text
from reader.domain.articles.extraction import extract
from reader.domain.articles.files import decode_page
from reader.domain.articles.formats import parse_markdown, parse_text
from reader.domain.feeds.articles import slugify
from reader.domain.feeds.fetching import FetchError, FetchLimits, check_scheme, fetch
from reader.domain.articles.front_matter import front_matter
from reader.domain.feeds.writes import FeedLockTimeout, locked, write_atomic

__all__ = ["SAVED_FOLDER", "SaveError", "Saved", "render_saved", "save_page", "save_url", "saved_file"]

SAVED_FOLDER = "saved"
NO_ARTICLE_NOTE = "*reader found no article text on this page; what follows is all the text the page has.*"
NO_TEXT_NOTE = "*reader found no text on this page.*"
_PAGE_TYPES = re.compile(r"^\s*(?:text/html|application/xhtml\+xml|text/plain|)\s*(?:;|$)", re.IGNORECASE)


class SaveError(Exception):
    """A page that cannot be saved; ``str(error)`` is one sentence for the user."""


@dataclass(frozen=True)
class Saved:
    """A page saved as an article file."""

    path: Path
    title: str
    found: bool
    """Whether the page had main text (else the file says so)."""
    updated: bool
    """True when the URL was saved before and its file was rewritten."""

    @property
    def summary(self) -> str:
        """What happened, in words: ``saved: <title>`` or ``updated: <title>``, and a note when
        the page had no article text."""
        note = "" if self.found else " (no article text found; saved with a note)"
        return f"{'updated' if self.updated else 'saved'}: {self.title}{note}"


def _key(url: str) -> str:
    return hashlib.sha1(urldefrag(url)[0].encode("utf-8", "surrogatepass")).hexdigest()[:10]


def saved_file(folder: Path, url: str) -> Path | None:
    """The file an earlier save of ``url`` wrote, if there is one."""
    return next(iter(sorted(folder.glob(f"*-{_key(url)}.md"))), None) if folder.is_dir() else None


def render_saved(url: str, title: str, body: str, meta: dict[str, str], tags: tuple[str, ...]) -> str:
    """The article file: YAML front matter (title, author, date, source, url, ...) then the body."""
    fields: dict[str, str | list[str]] = {"title": clean_line(title) or url, "url": url}
    fields.update({key: clean_line(value) for key, value in meta.items() if clean_line(value)})
    if tags:
        fields["tags"] = list(tags)
    return f"---\n{front_matter(fields)}---\n\n{clean_text(body).strip()}\n"


def _page(url: str, body: bytes, content_type: str, final_url: str) -> tuple[str, str, dict[str, str], bool]:
    """Title, Markdown body, front-matter fields and whether main text was found, for a download."""
    if content_type.split(";")[0].strip().lower() == "text/plain":
        parsed = parse_text(decode_page(body, content_type), "")
        return parsed.title, parsed.body, {}, bool(parsed.body)
    page = extract(body, final_url or url, content_type)
    meta = page.meta
    fields = {"author": meta.byline, "date": meta.published, "source": meta.site, "section": "Saved",
              "language": meta.language, "canonical": meta.canonical_url if meta.canonical_url != url else ""}
    text = page.body if page.found else (f"{NO_ARTICLE_NOTE}\n\n{page.body}" if page.body.strip() else NO_TEXT_NOTE)
    return page.title, text, fields, page.found


def save_url(url: str, articles_dir: Path, tags: tuple[str, ...] = (), limits: FetchLimits | None = None,
             now: datetime | None = None) -> Saved:
    """Fetch ``url``, extract its article and write (or rewrite) its file; raises :class:`SaveError`."""
    url = clean_line(url)
    try:
        check_scheme(url)
    except FetchError as error:
        raise SaveError(str(error)) from None
    result = fetch(url, limits=limits)
    if result.error:
        raise SaveError(f"Could not fetch the page: {result.error}")
    if not _PAGE_TYPES.match(result.content_type or ""):
        kind = clean_line(result.content_type.split(";")[0])[:60]
        raise SaveError(f"The address serves {kind}, not a web page.")
    title, body, fields, found = _page(url, result.body, result.content_type or "", result.final_url)
    saved_at = (now or datetime.now(timezone.utc)).replace(microsecond=0).isoformat()
    folder = articles_dir / SAVED_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder / ".saved.lock"):
        existing = saved_file(folder, url)
        if existing is not None:
            try:
                old_tags = parse_markdown(existing.read_text(encoding="utf-8"), "").tags
            except (OSError, UnicodeDecodeError):
                old_tags = ()
            tags = tuple(dict.fromkeys((*old_tags, *tags)))
        path = existing or folder / f"{slugify(title, fallback='page', max_length=50)}-{_key(url)}.md"
        text = render_saved(url, title, body, {**fields, "saved": saved_at}, tags)
        write_atomic(path, text.encode("utf-8"))
    return Saved(path=path, title=clean_line(title) or url, found=found, updated=existing is not None)


def save_page(url: str, articles_dir: Path, tags: tuple[str, ...] = ()) -> Saved:
    """:func:`save_url`, with every failure a user can meet (a bad page, another reader saving,
    a disk that refuses the file) as a :class:`SaveError` of one sentence."""
    try:
        return save_url(url, articles_dir, tags)
    except FeedLockTimeout:
        raise SaveError("another reader is saving a page right now; try again") from None
    except OSError as error:
        raise SaveError(f"cannot write the article: {error.strerror or error}") from None
