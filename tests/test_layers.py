"""The layer rules of STYLE.md: a headless domain, and one owner module per outside library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
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


def is_store(name: str) -> bool:
    return name in ("reader/domain/store/store.py", "reader/domain/store/storage.py") or (
        name.startswith("reader/domain/store_") and name.count("/") == 2
    )


def is_feeds(name: str) -> bool:
    return name == "reader/domain/feeds/parsing.py" or (name.startswith("reader/domain/feeds_") and name.count("/") == 2)


OWNERS = {
    "tinydb": is_store,
    "markdown_it": lambda name: name == "reader/domain/articles/markdown.py",
    "mdit_py_plugins": lambda name: name == "reader/domain/articles/markdown.py",
    "feedparser": is_feeds,
}


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_one_owner_per_outside_library(library: str) -> None:
    importers = sorted(name for name, roots in sources().items() if library in roots)
    strangers = [name for name in importers if not OWNERS[library](name)]
    assert strangers == [], f"{library} is imported outside its owner module"


def test_the_owners_really_import_their_libraries() -> None:
    found = sources()
    assert "tinydb" in found["reader/domain/store/store.py"]
    assert "markdown_it" in found["reader/domain/articles/markdown.py"]
    assert "feedparser" in found["reader/domain/feeds/parsing.py"]


def test_domain_and_session_sources_never_name_the_ui() -> None:
    offenders = sorted(
        name
        for name, roots in sources().items()
        if name.startswith(("reader/domain/", "reader/session/")) and roots & {"textual", "rich"}
    )
    assert offenders == []
    for path in [*(PACKAGE / "domain").rglob("*.py"), *(PACKAGE / "session").rglob("*.py")]:
        assert "reader.ui" not in path.read_text(encoding="utf-8"), path
