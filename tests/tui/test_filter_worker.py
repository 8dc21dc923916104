"""The filter runs off the UI thread (issue 12 item 17: a 2,000-term paste froze the TUI ~7 s,
because every keystroke's query ran on the UI thread), and an answer that lands after a newer
query was typed is dropped: the list and the count are always those of the text on screen."""

from __future__ import annotations

import threading

from briefing.filters import Query, parse
from briefing.sqlquery import EventIndex
from briefing.tui.app import make_app
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.filter_bar import DEBOUNCE
from tui_helpers import aio, screen_text, settle, type_text


async def _settle(app, pilot) -> None:
    await pilot.pause(DEBOUNCE + 0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


@aio
async def test_typed_filters_never_run_on_the_ui_thread(bundled_ds, monkeypatch) -> None:
    ui = threading.get_ident()
    threads: list[int] = []
    # every engine a list filter has had: the reference, the old mask search, the SQL index
    engines = ((Query, "matcher"), (Query, "indices"), (EventIndex, "positions"), (EventIndex, "materialize"))
    for owner, name in engines:
        original = getattr(owner, name, None)
        if original is None:
            continue

        def spy(*a, _original=original, **kw):
            threads.append(threading.get_ident())
            return _original(*a, **kw)

        monkeypatch.setattr(owner, name, spy)
    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "country:Tajikistan")
        await _settle(app, pilot)
        asked = list(threads)  # what the app asked while the filter was typed and shown (the
        # check below reads every match itself, here, on this thread)
        lst = app.screen.query_one(EventList)
        want = [e.id for e in bundled_ds.events if e.country == "Tajikistan"]
        assert [e.id for e in lst.events] == want and want
        assert asked and ui not in asked


@aio
async def test_an_older_answer_landing_late_is_dropped(bundled_ds, monkeypatch) -> None:
    """`country:Tajikistan` is slow to answer; meanwhile the user types `country:Afghanistan`, whose
    answer lands first.  When Tajikistan's lands, the list stays Afghanistan's; then a bad filter typed
    while a query is out leaves no stale rows either."""
    gate = threading.Event()
    original = EventIndex.positions

    def slow(self, query, *a, **kw):
        if "tajikistan" in str(query).casefold():
            assert gate.wait(10)
        return original(self, query, *a, **kw)

    monkeypatch.setattr(EventIndex, "positions", slow)
    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main: MainScreen = app.screen
        lst = main.query_one(EventList)
        await pilot.press("slash")
        await type_text(pilot, "country:Tajikistan")
        await pilot.pause(DEBOUNCE + 0.1)  # its worker is out, waiting
        await pilot.press("ctrl+u")
        await type_text(pilot, "country:Afghanistan")
        await pilot.pause(DEBOUNCE + 0.1)
        for _ in range(50):
            if main.query_text == "country:Afghanistan":
                break
            await pilot.pause(0.05)
        afghan = [e.id for e in bundled_ds.events if e.country == "Afghanistan"]
        assert afghan and [e.id for e in lst.events] == afghan
        gate.set()
        await _settle(app, pilot)
        assert [e.id for e in lst.events] == afghan and main.query_text == "country:Afghanistan"
        assert f"{len(afghan)} " in screen_text(app).splitlines()[0]

        gate.clear()
        await pilot.press("ctrl+u")
        await type_text(pilot, "country:Tajikistan")
        await pilot.pause(DEBOUNCE + 0.1)
        await type_text(pilot, " colour:red")
        await pilot.pause(DEBOUNCE + 0.1)
        gate.set()
        await _settle(app, pilot)
        assert lst.row_count() == 0 and main.filter_error and "colour" in main.filter_error
        assert "colour" in screen_text(app)


@aio
async def test_sort_orders_come_from_the_index_as_sorting_defines_them(bundled_ds) -> None:
    from briefing.sorting import SORTS, sort_events

    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main: MainScreen = app.screen
        lst = main.query_one(EventList)
        assert main.apply_filter("-country:Tajikistan")
        shown = parse("-country:Tajikistan").apply(bundled_ds)
        for by in [*list(SORTS)[1:], list(SORTS)[0]]:
            await pilot.press("o")
            await settle(app, pilot)
            assert lst.sort_by == by
            assert [e.id for e in lst.events] == [e.id for e in sort_events(shown, by)], by


@aio
async def test_the_filter_index_is_built_in_the_background_after_the_first_frame(monkeypatch) -> None:
    """Ready before the first keystroke, yet not competing with the first frame for the
    interpreter: its worker thread starts once the event list's screen has been drawn (a
    guard: building it in `compose` or on the UI thread would delay every start)."""
    from textual.app import App
    from textual.screen import Screen

    from tui_helpers import BUNDLED, load

    ds = load(BUNDLED)  # its own dataset: the session's may hold an index already
    drawn: list[int] = []
    started: list[tuple[str, int]] = []  # (worker group, frames drawn when it was started)
    built: list[int] = []  # threads that built an index
    refresh, run_worker, init = Screen._compositor_refresh, App.run_worker, EventIndex.__init__

    def counting_refresh(self) -> None:
        refresh(self)
        if isinstance(self, MainScreen):  # the event list's screen, not Textual's default one
            drawn.append(1)

    def spying_run_worker(self, work, *a, **kw):
        started.append((kw.get("group", ""), len(drawn)))
        return run_worker(self, work, *a, **kw)

    def spying_init(self, *a, **kw) -> None:
        built.append(threading.get_ident())
        init(self, *a, **kw)

    monkeypatch.setattr(Screen, "_compositor_refresh", counting_refresh)
    monkeypatch.setattr(App, "run_worker", spying_run_worker)
    monkeypatch.setattr(EventIndex, "__init__", spying_init)
    app = make_app(ds, theme="mono")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        warm = [frames for group, frames in started if group == "warm-search"]
        assert warm and warm[0] >= 1  # started after a frame was drawn
        assert len(built) == 1 and built[0] != threading.get_ident()  # built once, off the UI thread


@aio
async def test_the_header_says_the_count_is_being_worked_out(bundled_ds, monkeypatch) -> None:
    """QA (tenth session): at 100k a two-letter filter's count came 1.4-3 s after the key, and
    meanwhile the header showed the last query's count beside nothing that said a newer one was
    on its way.  While the worker works, the header shows the typed text and `counting…`."""
    import threading

    from briefing.tui.screens import main as main_module

    gate = threading.Event()
    real = main_module.matching

    def slow(ds, query, by):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return real(ds, query, by)

    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(main_module, "matching", slow)
        await pilot.press("slash", *"tajik")
        for _ in range(10):  # past the filter's debounce, its worker started and held
            await pilot.pause(0.05)
        header = screen_text(app).splitlines()[0]
        assert "filter: tajik" in header and "counting…" in header, header
        gate.set()
        await settle(app, pilot)
        header = screen_text(app).splitlines()[0]
        assert "counting" not in header and "shown" in header, header
