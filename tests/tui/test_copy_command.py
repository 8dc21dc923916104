"""`c` copies the status line's command whole: at 80 columns the line is cut (`until:…`), so
copying it off the screen gives a broken command (QA).  The key is in the one key table, so the
help lists it and a keymap can rebind it."""

from __future__ import annotations

from briefing.tui import keys
from briefing.tui.app import make_app
from briefing.tui.screens.trends import TrendsScreen
from briefing.tui.widgets.status_line import StatusLine
from tui_helpers import aio, screen_text, type_text

QA_FILTER = "country:Afghanistan,Tajikistan since:2019-01 until:2022-12 -tag:statement"


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_the_copy_command_key_is_in_the_table_for_every_screen() -> None:
    k = next(k for k in keys.KEYS["screen"] if k.id == "copy-command")
    assert (k.keys, k.action) == ("c", "copy_command")
    others = [(scope, o.id) for scope, entries in keys.KEYS.items() for o in entries if "c" in o.keys.split(",")]
    assert others == [("screen", "copy-command")], others


@aio
async def test_c_copies_the_whole_brief_command_the_status_line_cuts(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, QA_FILTER)  # its c's go into the input, not to the key
        await pilot.press("enter")
        await pilot.pause(0.3)
        status = screen_text(app).splitlines()[-2]
        assert "…" in status and "-tag:statement" not in status, status  # what QA saw
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == f"briefing brief --filter '{QA_FILTER}'"
        assert app.clipboard == app.screen.query_one(StatusLine).command
        assert any("cannot be confirmed" in n for n in _notes(app))


@aio
async def test_c_on_trends_copies_the_export_command(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark", query=QA_FILTER)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("t")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TrendsScreen)
        await pilot.press("tab")  # the admin1 table: the command follows it
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        want = f"briefing export --table counts --by admin1 --format csv --filter '{QA_FILTER}'"
        assert app.clipboard == want


@aio
async def test_the_command_a_screen_names_keeps_skip_invalid(bundled_ds) -> None:
    # What a user saw (QA regress 8): `briefing --data inv --skip-invalid` showed
    # `$ briefing brief --data inv`, which, run, refused the data (exit 2, 3 problems).
    app = make_app(bundled_ds, theme="briefing-dark", data_arg="inv", skip_invalid=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(StatusLine).command == "briefing brief --data inv --skip-invalid"
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrendsScreen)
        command = app.screen.query_one(StatusLine).command
        assert command.endswith("--format csv --data inv --skip-invalid"), command


@aio
async def test_help_and_the_lists_name_a_command_that_keeps_the_filter(bundled_ds) -> None:
    """QA s13: on the help, actors and sources screens the status line and `c` gave a plain
    `briefing brief`, the filter in force dropped.  Help and the sources list name the event
    list's command; the actors list, the table it shows."""
    from briefing.tui.screens.actors import ActorsScreen
    from briefing.tui.screens.help import HelpScreen
    from briefing.tui.screens.sources import SourcesScreen

    app = make_app(bundled_ds, theme="briefing-dark", query="country:Tajikistan")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        for key, screen, want in (
            ("question_mark", HelpScreen, "briefing brief --filter country:Tajikistan"),
            ("s", SourcesScreen, "briefing brief --filter country:Tajikistan"),
            ("a", ActorsScreen, "briefing export --table actors --format csv"),
        ):
            await pilot.press(key)
            await pilot.pause(0.2)
            assert isinstance(app.screen, screen), app.screen
            await pilot.press("c")
            await pilot.pause()
            assert app.clipboard == want, (key, app.clipboard)
            await pilot.press("escape")
            await pilot.pause(0.2)


@aio
async def test_the_toast_after_c_leaves_the_status_line_in_sight(bundled_ds) -> None:
    """QA s13: at 80x24 the toast `c` brings up covered the status line for its 5 s
    (`$ briefing brief --filter 'country:Taj▌`), just when the user reads what was copied."""
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Tajikistan")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # (off by default in tests)
        await pilot.pause(0.3)
        before = screen_text(app).splitlines()[-2]
        await pilot.press("c")
        await pilot.pause(0.3)
        assert any("cannot be confirmed" in n for n in _notes(app))
        lines = screen_text(app).splitlines()
        assert "cannot be confirmed" in " ".join(lines), lines  # the toast is drawn
        assert lines[-2] == before, (before, lines[-2])
        assert "briefing brief --filter country:Tajikistan" in lines[-2]
