"""Snapshots of the Trends screen (`t`) on the bundled data, at 80x24 and 120x40, in the default
and the mono theme.  `--snapshot-update` rewrites them."""

from __future__ import annotations

import pytest

from snapshot_apps import build

SIZES = [(80, 24), (120, 40)]
THEMES = ["briefing-dark", "mono"]


async def _trends(pilot) -> None:
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_trends_snapshot(snap_compare, size: tuple[int, int], theme: str) -> None:
    assert snap_compare(build(theme), terminal_size=size, run_before=_trends)
