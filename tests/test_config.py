"""config.toml's ``measure``: the longest line of an article, a whole number of columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import DEFAULT_MEASURE, ConfigError, load_settings


def settings_from(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def test_measure_defaults_and_is_read(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml").measure == DEFAULT_MEASURE
    assert settings_from(tmp_path, "measure = 72\n").measure == 72


@pytest.mark.parametrize("value", ['"wide"', "0", "29", "72.5", "true", "100000"])
def test_a_measure_that_is_no_width_is_one_sentence(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="'measure' must be a whole number of columns from 30 to 1000"):
        settings_from(tmp_path, f"measure = {value}\n")
