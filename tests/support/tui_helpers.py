"""Helpers shared by the TUI tests (a plain module in tests/support/, which pytest puts on sys.path)."""

from __future__ import annotations

from pathlib import Path

from briefing.loader import load_dataset

REPO = Path(__file__).resolve().parents[2]  # tests/support/ -> the repository
BUNDLED = REPO / "data"
FIXTURE = REPO / "tests" / "tui" / "fixture_data"
BORDER_POST = "2019-11-06-border-post"
BORDER_POST_FILTER = "since:2019-11-06 until:2019-11-06 type:battles"


def load(path: Path):
    """Load straight from the files (no cache), so a test sees exactly what is on disk."""
    import os

    old = os.environ.get("BRIEFING_NO_CACHE")
    os.environ["BRIEFING_NO_CACHE"] = "1"
    try:
        return load_dataset(path)
    finally:
        if old is None:
            del os.environ["BRIEFING_NO_CACHE"]
        else:
            os.environ["BRIEFING_NO_CACHE"] = old


def screen_text(app) -> str:
    """What the terminal would show, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(_KEY_NAMES.get(ch, ch))


_KEY_NAMES = {
    " ": "space",
    ":": "colon",
    "/": "slash",
    "-": "minus",
    '"': "quotation_mark",
    ",": "comma",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "@": "at",
    "=": "equals_sign",
    ".": "full_stop",
    "?": "question_mark",
    "'": "apostrophe",
}


def aio(fn):
    """Run an async test with asyncio.run (the project has no pytest async plugin)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def settle(app, pilot) -> None:
    """Until the screen's workers (a filter, an order) have answered, however loaded the
    machine: a fixed pause was too short for them on a busy CI host."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def tab_to_table(pilot, table, by: str) -> None:
    """Tab the Trends screen's table round to the one by `by` (country, admin1, actor, type,
    source), as a user does; five tabs go round once."""
    for _ in range(5):
        if table.by == by:
            return
        await pilot.press("tab")
        await pilot.pause()
    assert table.by == by, (table.by, by)
