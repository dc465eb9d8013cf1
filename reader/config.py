"""Where reader keeps things: data dir, config file, bundled seeds and themes."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "reader"
PACKAGE_DIR = Path(__file__).resolve().parent


class ConfigError(Exception):
    """A config file that cannot be used; the message is one sentence for the user."""


def bundled_dir(name: str) -> Path:
    """The bundled ``seeds`` or ``themes`` folder, from an installed wheel or from a checkout."""
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


@dataclass(frozen=True)
class Paths:
    """Every location reader reads or writes, resolved once at start."""

    data_dir: Path
    config_file: Path
    config_dir: Path

    @property
    def store_file(self) -> Path:
        """The TinyDB file with annotations, reading state and settings."""
        return self.data_dir / "reader.json"

    @property
    def articles_dir(self) -> Path:
        """The user's own library folder, scanned recursively."""
        return self.data_dir / "articles"

    @property
    def credentials_file(self) -> Path:
        """The secrets of server accounts (mode 0600), apart from the store."""
        return self.data_dir / "credentials.json"

    @property
    def machine_id_file(self) -> Path:
        """This machine's id in a sync folder (machine-local, never synced)."""
        return self.data_dir / "machine-id"

    @property
    def cache_dir(self) -> Path:
        """Rebuildable caches (the metadata index); safe to delete."""
        return self.data_dir / "cache"

    @property
    def screenshots_dir(self) -> Path:
        """Where the palette's *Screenshot* saves its SVG files (made when first needed)."""
        return self.data_dir / "screenshots"

    @property
    def user_themes_dir(self) -> Path:
        """Where a user drops extra TOML themes."""
        return self.config_dir / "themes"


def resolve_paths(data_dir: str | None = None, config_file: str | None = None) -> Paths:
    """Paths from the command line, then the environment, then platform defaults."""
    data = data_dir or os.environ.get("READER_DATA_DIR")
    config = config_file or os.environ.get("READER_CONFIG")
    data_path = Path(data).expanduser() if data else Path(platformdirs.user_data_dir(APP_NAME))
    if config:
        config_path = Path(config).expanduser()
        config_dir = config_path.parent
    elif data:
        config_dir = data_path
        config_path = data_path / "config.toml"
    else:
        config_dir = Path(platformdirs.user_config_dir(APP_NAME))
        config_path = config_dir / "config.toml"
    return Paths(data_dir=data_path.absolute(), config_file=config_path.absolute(), config_dir=config_dir.absolute())


DEFAULT_MEASURE = 80
MEASURES = range(30, 1001)
"""The measures config.toml may set."""


@dataclass(frozen=True)
class Settings:
    """What a user may set in config.toml."""

    theme: str | None = None
    include_seeds: bool = True
    library: tuple[Path, ...] = field(default_factory=tuple)
    sync_dir: Path | None = None
    """The folder a sync engine replicates (``READER_SYNC_DIR`` or ``sync_dir``); None: no sync."""
    measure: int = DEFAULT_MEASURE
    """The longest line of an article's text, in columns (``measure``); a wide screen centres it."""
    inline_images: bool = False
    """Show local pictures inline where the terminal can (kitty graphics or sixel); off by default."""


def load_settings(path: Path) -> Settings:
    """Read config.toml; a missing file gives the defaults, a broken one a ConfigError."""
    env_sync = os.environ.get("READER_SYNC_DIR")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raw = {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read config file {path}: {error}") from error
    theme = raw.get("theme")
    folders = raw.get("library", [])
    if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
        raise ConfigError(f"{path}: 'library' must be a list of folder paths")
    sync_dir = env_sync or raw.get("sync_dir")
    if sync_dir is not None and (not isinstance(sync_dir, str) or not sync_dir.strip()):
        raise ConfigError(f"{path}: 'sync_dir' must be the path of a folder")
    measure = raw.get("measure", DEFAULT_MEASURE)
    if isinstance(measure, bool) or not isinstance(measure, int) or measure not in MEASURES:
        raise ConfigError(f"{path}: 'measure' must be a whole number of columns from {MEASURES[0]} to {MEASURES[-1]}")
    inline_images = raw.get("inline_images", False)
    if not isinstance(inline_images, bool):
        raise ConfigError(f"{path}: 'inline_images' must be true or false")
    return Settings(
        measure=measure,
        inline_images=inline_images,
        sync_dir=Path(sync_dir).expanduser().absolute() if sync_dir else None,
        theme=theme if isinstance(theme, str) else None,
        include_seeds=bool(raw.get("include_seeds", True)),
        library=tuple(Path(f).expanduser() for f in folders),
    )
