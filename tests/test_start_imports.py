"""What a start loads: the app's modules import none of the libraries and screens its first frame
does not need (a listing from the index); those load when first used, so that reader starts
about as fast as a bare Textual app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
from reader.cli.main import main
import reader.ui.app
print(json.dumps(sorted(sys.modules)))
"""

LOADED_WHEN_USED = (
    "markdown_it", "mdit_py_plugins", "linkify_it",  # the first article parsed
    "textual.widgets._markdown", "textual.widgets._text_area",  # the first article shown, the note editor
    "yaml", "frontmatter",  # the first Markdown file read
    "rapidfuzz", "reader.domain.annotations.anchoring",  # the first passage located
    "fsrs", "reader.session.review",  # the daily review
    "multiprocessing", "concurrent.futures.process",  # a scan big enough for worker processes
    "tinydb", "reader.domain.store.store",  # the store, opened in a worker once the first screen is up
    "httpx", "feedparser",  # feeds
    "reader.domain.annotations.citation",  # y
    "reader.ui.screens.note_editor", "reader.ui.screens.annotations", "reader.ui.screens.review",
    "reader.ui.screens.tag_view", "reader.ui.screens.help", "reader.ui.screens.links",
    "reader.ui.screens.confirm", "reader.ui.screens.prompt", "reader.ui.widgets.note_text",
)


def test_the_first_frame_loads_none_of_what_it_does_not_draw() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "reader.ui.screens.main" in loaded
    assert sorted(loaded.intersection(LOADED_WHEN_USED)) == []
