"""The "What changed" screen (`w` on the event list): the sync ledger grouped by sync, newest
first, removals included (what the `changed:` filter hides), for the list's filter.

The data: two synthetic ACLED exports synced in turn (tests/test_sync.py): the first is the
baseline (6 events), the second adds BEN9 (late), BEN10 and TGO1, revises BEN2 (fatalities
3 → 7 and more) and removes BEN3.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual import events

from briefing.acled_sync import sync
from briefing.loader import load_dataset
from briefing.tui.app import make_app
from briefing.tui.screens.changes import ChangesScreen
from briefing.tui.screens.event_detail import EventDetailScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.change_list import ChangeList
from test_sync import T1, T2, base_rows, newer_rows, write_export
from tui_helpers import aio, screen_text, settle

HEADING = f"{T2}  3 added (1 late), 1 revised, 1 removed · week2.csv"
BASELINE_HEADING = f"{T1}  the baseline, 6 events · week1.csv"
BASELINE = "baseline  6 events (the first sync, of week1.csv: nothing earlier to compare with"


def synced(tmp_path: Path, second: list[dict[str, str]] | None = None) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    sync(str(data), str(write_export(tmp_path / "week2.csv", second or newer_rows())), now=T2)
    return data


async def open_changes(app, pilot) -> ChangeList:
    await pilot.pause()
    await pilot.press("w")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, ChangesScreen), app.screen_stack
    return app.screen.query_one(ChangeList)


async def move_to(pilot, lst: ChangeList, event_id: str) -> None:
    """Down the list with `j`, as a user does, to the entry of event_id."""
    for _ in range(lst.row_count()):
        row = lst.current_row
        if row is not None and row.event_id == event_id:
            return
        await pilot.press("j")
        await pilot.pause()
    raise AssertionError(f"{event_id} not listed")


@aio
async def test_w_lists_the_ledger_by_sync_newest_first_with_the_baseline_in_one_line(tmp_path: Path) -> None:
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        lst = await open_changes(app, pilot)
        lines = screen_text(app).splitlines()
        text = "\n".join(lines)
        assert "All changes · 2 syncs, newest first" in text
        assert lines.index(f" {HEADING}".ljust(80)) < lines.index(f" {BASELINE_HEADING}".ljust(80))
        assert "   + added    acled:BEN9  2023-01-12 Benin (late addition)" in text
        assert "   + added    acled:TGO1  2023-01-05 Togo" in text
        assert "   x removed  acled:BEN3  2023-01-16 Benin" in text  # what `changed:` leaves out
        [revised] = [line for line in lines if "~ revised  acled:BEN2" in line]
        assert revised.rstrip().endswith("…"), revised  # cut at 80 columns, and says so
        [baseline] = [line for line in lines if line.startswith("   baseline  ")]
        assert BASELINE.startswith(baseline.rstrip()[3:-1]) and baseline.rstrip().endswith("…"), baseline
        # the baseline is one line, never its events row by row
        assert "acled:BEN1 " not in text and "acled:BEN5" not in text and "acled:NER1" not in text
        assert [r.kind for r in lst.rows].count("baseline") == 1
        assert all(cell_len(line) <= 80 for line in lines)
        # the revised entry, whole, as `briefing changes` prints it, folded in the pane below
        await move_to(pilot, lst, "acled:BEN2")
        said = " ".join(app.screen.query_one("#change-said").render().plain.split())
        assert said.startswith(f"{T2} revised acled:BEN2 fatalities 3 → 7 · actor2")  # the count first (QA s17)
        assert "fatalities 3 → 7" in said
        assert all(cell_len(line) <= 80 for line in screen_text(app).splitlines())
        assert "$ briefing changes" in screen_text(app)  # the status line: the command that prints it


@aio
async def test_enter_opens_the_event_a_removed_one_too_and_escape_comes_back(tmp_path: Path) -> None:
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        lst = await open_changes(app, pilot)
        await move_to(pilot, lst, "acled:BEN2")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetailScreen) and app.screen.event.id == "acled:BEN2"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lst.screen and lst.current_row is not None
        assert lst.current_row.event_id == "acled:BEN2"  # where the user was
        await move_to(pilot, lst, "acled:BEN3")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetailScreen) and app.screen.event.id == "acled:BEN3"
        assert "acled-removed" in app.screen.event.tags
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and len(app.screen_stack) == 1


@aio
async def test_the_screen_follows_the_list_s_filter_removals_included(tmp_path: Path) -> None:
    """`changed:` hides the removed BEN3 from the list (4 events shown); the screen for that
    filter lists its removal with the others, and says whose changes these are."""
    data = synced(tmp_path)
    app = make_app(load_dataset(str(data)), theme="briefing-dark", query="changed:2023-02-01")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.event_list.row_count() == 4
        lst = await open_changes(app, pilot)
        text = screen_text(app)
        assert "Changes to the 4 events shown (removed ones too) · 2 syncs, newest first" in text
        assert "x removed  acled:BEN3" in text and "~ revised  acled:BEN2" in text
        # BEN2 and BEN3 came with the baseline: said in its line, as `changes --filter` says it
        assert f"{T1}  the baseline, 2 events · week1.csv" in text
        assert {r.event_id for r in lst.rows if r.kind == "entry"} == {
            "acled:BEN9",
            "acled:BEN10",
            "acled:TGO1",
            "acled:BEN2",
            "acled:BEN3",
        }
        assert "$ briefing changes --filter changed:2023-02-01" in text
    app = make_app(load_dataset(str(data)), theme="briefing-dark", query="country:Togo")
    async with app.run_test(size=(80, 24)) as pilot:
        lst = await open_changes(app, pilot)
        text = screen_text(app)
        assert "Changes to the 1 event shown (removed ones too)" in text
        assert f"{T2}  1 added · week2.csv" in text
        assert [r.event_id for r in lst.rows if r.kind == "entry"] == ["acled:TGO1"]


@aio
async def test_without_a_ledger_the_screen_says_nothing_is_synced_and_how_to_sync(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        lst = await open_changes(app, pilot)
        assert lst.row_count() == 0
        text = " ".join(screen_text(app).split())
        assert (
            "Nothing synced: this data has no sync ledger (`briefing sync acled FILE --data DIR` starts one)." in text
        )
        await pilot.press("enter", "j", "G")  # nothing to open or move to: no crash
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


@aio
async def test_a_sync_lists_its_first_entries_and_names_the_command_for_the_rest(tmp_path: Path, monkeypatch) -> None:
    """A sync of a large export records 100k entries: each sync lists its first PER_KIND of each
    kind, the late addition first, and says how many more, with the command that lists them."""
    from briefing.tui.screens import changes

    monkeypatch.setattr(changes, "PER_KIND", 1)
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark")
    async with app.run_test(size=(160, 30)) as pilot:
        lst = await open_changes(app, pilot)
        assert [r.event_id for r in lst.rows if r.kind == "entry"] == ["acled:BEN9", "acled:BEN2", "acled:BEN3"]
        text = screen_text(app)
        assert HEADING in text  # the counts are the sync's, not the lines shown
        more = f"… 2 more added: briefing changes --since {T2} --until {T2} lists them all"
        assert more in text
        await move_to(pilot, lst, "acled:BEN2")
        await pilot.press("k")  # up: the "more" line between the added and the revised
        await pilot.pause()
        assert lst.current_row is not None and lst.current_row.kind == "more"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)  # nothing to open: the command said
        assert any(f"--since {T2} --until {T2}" in str(n.message) for n in app._notifications)


@aio
async def test_w_and_the_keys_typed_behind_it_act_on_the_changes(tmp_path: Path) -> None:
    """`w` then enter in one burst: the enter opens the first entry, not the list's event."""
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Key("w", "w"))
        app.post_message(events.Key("enter", "\r"))
        for _ in range(6):
            await pilot.pause(0.05)
        assert [type(s) for s in app.screen_stack] == [MainScreen, ChangesScreen, EventDetailScreen]
        assert app.screen.event.id == "acled:BEN9"


@aio
async def test_the_key_bar_offers_w_at_80_columns_when_the_data_has_a_ledger(tmp_path: Path, bundled_ds) -> None:
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for label in ("w changes", "t trends", "x export", "? help", "q quit"):
            assert label in footer, (label, footer)
    app = make_app(bundled_ds, theme="briefing-dark")  # nothing synced: w gives way (the help lists it)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "w changes" not in screen_text(app).splitlines()[-1]


@aio
async def test_an_invalid_filter_refuses_the_screen_as_trends_does(tmp_path: Path) -> None:
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark", query="since:2023-13")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert any("no changes" in str(n.message) for n in app._notifications)


@aio
async def test_a_large_ledger_is_read_on_a_thread_and_listed_the_same(tmp_path: Path, monkeypatch) -> None:
    from briefing.tui.screens import changes

    monkeypatch.setattr(changes, "SYNC_BYTES", 0)  # every ledger is "large"
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, ChangesScreen)
        text = screen_text(app)
        assert HEADING in text and "x removed  acled:BEN3" in text and BASELINE_HEADING in text
        lst = app.screen.query_one(ChangeList)
        assert lst.current_row is not None and lst.current_row.event_id == "acled:BEN9"


@aio
async def test_a_sync_s_heading_keeps_its_counts_on_a_narrow_screen(tmp_path: Path) -> None:
    """QA s16 last pass #6: at 60 columns a heading cut its last count (`2 remo…`).  Where the
    words do not fit, the counts are said with the list's own marks (`+3 (1 late) ~1 x1`), the
    export's name last, where the cut falls."""
    app = make_app(load_dataset(str(synced(tmp_path))), theme="briefing-dark")
    async with app.run_test(size=(48, 20)) as pilot:
        await open_changes(app, pilot)
        text = screen_text(app)
        heading = next(line for line in text.splitlines() if line.strip().startswith(T2))
        assert "+3 (1 late) ~1 x1" in heading, heading


@aio
async def test_back_at_the_first_entry_its_sync_heading_is_in_view(tmp_path: Path) -> None:
    # What a user saw (QA s17): `w`, `G`, then `g` (or j x25 then k x25): the cursor on the
    # first entry, the newest sync's heading (its time, export file and counts) scrolled off.
    from test_sync import row, stamp

    more = [row(f"BEN{100 + i}", "2023-02-02", "1", timestamp=stamp("2023-02-06")) for i in range(40)]
    data = synced(tmp_path, [*newer_rows(), *more])
    app = make_app(load_dataset(str(data)), theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        lst = await open_changes(app, pilot)
        heading = f"{T2}  43 added"
        assert heading in screen_text(app)
        for keys in (("G", "g"), ("G", *["k"] * 60)):
            await pilot.press(*keys)
            await pilot.pause()
            assert lst.current_row is not None and lst.cursor == lst._stop(0, 1)
            assert heading in screen_text(app), (keys, screen_text(app)[:400])
