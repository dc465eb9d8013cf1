"""YAML front matter: read from any Markdown article, written fast for the articles reader saves.

:func:`read_front_matter` splits a Markdown file into its metadata and body (python-frontmatter);
a file whose front matter is not valid YAML keeps all its text as the body. :func:`front_matter`
writes metadata exactly as PyYAML writes it, but fast:

``yaml.dump`` costs some 40 us an article, nearly all of it set-up, and a big feed writes thousands
of articles. The values are short one-line strings, so :func:`front_matter` writes each one
itself when it can tell for certain how PyYAML would (plain, or in single quotes) and hands the
whole mapping to PyYAML otherwise. A property test holds the two outputs equal.
"""

from __future__ import annotations

import re
from typing import Any

import frontmatter
import yaml

__all__ = ["front_matter", "read_front_matter"]

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # yaml.safe_dump's dumper, in C when available
# Plain scalars that YAML 1.1 would read back as booleans or null; PyYAML quotes them.
_RESERVED = frozenset("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF "
                      "null Null NULL".split())
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?\+00:00")
_LONGEST = 400  # PyYAML folds long lines (width 1000); stay well short of that


def _scalar(value: str) -> str | None:
    """``value`` as PyYAML writes it in a block mapping, or None when that is not certain."""
    if not value:
        return "''"
    if len(value) > _LONGEST:
        return None
    if _ISO_DATE.fullmatch(value):
        return f"'{value}'"  # it would read back as a timestamp
    if not value[0].isalpha() or value in _RESERVED or value[-1] in " :" or ": " in value or " #" in value:
        return None
    if value.isascii():
        return value if value.isprintable() else None
    # libyaml escapes characters beyond the BMP; keep to letters and digits below it
    return value if all(" " <= ch <= "~" or (ch.isalnum() and ch <= "\uffff") for ch in value) else None


def front_matter(meta: dict[str, str | list[str]]) -> str:
    """``meta`` (strings, or lists of strings) as block YAML, ending in a newline: the same text as
    ``yaml.dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)``."""
    lines = []
    for key, value in meta.items():
        if isinstance(value, str):
            scalar = _scalar(value)
            if scalar is None:
                break
            lines.append(f"{key}: {scalar}\n")
            continue
        items = [_scalar(entry) for entry in value]
        if not items or None in items:
            break
        lines.append(f"{key}:\n")
        lines.extend(f"- {entry}\n" for entry in items)
    else:
        return "".join(lines)
    return yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


def read_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """``(metadata, body)`` of a Markdown text; ``({}, text)`` when it has no valid front matter."""
    try:
        metadata, body = frontmatter.parse(text)
    except (yaml.YAMLError, ValueError, TypeError):
        return {}, text
    return (metadata if isinstance(metadata, dict) else {}), body
