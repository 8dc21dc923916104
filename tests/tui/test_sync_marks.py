"""The TUI after `briefing sync acled`: changed events marked in the list, the field diff in
the event detail, removed events only behind the `removed` filter."""

from __future__ import annotations

import re
from pathlib import Path

from briefing.acled_sync import sync
from briefing.loader import load_dataset
from briefing.tui.app import make_app
from briefing.tui.screens.event_detail import EventDetailScreen
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.reading_pane import ReadingPane
from test_sync import T1, T2, base_rows, newer_rows, write_export
from tui_helpers import aio, screen_text


def synced(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    sync(str(data), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    return load_dataset(str(data))


def row_of(app, lst: EventList, event_id: str) -> str:
    i = [e.id for e in lst.events].index(event_id)
    return "".join(s.text for s in lst.row_segments(i, 100))


@aio
async def test_changed_events_marked_and_diff_in_detail(tmp_path: Path) -> None:
    ds = synced(tmp_path)
    app = make_app(ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        ids = [e.id for e in lst.events]
        assert "acled:BEN3" not in ids  # removed: hidden from the default list
        assert row_of(app, lst, "acled:BEN2").endswith("~")  # revised
        assert row_of(app, lst, "acled:BEN9").endswith("+")  # added by the second sync
        assert row_of(app, lst, "acled:BEN1").endswith(" ")  # untouched since the first sync
        assert lst.select_id("acled:BEN2")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetailScreen)
        app.screen.query_one(ReadingPane).scroll_end(animate=False, immediate=True)  # the changes close the page
        await pilot.pause()
        text = screen_text(app)
        assert "Changes (ACLED syncs)" in text
        assert "2023-02-06  revised: " in text and "fatalities 3 → 7" in text


@aio
async def test_removed_filter_shows_removed_events(tmp_path: Path) -> None:
    ds = synced(tmp_path)
    app = make_app(ds, theme="briefing-dark", query="removed")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        assert [e.id for e in lst.events] == ["acled:BEN3"]
        assert row_of(app, lst, "acled:BEN3").endswith("x")
        await pilot.press("enter")
        await pilot.pause()
        # under the title, before the figures (QA s17: "killed 6
        # ACLED" read as a live count, the status only a PageDown below, under Details)
        head = screen_text(app).split("Figures compared", 1)[0]
        assert "removed by ACLED (sync of 2023-02-06): no longer in ACLED's export, kept here to read" in head, head


@aio
async def test_a_live_event_says_no_status(tmp_path: Path) -> None:
    ds = synced(tmp_path)
    app = make_app(ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(EventList).select_id("acled:BEN2")
        await pilot.press("enter")
        await pilot.pause()
        assert "removed by ACLED" not in screen_text(app)


@aio
async def test_a_restored_event_marked_added_and_said_restored_in_detail(tmp_path: Path) -> None:
    """BEN3, removed by the second export and back in a third: `+` in the list (an addition, not
    in the baseline), and the detail says when ACLED had removed it, not "late"."""
    from test_sync import T3

    synced(tmp_path)
    data = tmp_path / "data"
    back = {r["event_id_cnty"]: r for r in base_rows()}["BEN3"]
    sync(str(data), str(write_export(tmp_path / "week3.csv", [*newer_rows(), back])), now=T3)
    app = make_app(load_dataset(str(data)), theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        assert row_of(app, lst, "acled:BEN3").endswith("+")
        assert row_of(app, lst, "acled:BEN1").endswith(" ")  # the baseline: no mark
        assert lst.select_id("acled:BEN3")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "2023-02-06  removed by ACLED" in text
        assert "2023-02-13  added: restored (removed 2023-02-06)" in text
        assert "late" not in text.split("Changes (ACLED syncs)", 1)[1]


@aio
async def test_a_sync_while_the_browser_is_open_changes_nothing_it_shows(tmp_path: Path) -> None:
    """QA (tenth session): a sync run in another shell while the browser was open mixed two
    weeks on its screen: an event's figures as loaded beside the new ledger's "fatalities
    0 → 29", and `changed:` matched 75 events that neither week's data gives (the revised ones
    with their old counts, the removed ones unmarked, the added ones missing).  The browser reads
    the ledger as it was when the data was loaded (a sync only appends to it); the header says
    that the files changed."""
    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    app = make_app(load_dataset(str(data)), theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        sync(str(data), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)  # another shell
        lst.refresh()
        await pilot.pause()
        assert row_of(app, lst, "acled:BEN2").endswith(" ")  # as loaded: not yet revised
        assert "acled:BEN3" in [e.id for e in lst.events]  # as loaded: not yet removed
        assert lst.select_id("acled:BEN2")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(ReadingPane).scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert "fatalities 3 → 7" not in screen_text(app)
        await pilot.press("escape", "slash", *"changed:2023-02-01", "enter")
        for _ in range(10):
            await pilot.pause(0.05)
        assert lst.row_count() == 0, [e.id for e in lst.events]


def test_actor_and_source_counts_leave_out_removed_events_in_memory_and_in_the_store(
    tmp_path: Path, monkeypatch
) -> None:
    # What a user saw (QA s17): after a sync that removed events, the actors list said 5 where
    # the actor's profile, its filter and `export --table actors` said 3, and the sources list
    # "ACLED 305 events" where `export --table counts --by source` said 299.
    from briefing.filters import parse
    from test_changes import view_and_memory

    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    sync(str(data), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    view, memory = view_and_memory(data, monkeypatch)
    for ds in (view, memory):
        listed = parse("").apply(ds)  # every event a list shows: the removed ones hidden
        actor = next(a for a in ds.actors if a.id.startswith("acled:military-forces-of-benin"))
        assert ds.actor_event_count(actor.id) == len(parse(f"actor:{actor.id}").apply(ds)) > 0
        assert ds.actor_event_count(actor.id) < len(ds.events_of_actor(actor.id))  # the removed one left out
        source = next(s for s in ds.sources if s.name == "Banouto")
        assert ds.source_event_count(source.id) == sum(source.id in e.sources for e in listed)
        # and the claims beside them (the regression pass: 1,980 events beside 2,010 claims)
        carried = sum(f.source == "acled:dataset" for e in listed for f in e.figures)
        assert ds.source_claim_count("acled:dataset") == carried > 0
        assert carried < len(ds.claims_carried_by("acled:dataset"))  # the removed event's left out


@aio
async def test_an_actors_timeline_marks_the_events_acled_removed(tmp_path: Path) -> None:
    ds = synced(tmp_path)
    actor = next(a for a in ds.actors if a.id.startswith("acled:military-forces-of-benin"))
    app = make_app(ds, theme="briefing-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_record("actor", actor.id)
        await pilot.pause()
        text = screen_text(app)
        assert "(removed by ACLED)" in text, text
    from brief_support import run

    brief = run("brief", "--data", str(ds.root), "--actor", actor.id, "--width", "200").stdout
    assert re.search(r"Every event of this actor \(\d+, 1 of them removed by ACLED\)", brief), brief
    assert "(removed by ACLED)" in brief


def test_the_palette_says_an_event_was_removed(tmp_path: Path) -> None:
    # What a user saw (QA s17): ctrl+p's result for a removed event read `event · 2016-03-16 ·
    # Iraq`, and the event opened as if live.
    from briefing.tui.commands import candidates

    ds = synced(tmp_path)
    found = {c.id: c.detail for c in candidates(ds) if c.kind == "event"}
    assert found["acled:BEN3"].endswith(" · removed by ACLED") and "removed" not in found["acled:BEN2"]
