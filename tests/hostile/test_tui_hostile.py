"""The TUI on the crafted hostile records: every list, detail, profile, palette entry, filter and
notification is drawn without a control byte, bidi override or hyperlink reaching the terminal,
and markup in a record (`[@click=app.quit]`) is text: clicking it does nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hostile_cases import CASES
from tui_check import find_text, screen_lines, screen_problems

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# profiles are slow to build (a screen each), so a sample that covers every class of case
SAMPLE = (
    "markup-click",
    "markup-open-close",
    "osc8-link",
    "c0-all",
    "c1-all",
    "bidi-unterminated",
    "very-long",
    "zwj-emoji",
)


@pytest.fixture(scope="module")
def ds(hostile_ds):
    return hostile_ds


def run(coro):
    return asyncio.run(coro)


def test_every_view_is_terminal_safe(ds) -> None:
    from briefing.tui.app import make_app
    from briefing.tui.widgets.event_detail import EventDetail

    problems: list[str] = []

    def check(where: str, app) -> None:
        problems.extend(f"{where}: {p}" for p in screen_problems(app)[:3])

    async def scenario() -> None:
        app = make_app(ds)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            check("event list", app)
            main = app.screen
            preview = main.query_one(EventDetail)  # wide: the detail beside the list
            for event in ds.events:
                preview.show(event)
                await pilot.pause()
                check(f"preview {event.id}", app)
            for name in ("everything", *SAMPLE):
                app.open_record("event", f"ev-{name}")
                await pilot.pause()
                check(f"event screen ev-{name}", app)
                app.pop_screen()
            for kind in ("actor", "source"):
                for name in SAMPLE:
                    app.open_record(kind, f"{kind[:3] if kind == 'source' else kind}-{name}".replace("sou-", "src-"))
                    await pilot.pause()
                    check(f"{kind} screen {name}", app)
                    app.pop_screen()
            for mode in ("actors", "sources", "events"):
                app.switch_mode(mode)
                await pilot.pause()
                check(f"{mode} list", app)
            # the filter: every case as a query, quoted, and pasted into the input
            main = app.main_screen
            await main.action_open_filter()
            await pilot.pause()
            for i, (name, s) in enumerate(CASES.items()):
                q = (s, f'"{s}"', f"country:{s}")[i % 3]  # free text, a phrase, a field value
                main.set_filter(q)
                await pilot.pause()
                check(f"filter {name}", app)
            main.set_filter("")
            await pilot.pause()
            # the jump palette lists hostile names and titles
            for typed in ("click", "8;;"):
                await pilot.press("ctrl+p")
                await pilot.pause()
                await pilot.press(*typed)
                await pilot.pause(0.3)
                check(f"palette {typed!r}", app)
                await pilot.press("escape")
                await pilot.pause()
            assert app.is_running
        assert app.return_code in (None, 0)

    run(scenario())
    assert not problems, "\n".join(problems)


def test_pasted_text_in_the_filter_is_shown_escaped(ds) -> None:
    from textual import events

    from briefing.tui.app import make_app

    async def scenario() -> None:
        app = make_app(ds)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("slash")
            await pilot.pause()
            bar = app.main_screen.filter_bar
            bar.input.post_message(events.Paste(CASES["osc8-link"] + CASES["bidi-rlo"] + CASES["c1-csi"]))
            await pilot.pause(0.3)
            assert "\x1b" not in bar.input.value and "\u202e" not in bar.input.value
            assert bar.input.value.startswith("\\x1b]8;;http://evil.example/")
            assert not screen_problems(app)

    run(scenario())


def test_markup_in_a_record_is_text_and_clicking_it_does_nothing(ds) -> None:
    from briefing.tui.app import make_app

    async def scenario() -> None:
        app = make_app(ds)

        async def home() -> None:
            while len(app.screen_stack) > 1:
                await app.pop_screen()
            await pilot.pause()

        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            # the event list: filter to the markup cases, click each literal tag
            app.main_screen.set_filter("tag:case-" + str(list(CASES).index("markup-click")))
            await pilot.pause()
            pos = find_text(app, "[@click=app.quit]")
            assert pos is not None, "\n".join(screen_lines(app))
            await pilot.click(offset=pos)  # on a list row, a click selects (and opens) the event
            await pilot.pause()
            assert app.is_running and app.return_code is None
            # its own screen, title and summary
            await home()
            app.open_record("event", "ev-markup-click")
            await pilot.pause()
            lines = screen_lines(app)
            assert any("[@click=app.quit]click to quit[/]" in line for line in lines), "\n".join(lines)
            pos = find_text(app, "[@click=app.quit]")
            await pilot.click(offset=pos)
            await pilot.pause()
            assert app.is_running and app.return_code is None
            # the crashing forms render as typed
            for name in ("markup-open-close", "markup-index", "markup-close", "markup-link"):
                await home()
                app.open_record("event", f"ev-{name}")
                await pilot.pause()
                assert find_text(app, CASES[name]) is not None, name
                assert not screen_problems(app)
            # notifications carrying record text: a title (opened from the palette, outside the
            # filter) and a link to an id that is not there
            await home()
            app.main_screen.set_filter("tag:case-0")
            await pilot.pause()
            app.open_record("event", "ev-markup-click", from_palette=True)
            await pilot.pause(0.3)
            assert "outside the current filter" in "\n".join(screen_lines(app))
            assert not screen_problems(app)
            await home()
            app.open_record("event", CASES["markup-click-bare"] + CASES["csi-clear"] + CASES["bidi-rlo"])
            await pilot.pause(0.3)
            shown = "\n".join(screen_lines(app))
            assert "No event with id" in shown and "\\x1b[2J" in shown, shown
            assert not screen_problems(app)
            for pos in filter(None, [find_text(app, "[@click=app.quit]")]):
                await pilot.click(offset=pos)
                await pilot.pause()
            assert app.is_running and app.return_code is None

    run(scenario())
