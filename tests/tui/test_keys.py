"""Every key in help is bound, every binding we make has an id, and the palette jumps by alias."""

from __future__ import annotations

import pytest
from textual import events
from textual.binding import Binding

from briefing.tui import keys
from briefing.tui.app import BriefingApp, make_app
from briefing.tui.screens.actor import ActorScreen
from briefing.tui.screens.base import BaseScreen
from briefing.tui.screens.event_detail import EventDetailScreen
from briefing.tui.screens.export_dialog import ExportDialog
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.list_filter import FilteredListScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.screens.theme_picker import ThemePicker
from briefing.tui.screens.trends import TrendsScreen
from briefing.tui.widgets.figures_view import FiguresView
from briefing.tui.widgets.filter_bar import FilterInput
from briefing.tui.widgets.frequency_table import FrequencyTable
from briefing.tui.widgets.link_list import LinkList
from briefing.tui.widgets.reading_pane import ReadingPane
from briefing.tui.widgets.record_list import RecordList
from tui_helpers import BORDER_POST, aio, screen_text, type_text

# Where each scope's keys are bound.
BOUND_IN = {
    "app": (BriefingApp,),
    "screen": (BaseScreen,),
    "main": (MainScreen,),
    "event": (EventDetailScreen,),
    "lists": (FilteredListScreen,),
    "list": (RecordList, LinkList),
    "reading": (ReadingPane,),
    "filter": (FilterInput,),
    "picker": (ThemePicker,),
    "export": (ExportDialog,),
    "figures": (FiguresView,),
    "trends": (TrendsScreen,),
}


def _bound(cls) -> dict[str, list[Binding]]:
    return {key: list(bs) for key, bs in cls._merge_bindings().key_to_bindings.items()}


def test_every_key_in_help_is_bound_with_its_id() -> None:
    assert set(BOUND_IN) == set(keys.KEYS)
    for scope, entries in keys.KEYS.items():
        for cls in BOUND_IN[scope]:
            bound = _bound(cls)
            for k in entries:
                for key in k.keys.split(","):
                    assert key in bound, (scope, cls.__name__, key)
                    assert any(b.id == k.id and b.action == k.action for b in bound[key]), (cls.__name__, key, k.id)


def test_every_binding_we_declare_has_an_id() -> None:
    classes = {c for group in BOUND_IN.values() for c in group}
    for cls in classes:
        for b in cls.__dict__.get("BINDINGS", []):
            assert isinstance(b, Binding) and b.id, (cls.__name__, b)


def test_ids_are_unique_per_scope_and_shared_across_scopes_only_for_the_same_meaning() -> None:
    seen: dict[str, str] = {}
    for scope, entries in keys.KEYS.items():
        ids = [k.id for k in entries]
        assert len(ids) == len(set(ids)), scope
        for k in entries:
            # the same id in two scopes must be on the same keys (a keymap rebinds them together)
            assert seen.setdefault(k.id, k.keys) == k.keys, k.id


def test_the_brief_keys_are_all_there() -> None:
    every = {key for entries in keys.KEYS.values() for k in entries for key in k.keys.split(",")}
    for key in (
        "j",
        "k",
        "up",
        "down",
        "g",
        "G",
        "enter",
        "escape",
        "slash",
        "e",
        "a",
        "s",
        "tab",
        "question_mark",
        "t",
        "T",
        "o",
        "x",
        "y",
        "ctrl+p",
        "q",
    ):
        assert key in every, key


@aio
async def test_footer_shows_the_main_keys_at_80_columns(bundled_ds) -> None:
    """What cannot be guessed comes first: trends, export and the copy key are in the event
    list's key bar at 80 columns (QA: t, x missing), j/k, enter and `e` (the list you are on)
    give way; the help lists them all."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for label in (
            "/ filter",
            "t trends",
            "x export",
            "c copy cmd",
            "a actors",
            "s sources",
            "? help",
            "q quit",
            "^p",
        ):
            assert label in footer, (label, footer)
        app.open_record("event", BORDER_POST)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for label in ("tab pane", "esc back", "c copy cmd", "? help", "q quit"):
            assert label in footer, (label, footer)


@aio
async def test_palette_jumps_to_actor_by_alias_and_event_by_title(bundled_ds) -> None:
    actor = next(a for a in bundled_ds.actors if a.aliases and len(a.aliases[0]) > 3)
    alias = actor.aliases[0]
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, alias)
        await pilot.pause(0.4)
        assert alias in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ActorScreen)
        assert actor.id in bundled_ds.actors_by_name(alias) and app.screen.actor.id in bundled_ds.actors_by_name(alias)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, BORDER_POST)
        await pilot.pause(0.4)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, EventDetailScreen) and app.screen.event.id == BORDER_POST


@aio
async def test_theme_picker_previews_keeps_and_cancels(fixture_ds) -> None:
    app = make_app(fixture_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)
        await pilot.press("j")
        await pilot.pause()
        previewed = app.theme
        assert previewed != "briefing-dark" and app.spec.name == previewed
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "briefing-dark" and app.spec.name == "briefing-dark"
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.theme not in ("briefing-dark", previewed)


def test_figures_and_trends_keys_are_bound_from_the_table() -> None:
    """QA: the help left out the figures table's keys and the Trends screen's enter and tab.
    They are bound from their own scopes, so the help (read from the table) lists them."""
    figures = {k.keys: k.action for k in keys.KEYS["figures"]}
    assert figures["j,down"] == "cursor_down" and figures["k,up"] == "cursor_up" and figures["enter"] == "open"
    assert [b.id for b in FiguresView.BINDINGS] == [k.id for k in keys.KEYS["figures"]]
    trends = {k.keys: k.action for k in keys.KEYS["trends"]}
    assert trends == {"enter": "narrow", "tab": "next_pane", "shift+tab": "prev_pane"}
    # enter is the screen's (narrow), not the table's open: the table leaves it to the screen
    assert "enter" not in _bound(FrequencyTable)


@aio
async def test_help_lists_the_figures_and_trends_keys(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        for scope in ("figures", "trends"):
            label = str(app.screen.query_one(f"#help-scope-{scope}").render())
            assert label == keys.SCOPES[scope], label
            app.screen.query_one(f"#help-keys-{scope}").scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            shown = screen_text(app)
            for k in keys.KEYS[scope]:
                assert keys.key_display(k) in shown and k.id in shown, (scope, k.id, shown)


def test_help_says_how_to_quit_from_a_text_input() -> None:
    """QA over SSH: q types a q in every text input (the export's file name, the lists'
    filters), and ctrl+q, which quits from anywhere, was named nowhere in the help."""
    quits = [k for ks in keys.KEYS.values() for k in ks if k.id == "quit"]
    assert quits and all("ctrl+q" in k.help for k in quits if "typed" in k.help), quits
    # true whatever `[keys]` says: Textual's own ctrl+q has no id to rebind, and no other may take it
    assert any("ctrl+q quits from anywhere, a text input too" in k.help for k in quits), quits


@aio
async def test_enter_on_a_trends_row_narrows_the_list(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TrendsScreen)
        row = app.screen.table.current
        assert row is not None
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen) and app.screen.query_text.startswith("country:"), (
            app.screen.query_text
        )


@aio
async def test_trends_is_in_the_key_bar_at_100_columns_and_quit_never_falls_off(bundled_ds) -> None:
    """QA: at 100 columns `t trends` never appeared (it came after top/end, page and sort); on
    the Trends screen at 80 columns `q quit` fell off behind `s sources`."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for label in ("t trends", "x export", "j k move", "⏎ open", "q quit"):
            assert label in footer, (label, footer)
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TrendsScreen)
        footer = screen_text(app).splitlines()[-1]
        for label in ("⏎ narrow", "tab table", "esc back", "c copy cmd", "? help", "q quit"):
            assert label in footer, (label, footer)
        assert "t trends" not in footer, footer  # the screen you are on


@aio
async def test_scroll_keys_that_arrive_together_each_move_a_line(bundled_ds) -> None:
    """QA: ten `j` in one write (a held key, a burst over SSH) moved the help pane one line:
    each deferred scroll started from the same old position.  The keys go in without a pause
    between them, as a terminal delivers them."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert pane.has_focus and pane.scroll_y == 0
        for _ in range(10):
            app.post_message(events.Key("j", "j"))
        await pilot.pause()
        await pilot.pause()
        assert pane.scroll_y == 10
        page = pane.scrollable_content_region.height
        for key in ("pagedown", "pagedown", "pageup"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        await pilot.pause()
        assert pane.scroll_y == 10 + page


@aio
async def test_the_palette_keeps_a_space_after_every_kind(bundled_ds) -> None:
    """QA: `sourceAFP` — "source" is six letters and the kind was padded to six."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "AFP")
        await pilot.pause(0.4)
        shown = screen_text(app)
        assert "source AFP" in shown and "sourceAFP" not in shown, shown


@aio
async def test_the_theme_picker_shows_its_own_keys(fixture_ds) -> None:
    """QA: with the picker open the key bar still offered the list's `x export`, `? help`…,
    keys that do nothing there; the export dialog shows its own, and so does the picker."""
    app = make_app(fixture_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        bar = await _key_bar_after(app, pilot, "T")
        assert isinstance(app.screen, ThemePicker)
        assert "j k move" in bar and "esc cancel" in bar, bar
        assert "⏎ choose" in bar, bar  # QA s12: the list's own hidden enter hid the picker's
        assert "export" not in bar and "help" not in bar, bar


@aio
async def test_the_filter_inputs_key_bar_offers_only_what_works_there(bundled_ds) -> None:
    """QA: with the input open the bar said `/ filter` (pressing / types a slash) and `shift+tab
    back a pane`, which read as the key `a` labelled "pane"."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 24)) as pilot:
        bar = await _key_bar_after(app, pilot, "slash")
        assert isinstance(app.focused, FilterInput)
        assert "/ filter" not in bar and "back a pane" not in bar, bar
        assert "esc done" in bar, bar
        bar = await _key_bar_after(app, pilot, "tab")  # the list: `/` goes back to the input, and says so
        assert not isinstance(app.focused, FilterInput)
        assert "/ filter" in bar, bar


async def _key_bar_after(app, pilot, key: str) -> str:
    """The key bar (the screen's last line) once `key` has been pressed and handled."""
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    return screen_text(app).splitlines()[-1]


def test_the_help_keys_table_reads_at_40_columns() -> None:
    """QA: at 40x12 the help's description column was 5 characters wide (`This` / `help:` /
    `every`...): the key and id columns kept their widths. Narrow, the id goes after the text."""
    import io

    from rich.console import Console

    from briefing.tui.screens.help import keys_table

    for width in (40, 100):
        out = io.StringIO()
        Console(file=out, width=width, color_system=None).print(keys_table("app"))
        text = out.getvalue()
        assert "This help: every key" in text, text
        assert "show_help" not in text and "help" in text


@aio
async def test_the_key_bar_offers_tab_only_where_there_is_another_pane(bundled_ds) -> None:
    """QA over SSH: help and the actors and sources lists showed `tab pane`, and tab did nothing."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("question_mark", "a", "s"):
            await pilot.press(key)
            await pilot.pause()
            assert "tab" not in screen_text(app).splitlines()[-1], (key, screen_text(app).splitlines()[-1])
            await pilot.press("escape")
            await pilot.pause()
        app.open_record("event", "2019-11-06-border-post")
        await pilot.pause()
        bar = screen_text(app).splitlines()[-1]
        assert "tab" in bar, bar  # the figures, the actors, the sources: panes to go through


@aio
async def test_the_palette_s_keys_command_opens_our_help_which_escape_closes(bundled_ds) -> None:
    """QA over SSH: the palette's "Keys" opened Textual's side panel, which escape did not
    close and which stayed across screens."""
    from textual.command import CommandPalette

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"keys")
        await pilot.pause(0.6)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, HelpScreen), app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and not app.screen.query("HelpPanel")


@pytest.mark.parametrize(
    ("burst", "stack"),
    [
        (["enter", "t"], [MainScreen, EventDetailScreen, TrendsScreen]),
        (["enter", "question_mark"], [MainScreen, EventDetailScreen, HelpScreen]),
        (["enter", "escape", "t"], [MainScreen, TrendsScreen]),
    ],
)
@aio
async def test_keys_typed_in_the_same_burst_as_enter_act_after_the_open(bundled_ds, burst, stack) -> None:
    # What a user saw (QA, TUI round 2): `enter t` in one read left the event on top of
    # Trends (Escape: Trends, then the list); `enter ?`, `enter e` seemed to do nothing.
    # The open was a message the list posted, and the `t` behind it ran first.
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in burst:
            app.post_message(events.Key(key, {"question_mark": "?", "enter": "\r"}.get(key, key)))
        for _ in range(6):
            await pilot.pause(0.05)
        assert [type(s) for s in app.screen_stack] == stack, app.screen_stack


@aio
async def test_keys_typed_behind_slash_while_a_screen_appears_go_into_the_filter(bundled_ds) -> None:
    # What a user saw (QA regress 8): `/iraq` typed in the first half-second (or during a first
    # import) quit briefing, `/mali` opened Actors: the main screen, appearing, let go of the
    # keys held behind `/` before the filter had opened.  A screen shown lets go only keys
    # held behind an open.
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        app.post_message(events.Key("slash", "/"))
        main.post_message(events.ScreenResume())  # the screen appearing, as at launch
        for c in "iraq":
            app.post_message(events.Key(c, c))
        for _ in range(6):
            await pilot.pause(0.05)
        assert app.is_running and app.screen is main
        assert main.query_one(FilterInput).value == "iraq"


@pytest.mark.parametrize("away", ["enter", "t", "a"])  # an event, Trends, the actors list
@aio
async def test_keys_typed_behind_slash_away_from_the_list_go_into_the_filter(bundled_ds, away: str) -> None:
    # What a user saw (QA s18, a researcher): on an event's screen or Trends, `/iraq` in one
    # burst quit briefing (its `q`), `/kyz` copied an id (`y`): `/` away from the list goes
    # back to the list and opens its filter a few messages later, and the keys behind it ran
    # as commands of the screen still shown.
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press(away)
        for _ in range(4):
            await pilot.pause(0.05)
        assert app.screen is not main, away
        for key, char in [("slash", "/"), *((c, c) for c in "iraq")]:
            app.post_message(events.Key(key, char))
        for _ in range(8):
            await pilot.pause(0.05)
        assert app.is_running, app.screen_stack
        if away == "a":  # a list of its own: its filter, by text
            assert app.focused is not None and getattr(app.focused, "value", None) == "iraq", app.focused
        else:
            assert app.screen is main and main.query_one(FilterInput).value == "iraq", app.screen_stack


@aio
async def test_an_enter_that_opens_nothing_does_not_hold_the_next_keys(bundled_ds) -> None:
    # What a user saw (QA regress 8): on an empty list `enter t` took 1.15 s to show Trends:
    # the keys behind an enter that opened nothing waited for the hold's limit.
    app = make_app(bundled_ds, theme="briefing-dark", query="zzzz")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("t", "t"))
        for _ in range(4):
            await pilot.pause(0.05)
        assert isinstance(app.screen, TrendsScreen), app.screen_stack


@aio
async def test_keys_behind_the_enter_that_applies_a_filter_act_on_its_events(bundled_ds) -> None:
    # What a user saw (QA regress 8): `/country:Nigeria⏎x` in one burst exported the previous
    # filter's 4,132 Syria events (the header said 4,221 Nigeria): the keys behind enter were
    # let go when the filter bar closed, before the filter's answer had landed.
    from briefing.filters import select

    want = len(select(bundled_ds, "tajik"))
    assert 0 < want < len(bundled_ds.events)
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst = [("slash", "/"), *((c, c) for c in "tajik"), ("enter", "\r"), ("x", "x")]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        for _ in range(10):
            await pilot.pause(0.05)
        assert isinstance(app.screen, ExportDialog), app.screen_stack
        assert f"Export the {want} events shown" in screen_text(app), screen_text(app)


@aio
async def test_enter_typed_with_the_search_waits_for_its_answer(bundled_ds) -> None:
    # What a user saw (QA regress 9): `ctrl+p crocus ⏎` in one burst opened the actor that heads
    # the palette before anything is typed: the Enter chose from the list of no search, before
    # the search for "crocus" had answered.
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ["ctrl+p", *"crocus", "enter"]:
            app.post_message(events.Key(key, {"enter": "\r", "ctrl+p": None}.get(key, key)))
        for _ in range(20):
            await pilot.pause(0.05)
        assert isinstance(app.screen, EventDetailScreen), app.screen
        assert "crocus" in app.screen.event.id, app.screen.event.id


def test_the_palette_ranks_an_id_typed_whole_above_the_ids_it_begins() -> None:
    """QA (tenth session): `ctrl+p AFG476 ⏎` opened acled:AFG4761: both ids held the typed one
    after `acled:`, scored alike, and the first found won.  A match that ends where the word
    ends now ranks above one that runs on into more letters, wherever it starts."""
    from briefing.tui.commands import _score

    q = "afg476"
    assert _score("acled:afg476", q)[0] > _score("acled:afg4761", q)[0] > 0
    assert _score("afg476 market attack", q)[0] > _score("afg4761 market attack", q)[0] > 0
    assert _score("afg476", q)[0] > _score("afg476 market attack", q)[0]  # exact stays first


@aio
async def test_the_palette_says_what_it_finds_and_its_icon_is_not_black_on_black(bundled_ds) -> None:
    # What a user saw (QA s17, 16 colours): "Search for commands…" where the palette jumps to
    # events, actors and sources; its search icon drawn black on the terminal's black.
    from textual.command import SearchIcon

    from briefing.tui.screens.palette import PLACEHOLDER

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert PLACEHOLDER in screen_text(app)
        icon = app.screen.query_one(SearchIcon)
        assert icon.styles.color != app.screen.styles.background and icon.styles.color.rgb != (0, 0, 0)
