"""Starting on the cache's first page and loading the rest in a worker thread."""

from __future__ import annotations

import asyncio
import threading

from briefing.dataset import Dataset
from briefing.filters import parse
from briefing.tui.app import make_app
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.event_list import EventList
from tui_helpers import aio, screen_text


def first_page(ds, n: int) -> Dataset:
    """What the cache hands over first: the newest n events, as new objects, no actors or sources."""
    events = [e._replace() for e in ds.events[:n]]
    return Dataset((), (), events, problems=ds.problems, skipped=ds.skipped, root=ds.root, presorted=True)


def gated_loader(ds, gate: threading.Event):
    def load(progress):
        progress(1, 4, None)
        gate.wait(10)
        progress(3, 4, None)
        return ds

    return load


async def wait_loaded(app, pilot) -> None:
    for _ in range(200):
        await pilot.pause(0.02)
        if app.load_progress is None:
            break
    await pilot.pause()
    assert app.load_progress is None


@aio
async def test_shows_every_row_after_loading_and_keeps_the_cursor(bundled_ds) -> None:
    gate = threading.Event()
    page = first_page(bundled_ds, 5)
    app = make_app(page, theme="mono", loader=gated_loader(bundled_ds, gate))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main: MainScreen = app.screen
        lst = main.query_one(EventList)
        assert lst.row_count() == 5
        for _ in range(100):
            if "briefing" in screen_text(app).splitlines()[0]:
                break
            await pilot.pause(0.02)
        assert "loading 1/4" in screen_text(app).splitlines()[0]
        await pilot.press("j", "j")
        await pilot.pause()
        picked = lst.current.id
        gate.set()
        await wait_loaded(app, pilot)
        assert app.ds is bundled_ds
        assert list(lst.events) == list(bundled_ds.events)
        assert lst.current.id == picked and lst.cursor == 2
        header = screen_text(app).splitlines()[0]
        assert "loading" not in header and f"{len(bundled_ds.events)} ev" in header


@aio
async def test_filter_typed_while_loading_is_applied_to_everything(bundled_ds) -> None:
    gate = threading.Event()
    page = first_page(bundled_ds, 3)
    app = make_app(page, theme="mono", loader=gated_loader(bundled_ds, gate))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main: MainScreen = app.screen
        lst = main.query_one(EventList)
        assert main.apply_filter("border")
        gate.set()
        await wait_loaded(app, pilot)
        match = parse("border").matcher(bundled_ds)
        expected = [e for e in bundled_ds.events if match(e)]
        assert 3 < len(expected) and list(lst.events) == expected
        assert main.query_text == "border"


@aio
async def test_a_failed_load_exits_with_status_2(bundled_ds) -> None:
    from briefing.problems import DataError, Problem

    def load(progress):
        raise DataError([Problem("events.toml", 3, "went bad")])

    app = make_app(first_page(bundled_ds, 3), theme="mono", loader=load)
    async with app.run_test(size=(80, 24)):
        for _ in range(100):
            await asyncio.sleep(0.02)
            if app.load_error:
                break
    assert app.load_error and "went bad" in app.load_error[0]
    assert app.return_code == 2


def test_run_starts_on_the_first_page_only_with_a_warm_cache(tmp_path, monkeypatch) -> None:
    import argparse
    import shutil
    import subprocess
    import sys

    from briefing.tui import run as tui_run
    from tui_helpers import BUNDLED

    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    small = tmp_path / "small"
    shutil.copytree(BUNDLED, small)
    small_args = argparse.Namespace(command=None, data=str(small))
    tui_run._first_page(small_args)  # cold, then warm: all of it fits in the first page,
    page, ds, loader = tui_run._first_page(small_args)  # so it loads whole, read once
    assert page is None and loader is None and ds is not None and len(ds.actors) > 0

    data = tmp_path / "data"  # more events than the first page holds
    subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.devtools.synth",
            "--events",
            "1000",
            "--seed",
            "3",
            "--format",
            "toml",
            str(data),
        ],
        check=True,
        capture_output=True,
    )
    args = argparse.Namespace(command=None, data=str(data))
    page, ds, loader = tui_run._first_page(args)  # cold: everything loads first, as before
    assert page is None and loader is None and ds is not None
    page, again, loader = tui_run._first_page(args)  # warm: the first page, the rest to load
    assert page is not None and again is None and loader is not None
    assert [e.id for e in page.events] == [e.id for e in ds.events[: len(page.events)]]
    seen = []
    full = loader(lambda done, total, partial=None: seen.append((done, total)))
    assert [e.id for e in full.events] == [e.id for e in ds.events] and len(full.actors) == len(ds.actors)
    assert seen and seen[-1][0] == seen[-1][1]
    # bad data has no snapshot: the usual load refuses it before any screen
    (data / "zz-bad.toml").write_text('[[event]]\nid = "x"\n', encoding="utf-8")
    assert tui_run._first_page(args) == (None, None, None)


@aio
async def test_actors_wait_for_the_whole_dataset(bundled_ds) -> None:
    gate = threading.Event()
    app = make_app(first_page(bundled_ds, 3), theme="mono", loader=gated_loader(bundled_ds, gate))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.current_mode == "events"
        gate.set()
        await wait_loaded(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert app.current_mode == "actors"


def test_quitting_while_loading_is_quiet(bundled_ds) -> None:
    gate = threading.Event()
    app = make_app(first_page(bundled_ds, 3), theme="mono", loader=gated_loader(bundled_ds, gate))

    async def go():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            threading.Timer(0.3, gate.set).start()  # the load finishes after the app has gone
            await pilot.press("q")
            await pilot.pause()

    asyncio.run(go())
    gate.wait(5)
    import time

    time.sleep(0.3)
    assert app.load_error is None


@aio
async def test_collector_paused_for_start_up_comes_back_after_the_load(bundled_ds) -> None:
    """cli.entry pauses the cyclic collector; the app turns it back on once the first frame is
    drawn and the whole dataset is in, not before (a bulk load under a running collector walks
    every new record again and again)."""
    import gc

    gate = threading.Event()
    page = first_page(bundled_ds, 5)
    app = make_app(page, theme="mono", loader=gated_loader(bundled_ds, gate))
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            assert app.load_progress is not None
            assert not gc.isenabled()  # first frame drawn, the rest still loading
            gate.set()
            await wait_loaded(app, pilot)
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


@aio
async def test_collector_comes_back_after_the_first_frame_without_a_background_load(bundled_ds) -> None:
    import gc

    app = make_app(bundled_ds, theme="mono")
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "events" in screen_text(app)
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
