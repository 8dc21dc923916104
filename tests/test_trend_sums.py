"""The brief's table by actor for one country (or none) is read from the sums made per country,
pair and months when the index was built (`an_pairs`), not grouped from every role of the
country's events at each brief: that grouping was most of a 1M-event brief's time
(bench/README.md).  The numbers stay the Python reference's (`analysis.analyse`)."""

from __future__ import annotations

from datetime import date

import pytest

from briefing import analysis as A
from briefing.dataset import Dataset
from briefing.filters import parse
from briefing.records import Actor, ActorRole, Event, Figure, Source
from briefing.sqlquery import EventIndex
from briefing.trend_queries import analyse_index, gather_index, period_of

ACTORS = [Actor(f"a{i}", f"Actor {i}", "armed-group") for i in range(4)]
SOURCES = [Source("s0", "Outlet", "outlet", "B")]


def events() -> list[Event]:
    """Newest first (as a dataset keeps them), over two countries (one in two spellings), with
    month- and year-dated events, a pair in two roles and a claimant who is not listed."""
    out = []
    dates = ["2023-03-01", "2023-02", "2023-02-28", "2023-01-15", "2022", "2022-11-30", "2022-06-02"]
    for i in range(42):
        d = dates[i % len(dates)]
        country = ["Benin", "Niger", "BENIN"][i % 3]
        roles = (ActorRole(f"a{i % 4}", "perpetrator"), ActorRole(f"a{(i + 1) % 4}", ["target", "perpetrator"][i % 2]))
        figures = (Figure("killed", "total", f"a{(i + 2) % 4}", "s0", value=i % 5),) if i % 3 else ()
        out.append(Event(f"acled:e{i}", f"event {i}", d, country, "battles", actors=roles, figures=figures))
    out.sort(key=lambda e: (e.date, e.id), reverse=True)
    return out


@pytest.mark.parametrize("text", ["country:benin", "country:benin,niger", ""])
def test_the_table_by_actor_comes_from_the_sums_per_country(text: str) -> None:
    ds = Dataset(SOURCES, ACTORS, events())
    index = EventIndex(ds, text_index=False)
    query = parse(text)
    period = period_of(index, query, None, None)
    assert period == A.period_for(None, None, query.apply(ds)) and period is not None
    for start in (period.start, date(2022, 6, 1)):  # the whole span; its last months (the year event before)
        part = A.Period(start, period.end)
        asked: list[str] = []
        got = analyse_index(index, query, part, actor_name=ds.actor_name)
        assert got.numbers.by_cube  # type: ignore[attr-defined]  # whole months, a country or none
        index.conn.set_trace_callback(asked.append)
        rows = got.table("actor")
        index.conn.set_trace_callback(None)
        assert asked and all("an_role" not in sql for sql in asked) and any("an_pairs" in sql for sql in asked)
        want = A.analyse(query.apply(ds), part, actor_name=ds.actor_name)
        assert rows == want.table("actor") and rows
        assert got.new_actors() == want.new_actors()


def test_the_brief_s_dates_and_roles_equal_the_python_pass() -> None:
    """The first and last dates as strings order them: `2023-02` ("2023-02-31") ends after
    `2023-02-28`, though both end on the same day; the roles counted from the sums."""
    from briefing.summary import gather

    ds = Dataset(SOURCES, ACTORS, events())
    for text in ("country:benin", "", "country:niger"):
        query = parse(text)
        chosen = query.apply(ds)
        want = gather(ds, chosen, text, generated_at="now")
        got = gather_index(ds, query, chosen, text, generated_at="now")
        assert got.period == want.period == ("2022", "2023-03-01")
        assert [(a.id, dict(c)) for a, c in got.actors] == [(a.id, dict(c)) for a, c in want.actors]
    late = Dataset(SOURCES, ACTORS, [e for e in events() if e.date in ("2023-02", "2023-02-28")])
    chosen = late.events
    want = gather(late, chosen, "", generated_at="now")
    assert gather_index(late, parse(""), chosen, "", generated_at="now").period == want.period == ("2023-02", "2023-02")


@pytest.mark.parametrize("text", ["country:benin", ""])
def test_not_placed_events_from_the_sums_are_the_python_ones(text: str) -> None:
    """From the sums per country (months only), the events in no month (dated `2022`) keep
    their first and last day in the period, so that the brief's chart summed by year or quarter
    places them as the Python reference does: the 2022 bar holds the year-dated events."""
    from briefing.render.trends import chart_rows

    ds = Dataset(SOURCES, ACTORS, events())
    index = EventIndex(ds, text_index=False)
    query = parse(text)
    for part in (A.Period(date(2022, 6, 1), date(2023, 3, 31)), A.Period(date(2022, 1, 1), date(2023, 3, 31))):
        got = analyse_index(index, query, part)
        want = A.analyse(query.apply(ds), part)
        assert got.numbers.by_cube  # type: ignore[attr-defined]
        assert got.not_placed_spans == want.not_placed_spans and want.not_placed
        for limit in (2, 5):
            g, w = chart_rows(got, limit), chart_rows(want, limit)
            assert (g.per, g.rows, g.not_placed) == (w.per, w.rows, w.not_placed)
        years = chart_rows(want, 2)
        assert years.per == "year" and years.not_placed == 0
        assert sum(r.events for r in years.rows) == want.count


def _as_python(ds: Dataset, text: str) -> bool:
    """Asserts that the Trends (Jan 2022 to Mar 2023) and the brief of `text` from the index
    equal the Python pass's; returns whether the sums made at import answered (`by_cube`)."""
    from briefing.summary import gather

    index = EventIndex(ds, text_index=False)
    query = parse(text)
    chosen = query.apply(ds)
    assert chosen
    period = A.Period(date(2022, 1, 1), date(2023, 3, 31))
    got = analyse_index(index, query, period, actor_name=ds.actor_name)
    want = A.analyse(chosen, period, actor_name=ds.actor_name)
    assert (got.count, got.totals, got.baseline_totals, got.change) == (
        want.count,
        want.totals,
        want.baseline_totals,
        want.change,
    )
    assert got.timeline == want.timeline
    for by in ("actor", "country", "admin1", "type"):
        assert got.table(by) == want.table(by), by
    assert got.new_actors() == want.new_actors()
    assert period_of(index, query, None, None) == A.period_for(None, None, chosen)
    brief = gather_index(ds, query, chosen, text, generated_at="now")
    ref = gather(ds, chosen, text, generated_at="now")
    assert (brief.deaths, brief.countries, brief.period) == (ref.deaths, ref.countries, ref.period)
    assert [(a.id, dict(c)) for a, c in brief.actors] == [(a.id, dict(c)) for a, c in ref.actors]
    assert brief.sources == ref.sources
    return bool(got.numbers.by_cube)  # type: ignore[attr-defined]


def _synced(tmp_path, removed_ids: set[str]) -> Dataset:
    """The events in a data directory with a sync ledger, some removed by ACLED (hidden by
    default, as `briefing sync acled` leaves them)."""
    from briefing.vocab import REMOVED_TAG

    (tmp_path / "acled").mkdir()
    (tmp_path / "acled" / "ledger.jsonl").write_text("")
    evs = [e._replace(tags=(*e.tags, REMOVED_TAG)) if e.id in removed_ids else e for e in events()]
    return Dataset(SOURCES, ACTORS, evs, root=str(tmp_path))


@pytest.mark.parametrize("text", ["country:benin", "", "removed", "country:niger removed"])
def test_a_synced_data_directory_is_answered_from_the_sums_and_its_removed_events_stay_out(tmp_path, text: str) -> None:
    """With a sync ledger the removed events are hidden unless a query names `removed`.  The
    sums used to be left unused for every such directory (the query's `removed = 0` was not
    a country term), so a weekly-synced 1M export never had them; they now leave the removed
    events out, and a query that names `removed` is grouped from the events."""

    ds = _synced(tmp_path, {"acled:e0", "acled:e4", "acled:e7", "acled:e12"})
    assert _as_python(ds, text) == ("removed" not in text)


def test_sums_of_data_holding_removed_events_without_a_ledger_are_not_used(tmp_path) -> None:
    """Without a ledger nothing is hidden: an event that carries the removed tag anyway counts,
    and the sums (which leave such events out) must not answer."""
    from briefing.vocab import REMOVED_TAG

    evs = [e._replace(tags=(*e.tags, REMOVED_TAG)) if e.id == "acled:e3" else e for e in events()]
    ds = Dataset(SOURCES, ACTORS, evs)
    index = EventIndex(ds, text_index=False)
    period = A.Period(date(2022, 1, 1), date(2023, 3, 31))
    got = analyse_index(index, parse(""), period)
    want = A.analyse(ds.events, period)
    assert got.count == want.count == len(ds.events) - sum(1 for e in ds.events if e.date < "2022")
    assert got.table("country") == want.table("country")


def _kinds() -> list[Event]:
    """`events()` of three kinds: battles (armed clashes and no sub-type) and riots."""
    out = []
    for i, e in enumerate(events()):
        kind = [("battles", "armed-clash"), ("battles", None), ("riots", "mob-violence")][i % 3]
        out.append(e._replace(type=kind[0], sub_type=kind[1]))
    return out


@pytest.mark.parametrize(
    "text",
    ["type:battles", "type:armed-clash", "-type:riots", "country:benin type:battles", "type:riots,armed-clash", ""],
)
def test_a_selection_by_type_is_answered_from_the_sums_per_kind(tmp_path, text: str) -> None:
    """`brief --type battles` over a million events grouped every battle's roles (10 s); the
    sums are now made per country and kind of event (type and sub-type), so a selection of
    `type:` and `country:` terms reads its kinds' rows.  The numbers stay the Python pass's, in
    a synced directory too (removed events hidden)."""
    from briefing.vocab import REMOVED_TAG

    (tmp_path / "acled").mkdir()
    (tmp_path / "acled" / "ledger.jsonl").write_text("")
    removed = {"acled:e2", "acled:e9"}
    for ds in (
        Dataset(SOURCES, ACTORS, _kinds()),
        Dataset(
            SOURCES,
            ACTORS,
            [e._replace(tags=(*e.tags, REMOVED_TAG)) if e.id in removed else e for e in _kinds()],
            root=str(tmp_path),
        ),
    ):
        assert _as_python(ds, text)


def agreeing_events() -> list[Event]:
    """events(), with two agreeing claims (N and "at least N") on every fifth event's total."""
    out = []
    for i, e in enumerate(events()):
        if i % 5 == 0 and e.figures:
            e = e._replace(
                figures=(
                    *e.figures,
                    Figure("killed", "total", "a1", "s0", value=e.figures[0].value, qualifier="at-least"),
                )
            )
        out.append(e)
    return out


@pytest.mark.parametrize("text", ["country:benin", "", "country:niger", "event"])
def test_the_figures_several_claims_give_are_counted_as_the_python_pass_counts_them(text: str) -> None:
    """ "No disputed figures: where several claims exist, they agree" was said of ACLED data,
    where no event has two claims to compare: the bottom line now counts the figures several
    claims give (from the sums at import, or one pass over the selection) to tell the two."""
    from briefing.summary import gather

    for ds in (Dataset(SOURCES, ACTORS, events()), Dataset(SOURCES, ACTORS, agreeing_events())):
        query = parse(text)
        chosen = query.apply(ds)
        want = gather(ds, chosen, text, generated_at="now")
        got = gather_index(ds, query, chosen, text, generated_at="now")
        assert got.compared_figures == want.compared_figures
        assert got.disputed_figures == want.disputed_figures == 0
    assert want.compared_figures > 0


def spelt_two_ways() -> list[Event]:
    """events(), with Benin's admin1 written `Alibori` and `ALIBORI` (its country `Benin` and
    `BENIN`), and a third of them in `Borgou, Bénin`: one place each to the filters, which fold
    case and accents."""
    out = []
    for i, e in enumerate(events()):
        if e.country.casefold() == "benin" and i % 3 == 0:  # another admin1, its country spelt otherwise
            e = e._replace(admin1="Borgou", country="Bénin")
        elif e.country.casefold() == "benin":
            e = e._replace(admin1="Alibori" if i % 2 else "ALIBORI")
        out.append(e)
    return out


@pytest.mark.parametrize("text", ["", "country:benin", "event"])
def test_a_place_spelt_two_ways_is_one_row_as_its_filter_finds_it(text: str) -> None:
    """QA s14: `Segou`/`Ségou` or `Mopti`/`MOPTI` were two rows of the tables by country and
    admin1, each below the place's count, while the filter a row's Enter gives finds both
    ("→ 2 shown" under a row of 1).  One row, spelt as the first event met spells it, from
    the sums and from the Python pass alike."""
    from briefing.sqlquery import EventIndex

    ds = Dataset(SOURCES, ACTORS, spelt_two_ways())
    index = EventIndex(ds, text_index=True)
    query = parse(text)
    period = period_of(index, query, None, None)
    assert period is not None
    got = analyse_index(index, query, period, actor_name=ds.actor_name)
    want = A.analyse(query.apply(ds), period, actor_name=ds.actor_name)
    for by in ("country", "admin1"):
        rows = got.table(by)
        assert [(r.label, r.events, r.deaths) for r in rows] == [(r.label, r.events, r.deaths) for r in want.table(by)]
        for r in rows:  # each row's events are what its filter term finds
            found = parse(f"{text} {r.filter_term(by)}").apply(ds)
            assert len(found) == r.events, (by, r.label, r.filter_term(by), len(found), r.events)
    labels = [r.label for r in want.table("admin1")]
    assert sum("alibori" in x.casefold() for x in labels) == 1, labels
    # one country, one spelling, across its admin1 rows too (review s14: `Anbar, IRAQ` beside `Kirkuk, Iraq`)
    from briefing.dataset import fold

    spelt = {r.key[0] for r in want.table("admin1") if fold(r.key[0]) == "benin"}
    assert len(spelt) == 1, spelt
