"""Every key has a test: the table of keys (from the bindings and from README.md) and their tests,
and the checks that keep it whole."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from functools import lru_cache
from pathlib import Path

from textual.binding import Binding

import reader.ui

README = Path(__file__).resolve().parents[2] / "README.md"

DIALOGS = {"HelpScreen", "ConfirmScreen", "PromptScreen", "NoteEditor", "AnnotationsScreen"}
"""Screens whose keys work on that screen only, and are shown there: the help lists the rest."""


@lru_cache(maxsize=1)
def ui_bindings() -> tuple[tuple[str, Binding], ...]:
    """(class name, binding) for every binding declared by a class of ``reader.ui``."""
    found: list[tuple[str, Binding]] = []
    modules = [reader.ui.__name__] + [m.name for m in pkgutil.walk_packages(reader.ui.__path__, "reader.ui.")]
    for name in sorted(modules):
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or "BINDINGS" not in vars(cls):
                continue
            for item in vars(cls)["BINDINGS"]:
                binding = item if isinstance(item, Binding) else Binding(*item)
                found.append((cls.__name__, binding))
    return tuple(found)


def help_bindings() -> list[Binding]:
    """The bindings the help screen must list: all but the dialogs' own."""
    return [binding for owner, binding in ui_bindings() if owner not in DIALOGS]
