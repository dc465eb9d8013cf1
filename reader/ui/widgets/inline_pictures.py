"""Pictures inline, through textual-image (an optional extra: ``pip install 'reader-tui[images]'``).

textual-image asks the terminal what it can draw when ``textual_image.renderable`` is first
imported, which only works before the app takes over the terminal: ``detect`` is called once, in
``run_app``, and its answer handed to the app. Only kitty graphics and sixel count as support;
textual-image's fallbacks (half cells, unicode) are not pictures worth the room.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.widget import Widget

log = logging.getLogger(__name__)

LARGEST = (1600, 1600)
"""Pictures are shrunk to this many pixels a side at most before they are drawn."""

MISSING = ("inline_images is on, but the textual-image package is not installed: "
           "install reader-tui[images] to see pictures (they stay ▣ until then).")
UNSUPPORTED = ("inline_images is on, but this terminal shows neither kitty graphics nor sixel: "
               "pictures stay ▣ (open them from the link list, l).")


@dataclass(frozen=True)
class PictureSupport:
    """How this terminal shows a picture: a widget factory, or ``None`` and why not."""

    widget: Callable[[Any], Widget] | None = None
    notice: str | None = None
    """What to tell the user once when they asked for pictures and get none."""


OFF = PictureSupport()
"""Pictures are off (the default): nothing shown, nothing said."""


def support_of(app: object) -> PictureSupport:
    """The picture support the app was started with (``OFF`` for an app that has none)."""
    support = getattr(app, "pictures", OFF)
    return support if isinstance(support, PictureSupport) else OFF


def detect() -> PictureSupport:
    """Ask textual-image whether this terminal draws kitty graphics or sixel (before the app runs)."""
    try:
        from textual_image import renderable, widget
    except ImportError:
        return PictureSupport(notice=MISSING)
    except Exception as error:  # a terminal that answered oddly (textual-image's TerminalError): no pictures
        log.debug("textual-image could not query the terminal", exc_info=error)
        return PictureSupport(notice=UNSUPPORTED)
    if renderable.Image in (renderable.TGPImage, renderable.SixelImage):
        return PictureSupport(widget=widget.Image)
    return PictureSupport(notice=UNSUPPORTED)


def load_picture(path: Path) -> Any | None:
    """A picture file decoded in full (run it in a thread) and shrunk to at most
    ``LARGEST`` pixels a side, or ``None`` when it cannot be read or is not a whole picture: a
    truncated file found only while drawing would stop the app."""
    from PIL import Image as PILImage  # textual-image's own dependency: there whenever it is

    try:
        with PILImage.open(io.BytesIO(path.read_bytes())) as opened:
            opened.load()
            picture = opened.copy()
        picture.thumbnail(LARGEST)
        return picture
    except Exception as error:  # OSError (unreadable, truncated), Pillow's UnidentifiedImageError, bombs
        log.debug("picture not shown: %s", path, exc_info=error)
        return None


def picture_widget(support: PictureSupport, picture: Any) -> Widget | None:
    """The widget that draws a loaded picture, or ``None`` without support."""
    if support.widget is None:
        return None
    shown = support.widget(picture)
    shown.add_class("inline-picture")
    return shown
