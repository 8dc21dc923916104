"""The event list costs the same at 30 rows and at 20k: only the rows on screen are drawn."""

from __future__ import annotations

import time

from briefing.dataset import Dataset
from briefing.records import Actor, ActorRole, Event, Figure, Source
from briefing.tui.app import make_app
from briefing.tui.widgets.event_list import EventList
from tui_helpers import aio, screen_text, type_text


def synthetic(n: int) -> Dataset:
    sources = [Source("wire", "Wire", "wire", "B"), Source("claim", "Claim channel", "militant-claim", "E")]
    actors = [Actor("gov", "Government", "government"), Actor("grp", "The Group", "armed-group", aliases=("TG",))]
    events = []
    for i in range(n):
        figs: tuple[Figure, ...] = ()
        if i % 3 == 0:
            figs = (
                Figure("killed", "total", "gov", "wire", value=i % 40),
                Figure("killed", "total", "grp", "claim", value=i % 40 + (i % 2), qualifier="at-least"),
            )
        events.append(
            Event(
                id=f"ev-{i:06d}",
                title=f"Event number {i} in a long synthetic run",
                date=f"{1990 + i % 30}-{1 + i % 12:02d}",
                country=("Tajikistan", "Afghanistan", "Uzbekistan")[i % 3],
                type="battles",
                actors=(ActorRole("grp", "perpetrator"),),
                figures=figs,
                sources=("wire",),
            )
        )
    return Dataset(sources, actors, events)


async def _first_frame(ds: Dataset) -> tuple[float, int, str]:
    calls = 0
    original = EventList.row_segments

    def counting(self, index, width):
        nonlocal calls
        calls += 1
        return original(self, index, width)

    EventList.row_segments = counting
    try:
        app = make_app(ds, theme="mono")
        t0 = time.perf_counter()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            elapsed = time.perf_counter() - t0
            first = calls
            await pilot.press("G")
            await pilot.pause()
            text = screen_text(app)
            assert app.screen.query_one(EventList).cursor == len(ds.events) - 1
            assert calls - first <= 2 * 24  # jumping to the end draws one screen, not the rows between
            return elapsed, first, text
    finally:
        EventList.row_segments = original


@aio
async def test_first_frame_draws_only_visible_rows_at_any_size() -> None:
    _small_t, small_rows, _ = await _first_frame(synthetic(30))
    big = synthetic(20_000)
    _big_t, big_rows, text = await _first_frame(big)
    assert big_rows <= 3 * 24, (small_rows, big_rows)  # a few redraws of one screen, never 20k rows
    assert big.events[-1].title[:20] in text
    # How long it takes is bench_scale.py's business (a timed assertion here failed under load).


@aio
async def test_filtering_50k_events_stays_interactive() -> None:
    """Typed at once after start, while the filter's index of 50k events is still being built:
    the input echoes every key (the query waits in a worker, not the UI thread), then the list
    shows the matches."""
    ds = synthetic(50_000)
    app = make_app(ds, theme="mono")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("slash")
        await type_text(pilot, "country:Tajikistan disputed")
        await pilot.pause()
        assert main.filter_bar.input.value == "country:Tajikistan disputed"
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        lst = main.query_one(EventList)
        assert 0 < lst.row_count() < 50_000
        assert main.query_text == "country:Tajikistan disputed"
        assert all(e.country == "Tajikistan" for e in lst.events[:50])
        assert "→" in screen_text(app)
