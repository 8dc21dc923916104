"""Issue 12 items 6 and 7, as a user meets them in the TUI (Pilot)."""

from __future__ import annotations

import pytest

from briefing.tui.app import make_app
from briefing.tui.widgets.actor_list import ActorList
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.filter_bar import DEBOUNCE
from briefing.tui.widgets.source_list import SourceList
from tui_helpers import aio, screen_text


@aio
async def test_an_invalid_filter_shows_no_stale_rows_and_says_why(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"country:tajikistan")
        await pilot.pause(DEBOUNCE + 0.2)
        lst = app.screen.query_one(EventList)
        assert lst.row_count() and all(e.country == "Tajikistan" for e in lst.events)
        await pilot.press("space", *"contry:x")
        await pilot.pause(DEBOUNCE + 0.2)
        assert lst.row_count() == 0
        text = screen_text(app)
        assert "Tajikistan " not in text.split("\n", 2)[2].split("filter /")[0]  # no stale rows
        assert "No events shown" in text and "unknown field 'contry'" in text


@aio
async def test_slash_filters_the_actors_list(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        lst = app.screen.query_one(ActorList)
        before = lst.row_count()
        await pilot.press("slash", *"tali")
        await pilot.pause(DEBOUNCE + 0.2)
        assert 0 < lst.row_count() < before
        assert all("tali" in " ".join((a.name, *a.aliases, a.id, a.kind)).casefold() for a in lst.actors)
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is lst


@aio
async def test_slash_filters_the_sources_list(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        lst = app.screen.query_one(SourceList)
        before = lst.row_count()
        await pilot.press("slash", *"afp")
        await pilot.pause(DEBOUNCE + 0.2)
        assert 0 < lst.row_count() < before
        assert all("afp" in (s.name + s.id + s.kind).casefold() for s in lst.sources)


@aio
async def test_the_command_palette_finds_sources(bundled_ds) -> None:
    from briefing.tui.screens.source import SourceScreen

    source = bundled_ds.sources[0]
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.screen.query_one("Input").value = source.name
        await pilot.pause(0.6)
        assert "source" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SourceScreen) and app.screen.source.id == source.id


# -- 7: the palette's screenshot ----------------------------------------------------------------


def _notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@aio
async def test_screenshot_without_downloads_goes_to_the_current_directory_and_says_so(
    bundled_ds, tmp_path, monkeypatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.chdir(work)
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.deliver_screenshot()  # what the palette's "Save screenshot" calls
        await pilot.pause()
        saved = list(work.glob("*.svg"))
        assert len(saved) == 1 and saved[0].read_text().startswith("<svg")
        assert any(f"Screenshot saved to {saved[0]}" in n for n in _notes(app)), _notes(app)


@aio
async def test_screenshot_goes_to_the_xdg_download_dir(bundled_ds, tmp_path, monkeypatch) -> None:
    downloads = tmp_path / "dl"
    downloads.mkdir()
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(downloads))
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.deliver_screenshot()
        await pilot.pause()
        assert len(list(downloads.glob("*.svg"))) == 1


@aio
async def test_screenshot_that_cannot_be_saved_says_why(bundled_ds, tmp_path, monkeypatch) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.deliver_screenshot(path=str(tmp_path / "missing"))
        await pilot.pause()
        assert any("Screenshot not saved" in n and "no such directory" in n for n in _notes(app)), _notes(app)


# -- 9: [keys] in the config file ---------------------------------------------------------------


def _config(text: str):
    import os
    from pathlib import Path

    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "briefing"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


@aio
async def test_keys_table_in_the_config_rebinds_and_help_shows_it(bundled_ds) -> None:
    from briefing.tui.screens.export_dialog import ExportDialog
    from briefing.tui.screens.help import HelpScreen
    from briefing.tui.screens.theme_picker import ThemePicker

    # `?` as typed, not Textual's name for it (`question_mark`): the check of key names takes both
    _config(
        'theme = "briefing-dark"\n\n[keys]\nhelp = "f2,?"\nactors = "A"\npicker-cancel = "b"\npicker-choose = "space"\n'
        'export-cancel = "ctrl+g"\n'
    )
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "f2" in screen_text(app)
        await pilot.press("escape", "A")
        await pilot.pause()
        assert app.current_mode == "actors"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        # QA (qa-regress5): the theme picker's hint said `escape cancel` where escape did nothing
        await pilot.press("escape", "T")
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)
        assert "j/k preview · space keep · b cancel" in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, ThemePicker)
        # the export dialog's message named escape, whatever key cancels it
        await pilot.press("e", "x", "enter", "ctrl+u", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "give the file a name (ctrl+g cancels)" in screen_text(app), screen_text(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)


@aio
async def test_the_figures_hint_names_the_keys_the_keymap_gives(bundled_ds) -> None:
    """QA s9: with `cursor-down = "n"` the event's figures hint still said `j/k move`, where j
    did nothing; the key bar, help and theme picker followed the keymap."""
    from tui_helpers import BORDER_POST

    _config(
        '[keys]\ncursor-down = "n,down"\nopen = "o,enter"\nnext-pane = "ctrl+n,tab"\nsort = "S"\n'
        'filter-clear = "ctrl+k"\n'
    )
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(160, 90)) as pilot:
        await pilot.pause()
        app.open_record("event", BORDER_POST)
        await pilot.pause(0.3)
        text = " ".join(screen_text(app).replace("▌", " ").split())  # the pane's edge where the hint wraps
        assert "ctrl+n: select a claim (n/k move, o opens its source)" in text, text
        assert "j/k move" not in text
        await pilot.press("escape", "a", "slash")  # the actors list's filter says its keys too
        await pilot.pause()
        text = screen_text(app)
        assert "ctrl+k clear" in text and "ctrl+u" not in text, text


def test_a_bad_keys_table_is_one_line_at_start(capsys) -> None:
    import argparse

    from briefing.tui import run as tui_run

    _config('[keys]\nhelpp = "f1"\n')
    assert tui_run.run(argparse.Namespace()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "config.toml: [keys] 'helpp': no key has this id" in err
    _config("[keys]\nhelp = 3\n")
    assert tui_run.run(argparse.Namespace()) == 2
    assert "[keys] help: expected key names" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("keys", "why"),
    [
        ('quit = "ctrl+"', "quit: 'ctrl+' is not a key"),
        ('quit = "ctrl+qq"', "quit: 'ctrl+qq' is not a key"),
        ('quit = "cntrl+q"', "quit: 'cntrl+q' is not a key"),
        ('help = "q"', "help: 'q' is also the key of quit"),
        # QA (qa-regress4): each of these was accepted, and left a key dead
        ('sort = "j"', "sort: 'j' is also the key of cursor-down"),  # the list's j, on the event list
        ('picker-cancel = "q"', "picker-cancel: 'q' is also the key of quit"),  # the picker's own q
        ('filter-clear = "x"', "filter-clear: 'x' would be typed into the text"),
        ('help = "esc"', "help: 'esc' is not a key"),  # a Unicode name of ESC, not Textual's `escape`
        ('quit = "ctrl+ctrl+q"', "quit: 'ctrl+ctrl+q' is not a key"),
        ('next-pane = "ctrl+i"', "next-pane: 'ctrl+i' is not a key (a terminal sends it as tab)"),
        ('events = "a"\nactors = "e"', None),  # a swap: each key leaves its old binding
        # and a dialog never shows with a screen: back and the picker's cancel on one key are one idea
        ('back = "b"\npicker-cancel = "b"', None),
        # QA (qa-regress5): the export dialog's cancel runs in its file name, where b types a b
        ('export-cancel = "b"', "export-cancel: 'b' would be typed into the text"),
        # a modal dialog does not hear the app's keys (`a` for actors), so no clash ...
        ('export-choose = "a"\npicker-choose = "e"', None),
        # ... and what the table shares between a screen and a widget may move to another key
        ('back = "ctrl+g"\nfilter-done = "ctrl+g"\npicker-cancel = "ctrl+g"\nexport-cancel = "ctrl+g"', None),
        ('open = "l"\ntrends-narrow = "l"', None),
        ('cursor-up = "ctrl+p,up"', "cursor-up: 'ctrl+p' is also the key of palette"),  # the palette's is everywhere
        # QA (qa-regress6): ctrl+q quits from anywhere, in a text input too, and help says so
        ('help = "ctrl+q"', "help: 'ctrl+q' is kept for quitting from anywhere"),
        ('help = "ctrl+Q"', "help: 'ctrl+Q' is kept for quitting from anywhere"),  # qa-regress7
        ('quit = "q,ctrl+q"', None),
    ],
)
def test_a_key_that_is_no_key_or_taken_is_one_line_at_start(capsys, keys: str, why: str | None) -> None:
    """QA (qa-regress3): `quit = "ctrl+"` started with `^ quit` on the bar, and `help = "q"` took
    the quit key away without a word."""
    import argparse

    from briefing.tui.keys import user_keymap

    _config(f"[keys]\n{keys}\n")
    if why is None:
        assert user_keymap() == dict(line.replace('"', "").split(" = ") for line in keys.split("\n"))
        return
    from briefing.tui import run as tui_run

    assert tui_run.run(argparse.Namespace()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"config.toml: [keys] {why}" in err, err


def test_every_key_the_help_lists_is_accepted_in_the_config() -> None:
    """The check of a key's name refuses no key of our own table (copied from the help screen),
    nor the table's own sharing of a key between scopes."""
    from briefing.tui.keys import KEYS, user_keymap

    table = {k.id: k.keys for entries in KEYS.values() for k in entries}
    _config("[keys]\n" + "".join(f'{bid} = "{keys}"\n' for bid, keys in table.items()))
    assert user_keymap() == table


@aio
async def test_a_theme_the_config_names_and_we_lack_is_said(bundled_ds, monkeypatch) -> None:
    """QA (qa-regress3): `theme = "nope"` in config.toml started on the default theme without a
    word, where `--theme nope` is an error.  A stale config (a theme file deleted since) must not
    stop the tool, so it starts, and says so."""
    from briefing.themes import DEFAULT_THEME

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    _config('theme = "nope"\n')
    app = make_app(bundled_ds)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.spec.name == DEFAULT_THEME
        notes = _notes(app)
        assert any("config.toml: no theme 'nope'; using " + DEFAULT_THEME in n for n in notes), notes


@aio
async def test_a_narrow_list_keeps_the_number_and_the_dispute_mark(bundled_ds) -> None:
    """QA: at 40 columns the row ran 2 cells past the screen, and what fell off was the `!`:
    the one mark the list exists to show. The title and the type give up room first."""
    from rich.cells import cell_len

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        post = [e.id for e in lst.events].index("2019-11-06-border-post")
        for width in (30, 36, 40, 50, 60, 80, 100):
            header = "".join(s.text for s in lst.header_segments(width))
            assert cell_len(header) == width and header.rstrip().endswith("killed !"), (width, header)
            for i in range(lst.row_count()):
                row = "".join(s.text for s in lst.row_segments(i, width))
                assert cell_len(row) == width, (width, row)
            row = "".join(s.text for s in lst.row_segments(post, width))
            assert row.rstrip().endswith("17 !"), (width, row)


@aio
async def test_a_country_no_event_has_is_said(bundled_ds) -> None:
    """QA: `country:Tajikstan` gave "No event matches the filter", where a misspelt actor is
    explained; `country:Tajikstan,Iran` showed the Iran event, `1 shown`, and nothing about
    `Tajikstan`. The empty list says it; beside matches the open filter bar says it, and a
    filter given at start says it in a toast."""
    note = "no event has the country 'Tajikstan'; did you mean 'Tajikistan'?"
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        for typed, shown in (("country:Tajikstan", "0 shown"), ("country:Tajikstan,Iran", "1 shown")):
            await pilot.press("slash", "ctrl+u", *typed)
            await pilot.pause(DEBOUNCE + 0.3)
            text = screen_text(app)
            assert note in text and shown in text, text
        await pilot.press("ctrl+u", *"country:Iran")
        await pilot.pause(DEBOUNCE + 0.3)
        assert note not in screen_text(app)
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Tajikstan,Iran")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.3)
        assert any(note in str(n.message) for n in app._notifications), list(app._notifications)


@aio
async def test_a_list_filter_left_in_force_is_shown_in_the_header(bundled_ds) -> None:
    """QA: `a`, `/`, `zzz`, escape, escape, `a` again showed "Nothing to show." under "48
    actors", nothing saying a filter was in force. The header says it, as the event list's does,
    and the empty list says why."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a", "slash", *"zzz")
        await pilot.pause(DEBOUNCE + 0.2)
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert "filter: zzz → 0 shown" in lines[0], lines[0]
        assert any("No actor holds 'zzz' (press / to change it)." in line for line in lines), lines
        await pilot.press("s", "slash", *"afp", "enter")
        await pilot.pause(DEBOUNCE + 0.2)
        assert "filter: afp → 2 shown" in screen_text(app).splitlines()[0]


@aio
async def test_an_invalid_filter_left_in_place_is_said_whole_and_copied_as_typed(bundled_ds) -> None:
    """QA: `/ typ:x escape` at 80 columns cut the reason mid-word ("fields are country, admi"),
    losing "press / to fix it", and the status line (what `c` copies) read `briefing brief`,
    a command printing all 40 events while the screen showed none."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"typ:x")
        await pilot.pause(DEBOUNCE + 0.2)
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        flat = " ".join(text.split())
        assert "unknown field 'typ'" in flat and "(press / to fix it)." in flat, text
        status = next(line for line in text.splitlines() if line.strip().startswith("$ briefing"))
        assert "typ:x" in status, status


@aio
async def test_the_sources_list_counts_the_events_naming_each_not_only_claims(bundled_ds) -> None:
    """QA (a 100k ACLED export): every ACLED outlet read `claims 0` in the sources list (ACLED's
    fatality count is ACLED's claim, not the outlet's), so the outlets of thousands of events
    looked like sources of nothing.  The list now counts the events that name each source."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        lst = app.screen.query_one(SourceList)
        header = "".join(seg.text for seg in lst.header_segments(100))
        assert header.split()[-2:] == ["events", "claims"]
        for i, s in enumerate(lst.sources):
            *_, events, claims = "".join(seg.text for seg in lst.row_segments(i, 100)).split()
            named = [
                e for e in bundled_ds.events if s.id in e.sources or any(s.id in (f.source, f.via) for f in e.figures)
            ]
            assert int(events.replace(",", "")) == len(named), s.id
            assert int(claims.replace(",", "")) == len(bundled_ds.claims_carried_by(s.id)), s.id
        assert any(int(row.split()[-2]) > 0 for row in screen_text(app).splitlines() if row.strip().endswith(" 0"))


@aio
async def test_the_sources_list_counts_fit_a_million(bundled_ds) -> None:
    """QA (regression pass): the count columns were 7 cells, so `1,000,000` (ACLED's row at a
    million events) pushed the row 4 cells past the screen and off its headings.  The columns
    are as wide as the largest count the data can give."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        big = SourceList(bundled_ds.sources, lambda _s: 1_000_000, lambda _s: 999_999, 1_000_000)
        await app.screen.mount(big)
        await pilot.pause()
        for width in (80, 60):
            header = "".join(seg.text for seg in big.header_segments(width))
            row = "".join(seg.text for seg in big.row_segments(0, width))
            assert len(header) == len(row) == width, (header, row)
            assert row.rstrip().endswith("999,999 1,000,000") and header.rstrip().endswith("events    claims")


@aio
async def test_an_empty_lists_message_names_the_filter_key_the_keymap_gives(bundled_ds) -> None:
    # What a user saw (QA s17): with `filter = "f"` (and the lists' and the screens' too), a
    # filter that matched nothing said "(press / to fix it)", and `/` did nothing.
    _config('[keys]\nfilter = "f"\nlist-filter = "ctrl+f"\n')
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f", *"zzqqxx", "enter")
        await pilot.pause()
        assert "(press f to change it)" in " ".join(screen_text(app).split()), screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+f", *"zzqqxx")
        await pilot.pause(0.5)  # (the list narrows a moment after the keys)
        text = screen_text(app)
        assert "(press ctrl+f to change it)" in text and "press /" not in text, text
    _config("")
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzqqxx", "enter")
        await pilot.pause()
        assert "(press / to change it)" in " ".join(screen_text(app).split())  # as typed: not `slash`
