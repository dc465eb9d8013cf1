"""Themes as TOML data files, turned into Textual ``Theme`` objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.theme import Theme

THEME_VARIABLE_DEFAULTS = {
    "passage-cursor": "#3b4261",
    "sentence-cursor": "#1f5f5b",
    "highlight": "#6b5a1e",
    "note-marker": "#e0af68",
    "passage-yellow": "#5c4a1e",
    "passage-green": "#2e4a2c",
    "passage-blue": "#253a5e",
    "passage-red": "#5a2a33",
    "passage-purple": "#45305e",
}
"""Our own CSS variables, for themes (such as Textual's built-in ones) that do not set them."""

_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success", "foreground", "background", "surface", "panel", "boost")


@dataclass(frozen=True)
class ThemeProblem:
    """A theme file that could not be used, and why (shown as a notification)."""

    path: Path
    reason: str


def neutral_dim(background: str) -> str:
    """The colour a modal dims the screen below with: a grey as light as the theme's background.

    A grey mixed into a colour keeps its hue; the background itself (a bluish slate, a warm
    paper) turned amber highlights brown and a pale blue cursor grey under every dialog.
    """
    from textual.color import Color

    level = round(Color.parse(background).brightness * 255)
    return Color(level, level, level).hex


def theme_from_toml(path: Path) -> Theme:
    """One theme file as a ``Theme``; raises ``ValueError`` with a reason for a bad file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(str(error)) from error
    name = raw.get("name") or path.stem
    if not isinstance(name, str) or not isinstance(raw.get("primary"), str):
        raise ValueError("a theme needs a 'name' and a 'primary' colour")
    variables = raw.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise ValueError("[variables] must map names to colour strings")
    from textual.color import Color, ColorParseError

    colours = {key: raw[key] for key in _COLOURS if isinstance(raw.get(key), str)}
    try:
        for value in list(colours.values()) + list(variables.values()):
            Color.parse(value)
    except ColorParseError as error:
        raise ValueError(f"bad colour: {error}") from error
    return Theme(name=name, dark=bool(raw.get("dark", True)), variables={**THEME_VARIABLE_DEFAULTS, **variables}, **colours)


def load_themes(folders: list[Path]) -> tuple[list[Theme], list[ThemeProblem]]:
    """Every ``*.toml`` theme in the folders, in order; bad files are reported, not raised."""
    themes: list[Theme] = []
    problems: list[ThemeProblem] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(theme_from_toml(path))
            except ValueError as error:
                problems.append(ThemeProblem(path, str(error)))
    return themes, problems
