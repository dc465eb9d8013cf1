"""JSON as the exports write it and as imports read it, with one sentence for a bad file."""

from __future__ import annotations

import json
from typing import Any


def dumps(document: Any) -> str:
    """Readable JSON; all-ASCII escapes only if some string could not be written as UTF-8."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: \u escapes keep them losslessly
        text = json.dumps(document, ensure_ascii=True, indent=2)
    return text + "\n"


def loads(data: str) -> Any:
    """The JSON document in ``data``; ``ValueError`` with one sentence for the user if it is not JSON."""
    try:
        return json.loads(data.removeprefix("\ufeff"))
    except RecursionError:
        raise ValueError("The file nests too deeply to be an annotation export.") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"The file is not valid JSON (line {error.lineno}, column {error.colno}).") from None
    except ValueError:  # e.g. an integer too long for Python to convert
        raise ValueError("The file could not be read as JSON.") from None
