"""An Obsidian vault: one Markdown file per article, updated in place on each export.

Each file has YAML front matter (``title``, ``url``, ``author``, ``tags``, ``reader-article``) and
a section between two Obsidian comments (``%% reader: begin ... %%`` and ``%% reader: end %%``)
that holds the article's notes and passages: each passage a ``> `` quote, then its block id on
its own line (letters, digits and dashes; Obsidian wants it apart from a quote), then its colour
marker and ``#tags``, then its note. Exporting again rewrites only that section and reader's own
front matter keys; anything else the user wrote in the file stays, and a file whose text would
not change is not written at all. A file is found again by its ``reader-article`` key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from reader.domain.annotations.colors import BY_NAME
from reader.domain.annotations.export_paths import replace_file, safe_filename, unique_path
from reader.domain.annotations.exports.markdown import block_id, in_text_order, quoted
from reader.domain.annotations.model import Annotation
from reader.domain.articles.cleaning import clean_line, clean_text

BEGIN = "%% reader: begin (reader rewrites what is between these two lines on each export) %%"
"""The line that opens reader's section of a file."""
END = "%% reader: end %%"
"""The line that closes it."""
KEYS = ("title", "url", "author", "tags", "reader-article")
"""The front matter keys reader writes; the user's other keys are kept as they are."""

_KEY = re.compile(r"^([^\s#:-][^:]*):(?:\s|$)")
_NOT_TAG = re.compile(r"[^\w/-]+")


@dataclass(frozen=True)
class ArticleInfo:
    """What a file's front matter says about an article besides its annotations."""

    title: str = ""
    url: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()


@dataclass
class VaultResult:
    """What an export did: the files written and the files left as they were."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def obsidian_tag(tag: str) -> str:
    """``tag`` as Obsidian allows one: letters, digits, ``_``, ``-`` and ``/``, not only digits."""
    text = _NOT_TAG.sub("-", tag.strip()).strip("-/") or "tag"
    return f"tag-{text}" if text.replace("_", "").isdigit() else text


def export_vault(annotations: Sequence[Annotation], folder: Path,
                 articles: Mapping[str, ArticleInfo] | None = None) -> VaultResult:
    """Write (or update) one file per article with annotations into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    known = _files_by_article(folder)
    result = VaultResult()
    groups: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        groups.setdefault(annotation.article, []).append(annotation)
    for article, items in groups.items():
        info = (articles or {}).get(article) or ArticleInfo(items[0].title, items[0].url)
        path = known.get(article)
        old = path.read_text(encoding="utf-8") if path is not None else ""
        text = merged(old, article, info, items)
        if path is not None and text == old:
            result.unchanged.append(path)
            continue
        if path is None:
            path = unique_path(folder, safe_filename(clean_line(info.title) or article, ".md"))
        replace_file(path, text)
        result.written.append(path)
    return result


def merged(old: str, article: str, info: ArticleInfo, items: Sequence[Annotation]) -> str:
    """The file's new text: ``old`` with reader's front matter keys and section replaced."""
    front, body = _split(old)
    front = _front_matter(front, article, info)
    section = _section(items)
    if BEGIN in body and END in body.split(BEGIN, 1)[1]:
        before, rest = body.split(BEGIN, 1)
        body = before + section + rest.split(END, 1)[1]
    else:
        lead = body.rstrip("\n") + "\n\n" if body.strip() else "\n"
        body = lead + section + "\n"
    return f"---\n{front}---\n{body}"


def _split(text: str) -> tuple[str, str]:
    """Front matter lines (without the ``---`` fences) and the rest."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end >= 0:
            return text[4 : end + 1], text[end + 5 :]
    return "", text


def _front_matter(old: str, article: str, info: ArticleInfo) -> str:
    """Reader's keys written fresh, in place; every other entry (and comment) kept as it was."""
    entries: list[tuple[str | None, list[str]]] = []
    for line in old.splitlines():
        match = _KEY.match(line)
        if match or not entries:
            entries.append((match.group(1).strip() if match else None, [line]))
        else:
            entries[-1][1].append(line)
    tags = list(dict.fromkeys(obsidian_tag(t) for t in info.tags))
    ours = {
        "title": [f"title: {_quoted(info.title)}"], "url": [f"url: {_quoted(info.url)}"],
        "author": [f"author: {_quoted(info.author)}"],
        "tags": ["tags:"] + [f"  - {_quoted(t)}" for t in tags] if tags else ["tags: []"],
        "reader-article": [f"reader-article: {_quoted(article)}"],
    }
    lines: list[str] = []
    for key, block in entries:
        lines += ours.pop(key) if key in ours else block
    for key in KEYS:
        lines += ours.get(key, [])
    return "".join(line + "\n" for line in lines)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(clean_line(text), ensure_ascii=False)


def _section(items: Sequence[Annotation]) -> str:
    lines = [BEGIN, ""]
    for a in items:
        if a.is_article_note and a.note.strip():
            lines += [clean_text(a.note).strip("\n"), ""]
    used: set[str] = set()
    for a in in_text_order(items):
        lines += quoted(a.quote) + ["", f"^{block_id(a.id, used)}", ""]
        color = BY_NAME.get(a.color)
        marks = ([f"{color.glyph} {color.name}"] if color else []) + [f"#{obsidian_tag(t)}" for t in a.tags]
        if marks:
            lines += [" ".join(marks), ""]
        if a.note.strip():
            lines += [clean_text(a.note).strip("\n"), ""]
    return "\n".join(lines + [END])


def _files_by_article(folder: Path) -> dict[str, Path]:
    """The files of earlier exports in ``folder``, by the article their front matter names."""
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            front, _ = _split(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        for line in front.splitlines():
            if line.startswith("reader-article:"):
                try:
                    article = json.loads(line.split(":", 1)[1])
                except ValueError:
                    continue
                if isinstance(article, str):
                    found.setdefault(article, path)
    return found
