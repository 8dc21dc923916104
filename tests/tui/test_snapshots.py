"""Snapshots (pytest-textual-snapshot) of the main screen, the border-post event, an actor and help,
at 80x24 and 120x40, in the default and the mono theme.  `--snapshot-update` rewrites them."""

from __future__ import annotations

import pytest

from snapshot_apps import build
from tui_helpers import BORDER_POST

SIZES = [(80, 24), (120, 40)]
THEMES = ["briefing-dark", "mono"]


def _open(kind: str, record_id: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_record(kind, record_id)
        await pilot.pause()
        await pilot.pause()

    return run_before


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause(0.1)  # the wide preview follows the cursor after a short delay


VIEWS = {
    "main": dict(run_before=_settle),
    "event": dict(run_before=_open("event", BORDER_POST)),
    "actor": dict(run_before=_open("actor", "iskp")),
    "help": dict(press=["question_mark"]),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", list(VIEWS))
def test_snapshot(snap_compare, view: str, size: tuple[int, int], theme: str) -> None:
    assert snap_compare(build(theme), terminal_size=size, **VIEWS[view])
