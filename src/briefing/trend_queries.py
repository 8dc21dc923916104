"""`analysis.Trends` computed in SQL over the SQLite index (`sqlquery.EventIndex`), for data too
big to read back event by event (a 1M-event store pages its events from SQLite).

The meaning is `analysis.EventNumbers`' (the Python reference, the oracle): `tests/
test_trend_queries.py` holds these numbers equal to it with hypothesis on generated data.
Each aggregate is one SQL statement over `ev` (the filter's condition, `EventIndex.where`)
joined on `pos` with the analysis tables (`sqlquery._ANALYSIS_TABLES`); only the key events
are read back as `Event` records (`ds.events[pos]`), the top N of them.

An event is in a period when its dates overlap it (`lo <= end AND hi >= start`: the filter's
since/until rule); its timeline period is found from its first and last day clipped to the
period, and it is "not placed" when those fall in different periods.  Dates put into the SQL
text are `date.isoformat()` strings (never user text); the filter's values stay parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from briefing.analysis import (
    BY,
    MONDAY,
    SATURDAY,
    Deaths,
    EventNumbers,
    KeyEvent,
    Numbers,
    Period,
    Trends,
    Units,
    _month_end,
    _week_start,
    baseline_for,
    bin_starts,
    event_deaths,
    subject_of,
    unit_for,
)
from briefing.compare import is_disputed

if TYPE_CHECKING:
    from briefing.filters import Query
    from briefing.sqlquery import EventIndex

# deaths of the rows of a group: events, with a figure, low, high, open-ended ones
_DEATHS = "count(*), count(a_dlo), coalesce(sum(a_dlo), 0), coalesce(sum(a_dhi), 0), count(a_dlo) - count(a_dhi)"
_FROM = "ev JOIN an_ev USING (pos)"


def _deaths(n: int, wf: int, lo: int, hi: int, open_: int) -> Deaths:
    return Deaths(lo, None if open_ else hi, wf, n - wf)


def _add(a: Deaths, b: Deaths) -> Deaths:
    high = None if a.high is None or b.high is None else a.high + b.high
    return Deaths(a.low + b.low, high, a.with_figure + b.with_figure, a.without_figure + b.without_figure)


def _overlaps(p: Period) -> str:
    lo, hi = p.iso
    return f"(lo <= '{hi}' AND hi >= '{lo}')"


def _bin(unit: str, first: date, day: str) -> str:
    """The SQL for the timeline index of the ISO day `day` (an SQL expression), periods
    starting at `first`."""
    if unit == "month":
        return f"(CAST(substr({day}, 1, 4) AS INTEGER) * 12 + CAST(substr({day}, 6, 2) AS INTEGER) - {first.year * 12 + first.month})"
    return f"(CAST(julianday({day}) - julianday('{first.isoformat()}') AS INTEGER) / 7)"


class IndexNumbers(Numbers):
    """`analysis.Numbers` from the index: `where`/`params` select the events (the filter
    without its dates); the period's and the baseline's events are those that overlap them."""

    def __init__(
        self, index: EventIndex, where: str, params: list[Any], period: Period, baseline: Period, unit: str
    ) -> None:
        self.index = index
        self.where = where
        self.params = params
        self.period = period
        self.unit = unit
        self.inp = _overlaps(period)
        self.inb = _overlaps(baseline)
        p_lo, p_hi = period.iso
        self._lo = f"max(lo, '{p_lo}')"
        self._hi = f"min(a_hi, '{p_hi}')"
        # weeks start on Saturday for ACLED data, else on Monday: both worked out in one pass
        firsts = [bin_starts(period, unit, SATURDAY)[0], bin_starts(period, unit, MONDAY)[0]]
        cols = ", ".join(self._placed(f) for f in firsts)
        sql = (
            f"SELECT {self.inp}, {self.inb}, {cols}, {_DEATHS}, sum(a_acled), min(type), max(type), "
            "min(a_country), max(a_country), count(a_admin1), min(a_admin1), max(a_admin1), count(*) "
            f"FROM {_FROM} WHERE ({where}) AND ({self.inp} OR {self.inb}) GROUP BY 1, 2, 3, 4"
        )
        groups = self._ask(sql, params)
        pending = sum(g[4] for g in groups if g[0])
        acled = sum(g[9] for g in groups if g[0])
        self.acled, self.week_start = _week_start(unit, pending, acled)
        self.starts = bin_starts(period, unit, self.week_start or MONDAY)
        col = 3 if self.week_start == MONDAY else 2
        n = len(self.starts)
        self.bins = [0] * n
        self.bin_deaths = [Deaths()] * n
        self.not_placed = 0
        self.totals = self.before_totals = Deaths()
        self.before = 0
        self._kinds: list[tuple[Any, ...]] = []
        for g in groups:
            d = _deaths(*g[4:9])
            if g[0]:
                self.totals = _add(self.totals, d)
                i = g[col]
                if i < 0:
                    self.not_placed += g[4]
                else:
                    self.bins[i] += g[4]
                    self.bin_deaths[i] = _add(self.bin_deaths[i], d)
                self._kinds.append(g[10:])
            if g[1]:
                self.before += g[4]
                self.before_totals = _add(self.before_totals, d)

    def _placed(self, first: date) -> str:
        """The timeline index of an event in the period, -1 when not placed (NULL outside)."""
        a, b = _bin(self.unit, first, self._lo), _bin(self.unit, first, self._hi)
        return f"CASE WHEN NOT {self.inp} THEN NULL WHEN {a} = {b} THEN {a} ELSE -1 END"

    def _ask(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with self.index.lock:
            return self.index.conn.execute(sql, params).fetchall()

    def units(self, by: str) -> Units:
        if by not in BY:
            raise ValueError(f"unknown table {by!r}; tables are {', '.join(BY)}")
        joins, keys, k, order, extra = {
            "country": ("", "a_country", 1, "0", ""),
            "admin1": ("", "a_country, coalesce(a_admin1, '')", 2, "0", ""),
            "type": ("", "type", 1, "0", ""),
            "actor": ("JOIN an_role USING (pos)", "r_actor, r_role", 2, "r_kord", "AND r_listed = 1"),
            "source": ("JOIN an_source USING (pos)", "s_source", 1, "s_ord", ""),
        }[by]
        first = self.starts[0]
        placed = self._placed(first)
        sql = (
            f"SELECT {keys}, {self.inp}, {self.inb}, {placed}, {_DEATHS}, min(pos * 1048576 + {order}) "
            f"FROM {_FROM} {joins} WHERE ({self.where}) AND ({self.inp} OR {self.inb}) {extra} "
            f"GROUP BY {keys}, {k + 1}, {k + 2}, {k + 3}"
        )
        n = len(self.starts)
        now: dict[tuple[str, ...], list[Any]] = {}  # key -> [spark, deaths, events, first met]
        before: dict[tuple[str, ...], list[int]] = {}  # key -> [events, first met]
        for g in self._ask(sql, self.params):
            key = tuple(g[:k])
            inp, inb, i = g[k : k + 3]
            d = _deaths(*g[k + 3 : k + 8])
            met = g[k + 8]
            if inp:
                u = now.get(key)
                if u is None:
                    u = now[key] = [[0] * n, Deaths(), 0, met]
                if i >= 0:
                    u[0][i] += d.with_figure + d.without_figure
                u[1] = _add(u[1], d)
                u[2] += d.with_figure + d.without_figure
                u[3] = min(u[3], met)
            if inb:
                b = before.get(key)
                if b is None:
                    before[key] = [d.with_figure + d.without_figure, met]
                else:
                    b[0] += d.with_figure + d.without_figure
                    b[1] = min(b[1], met)
        return (
            {key: (u[0], u[1], u[2]) for key, u in sorted(now.items(), key=lambda kv: kv[1][3])},
            {key: b[0] for key, b in sorted(before.items(), key=lambda kv: kv[1][1])},
        )

    def first_seen(self) -> dict[str, str]:
        sql = (
            "SELECT r_actor, min(lo) FROM ev JOIN an_role USING (pos) "
            f"WHERE ({self.where}) AND r_listed = 1 GROUP BY r_actor ORDER BY min(pos * 1048576 + r_kord)"
        )
        return dict(self._ask(sql, self.params))  # in the order first met, as ties keep it

    def key_events(self, limit: int) -> list[KeyEvent]:
        sql = (
            f"SELECT pos FROM {_FROM} WHERE ({self.where}) AND {self.inp} "
            "ORDER BY a_rank DESC, disputed DESC, a_claims DESC, a_date DESC, id DESC LIMIT ?"
        )
        events = self.index.ds.events
        out = []
        for (pos,) in self._ask(sql, [*self.params, limit]):
            e = events[pos]
            out.append(KeyEvent(e, event_deaths(e), is_disputed(e.figures), len(e.figures)))
        return out

    def subject(self) -> str:
        """`analysis.subject` from the period's kinds: one type? one place? one country?"""
        if not self._kinds:
            return "Events"
        types = {v for g in self._kinds for v in g[0:2]}
        countries = {v for g in self._kinds for v in g[2:4]}
        admin1s = {v for g in self._kinds if g[4] for v in g[5:7]}
        without = any(g[4] < g[7] for g in self._kinds)  # some event has no admin1
        one_country = next(iter(countries)) if len(countries) == 1 else None
        place = None
        if one_country is not None and len(admin1s) + without == 1:
            place = (one_country, next(iter(admin1s)) if admin1s else None)
        return subject_of(next(iter(types)) if len(types) == 1 else None, place, one_country)

    def events(self) -> list:
        sql = f"SELECT pos FROM {_FROM} WHERE ({self.where}) AND {self.inp} ORDER BY pos"
        events = self.index.ds.events
        return [events[p] for (p,) in self._ask(sql, self.params)]


def period_of(index: EventIndex, query: Query, since: str | None, until: str | None) -> Period | None:
    """`analysis.period_for` over the index: the filter's dates, an open end from the span of
    the events `query` selects, widened to whole months."""
    from briefing.analysis import parse_high, parse_low

    lo = parse_low(since) if since else None
    hi = parse_high(until) if until else None
    if lo is None or hi is None:
        where, params = index.where(query)
        with index.lock:
            first, last = index.conn.execute(f"SELECT min(lo), max(hi) FROM ev WHERE {where}", params).fetchone()
        if first is None or last is None:
            if lo is None and hi is None:
                return None
            first = last = (lo or hi).isoformat()  # type: ignore[union-attr]  # both None returned above
        if lo is None:
            lo = date.fromisoformat(first[:8] + "01")
        if hi is None:
            hi = _month_end(int(last[:4]), int(last[5:7]))
    if hi < lo:
        hi = lo
    return Period(lo, hi)


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
    unit = unit_for(period)
    where, params = index.where(base)
    numbers = IndexNumbers(index, where, params, period, baseline, unit)
    return Trends(period, baseline, compare_to, unit, numbers, actor_name, source_name)


__all__ = ["EventNumbers", "IndexNumbers", "analyse_index", "period_of"]
