"""The virtual event list at 25k synthetic events (above `analysis.INDEX_MIN`: the index's
paths; the suite stays within 50k rows, and 100k took minutes): the right rows after
scroll, filter and resize."""

from __future__ import annotations

import asyncio
import gc

import pytest

from briefing.devtools import synth
from briefing.display import one_line
from briefing.filters import parse

N = 25_000
KEYS = {" ": "space", ":": "colon", "-": "minus", ",": "comma"}


@pytest.fixture(scope="module")
def big():
    gc.disable()
    try:
        ds = synth.dataset(N, seed=11)
    finally:
        gc.enable()
    assert len(ds.events) == N
    return ds


def list_rows(app):
    """(index of the first row shown, the list's row lines as on screen) for the event list."""
    from briefing.tui.widgets.event_list import EventList

    lst = app.screen.query_one(EventList)
    strips = app.screen._compositor.render_strips()
    lines = ["".join(seg.text for seg in strip) for strip in strips]
    region = lst.content_region
    body = lst.scrollable_content_region.height - 1
    rows = [lines[region.y + 1 + k][region.x : region.x + region.width] for k in range(body)]
    return lst, round(lst.scroll_y), rows


def assert_rows_are(rows, events, first: int) -> None:
    """Each row shows its event's date, and its title as far as the column goes."""
    shown = 0
    for k, row in enumerate(rows):
        i = first + k
        if i >= len(events):
            assert row.strip() == "", (k, row)
            continue
        e = events[i]
        assert row[1:11].rstrip() == e.date[:10], (k, i, row, e.date)
        title = one_line(e.title)
        assert title[:12] in row or (title[:8] in row and "…" in row), (k, i, row, title)
        shown += 1
    assert shown > 0


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(KEYS.get(ch, ch))


async def settle(app, pilot) -> None:
    """Until the filter's worker has answered, however loaded the machine (a fixed sleep
    was too short for a 100k filter on a busy CI host)."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def run(coro):
    return asyncio.run(coro)


def test_scroll_filter_and_resize_show_the_right_rows(big) -> None:
    from briefing.tui.app import make_app

    async def go():
        app = make_app(big, theme="mono")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            lst, top, rows = list_rows(app)
            assert (top, lst.cursor) == (0, 0)
            assert_rows_are(rows, big.events, 0)
            assert f"{N:,}" in "".join(seg.text for seg in app.screen._compositor.render_strips()[0])

            # scroll: page down three times, then a few rows, then to the very end
            for _ in range(3):
                await pilot.press("pagedown")
            for _ in range(5):
                await pilot.press("j")
            await pilot.pause()
            lst, top, rows = list_rows(app)
            assert lst.current is big.events[lst.cursor]
            assert top <= lst.cursor < top + len(rows) and top > 0
            assert_rows_are(rows, big.events, top)
            await pilot.press("G")
            await pilot.pause()
            lst, top, rows = list_rows(app)
            assert lst.cursor == N - 1 and lst.current is big.events[-1]
            assert_rows_are(rows, big.events, top)
            assert top + len(rows) >= N  # the last event is on screen

            # filter: the list becomes exactly the query's result, cursor back in range
            query = "country:Iraq ninewa"
            await pilot.press("slash")
            await type_text(pilot, query)
            await pilot.press("enter")
            await settle(app, pilot)
            expected = parse(query).apply(big)
            lst, top, rows = list_rows(app)
            assert 0 < len(expected) < N
            assert list(lst.events) == expected
            assert 0 <= lst.cursor < len(expected)
            assert_rows_are(rows, expected, top)
            await pilot.press("g")
            await pilot.pause()
            lst, top, rows = list_rows(app)
            assert top == 0 and lst.cursor == 0
            assert_rows_are(rows, expected, 0)

            # resize: taller and wider (the detail pane opens beside the list), then back
            for _ in range(4):
                await pilot.press("j")
            await pilot.resize_terminal(140, 50)
            await pilot.pause()
            lst, top, rows = list_rows(app)
            assert lst.current is expected[4]
            assert top <= 4 < top + len(rows) and len(rows) > 30
            assert_rows_are(rows, expected, top)
            await pilot.resize_terminal(60, 12)
            await pilot.pause()
            lst, top, rows = list_rows(app)
            assert lst.current is expected[4] and top <= 4 < top + len(rows)
            assert_rows_are(rows, expected, top)

            # clear the filter: all of them again, the highlighted event kept
            await pilot.press("slash", "ctrl+u", "enter")
            await settle(app, pilot)
            lst, top, rows = list_rows(app)
            assert len(lst.events) == N and lst.current is expected[4]
            assert big.events[lst.cursor] is expected[4]
            assert_rows_are(rows, big.events, top)

    run(go())


def test_incremental_filter_equals_full_pass_at_scale(big) -> None:
    """Each keystroke of a query, asked of the TUI's SQLite index, gives what the plain
    per-event matcher gives over all of them (each text once)."""
    from briefing.tui.app import make_app
    from briefing.tui.screens.main import MainScreen

    async def go():
        app = make_app(big, theme="mono")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            main: MainScreen = app.screen
            for typed in ("kunduz clash", "iraq disputed", "country:Iraq ninewa -attack"):
                texts = [typed[: i + 1] for i in range(len(typed))]
                for text in dict.fromkeys(texts + texts[-2::-1]):
                    if not main.apply_filter(text):
                        continue
                    match = parse(text).matcher(big)
                    assert list(main.event_list.events) == [e for e in big.events if match(e)], text

    run(go())
