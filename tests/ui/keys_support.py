"""What the key tests observe, in one place: widgets by id, the focused widget's id, visible text,
the screen on top and the store's records.

The reading screen is being rebuilt into panes; these helpers use only handles that survive it
(ids ``#filter``, ``#articles``, ``#status``, ``#article``, ``#headline``, ``#notes``; the
``-cursor`` class the theme styles; rendered text), so a change of structure is fixed here once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from textual.screen import Screen
from textual.selection import Selection
from textual.widget import Widget
from textual.widgets import Input, Static

from reader.config import bundled_dir
from reader.domain.articles.formats import parse
from reader.domain.articles.markdown import project

from .conftest import Running, settle, write_article

SEED = next(bundled_dir("seeds").glob("*.txt"))
SEED_PARSED = parse(SEED.read_text(encoding="utf-8"), "text", SEED.stem)
SEED_TITLE = SEED_PARSED.title
SEED_PROJECTION = project(SEED_PARSED.body)
SEED_BLOCKS = SEED_PROJECTION.blocks

GROUPED = [  # (file, section, title, mtime): two groups after the seed's NEWS, newest first
    ("a.txt", "SCIENCE", "Story a", 1_700_000_400),
    ("b.txt", "SCIENCE", "Story b", 1_700_000_300),
    ("c.txt", "ARTS", "Story c", 1_700_000_200),
    ("d.txt", "ARTS", "Story d", 1_700_000_100),
]


def grouped_library(data_dir: Path) -> list[str]:
    """Four short articles in two sections beside the seed; the titles in list order."""
    for name, section, title, mtime in GROUPED:
        body = "\n".join(f"Paragraph {i} of {title.lower()}." for i in range(3))
        write_article(data_dir / "articles", name, f"{section}\n{title}\n{body}\n", mtime=mtime)
    return [SEED_TITLE] + [title for _, _, title, _ in GROUPED]


def many_articles(data_dir: Path, count: int = 40) -> list[str]:
    """``count`` one-paragraph articles in one section (newest first: ``Item 00`` …)."""
    titles = []
    for i in range(count):
        title = f"Item {i:02d}"
        write_article(data_dir / "articles", f"item{i:02d}.txt", f"ITEMS\n{title}\nBody of {title}.\n",
                      mtime=1_600_000_000 - i)
        titles.append(title)
    return titles


# -- where things are ---------------------------------------------------------------------------


def reading_screen(run: Running) -> Screen:
    """The screen that holds the article list (under any modal on top of it)."""
    for screen in reversed(run.app.screen_stack):
        if screen.query("#articles"):
            return screen
    raise AssertionError("no screen holds #articles")


def widget(run: Running, selector: str) -> Widget:
    """A widget of the reading screen by id."""
    return reading_screen(run).query_one(selector)


def top(run: Running) -> str:
    """The class name of the screen on top."""
    return type(run.app.screen).__name__


def focused_id(run: Running) -> str | None:
    """The id of the focused widget (``None`` when nothing, or a widget without id, has focus)."""
    focused = run.app.focused
    return focused.id if focused is not None else None


def text_of(target: Widget) -> str:
    """The plain text a widget renders (what selecting all of it would copy)."""
    found = target.get_selection(Selection(None, None))
    return found[0] if found is not None else str(target.render())


def status(run: Running) -> str:
    """The status line under the list."""
    return str(widget(run, "#status").render())


def headline(run: Running) -> str:
    """The headline of the article shown."""
    return str(widget(run, "#headline").render())


def filter_value(run: Running) -> str:
    """What the filter box holds."""
    return reading_screen(run).query_one("#filter", Input).value


def sidebar(run: Running) -> list[str]:
    """The rendered lines of the article list, as plain text."""
    articles = widget(run, "#articles")
    return [articles.render_line(y).text for y in range(articles.size.height)]


def listed_titles(run: Running) -> list[str]:
    """The headlines the list shows now (rows after their unread mark), in order."""
    lines = sidebar(run)
    return [line[3:].rstrip() for line in lines[0::2] if line.startswith(("   ", " ● ")) and line[3:].strip()]


def list_current(run: Running) -> str | None:
    """The title under the list's cursor (``None`` on a group heading)."""
    current = widget(run, "#articles").current  # the list's public face
    return current.title if current is not None else None


def cursor_widget(run: Running) -> Widget:
    """The block the passage cursor is on (the one widget styled ``-cursor``)."""
    found = list(widget(run, "#article").query(".-cursor"))
    assert len(found) == 1, f"{len(found)} cursor blocks"
    return found[0]


def cursor_text(run: Running) -> str:
    """The text of the block under the passage cursor."""
    return text_of(cursor_widget(run))


def cursor_on_screen(run: Running) -> bool:
    """Whether the cursor block lies wholly inside the visible part of the article pane."""
    view = widget(run, "#article")
    block = cursor_widget(run)
    return view.scrollable_content_region.contains_region(block.region)


def notes_panel(run: Running) -> Widget:
    """The notes panel."""
    return widget(run, "#notes")


def panel_lines(run: Running) -> list[str]:
    """The entries of the notes panel as plain text, one string each."""
    panel = notes_panel(run)
    return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]


def toasts(run: Running) -> list[str]:
    """The text of every notification on screen now."""
    return [str(toast.render()) for screen in run.app.screen_stack for toast in screen.query("Toast")]


def help_lines(run: Running) -> str:
    """Every line of the help screen: its keys and what they do."""
    return "\n".join("  ".join(str(part.render()) for part in line.query(Static)) for line in run.app.screen.query(".help-line"))


async def wait_until(run: Running, done: Callable[[], bool], tries: int = 60, step: float = 0.05) -> bool:
    """Let the app run (workers included) until ``done()`` or ``tries`` steps have passed."""
    for _ in range(tries):
        if done():
            return True
        await run.pilot.pause(step)
    await settle(run.pilot)
    return done()


async def wait_for_top(run: Running, name: str, tries: int = 60) -> None:
    """Wait until the screen on top is of class ``name`` (pushed from a worker, say)."""
    await wait_until(run, lambda: top(run) == name, tries)
    assert top(run) == name, f"{name} not shown; on top: {top(run)}"


async def palette_prompt(run: Running, command: str) -> None:
    """Ctrl+P, type the command's name, Enter: the prompt that command asks with, focused."""
    await run.pilot.press("ctrl+p")
    await wait_for_top(run, "CommandPalette")
    await run.pilot.press(*command)
    await run.pilot.pause(0.3)  # the palette gathers its hits
    await run.pilot.press("enter")
    await wait_for_top(run, "PromptScreen")
    assert focused_id(run) == "answer"


async def open_title(run: Running, title: str) -> None:
    """Open an article from the list with Enter (the list is focused, the cursor put on it)."""
    articles = widget(run, "#articles")
    articles.focus()
    articles.select_id(next(r.meta.id for r in articles.rows if r.meta.title == title))
    await run.press("enter")
    assert headline(run) == title and focused_id(run) == "article"


def seed_text(first: int, last: int) -> str:
    """What a passage over the seed's blocks ``first..last`` quotes."""
    return SEED_PROJECTION.text[SEED_BLOCKS[first].start:SEED_BLOCKS[last].end]


async def move_to_block(run: Running, index: int) -> None:
    """Open the highlighted article and move the passage cursor down to block ``index``."""
    if focused_id(run) != "article":
        await run.press("enter")
    await run.press("g", *["j"] * index)
    assert cursor_text(run) == SEED_BLOCKS[index].text
