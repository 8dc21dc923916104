"""The analysis checked against numbers worked out by hand on a small fixture: a disputed event,
an event with no figure, an empty month, periods crossing a year; ACLED's weeks; the bottom
line's wording for every change level."""

from __future__ import annotations

from datetime import date

import pytest

from briefing import analysis as A
from briefing.dataset import Dataset
from briefing.filters import parse
from briefing.records import Actor, ActorRole, Event, Figure, Source


def killed(value=None, *, low=None, high=None, qualifier="exact", by="coder", source="src") -> Figure:
    return Figure("killed", "total", by, source, value=value, low=low, high=high, qualifier=qualifier)


def ev(eid, day, country="Benin", admin1="Alibori", figures=(), actors=(), type="battles") -> Event:
    return Event(
        eid,
        eid,
        day,
        country,
        type,
        admin1=admin1,
        figures=tuple(figures),
        actors=tuple(ActorRole(a, r) for a, r in actors),
        sources=("src",),
    )


# Period Oct 2022 – Apr 2023 (7 months: by month; crosses a year; January is empty).
# Baseline: the 7 months before, Mar – Sep 2022.
EVENTS = [
    ev("old", "2021-01-01", "Niger", "Tillaberi", actors=[("jnim", "perpetrator")]),
    ev("b1", "2022-03-01", actors=[("jnim", "perpetrator")]),
    ev("b2", "2022-09-30", figures=[killed(1)]),
    ev("e1", "2022-10-05", figures=[killed(3)], actors=[("jnim", "perpetrator")]),
    # month precision, disputed: 2 per one claimant, at least 10 per another -> [2, open)
    ev(
        "e2",
        "2022-11",
        figures=[killed(2, by="gov"), killed(10, qualifier="at-least", by="jnim")],
        actors=[("jnim", "perpetrator"), ("jnim", "claimant")],
    ),
    ev("e3", "2022-12-20", admin1="Borgou", actors=[("army", "target")]),  # no figure
    ev("e4", "2023-02-14", "Niger", "Tillaberi", figures=[killed(low=5, high=8)], actors=[("isgs", "perpetrator")]),
    ev("e5", "2023-04-30", figures=[killed(0)]),
    ev("later", "2023-05-01", figures=[killed(100)]),
]
NAMES = {"jnim": "JNIM", "isgs": "IS Sahel", "army": "Army", "gov": "Government", "coder": "Coder"}


@pytest.fixture(scope="module")
def trends() -> A.Trends:
    period = A.Period(date(2022, 10, 1), date(2023, 4, 30))
    return A.analyse(EVENTS, period, actor_name=NAMES.get, source_name=lambda s: "Source")


def test_periods(trends):
    assert trends.unit == "month" and trends.week_start is None
    assert trends.baseline == A.Period(date(2022, 3, 1), date(2022, 9, 30))
    assert trends.period.label() == "Oct 2022–Apr 2023" and trends.baseline.label() == "Mar–Sep 2022"


def test_timeline_by_hand(trends):
    rows = [
        (
            b.label("month"),
            b.events,
            b.deaths.low if b.deaths.with_figure else None,
            b.deaths.high if b.deaths.with_figure else None,
            b.deaths.without_figure,
        )
        for b in trends.timeline
    ]
    assert rows == [
        ("Oct 2022", 1, 3, 3, 0),
        ("Nov 2022", 1, 2, None, 0),  # disputed: its whole range, open-ended at the top
        ("Dec 2022", 1, None, None, 1),  # no figure: counted apart, not as zero
        ("Jan 2023", 0, None, None, 0),  # the empty month is there, zero-filled
        ("Feb 2023", 1, 5, 8, 0),
        ("Mar 2023", 0, None, None, 0),
        ("Apr 2023", 1, 0, 0, 0),  # a real zero, said by a source
    ]
    assert trends.not_placed == 0


def test_totals_and_change(trends):
    t = trends.totals
    assert (t.low, t.high, t.with_figure, t.without_figure) == (10, None, 4, 1)
    assert t.span == "≥10"
    assert trends.baseline_totals.span == "1" and trends.baseline_totals.without_figure == 1
    # 5 now against 2 before: +150%, but 2 or fewer before and 5 or fewer now is noise
    assert trends.change == A.Change(5, 2, 150.0, A.LIMITED)


@pytest.mark.parametrize(
    ("now", "before", "text", "level"),
    [
        (1097, 1000, "+9.7%", A.LIMITED),  # QA (qa-regress3): shown `+10%` beside "limited change"
        (1103, 1000, "+10.3%", A.MODERATE_INCREASE),  # `+10%` beside "moderate increase"
        (1100, 1000, "+10%", A.LIMITED),  # exactly 10: limited, as the rule says
        (1254, 1000, "+25.4%", A.LARGE_INCREASE),
        (746, 1000, "-25.4%", A.LARGE_DECREASE),
        (1150, 1000, "+15%", A.MODERATE_INCREASE),  # away from a boundary, whole percents
        (10996, 10000, "+9.96%", A.LIMITED),  # QA (qa-regress4): `+10.0%` beside "limited change"
        (9004, 10000, "-10%", A.LIMITED),  # no limit at -10: whole (QA, qa-regress5)
        (12496, 10000, "+24.96%", A.MODERATE_INCREASE),
        (1099999, 1000000, "+9.999%", A.LIMITED),  # closer to the limit than a hundredth of a percent
    ],
)
def test_a_change_near_a_level_boundary_is_not_rounded_onto_it(now, before, text, level):
    c = A.change(now, before)
    assert (c.text, c.level) == (text, level)


def test_tables_by_hand(trends):
    country = {r.label: (r.events, r.share, r.deaths.span, r.change.before, r.spark) for r in trends.table("country")}
    assert country == {
        "Benin": (4, 0.8, "≥5", 2, (1, 1, 1, 0, 0, 0, 1)),
        "Niger": (1, 0.2, "5–8", 0, (0, 0, 0, 0, 1, 0, 0)),
    }
    admin1 = [(r.label, r.events, r.filter_term("admin1")) for r in trends.table("admin1")]
    assert admin1 == [
        ("Alibori, Benin", 3, "country:Benin admin1:Alibori"),
        ("Borgou, Benin", 1, "country:Benin admin1:Borgou"),
        ("Tillaberi, Niger", 1, "country:Niger admin1:Tillaberi"),
    ]
    actors = {r.label: (r.events, r.change.before) for r in trends.table("actor")}
    assert actors == {
        "JNIM (perpetrator)": (2, 1),
        "JNIM (claimant)": (1, 0),
        "Army (target)": (1, 0),
        "IS Sahel (perpetrator)": (1, 0),
    }


def test_new_actors_and_key_events(trends):
    assert trends.new_actors() == ([("army", "2022-12-20"), ("isgs", "2023-02-14")], 2)
    assert trends.new_actors(1) == ([("army", "2022-12-20")], 2)
    ranked = [(k.event.id, k.deaths, k.disputed) for k in trends.key_events()]
    assert ranked == [  # e2's "at least 10" ranks as 10, above e4's 5-8 (it ranked as its 2)
        ("e2", (2, None), True),
        ("e4", (5, 8), False),
        ("e1", (3, 3), False),
        ("e5", (0, 0), False),
        ("e3", None, False),
    ]


def test_year_baseline_and_week_rule():
    t = A.analyse(EVENTS, A.Period(date(2023, 2, 1), date(2023, 4, 30)), compare_to="year")
    assert t.baseline == A.Period(date(2022, 2, 1), date(2022, 4, 30))
    assert t.unit == "week" and t.week_start == A.MONDAY
    acled = [e._replace(id="acled:" + e.id) for e in EVENTS]
    t = A.analyse(acled, A.Period(date(2023, 2, 1), date(2023, 4, 30)))
    assert t.week_start == A.SATURDAY and "Saturday" in t.week_note
    starts = [b.start for b in t.timeline]
    # 1 Feb 2023 is a Wednesday: the first week is clipped to the period, then Saturdays
    assert starts[:3] == [date(2023, 2, 1), date(2023, 2, 4), date(2023, 2, 11)]
    assert all(s.weekday() == 5 for s in starts[1:])
    assert [b.events for b in t.timeline if b.events] == [1, 1]  # e4 (14 Feb), e5 (30 Apr)
    assert t.timeline[2].events == 1 and t.timeline[2].start == date(2023, 2, 11)


def test_month_event_in_weekly_timeline_is_counted_not_placed():
    t = A.analyse(EVENTS, A.Period(date(2022, 10, 1), date(2022, 12, 31)))
    assert t.unit == "week" and t.change.now == 3 and t.not_placed == 1  # e2, dated 2022-11
    assert sum(b.events for b in t.timeline) == 2


def test_not_placed_events_keep_their_days_in_the_period():
    """An event not placed in one month (dated a year) keeps its first and last day, clipped to
    the period, with its count and deaths: a chart that sums months into years or quarters can
    then place it in the one bar that holds it.  Events with the same days are summed."""
    events = [
        ev("y1", "2019", figures=[killed(4)]),
        ev("y2", "2019", figures=[killed(low=1, high=2)]),
        ev("m", "2019-03"),  # a month: placed in its month
        ev("d", "2019-05-02"),
        ev("y3", "2020"),  # no figure; the period ends in June: clipped to Jan–Jun 2020
    ]
    t = A.analyse(events, A.Period(date(2019, 1, 1), date(2020, 6, 30)))
    assert t.unit == "month" and t.not_placed == 3
    assert t.not_placed_spans == [
        A.Apart(date(2019, 1, 1), date(2019, 12, 31), 2, A.Deaths(5, 6, 2, 0)),
        A.Apart(date(2020, 1, 1), date(2020, 6, 30), 1, A.Deaths(0, 0, 0, 1)),
    ]
    assert sum(a.events for a in t.not_placed_spans) == t.not_placed


@pytest.mark.parametrize(
    "now,before,level",
    [
        (126, 100, A.LARGE_INCREASE),
        (125, 100, A.MODERATE_INCREASE),
        (111, 100, A.MODERATE_INCREASE),
        (110, 100, A.LIMITED),
        (75, 100, A.LIMITED),
        (74, 100, A.LARGE_DECREASE),
        (5, 2, A.LIMITED),
        (6, 2, A.LARGE_INCREASE),
        (5, 0, A.LIMITED),
        (6, 0, A.LARGE_INCREASE),
        (0, 3, A.LARGE_DECREASE),
    ],
)
def test_levels(now, before, level):
    assert A.change(now, before).level == level


def _alibori(now: int, before: int) -> A.Trends:
    events = [ev(f"n{i}", "2022-08-01") for i in range(now)] + [ev(f"b{i}", "2022-03-01") for i in range(before)]
    return A.analyse(events, A.Period(date(2022, 7, 1), date(2022, 12, 31)))


@pytest.mark.parametrize(
    "now,before,sentence",
    [
        (58, 40, "Battles in Alibori rose 45% (large increase) to 58 in Jul–Dec 2022 vs 40 in Jan–Jun."),
        (46, 40, "Battles in Alibori rose 15% (moderate increase) to 46 in Jul–Dec 2022 vs 40 in Jan–Jun."),
        (42, 40, "Battles in Alibori rose 5% (limited change) to 42 in Jul–Dec 2022 vs 40 in Jan–Jun."),
        (40, 40, "Battles in Alibori held steady (limited change) at 40 in Jul–Dec 2022 vs 40 in Jan–Jun."),
        (20, 40, "Battles in Alibori fell 50% (large decrease) to 20 in Jul–Dec 2022 vs 40 in Jan–Jun."),
        (
            4,
            1,
            "Battles in Alibori rose 300% (limited change; too few events to call a trend) to 4 in Jul–Dec 2022 "
            "vs 1 in Jan–Jun.",
        ),
    ],
)
def test_bottom_line_wording(now, before, sentence):
    t = _alibori(now, before)
    assert A.change_sentence(t, A.subject_of(*A.shared(t.events))) == sentence


def test_bottom_line_without_earlier_data():
    t = A.analyse(EVENTS[3:], A.period_for(None, None, EVENTS[3:]))
    assert A.change_sentence(t, "Events") == (
        "Events: 6 events in Oct 2022–May 2023; the data holds nothing earlier to compare with."
    )


def test_the_baseline_deaths_say_its_events_with_no_figure(trends):
    """QA s9: the period's deaths named its events with no figure, the baseline's did not:
    `≥32 in Jan–Jun 2022` read as every event counted where half had no figure."""
    assert A.deaths_sentence(trends).startswith(
        "Deaths: ≥10 across 4 events with a figure; 1 event with no figure (not counted as zero); "
        "1 in Mar–Sep 2022, where 1 event has no figure. "
    )


def test_for_query_counts_the_baseline_outside_the_filter_dates():
    ds = Dataset([Source("src", "Source", "news", "B")], [Actor(a, n, "armed-group") for a, n in NAMES.items()], EVENTS)
    query = parse("country:Benin since:2022-10 until:2023-04")
    events = query.apply(ds)
    t = A.for_query(ds, query, events)
    assert t.period == A.Period(date(2022, 10, 1), date(2023, 4, 30))
    assert sorted(e.id for e in t.events) == sorted(e.id for e in events) == ["e1", "e2", "e3", "e5"]
    assert t.change.before == 2  # b1, b2: outside the filter's dates, inside its other terms


def test_every_actor_row_narrows_to_the_events_it_counts() -> None:
    """A row of the table by actor is an actor in one role; its filter term lists exactly the
    events the row counts, by the events in memory and by the SQL index alike."""
    from briefing.loader import load_dataset
    from briefing.sqlquery import EventIndex
    from testkit import BUNDLED

    ds = load_dataset(BUNDLED)
    index = EventIndex(ds)
    rows = A.for_query(ds, parse(""), ds.events).table("actor")
    assert {r.key[1] for r in rows} >= {"perpetrator", "target"}
    wider = 0
    for r in rows:
        term = parse(r.filter_term("actor"))
        assert str(term) == f"{r.key[1]}:{r.key[0]}"
        assert len(term.apply(ds)) == r.events == index.count(term), r.label
        wider += len(parse(f"actor:{r.key[0]}").apply(ds)) > r.events
    assert wider  # some actor has several roles: `actor:` alone would list more than the row


def test_every_row_of_every_table_narrows_to_the_events_it_counts() -> None:
    """What Enter on a Trends row and the counts export's `filter` column give: the terms that
    list exactly the row's events.  The "(no admin1), Afghanistan" row counted 9 events and
    narrowed to `country:Afghanistan`, 20."""
    from briefing.loader import load_dataset
    from testkit import BUNDLED

    ds = load_dataset(BUNDLED)
    for text in ("", "since:2019 until:2022", "type:battles"):
        query = parse(text)
        trends = A.for_query(ds, query, query.apply(ds))
        assert trends is not None
        for by in A.BY:
            for r in trends.table(by):
                narrowed = parse(f"{text} {trends.filter_term(r, by)}")
                assert len(narrowed.apply(ds)) == r.events, (text, by, r.label, str(narrowed))
    rows = A.for_query(ds, parse(""), ds.events).table("admin1")
    assert any(not r.key[1] for r in rows)  # the case this is about is there


def test_the_table_by_source_has_a_row_for_every_source_the_filter_finds_events_by() -> None:
    """A report cites the ministry's figure as relayed by a wire (`via`), and does not cite the
    wire itself: `source:wire` lists the event, but the table by source had no wire row, a
    group dropped from the table.  Every source the filter finds events by (cited, carrying a
    claim, relaying one) is a row counting exactly the events `source:` lists, in memory and in
    SQL alike."""
    from briefing.sqlquery import EventIndex
    from briefing.trend_queries import analyse_index

    relayed = Figure("killed", "total", "gov", "report", value=4, via="wire")
    events = [
        ev("r1", "2022-10-05", figures=[relayed]),
        ev("r2", "2022-11-01", figures=[relayed._replace(via=None)]),
        ev("r3", "2022-12-01"),
    ]
    sources = [Source(s, s.title(), "outlet", "B") for s in ("src", "report", "wire")]
    ds = Dataset(sources, [Actor("gov", "Government", "government")], events)
    query = parse("")
    trends = A.for_query(ds, query, ds.events)
    assert trends is not None
    in_sql = analyse_index(EventIndex(ds, text_index=False), query, trends.period)
    for table in (trends.table("source"), in_sql.table("source")):
        rows = {r.key[0]: r.events for r in table}
        assert rows == {"src": 3, "report": 2, "wire": 1}
        for source, n in rows.items():
            assert len(parse(f"source:{source}").apply(ds)) == n, source


# -- an event whose date spans the period and its baseline ------------------------------------
# Period Jul–Dec 2022, baseline Jan–Jun 2022: `y` (dated only `2022`) overlaps both, so it is one
# of the period's events (the filter's since/until find it) and one of the baseline's, but the
# change cannot place it on either side: it is left out of both, and the sentence says so.
SPANNING = [
    *(ev(f"n{i}", f"2022-08-0{i + 1}", actors=[("jnim", "perpetrator")] if i == 0 else []) for i in range(5)),
    ev("m", "2022-07"),  # a month inside the period: in the change
    ev("y", "2022", figures=[killed(4)], actors=[("jnim", "perpetrator")]),
    *(ev(f"b{i}", f"2022-03-0{i + 1}", actors=[("jnim", "perpetrator")] if i == 0 else []) for i in range(4)),
]


def test_an_event_dated_to_a_span_of_both_periods_is_left_out_of_the_change():
    t = A.analyse(SPANNING, A.Period(date(2022, 7, 1), date(2022, 12, 31)), actor_name=NAMES.get)
    # the period's events stay the filter's (5 days, the month, the year): totals and tables keep them
    assert sorted(e.id for e in t.events) == ["m", "n0", "n1", "n2", "n3", "n4", "y"]
    assert t.count == 7 and t.totals.with_figure + t.totals.without_figure == 7
    # the change: 6 placed now (not 7) against 4 placed before (not 5); `y` on neither side
    assert t.change == A.Change(6, 4, 50.0, A.LARGE_INCREASE, 1)
    assert t.change.left_out == 1
    assert A.change_sentence(t, "Battles in Alibori") == (
        "Battles in Alibori rose 50% (large increase) to 6 in Jul–Dec 2022 vs 4 in Jan–Jun "
        "(1 event dated only to a month or year that neither period holds whole is left out of the change)."
    )
    (benin,) = t.table("country")
    assert (benin.events, benin.share, benin.change) == (7, 1.0, A.Change(6, 4, 50.0, A.LARGE_INCREASE, 1))
    jnim = {r.label: r for r in t.table("actor")}["JNIM (perpetrator)"]
    assert (jnim.events, jnim.change) == (2, A.Change(1, 1, 0.0, A.LIMITED, 1))


@pytest.mark.parametrize(
    "ids,sentence",
    [
        (  # nothing left on either side but the spanning events
            ("y", "y2"),
            "Battles in Alibori: no change to tell for Jul–Dec 2022 vs Jan–Jun (2 events dated only to a "
            "month or year that neither period holds whole are left out of the change).",
        ),
        (  # nothing placed before: "none", but not "nothing earlier"
            ("n0", "n1", "y"),
            "Battles in Alibori: 2 events in Jul–Dec 2022, none in Jan–Jun (1 event dated only to a month "
            "or year that neither period holds whole is left out of the change).",
        ),
        (
            ("n0", "b0", "b1", "b2", "y"),
            "Battles in Alibori fell 67% (large decrease) to 1 in Jul–Dec 2022 vs 3 in Jan–Jun "
            "(1 event dated only to a month or year that neither period holds whole is left out of the change).",
        ),
    ],
)
def test_the_change_sentence_says_how_many_events_it_leaves_out(ids, sentence):
    events = {e.id: e for e in [*SPANNING, ev("y2", "2022")]}
    t = A.analyse([events[i] for i in ids], A.Period(date(2022, 7, 1), date(2022, 12, 31)))
    assert A.change_sentence(t, "Battles in Alibori") == sentence


def _activity_by_hand(ds, actor_id: str) -> tuple[int, dict[str, int]]:
    """(events, events per role) of an actor counted from `events_of_actor`, the profile's
    timeline, without the analysis: the oracle of `activity`."""
    timeline = ds.events_of_actor(actor_id)
    roles: dict[str, int] = {}
    for _e, held in timeline:
        for role in held:
            if role != "figures":  # a claim given is not a role (`claimant:` finds the role only)
                roles[role] = roles.get(role, 0) + 1
    return len(timeline), roles


def test_an_actor_s_activity_counts_its_timeline_role_by_role() -> None:
    """The actor screen's Activity: every actor of the bundled data, its events and a row
    per role counted as its profile's timeline lists them, its deaths the brief's table by
    actor gives for `actor:ID`."""
    from briefing.loader import load_dataset
    from testkit import BUNDLED

    ds = load_dataset(BUNDLED)
    seen_roles = set()
    for a in ds.actors:
        n, roles = _activity_by_hand(ds, a.id)
        found = A.activity(ds, a.id)
        if not n:
            assert found is None, a.id
            continue
        assert found is not None and found.trends.count == n, a.id
        assert {r.key[1]: r.events for r in found.roles} == roles, a.id
        assert sum(r.events for r in found.countries) == n
        seen_roles.update(roles)
    assert seen_roles >= {"perpetrator", "target", "claimant", "mentioned"}
    isis = A.activity(ds, "isis")
    assert isis is not None
    perpetrator = next(r for r in isis.roles if r.key[1] == "perpetrator")
    brief_row = next(r for r in A.for_query(ds, parse("actor:isis")).table("actor") if r.key == ("isis", "perpetrator"))
    assert perpetrator == brief_row and perpetrator.deaths.span == "≥52" and perpetrator.deaths.without_figure == 3


@pytest.mark.parametrize(
    ("pct", "number"),
    [(10.045, 10.04), (-25.037, -25.04), (9.96, 9.96), (12.34, 12.3), (10.0, 10.0), (-25.0, -25.0), (24.96, 24.96)],
)
def test_an_exported_change_keeps_the_decimals_that_decide_its_level(pct: float, number: float) -> None:
    """QA s14: the counts export wrote `10.0` beside "moderate increase" (10.045%, above +10%)
    and `-25.0` beside "large decrease": rounded to a tenth onto the limit, the number read
    against its own level.  It keeps the decimals the brief's `+10.04%` keeps."""
    assert A.pct_number(pct) == number


def test_the_counts_export_writes_a_change_its_level_agrees_with() -> None:
    from briefing.export.tables import counts_rows

    events = [Event(f"n{i}", "x", "2023-06-01", "Mali", "battles") for i in range(2202)]
    events += [Event(f"b{i}", "x", "2022-06-01", "Mali", "battles") for i in range(2001)]
    ds = Dataset([], [], events)
    t = A.analyse(ds.events, A.Period(date(2023, 1, 1), date(2023, 12, 31)), actor_name=ds.actor_name)
    [row] = counts_rows(t, "country")
    assert 10.04 in row and "moderate increase" in row, row


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("country:Mali", "Events in Mali (all battles in Gao)"),  # review s15: read "Events in Gao"
        ("admin1:Gao", "Events in Gao (all battles)"),
        ("type:battles", "Battles (all in Gao)"),
        ("type:battles country:Mali", "Battles in Mali (all in Gao)"),
        ("", "Battles in Gao"),  # no filter: what the data shares, as it always was
    ],
)
def test_the_subject_says_what_the_filter_names_and_what_its_events_share_apart(text: str, said: str) -> None:
    from briefing.dataset import Dataset
    from briefing.filters import parse
    from briefing.records import Event

    ds = Dataset([], [], [Event(f"e{i}", "T", f"2022-0{i}-01", "Mali", "battles", admin1="Gao") for i in range(1, 4)])
    query = parse(text)
    t = A.for_query(ds, query, query.apply(ds))
    assert t is not None and t.subject() == said


def test_a_sub_type_in_the_subject_keeps_its_acronym() -> None:
    """QA s15: "(remote explosive/landmine/ied in Gao)": lower case for the sentence, an acronym kept."""
    from briefing.dataset import Dataset
    from briefing.filters import parse
    from briefing.records import Event

    ds = Dataset(
        [],
        [],
        [
            Event(f"e{i}", "T", f"2022-0{i}-01", "Mali", "explosions", sub_type="remote-explosive", admin1="Gao")
            for i in range(1, 3)
        ],
    )
    query = parse("type:remote-explosive")
    t = A.for_query(ds, query, query.apply(ds))
    assert t is not None and t.subject() == "Selected events (remote explosive/landmine/IED in Gao)", t.subject()
    assert A.in_words("Explosions/Remote violence") == "explosions/remote violence"
