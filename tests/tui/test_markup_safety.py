"""Record text is data: markup in a title, name or summary shows literally everywhere.

A temporary data directory holds records whose text looks like Rich/Textual markup
(`[bold]`, `[@click=app.quit]`, `[/`, `[0]`) and carries an ESC byte.  Every place such text
reaches — list row, detail, links, actor and source screens, the command palette, a
notification, the header — must show it as typed, and clicking it must run nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.tui.app import make_app
from briefing.tui.screens.actor import ActorScreen
from briefing.tui.screens.event_detail import EventDetailScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.filter_bar import DEBOUNCE
from tui_helpers import aio, load, screen_text, type_text

TITLE = "[bold]Raid[/bold] on [@click=app.quit]post[/] [0] [/"
ACTOR = "[@click=app.quit]Group[/] [red]X"
ALIAS = "[b]alias[/b]"
SOURCE = "[link=https://example.org]Src[/link] [i]"

DATA = {
    "sources.toml": """
[[source]]
id = "src"
name = '[link=https://example.org]Src[/link] [i]'
kind = "news"
reliability = "C"
reliability_note = '[blink]note[/blink]'
""",
    "actors.toml": """
[[actor]]
id = "grp"
name = '[@click=app.quit]Group[/] [red]X'
kind = "armed-group"
aliases = ['[b]alias[/b]']
summary = '[reverse]summary[/reverse]'
""",
    "events.toml": """
[[event]]
id = "evil"
title = '[bold]Raid[/bold] on [@click=app.quit]post[/] [0] [/'
date = "2020-01-02"
country = "[Tajikistan]"
type = "battles"
summary = "Before \\u001b[31mred\\u001b[0m after [red]not red[/red]"
sources = ["src"]
actors = [{ actor = "grp", role = "perpetrator" }]

[[event.figures]]
metric = "killed"
value = 3
claimed_by = "grp"
source = "src"
wording = '[bold]three[/bold]'

[[event]]
id = "plain"
title = "A plain event"
date = "2020-01-01"
country = "Tajikistan"
type = "battles"
""",
}


@pytest.fixture
def hostile_ds(tmp_path: Path):
    for name, text in DATA.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load(tmp_path)


@aio
async def test_markup_in_records_shows_literally_everywhere(hostile_ds) -> None:
    app = make_app(hostile_ds, theme="briefing-dark")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.2)
        text = screen_text(app)
        assert TITLE in text  # list row and the wide preview
        assert "[Tajikistan]" in text

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDetailScreen)
        text = screen_text(app)
        assert TITLE in text
        assert "Before \\x1b[31mred\\x1b[0m after [red]not red[/red]" in text  # ESC made visible
        assert "\x1b" not in text
        assert ACTOR in text  # actor link
        assert SOURCE in text  # source link
        # clicking the title would run app.quit if it had been parsed as markup
        await pilot.click(offset=(10, 1))
        await pilot.pause()
        assert app.is_running

        await pilot.press("tab")  # the figures table: the selected claim is spelled out, still as data
        await pilot.pause()
        assert "\x1b" not in screen_text(app) and app.is_running
        await pilot.press("tab", "enter")  # the actor
        await pilot.pause()
        assert isinstance(app.screen, ActorScreen)
        text = screen_text(app)
        assert ACTOR in text and ALIAS in text and "[reverse]summary[/reverse]" in text
        await pilot.click(offset=(10, 1))
        await pilot.pause()
        assert app.is_running

        app.open_record("source", "src")
        await pilot.pause()
        text = screen_text(app)
        assert SOURCE in text and "[blink]note[/blink]" in text
        assert TITLE in text  # the claim it carries names the event


@aio
async def test_markup_in_palette_notification_and_header(hostile_ds) -> None:
    app = make_app(hostile_ds, theme="briefing-dark")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        main: MainScreen = app.screen
        # header: the filter is user text; a filter that hides the hostile event
        await pilot.press("slash")
        await type_text(pilot, '"plain" -"[bold]"')
        await pilot.pause(DEBOUNCE + 0.1)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "filter: plain -[bold]" in text
        assert main.event_list.row_count() == 1

        # palette: the event by title, the actor by alias
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Raid")
        await pilot.pause(0.4)
        text = screen_text(app)
        assert TITLE in text
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, EventDetailScreen)
        # the notification: the event is outside the filter in force
        text = screen_text(app)
        assert f"“{TITLE}” is outside the current filter" in text.replace("\n", "") or TITLE in text
        toasts = [str(n.message) for n in app._notifications]
        assert any(TITLE in m for m in toasts)

        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "alias")
        await pilot.pause(0.4)
        text = screen_text(app)
        assert ACTOR in text and ALIAS in text
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ActorScreen) and app.screen.actor.id == "grp"
        assert app.is_running


@aio
async def test_the_outside_the_filter_notice_shows_a_filter_s_control_bytes_as_text(bundled_ds) -> None:
    """Review s13: the notice of an event opened outside the filter cleaned the title but
    gave the filter as typed, and the filter holds record text (Trends' enter writes a
    country's name into it): an ESC there went to the terminal (Textual passes it on)."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.main_screen.set_filter('country:"Tajik\x1b]0;owned\x07istan"')
        await pilot.pause()
        app.open_record("event", "2019-11-06-border-post", from_palette=True)
        await pilot.pause(0.3)
        [note] = [str(n.message) for n in app._notifications if "outside the current filter" in str(n.message)]
        assert "\x1b" not in note and "\x07" not in note and "\\x1b]0;owned" in note, note


@aio
async def test_markup_and_control_bytes_in_the_ledger_show_as_text_in_what_changed(tmp_path: Path) -> None:
    """The ledger holds ACLED's text (a revised field's old and new values, the export's name):
    on the What changed screen (`w`), a row, its heading and the pane that folds it whole show
    `[bold]x[/]` as typed and an ESC as the visible `\\x1b`, never sent to the terminal."""
    from briefing.acled_sync import sync
    from briefing.loader import load_dataset
    from briefing.tui.screens.changes import ChangesScreen
    from briefing.tui.widgets.change_list import ChangeList
    from test_sync import T1, T2, base_rows, write_export

    data = tmp_path / "data"
    data.mkdir()
    rows = base_rows()
    sync(str(data), str(write_export(tmp_path / "w1.csv", rows)), now=T1)
    rows[1]["actor2"] = "[bold]x[/] \x1b[31mred"
    sync(str(data), str(write_export(tmp_path / "[red]w2[bold].csv", rows)), now=T2)
    app = make_app(load_dataset(str(data)), theme="briefing-dark")
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        lst = app.screen.query_one(ChangeList)
        assert lst.current_row is not None and lst.current_row.event_id == "acled:BEN2"
        text = screen_text(app)
        assert f"{T2}  1 revised · [red]w2[bold].csv" in text
        row = '~ revised  acled:BEN2  actor2 "" → "[bold]x[/] \\x1b[31mred"'
        assert row in text  # the list's row
        assert f'{T2}  revised  acled:BEN2  actor2 "" → "[bold]x[/] \\x1b[31mred"' in text  # the pane, whole
        assert "\x1b" not in text
        assert app.is_running
