"""Snapshots of the What changed screen (`w`) at 80x24, in the default and the mono theme, on a
data folder of two synced exports (tests/test_sync.py), the revised entry highlighted so that
the pane below the list folds it whole.  `--snapshot-update` rewrites them."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.acled_sync import sync
from briefing.tui.app import make_app
from test_sync import T1, T2, base_rows, newer_rows, write_export
from tui_helpers import load

THEMES = ["briefing-dark", "mono"]


async def _changes(pilot) -> None:
    await pilot.pause()
    await pilot.press("w")
    await pilot.pause()
    await pilot.press("j", "j", "j")  # BEN9, BEN10, TGO1, then the revised BEN2
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("theme", THEMES)
def test_changes_snapshot(snap_compare, tmp_path: Path, theme: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    sync(str(data), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    assert snap_compare(make_app(load(data), theme=theme), terminal_size=(80, 24), run_before=_changes)
