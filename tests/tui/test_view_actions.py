"""Issue 12 item 10: act on the view from inside the TUI — sort, export, copy."""

from __future__ import annotations

import json
from pathlib import Path

from briefing.filters import parse
from briefing.tui.app import make_app
from briefing.tui.screens.export_dialog import ExportDialog
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.filter_bar import DEBOUNCE
from tui_helpers import BORDER_POST, aio, screen_text, settle


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@aio
async def test_o_sorts_by_date_killed_country_title(bundled_ds) -> None:
    from briefing.compare import event_total

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        assert [e.id for e in lst.events] == [e.id for e in bundled_ds.events]
        await pilot.press("o")
        await settle(app, pilot)
        assert lst.sort_by == "killed"
        totals = [event_total(e.figures) for e in lst.events]
        tops = [t.high if t.high is not None else t.low for t in totals if t is not None]
        assert tops == sorted(tops, reverse=True) and tops
        assert all(t is None for t in totals[len(tops) :])  # unknown last, not zero
        await pilot.press("o")
        await settle(app, pilot)
        assert [e.country.casefold() for e in lst.events] == sorted(e.country.casefold() for e in lst.events)
        await pilot.press("o")
        await settle(app, pilot)
        assert [e.title.casefold() for e in lst.events] == sorted(e.title.casefold() for e in lst.events)
        await pilot.press("o")
        await settle(app, pilot)
        assert lst.sort_by == "date" and [e.id for e in lst.events] == [e.id for e in bundled_ds.events]
        assert any("Sorted by killed" in n for n in _notes(app))


@aio
async def test_the_column_titles_say_the_order_once_the_notice_is_gone(bundled_ds) -> None:
    """QA over SSH: after `o` the toast said the order for a few seconds; then nothing on
    screen said the list was not in date order."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        titles = lambda: screen_text(app).splitlines()[1]  # noqa: E731 - read again each time
        assert "date▼" in titles()
        for mark in ("killed▼", "country▲", "title▲", "date▼"):
            await pilot.press("o")
            await settle(app, pilot)
            assert mark in titles() and titles().count("▼") + titles().count("▲") == 1, titles()
        assert lst.sort_by == "date"
        # narrow, the country column gives way: the title says the order (qa-regress7)
        await pilot.resize_terminal(60, 24)
        await pilot.press("o", "o")
        await pilot.pause()
        assert lst.sort_by == "country" and "country" not in titles().replace("by country▲", ""), titles()
        assert "title, by country▲" in titles(), titles()


@aio
async def test_x_exports_the_filtered_view_and_never_clobbers(bundled_ds, tmp_path: Path) -> None:
    query = "country:Tajikistan"
    want = [e.id for e in parse(query).apply(bundled_ds)]
    target = tmp_path / "view.json"
    app = make_app(bundled_ds, theme="briefing-dark", query=query)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")  # json, the first format
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if target.exists() and not isinstance(app.screen, ExportDialog):
                break
        doc = json.loads(target.read_text())
        assert [e["id"] for e in doc["events"]] == want
        assert any(f"Wrote {len(want)} events as json to {target}" in n for n in _notes(app))
        # again, onto the same name: refused, the file untouched
        before = target.read_text()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # json again (a csv under a .json name is refused for that)
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert isinstance(app.screen, ExportDialog)
        assert "already exists" in str(app.screen.query_one("#export-message").render())
        assert target.read_text() == before
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)


@aio
async def test_y_copies_the_id_and_Y_the_claims_saying_it_cannot_be_confirmed(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark", query="since:2019-11-06 until:2019-11-06 type:battles")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(DEBOUNCE)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == BORDER_POST
        assert any("cannot be confirmed" in n for n in _notes(app))
        await pilot.press("Y")
        await pilot.pause()
        assert app.clipboard.startswith(BORDER_POST)
        assert "≥10" in app.clipboard and "per Islamic State" in app.clipboard
        # QA s12: the security forces' 2 and ≥10 cannot both be true: pasted, they say so
        lines = app.clipboard.splitlines()
        assert any(x.startswith("! 2 security-forces killed, per ") for x in lines), lines
        assert any(x.startswith("! ≥10 security-forces killed, per Islamic State") for x in lines), lines
        assert any(x.startswith("17 killed, per ") for x in lines), lines  # agreed: no mark; QA s13: "killed" said
        assert lines[-1] == "(! claims that cannot all be true)", lines  # the mark said once, pasted with it


@aio
async def test_y_and_Y_copy_on_the_event_detail_too(bundled_ds) -> None:
    """QA: on the event's own screen, where a user reads the claims to copy, `y` and `Y` did
    nothing, silently."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_record("event", BORDER_POST)
        await pilot.pause(0.3)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == BORDER_POST
        await pilot.press("Y")
        await pilot.pause()
        assert (
            app.clipboard.startswith(BORDER_POST)
            and "≥10" in app.clipboard
            and "killed, per Islamic State" in app.clipboard
        )


REVISED = """
[[event]]
id = "revised"
title = "Raid \\u001b[31mred\\u001b[0m \\u202eevil\\u202c"
date = "2023-01-05"
country = "Mali"
type = "battles"
sources = ["wire"]

[[event.figures]]
metric = "killed"
value = 3
claimed_by = "group"
source = "wire"
date = "2023-01-06"

[[event.figures]]
metric = "killed"
value = 7
claimed_by = "group"
source = "wire"
date = "2023-01-09"

[[event.figures]]
metric = "killed"
subject = "civilians"
value = 2
claimed_by = "ministry"
source = "wire"
date = "2023-01-07"
withdrawn = "2023-01-12"
"""


@aio
async def test_Y_marks_superseded_and_withdrawn_claims_and_copies_no_control_byte(tmp_path: Path) -> None:
    """QA s9: `Y` copied every killed claim as current: a revision (3, then 7, one claimant
    and source) read as a dispute, a withdrawn count with no mark, and the record's ESC and
    bidi bytes went to the clipboard raw (a paste into a terminal obeys them)."""
    from briefing.loader import load_dataset
    from testkit import MINIMAL_ACTORS, MINIMAL_SOURCES, write_tree

    root = write_tree(
        tmp_path / "data", {"actors.toml": MINIMAL_ACTORS, "sources.toml": MINIMAL_SOURCES, "events.toml": REVISED}
    )
    app = make_app(load_dataset(root), theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("Y")
        await pilot.pause()
        copied = app.clipboard
    lines = copied.splitlines()
    assert lines[0] == "revised: Raid \\x1b[31mred\\x1b[0m \\u202eevil\\u202c"
    assert lines[1:] == [
        "7 killed, per The Group (A wire service)",
        "3 killed, per The Group (A wire service) (superseded, 2023-01-06)",
        "2 civilians killed, per Interior Ministry (A wire service) (withdrawn, 2023-01-12)",
    ]
    assert not any(ch in copied for ch in "\x1b\u202e\u202c")
    assert any("1 current claim" in n for n in _notes(app))


@aio
async def test_o_orders_off_the_ui_thread_and_shows_the_top(bundled_ds, monkeypatch) -> None:
    """QA (tenth session): at 100k events each `o` held every key for 0.9-1.9 s (the order and
    its count asked on the UI thread), and the list then followed the highlighted event to
    wherever the order put it: under "killed▼" a screen of events with 4 killed, read as a
    broken sort.  The order is asked in a worker, and the list shows its top."""
    import threading

    from briefing.compare import event_total
    from briefing.tui.screens import main as main_module

    asked_on: list[str] = []
    real = main_module.matching

    def spy(ds, query, by):  # type: ignore[no-untyped-def]
        asked_on.append(threading.current_thread().name)
        return real(ds, query, by)

    monkeypatch.setattr(main_module, "matching", spy)
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        lst.move_to(lst.row_count() - 1)  # the last event: it has no figure, and goes last
        await pilot.pause()
        asked_on.clear()
        await pilot.press("o")
        await settle(app, pilot)
        assert lst.sort_by == "killed" and asked_on and threading.main_thread().name not in asked_on
        assert lst.cursor == 0 and lst.scroll_y == 0
        top = event_total(lst.current.figures)
        assert top is not None and (top.high or top.low) == max(
            (t.high or t.low) for t in (event_total(e.figures) for e in lst.events) if t is not None
        )
