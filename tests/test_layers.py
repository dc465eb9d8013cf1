"""The layer rules of STYLE.md: a headless domain, and one owner module per outside library."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reader"

PROBE = """
import importlib, json, pkgutil, sys

def ui_modules():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich") or m.startswith("reader.ui"))

import reader.domain, reader.session
names = sorted(m.name for m in pkgutil.walk_packages(reader.domain.__path__, "reader.domain."))
names += sorted(m.name for m in pkgutil.walk_packages(reader.session.__path__, "reader.session."))
culprits = {}
for name in names + ["reader.cli.library"]:
    importlib.import_module(name)
    if ui_modules() and not culprits:
        culprits[name] = ui_modules()[:5]
print(json.dumps({"names": names, "ui": ui_modules(), "culprits": culprits}))
"""


def test_domain_session_and_cli_library_import_neither_textual_nor_rich() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"reader.domain.articles.library", "reader.domain.articles.markdown", "reader.domain.articles.files",
            "reader.session.sidebar", "reader.session.annotating"} <= set(report["names"])
    assert report["ui"] == [], f"first imported by {report['culprits']}"


def imported_roots(path: Path) -> set[str]:
    """The top-level names of every absolute import in a module, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
    return roots


@lru_cache(maxsize=1)
def sources() -> dict[str, set[str]]:
    return {
        path.relative_to(ROOT).as_posix(): imported_roots(path)
        for path in sorted(PACKAGE.rglob("*.py"))
    }


DISTRIBUTION_IMPORTS = {
    "beautifulsoup4": "bs4", "readability-lxml": "readability", "python-frontmatter": "frontmatter",
    "PyYAML": "yaml", "markdown-it-py": "markdown_it", "mdit-py-plugins": "mdit_py_plugins",
    "linkify-it-py": "linkify_it", "pillow": "PIL",
}
"""Distributions whose import name is not their name with dashes as underscores."""

OWNERS: dict[str, tuple[str, ...]] = {
    "textual": ("reader/ui/",),
    "tinydb": ("reader/domain/store/database.py", "reader/domain/store/storage.py", "reader/domain/store/sync_storage.py"),
    "markdown_it": ("reader/domain/articles/markdown.py", "reader/domain/articles/markdown_rules.py"),
    "mdit_py_plugins": ("reader/domain/articles/markdown.py",),
    "platformdirs": ("reader/config.py",),
    "filelock": ("reader/domain/durable.py",),
    "markdownify": ("reader/domain/articles/htmlconv.py", "reader/domain/articles/simple_html.py"),
    "bs4": ("reader/domain/articles/htmlconv.py", "reader/domain/articles/simple_html.py"),
    "readability": ("reader/domain/articles/extraction.py",),
    "lxml": ("reader/domain/articles/extraction.py", "reader/domain/articles/page_meta.py"),
    "frontmatter": ("reader/domain/articles/front_matter.py",),
    "yaml": ("reader/domain/articles/front_matter.py",),
    "rapidfuzz": (
        "reader/domain/annotations/anchoring.py",
        "reader/domain/annotations/anchor_search.py",
        "reader/domain/annotations/anchor_words.py",
        "reader/domain/articles/extraction.py",
    ),
    "feedparser": ("reader/domain/feeds/parsing.py",),
    "httpx": ("reader/domain/feeds/fetching.py", "reader/domain/feeds/accounts/client.py"),
    "defusedxml": ("reader/domain/feeds/opml.py",),
    "fsrs": ("reader/domain/annotations/review.py",),
    "keyring": ("reader/domain/feeds/accounts/system_keyring.py",),
    "gc": ("reader/collector.py",),
    "linkify_it": ("reader/domain/articles/markdown_rules.py",),
    "textual_image": ("reader/ui/widgets/inline_pictures.py",),
    "PIL": ("reader/ui/widgets/inline_pictures.py",),
}
"""Who may import each outside library: a module, or every module under a folder (ending in /).
The HTML converters are two modules of one job (the fast path and the general one); the store's
two TinyDB modules are its Storage and its Table/DB classes; httpx serves the two HTTP clients,
feeds' fetcher and the accounts' API client, which reads bodies through the fetcher's caps;
re-anchoring is three (the order of steps, the coarse search, the word alignment) and extraction
uses it to spot a heading that repeats the title. markdown-it is configured in one module and its
token rules (footnotes, pictures) are the other."""

USED_THROUGH = {"linkify_it": "markdown_it"}
"""Dependencies no module imports: another library loads them (markdown-it's linkify option)."""


OPTIONAL_EXTRAS = ("images",)
"""Extras that add a feature to reader itself (not test or bench tools): their libraries need owners too."""


def declared_dependencies() -> list[str]:
    """The import names of every dependency in pyproject.toml's ``[project] dependencies`` and
    in the feature extras (``OPTIONAL_EXTRAS``)."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        project = tomllib.load(file)["project"]
    specs = project["dependencies"] + [s for extra in OPTIONAL_EXTRAS for s in project["optional-dependencies"][extra]]
    names = [re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0] for spec in specs]
    return [DISTRIBUTION_IMPORTS.get(name, name.replace("-", "_").lower()) for name in names]


def owns(owner: str, name: str) -> bool:
    return name.startswith(owner) if owner.endswith("/") else name == owner


def test_every_dependency_has_an_owner() -> None:
    assert sorted(set(declared_dependencies()) - set(OWNERS)) == []


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_one_owner_per_outside_library(library: str) -> None:
    importers = sorted(name for name, roots in sources().items() if library in roots)
    strangers = [name for name in importers if not any(owns(owner, name) for owner in OWNERS[library])]
    assert strangers == [], f"{library} is imported outside its owner"
    assert importers or library in USED_THROUGH, f"{library} is declared but no module imports it"


def test_domain_and_session_sources_never_name_the_ui() -> None:
    offenders = sorted(
        name
        for name, roots in sources().items()
        if name.startswith(("reader/domain/", "reader/session/")) and roots & {"textual", "rich"}
    )
    assert offenders == []
    for path in [*(PACKAGE / "domain").rglob("*.py"), *(PACKAGE / "session").rglob("*.py")]:
        assert "reader.ui" not in path.read_text(encoding="utf-8"), path


def test_feed_parsers_form_no_import_circle() -> None:
    text = (ROOT / "reader/domain/feeds/jsonfeed.py").read_text(encoding="utf-8")
    assert "reader.domain.feeds.parsing" not in text, "jsonfeed imports the values, not the parser"


def test_the_ui_uses_only_public_textual_modules() -> None:
    """Issue 11: no private Textual API. A module path with a part that starts with ``_``
    (``textual.widgets._markdown``) is Textual's own business and changes without notice."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                parts = name.split(".")
                if parts[0] == "textual" and any(part.startswith("_") for part in parts[1:]):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
