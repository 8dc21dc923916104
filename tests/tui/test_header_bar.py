"""The header's numbers are read at a glance: a million events is `1,000,000`, as the brief
writes it, never `1000000` (one digit more or less is a tenfold misreading)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from briefing.tui.widgets.header_bar import HeaderBar
from tui_helpers import aio

COUNTS = {"events": 1_000_000, "actors": 1_761, "sources": 316, "figures": 1_250_000}


class _Header(App[None]):
    def compose(self) -> ComposeResult:
        yield HeaderBar()


@pytest.mark.parametrize(
    "width, want",
    [
        (160, "1,000,000 events · 1,761 actors · 316 sources · 1,250,000 figures"),
        (100, "1,000,000 ev · 1,761 act · 316 src · 1,250,000 fig"),
    ],
)
@aio
async def test_counts_and_matches_have_thousands_separators(width: int, want: str) -> None:
    app = _Header()
    async with app.run_test(size=(width, 3)) as pilot:
        bar = app.query_one(HeaderBar)
        bar.show("events", COUNTS, filter_text="country:mali", shown=12_345)
        await pilot.pause()
        line = bar.render().plain
        assert want in line and line.endswith("→ 12,345 shown"), line
        bar.show("events", COUNTS, loading=(250_000, 1_000_000))
        await pilot.pause()
        assert "loading 250,000/1,000,000" in bar.render().plain
