"""Numbers are never cut on screen (QA s12): a disputed range in the Trends tables (`1,200–1,…`
for 1,200 vs 1,500, at any width) and a sum of ranged group claims in the event list
(`1,500–2` for `1,500–2,500`, the title and `!` gone)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.tui.app import make_app
from briefing.tui.format import fit_span
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.frequency_table import FrequencyTable
from tui_helpers import BUNDLED, aio, load, screen_text, tab_to_table

GROUPS = "1,000–1,300+1,100–1,400+1,200–1,500+1,500–2,500"


def _event(eid: str, title: str, date: str) -> str:
    return (
        f'\n[[event]]\nid = "{eid}"\ntitle = "{title}"\ndate = "{date}"\ncountry = "Tajikistan"\n'
        'type = "battles"\nsub_type = "armed-clash"\nsources = ["salaam-times-2022-isis-rockets"]\n'
    )


def _killed(subject: str, claimant: str, quantity: str) -> str:
    return (
        f'\n[[event.figures]]\nmetric = "killed"\nsubject = "{subject}"\n{quantity}\n'
        f'claimed_by = "{claimant}"\nsource = "salaam-times-2022-isis-rockets"\n'
    )


EVENTS = (
    _event("2023-06-01-four-groups", "Clash with casualties in four groups", "2023-06-01")
    + "".join(
        _killed(subject, "tj-government", f"low = {low}\nhigh = {high}")
        for subject, low, high in (
            ("civilians", 1200, 1500),
            ("security-forces", 1100, 1400),
            ("attackers", 1000, 1300),
            ("police", 1500, 2500),
        )
    )
    + _event("2023-06-03-huge-dispute", "Battle with a huge disputed toll", "2023-06-03")
    + _killed("total", "tj-government", "value = 1200000")
    + _killed("total", "isis", "value = 1500000")
    + _event("2023-06-02-disputed-toll", "Attack with a disputed toll", "2023-06-02")
    + _killed("total", "tj-government", "value = 1200")
    + _killed("total", "isis", "value = 1500")
)


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("long") / "data"
    shutil.copytree(BUNDLED, root)
    (root / "events" / "long.toml").write_text(EVENTS, encoding="utf-8")
    return load(Path(root))


def test_a_sum_of_groups_too_long_keeps_its_largest_parts_whole() -> None:
    assert fit_span(GROUPS, 60) == GROUPS
    # QA s12: the largest parts are kept (the first ones hid a part of 100,000 behind `≥7+…`)
    assert fit_span(GROUPS, 26) == "1,200–1,500+1,500–2,500+…"
    assert fit_span(GROUPS, 12) == "1,500–2,500+…"  # the largest part whole, room or not
    assert fit_span("≥7+100,000–200,000+1,500", 12) == "100,000–200,000+…"
    assert fit_span("1,200–1,500", 4) == "1,200–1,500"  # one number: never cut


@aio
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_trends_tables_show_a_disputed_range_whole(ds, size) -> None:
    app = make_app(ds, theme="mono", query="country:Tajikistan since:2023")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        for by in ("country", "admin1", "actor", "type", "source"):
            await tab_to_table(pilot, table, by)
            rows = [r for r in table.rows[:5] if r.deaths.with_figure]  # on screen
            assert rows or by == "actor", by  # the events added name no actor
            lines = screen_text(app).splitlines()
            for r in rows:  # on the row's own line (the summary above says the total too)
                assert any(x.startswith(f" {r.label[:8]}") and r.deaths.span in x for x in lines), (by, r, lines)
            if by == "country":
                assert "1,206,000–1,508,200" in [r.deaths.span for r in rows]


@aio
@pytest.mark.parametrize("width", [120, 80, 60, 40])
async def test_the_event_list_never_cuts_a_number_of_a_sum_of_groups(ds, width) -> None:
    """The parts that fit whole, then `+…`; the title keeps some room and the row its end (the
    dispute mark's column); a disputed range beside it is whole with its `!`."""
    app = make_app(ds, theme="mono", query="since:2023-06 until:2023-06 type:battles")
    async with app.run_test(size=(width, 12)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(EventList)
        assert [e.id for e in lst.events] == [
            "2023-06-03-huge-dispute",
            "2023-06-02-disputed-toll",
            "2023-06-01-four-groups",
        ]
        lines = screen_text(app).splitlines()
        [toll] = [x for x in lines if x.startswith(" 2023-06-02")]
        [groups] = [x for x in lines if x.startswith(" 2023-06-01")]
        assert "1,200–1,500 !" in toll, toll
        [huge] = [x for x in lines if x.startswith(" 2023-06-03")]
        assert "1,200,000–1,500,000 !" in huge and len(huge) <= width, huge  # QA s12: `!` kept at 40
        shown = groups.rstrip().split(" ")[-1]
        parts = shown.removesuffix("+…").split("+")
        assert set(parts) <= set(GROUPS.split("+")) and "1,500–2,500" in parts, groups  # the largest
        assert shown == GROUPS or shown.endswith("+…"), groups
        assert len(groups) <= width
        if width >= 60:
            assert "Clash" in groups, groups


@aio
async def test_a_table_by_actor_of_events_naming_no_actor_says_so(ds) -> None:
    """QA s12: the Trends table by actor said "No events in this period." of a period of three
    events that name no actor; it says what the brief says."""
    app = make_app(ds, theme="mono", query="since:2023-06 until:2023-06 type:battles")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(FrequencyTable)
        await tab_to_table(pilot, table, "actor")
        text = screen_text(app)
        assert "No actors recorded for these events." in text and "No events in this period." not in text


@aio
@pytest.mark.parametrize("width", [80, 120])
async def test_the_trends_change_column_shows_a_large_change_whole(width: int) -> None:
    """Review s13: the change column was 6 cells below 100 columns (`+12400%` read
    `+1240…`) and 22 above (its level cut the same way); it is as wide as its widest cell."""
    from datetime import date

    from textual.app import App, ComposeResult

    from briefing.analysis import Period, analyse
    from briefing.records import Event

    events = [Event("b0", "t", "2022-01-05", "Benin", "battles")]
    events += [Event(f"e{i}", "t", f"2022-02-{i % 28 + 1:02d}", "Benin", "battles") for i in range(125)]
    rows = analyse(events, Period(date(2022, 2, 1), date(2022, 2, 28))).table("country")

    class Table(App[None]):
        def compose(self) -> ComposeResult:
            yield FrequencyTable()

    app = Table()
    async with app.run_test(size=(width, 10)) as pilot:
        app.query_one(FrequencyTable).show("country", rows)
        await pilot.pause()
        [row] = [x for x in screen_text(app).splitlines() if x.startswith(" Benin")]
        want = "+12400% large increase" if width >= 100 else "+12400%"
        assert want in row and "…" not in row, row
