"""The browser on a dataset kept in the store (`briefing.stored`): the list pages events from
SQLite, `G` reaches the oldest, the filter counts and lists what the in-memory dataset would,
the highlight stays on its event, an event and an actor open, and the palette finds an event
by title, without the events ever being loaded whole (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import stored
from briefing.devtools import synth
from briefing.filters import parse
from briefing.stored import load
from briefing.tui.app import make_app
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.filter_bar import DEBOUNCE
from briefing.view import StoredEvents
from tui_helpers import aio, load as load_memory, screen_text, type_text


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(stored, "VIEW_MIN", 100)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    base = tmp_path / "data"
    synth.write_acled(synth.World(1500, seed=5, actors=30), base / "acled.csv", "iso")
    return base


async def _settle(app, pilot) -> None:
    await pilot.pause(DEBOUNCE + 0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


@aio
async def test_the_list_filter_and_screens_on_a_stored_dataset(root: Path, monkeypatch) -> None:
    ds = load(str(root))
    assert isinstance(ds.events, StoredEvents)
    ref = load_memory(root)
    read: list[int] = []
    fetch = StoredEvents._fetch

    def counting(self, sql, arg):
        read.append(1)
        return fetch(self, sql, arg)

    monkeypatch.setattr(StoredEvents, "_fetch", counting)
    app = make_app(ds, theme="mono")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        assert lst.current == ref.events[0]
        await pilot.press("G")
        await pilot.pause()
        assert lst.current == ref.events[-1]
        assert ref.events[-1].id[-6:] in screen_text(app) or ref.events[-1].date in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        country = ref.events[40].country
        await pilot.press("slash")
        await type_text(pilot, f"country:{country.split()[0].lower()}")
        await _settle(app, pilot)
        want = parse(f"country:{country.split()[0].lower()}").apply(ref)
        assert len(lst.events) == len(want) and lst.events[0] == want[0] and lst.events[-1] == want[-1]
        assert f"{len(want)}" in screen_text(app).splitlines()[0]
        await pilot.press("enter")  # close the filter, keep it
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert lst.current == want[-1]
        await pilot.press("enter")  # the event opens
        await pilot.pause()
        assert want[-1].title[:20] in screen_text(app).replace("\n", " ") or want[-1].id in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")  # the actors, with their event counts from the store
        await pilot.pause()
        text = screen_text(app)
        top = ref.actors[0]
        assert top.name[:15] in text
    # a screenful at a time: never anywhere near every event read back
    assert 0 < len(read) < 40, len(read)


@aio
async def test_the_palette_finds_a_stored_event_by_title(root: Path) -> None:
    ds = load(str(root))
    ref = load_memory(root)
    target = ref.events[len(ref.events) // 2]
    app = make_app(ds, theme="mono")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, target.id)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert target.title[:20] in screen_text(app).replace("\n", " ")


@aio
async def test_x_opens_the_export_dialog_without_reading_every_event_shown(
    root: Path, tmp_path: Path, monkeypatch
) -> None:
    """QA s9: `x` read every event shown out of the store on the UI thread before the dialog
    was drawn (6 s frozen at 50k events, minutes at a million); the export's worker reads them,
    a chunk at a time, as `briefing export` does."""
    from textual.widgets import Input

    from briefing.tui.screens.export_dialog import ExportDialog

    ds = load(str(root))
    assert isinstance(ds.events, StoredEvents)
    whole: list[int] = []
    read = StoredEvents.read

    def counting(self, positions):
        whole.append(len(positions))
        return read(self, positions)

    monkeypatch.setattr(StoredEvents, "read", counting)
    target = tmp_path / "out.jsonl"
    app = make_app(ds, theme="mono", query="-country:Mali")
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        shown = len(app.screen.query_one(EventList).events)
        assert 0 < shown < len(ds.events)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert whole == []  # nothing read but what the list had drawn
        await pilot.press("j", "enter")  # JSONL
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert sum(whole) == shown
    assert len(target.read_text(encoding="utf-8").splitlines()) == shown


@aio
async def test_an_actor_s_activity_on_a_stored_dataset_is_counted_on_a_thread(root: Path) -> None:
    """The actor screen's Activity over the store's index (on a worker: seconds at 1M) says
    what the same analysis says of the events in memory: the events, a line per role with its
    events and killed, the countries."""
    from briefing.analysis import activity
    from briefing.tui.screens.actor import ActorScreen

    ds = load(str(root))
    ref = load_memory(root)

    def in_roles(actor_id: str) -> int:  # the events it holds a role in (ACLED's coder gives figures only)
        return sum(1 for _e, roles in ref.events_of_actor(actor_id) if set(roles) - {"figures"})

    busiest = max(ref.actors, key=lambda a: in_roles(a.id))
    want = activity(ref, busiest.id)
    assert want is not None and len(want.roles) >= 2
    got = activity(ds, busiest.id)
    assert got is not None
    assert (got.trends.count, got.roles, got.countries) == (want.trends.count, want.roles, want.countries)
    app = make_app(ds, theme="mono")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        app.open_record("actor", busiest.id)
        await pilot.pause()
        assert isinstance(app.screen, ActorScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert f"{want.trends.count:,} events, {want.trends.period.label()}" in shown
        for r in want.roles:
            line = f"{r.key[1]}"
            assert any(
                line in row and f"{r.events:,} event" in row and (r.deaths.span in row or not r.deaths.with_figure)
                for row in shown.splitlines()
            ), (r, shown)
        top = want.countries[0]
        assert f"{top.label} {top.events:,}" in shown


@aio
async def test_acled_s_own_activity_says_it_gave_figures_and_holds_no_role(root: Path) -> None:
    """QA s12: ACLED's coder (a figure in every event, a role in none) showed its events and a
    note about overlapping roles it does not have."""
    from briefing.acled import CODER_ID

    ds = load(str(root))
    app = make_app(ds, theme="mono")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.open_record("actor", CODER_ID)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert f"{len(ds.events):,} events" in text and "(no role in these events: it gave figures in them)" in text
