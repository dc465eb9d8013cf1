"""What the reading screen does for the daily review (``v``) and the tag view (``#``): load, show
the screen, and open what was chosen. Both are also in the command palette.

Plain functions over the screen's ``Host`` face (``host.py``).
"""

from __future__ import annotations

from textual.binding import Binding

from reader.domain.annotations.model import Annotation
from reader.ui.screens.host import Host

COMMONPLACE_BINDINGS = [
    Binding("v", "app.review", "Review", show=False, tooltip="Today's passages to look at again (the daily review)", id="commonplace.review"),
    Binding("number_sign", "app.tag_view", "Tags", show=False, tooltip="Every tagged passage and article, by tag", id="commonplace.tags"),
]
"""Keys that work anywhere on the reading screen (their actions are the app's, like the palette's)."""


async def review(host: Host) -> None:
    """Show today's passages on the review screen, or say there are none left today."""
    from reader.ui.screens.review import ReviewScreen  # a screen the first frame does not draw loads when opened

    passages = await host.session.review.today()
    if not passages:
        host.notify("Nothing to review today: no bookmarked passage is due, or today's were shown already.", timeout=4)
        return
    host.app.push_screen(ReviewScreen(host.session.review, passages))


async def tag_view(host: Host) -> None:
    """Show every tag's passages and articles; the one chosen opens (at its passage)."""
    from reader.ui.screens.tag_view import TagView  # a screen the first frame does not draw loads when opened

    chosen = await host.app.push_screen_wait(TagView(await host.session.tag_groups()))
    if isinstance(chosen, Annotation):
        host.open_listed(chosen.article, at=chosen)
    elif chosen is not None:
        host.open_listed(chosen.id)
