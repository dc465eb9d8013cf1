"""What the app says about its notes file (issue 10): damage found on opening reaches the screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from reader.domain.annotations.model import Annotation
from reader.domain.store.storage import journal_path
from reader.domain.store.store import Store
from reader.ui.screens.annotations import AnnotationsScreen

from .test_passages import wait_for_screen


def squeezed(text: str) -> str:
    """``text`` without any whitespace (a toast wraps its lines where it likes)."""
    return "".join(text.split())


async def test_a_damaged_journal_is_on_screen_and_the_later_notes_are_kept(launch, data_dir: Path) -> None:
    path = data_dir / "reader.json"
    with Store.open(path) as store:
        for n in range(11):
            store.add(Annotation(id=f"n{n:02d}", article="a1", title=f"Story {n}", note=f"note {n}",
                                 created=f"2026-01-01T00:00:{n:02d}Z"))
    data = journal_path(path).read_bytes()
    lines = data.splitlines(keepends=True)
    middle = sum(map(len, lines[:5])) + len(lines[5]) // 2
    journal_path(path).write_bytes(data[:middle] + b"####" + data[middle + 4 :])

    async with launch() as run:
        (notice,) = [n for n in run.notices if "damaged" in n.message]
        assert notice.severity == "error" and "doctor --acknowledge" in notice.message
        copy = next(data_dir.glob("reader.json.journal.corrupt-*"))
        assert str(copy) in notice.message
        toasts = run.app.screen.query("Toast")
        shown = [squeezed("".join(t.render_line(y).text for y in range(t.size.height))) for t in toasts]
        assert any(squeezed(notice.message) in text for text in shown), shown

        await run.pilot.press("a")
        screen = await wait_for_screen(run, AnnotationsScreen)
        await run.pilot.pause()
        options = screen.query_one("#annotations-list", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert options.option_count == 10
        assert any("Story 10" in p for p in prompts) and not any("Story 5" in p for p in prompts)
