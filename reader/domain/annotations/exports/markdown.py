"""Markdown for notes apps: one document with a section per article (``export_markdown``), and
the pieces the Obsidian vault export shares with it: block ids and quoted passages."""

from __future__ import annotations

import hashlib
import re
from typing import Sequence

from reader.domain.annotations.model import Annotation
from reader.domain.articles.cleaning import clean_line, clean_text

BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")
"""What Obsidian accepts as a block id (after the ``^``): letters, digits and dashes."""


def export_markdown(annotations: Sequence[Annotation]) -> str:
    """Markdown for Obsidian and the like: a section per article, its notes, then its passages.

    Each passage is a block quote followed by an Obsidian block id (``^`` and the first 8 hex
    digits of the annotation id) on its own line, the form Obsidian requires after a quote, so
    ``[[file#^id]]`` links to it; the passage's note, as Markdown, follows.
    """
    groups: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        groups.setdefault(annotation.article, []).append(annotation)
    used: set[str] = set()
    sections = []
    for items in groups.values():
        title = clean_line(next((a.title for a in items if a.title), "")) or "Untitled article"
        lines = [f"## {title}", ""]
        url = clean_line(next((a.url for a in items if a.url), ""))
        if url:
            lines += [f"[Source](<{url.replace('<', '%3C').replace('>', '%3E')}>)", ""]
        for a in items:
            if a.is_article_note and a.note.strip():
                lines += [clean_text(a.note).strip("\n"), ""]
        for a in in_text_order(items):
            lines += quoted(a.quote) + ["", f"^{block_id(a.id, used)}", ""]
            if a.note.strip():
                lines += [clean_text(a.note).strip("\n"), ""]
        sections.append("\n".join(lines).rstrip("\n"))
    return "\n\n".join(sections) + "\n" if sections else ""


def in_text_order(items: Sequence[Annotation]) -> list[Annotation]:
    """The passages among ``items`` in the order they were in the article's text."""
    passages = [a for a in items if a.selectors is not None]
    return sorted(passages, key=lambda a: a.selectors.position.start if a.selectors else 0)


def quoted(text: str) -> list[str]:
    """``text`` as the lines of a Markdown block quote (blank lines kept inside it)."""
    return [f"> {line}" if line.strip() else ">" for line in clean_text(text).split("\n")]


def block_id(annotation_id: str, used: set[str]) -> str:
    """A block id unique in ``used`` (which it joins): the id's first 8 hex digits, more on a clash."""
    digits = re.sub("[^0-9a-f]", "", annotation_id.lower())
    if len(digits) < 8:
        digits = hashlib.sha1(annotation_id.encode("utf-8", "surrogatepass")).hexdigest()
    for size in range(8, len(digits) + 1, 4):
        if digits[:size] not in used:
            used.add(digits[:size])
            return digits[:size]
    n = 2
    while f"{digits}-{n}" in used:
        n += 1
    used.add(f"{digits}-{n}")
    return f"{digits}-{n}"
