"""The analysis in SQL (`briefing.trend_queries`, over the SQLite index) equals the Python
reference (`analysis.analyse` over `Event` records) on generated data: every number of
`analysis.Trends` (period, timeline, totals, change, the five frequency tables, new actors, key
events, the bottom line's subject) for random filters and periods.

The data is drawn to hit the corners: disputed events, events without a figure (none at all, or
figures about something other than deaths), open-ended claims, month- and year-precision
dates, ACLED ids (Saturday weeks), case variants of a country, events without admin1, the same
actor in two roles, periods that are empty, short (weekly) or long (monthly), and periods and
baselines that cross a year.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from briefing import analysis as A
from briefing.dataset import Dataset
from briefing.filters import Query, Term
from briefing.records import Actor, ActorRole, Event, Figure, Source
from briefing.sqlquery import EventIndex
from briefing.trend_queries import analyse_index, period_of
from briefing.vocab import SUB_EVENT_TYPES
from testkit import sqlite_steps

ACTORS = [Actor(f"a{i}", name, "armed-group") for i, name in enumerate(["JNIM", "Army", "ISGS", "jnim", "Police"])]
SOURCES = [Source(f"s{i}", f"Outlet {i}", "outlet", "B") for i in range(4)]
DAYS = [
    "2021",
    "2021-02",  # its last day, 28 Feb, ends a Monday week: the next starts 1 Mar 2021
    "2021-02-27",
    "2021-12",
    "2021-12-25",
    "2021-12-31",
    "2022",
    "2022-01",
    "2022-01-01",
    "2022-01-03",
    "2022-02",
    "2022-02-28",
    "2022-03-05",
    "2022-06-30",
    "2022-07",
    "2022-07-02",
    "2022-12-31",
    "2023-01-01",
    "2023-02",
    "2023-02-28",  # ends where 2023-02 does, but "2023-02-31" is the later string (the brief's dates)
]
PLACES = [("Benin", "Alibori"), ("Benin", "Borgou"), ("Benin", None), ("BENIN", "Alibori"), ("Niger", "Tillaberi")]


@st.composite
def figures(draw) -> tuple[Figure, ...]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        metric = draw(st.sampled_from(["killed", "killed", "killed", "injured"]))
        subject = draw(st.sampled_from(["total", "total", "civilians", "soldiers"]))
        by = draw(st.sampled_from(ACTORS)).id
        src = draw(st.sampled_from(SOURCES)).id
        via = draw(st.sampled_from([None, None, *(s.id for s in SOURCES)]))  # relayed by an outlet, or not
        kind = draw(st.sampled_from(["exact", "at-least", "range"]))
        if kind == "range":
            lo = draw(st.integers(0, 20))
            out.append(Figure(metric, subject, by, src, low=lo, high=lo + draw(st.integers(0, 10)), via=via))
        else:
            out.append(Figure(metric, subject, by, src, value=draw(st.integers(0, 30)), qualifier=kind, via=via))
    return tuple(out)


@st.composite
def datasets(draw) -> Dataset:
    events = []
    for i in range(draw(st.integers(0, 40))):
        country, admin1 = draw(st.sampled_from(PLACES))
        roles = draw(
            st.lists(
                st.tuples(st.sampled_from(ACTORS), st.sampled_from(["perpetrator", "target", "claimant"])), max_size=3
            )
        )
        kind = draw(st.sampled_from(["battles", "protests", "riots"]))
        events.append(
            Event(
                draw(st.sampled_from(["acled:", ""])) + f"e{i}",
                f"event {i}",
                draw(st.sampled_from(DAYS)),
                country,
                kind,
                sub_type=draw(st.sampled_from([None, *list(SUB_EVENT_TYPES[kind])[:2]])),  # the sums' kinds
                admin1=admin1,
                actors=tuple(ActorRole(a.id, r) for a, r in roles),
                figures=draw(figures()),
                sources=tuple(draw(st.lists(st.sampled_from([s.id for s in SOURCES]), max_size=2, unique=True))),
            )
        )
    return Dataset(SOURCES, ACTORS, events)


TERMS = [
    Term("country", ("benin",), False),
    Term("country", ("niger",), True),
    Term("type", ("battles",), False),
    Term("type", ("armed-clash", "riots"), False),  # a sub-type and a type
    Term("type", ("protests",), True),
    Term("actor", ("jnim",), False),
    Term("perpetrator", ("jnim",), False),
    Term("target", ("army",), True),
    Term("disputed", (), False),
    Term("admin1", ("alibori",), True),
]
SINCE = ["2021-02-25", "2021-12", "2021-12-20", "2022-01-01", "2022-02", "2022", "2022-06-15", "2023"]
UNTIL = ["2021-03-20", "2022-01", "2022-01-31", "2022-03-10", "2022-06", "2022", "2022-12-31", "2023-02"]


@st.composite
def queries(draw) -> Query:
    terms = list(draw(st.lists(st.sampled_from(TERMS), max_size=2, unique=True)))
    if draw(st.booleans()):
        terms.append(Term("since", (draw(st.sampled_from(SINCE)),), False))
    if draw(st.booleans()):
        terms.append(Term("until", (draw(st.sampled_from(UNTIL)),), False))
    return Query(tuple(terms))


def chart(t: A.Trends, limit: int) -> tuple[object, ...]:
    """The brief's timeline chart (`render.trends.chart_rows`) with at most `limit` rows."""
    from briefing.render.trends import chart_rows

    c = chart_rows(t, limit)
    return (c.per, c.rows, c.not_placed)


def numbers(t: A.Trends) -> dict[str, object]:
    return {
        "period": (t.period, t.baseline, t.unit, t.week_start, t.acled, t.week_note),
        "timeline": t.timeline,
        "totals": (t.totals, t.baseline_totals, t.count, t.change, t.change.left_out, t.not_placed, t.has_baseline),
        # the deaths the change compares: the same events as its counts (none spanning both periods)
        "change deaths": (t.change_totals, t.change_before_totals),
        "not placed": t.not_placed_spans,
        # the brief's chart summed by quarter and by year (few rows allowed: the data spans 2 years)
        "charts": [chart(t, limit) for limit in (3, 6, 9)],
        "tables": {by: t.table(by) for by in A.BY},
        "new": (t.new_actors(), t.has_history),
        "key": [(k.event.id, k.deaths, k.disputed, k.claims) for k in t.key_events(7)],
        "subject": t.subject(),
        "events": [e.id for e in t.events],
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ds=datasets(), query=queries(), compare_to=st.sampled_from(["previous", "year"]), ordered=st.booleans())
def test_sql_trends_equal_the_python_reference(ds: Dataset, query: Query, compare_to: str, ordered: bool) -> None:
    """`ordered` False: as if the events were not in date order (one GROUP BY, no runs of
    positions per period)."""
    index = EventIndex(ds, text_index=False)
    if not ordered:
        index.conn.execute("UPDATE an_meta SET value = 0 WHERE key = 'ordered'")
    base, since, until = A.split_dates(query)
    period = A.period_for(since, until, query.apply(ds))
    assert period_of(index, query, since, until) == period
    if period is None:
        return
    names = {"actor_name": ds.actor_name, "source_name": ds.source_name}
    try:
        want = A.analyse(base.apply(ds), period, compare_to=compare_to, **names)
    except A.PeriodError as exc:
        with pytest.raises(A.PeriodError, match=str(exc)):
            analyse_index(index, base, period, compare_to=compare_to, **names)
        return
    got = analyse_index(index, base, period, compare_to=compare_to, **names)
    assert numbers(got) == numbers(want), str(query)
    assert A.change_sentence(got, got.subject()) == A.change_sentence(want, want.subject())
    assert A.deaths_sentence(got) == A.deaths_sentence(want)


def test_for_query_takes_the_index_for_a_big_dataset(monkeypatch) -> None:
    """Past `INDEX_MIN` events, `for_query` (the brief's, the TUI's, the exports') computes in
    SQL, with the same numbers as below it."""
    events = [
        Event(f"acled:{i}", "t", f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}", "Benin", "battles", admin1="Alibori")
        for i in range(60)
    ]
    ds = Dataset(SOURCES, ACTORS, events)
    # whole months (a `since:` alone now ends on the data's last day, 2022-12-24)
    query = Query((Term("since", ("2022-01",), False), Term("until", ("2022-12",), False)))
    python = A.for_query(ds, query, query.apply(ds))
    assert python is not None and type(python.numbers).__name__ == "EventNumbers"
    monkeypatch.setattr(A, "INDEX_MIN", 50)
    sql = A.for_query(ds, query, query.apply(ds))
    assert sql is not None and type(sql.numbers).__name__ == "IndexNumbers"
    assert sql.numbers.by_cube  # type: ignore[attr-defined]  # no filter, whole months: the sums per country
    assert numbers(sql) == numbers(python)
    assert sql.period == A.Period(date(2022, 1, 1), date(2022, 12, 31)) and sql.change.now == 60


def test_a_month_event_ending_a_week_is_placed_as_in_python() -> None:
    """`2021-02` ends on Sunday 28 Feb; the next Monday week starts 1 Mar.  Its last day in SQL
    is the real 28th (ev.hi says `2021-02-31`, which SQLite's date functions read as 3 March).
    In weeks it is in no bar (a month is not known to be in any one of its weeks: the first
    bar, 22-28 Feb cut to 25-28, once held it); in months, in February's.  (A day's event beside
    it keeps the weeks: with month events alone the chart is by month, see below.)"""
    ds = Dataset(
        SOURCES,
        ACTORS,
        [Event("d", "day", "2021-03-09", "Benin", "battles"), Event("m", "month", "2021-02", "Benin", "battles")],
    )
    index = EventIndex(ds, text_index=False)
    weeks = A.Period(date(2021, 2, 25), date(2021, 3, 20))
    want = A.analyse(ds.events, weeks)
    assert want.unit == "week" and want.not_placed == 1 and sum(b.events for b in want.timeline) == 1
    assert want.not_placed_spans == [A.Apart(date(2021, 2, 25), date(2021, 2, 28), 1, A.Deaths(0, 0, 0, 1))]
    assert numbers(analyse_index(index, Query(), weeks)) == numbers(want)
    months = A.Period(date(2021, 1, 1), date(2021, 12, 31))
    want = A.analyse(ds.events, months)
    assert want.unit == "month" and want.not_placed == 0 and want.timeline[1].events == 1
    assert numbers(analyse_index(index, Query(), months)) == numbers(want)


@pytest.mark.parametrize("ordered", [True, False])
def test_a_short_period_of_month_events_only_is_charted_by_month(ordered: bool) -> None:
    """QA (the README's example, `since:2022-07 until:2022-12`): its one event, dated only
    `2022-07`, drew 27 weekly bars of 0 and "1 event … in no bar".  When no event of a period
    of 6 months or less is shorter than a week, no weekly bar can hold one: the chart is by
    month (July: 1).  The same in SQL; one day's event keeps the weeks."""
    events = [
        Event("m1", "month", "2022-07", "Benin", "battles", figures=[Figure("killed", "total", "a0", "s0", 3)]),
        Event("y1", "year", "2022", "Benin", "battles"),
        Event("old", "day", "2022-03-02", "Benin", "battles"),  # in the baseline only
    ]
    period = A.Period(date(2022, 7, 1), date(2022, 12, 31))
    for extra, unit in (([], "month"), ([Event("d1", "day", "2022-08-03", "Benin", "battles")], "week")):
        ds = Dataset(SOURCES, ACTORS, [*events, *extra])
        index = EventIndex(ds, text_index=False)
        if not ordered:
            index.conn.execute("UPDATE an_meta SET value = 0 WHERE key = 'ordered'")
        want = A.analyse(ds.events, period)
        assert want.unit == unit
        got = analyse_index(index, Query(), period)
        assert got.unit == unit and numbers(got) == numbers(want)
        if unit == "month":
            assert [b.events for b in want.timeline] == [1, 0, 0, 0, 0, 0] and want.not_placed == 1


@pytest.mark.parametrize("ordered", [True, False])
def test_a_period_shorter_than_a_month_places_no_month_event_in_its_bar(ordered: bool) -> None:
    """QA (tenth session): `--since 2024-06-15 --until 2024-06-20` drew one bar of 197 events
    and 6,578 killed for 15-20 June, 47 of them known only to be in June (time precision 3);
    over two weeks the same 47 were "not placed".  The bar holds the events known to be in
    it; the June ones are counted in the period and placed in no bar, as over two weeks."""
    events = [
        Event("acled:d1", "day", "2024-06-16", "Mali", "battles", figures=[Figure("killed", "total", "a0", "s0", 3)]),
        Event("acled:d2", "day", "2024-06-20", "Mali", "battles"),
        Event("acled:m1", "month", "2024-06", "Mali", "battles", figures=[Figure("killed", "total", "a0", "s0", 5)]),
        Event("acled:y1", "year", "2024", "Mali", "battles"),
    ]
    ds = Dataset(SOURCES, ACTORS, events)
    index = EventIndex(ds, text_index=False)
    if not ordered:
        index.conn.execute("UPDATE an_meta SET value = 0 WHERE key = 'ordered'")
    for period in (A.Period(date(2024, 6, 15), date(2024, 6, 20)), A.Period(date(2024, 6, 10), date(2024, 6, 20))):
        want = A.analyse(ds.events, period)
        assert want.week_start == A.SATURDAY  # ACLED's weeks: 15-20 June is one bar
        assert want.count == 4 and want.not_placed == 2
        assert sum(b.events for b in want.timeline) == 2
        assert sum(b.deaths.low for b in want.timeline) == 3
        assert numbers(analyse_index(index, Query(), period)) == numbers(want)


def _analysed_by(ds: Dataset, query: Query, period: A.Period, ordered: bool, path: str) -> A.Trends:
    """`analyse_index` of `query`, the index told its events are out of date order unless
    `ordered`; asserts which of the three SQL paths (`path`) answered."""
    index = EventIndex(ds, text_index=False)
    if not ordered:
        index.conn.execute("UPDATE an_meta SET value = 0 WHERE key = 'ordered'")
    got = analyse_index(index, query, period, actor_name=ds.actor_name)
    numbers_ = got.numbers
    took = (
        "by_cube"
        if numbers_.by_cube  # type: ignore[attr-defined]
        else "by_period"
        if ordered and "SELECT" not in numbers_.where  # type: ignore[attr-defined]
        else "grouped"
    )
    assert took == path
    return got


def spanning(deaths: dict[int, Figure] | None = None) -> Dataset:
    """Newest first: 5 days and a month in Jul–Dec 2022, 4 days in Mar 2022, and `y`, dated
    only `2022`, which overlaps both Jul–Dec 2022 and Jan–Jun 2022, and both Jul 2022–Jun 2023
    and Jul 2021–Jun 2022 (JNIM's first day is in every side).  `deaths`: event number ->
    its killed figure (`y` has 4 killed)."""
    jnim = (ActorRole("a0", "perpetrator"),)
    days = [f"2022-08-0{i + 1}" for i in range(5)] + ["2022-07"] + [f"2022-03-0{i + 1}" for i in range(4)]
    figs = deaths or {}
    events = [
        Event(
            f"acled:e{i}",
            f"event {i}",
            d,
            "Benin",
            "battles",
            actors=jnim if i in (0, 6) else (),
            figures=(figs[i],) if i in figs else (),
        )
        for i, d in enumerate(days)
    ]
    killed = (Figure("killed", "total", "a0", "s0", value=4),)
    events.append(Event("acled:y", "year", "2022", "Benin", "battles", actors=jnim, figures=killed))
    events.sort(key=lambda e: (e.date, e.id), reverse=True)
    return Dataset(SOURCES, ACTORS, events)


@pytest.mark.parametrize(
    "period,text,ordered,path",
    [
        (A.Period(date(2022, 7, 1), date(2023, 6, 30)), "", True, "by_cube"),  # months, no filter: the sums
        (A.Period(date(2022, 7, 1), date(2023, 6, 30)), "country:benin", True, "by_cube"),
        (A.Period(date(2022, 7, 1), date(2023, 6, 30)), "type:battles", True, "by_cube"),  # the sums per kind
        (A.Period(date(2022, 7, 1), date(2023, 6, 30)), "-disputed", True, "by_period"),
        (A.Period(date(2022, 7, 1), date(2022, 12, 31)), "", True, "by_period"),  # weeks
        (A.Period(date(2022, 7, 1), date(2022, 12, 31)), "-disputed", True, "by_period"),
        (A.Period(date(2022, 7, 1), date(2022, 12, 31)), "-actor:a3", True, "grouped"),  # a subquery
        (A.Period(date(2022, 7, 1), date(2022, 12, 31)), "-disputed", False, "grouped"),
        (A.Period(date(2022, 7, 1), date(2023, 6, 30)), "-disputed", False, "grouped"),
    ],
)
def test_an_event_spanning_the_period_and_the_baseline_is_left_out_of_the_change_in_sql(
    period: A.Period, text: str, ordered: bool, path: str
) -> None:
    """The year-dated event is one of the period's 7 events and of the baseline's 5, but the
    change counts 6 against 4 and says it left 1 out: in every SQL path as in Python."""
    from briefing.filters import parse

    ds = spanning()
    query = parse(text)
    got = _analysed_by(ds, query, period, ordered, path)
    assert got.count == 7 and got.change == A.Change(6, 4, 50.0, A.LARGE_INCREASE, 1)
    (benin,) = got.table("country")
    assert (benin.events, benin.change) == (7, A.Change(6, 4, 50.0, A.LARGE_INCREASE, 1))
    jnim = {r.key: r for r in got.table("actor")}[("a0", "perpetrator")]
    assert (jnim.events, jnim.change) == (2, A.Change(1, 1, 0.0, A.LIMITED, 1))
    assert "(1 event dated only to a month or year that neither period holds whole is left out of the change)." in (
        A.change_sentence(got, got.subject())
    )
    want = A.analyse(query.apply(ds), period, actor_name=ds.actor_name)
    assert numbers(got) == numbers(want)


def brief_data(d: object) -> dict[str, object]:
    fields = ("countries", "period", "disputed_figures", "disputed_event_count", "deaths", "more", "query")
    out: dict[str, object] = {f: getattr(d, f) for f in fields}
    out["key_events"] = [(k.event.id, k.killed, k.disputes, k.by, k.others) for k in d.key_events]  # type: ignore[attr-defined]
    out["disputed_events"] = [(e.id, rows) for e, rows in d.disputed_events]  # type: ignore[attr-defined]
    out["actors"] = [(a.id, dict(c)) for a, c in d.actors]  # type: ignore[attr-defined]
    out["actor_disputes"] = [(a.id, rows) for a, rows in d.actor_disputes]  # type: ignore[attr-defined]
    out["sources"] = [s.id for s in d.sources]  # type: ignore[attr-defined]
    out["events"] = [e.id for e in d.events]  # type: ignore[attr-defined]
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ds=datasets(), query=queries())
def test_the_brief_from_the_index_equals_the_python_brief(ds: Dataset, query: Query) -> None:
    """`summary.gather` in SQL (`trend_queries.gather_index`) equals the Python pass over the
    events: counts, dates, deaths, key events, disputes, actors with their roles, sources."""
    from briefing.summary import gather
    from briefing.trend_queries import gather_index

    events = query.apply(ds)
    if not events:
        return
    want = gather(ds, events, str(query), generated_at="now")
    got = gather_index(ds, query, events, str(query), generated_at="now")
    assert brief_data(got) == brief_data(want)


@pytest.mark.parametrize("filter_text", ["", "country:Afghanistan", "since:2024-01 until:2024-06", "disputed"])
def test_a_brief_from_the_index_reads_the_same(monkeypatch, filter_text: str) -> None:
    """The whole brief of the bundled data, drawn as a pipe would get it: word for word the
    same when its numbers come from the index (both thresholds at 0) as from the events."""
    import io

    from briefing import summary as S
    from briefing.filters import parse
    from briefing.render.brief import brief
    from briefing.render.console import make_console
    from tui_helpers import BUNDLED, load

    ds = load(BUNDLED)
    query = parse(filter_text)
    chosen = query.apply(ds)

    def drawn() -> str:
        data = S.gather(ds, chosen, str(query), generated_at="2026-12-02T00:00:00Z", selection=query)
        out = io.StringIO()
        make_console("never", 100, file=out).print(*brief(ds, data, None, A.for_query(ds, query, chosen)))
        return out.getvalue()

    python = drawn()
    monkeypatch.setattr(A, "INDEX_MIN", 0)
    monkeypatch.setattr(S, "INDEX_MIN", 0)
    assert drawn() == python and "Key events" in python


def test_a_filter_with_a_subquery_is_asked_once_not_once_per_period() -> None:
    """Per period, one aggregate over a run of positions is cheap for `-disputed` or no filter;
    but SQLite asks a filter's subquery (an actor's, a tag's) again for each statement: at a
    million events, `brief --filter actor:X` ran ~370 statements (bench/README.md).  Such a filter
    takes one GROUP BY, whatever the number of periods."""
    from briefing.devtools import synth
    from briefing.filters import parse

    ds = synth.dataset(3000, seed=5)
    index = EventIndex(ds, text_index=False)
    actor = next(a for a in ds.actors if len(parse(f"actor:{a.id}").apply(ds)) > 50)
    for text in (f"actor:{actor.id}", f"perpetrator:{actor.id}", "-disputed"):
        query = parse(text)
        base, since, until = A.split_dates(query)
        period = A.period_for(since, until, query.apply(ds))
        assert period is not None
        asked: list[str] = []
        index.conn.set_trace_callback(asked.append)
        try:
            got = analyse_index(index, base, period)
        finally:
            index.conn.set_trace_callback(None)
        assert len(got.numbers.bins) > 24  # months enough to tell one statement from one per month
        if "SELECT" in index.where(base)[0]:
            assert len(asked) < 10, (text, len(asked))
        else:  # a run of positions per period, as before
            assert len(asked) > len(got.numbers.bins), text
        assert got.numbers.bins == A.analyse(base.apply(ds), period).numbers.bins


def test_the_numbers_of_a_recent_period_gather_a_filter_only_within_it() -> None:
    """The Trends and the brief's timeline over the last weeks of a big export, filtered by a
    tag, an actor or a word: the filter's subquery is asked within the positions that can hold
    the period and its baseline (events are newest first), not over every event of the data
    (at a million events each of those statements gathered the whole tag's or word's events)."""
    import re
    from datetime import timedelta

    from briefing.devtools import synth

    ds = synth.dataset(4000, seed=3)
    index = EventIndex(ds)
    tag = next(t for e in ds.events for t in e.tags)
    actor = ds.events[0].actors[0].actor
    end = date.fromisoformat(max(e.date for e in ds.events if len(e.date) == 10))
    recent = A.Period(end - timedelta(days=40), end)
    for base in (
        Query((Term("tag", (tag,)),)),
        Query((Term("actor", (actor,)),)),
        Query((Term(None, ("territory",)),)),
    ):
        asked: list[str] = []
        index.conn.set_trace_callback(asked.append)
        try:
            got = analyse_index(index, base, recent)
            by_country = got.numbers.units("country")
        finally:
            index.conn.set_trace_callback(None)
        want = A.analyse(base.apply(ds), recent).numbers
        assert (got.numbers.bins, got.numbers.totals) == (want.bins, want.totals), str(base)
        assert by_country == want.units("country"), str(base)
        gathered = [q for q in asked if re.search(r"FROM ev_(tag|actor|words) WHERE", q)]
        assert gathered, str(base)
        for q in gathered:  # every gathering of the filter's events stops at the run
            assert re.search(
                r"FROM ev_(tag|actor|words) WHERE (?:(?!\)\)).)*? AND (pos|rowid) BETWEEN \d+ AND \d+\)", q
            ), q


def test_the_brief_of_everything_or_of_countries_reads_the_sums_not_every_event() -> None:
    """`brief` with no filter, or with only `country:` and `type:` terms, on a big store: its
    bottom line, its countries and its dates come from the sums per country and kind of event
    made at import, not from a pass over every event (at a million events that pass was ~0.9 s
    of every unfiltered brief; `type:battles`, 40% of the events, took 10 s)."""
    from briefing.devtools import synth
    from briefing.sqlquery import index_for
    from briefing.summary import gather
    from briefing.trend_queries import gather_index

    ds = synth.dataset(4000, seed=3)
    index = index_for(ds)  # the one gather_index asks
    countries = sorted({e.country for e in ds.events})

    def steps(query: Query) -> tuple[dict[str, object], int]:
        events = query.apply(ds)
        with sqlite_steps(index.conn) as ticks:
            got = gather_index(ds, query, events, str(query), generated_at="now")
        assert brief_data(got) == brief_data(gather(ds, events, str(query), generated_at="now")), str(query)
        return brief_data(got), ticks[0]

    _, scanned = steps(Query((Term("disputed", (), True),)))  # (nearly) every event, not from the sums
    for query in (
        Query(()),
        Query((Term("country", (countries[0], countries[1].casefold())),)),
        Query((Term("country", ("Nowhere",), True),)),  # negated: every country but one
        Query((Term("type", ("battles",)),)),  # a type, from the sums per kind of event
        Query((Term("type", ("armed-clash", "riots")), Term("country", (countries[0],)))),
    ):
        _, summed = steps(query)
        # a type's sums are its kinds' rows, a share of them (battles: 40% of these events);
        # the sums hold a row per (actor, role) pair, an actor's `figures` apart from its roles
        # (874 steps for `-country:Nowhere` before, 943 since, against 4,494 for every event)
        assert summed * (3 if "type:" in str(query) else 4) < scanned, (str(query), summed, scanned)


def test_a_filter_without_a_subquery_reads_each_period_s_run_once() -> None:
    """`brief --type battles` at a million events took 47 s (5.5 s at 100k): each period's
    statement met its own run of positions and the filter's (`pos BETWEEN` twice), and SQLite
    took the lower bound of one and the upper of the other, so each period read every event
    from its first to the end of the data.  One pass per period's run: the whole timeline reads
    about what one pass over every event reads."""
    from briefing.devtools import synth
    from briefing.filters import parse

    ds = synth.dataset(4000, seed=3)
    index = EventIndex(ds, text_index=False)

    def ticks(sql: str, params: list[object], base: Query | None = None, period: A.Period | None = None) -> int:
        """SQLite's steps (in hundreds) for the statement, or for the timeline of base over period."""
        with sqlite_steps(index.conn) as n:
            if base is not None and period is not None:
                got = analyse_index(index, base, period).numbers
                assert len(got.bins) > 24, str(base)  # months enough to tell one pass from one per month
                assert got.bins == A.analyse(base.apply(ds), period).numbers.bins, str(base)
            else:
                index.conn.execute(sql, params).fetchall()
        return n[0]

    for text in ("type:battles", "type:battles since:2016-01-01 until:2024-12", "country:Mali type:riots"):
        query = parse(text)
        base, since, until = A.split_dates(query)
        period = A.period_for(since, until, query.apply(ds))
        assert period is not None
        where, params = index.where(base)
        assert "SELECT" not in where  # the path that asks a statement per period
        one_pass = ticks(
            f"SELECT count(*), sum(a_acled) FROM ev NOT INDEXED JOIN an_ev USING (pos) WHERE {where}", params
        )
        timeline = ticks("", [], base, period)
        assert timeline < 4 * one_pass, (text, timeline, one_pass)


@pytest.mark.parametrize(
    "period,text,ordered,path",
    [
        (A.Period(date(2022, 7, 1), date(2023, 6, 30)), "", True, "by_cube"),
        (A.Period(date(2022, 7, 1), date(2022, 12, 31)), "", True, "by_period"),
        (A.Period(date(2022, 7, 1), date(2022, 12, 31)), "-disputed", True, "by_period"),
        (A.Period(date(2022, 7, 1), date(2022, 12, 31)), "-actor:a3", True, "grouped"),
        (A.Period(date(2022, 7, 1), date(2023, 6, 30)), "-disputed", False, "grouped"),
    ],
)
def test_the_deaths_comparison_leaves_out_the_events_the_change_leaves_out(
    period: A.Period, text: str, ordered: bool, path: str
) -> None:
    """`y` (2022, 4 killed) is in the period and the baseline alike: the counts leave it out of
    the change, and the deaths compared must too.  Before, the sentence compared 6 (with `y`)
    against ≥12 (with `y` again): the same 4 deaths on both sides."""
    from briefing.filters import parse

    at_least = Figure("killed", "total", "a0", "s0", value=5, qualifier="at-least")
    ds = spanning(
        {
            0: Figure("killed", "total", "a0", "s0", value=2),
            6: Figure("killed", "total", "a0", "s0", value=3),
            7: at_least,
        }
    )
    query = parse(text)
    got = _analysed_by(ds, query, period, ordered, path)
    want = A.analyse(query.apply(ds), period, actor_name=ds.actor_name)
    for t in (got, want):
        assert (t.totals.span, t.baseline_totals.span) == ("6", "≥12")  # the periods' own, `y` in each
        assert (t.change_totals.span, t.change_before_totals.span) == ("2", "≥8")
        assert A.deaths_sentence(t) == (
            "Deaths: 6 across 2 events with a figure; 5 events with no figure (not counted as zero); "
            f"2 in {t.period.label()} vs ≥8 in {t.baseline.label()}, where 2 events have no figure (1 event "
            "dated only to a month or year "
            "that neither period holds whole is left out of the change). A disputed event counts with its whole range; "
            "≥ marks an open-ended claim."
        )
    assert numbers(got) == numbers(want)


@pytest.mark.parametrize("index_min", [10**9, 0])
def test_the_bottom_line_names_only_what_both_periods_share(monkeypatch, index_min: int) -> None:
    """QA: `since:2022-07 until:2022-12` on the bundled data said "Battles in Kunduz fell 88% ...
    to 1 ... vs 8 in Jan–Jun": the one event of the period was a battle in Kunduz, but the 8 of
    the baseline were explosions and statements elsewhere. The subject is what the compared
    events share, in both periods; here nothing, so "Events"."""
    from briefing.filters import parse
    from tui_helpers import BUNDLED, load

    monkeypatch.setattr(A, "INDEX_MIN", index_min)
    ds = load(BUNDLED)
    query = parse("since:2022-07 until:2022-12")
    t = A.for_query(ds, query, query.apply(ds))
    assert t is not None and (t.change.now, t.change.before) == (1, 8)
    assert A.change_sentence(t, t.subject()).startswith("Events fell 88% (large decrease) to 1 "), t.subject()
    # a filter that does hold one place keeps it
    query = parse("country:Tajikistan since:2022-07 until:2022-12")
    t = A.for_query(ds, query, query.apply(ds))
    assert t is not None and t.subject().startswith("Events in Tajikistan"), t.subject()


def test_an_open_claim_ranks_by_its_floor_in_python_and_in_sql(monkeypatch) -> None:
    """What a user saw (QA, own records): "4 killed" per the police against "at least 15" per
    the group ranked below a clash of 3-6: an open-ended event ranked by its lowest claim (4),
    though the brief says an open claim ranks by its stated floor (15).  The TUI's `killed`
    order took the same number."""
    from briefing.sorting import killed_order

    by, src = ACTORS[0].id, SOURCES[0].id
    market = Event(
        "acled:market",
        "Market attack",
        "2022-05-12",
        "Benin",
        "battles",
        figures=(
            Figure("killed", "total", by, src, value=4),
            Figure("killed", "total", ACTORS[1].id, src, value=15, qualifier="at-least"),
        ),
    )
    clash = Event(
        "acled:clash",
        "Clash",
        "2022-05-20",
        "Benin",
        "battles",
        figures=(Figure("killed", "total", by, src, low=3, high=6),),
    )
    filler = [Event(f"acled:{i}", "t", f"2022-0{1 + i % 4}-0{1 + i % 9}", "Benin", "battles") for i in range(60)]
    ds = Dataset(SOURCES, ACTORS, [clash, market, *filler])
    query = Query((Term("since", ("2022-01",), False),))
    assert killed_order(market) == 15 and killed_order(clash) == 6
    python = A.for_query(ds, query, query.apply(ds))
    assert python is not None and [k.event.id for k in python.key_events(2)] == ["acled:market", "acled:clash"]
    monkeypatch.setattr(A, "INDEX_MIN", 50)
    sql = A.for_query(ds, query, query.apply(ds))
    assert sql is not None and type(sql.numbers).__name__ == "IndexNumbers"
    assert [k.event.id for k in sql.key_events(2)] == ["acled:market", "acled:clash"]


def table_numbers(rows: list[A.Row]) -> list[tuple[object, ...]]:
    """A table's rows without their labels (names, which the reference run has not, and which
    order the ties)."""
    return sorted((r.key, r.events, r.share, r.deaths, r.change, r.spark) for r in rows)


def test_a_brief_asks_a_word_or_tag_filter_once_not_once_per_statement(monkeypatch) -> None:
    """`brief --search ab` at 100k events took 3.6–4.8 s (12.5 s on a slower machine): its ~160
    statements each read every event's text again (`ab` is too short for the text index), and a
    tag's or an actor's subquery was asked again in each.  The filter is now run once into a
    temporary table of its positions (`EventIndex.selection`) that every statement reads (the
    period's run too, read from that table): the filter is read once, not once per statement,
    and the brief's numbers are the Python reference's."""
    from briefing.devtools import synth
    from briefing.sqlquery import index_for
    from briefing.summary import gather
    from briefing.trend_queries import gather_index

    ds = synth.dataset(3000, seed=5)
    monkeypatch.setattr(A, "INDEX_MIN", 1000)  # the trends in SQL, as for a big export
    index = index_for(ds)
    tag = next(t for e in ds.events for t in e.tags)
    for query, reads in (
        (Query((Term(None, ("ab",)),)), "ev_hay"),
        (Query((Term("tag", (tag,), True),)), "FROM ev_tag"),
    ):
        events = query.apply(ds)
        assert 0 < len(events) < len(ds.events)
        asked: list[str] = []
        index.conn.set_trace_callback(asked.append)
        try:
            got = gather_index(ds, query, events, str(query), generated_at="now")
            trends = A.for_query(ds, query, events)
            assert trends is not None
            tables = [table_numbers(trends.table(by)) for by in ("country", "admin1", "actor", "type", "source")]
            lines = (trends.new_actors(), [(k.event.id, k.deaths) for k in trends.key_events()])
        finally:
            index.conn.set_trace_callback(None)
        assert brief_data(got) == brief_data(gather(ds, events, str(query), generated_at="now")), str(query)
        python = A.analyse(query.apply(ds), trends.period)
        assert tables == [table_numbers(python.table(by)) for by in ("country", "admin1", "actor", "type", "source")]
        assert lines == (python.new_actors(), [(k.event.id, k.deaths) for k in python.key_events()])
        filtered = [q for q in asked if reads in q]
        assert len(asked) > 10 and len(filtered) == 1, (str(query), len(filtered), len(asked))


@pytest.mark.parametrize("index_min", [10**9, 0])
def test_an_open_end_is_the_data_s_not_the_selection_s(monkeypatch, index_min: int) -> None:
    """QA s18 (a researcher): the end a `since:` leaves open came from the selected events'
    span, so Enter on a Trends row (`country:Mali since:2024-06` narrowed to an actor whose last
    event was in November) gave Jun–Nov against another baseline than the row's (+400% where the
    row said +150%), and a filter matching nothing got a one-month period (0 against 1, where the
    row said 0 against 7). The open end is the data's: a narrower filter keeps the period."""
    from briefing.filters import parse
    from tui_helpers import BUNDLED, load

    monkeypatch.setattr(A, "INDEX_MIN", index_min)
    ds = load(BUNDLED)
    wide = A.for_query(ds, parse("since:2019-01"))
    assert wide is not None and wide.period.end.isoformat() == "2024-12-31", wide.period
    for narrowed in ("since:2019-01 actor:tj-border-guards", "since:2019-01 country:Nowhere", "until:2016 actor:iskp"):
        t = A.for_query(ds, parse(narrowed))
        assert t is not None, narrowed
        start = "2019-01-01" if "since" in narrowed else "2015-01-01"
        end = "2024-12-31" if "since" in narrowed else "2016-12-31"
        assert (t.period.start.isoformat(), t.period.end.isoformat()) == (start, end), (narrowed, t.period)
    t = A.for_query(ds, parse("actor:tj-border-guards"))  # no date given: the selection's own span
    assert t is not None and t.period.end.year < 2024, t.period


@pytest.mark.parametrize("index_min", [10**9, 0])
def test_an_open_end_stops_at_the_data_s_last_day_in_its_last_month(monkeypatch, index_min: int) -> None:
    """QA s18 (a researcher): `since:2024-12-22` on an export whose last day is the 28th ran the
    period to the 31st, its last days counted as no events: "fell 26% (large decrease)" at the
    same daily rate, the last week of every export a collapse. A period of days now ends on the
    data's last day-dated day when that falls in its last month; a period of whole months stays
    whole (the regression pass: `since:2024` became "1 Jan–28 Dec vs 3 Jan–31 Dec 2023", 98
    events left out), its last days said; a `since:` past the data's last day has no change to
    tell; a filter matching nothing keeps its weeks."""
    from briefing.devtools import synth
    from briefing.filters import parse

    monkeypatch.setattr(A, "INDEX_MIN", index_min)
    ds = synth.dataset(3000, seed=5)  # its last day 2024-12-27, a "2024-12" event beside it
    t = A.for_query(ds, parse("since:2024-12-21"))
    assert t is not None
    assert (t.period.start.isoformat(), t.period.end.isoformat()) == ("2024-12-21", "2024-12-27")
    assert (t.baseline.start.isoformat(), t.baseline.end.isoformat()) == ("2024-12-14", "2024-12-20")
    t = A.for_query(ds, parse("since:2024-06"))
    assert t is not None and (t.period.end.isoformat(), t.baseline.start.isoformat()) == ("2024-12-31", "2023-11-01")
    said = A.change_sentence(t, t.subject())
    assert said.endswith("; the data's last dated day is 27 Dec 2024: the period's days after it hold none yet."), said
    t = A.for_query(ds, parse("since:2024-12-28"))
    assert t is not None
    said = A.change_sentence(t, t.subject())
    assert "the data's last dated day is 27 Dec 2024: no change to tell." in said and "fell" not in said, said
    # (the second regression pass) nor the deaths, the tables and the exports: no baseline
    assert not t.has_baseline and " vs " not in A.deaths_sentence(t), A.deaths_sentence(t)
    t = A.for_query(ds, parse("since:2024-12-14 country:Nowhere"))  # nothing matches: still by week
    assert t is not None and t.unit == "week" and t.period.end.isoformat() == "2024-12-27", (t.unit, t.period)
    t = A.for_query(ds, parse("until:2024-06"))  # an open start stays the data's first month
    assert t is not None and t.period.start.day == 1


@pytest.mark.parametrize("index_min", [10**9, 0])
def test_a_baseline_reaching_before_the_data_says_so(monkeypatch, index_min: int) -> None:
    """QA s18 (a researcher): `country:Iran since:2015-02 until:2015-03` on an export starting
    2015-01-01 said "rose 99% (large increase) to 141 … vs 71 in Dec 2014–Jan 2015": half the
    baseline had no data, and nothing said so (a baseline wholly before the data is "nothing
    earlier to compare with"). The change sentence now says where the data starts."""
    from briefing.devtools import synth
    from briefing.filters import parse
    from briefing.records import date_low

    monkeypatch.setattr(A, "INDEX_MIN", index_min)
    ds = synth.dataset(3000, seed=5)
    first = min(date_low(e.date) for e in ds.events)
    assert first[5:] == "01-01", first  # the data starts on a 1 January
    year = int(first[:4])
    t = A.for_query(ds, parse(f"since:{year}-02 until:{year}-03"))
    assert t is not None and t.baseline.start.isoformat() < first <= t.baseline.end.isoformat()
    said = A.change_sentence(t, t.subject())
    assert f"the data starts {A._date_words(t.data_start_text)}: the baseline's days before it hold no data" in said
    assert t.data_start_text[:4] == str(year), t.data_start_text
    t = A.for_query(ds, parse(f"since:{year}-05 until:{year}-06"))  # a baseline inside the data
    assert t is not None and "the data starts" not in A.change_sentence(t, t.subject())
    t = A.for_query(ds, parse(f"since:{year}-06 until:{year}-08"), compare_to="year")  # wholly before it
    assert t is not None and t.change.before == 0
    said = A.change_sentence(t, t.subject())
    assert "after Jun–Aug 2014: nothing to compare with" in said and "increase" not in said, said
    t = A.for_query(ds, parse(f"until:{year + 1}-06"))  # nothing earlier: said once, not contradicted
    assert t is not None
    said = A.change_sentence(t, t.subject())
    assert "the data holds nothing earlier to compare with" in said and "the data starts" not in said, said
