"""Opening a link in the user's web browser, and saying so when there is none to open it."""

from __future__ import annotations

import asyncio
import webbrowser

from textual.app import App


async def open_in_browser(app: App[object], url: str, new_tab: bool = True) -> None:
    """Ask the system's browser for ``url`` (in a thread: starting one can take a while); when
    none can be found, say so and show the URL whole, so it can be copied."""
    try:
        opened = await asyncio.to_thread(webbrowser.open, url, 2 if new_tab else 0)
    except webbrowser.Error:
        opened = False
    if not opened:
        app.notify(f"No web browser could be found to open this link. Its address: {url}",
                   title="Link not opened", severity="warning", timeout=30)
