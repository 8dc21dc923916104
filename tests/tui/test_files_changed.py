"""The browser says so when the files it shows have changed on disk.

A browser reads the data as it was when it started (a view's snapshot, or the records in
memory): a re-import in another pane (the weekly export replaced, `briefing sync`) changed
nothing on its screen, and nothing said the numbers on it were no longer the files'.  Now it
looks at the files' stamps every few seconds, off the UI thread, and says once that they
changed and that a restart shows them."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefing.loader import load_dataset
from briefing.tui.app import make_app
from tui_helpers import FIXTURE, aio


def _toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


@aio
async def test_a_change_to_the_files_on_disk_is_said_once(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    ds = load_dataset(root)
    assert ds.token
    app = make_app(ds, theme="mono", data_arg=str(root))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.check_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any("changed" in t for t in _toasts(app))  # nothing changed yet

        victim = next(root.rglob("*.toml"))
        victim.write_text(victim.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        for _ in range(2):  # asked twice: said once
            app.check_files()
            await app.workers.wait_for_complete()
            await pilot.pause()
        said = [t for t in _toasts(app) if "changed" in t]
        assert len(said) == 1 and "restart briefing" in said[0].casefold(), said


@aio
async def test_the_header_keeps_saying_the_files_changed_after_the_notice_is_gone(tmp_path: Path) -> None:
    """QA (tenth session): the notice went after 30 s, and nothing on screen then said that the
    numbers shown were no longer the files' (a sync had revised 45 of them).  The header says
    so for the rest of the session, on every screen, opened before the change or after."""
    from tui_helpers import screen_text

    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    ds = load_dataset(root)
    app = make_app(ds, theme="mono", data_arg=str(root))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "files changed" not in screen_text(app).splitlines()[0]
        victim = next(root.rglob("*.toml"))
        victim.write_text(victim.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        app.check_files()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        assert "files changed" in screen_text(app).splitlines()[0], screen_text(app)
        await pilot.press("enter")  # an event's detail, opened after the change
        await pilot.pause()
        assert app.screen is not app.screen_stack[0]
        assert "files changed" in screen_text(app).splitlines()[0], screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "files changed" in screen_text(app).splitlines()[0], screen_text(app)
