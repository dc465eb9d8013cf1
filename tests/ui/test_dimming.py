"""Under a modal the screen below is dimmed (issue 12): highlights and the passage cursor keep
their hue in every bundled theme, and are dimmed all the same."""

from __future__ import annotations

import colorsys

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.command import CommandPalette
from textual.renderables.background_screen import BackgroundScreen

from reader.ui.screens.help import HelpScreen

THEMES = ["reader-dark", "reader-light", "reader-contrast"]
MARKS = ["highlight", "passage-cursor", "passage-yellow", "passage-green", "passage-blue", "passage-red",
         "passage-purple"]


def hue(color: Color) -> float:
    return colorsys.rgb_to_hls(color.r / 255, color.g / 255, color.b / 255)[0] * 360


def dimmed(colour: Color, tint: Color) -> Color:
    """A cell's background as the screen under a modal shows it (Textual's own tinting)."""
    (segment,) = BackgroundScreen.process_segments([Segment("x", Style(bgcolor=colour.rich_color))], tint)
    assert segment.style is not None and segment.style.bgcolor is not None
    return Color.from_rich_color(segment.style.bgcolor)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("key", "modal"), [("question_mark", HelpScreen), ("ctrl+p", CommandPalette)])
async def test_under_a_modal_the_marks_keep_their_hue(launch, theme: str, key: str, modal: type) -> None:
    async with launch() as run:
        run.app.theme = theme
        await run.press(key)
        assert isinstance(run.app.screen, modal)
        tint = run.app.screen.styles.background
        assert tint.a > 0.3, "the screen below is dimmed"
        variables = run.app.get_css_variables()
        for name in MARKS:
            colour = Color.parse(variables[name])
            shown = dimmed(colour, tint)
            assert shown != colour, f"{name} is dimmed too"
            turned = abs(hue(shown) - hue(colour)) % 360
            # within 4°: whole RGB units move a pale colour's hue by up to 3° (it was 6° to 37°)
            assert min(turned, 360 - turned) <= 4, f"{theme}: {name} {colour.hex} becomes {shown.hex} under a modal"
