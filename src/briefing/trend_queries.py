"""`analysis.Trends` and the brief's lists (`summary.gather`) computed in SQL over the SQLite
index (`sqlquery.EventIndex`), for data too big to read back event by event (a 1M-event store
pages its events from SQLite).

The meaning is the Python reference's (`analysis.EventNumbers`, `summary.gather`: the oracle):
`tests/test_trend_queries.py` holds these numbers equal to it with hypothesis on generated data,
and the bundled data's brief word for word.  Only the events a brief lists (the top key events,
the first disputed events) are read back as `Event` records (`ds.events[pos]`).

Three ways to the same numbers, fastest first:
* a selection with no filter, or only `country:`, over whole months by month: the sums made
  per country when the index was built (`an_cube`: the timeline and the tables by country,
  admin1 and type; `an_pairs`: the table by actor, summed per pair in SQL; `an_first`,
  `an_roles`, `an_srcs`: actors' first days, the brief's roles and sources), a few thousand rows
  read whatever the number of events;
* events in date order (newest first, as a dataset keeps them): each timeline period is one
  aggregate over its own run of positions (`an_day`), no sort; the tables are GROUP BYs over the
  positions that can hold the period and its baseline;
* otherwise one GROUP BY over the selection.

An event is in a period when its dates overlap it (the filter's since/until rule); its timeline
period is found from its first and last day clipped to the period, and it is "not placed" when
those fall in different periods, or when it reaches past the first or last period's whole week or
month (`analysis.whole_extent`) (then kept by those two days, read only for the few events
of several days: `not_placed_spans`).  An event that overlaps the period and the baseline alike (a
month or a year spanning both), or that reaches past the one it overlaps, is on neither side of
the change (`analysis.Change`): the change counts the events wholly in the period
(`change_now`) and wholly in the baseline (`change_before`), and the rest apart (`left_out`).  Numbers put into the
SQL text are day and month numbers the code computed (never user text); the filter's values
stay parameters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing.analysis import (
    BEFORE,
    BY,
    MONDAY,
    NOW,
    OUT,
    SATURDAY,
    Apart,
    Deaths,
    KeyEvent,
    Numbers,
    Period,
    Shared,
    Trends,
    Units,
    _month_end,
    _week_start,
    baseline_for,
    bin_starts,
    event_deaths,
    unit_for,
    whole_extent,
)
from briefing.compare import Totals, compare, disputed_rows, is_disputed
from briefing.problems import skipped_text
from briefing.records import LONGEST, Actor, Event
from briefing.sqlquery import DEATHS, positions_only

if TYPE_CHECKING:
    from briefing.filters import Query
    from briefing.sqlquery import EventIndex
    from briefing.summary import BriefData

_FROM = "ev JOIN an_ev USING (pos)"


def _deaths(n: int, wf: int, lo: int, hi: int, open_: int) -> Deaths:
    return Deaths(lo, None if open_ else hi, wf, n - wf)


def _minus(a: Sequence[int], b: Sequence[int]) -> Deaths:
    """The deaths of the rows counted in `DEATHS` columns `a` and not in `b` (a subset of them):
    every column is a count or a sum, so the difference is exact."""
    return _deaths(*(x - y for x, y in zip(a, b)))


def _overlaps(p: Period) -> str:
    return f"(a_lod <= {p.end.toordinal()} AND a_hid >= {p.start.toordinal()})"


def _within(p: Period) -> str:
    """An event wholly in `p`: on that side of the change (`analysis.Change`)."""
    return f"(a_lod >= {p.start.toordinal()} AND a_hid <= {p.end.toordinal()})"


def _side(p: Period, b: Period) -> str:
    """An event's side of the change as SQL: NOW, BEFORE or OUT (`analysis.NOW`...)."""
    return f"(CASE WHEN {_within(p)} THEN {NOW} WHEN {_within(b)} THEN {BEFORE} ELSE {OUT} END)"


def _spans(apart: dict[tuple[date, date], tuple[int, Deaths]]) -> list[Apart]:
    """`Numbers.not_placed_spans` from (first day, last day) -> (events, deaths), earliest first."""
    return [Apart(a, b, n, d) for (a, b), (n, d) in sorted(apart.items())]


def _gather(apart: dict[tuple[date, date], tuple[int, Deaths]], days: tuple[date, date], n: int, d: Deaths) -> None:
    had = apart.get(days)
    apart[days] = (n, d) if had is None else (had[0] + n, had[1].plus(d))


class IndexNumbers(Numbers):
    """`analysis.Numbers` from the index: `base` (the filter without its dates) selects the
    events; the period's and the baseline's events are those that overlap them.

    The events are newest first, so (when the index found them so: an_meta `ordered`) the
    events whose first day falls in a run of days are a run of positions (an_day): each
    timeline period is one aggregate over its own positions, no sort.  Otherwise, or when the
    filter asks a subquery (SQLite asks it again for each statement), one GROUP BY."""

    def __init__(self, index: EventIndex, base: Query, period: Period, baseline: Period, unit: str) -> None:
        self.index = index
        self.base = base
        where, params = self.where, self.params = index.where(base)
        self.period = period
        self.inp = _overlaps(period)
        self.inb = _overlaps(baseline)
        self.side = _side(period, baseline)
        p_lo, p_hi = period.start.toordinal(), period.end.toordinal()
        self.ordered = index.ordered
        # positions that can hold the period's and the baseline's events
        self.span = self._positions(min(p_lo, baseline.start.toordinal()) - LONGEST, p_hi)
        # the filter within those positions: its subqueries (a tag's events, a word's) gather
        # only the run, not every event of the data, once (`selection`)
        self.where_in, self.params_in = (
            (where, params) if self.span is None or where == "1" else index.selection(base, within=self.span)
        )
        # no filter (the whole data), or a selection's positions: `ev` need not be read at all
        self.source = "an_ev" if positions_only(where) or positions_only(self.where_in) else _FROM
        if unit == "week" and self.span is not None and not self._weekly(period):
            unit = "month"  # no event of the period fits in a week (`analysis.unit_for`)
        self.unit = unit
        self.cells = cube_cells(index, base, where, params)  # None: the sums cannot answer it
        # by month, whole months: every number of the timeline and the tables from the sums
        self.by_cube = self.cells is not None and unit == "month" and period.whole_months and baseline.whole_months
        self.baseline = baseline
        if self.by_cube:
            self._from_cube(period)
        elif self.ordered and "SELECT" not in where:
            self._by_period(period, baseline)
        else:  # not in date order; or a filter with a subquery (an actor, a tag, a word), which
            # would be asked again for each of the hundreds of periods: once, grouped
            self._grouped(period)

    def _cube(self, dim: int) -> list[tuple[Any, ...]]:
        """The sums of `dim` for the selected countries that overlap the period or the
        baseline, as rows of (k1, k2, inp, inb, timeline index or -1, side of the change,
        events, with a figure, low, high, open-ended, ACLED ids, first met, first month, last
        month), as a GROUP BY over the events gives (the months: where an event in no month
        lies, for a chart by quarter or year; the periods are whole months, so the months
        tell the side)."""
        p, b = self.period, self.baseline
        pm = (p.start.year * 12 + p.start.month - 1, p.end.year * 12 + p.end.month - 1)
        bm = (b.start.year * 12 + b.start.month - 1, b.end.year * 12 + b.end.month - 1)
        assert self.cells is not None  # asked only from the sums
        where = f"dim = ? AND him >= ? AND lom <= ? AND {self.cells.sql}"
        params: list[Any] = [dim, min(pm[0], bm[0]), max(pm[1], bm[1]), *self.cells.params]
        out = []
        for k1, k2, lom, him, *sums in self._ask(
            f"SELECT k1, k2, lom, him, n, wf, lo, hi, open, acled, met FROM an_cube WHERE {where}", params
        ):
            inp = lom <= pm[1] and him >= pm[0]
            inb = lom <= bm[1] and him >= bm[0]
            # placed: within one of the period's months (`whole_extent`; the period is whole months)
            placed = lom - pm[0] if inp and lom == him and pm[0] <= lom <= pm[1] else -1
            side = NOW if pm[0] <= lom and him <= pm[1] else BEFORE if bm[0] <= lom and him <= bm[1] else OUT
            if inp or inb:
                out.append((k1, k2, inp, inb, placed, side, *sums, lom, him))
        return out

    def _from_cube(self, period: Period) -> None:
        self.starts = bin_starts(period, self.unit, MONDAY)
        n = len(self.starts)
        self.bins = [0] * n
        self.bin_deaths = [Deaths()] * n
        self.not_placed = pending = acled = self.before = 0
        sides = [0, 0, 0]
        self.totals = self.before_totals = self.change_totals = self.change_before_totals = Deaths()
        apart: dict[tuple[date, date], tuple[int, Deaths]] = {}
        for _, _, inp, inb, i, side, *g in self._cube(0):
            d = _deaths(*g[0:5])
            sides[side] += g[0]
            if side == NOW:  # the deaths the change compares (`change_totals`)
                self.change_totals = self.change_totals.plus(d)
            elif side == BEFORE:
                self.change_before_totals = self.change_before_totals.plus(d)
            if inp:
                self.totals = self.totals.plus(d)
                pending += g[0]
                acled += g[5]
                if i < 0:
                    self.not_placed += g[0]
                    lom, him = g[7], g[8]  # whole months: the months' days are the events' days
                    first = max(period.start, date(lom // 12, lom % 12 + 1, 1))
                    last = min(period.end, _month_end(him // 12, him % 12 + 1))
                    _gather(apart, (first, last), g[0], d)
                else:
                    self.bins[i] += g[0]
                    self.bin_deaths[i] = self.bin_deaths[i].plus(d)
            if inb:
                self.before += g[0]
                self.before_totals = self.before_totals.plus(d)
        self.change_now, self.change_before, self.left_out = sides
        self.not_placed_spans = _spans(apart)
        self.acled, self.week_start = _week_start(self.unit, pending, acled)

    def _weekly(self, period: Period) -> bool:
        """Whether some event of the period is shorter than a week (one a weekly bar can hold),
        or none is in it (a filter matching nothing keeps the weeks its dates ask for: QA s18)."""
        cond, params = self._in(self.span)
        within = f"FROM {self.source} WHERE {cond} AND {_overlaps(period)}"
        sql = f"SELECT NOT EXISTS (SELECT 1 {within}) OR EXISTS (SELECT 1 {within} AND a_hid - a_lod < 7)"
        return bool(self._ask(sql, [*params, *params])[0][0])

    def _positions(self, first: int, last: int) -> tuple[int, int] | None:
        """The positions of the events whose first day is from `first` to `last` (day numbers);
        None: no event.  Every position when the events are not in date order."""
        if not self.ordered:
            return (0, len(self.index.ds.events) - 1)
        a, b = self._ask("SELECT min(first), max(last) FROM an_day WHERE day BETWEEN ? AND ?", [first, last])[0]
        return None if a is None else (a, b)

    def _in(self, span: tuple[int, int] | None) -> tuple[str, list[Any]]:
        """(the events of the selection within `span`: SQL, parameters).  The filter is
        compiled within the span, so the statement holds one run of positions: given two
        (`pos BETWEEN` the span's and the filter's own), SQLite bounds its read by one's first
        position and the other's last, and a period's statement read every event after it."""
        if span is None:
            return "0", []
        if self.where == "1":
            return f"pos BETWEEN {span[0]} AND {span[1]}", []
        if span == self.span:
            return self.where_in, self.params_in
        if positions_only(self.where_in):  # a selection: its table within the run
            return self.index.narrowed(self.where_in, span), []
        return self.index.where(self.base, within=span)

    def _by_period(self, period: Period, baseline: Period) -> None:
        p_lo, p_hi = period.start.toordinal(), period.end.toordinal()
        if self.unit == "week":  # which day weeks start on: ACLED's Saturday or ISO's Monday
            cond, params = self._in(self._positions(p_lo - LONGEST, p_hi))
            n, acled = self._ask(
                f"SELECT count(*), sum(a_acled) FROM {self.source} WHERE {cond} AND {self.inp}", params
            )[0]
            self.acled, self.week_start = _week_start(self.unit, n, acled or 0)
        self.starts = starts = bin_starts(period, self.unit, getattr(self, "week_start", None) or MONDAY)
        days = [s.toordinal() for s in starts] + [p_hi + 1]
        # past the last bar's whole week or month, or before the first's: not placed (`whole_extent`)
        beyond = [*days[1:-1], whole_extent(starts, self.unit)[1].toordinal()]
        every = f"SELECT {DEATHS}, sum(a_acled) FROM {self.source} WHERE {{cond}} AND {self.inp}"
        # not placed: its last day (in the period) falls in a later period; only an event of
        # several days can be so (a month or a year): an_ev_long finds those few, grouped by
        # their first and last day in the period (`not_placed_spans`)
        apart = (
            f"SELECT max(a_lod, {p_lo}), min(a_hid, {p_hi}), {DEATHS} FROM {self.source} "
            f"WHERE {{cond}} AND {self.inp} AND a_hid > a_lod AND (a_hid >= {{nxt}} OR a_lod < {days[0]}) GROUP BY 1, 2"
        )
        self.bins, self.bin_deaths = [], []
        self.not_placed = pending = acled = 0
        self.totals = Deaths()
        raw = [0] * 5  # the period's `DEATHS` columns, summed: `change_totals` below
        spans: dict[tuple[date, date], tuple[int, Deaths]] = {}
        for i in range(len(starts)):
            first = p_lo - LONGEST if i == 0 else days[i]
            cond, params = self._in(self._positions(first, days[i + 1] - 1))
            g = self._ask(every.format(cond=cond), params)[0]
            d = _deaths(*g[0:5])
            self.totals = self.totals.plus(d)
            raw = [x + y for x, y in zip(raw, g[0:5])]
            if g[0]:
                out = [0] * 5
                for lo, hi, *o in self._ask(apart.format(cond=cond, nxt=beyond[i]), params):
                    _gather(spans, (date.fromordinal(lo), date.fromordinal(hi)), o[0], _deaths(*o))
                    out = [x + y for x, y in zip(out, o)]
                g = tuple(x - y for x, y in zip(g[0:5], out)) + g[5:]
                self.not_placed += out[0]
            self.bins.append(g[0])
            self.bin_deaths.append(_deaths(*g[0:5]))
            pending += d.with_figure + d.without_figure
            acled += g[5] or 0
        self.not_placed_spans = _spans(spans)
        if self.unit != "week":
            self.acled, self.week_start = _week_start(self.unit, pending, acled)
        b_lo, b_hi = baseline.start.toordinal(), baseline.end.toordinal()
        # the events neither side of the change holds whole: only events of several days
        # (an_ev_long), those of the period, then the baseline's that are not the period's
        long = f"a_hid > a_lod AND {self.side} = {OUT}"
        cond, params = self._in(self._positions(p_lo - LONGEST, p_hi))
        out_now = self._ask(f"SELECT {DEATHS} FROM {self.source} WHERE {cond} AND {self.inp} AND {long}", params)[0]
        cond, params = self._in(self._positions(b_lo - LONGEST, b_hi))
        g = self._ask(f"SELECT {DEATHS} FROM {self.source} WHERE {cond} AND {self.inb}", params)[0]
        # (and of those, the ones the period's count above did not hold)
        out_before = self._ask(
            f"SELECT {DEATHS}, sum(NOT {self.inp}) FROM {self.source} WHERE {cond} AND {self.inb} AND {long}", params
        )[0]
        self.before = g[0]
        self.before_totals = _deaths(*g[0:5])
        self.change_totals = _minus(raw, out_now)
        self.change_before_totals = _minus(g[0:5], out_before[0:5])
        self.change_now = raw[0] - out_now[0]
        self.change_before = self.before - out_before[0]
        self.left_out = out_now[0] + (out_before[5] or 0)

    def _grouped(self, period: Period) -> None:
        """The same numbers in one GROUP BY (events not in date order)."""
        # weeks start on Saturday for ACLED data, else on Monday: both worked out in one pass
        firsts = [bin_starts(period, self.unit, SATURDAY)[0], bin_starts(period, self.unit, MONDAY)[0]]
        cols = ", ".join(self._placed(f) for f in firsts)
        # an event of several days in the period: its first and last day there, so that the
        # not-placed ones are kept by their days (`not_placed_spans`); NULL for the rest
        p_lo, p_hi = period.start.toordinal(), period.end.toordinal()
        long = f"a_hid > a_lod AND {self.inp}"
        days = f"CASE WHEN {long} THEN max(a_lod, {p_lo}) END, CASE WHEN {long} THEN min(a_hid, {p_hi}) END"
        cond, params = self._in(self.span)
        sql = (
            f"SELECT {self.inp}, {self.inb}, {cols}, {DEATHS}, sum(a_acled), {days}, {self.side} "
            f"FROM {self.source} WHERE {cond} AND ({self.inp} OR {self.inb}) GROUP BY 1, 2, 3, 4, 11, 12, 13"
        )
        groups = self._ask(sql, params)
        pending = sum(g[4] for g in groups if g[0])
        acled = sum(g[9] for g in groups if g[0])
        self.acled, self.week_start = _week_start(self.unit, pending, acled)
        self.starts = bin_starts(period, self.unit, self.week_start or MONDAY)
        col = 3 if self.week_start == MONDAY else 2
        n = len(self.starts)
        self.bins = [0] * n
        self.bin_deaths = [Deaths()] * n
        self.not_placed = 0
        self.totals = self.before_totals = self.change_totals = self.change_before_totals = Deaths()
        self.before = 0
        sides = [0, 0, 0]
        apart: dict[tuple[date, date], tuple[int, Deaths]] = {}
        for g in groups:
            d = _deaths(*g[4:9])
            sides[g[12]] += g[4]
            if g[12] == NOW:  # the deaths the change compares (`change_totals`)
                self.change_totals = self.change_totals.plus(d)
            elif g[12] == BEFORE:
                self.change_before_totals = self.change_before_totals.plus(d)
            if g[0]:
                self.totals = self.totals.plus(d)
                i = g[col]
                if i < 0:  # only an event of several days: its days are there
                    self.not_placed += g[4]
                    _gather(apart, (date.fromordinal(g[10]), date.fromordinal(g[11])), g[4], d)
                else:
                    self.bins[i] += g[4]
                    self.bin_deaths[i] = self.bin_deaths[i].plus(d)
            if g[1]:
                self.before += g[4]
                self.before_totals = self.before_totals.plus(d)
        self.change_now, self.change_before, self.left_out = sides
        self.not_placed_spans = _spans(apart)

    def _placed(self, first: date) -> str:
        """The timeline index of an event in the period, -1 when not placed (NULL outside):
        placed when its span lies in one bar's whole week or month (`whole_extent`), so its
        first day names the bar (no clipping to the period needed, as `_cube` and `_pairs`)."""
        if self.unit == "month":
            m0 = first.year * 12 + first.month - 1
            m1 = self.period.end.year * 12 + self.period.end.month - 1
            at, whole = f"(a_lom - {m0})", f"a_lom = a_him AND a_lom BETWEEN {m0} AND {m1}"
        else:
            d0 = first.toordinal()
            end = whole_extent(bin_starts(self.period, "week", first.weekday()), "week")[1].toordinal()
            at = f"((a_lod - {d0}) / 7)"
            whole = f"a_lod >= {d0} AND a_hid < {end} AND {at} = (a_hid - {d0}) / 7"
        return f"CASE WHEN NOT {self.inp} THEN NULL WHEN {whole} THEN {at} ELSE -1 END"

    def _ask(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with self.index.lock:
            return self.index.conn.execute(sql, params).fetchall()

    def units(self, by: str) -> Units:
        if by not in BY:
            raise ValueError(f"unknown table {by!r}; tables are {', '.join(BY)}")
        joins, keys, k, order, extra = {
            "country": ("", "a_country", 1, "0", ""),
            "admin1": ("", "a_country, coalesce(a_admin1, '')", 2, "0", ""),
            "type": ("", "a_type", 1, "0", ""),
            "actor": ("JOIN an_role USING (pos)", "r_pair", 1, "r_kord", "AND r_listed = 1"),
            "source": ("JOIN an_source USING (pos)", "s_source", 1, "s_ord", ""),
        }[by]
        if self.by_cube and by == "actor":
            return self._pairs()
        if self.by_cube and by in ("country", "admin1", "type"):
            dim = {"country": 1, "admin1": 2, "type": 3}[by]  # an_cube.dim
            names = None
            groups = [
                ((k1,) if dim != 2 else (k1, k2), inp, inb, i, side, *g[:5], g[6])
                for k1, k2, inp, inb, i, side, *g in self._cube(dim)
            ]
        else:
            placed = self._placed(self.starts[0])
            cond, params = self._in(self.span)
            sql = (
                f"SELECT {keys}, {self.inp}, {self.inb}, {placed}, {self.side}, {DEATHS}, "
                f"min(pos * 1048576 + {order}) "
                f"FROM {self.source} {joins} WHERE {cond} AND ({self.inp} OR {self.inb}) {extra} "
                f"GROUP BY {keys}, {k + 1}, {k + 2}, {k + 3}, {k + 4}"
            )
            names = codes(self.index) if by in ("actor", "source") else None
            groups = [(tuple(g[:k]), *g[k:]) for g in self._ask(sql, params)]
        n = len(self.starts)
        # plain ints while summing (a NamedTuple per row costs more than the SQL at 1M events)
        now: dict[Any, list[Any]] = {}  # key -> [spark, events, with a figure, low, high, open, first met]
        before: dict[Any, list[int]] = {}  # key -> [events, first met]
        sides: dict[Any, list[int]] = {}  # key -> the change's counts (`analysis.Units`)
        for key, inp, inb, i, side, c, wf, lo, hi, open_, met in groups:
            x = sides.get(key)
            if x is None:
                x = sides[key] = [0, 0, 0]
            x[side] += c
            if inp:
                u = now.get(key)
                if u is None:
                    u = now[key] = [[0] * n, 0, 0, 0, 0, 0, met]
                if i >= 0:
                    u[0][i] += c
                u[1] += c
                u[2] += wf
                u[3] += lo
                u[4] += hi
                u[5] += open_
                if met < u[6]:
                    u[6] = met
            if inb:
                v = before.get(key)
                if v is None:
                    before[key] = [c, met]
                else:
                    v[0] += c
                    if met < v[1]:
                        v[1] = met
        name = (lambda k: names[k[0]]) if names is not None else (lambda k: k)
        return (
            {
                name(k): (u[0], _deaths(u[1], u[2], u[3], u[4], u[5]), u[1])
                for k, u in sorted(now.items(), key=lambda kv: kv[1][6])
            },
            {name(k): v[0] for k, v in sorted(before.items(), key=lambda kv: kv[1][1])},
            {name(k): (x[NOW], x[BEFORE], x[OUT]) for k, x in sides.items()},
        )

    def _pairs(self) -> Units:
        """`units("actor")` from the sums per country, pair and months (an_pairs), summed in
        SQL per pair: a few thousand rows, not one per pair and month.  The pair's timeline
        comes as "index,events,index,events..." (its months placed in the period)."""
        p, b = self.period, self.baseline
        p0, p1 = p.start.year * 12 + p.start.month - 1, p.end.year * 12 + p.end.month - 1
        b0, b1 = b.start.year * 12 + b.start.month - 1, b.end.year * 12 + b.end.month - 1
        inp, inb = f"(lom <= {p1} AND him >= {p0})", f"(lom <= {b1} AND him >= {b0})"
        # placed: within one of the period's months (`whole_extent`; the period is whole months)
        placed = f"CASE WHEN lom = him AND lom BETWEEN {p0} AND {p1} THEN lom - {p0} ELSE -1 END"
        now = "sum(n), sum(wf), sum(lo), sum(hi), sum(open), min(k_met)"
        now = ", ".join(f"{agg} FILTER (WHERE {inp})" for agg in now.split(", "))
        assert self.cells is not None  # asked only from the sums
        where = f"listed = 1 AND him >= {min(p0, b0)} AND lom <= {max(p1, b1)} AND {self.cells.sql}"
        rows = self._ask(
            f"SELECT pair, {now}, sum(n) FILTER (WHERE {inb}), min(k_met) FILTER (WHERE {inb}), "
            f"group_concat({placed} || ',' || n) FILTER (WHERE {inp} AND {placed} >= 0), "
            f"sum(n) FILTER (WHERE lom >= {p0} AND him <= {p1}), sum(n) FILTER (WHERE lom >= {b0} AND him <= {b1}), "
            f"sum(n) FILTER (WHERE ({inp} OR {inb}) AND NOT (lom >= {p0} AND him <= {p1}) "
            f"AND NOT (lom >= {b0} AND him <= {b1})) "
            f"FROM an_pairs WHERE {where} GROUP BY pair",
            self.cells.params,
        )
        names = codes(self.index)
        n = len(self.starts)
        current: list[tuple[int, tuple[str, ...], tuple[list[int], Deaths, int]]] = []
        before: list[tuple[int, tuple[str, ...], int]] = []
        sides: dict[tuple[str, ...], tuple[int, int, int]] = {}
        for pair, c, wf, lo, hi, open_, met, c_before, met_before, placed_counts, *counts in rows:
            if c is not None:
                spark = [0] * n
                if placed_counts:
                    cells = list(map(int, placed_counts.split(",")))
                    for i, k in zip(cells[::2], cells[1::2]):
                        spark[i] += k
                current.append((met, names[pair], (spark, _deaths(c, wf, lo, hi, open_), c)))
            if c_before is not None:
                before.append((met_before, names[pair], c_before))
            if c is not None or c_before is not None:
                sides[names[pair]] = (counts[0] or 0, counts[1] or 0, counts[2] or 0)
        current.sort(key=lambda r: r[0])
        before.sort(key=lambda r: r[0])
        return {k: u for _, k, u in current}, {k: c for _, k, c in before}, sides

    def first_seen(self) -> dict[str, str]:
        names = codes(self.index)
        if self.cells is not None:
            rows = self._ask(
                f"SELECT actor, min(lod) FROM an_first WHERE {self.cells.sql} GROUP BY actor ORDER BY min(met)",
                self.cells.params,
            )
            return {names[a][0]: date.fromordinal(d).isoformat() for a, d in rows}
        where, params = self.index.selection(self.base)  # every date: a first day may be long before
        sql = (
            f"SELECT r_actor, min(a_lod) FROM {'an_ev' if positions_only(where) else _FROM} JOIN an_role USING (pos) "
            f"WHERE ({where}) AND r_listed = 1 GROUP BY r_actor ORDER BY min(pos * 1048576 + r_kord)"
        )
        return {
            names[a][0]: date.fromordinal(d).isoformat() for a, d in self._ask(sql, params)
        }  # in the order first met, as ties keep it

    def first_dates(self, actors: Sequence[str]) -> dict[str, str]:
        # a few actors (those named as first seen): each one's events by its own index
        # (`ev_actor_i`), not another pass over every event's roles
        out: dict[str, str] = {}
        where, params = self.index.selection(self.base)
        for actor in actors:
            rows = self._ask(
                "SELECT a_date FROM ev_actor JOIN ev USING (pos) JOIN an_ev USING (pos) JOIN an_role USING (pos) "
                "WHERE ev_actor.actor = ? AND r_listed = 1 "
                "AND r_actor = (SELECT code FROM an_code WHERE kind = 'a' AND k1 = ?) "
                f"AND ({where}) ORDER BY a_lod, a_hid LIMIT 1",
                [actor, actor, *params],
            )
            if rows:
                out[actor] = rows[0][0]
        return out

    def key_events(self, limit: int) -> list[KeyEvent]:
        cond, params = self._in(self.span)
        # the top `limit` rank at least as high as the limit-th highest rank: only those events'
        # `ev` rows (wide: the id, whether disputed) are read for the rest of the order
        sel = f"WHERE {cond} AND {self.inp}"
        floor = self._ask(
            f"SELECT a_rank FROM {self.source} {sel} ORDER BY a_rank DESC LIMIT 1 OFFSET ?",
            [*params, max(limit - 1, 0)],
        )
        top = f"AND a_rank >= {int(floor[0][0])} " if floor else ""
        sql = (
            f"SELECT pos FROM {_FROM} {sel} {top}"
            "ORDER BY a_rank DESC, disputed DESC, a_claims DESC, a_date DESC, id DESC LIMIT ?"
        )
        out = []
        for e in _read(self.index.ds.events, [pos for (pos,) in self._ask(sql, [*params, limit])]):
            out.append(KeyEvent(e, event_deaths(e), is_disputed(e.figures), len(e.figures)))
        return out

    def subject_parts(self) -> Shared:
        """`analysis.shared` of the period's and the baseline's events: is there one type, one
        place, one country?  Each asked as "is there an event that differs from the first",
        which stops at the first that does (most selections: at once)."""
        cond, params = self._in(self.span)
        sel = f"FROM {self.source} WHERE {cond} AND ({self.inp} OR {self.inb})"
        first = self._ask(f"SELECT a_type, a_country, a_admin1 {sel} LIMIT 1", params)
        if not first:
            return Shared(None, None, None)
        type_, country, admin1 = first[0]

        def alone(test: str, value: Any) -> bool:
            return not self._ask(f"SELECT 1 {sel} AND {test} LIMIT 1", [*params, value])

        one_type = alone("a_type <> ?", type_)
        one_country = alone("a_country <> ?", country)
        one_place = one_country and alone("a_admin1 IS NOT ?", admin1)
        return Shared(
            type_ if one_type else None, (country, admin1) if one_place else None, country if one_country else None
        )

    def events(self) -> list[Event]:
        cond, params = self._in(self.span)
        sql = f"SELECT pos FROM {_FROM} WHERE {cond} AND {self.inp} ORDER BY pos"
        return _read(self.index.ds.events, [p for (p,) in self._ask(sql, params)])


def _read(events: Sequence[Event], positions: list[int]) -> list[Event]:
    """The events at these positions: in one query when they are kept in the store
    (`stored.StoredEvents.at`), not a page of neighbours for each."""
    at = getattr(events, "at", None)
    return list(at(positions)) if at is not None else [events[p] for p in positions]


class Cells(NamedTuple):
    """The rows of the sums made per country and kind of event (`sqlquery._SUM_TEMPLATES`:
    `cf`, `kt`) that answer a selection: a condition on them and its values."""

    sql: str
    params: list[Any]


def cube_cells(index: EventIndex, query: Query, where: str, params: list[Any]) -> Cells | None:
    """The sums' rows that answer the selection `query` (`where`, `params`: its condition), or
    None when they cannot: yes for a filter of `country:` and `type:` terms only (negated or
    not, beside the sync ledger's hiding of removed events or not), whose condition holds for
    an event's country and kind alike, so it picks the rows by the same condition over `ev_kind`
    (every country and kind that has events); nothing else.  The sums leave out the events
    ACLED removed (`sqlquery._sums`), so a selection that keeps them (no ledger, yet some event
    carries the removed tag) is grouped from the events."""
    from briefing.sqlquery import EVERY_KIND, KIND_KEY

    if not all(t.field in ("country", "type") for t in query.terms):
        return None
    if not (where == "removed = 0" or where.endswith(" AND removed = 0")) and index.holds_removed():
        return None
    if not query.terms:
        return Cells(f"kt = {EVERY_KIND}", [])
    if all(t.field == "country" for t in query.terms):  # every kind of the countries chosen
        return Cells(f"kt = {EVERY_KIND} AND cf IN (SELECT country FROM ev_kind WHERE {where})", list(params))
    return Cells(f"(kt, cf) IN (SELECT {KIND_KEY}, country FROM ev_kind WHERE {where})", list(params))


def codes(index: EventIndex) -> dict[int, tuple[str, ...]]:
    """an_code: number -> (actor,) / (actor, role) / (source,); read once per index."""
    found: dict[int, tuple[str, ...]] | None = getattr(index, "_an_codes", None)
    if found is None:
        with index.lock:
            rows = index.conn.execute("SELECT code, k1, k2 FROM an_code").fetchall()
        found = {c: (k1,) if k2 is None else (k1, k2) for c, k1, k2 in rows}
        index._an_codes = found  # type: ignore[attr-defined]
    return found


def period_of(index: EventIndex, query: Query, since: str | None, until: str | None) -> Period | None:
    """`analysis.period_for` over the index: the filter's dates, an open end from the span of
    the events `query` selects, widened to whole months."""
    from briefing.analysis import parse_high, parse_low, period_between

    lo = parse_low(since) if since else None
    hi = parse_high(until) if until else None
    first = last = last_day = None
    if lo is None or hi is None:
        low, high = _months(index, query)  # all `period_between` reads of the span's dates
        if low is not None and high is not None:
            first, last = (f"{m // 12:04d}-{m % 12 + 1:02d}-01" for m in (low, high))
            if lo is not None and hi is None:  # a `since:` alone: its end may be the last day-dated day
                last_day = _last_day(index, high, query)
    return period_between(lo, hi, first, last, last_day)


def _months(index: EventIndex, query: Query) -> tuple[int | None, int | None]:
    """The first and last month numbers (year * 12 + month - 1) of the events `query` selects:
    from the sums per country (an_cube's timeline), else from an_ev (not `ev`'s wide rows,
    whose first reading is slow on a cold start of a big export)."""
    where, params = index.selection(query)
    cells = cube_cells(index, query, where, params)
    if cells is not None:
        sql, params = f"SELECT min(lom), max(him) FROM an_cube WHERE dim = 0 AND {cells.sql}", cells.params
    else:
        sql = f"SELECT min(a_lom), max(a_him) FROM {_FROM} WHERE {where}"
    with index.lock:
        got = index.conn.execute(sql, params).fetchone()
    return got[0], got[1]


def data_edges(index: EventIndex) -> tuple[str | None, str | None]:
    """`analysis.data_edges` over the index: the earliest event's date as written (the finest of
    those starting first), and the latest day-dated day of the events ACLED has not removed
    when it falls in the last month the data reaches."""
    with index.lock:
        first = index.conn.execute(
            "SELECT a_date FROM an_ev, (SELECT day, first, last FROM an_day ORDER BY day LIMIT 1) d"
            " WHERE pos BETWEEN d.first AND d.last AND a_lod = d.day ORDER BY a_hid LIMIT 1"
        ).fetchone()
    from briefing.filters import Query

    last = _months(index, Query())[1]
    return (first[0] if first else None), (None if last is None else _last_day(index, last, Query()))


def _last_day(index: EventIndex, month: int, query: Query) -> str | None:
    """The latest day-dated event's day in the month numbered `month` (year * 12 + month - 1),
    or None: the runs of positions of each first day (`an_day`) from that month on, each
    asked for an event dated to its day alone (a few dozen days, a few hundred events each)."""
    start = date(month // 12, month % 12 + 1, 1).toordinal()
    where, params = index.selection(query)  # its events (ACLED's removals hidden, as a filter hides them)
    sql = (
        f"SELECT max(d.day) FROM an_day d WHERE d.day >= ? AND EXISTS (SELECT 1 FROM {_FROM}"
        f" WHERE pos BETWEEN d.first AND d.last AND a_lod = d.day AND a_hid = a_lod AND {where})"
    )
    with index.lock:
        day = index.conn.execute(sql, (start, *params)).fetchone()[0]
    return None if day is None else date.fromordinal(day).isoformat()


def analyse_index(
    index: EventIndex,
    base: Query,
    period: Period,
    *,
    compare_to: str = "previous",
    actor_name: Callable[[str], str] = str,
    source_name: Callable[[str], str] = str,
) -> Trends:
    """`analysis.analyse` of the events `base` selects (a filter without its dates)."""
    baseline = baseline_for(period, compare_to)
    numbers = IndexNumbers(index, base, period, baseline, unit_for(period))
    return Trends(period, baseline, compare_to, numbers.unit, numbers, actor_name, source_name)


__all__ = ["IndexNumbers", "analyse_index", "gather_index", "period_of"]


# -- the brief's other sections (`summary.gather`) -------------------------------------------------
def gather_index(
    ds: Any,
    query: Query,
    events: Sequence[Event],
    query_text: str,
    *,
    generated_at: str | None = None,
    profiles: Sequence[Actor] = (),
) -> BriefData:
    """`summary.gather` for the events `query` selects, in SQL over the dataset's index: the
    counts, the dates, the deaths and the actors' roles are aggregates; only the events listed
    (the first key events, the first disputed events) are read back.  The same BriefData (the
    tests hold it equal to `gather`'s)."""
    from briefing.sqlquery import BOTTOM, index_for
    from briefing.summary import (
        ACTORS_LIMIT,
        DISPUTES_LIMIT,
        KEY_EVENTS_LIMIT,
        SOURCES_LIMIT,
        BriefData,
        disputed_about,
        key_event,
        left_out,
        rank_actors,
        sorted_sources,
        stamp,
    )

    index = index_for(ds)
    where, params = index.selection(query)
    # no filter (the whole data): `ev` is read only for the last date
    src = "an_ev" if positions_only(where) else _FROM
    sel = f"FROM {src} WHERE {where}"

    def ask(sql: str, *extra: Any) -> list[tuple[Any, ...]]:
        with index.lock:
            return index.conn.execute(sql, [*params, *extra]).fetchall()

    # by country (the sums made at import, or one pass over the selection): the bottom line's
    # sums, the countries, and where the dates start and end (an event's first day orders as its
    # day number, as `ev.lo` does; the last day as the events' strings order them, `2024-12`
    # being "2024-12-31", falls in the latest month: only that month's `ev` rows are read for it)
    cells = cube_cells(index, query, where, params)  # countries and types only: the sums made at import
    if cells is not None:
        with index.lock:
            groups = index.conn.execute(
                "SELECT country, sum(n), sum(wf), sum(lo), sum(hi), sum(open), sum(derived), sum(ndisp), "
                f"sum(nevents), min(minpos), min(minlod), max(maxhim), sum(ncmp) FROM an_bottom WHERE {cells.sql} "
                "GROUP BY country",
                cells.params,
            ).fetchall()
    else:
        groups = ask(f"SELECT a_country, {BOTTOM} {sel} GROUP BY 1")
    n, wf, low, high, open_, derived, ndisp, nevents = (sum(g[i] for g in groups) for i in range(1, 9))
    countries = [(g[0], g[1]) for g in sorted(groups, key=lambda g: (-g[1], g[9]))]
    first = last = None
    if groups:
        with index.lock:
            pos = min(g[10] for g in groups) % (1 << 32)
            first = index.conn.execute("SELECT a_date FROM an_ev WHERE pos = ?", [pos]).fetchone()[0]
        month = max(g[11] for g in groups)
        last = ask(f"SELECT a_date FROM {_FROM} WHERE {where} AND a_him = ? ORDER BY hi DESC, pos LIMIT 1", month)[0][0]
    every = ds.events
    key = []
    for e in _read(every, [pos for (pos,) in ask(f"SELECT pos {sel} ORDER BY pos LIMIT ?", KEY_EVENTS_LIMIT)]):
        key.append(key_event(e, compare(e.figures) if e.figures else []))
    disputed_events = []
    disputed = ask(f"SELECT pos {sel} AND a_ndisp > 0 ORDER BY pos LIMIT ?", DISPUTES_LIMIT)
    for e in _read(every, [pos for (pos,) in disputed]):
        disputed_events.append((e, disputed_rows(compare(e.figures))))
    role_counts: dict[str, Counter[str]] = {}
    names = codes(index)
    if cells is not None:
        with index.lock:
            pairs = index.conn.execute(
                f"SELECT pair, sum(n), min(met) FROM an_roles WHERE {cells.sql} GROUP BY pair ORDER BY 3", cells.params
            ).fetchall()
            cited = index.conn.execute(
                f"SELECT DISTINCT source FROM an_srcs WHERE {cells.sql}", cells.params
            ).fetchall()
    else:
        roles = f"FROM {src} JOIN an_role USING (pos) WHERE {where}"
        pairs = ask(f"SELECT r_pair, count(*), min(pos * 1048576 + r_aord) AS met {roles} GROUP BY 1 ORDER BY met")
        within = where if positions_only(where) else f"pos IN (SELECT pos FROM ev WHERE {where})"
        cited = ask(f"SELECT DISTINCT source FROM ev_source WHERE {within}")
    for pair, k, _ in pairs:
        aid, role = names[pair]
        role_counts.setdefault(aid, Counter())[role] = k
    actors = rank_actors(ds, role_counts)
    sources = sorted_sources(ds, (s for (s,) in cited))
    more = left_out(n, len(key), nevents, len(actors), len(sources))
    return BriefData(
        query=query_text,
        generated_at=generated_at or stamp(),
        counts=ds.counts(),
        skipped=ds.skipped,
        skipped_text=skipped_text(ds.skipped, ds.problems),
        events=events,
        period=(first, last) if first is not None and last is not None else None,
        countries=countries,
        key_events=key,
        disputed_events=disputed_events,
        disputed_figures=ndisp or 0,
        compared_figures=sum(g[12] or 0 for g in groups),
        disputed_event_count=nevents,
        deaths=Totals(low, None if open_ else high, wf, n - wf, derived or 0, "killed", open_),
        actors=actors[:ACTORS_LIMIT],
        actor_disputes=disputed_about(actors),
        sources=sources[:SOURCES_LIMIT],
        profiles=list(profiles),
        more=more,
    )
