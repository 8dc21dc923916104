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


@pytest.mark.parametrize("bad", [False, True])
@aio
async def test_a_long_filter_is_cut_never_the_match_count(bad: bool) -> None:
    """QA at 80 columns: `… until:2022-12 -ta…` lost `→ 18 shown`, the number the filter is
    typed for.  The filter text gives way (it is in the input and the status line), the count
    or the `(invalid)` mark stays whole at the end."""
    text = "country:Afghanistan,Tajikistan since:2019-01 until:2022-12 -tag:statement"
    app = _Header()
    async with app.run_test(size=(80, 3)) as pilot:
        bar = app.query_one(HeaderBar)
        bar.show("events", COUNTS, filter_text=text, shown=18, bad_filter=bad)
        await pilot.pause()
        line = bar.render().plain
        want = " (invalid)" if bad else " → 18 shown"
        assert line.endswith(want) and len(line) <= 80, line
        assert "filter: country:Afghanistan" in line and "…" in line, line


@aio
async def test_the_match_count_survives_the_qa_filter_at_80_columns(bundled_ds) -> None:
    from briefing.tui.app import make_app
    from tui_helpers import screen_text, type_text

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "country:Afghanistan,Tajikistan since:2019-01 until:2022-12 -tag:statement")
        await pilot.press("enter")
        await pilot.pause(0.3)
        header = screen_text(app).splitlines()[0].rstrip()
        shown = app.screen.event_list.row_count()
        assert shown > 0 and header.endswith(f"→ {shown:,} shown"), header
