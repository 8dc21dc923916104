"""The Trends screen (`t`): it opens for the filter in force, Tab moves through the tables, Enter
narrows the event list to the row; `T` is now the theme picker.  Driven with Pilot, and in a real
terminal (tmux) at 80x24."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from test_e2e_tmux import PROMPT, Pane, first_row, pane  # noqa: F401 - pane is a fixture

from briefing.analysis import for_query
from briefing.filters import parse
from briefing.tui.app import make_app
from briefing.tui.screens.main import MainScreen
from briefing.tui.screens.theme_picker import ThemePicker
from briefing.tui.screens.trends import TrendsScreen
from briefing.tui.widgets.frequency_table import FrequencyTable
from briefing.tui.widgets.status_line import StatusLine
from tui_helpers import BUNDLED, aio, screen_text, tab_to_table


@aio
async def test_t_tab_enter_narrows_the_list(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Afghanistan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen) and screen.query_text == "country:Afghanistan"
        table = screen.query_one(FrequencyTable)
        assert table.by == "country" and [r.label for r in table.rows] == ["Afghanistan"]
        status = screen.query_one(StatusLine).command
        assert status == "briefing export --table counts --by country --format csv --filter country:Afghanistan"
        await pilot.press("tab")
        await pilot.pause()
        assert table.by == "admin1"
        expected = for_query(bundled_ds, parse("country:Afghanistan"), parse("country:Afghanistan").apply(bundled_ds))
        assert [(r.label, r.events) for r in table.rows] == [(r.label, r.events) for r in expected.table("admin1")]
        assert "--by admin1" in screen.query_one(StatusLine).command
        kabul = [r.label for r in table.rows].index("Kabul, Afghanistan")
        table.move_to(kabul)
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.query_text == "country:Afghanistan admin1:Kabul"
        shown = main.event_list.row_count()
        assert shown == table.rows[kabul].events and shown < len(parse("country:Afghanistan").apply(bundled_ds))
        assert all(e.admin1 == "Kabul" for e in main.event_list.events)


@aio
async def test_a_row_of_an_acled_actor_narrows_by_its_name_where_the_name_is_its_alone(bundled_ds) -> None:
    """QA s18 (a researcher): Enter on "Армия Фронт 291 (target)" gave the filter
    `target:"acled:291-2baa78…"`, a hash no one reads, where the filter takes the name. An
    ACLED actor's row narrows by its name when the name names it alone (the same events:
    as many as the row counts); a curated actor keeps its id (`perpetrator:iskp`)."""
    from briefing.dataset import Dataset
    from briefing.records import Actor, ActorRole, Event

    actors = [
        Actor("acled:291-2baa78f8", "Армия Фронт 291", "armed-group"),
        Actor("acled:twin-a", "Twin", "armed-group"),
        Actor("acled:twin-b", "Twin B", "armed-group", aliases=("Twin",)),
        Actor("acled:esc", "Esc\x1b]0;x\x07 Front", "armed-group"),  # a name no filter should carry
    ]
    events = [
        Event(f"acled:E{i}", "t", f"2024-0{1 + i % 3}-1{i}", "Mali", "battles", actors=(ActorRole(a.id, "target"),))
        for i, a in enumerate(actors * 2)
    ]
    ds = Dataset(bundled_ds.sources, [*bundled_ds.actors, *actors], [*bundled_ds.events, *events])
    app = make_app(ds, theme="briefing-dark", query="country:Mali")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("tab", "tab")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        wanted = {
            "Армия Фронт 291 (target)": 'country:Mali target:"Армия Фронт 291"',
            "Twin (target)": 'country:Mali target:"acled:twin-a"',
            "Esc\x1b]0;x\x07 Front (target)": 'country:Mali target:"acled:esc"',  # its id, no ESC typed in
        }
        for label, query in wanted.items():
            at = [r.label for r in table.rows].index(label)
            count = table.rows[at].events
            table.move_to(at)
            await pilot.press("enter")
            await pilot.pause()
            main = app.screen
            assert isinstance(main, MainScreen) and main.query_text == query, main.query_text
            assert main.event_list.row_count() == count
            await pilot.press("slash", "ctrl+u", *"country:Mali", "enter", "t")
            await pilot.pause()
            await pilot.press("tab", "tab")
            await pilot.pause()
            table = app.screen.query_one(FrequencyTable)


@aio
async def test_a_weekly_axis_ends_on_the_period_s_last_day(bundled_ds) -> None:
    """QA s18 (a researcher): the axis of a chart by week read `2023-12-15 … 2024-01-13` for a
    period ending 15 Jan: the last week's first day, read as the end."""
    from briefing.tui.widgets.trends_chart import TrendsChart

    app = make_app(bundled_ds, theme="briefing-dark", query="since:2019-10-01 until:2019-11-20")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen) and screen.trends is not None and screen.trends.unit == "week"
        axis = str(screen.query_one(TrendsChart).query_one("#trends-axis").render())
        assert axis.startswith(f"{screen.trends.timeline[0].start.isoformat()} … 2019-11-20,"), axis


@aio
async def test_shift_tab_and_escape_and_the_theme_key(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert table.by == "source"
        text = screen_text(app)
        assert "by month" in text and "Jan 2015" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.query_text == ""
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="tmux")
def test_t_tab_enter_in_tmux(pane: Pane) -> None:  # noqa: F811 - the fixture
    import shutil

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    briefing = Path(sys.executable).with_name("briefing")
    pane.literal(f'{shlex.quote(str(briefing))} --data {shlex.quote(str(BUNDLED))}; echo "EXIT=$?"')
    pane.keys("Enter")
    pane.wait_for("events ·", timeout=20)
    pane.keys("t")
    screen = pane.wait_for("--table counts --by country")
    assert "Afghanistan" in screen and "trends" in screen.splitlines()[0]
    assert max(len(line) for line in screen.splitlines()) <= 80
    pane.keys("Tab")
    screen = pane.wait_for("--by admin1")
    pane.keys("Enter")  # the first admin1 row
    screen = pane.wait_for(lambda s: "filter: country:" in s and "→" in s)
    header = screen.splitlines()[0]
    assert "filter: country:Tajikistan" in header, header  # most events have no admin1: the country
    assert "Tajikistan" in first_row(screen)
    pane.keys("q")
    screen = pane.wait_for(lambda s: "EXIT=" in s and s.rstrip().endswith(PROMPT.rstrip()), timeout=15)
    assert "EXIT=0" in screen


@aio
async def test_place_names_from_records_are_shown_not_obeyed() -> None:
    from briefing.dataset import Dataset
    from briefing.records import Event, Source

    hostile = "\x1b[31mAli[bold]bori\x9b"
    events = [
        Event(f"e{i}", "t", f"2022-0{m}-1{i}", "Benin", "battles", admin1=hostile, sources=("s",))
        for i, m in enumerate((1, 2, 8, 9))
    ]
    app = make_app(
        Dataset([Source("s", "S", "news", "B")], [], events), theme="briefing-dark", query="since:2022-07 until:2022-12"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(app)
        assert "\x1b" not in text and "\x9b" not in text
        assert "Battles in \\x1b[31mAli[bold]bori\\x9b held steady" in text
        await pilot.press("tab")
        await pilot.pause()
        assert "\\x1b[31mAli[bold]bori\\x9b, Ben" in screen_text(app)


@aio
async def test_trends_from_the_actors_list_leaves_nothing_behind(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a", "t")
        await pilot.pause()
        assert isinstance(app.screen, TrendsScreen)
        await pilot.press("enter")  # the first country
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.query_text == "country:Afghanistan"
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, TrendsScreen)


@aio
async def test_many_events_are_worked_out_on_a_thread(bundled_ds, monkeypatch) -> None:
    monkeypatch.setattr(TrendsScreen, "SYNC_LIMIT", 0)  # the bundled data counts as "many"
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Tajikistan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        tajik = sum(e.country == "Tajikistan" for e in bundled_ds.events)
        assert [r.label for r in table.rows] == ["Tajikistan"] and table.rows[0].events == tajik
        assert "Working out" not in screen_text(app)
        await pilot.press("escape", "t", "escape")  # closed while working: nothing breaks
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


@aio
async def test_a_table_asked_for_while_the_trends_are_counted_says_counting(bundled_ds, monkeypatch) -> None:
    """QA s18 (a researcher): Tab pressed while a big dataset's trends were still being worked
    out showed "No events in this period." under a flat sparkline: a result (none) before
    there was one. Until the trends land, every table says it is counting, and no line is drawn."""
    from textual.containers import Horizontal

    from briefing.tui.widgets.trends_chart import TrendsChart

    monkeypatch.setattr(TrendsScreen, "SYNC_LIMIT", 0)  # the bundled data counts as "many"
    monkeypatch.setattr(TrendsScreen, "_in_thread", lambda self, ds: None)  # still counting
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Tajikistan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            table = app.screen.query_one(FrequencyTable)
            assert table.empty_message().startswith("Counting…"), table.empty_message()
            assert "No events in this period" not in screen_text(app)
        chart = app.screen.query_one(TrendsChart)
        assert not any(row.display for row in chart.query(Horizontal)), "a flat line reads as zero"


@aio
async def test_trends_on_an_actor_s_screen_are_that_actor_s(bundled_ds) -> None:
    """QA s18 (a researcher): on an actor's profile, whose status line is the brief of
    `actor:ID`, `t` opened Trends of the event list's old filter (`elders`), so an actor's
    trends in the TUI needed its slug typed by hand. On an actor's or a source's screen `t`
    gives the trends of what the screen shows; elsewhere, of the list's filter, as before."""
    from briefing.tui.screens.actor import ActorScreen, actor_query

    app = make_app(bundled_ds, theme="briefing-dark", query="country:Tajikistan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ActorScreen)
        actor = app.screen.actor
        await pilot.press("t")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TrendsScreen) and app.screen.query_text == actor_query(actor.id)
        assert actor_query(actor.id) in app.screen.command_line()
        await pilot.press("escape", "escape", "e")
        await pilot.pause(0.2)
        await pilot.press("t")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TrendsScreen) and app.screen.query_text == "country:Tajikistan"


@aio
async def test_a_big_dataset_is_charted_from_its_index(bundled_ds, monkeypatch) -> None:
    """Past `analysis.INDEX_MIN` events the screen's numbers come from SQL over the index
    (`trend_queries`), not from reading every event: the same rows and the same words."""
    import briefing.analysis as A

    query = parse("country:Afghanistan")
    python = for_query(bundled_ds, query)
    assert python is not None and type(python.numbers).__name__ == "EventNumbers"
    monkeypatch.setattr(A, "INDEX_MIN", 0)  # the bundled data counts as big
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Afghanistan")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen) and screen.trends is not None
        assert type(screen.trends.numbers).__name__ == "IndexNumbers"
        await pilot.press("tab", "tab")  # the actor table
        await pilot.pause()
        table = screen.query_one(FrequencyTable)
        assert table.by == "actor"
        assert [(r.label, r.events, r.deaths, r.spark) for r in table.rows] == [
            (r.label, r.events, r.deaths, r.spark) for r in python.table("actor")
        ]
        assert A.change_sentence(python, python.subject()).split(" in ")[0] in screen_text(app)


@aio
async def test_a_big_dataset_s_trends_ask_the_store_nothing_on_the_screen_s_thread(bundled_ds, monkeypatch) -> None:
    """At a million events the chart's sentences (what the events are: `Battles`, and whether
    the actors were seen before the period) asked the store 1.5 s of statements on the
    screen's thread after the worker had done: keys did not answer meanwhile.  Every statement
    of the screen's numbers now runs on the worker."""
    import threading

    import briefing.analysis as A
    from briefing.sqlquery import index_for

    monkeypatch.setattr(A, "INDEX_MIN", 0)  # the bundled data counts as big
    monkeypatch.setattr(TrendsScreen, "SYNC_LIMIT", 0)
    ui = threading.get_ident()
    asked: list[int] = []
    conn = index_for(bundled_ds).conn
    app = make_app(bundled_ds, theme="mono", query="country:Afghanistan")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        conn.set_trace_callback(lambda _sql: asked.append(threading.get_ident()))
        try:
            await pilot.press("t")
            await app.workers.wait_for_complete()
            await pilot.pause()
        finally:
            conn.set_trace_callback(None)
        assert isinstance(app.screen, TrendsScreen) and app.screen.trends is not None
        assert "Afghanistan" in screen_text(app)
    assert asked and ui not in asked, sum(t == ui for t in asked)


@aio
async def test_a_table_not_worked_out_yet_is_worked_out_on_a_thread(bundled_ds, monkeypatch) -> None:
    """At a million events a table by actor takes seconds: Tab must not freeze the screen
    while it is worked out (it says so, and the keys still answer)."""
    import threading

    from briefing.analysis import Trends

    monkeypatch.setattr(TrendsScreen, "SYNC_LIMIT", 0)  # the bundled data counts as big
    gate = threading.Event()
    threads: list[int] = []
    original = Trends.table

    def slow_table(self, by):
        if by == "type" and not self.has_table(by):
            threads.append(threading.get_ident())
            gate.wait(10)
        return original(self, by)

    want = [(r.label, r.events) for r in for_query(bundled_ds, parse("")).table("type")]
    monkeypatch.setattr(Trends, "table", slow_table)
    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause(0.5)
        await pilot.press("tab", "tab", "tab")  # country, admin1, actor, type
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        assert table.by == "type" and "Counting" in screen_text(app)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [(r.label, r.events) for r in table.rows] == want
        assert threads and threading.get_ident() not in threads


@aio
async def test_enter_on_an_actor_row_lists_as_many_events_as_the_row_counts(bundled_ds) -> None:
    """The table by actor counts an actor in one role ("ISKP (perpetrator)"); Enter used to
    narrow to the actor in any role or claiming a figure, so the list held more events than the
    row said.  Now the row's role is the filter's field (`perpetrator:iskp`)."""
    rows = for_query(bundled_ds, parse(""), bundled_ds.events).table("actor")
    wider = [
        i
        for i, r in enumerate(rows)
        if len(parse(f"actor:{r.key[0]}").apply(bundled_ds)) > r.events  # the actor has other roles too
    ]
    assert wider, "the bundled data has an actor in several roles"
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("tab", "tab")  # the actor table
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        assert table.by == "actor" and [r.key for r in table.rows] == [r.key for r in rows]
        row = rows[wider[0]]
        table.move_to(wider[0])
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.query_text == f"{row.key[1]}:{row.key[0]}"
        assert main.event_list.row_count() == row.events
        assert all((row.key[0], row.key[1]) in {(a.actor, a.role) for a in e.actors} for e in main.event_list.events)


@aio
async def test_enter_on_a_no_admin1_row_lists_only_the_events_without_one(bundled_ds) -> None:
    """The row "(no admin1), Afghanistan" counts the country's events with no admin1; Enter used
    to narrow to the whole country (9 counted, 20 listed)."""
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Afghanistan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("tab")  # the admin1 table
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        assert table.by == "admin1"
        i = [r.label for r in table.rows].index("(no admin1), Afghanistan")
        row = table.rows[i]
        table.move_to(i)
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.query_text.startswith("country:Afghanistan -admin1:")
        assert main.event_list.row_count() == row.events < len(parse("country:Afghanistan").apply(bundled_ds))
        assert all(e.admin1 is None for e in main.event_list.events)


@aio
async def test_a_filter_matching_nothing_charts_no_lines(bundled_ds) -> None:
    """ "Nothing to chart" draws nothing: three flat lines under it read as no events and no
    deaths, where no source said anything about deaths.  A filter that matches draws them again."""
    from textual.widgets import Sparkline

    from briefing.tui.widgets.trends_chart import TrendsChart

    app = make_app(bundled_ds, theme="briefing-dark", query="country:Nowhere")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        chart = app.screen.query_one(TrendsChart)
        assert "nothing to chart" in screen_text(app)
        assert "▁" not in screen_text(app) and "killed ≥" not in screen_text(app)
        chart.show(for_query(bundled_ds, parse(""), bundled_ds.events))
        await pilot.pause()
        assert all(s.display for s in chart.query(Sparkline)) and "killed ≥" in screen_text(app)


@aio
async def test_a_period_whose_events_have_no_killed_figure_is_said_not_drawn_as_zero() -> None:
    """A month whose events carry no killed figure is unknown, not zero deaths: its cell is
    marked `?`, and the axis says how many periods that is."""
    from datetime import date

    from textual.app import App, ComposeResult

    from briefing.analysis import Period, analyse
    from briefing.records import Event, Figure
    from briefing.tui.widgets.trends_chart import TrendsChart

    def ev(eid: str, day: str, killed: int | None) -> Event:
        figures = () if killed is None else (Figure("killed", "total", "a", "s", value=killed),)
        return Event(eid, eid, day, "Benin", "battles", figures=figures)

    events = [ev("e1", "2022-01-10", 4), ev("e2", "2022-02-10", None), ev("e3", "2022-03-10", 0)]
    trends = analyse(events, Period(date(2022, 1, 1), date(2022, 12, 31)))

    class Chart(App[None]):
        def compose(self) -> ComposeResult:
            yield TrendsChart()

    app = Chart()
    async with app.run_test(size=(80, 20)) as pilot:  # said within 80 columns, before the peak
        app.query_one(TrendsChart).show(trends)
        await pilot.pause()
        axis = " ".join(line.strip() for line in screen_text(app).splitlines()[-11:])  # it may wrap to 2 lines
        assert "by month · killed unknown in 1 month (marked ?) · peak" in axis, axis


@aio
async def test_months_summed_into_a_bar_say_which_unknown_ones_are_marked() -> None:
    """QA s17: at 80 columns, ten years by month (each bar 2 months summed), the axis said
    "killed unknown in 2 months (marked ?)" and no `?` was drawn: each unknown month was
    summed with a month that had a figure.  The note says what the bars show."""
    from datetime import date

    from textual.app import App, ComposeResult

    from briefing.analysis import Period, analyse
    from briefing.records import Event, Figure
    from briefing.tui.widgets.sparkline import UNKNOWN
    from briefing.tui.widgets.trends_chart import TrendsChart

    def ev(eid: str, day: str, killed: int | None) -> Event:
        figures = () if killed is None else (Figure("killed", "total", "a", "s", value=killed),)
        return Event(eid, eid, day, "Benin", "battles", figures=figures)

    # Jan and Feb 2015 share a bar (the one unknown, the other 4): no `?`; Mar and Apr 2015
    # share one too, both unknown: a `?`
    events = [ev("e1", "2015-01-10", None), ev("e2", "2015-02-10", 4), ev("e3", "2015-03-10", None)]
    events += [ev("e4", "2015-04-10", None), ev("e5", "2024-12-10", 9)]
    trends = analyse(events, Period(date(2015, 1, 1), date(2024, 12, 31)))

    class Chart(App[None]):
        def compose(self) -> ComposeResult:
            yield TrendsChart()

    app = Chart()
    async with app.run_test(size=(80, 20)) as pilot:
        app.query_one(TrendsChart).show(trends)
        await pilot.pause()
        text = screen_text(app)
        axis = " ".join(line.strip() for line in text.splitlines()[-11:])
        assert "each bar 2 months summed" in axis, axis
        assert "killed unknown in 3 months (1 bar marked ?; 1 summed into bars with a figure)" in axis, axis
        drawn = [line for line in text.splitlines() if "killed ≥" in line or "killed ≤" in line]
        assert len(drawn) == 2 and all(line.count(UNKNOWN) == 1 for line in drawn), drawn  # the one bar


@aio
async def test_the_killed_line_tells_a_small_toll_from_none_and_from_unknown() -> None:
    """QA s12: in the one-row killed line anything under an eighth of the peak was drawn `▁`,
    as were zero and the weeks whose deaths are unknown: 17 and 3 deaths looked like nothing
    known.  Now 0 is blank, any toll at least `▁`, and unknown `?`."""
    from datetime import date

    from textual.app import App, ComposeResult

    from briefing.analysis import Period, analyse
    from briefing.records import Event, Figure
    from briefing.tui.widgets.trends_chart import TrendsChart

    def ev(eid: str, day: str, killed: int | None) -> Event:
        figures = () if killed is None else (Figure("killed", "total", "a", "s", value=killed),)
        return Event(eid, eid, day, "Benin", "battles", figures=figures)

    tolls = {1: 200, 2: 17, 3: None, 4: 3, 5: 0, 6: 100}  # months of 2022
    events = [ev(f"e{m}", f"2022-{m:02d}-10", k) for m, k in tolls.items()]
    trends = analyse(events, Period(date(2022, 1, 1), date(2022, 6, 30)))

    class Chart(App[None]):
        def compose(self) -> ComposeResult:
            yield TrendsChart()

    app = Chart()
    async with app.run_test(size=(70, 20)) as pilot:  # by week: the 6 events' weeks apart
        app.query_one(TrendsChart).show(trends)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        top = next(i for i, x in enumerate(lines) if x.startswith(" events"))
        floor, killed = lines[top + 2], lines[top + 3]  # the events chart's bottom row; killed ≥
        assert killed.startswith(" killed ≥"), lines
        starts = [c for c in range(9, len(floor)) if floor[c] != " " and floor[c - 1] == " "]
        cells = [killed[c] for c in starts]  # under each event's week
        assert len(cells) == 6, (floor, killed)
        assert cells[0] == "█" and cells[5] not in " ▁?", cells  # the peak; half of it
        assert cells[1] == "▁" and cells[3] == "▁", cells  # 17 and 3: small, not nothing
        assert cells[2] == "?" and cells[4] == " ", cells  # unknown; zero


@aio
async def test_the_tables_say_the_events_with_no_figure_and_keep_the_role_at_80x24(bundled_ds) -> None:
    # What a user saw at 80x24: `Islamic State Khorasan Provinc…  13  32% 111–121` twice (the
    # role cut off, so the two rows could not be told apart), and no sign that 10 of the 13
    # events have no killed figure.
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        await tab_to_table(pilot, table, "actor")
        text = screen_text(app)
        assert "no fig" in text
        rows = {r.label: r for r in table.rows}
        mentioned = rows["Islamic State Khorasan Province (mentioned)"]
        assert mentioned.deaths.without_figure == 10
        # the name too long at 80: its first alias with the role whole (QA s15), not a middle cut
        [line] = [x for x in text.splitlines() if "ISKP (mentioned)" in x]
        assert " 13 " in line and "111–121" in line and " 10 " in line, line


@aio
@pytest.mark.parametrize("index_min", [None, 0])
async def test_the_change_says_which_events_it_leaves_out_and_the_header_counts_them(
    bundled_ds, monkeypatch, index_min: int | None
) -> None:
    """Two Tajikistan events dated only `2019` are among Jul–Dec 2019's 5 and Jan–Jun's 6: the
    chart's change compares 3 with 4 and says it left 2 out; the header still shows the 5 the
    filter selects (from the events, and from the index alike)."""
    import briefing.analysis as A
    from briefing.tui.widgets.header_bar import HeaderBar

    if index_min is not None:
        monkeypatch.setattr(A, "INDEX_MIN", index_min)
    text = "country:tajikistan since:2019-07 until:2019-12"
    app = make_app(bundled_ds, theme="briefing-dark", query=text)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen) and screen.trends is not None
        summary = str(screen.query_one("#trends-summary").render())
        assert (
            "Events in Tajikistan fell 25% (limited change) to 3 in Jul–Dec 2019 vs 4 in Jan–Jun (2 events dated "
            "only to a month or year that neither period holds whole are left out of the change)."
        ) in summary
        assert screen.query_one(HeaderBar).shown == 5
        (row,) = screen.query_one(FrequencyTable).rows
        assert (row.events, row.change.text, row.change.left_out) == (5, "-25%", 2)


@aio
@pytest.mark.parametrize("theme", ["briefing-light", "briefing-dark", "high-contrast"])
async def test_the_charts_low_end_is_a_solid_colour(bundled_ds, theme: str) -> None:
    """QA: on the light theme in 16 colours the chart was light grey on white: Textual draws the
    low end of a sparkline in its colour at 30%, which a 16-colour terminal rounds to grey."""
    from textual.widgets import Sparkline

    app = make_app(bundled_ds, theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause(0.3)
        assert isinstance(app.screen, TrendsScreen)
        for s in app.screen.query(Sparkline):
            low = s.get_component_styles("sparkline--min-color").color
            assert low.a == 1.0, (theme, s.id, low)


def test_cut_actor_names_stay_apart_in_the_trends_table() -> None:
    """QA: at 80 columns seven different actors read "Ministry of Defe… (perpetrator)": the
    name was cut at its end, where ACLED's names differ (the country, the years). A cut name
    keeps its start and its end, and the role."""
    from rich.cells import cell_len

    from briefing.tui.widgets.frequency_table import fit_label

    names = [
        "Ministry of Defence of Mali (2021-) (perpetrator)",
        "Ministry of Defence of Niger (2023-) (perpetrator)",
        "Ministry of Defence of Burkina Faso (2022-) (perpetrator)",
    ]
    cut = [fit_label(n, 31) for n in names]
    assert len(set(cut)) == 3, cut
    assert all(cell_len(c) == 31 and c.startswith("Ministry") and c.endswith(") (perpetrator)") for c in cut), cut
    assert fit_label("Islamic State (claimant)", 31) == "Islamic State (claimant)".ljust(31)
    # QA: one actor's rows were cut at different points for roles of different lengths
    # (`Islamic S…Province (mentioned)`, `Islamic …Province (perpetrator)`)
    iskp = [fit_label(f"Islamic State Khorasan Province ({r})", 31) for r in ("mentioned", "perpetrator", "target")]
    assert len({c.split(" (")[0] for c in iskp}) == 1 and all(cell_len(c) == 31 for c in iskp), iskp
    assert iskp[0].rstrip().endswith("(mentioned)") and iskp[1].endswith("(perpetrator)"), iskp


@aio
async def test_a_big_dataset_s_table_says_it_is_counting_not_that_there_are_no_events(bundled_ds, monkeypatch) -> None:
    # What a user saw (QA, TUI round 2): on a 50k export, `t` showed "No events in this period."
    # for the seconds the trends took, and "over 50,000 events" with a filter of 214.
    import threading

    monkeypatch.setattr(TrendsScreen, "SYNC_LIMIT", 0)  # the bundled data counts as "many"
    go = threading.Event()
    work = TrendsScreen._in_thread
    monkeypatch.setattr(TrendsScreen, "_in_thread", lambda self, ds: (go.wait(10), work(self, ds)))
    app = make_app(bundled_ds, theme="briefing-dark", query="country:Tajikistan")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(app)
        assert "No events" not in text and "Counting" in text, text
        assert f"{len(bundled_ds.events):,} events" not in text  # not the whole data's count as the filter's
        go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(FrequencyTable).rows


@aio
async def test_t_with_an_invalid_filter_says_so_instead_of_charting_the_last_good_one(bundled_ds) -> None:
    # What a user saw (QA, TUI round 2): the list said `filter: actor:iskp OR actor:isis
    # (invalid)`, no events shown; `t` charted the filter before it, and enter on a row
    # replaced the typed filter with that one.  `x` in the same state refuses: so does `t`.
    app = make_app(bundled_ds, theme="briefing-dark", query="since:2019-07 until:2019-12")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        assert main.set_filter("actor:iskp OR actor:isis") is False
        await pilot.pause()
        await pilot.press("escape", "t")
        await pilot.pause()
        assert app.screen is main and not isinstance(app.screen, TrendsScreen)
        assert any("invalid" in str(n.message) for n in app._notifications), list(app._notifications)


@pytest.mark.parametrize("size", [(40, 20), (39, 30)])
@aio
async def test_trends_on_a_narrow_terminal_draws_without_its_trend_column(bundled_ds, size) -> None:
    # Found checking QA's 40-column Trends (TUI round 2): when the table had a scrollbar at 40
    # columns (or at 39 without one), the trend column was 0 wide and drawing a row raised
    # ZeroDivisionError: the app died with a traceback.
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TrendsScreen)
        text = screen_text(app)  # the first row (Afghanistan, 20 of 40), drawn
        assert "Afghanistan" in text and " 20 " in text, text


@aio
async def test_trends_at_80x24_shows_the_whole_summary_and_axis_note(bundled_ds) -> None:
    # What a user saw (QA, TUI round 2): at 80x24 the summary was cut after 4 lines with no
    # mark: "17 in Jul–Dec 2019 vs ≥32 in Jan–Jun 2019", the one number saying deaths went
    # down, was gone (the brief prints it).  The table gives up rows instead: it scrolls, the
    # summary did not.
    app = make_app(bundled_ds, theme="briefing-dark", query="since:2019-07 until:2019-12")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "17 in Jul–Dec 2019 vs ≥32 in Jan–Jun 2019" in shown, screen_text(app)
        assert "peak 2 (2019-11-04)" in shown
        assert "Tajikistan" in shown  # and the table still has rows
    for size in ((60, 20), (70, 22)):
        app = make_app(bundled_ds, theme="briefing-dark")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("t")
            await pilot.pause()
            await pilot.pause()
            # (QA regress 8) uncut there, the screen scrolled to find the table room: the header
            # with the filter in force, and the summary's first line, went out of sight.  A small
            # terminal keeps the summary's 4 lines and the note's 2.
            lines = screen_text(app).splitlines()
            assert lines[0].startswith(" briefing › trends") and lines[1].startswith(" Events"), lines
            # (QA regress 9) and what they give up is marked: at 60x20 the note lost "· peak 6
            # (Apr 2022) · 7 not placed" without a sign
            if "not placed" not in " ".join(lines):
                assert any(ln.rstrip().endswith("…") for ln in lines), lines


@aio
async def test_at_60_columns_the_actor_table_keeps_each_row_s_actor_and_role(bundled_ds) -> None:
    """QA s9: at 60x20 every row of the table by actor read `Islamic State …`: the name column
    was too narrow for a role, so the role went and the name was cut from its end, while the
    sparkline and the share stayed.  As the README says, they go first."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("tab", "tab")  # the actor table
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        assert table.by == "actor"
        text = screen_text(app)
        header = next(line for line in text.splitlines() if line.lstrip().startswith("actor "))
        assert "trend" not in header and "share" not in header and "killed" in header, header
        shown = [line for line in text.splitlines() if "(perpetrator)" in line or "(claimant)" in line]
        assert len(shown) >= 3 and len(set(shown)) == len(shown), text
        for r in table.rows[:4]:
            assert f"{r.events:,}" in text


@pytest.mark.parametrize("with_unknown", [True, False])
@aio
async def test_at_80_columns_an_actor_s_name_keeps_14_cells_and_an_empty_no_figure_column_goes(
    with_unknown: bool,
) -> None:
    """QA s18 (a researcher): at 80 columns the table by actor cut names to 5 cells (`Milit…tan)
    (target)`, several actors alike) while a `no fig` column, empty for ACLED's rows (each has
    ACLED's count), kept its 7. A name keeps 14 cells before the level goes, and a column no
    row fills is left out."""
    from briefing.dataset import Dataset
    from briefing.devtools import synth
    from briefing.tui.widgets.frequency_table import ROLE_ROOM

    ds = synth.dataset(2000, seed=2)
    if not with_unknown:  # as an ACLED export: every event with a killed figure
        ds = Dataset(ds.sources, ds.actors, [e for e in ds.events if any(f.metric == "killed" for f in e.figures)])
    app = make_app(ds, theme="briefing-dark", query="since:2024-01")  # a baseline: the change and its level
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("tab", "tab")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        assert table.by == "actor" and table.rows
        assert (sum(r.deaths.without_figure for r in table.rows) > 0) is with_unknown
        name, _events, _share, _killed, unknown, change, _trend = table._layout(table.size.width)
        assert name - ROLE_ROOM >= 14, name
        assert (unknown == 0) is (not with_unknown), unknown
        if not with_unknown:
            assert change >= 22 and "no fig" not in screen_text(app)


@aio
async def test_the_actors_list_writes_a_count_with_its_thousands_separator(bundled_ds) -> None:
    """QA s18: the actors list wrote `2461` and `100000` where every other count reads `2,461`."""
    from briefing.tui.widgets.actor_list import ActorList

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        actors = app.screen.query_one(ActorList)
        actors._event_count = lambda _id: 100_000
        actors._count_width = ActorList(bundled_ds.actors, actors._event_count, 100_000)._count_width
        row = "".join(seg.text for seg in actors.row_segments(0, 80))
        head = "".join(seg.text for seg in actors.header_segments(80))
        assert "100,000" in row and row.index("100,000") + 7 == head.index("events") + 6, (row, head)


@aio
async def test_the_chart_s_bars_are_measured_from_zero_not_from_the_quietest_period() -> None:
    """QA s12: Textual scales a sparkline from its lowest value, so June's 8 events were drawn
    as nothing beside September's 15 and August's 98 deaths sat on the floor, where the axis
    says lines with no killed figure lie.  Bars now rise from zero."""
    from datetime import date

    from textual.app import App, ComposeResult

    from briefing.analysis import Period, analyse
    from briefing.records import Event, Figure
    from briefing.tui.widgets.trends_chart import TrendsChart

    events = []
    months = ((6, 8, 158), (7, 13, 488), (8, 14, 98), (9, 15, 199), (10, 14, 159), (11, 11, 122), (12, 14, 359))
    for month, n, killed in months:
        for i in range(n):
            figures = (Figure("killed", "total", "a", "s", value=killed if i == 0 else 0),)
            events.append(
                Event(f"e{month}-{i}", "t", f"2024-{month:02d}-{i + 1:02d}", "Benin", "battles", figures=figures)
            )
    trends = analyse(events, Period(date(2024, 6, 1), date(2024, 12, 31)))

    class Chart(App[None]):
        def compose(self) -> ComposeResult:
            yield TrendsChart()

    app = Chart()
    async with app.run_test(size=(80, 20)) as pilot:  # 70 cells of chart: 10 a month
        app.query_one(TrendsChart).show(trends)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        top = next(i for i, x in enumerate(lines) if x.startswith(" events"))
        june = [lines[top + k][9] for k in range(3)]  # the events chart's 3 rows, June's first cell
        assert june[0] == " " and june[1] != " " and june[2] == "█", june  # 8 of 15: half the height
        [killed] = [x for x in lines if x.startswith(" killed ≥")]
        august = killed[9 + 20]
        assert august not in (" ", "▁"), killed  # 98 of 488: above the floor


@aio
async def test_on_a_short_terminal_the_table_keeps_rows(bundled_ds) -> None:
    """QA s12: at 40x15 the chart took the screen and the table showed its header and no row;
    enter narrowed the list by a row no one could see.  Under 20 rows the chart gives up its
    killed lines and more of its text; they come back on a taller terminal."""
    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(app)
        assert "Afghanistan" in text and "Tajikistan" in text and "killed ≥" not in text, text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "killed ≥" in screen_text(app)


@aio
async def test_a_narrower_table_drops_the_sparkline_before_the_change_s_level(bundled_ds) -> None:
    """QA s14: at 100x30 the table by actor kept its share and sparkline and dropped the
    change's level (`+150%`, "limited change" by the noise rule, unsaid); the README's order is
    the sparkline, then the share, then the change.  The level goes after those two."""
    app = make_app(bundled_ds, theme="briefing-dark", query="since:2022-01 until:2022-12")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        row = table.rows[0]
        level = f"{row.change.text} {row.change.level}"

        def drawn(width: int) -> str:
            return "".join(seg.text for seg in table.row_segments(0, width))

        assert level in drawn(96), drawn(96)  # 100 columns less the screen's frame: the level kept
        for width in range(60, 130):
            _name, _events, share, _killed, _unknown, change, trend = table._layout(width)
            if trend:  # a sparkline only beside the level and the share
                assert share and level in drawn(width), (width, drawn(width))
            if change and level not in drawn(width):  # the level gone: the sparkline and share first
                assert not trend and not share and row.change.text in drawn(width), (width, drawn(width))


@aio
async def test_a_table_of_short_places_keeps_the_change_s_level_where_they_fit(bundled_ds) -> None:
    """QA s15: at 70 columns "Gao, Mali" sat in 37 cells and the change's level ("limited
    change") was gone: the label's room was an actor's, a name and its role.  A place or a type
    needs only its own length; the level stays while it fits."""
    app = make_app(bundled_ds, theme="briefing-dark", query="since:2022-01 until:2022-12")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        assert table.by == "country"
        longest = max(len(r.label) for r in table.rows)
        row = table.rows[0]
        level = f"{row.change.text} {row.change.level}"
        drawn = "".join(seg.text for seg in table.row_segments(0, 66))
        assert level in drawn and longest < 20, drawn


def test_a_chart_with_more_periods_than_columns_sums_them_a_column() -> None:
    """QA s15: 120 months in 70 columns, under "by month", drew each column as the largest of
    its months: two months of 3 events read as 3.  A column sums its run of periods, and the
    axis says how many (`per_column`)."""
    import io

    from rich.color import Color
    from rich.console import Console

    from briefing.render.trends import runs, spark_group
    from briefing.tui.widgets.sparkline import _FromZero

    def drawn(data: list[float], width: int) -> str:
        out = io.StringIO()
        chart = _FromZero(data, width=width, height=1, min_color=Color.parse("blue"), max_color=Color.parse("red"))
        Console(file=out, width=width, color_system=None).print(chart)
        return out.getvalue().rstrip("\n")

    assert spark_group(4, 2) == 2 and spark_group(120, 70) == 2 and spark_group(3, 80) == 1
    assert runs(5, 3) == [(0, 2), (2, 5)]  # a short run is the oldest, never the newest
    assert drawn([3, 3, 6, 0], 2) == "██"  # 6 and 6, where the largest of each pair read 3 and 6
    assert drawn([0, 0, 6, 0], 2) == " █"
    unknown = float("nan")
    assert drawn([unknown, unknown, 2, unknown], 2) == "?█"  # a count beats unknown; all unknown is `?`
    # review s15: a flat series read as a fall, its newest column summing fewer periods
    assert drawn([1, 1, 1, 1, 1], 2)[-1] == "█"
    assert drawn([1, 1, 1, 1], 8) == "████████"  # spread over the whole width: no blank end


@aio
async def test_the_axis_says_how_many_periods_a_column_sums(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause(0.3)
        text = " ".join(screen_text(app).split())
        assert "by month, each bar 2 months summed" in text, text
        assert "peak 7 (Mar 2022 – Apr 2022)" in text, text  # the tallest bar drawn (review s15)
        await pilot.resize_terminal(200, 40)  # 120 months in ~190 columns: a month a column
        await pilot.pause(0.3)
        text = " ".join(screen_text(app).split())
        assert "by month ·" in text and "summed" not in text and "peak 6 (Apr 2022)" in text, text


@aio
async def test_an_actor_too_long_for_its_row_is_named_by_its_first_alias_that_fits(bundled_ds) -> None:
    """QA s15: at 80 columns the table by actor read "Islamic …Province (mentioned)", which
    could be any Islamic State province; the actor's own short name (its first alias that fits
    with the role) says which."""
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        await tab_to_table(pilot, table, "actor")
        at = next(i for i, r in enumerate(table.rows) if r.key[0] == "iskp")
        drawn = "".join(seg.text for seg in table.row_segments(at, 60))
        assert drawn.lstrip().startswith("ISKP (") and "…" not in drawn.split(")")[0], drawn
        wide = "".join(seg.text for seg in table.row_segments(at, 200))
        assert "Islamic State Khorasan Province (" in wide, wide
        # one actor, one name in each of its rows, whatever its role's length (QA s15: "ISIS
        # (perpetrator)" beside "Islamic State (claimant)")
        for actor in ("iskp", "isis"):
            names = {
                "".join(seg.text for seg in table.row_segments(i, 60)).strip().rsplit(" (", 1)[0]
                for i, r in enumerate(table.rows)
                if r.key[0] == actor
            }
            assert len(names) == 1, (actor, names)
