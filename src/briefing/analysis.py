"""Trends over any selection of events: a timeline, the change against a baseline period, frequency
tables (country, admin1, actor by role, type, source), new actors and key events by significance.

Headless (no Rich, no Textual): the brief, the TUI's Trends screen and the `timeline` / `counts`
exports all read the one `Trends` this module computes, so they can never show different numbers.

Inputs are kept simple so that the store behind them can change: an iterable of `Event` records
(every event of the filter *without* its date terms, so that the baseline period can be counted
too), the period to study, and two lookups for names.  Nothing here reaches into a loader.

Deaths keep their uncertainty.  Per event, deaths are an interval (`event_deaths`); a sum over
events is the sum of the lows and the sum of the highs; an open-ended claim ("at least 10")
makes the summed high open; events with no killed figure are counted apart, never as zero; a
disputed event contributes its whole range (the lowest and the highest any claim allows).

The change compares events that can be placed on one side: those whose dates lie wholly in the
period, against those wholly in the baseline.  An event dated to a month or a year that reaches
past either (`2024` against Jan–Jun 2024, or `2019` against Jul–Dec 2019 and Jan–Jun 2019) stays
one of the period's events when it overlaps it (the filter's since/until find it; the totals and
tables count it), but put on one side it would be a guess, and counted on both it would compare
the same event with itself: the change (the bottom line's numbers and level, every table row's,
and the deaths the bottom line compares) leaves it out and says how many it left out
(`Change.left_out`).  A half-year's "large increase" stood on four events dated only to its year
(QA s17), which the next half's brief, rightly, could not place.

Change levels are ACLED Trendfinder's: above +25% a large increase, above +10% to +25% a
moderate increase, -25% to +10% limited change, below -25% a large decrease; and its noise rule:
a unit that had 2 events or fewer in the baseline and has 5 or fewer now stays "limited change"
(Trendfinder speaks of a weekly *average* over several past weeks; our baseline is one period of
the same length, so its average is its count).

Timeline periods are weeks when the period spans 6 months or less, else months, zero-filled.
ACLED's weeks start on Saturday: for ACLED data (most events imported from ACLED rows) weeks
start on Saturday and the timeline says so; otherwise on Monday (ISO).  An event dated only to
a month or a year that covers more than one timeline period, or reaches past the period's
first or last whole week or month (a June event in a timeline of 15-20 June), is counted in the
period's totals but placed in no bar ("not placed"), never spread or guessed; its first and last day in the
period are kept (`Apart`), so that a chart summing the periods into quarters or years (the
brief's) counts it in the one summed bar that holds it whole.
"""

# No postponed annotations: NamedTuple would compile a ForwardRef for each (see records.py).

import heapq
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from briefing.compare import event_total, is_disputed
from briefing.display import counted
from briefing.records import Event, date_high, date_low
from briefing.vocab import EVENT_TYPES, ROLES, SUB_EVENT_TYPES

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.filters import Query, Term

BY = ("country", "admin1", "actor", "type", "source")
LARGE_INCREASE = "large increase"
MODERATE_INCREASE = "moderate increase"
LIMITED = "limited change"
LARGE_DECREASE = "large decrease"
NOISE_BEFORE = 2  # a unit with at most this many events in the baseline...
NOISE_NOW = 5  # ...and at most this many now stays "limited change"
KEY_EVENTS = 50
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SATURDAY, MONDAY = 5, 0
ACLED_PREFIX = "acled:"


# -- deaths of one event: the ONE adapter onto compare --------------------------------------------
def event_deaths(e: Event) -> tuple[int, int | None] | None:
    """(low, high) killed for one event, high None when a claim is open-ended; None: no figure.

    The event's total (`compare.event_total`): the total claim when one exists, else the sum of
    the groups counted; a disputed total contributes its whole range.  This is the one place
    analysis reads figures."""
    if not e.figures:
        return None
    t = event_total(e.figures)
    return None if t is None else (t.low, t.high)


class Deaths(NamedTuple):
    """Deaths over some events as a range: `high` None is open ("≥ low")."""

    low: int = 0
    high: int | None = 0
    with_figure: int = 0  # events with a killed figure
    without_figure: int = 0  # events with none: counted apart, never as zero

    @property
    def span(self) -> str:
        """`120`, `120–140`, `≥120` (an open-ended claim), `-` (no figure at all)."""
        if not self.with_figure:
            return "-"
        if self.high is None:
            return f"≥{self.low:,}"
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"

    def plus(self, other: "Deaths") -> "Deaths":
        """The deaths of both groups of events: an open top stays open."""
        high = None if self.high is None or other.high is None else self.high + other.high
        return Deaths(
            self.low + other.low, high, self.with_figure + other.with_figure, self.without_figure + other.without_figure
        )


def _sum(items: Iterable[tuple[int, int | None] | None]) -> Deaths:
    lo = hi = n = none = 0
    open_ = False
    for d in items:
        if d is None:
            none += 1
            continue
        n += 1
        lo += d[0]
        if d[1] is None:
            open_ = True
        else:
            hi += d[1]
    return Deaths(lo, None if open_ else hi, n, none)


# -- periods ---------------------------------------------------------------------------------------
def _month_end(y: int, m: int) -> date:
    return (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return date(y, m + 1, min(d.day, _month_end(y, m + 1).day))


def parse_low(text: str) -> date:
    """The first day of an ISO partial date (`2022`, `2022-07`, `2022-07-09`)."""
    return date.fromisoformat(date_low(text))


def parse_high(text: str) -> date:
    """The last day of an ISO partial date, a real calendar day (Feb has no 31st here)."""
    if len(text) == 4:
        return date(int(text), 12, 31)
    if len(text) == 7:
        return _month_end(int(text[:4]), int(text[5:7]))
    return date.fromisoformat(text)


class Period(NamedTuple):
    """Days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and self.end == _month_end(self.end.year, self.end.month)

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Period":
        """The period of equal length just before: whole months when this is whole months
        (Jul–Dec against Jan–Jun), else the same number of days; from the calendar's first
        day when it would begin before it (a period of centuries: `since:1000`)."""
        try:
            if self.whole_months:
                start = add_months(self.start, -self.months)
            else:
                start = self.start - timedelta(days=self.days)
        except (ValueError, OverflowError):
            start = date.min
        return Period(start, self.start - timedelta(days=1))

    def year_before(self) -> "Period":
        """The same dates a year earlier (29 February becomes the 28th)."""
        end = add_months(self.end, -12)
        if self.whole_months:
            end = _month_end(end.year, end.month)
        return Period(add_months(self.start, -12), end)

    def label(self, with_year: bool = True) -> str:
        """`Jul–Dec 2022`, `Nov 2022–Feb 2023`, `2022`, `3–16 Jul 2022`, `28 Dec 2022–3 Jan 2023`."""
        s, e = self.start, self.end
        y = f" {e.year}" if with_year else ""
        if self.whole_months:
            if s.month == 1 and e.month == 12 and s.year == e.year:
                return str(e.year) if with_year else "the year"
            if s.year != e.year:
                return f"{MONTHS[s.month - 1]} {s.year}–{MONTHS[e.month - 1]} {e.year}"
            if s.month == e.month:
                return f"{MONTHS[s.month - 1]}{y}"
            return f"{MONTHS[s.month - 1]}–{MONTHS[e.month - 1]}{y}"
        if s.year != e.year:
            return f"{s.day} {MONTHS[s.month - 1]} {s.year}–{e.day} {MONTHS[e.month - 1]} {e.year}"
        if s == e:
            return f"{s.day} {MONTHS[s.month - 1]}{y}"
        if s.month == e.month:
            return f"{s.day}–{e.day} {MONTHS[s.month - 1]}{y}"
        return f"{s.day} {MONTHS[s.month - 1]}–{e.day} {MONTHS[e.month - 1]}{y}"

    @property
    def iso(self) -> tuple[str, str]:
        return (self.start.isoformat(), self.end.isoformat())


def period_for(since: str | None, until: str | None, events: Iterable[Event]) -> Period | None:
    """The period to study: the filter's dates; an end the filter leaves open comes from the
    events' span, widened to whole months (a `since:`'s end to the last day-dated day, see
    `period_between`).  None when there is nothing to span."""
    lo = parse_low(since) if since else None
    hi = parse_high(until) if until else None
    first = last = last_day = None
    if lo is None or hi is None:
        for e in events:
            a, b = date_low(e.date), date_high(e.date)
            if first is None or a < first:
                first = a
            if last is None or b > last:
                last = b
            if a == b and (last_day is None or a > last_day):
                last_day = a
    return period_between(lo, hi, first, last, last_day if lo is not None else None)


def data_edges(events: Iterable[Event], live: Iterable[Event]) -> tuple[str | None, str | None]:
    """(the earliest event's date as written, the finest of those starting first; the latest
    day-dated day of the `live` events, those a filter can select (ACLED's removals hidden),
    when it falls in the last month they reach: else the data's end is not known to the
    day), None for either when there is none."""
    first: tuple[str, str, str] | None = None
    for e in events:
        lo, hi = date_low(e.date), date_high(e.date)
        if first is None or (lo, hi) < first[:2]:
            first = (lo, hi, e.date)
    last_day = last = None
    for e in live:
        lo, hi = date_low(e.date), date_high(e.date)
        if last is None or hi > last:
            last = hi
        if lo == hi and (last_day is None or lo > last_day):
            last_day = lo
    if last_day is not None and last is not None and last_day[:7] != last[:7]:
        last_day = None
    return (first[2] if first else None), last_day


def period_between(
    lo: date | None, hi: date | None, first: str | None, last: str | None, last_day: str | None = None
) -> Period | None:
    """The period from the filter's dates (lo, hi), an open end taken from the events' span
    (first, last: ISO dates) widened to whole months; None when there is nothing to span.

    `last_day`, the latest day-dated event's day (given for a `since:` alone, whose end is the
    data's): the open end of a period of days (one not starting on a 1st) stops there when it
    falls in the span's last month, so the days after an export's last day are not counted as
    days with no events (QA s18: the last week of every export "fell" by the days it had not
    reached). A period of whole months stays whole (its baseline too: the regression pass saw
    `since:2024` become "1 Jan–28 Dec vs 3 Jan–31 Dec 2023", 98 events left out), the days it
    runs past the data said by the change sentence (`Trends.data_end`); a coarser date ending
    months later (a curated `2024` beside a day in March) keeps the month end."""
    if lo is None or hi is None:
        if first is None or last is None:
            if lo is None and hi is None:
                return None
            first = last = (lo or hi).isoformat()  # type: ignore[union-attr]  # both None returned above
        if lo is None:
            lo = date.fromisoformat(first[:8] + "01")
        if hi is None:
            hi = _month_end(int(last[:4]), int(last[5:7]))
            if last_day is not None and last_day[:7] == last[:7] and lo.day != 1:
                hi = date.fromisoformat(last_day)  # a period of days: whole months stay whole
    if hi < lo:
        hi = lo
    return Period(lo, hi)


def split_dates(query: "Query") -> "tuple[Query, str | None, str | None]":
    """(the query without its since/until terms, since, until): the period comes from the
    dates, the baseline is counted over the rest.  Several `since:` terms: the latest wins;
    several `until:`: the earliest (as ANDed terms mean).  Negated date terms stay in."""
    since: str | None = None
    until: str | None = None
    rest: list[Term] = []
    for t in query.terms:
        if t.field == "since" and not t.negated:
            v = date_low(t.values[0])
            if since is None or v > date_low(since):
                since = t.values[0]
        elif t.field == "until" and not t.negated:
            v = date_high(t.values[0])
            if until is None or v < date_high(until):
                until = t.values[0]
        else:
            rest.append(t)
    return type(query)(tuple(rest)), since, until


class PeriodError(ValueError):
    """A baseline that cannot be compared with the period (one line, for the user)."""


# -- change ----------------------------------------------------------------------------------------
class Change(NamedTuple):
    """A change from `before` to `now`: both count only the events placed on one side, so
    `now` need not be the period's events (see the module's docstring)."""

    now: int
    before: int
    pct: float | None  # None: nothing before to compare with
    level: str
    left_out: int = 0  # events neither side holds whole (a month or year reaching past one)

    @property
    def text(self) -> str:
        """`+45%`, `-30%`, `new` (none before), `0%`."""
        if self.pct is None:  # nothing before to compare with: new, unless some could not be placed
            return "new" if self.now and not self.left_out else "-"
        return ("+" if self.pct >= 0 else "-") + pct_text(self.pct)


# the levels' limits, in percent (`change`): +10 and +25 up, -25 down
_BOUNDS = {True: (10, 25), False: (25,)}


def pct_text(pct: float) -> str:
    """abs(pct) as a percent, whole (`45%`), but with a tenth where rounding would land on a
    level's limit from the other side: 9.7 is `9.7%` beside "limited change" and 10.3 is
    `10.3%` beside "moderate increase", where both would read `10%`."""
    x = abs(pct)
    whole = round(x)
    if whole not in _BOUNDS[pct > 0] or x == whole:
        return f"{whole}%"
    for places in (1, 2):  # 9.96 is `9.96%`: `10.0%` would land on the limit as well
        text = f"{x:.{places}f}"
        if float(text) != whole:
            return f"{text}%"
    side = math.floor if x < whole else math.ceil  # closer still: cut toward its own side
    return f"{side(x * 1000) / 1000:.3f}%"


def pct_number(pct: float) -> float:
    """`pct` for an export: to a tenth, or with the decimals `pct_text` keeps where a tenth
    would land on a level's limit (QA s14: `10.0` beside "moderate increase", of 10.045%)."""
    tenth = round(pct, 1)
    if abs(tenth) in _BOUNDS[pct > 0] and abs(pct) != abs(tenth):
        return math.copysign(float(pct_text(pct)[:-1]), pct)
    return tenth


#: an event's side of the change (`Numbers.units`'s counts, in this order)
NOW, BEFORE, OUT = 0, 1, 2


def change(now: int, before: int, left_out: int = 0) -> Change:
    """ACLED's level for a change from `before` to `now`, with its noise rule; `left_out`: the
    events neither number counts because neither period holds their dates whole (carried, so
    that whatever shows the change can say so)."""
    pct = None if before == 0 else (now - before) * 100.0 / before
    if before <= NOISE_BEFORE and now <= NOISE_NOW:
        return Change(now, before, pct, LIMITED, left_out)
    if pct is None or pct > 25:
        level = LARGE_INCREASE
    elif pct > 10:
        level = MODERATE_INCREASE
    elif pct >= -25:
        level = LIMITED
    else:
        level = LARGE_DECREASE
    return Change(now, before, pct, level, left_out)


# -- timeline --------------------------------------------------------------------------------------
class Bin(NamedTuple):
    """One timeline period: a week or a month, zero-filled."""

    start: date
    end: date
    events: int
    deaths: Deaths

    def label(self, unit: str) -> str:
        if unit == "month":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        return self.start.isoformat()


class Apart(NamedTuple):
    """Events not placed in the timeline (each spans several of its periods) that share their
    first and last day in the period (clipped to it): kept so that a chart summing the periods
    (the brief's quarters and years) can count them in the one summed bar that holds them all,
    rather than in none."""

    first: date
    last: date
    events: int
    deaths: Deaths


def bin_starts(period: Period, unit: str, week_start: int = MONDAY) -> list[date]:
    if unit == "month":
        d = date(period.start.year, period.start.month, 1)
        out = []
        while d <= period.end:
            out.append(d)
            d = add_months(d, 1)
        return out
    d = period.start - timedelta(days=(period.start.weekday() - week_start) % 7)
    out = []
    while d <= period.end:
        out.append(d)
        d += timedelta(days=7)
    return out


def whole_extent(starts: Sequence[date], unit: str) -> tuple[date, date]:
    """The first day of the first bar's whole week or month, and the day after the last bar's
    (`bin_starts`: the bars before the period clips them).  An event is placed in a bar only
    when its span lies in that bar's whole week or month: one that reaches past the period is
    known to be in it no more than in the days outside it."""
    last = starts[-1]
    return starts[0], add_months(last, 1) if unit == "month" else last + timedelta(days=7)


def unit_for(period: Period) -> str:
    """`week` when the period spans 6 months or less, else `month`; a week's numbers then say
    `month` when no event of the period is shorter than a week (every one dated only to a month
    or a year: no weekly bar could hold one, and the chart would be empty weeks)."""
    return "week" if period.end < add_months(period.start, 6) else "month"


def _days(d: str) -> int:
    """The days from an event's first day to its last (as `an_ev` holds them), 0 for one day."""
    return 0 if len(d) == 10 else (parse_high(d) - parse_low(d)).days


# -- frequency tables ------------------------------------------------------------------------------
class Row(NamedTuple):
    """One unit of a frequency table (a country, an admin1, an actor in a role, a type, a source)."""

    key: tuple[str, ...]
    label: str
    events: int
    share: float  # of the period's events, 0..1 (actors and sources overlap: shares need not add up)
    deaths: Deaths
    change: Change
    spark: tuple[int, ...]  # the unit's own events per timeline period
    before: int = 0  # the unit's events in the baseline, all of them (its change counts those wholly there)

    def filter_term(self, by: str) -> str:
        """The filter-language term that narrows to this unit: its events, as many as the row
        counts (an actor row: the actor in that role, `perpetrator:iskp`)."""
        from briefing.filters import Term

        if by == "admin1":
            country = str(Term("country", (self.key[0],)))
            return f"{country} {Term('admin1', (self.key[1],))}" if self.key[1] else country
        if by == "actor":
            return str(Term(self.key[1], (self.key[0],)))  # the role is the field: `target:acled:civilians-mali`
        return str(Term(by, (self.key[0],)))  # the table names are the filter's field names


class KeyEvent(NamedTuple):
    event: Event
    deaths: tuple[int, int | None] | None
    disputed: bool
    claims: int


def _units(by: str, e: Event) -> Iterable[tuple[str, ...]]:
    if by == "country":
        return ((e.country,),)
    if by == "admin1":
        return ((e.country, e.admin1 or ""),)
    if by == "type":
        return ((e.type,),)
    if by == "actor":
        return tuple(dict.fromkeys((ar.actor, ar.role) for ar in e.actors))
    if by == "source":  # every source `source:` finds the event by: cited, carrying a claim, relaying one
        seen = dict.fromkeys(e.sources)
        for f in e.figures:
            seen.setdefault(f.source)
            if f.via:
                seen.setdefault(f.via)
        return tuple((s,) for s in seen)
    raise ValueError(f"unknown table {by!r}; tables are {', '.join(BY)}")


def one_spelling(units: "Units") -> "Units":
    """Units of one place spelt two ways (`Mopti`, `MOPTI`; `Ségou`, `Segou`) as one, under the
    spelling first met: the filters fold case and accents, so a row's own filter finds them
    all (QA s14: two rows, each below the place's count, and "→ 2 shown" under a row of 1)."""
    from briefing.dataset import fold

    now, before, sides = units
    first: dict[tuple[str, ...], tuple[str, ...]] = {}  # folded -> the spelling first met
    country: dict[str, str] = {}  # an admin1 row's country, spelt as the first row has it (review s14)
    to: dict[tuple[str, ...], tuple[str, ...]] = {}  # each key -> its place's one spelling
    for k in (*now, *before):
        folded = tuple(fold(x) for x in k)
        country.setdefault(folded[0], k[0])
        to[k] = first.setdefault(folded, (country[folded[0]], *k[1:]))
    if all(to[k] == k for k in to):
        return units  # one spelling each: nothing to merge (most data)
    merged: dict[tuple[str, ...], tuple[list[int], Deaths, int]] = {}
    for k, (spark, deaths, n) in now.items():
        m = merged.get(to[k])
        merged[to[k]] = (
            (spark, deaths, n) if m is None else ([a + b for a, b in zip(m[0], spark)], m[1].plus(deaths), m[2] + n)
        )
    before_m: dict[tuple[str, ...], int] = {}
    for k, n in before.items():
        before_m[to[k]] = before_m.get(to[k], 0) + n
    sides_m: dict[tuple[str, ...], tuple[int, int, int]] = {}
    for k, c in sides.items():
        had = sides_m.get(to[k])
        sides_m[to[k]] = c if had is None else (had[0] + c[0], had[1] + c[1], had[2] + c[2])
    return merged, before_m, sides_m


# -- the analysis ----------------------------------------------------------------------------------
Raw = tuple[int, int | None] | None  # one event's deaths (`event_deaths`)
Units = tuple[
    dict[tuple[str, ...], tuple[list[int], Deaths, int]],  # unit -> (spark, deaths, events) now
    dict[tuple[str, ...], int],  # unit -> events in the baseline
    # unit -> the events its change counts now, before, and leaves out (`NOW`, `BEFORE`, `OUT`)
    dict[tuple[str, ...], tuple[int, int, int]],
]


class Shared(NamedTuple):
    """What events share, for the subject (`subject_of`): their one type, one (country,
    admin1) and one country; None where they have several (or none: no event)."""

    type: str | None
    place: tuple[str, str | None] | None
    country: str | None


def shared(events: Sequence[Event]) -> Shared:
    types = {e.type for e in events}
    places = {(e.country, e.admin1) for e in events}
    countries = {c for c, _ in places}
    return Shared(
        next(iter(types)) if len(types) == 1 else None,
        next(iter(places)) if len(places) == 1 else None,
        next(iter(countries)) if len(countries) == 1 else None,
    )


class Numbers:
    """Where a `Trends` gets its numbers: the raw aggregates of one selection over a period and
    its baseline.  Two implementations, so the same `Trends` serves both: `EventNumbers` here
    (Python `Event` records: the reference, the oracle of the tests) and
    `briefing.trend_queries.IndexNumbers` (SQL over the SQLite index, for big data).

    Set by the constructor: `acled`, `week_start`, `starts` (the timeline's period starts),
    `bins` (events per period), `bin_deaths`, `not_placed`, `not_placed_spans` (those events by
    their first and last day in the period, `Apart`, earliest first), `totals`, `before` (events
    in the baseline), `before_totals`, `change_now` and `change_before` (the events the change
    compares: those wholly in the period, and wholly in the baseline), `left_out` (the events
    of either that neither holds whole: dated to a month or a year reaching past one, so the
    change can place them on neither side), `change_totals` and `change_before_totals` (the
    deaths of the events the change compares)."""

    acled: bool
    week_start: int | None
    starts: list[date]
    bins: list[int]
    bin_deaths: list[Deaths]
    not_placed: int
    not_placed_spans: list[Apart]
    totals: Deaths
    before: int
    before_totals: Deaths
    change_now: int
    change_before: int
    left_out: int
    change_totals: Deaths
    change_before_totals: Deaths

    def units(self, by: str) -> Units:
        """Per unit of `by`: its own timeline, deaths and count in the period, its count in the
        baseline (those two dicts in the order units are first met in the selection's order),
        and the counts its change takes (`Units`)."""
        raise NotImplementedError

    def first_seen(self) -> dict[str, str]:
        """actor id -> the first day of its earliest event among all the events given."""
        raise NotImplementedError

    def first_dates(self, actors: Sequence[str]) -> dict[str, str]:
        """actor id -> the date, as its record gives it (`2023-06`), of its earliest event among
        all the events given: of those that begin on its first day, the most precise.  Said
        beside "first seen", where a month-dated event's first day would be a day no source gave."""
        raise NotImplementedError

    def key_events(self, limit: int) -> "list[KeyEvent]":
        raise NotImplementedError

    def subject_parts(self) -> Shared:
        raise NotImplementedError

    def subject(self) -> str:
        return subject_of(*self.subject_parts())

    def events(self) -> list[Event]:
        raise NotImplementedError


def _week_start(unit: str, pending: int, acled: int) -> tuple[bool, int | None]:
    """(ACLED data?, the weekday weeks start on, None by month): ACLED's weeks start on
    Saturday, when most of the period's events are ACLED's."""
    is_acled = bool(pending) and acled * 2 >= pending
    return is_acled, (SATURDAY if is_acled else MONDAY) if unit == "week" else None


class EventNumbers(Numbers):
    """The numbers worked out over Python `Event` records: the reference implementation."""

    def __init__(self, events: Iterable[Event], period: Period, baseline: Period, unit: str) -> None:
        p_lo, p_hi = period.iso
        b_lo, b_hi = baseline.iso
        pending: list[tuple[Event, str, str]] = []
        before: list[tuple[Event, Raw]] = []
        before_whole: list[Raw] = []  # the baseline's events wholly in it: the change's before side
        sides: list[tuple[Event, int]] = []  # (event, NOW, BEFORE or OUT: its side of the change)
        acled = 0
        everything = events if isinstance(events, Sequence) else list(events)
        for e in everything:
            d = e.date
            if len(d) == 10:  # a day: its own first and last day (most events)
                lo = hi = d
            else:  # its real last day (`date_high` says the 31st of any month: a bound, not a day)
                lo, hi = date_low(d), parse_high(d).isoformat()
            in_baseline = lo <= b_hi and hi >= b_lo
            in_period = lo <= p_hi and hi >= p_lo
            if in_period:
                pending.append((e, lo, hi))
                if e.id.startswith(ACLED_PREFIX):
                    acled += 1
            if in_baseline:
                before.append((e, event_deaths(e)))
                if lo >= b_lo and hi <= b_hi:
                    before_whole.append(before[-1][1])
                    sides.append((e, BEFORE))
                elif not in_period:  # reaching past the baseline's start: on neither side
                    sides.append((e, OUT))
        if unit == "week" and pending and not any(_days(e.date) < 7 for e, _lo, _hi in pending):
            unit = "month"  # no event of the period fits in a week: weekly bars would all be empty
        self.unit = unit
        self.acled, self.week_start = _week_start(unit, len(pending), acled)
        self.starts = bin_starts(period, unit, self.week_start or MONDAY)
        keys = [s.isoformat() for s in self.starts]
        whole_lo, whole_hi = (d.isoformat() for d in whole_extent(self.starts, unit))
        current: list[tuple[Event, int, Raw]] = []
        now_whole: list[Raw] = []  # the period's events wholly in it: the change's now side
        apart: dict[tuple[date, date], list[Raw]] = {}  # (first, last day in the period) -> deaths
        for e, lo, hi in pending:
            i = bisect_right(keys, max(lo, p_lo)) - 1
            j = bisect_right(keys, min(hi, p_hi)) - 1
            # placed only when its whole span lies in one bar's whole week or month: a June event
            # is not placed in a bar of 15-20 June (the period cut short), nor in the week of 24 June
            placed = i == j and lo >= whole_lo and hi < whole_hi
            d = event_deaths(e)
            current.append((e, i if placed else -1, d))
            if not placed:  # a real last day (`date_high` says the 31st of any month)
                days = (max(parse_low(e.date), period.start), min(parse_high(e.date), period.end))
                apart.setdefault(days, []).append(d)
            if lo >= p_lo and hi <= p_hi:
                now_whole.append(d)
                sides.append((e, NOW))
            else:  # reaching past the period's end, or into the baseline
                sides.append((e, OUT))
        self._current = current  # (event, timeline index or -1 when not placed, deaths)
        self._sides = sides
        self._before = before
        self._everything = everything
        n = len(self.starts)
        counts = [0] * n
        deaths: list[list[Raw]] = [[] for _ in range(n)]
        for _, i, d in current:
            if i >= 0:
                counts[i] += 1
                deaths[i].append(d)
        self.bins = counts
        self.bin_deaths = [_sum(d) for d in deaths]
        self.not_placed = sum(1 for _, i, _ in current if i < 0)
        self.not_placed_spans = [Apart(first, last, len(ds), _sum(ds)) for (first, last), ds in sorted(apart.items())]
        self.totals = _sum(d for _, _, d in current)
        self.before = len(before)
        self.before_totals = _sum(d for _, d in before)
        self.change_now, self.change_before = len(now_whole), len(before_whole)
        self.left_out = len(sides) - self.change_now - self.change_before
        self.change_totals = _sum(now_whole)
        self.change_before_totals = _sum(before_whole)

    def units(self, by: str) -> Units:
        n = len(self.starts)
        now: dict[tuple[str, ...], tuple[list[int], list[Raw]]] = {}
        for e, i, d in self._current:
            for k in _units(by, e):
                u = now.get(k)
                if u is None:
                    u = now[k] = ([0] * n, [])
                if i >= 0:
                    u[0][i] += 1
                u[1].append(d)
        before: dict[tuple[str, ...], int] = {}
        for e, _ in self._before:
            for k in _units(by, e):
                before[k] = before.get(k, 0) + 1
        sides: dict[tuple[str, ...], list[int]] = {}
        for e, side in self._sides:
            for k in _units(by, e):
                c = sides.get(k)
                if c is None:
                    c = sides[k] = [0, 0, 0]
                c[side] += 1
        counts = {k: (c[NOW], c[BEFORE], c[OUT]) for k, c in sides.items()}
        return {k: (spark, _sum(ds), len(ds)) for k, (spark, ds) in now.items()}, before, counts

    def first_dates(self, actors: Sequence[str]) -> dict[str, str]:
        wanted = set(actors)
        best: dict[str, tuple[str, str, str]] = {}  # actor -> (first day, last day, date)
        for e in self._everything:
            for ar in e.actors:
                if ar.actor in wanted:
                    key = (date_low(e.date), date_high(e.date), e.date)
                    if ar.actor not in best or key < best[ar.actor]:
                        best[ar.actor] = key
        return {a: best[a][2] for a in actors if a in best}

    def first_seen(self) -> dict[str, str]:
        seen: dict[str, str] = {}
        for e in self._everything:
            if e.actors:
                lo = date_low(e.date)
                for ar in e.actors:
                    s = seen.get(ar.actor)
                    if s is None or lo < s:
                        seen[ar.actor] = lo
        return seen

    def key_events(self, limit: int) -> "list[KeyEvent]":
        def rank(item: tuple[Event, int, Raw]) -> tuple[int, bool, int, str, str]:
            e, _, d = item
            if d is None:
                n = -1
            elif d[1] is not None:
                n = d[1]
            else:  # open-ended: the highest number a claim states (`Total.rank`)
                total = event_total(e.figures)
                n = d[0] if total is None else total.rank
            return (n, is_disputed(e.figures), len(e.figures), e.date, e.id)

        top = heapq.nlargest(limit, self._current, key=rank)
        return [KeyEvent(e, d, is_disputed(e.figures), len(e.figures)) for e, _, d in top]

    def subject_parts(self) -> Shared:
        # the baseline's events too: the sentence compares the two, so it names only what they share
        return shared(self.events() + [e for e, _ in self._before])

    def events(self) -> list[Event]:
        return [e for e, _, _ in self._current]


class Trends:
    """Everything the Trends screen, the brief and the exports show about one selection."""

    def __init__(
        self,
        period: Period,
        baseline: Period,
        baseline_kind: str,
        unit: str,
        numbers: Numbers,
        actor_name: Callable[[str], str],
        source_name: Callable[[str], str],
    ) -> None:
        self.period = period
        self.baseline = baseline
        self.baseline_kind = baseline_kind  # "previous" or "year"
        self.unit = unit  # "week" or "month"
        self.numbers = numbers
        self.week_start = numbers.week_start  # SATURDAY or MONDAY for weeks, None for months
        self.acled = numbers.acled
        self._starts = numbers.starts
        self._seen: dict[str, str] | None = None
        self._subject: str | None = None
        self.actor_name = actor_name
        self.source_name = source_name
        self._tables: dict[str, list[Row]] = {}
        self.totals = numbers.totals
        self.baseline_totals = numbers.before_totals
        #: the deaths the change compares: those of the events its counts compare (`change`)
        self.change_totals = numbers.change_totals
        self.change_before_totals = numbers.change_before_totals
        #: the period's events (the filter's): what the header, the shares and the exports count
        self.count = numbers.totals.with_figure + numbers.totals.without_figure
        # events neither period holds whole are on neither side of the change (`Numbers`)
        self.change = change(numbers.change_now, numbers.change_before, numbers.left_out)
        self.not_placed = numbers.not_placed
        #: the events not placed, by their first and last day in the period (`Apart`)
        self.not_placed_spans = numbers.not_placed_spans
        self.timeline = self._timeline()

    @property
    def events(self) -> list[Event]:
        """The period's events (all of them: on the index, a big list; prefer `count`)."""
        return self.numbers.events()

    #: the data's first day (its earliest event's) and that event's date as written (`2015`, a
    #: year, starts the data "in 2015"), when known: a baseline reaching before it is partly a
    #: span with no data, which the change sentence says (QA s18)
    data_start: date | None = None
    data_start_text: str = ""
    #: the data's last day-dated day (ACLED's removals left out): a period reaching past it
    #: holds days no one has reported yet, which the change sentence says (QA s18)
    data_end: date | None = None
    #: the filter selects by more than a place and a type (`narrower`): the subject says so
    selected: bool = False
    #: the filter selects by an actor in any role (`actor:`): the deaths are everyone's in
    #: events that name it, which a reader took for the actor's toll (QA s17)
    any_role: int = 0  # (how many actors it names: "the actor" or "the actors"; 0 with a role term)
    #: (type label, sub-type label) of the one sub-type the filter names (`type:armed-clash`)
    sub_type: tuple[str, str] | None = None
    #: what the filter names of a subject ("type", "country", "admin1": `names_of`); none (no
    #: filter, or dates only) or None (not known: events analysed whole): the subject says what
    #: the events share
    named: frozenset[str] | None = None

    def subject(self) -> str:
        """What the bottom line talks about (`subject`): `Events in Alibori`, `Battles in Benin`;
        of a filter that selects by more than those, `Selected events (battles in Tajikistan)`
        (QA s13: `disputed` read "Battles in Tajikistan: 1 event", and `country:Tajikistan
        actor:isis` "Events in Tajikistan: 7", as if all of them).  Kept: over the index it is
        asked of the store (a screen asks it on its worker first)."""
        if self._subject is None:
            if self.selected:
                self._subject = _as_selected(self.numbers.subject_parts(), self.sub_type)
            elif self.named:  # the filter names a type or a place
                self._subject = _as_named(self.numbers.subject_parts(), self.named)
            else:
                self._subject = self.numbers.subject()
        return self._subject

    @property
    def week_note(self) -> str:
        if self.unit != "week":
            return "by month"
        if self.week_start == SATURDAY:
            return "by week, weeks starting on Saturday as ACLED's do"
        return "by week, weeks starting on Monday as in ISO 8601"

    def _timeline(self) -> list[Bin]:
        ends = [s - timedelta(days=1) for s in self._starts[1:]]
        ends.append(
            add_months(self._starts[-1], 1) - timedelta(days=1)
            if self.unit == "month"
            else self._starts[-1] + timedelta(days=6)
        )
        lo, hi = self.period
        # the first and last weeks or months may reach outside the period: shown clipped to it
        return [
            Bin(max(s, lo), min(e, hi), c, d)
            for s, e, c, d in zip(self._starts, ends, self.numbers.bins, self.numbers.bin_deaths)
        ]

    def label(self, key: tuple[str, ...], by: str) -> str:
        if by == "actor":
            return f"{self.actor_name(key[0])} ({key[1]})"
        if by == "source":
            return self.source_name(key[0])
        if by == "admin1":
            return f"{key[1] or '(no admin1)'}, {key[0]}"
        if by == "type":
            return EVENT_TYPES.get(key[0], key[0])
        return key[0]

    def has_table(self, by: str) -> bool:
        """Whether the table by `by` is worked out already (the TUI works the others out on a
        thread: over a big export a table by actor is slow to work out)."""
        return by in self._tables

    def filter_term(self, row: Row, by: str) -> str:
        """The filter-language terms that narrow the selection to a row's events, as many as
        the row counts.  A country's "(no admin1)" row: the country less every admin1 the
        table names there (the country alone would list those events too)."""
        term = row.filter_term(by)
        if by == "admin1" and not row.key[1]:
            from briefing.dataset import fold
            from briefing.filters import Term

            here = fold(row.key[0])  # the country as the filter reads it: spelt any way
            named = sorted({r.key[1] for r in self.table("admin1") if fold(r.key[0]) == here and r.key[1]})
            if named:
                term += f" {Term('admin1', tuple(named), negated=True)}"
        return term

    def table(self, by: str) -> list[Row]:
        """The frequency table by `by` (one of BY): most events first; units seen only in the
        baseline come last, with 0 events now and their decrease.  A row's events are all its
        events in the period; its change, like the bottom line's, leaves out those neither
        period holds whole."""
        rows = self._tables.get(by)
        if rows is not None:
            return rows
        if by not in BY:
            raise ValueError(f"unknown table {by!r}; tables are {', '.join(BY)}")
        now, before, sides = self.numbers.units(by)
        if by in ("country", "admin1"):
            now, before, sides = one_spelling((now, before, sides))
        total = self.count or 1
        n = len(self._starts)
        rows = []
        for k, (spark, deaths, c) in now.items():
            ch = change(*sides.get(k, (0, 0, 0)))
            rows.append(Row(k, self.label(k, by), c, c / total, deaths, ch, tuple(spark), before.get(k, 0)))
        for k, b in before.items():
            if k not in now:  # none of its events in the period
                ch = change(*sides.get(k, (0, 0, 0)))
                rows.append(Row(k, self.label(k, by), 0, 0.0, Deaths(), ch, (0,) * n, b))
        # by the baseline's events, all of them (as many as `events_before` exports)
        rows.sort(key=lambda r: (-r.events, -r.before, r.label.casefold()))
        self._tables[by] = rows
        return rows

    def new_actors(self, limit: int | None = None) -> tuple[list[tuple[str, str]], int]:
        """((actor id, date of its first event as recorded: `2023-06`, `2023-06-14`), ...) of
        the first `limit` (all when None) actors whose first event in the selection falls in the
        period, earliest first, and how many there are; none when the selection has nothing
        before the period (then every actor would be "new", which says nothing)."""
        start = self.period.start.isoformat()
        if not self.has_history:
            return [], 0
        end = self.period.end.isoformat()
        new = [(a, d) for a, d in self._first_seen().items() if start <= d <= end]
        new.sort(key=lambda ad: (ad[1], self.actor_name(ad[0]).casefold()))
        shown = [a for a, _ in new[:limit]]
        dates = self.numbers.first_dates(shown)
        return [(a, dates[a]) for a in shown], len(new)

    @property
    def has_baseline(self) -> bool:
        """Whether any event falls in the baseline period: without one, change says nothing;
        nor does it for a period after the data's last dated day (QA s18: "-100%" in every
        table for the days no one has reported yet)."""
        return bool(self.numbers.before) and not self.beyond_data

    @property
    def beyond_data(self) -> bool:
        """Whether the period starts after the data's last day-dated day (`data_end`)."""
        return self.data_end is not None and self.period.start > self.data_end

    @property
    def has_history(self) -> bool:
        start = self.period.start.isoformat()
        return any(v < start for v in self._first_seen().values())

    def _first_seen(self) -> dict[str, str]:
        """actor id -> the first day of its earliest event among all the events given."""
        if self._seen is None:
            self._seen = self.numbers.first_seen()
        return self._seen

    def key_events(self, limit: int = KEY_EVENTS) -> list[KeyEvent]:
        """The most significant events of the period: highest deaths bound first (an open-ended
        claim ranks by its stated floor), then disputed figures, then the number of claims,
        then the newest.  Not by recency alone."""
        return self.numbers.key_events(limit)


def baseline_for(period: Period, compare_to: str) -> Period:
    """The baseline of `period`: the previous period of equal length (`previous`) or the same
    dates a year earlier (`year`); PeriodError when the two would overlap."""
    if compare_to not in ("previous", "year"):
        raise ValueError(f"compare_to: {compare_to!r}; expected previous or year")
    if compare_to == "year" and period.end >= add_months(period.start, 12):
        raise PeriodError(
            f"--compare-to year: the period {period.label()} is longer than a year, so the same "
            "dates a year earlier overlap it; give since: and until: dates a year or less apart"
        )
    return period.previous() if compare_to == "previous" else period.year_before()


def analyse(
    events: Iterable[Event],
    period: Period,
    *,
    compare_to: str = "previous",
    actor_name: Callable[[str], str] = str,
    source_name: Callable[[str], str] = str,
) -> Trends:
    """Trends of `events` in `period` against the previous period of equal length (`previous`)
    or the same dates a year earlier (`year`).

    `events`: every event of the filter without its date terms (see `split_dates`); an event is
    in a period when its date (a day, or the whole month or year it names) overlaps it, the
    rule the filter's since/until use, so the period's events are exactly the filter's.  An
    event in the period and the baseline alike is on neither side of the change (`Change`)."""
    baseline = baseline_for(period, compare_to)
    numbers = EventNumbers(events, period, baseline, unit_for(period))
    return Trends(period, baseline, compare_to, numbers.unit, numbers, actor_name, source_name)


#: a dataset of at least this many events is analysed in SQL over its index
#: (`briefing.trend_queries`), a smaller one in Python; see bench/README.md (bench_trends.py).
#: A dataset kept in the store (a view) is analysed in SQL whatever its size: its index is there.
INDEX_MIN = 20_000


def for_query(
    ds: "Dataset", query: "Query", events: Sequence[Event] | None = None, compare_to: str = "previous"
) -> "Trends | None":
    """The analysis of a filter's result, as the brief, the TUI and the exports all make it: the
    period from the query's dates (else the events' span), the baseline counted over the same
    query without its dates.  `ds` gives the events and the names; None when nothing to span.

    A big dataset is analysed over its SQLite index (`sqlquery.index_for`), never reading its
    events back but for the key events; the numbers are the same (the tests hold them equal).
    `events`: the query's result when the caller has it (else worked out, for a small dataset)."""
    from briefing.filters import Query

    base, since, until = split_dates(query)
    # an end the dates leave open is the data's, not the selection's: a narrower filter (Enter
    # on a Trends row) keeps the period and baseline its row was counted over, and a filter
    # matching nothing keeps the period asked (QA s18); with no date, the selection's own span
    removed = any(term.field == "removed" and not term.negated for term in query.terms)
    # (a query of ACLED's removals spans them: the data's span leaves them out)
    spans = query if (since is None and until is None) or removed else Query()
    if len(ds.events) >= INDEX_MIN or getattr(ds, "index", None) is not None:
        from briefing.sqlquery import index_for
        from briefing.trend_queries import analyse_index, period_of

        index = index_for(ds)
        period = period_of(index, spans, since, until)
        if period is None:
            return None
        t = analyse_index(
            index, base, period, compare_to=compare_to, actor_name=ds.actor_name, source_name=ds.source_name
        )
        from briefing.trend_queries import data_edges as index_edges

        first_text, last_day = index_edges(index)
    else:
        if events is None:
            events = query.apply(ds)
        live = Query().apply(ds)  # the events a filter can select: the data's span and last day
        period = period_for(since, until, events if spans is query else live)
        if period is None:
            return None
        base_events = events if len(base.terms) == len(query.terms) else base.apply(ds)
        t = analyse(base_events, period, compare_to=compare_to, actor_name=ds.actor_name, source_name=ds.source_name)
        first_text, last_day = data_edges(ds.events, live)
    if first_text:
        t.data_start, t.data_start_text = date.fromisoformat(date_low(first_text)), first_text
    t.data_end = date.fromisoformat(last_day) if last_day else None
    t.selected = narrower(base)
    named = [v for term in base.terms if term.field == "actor" and not term.negated for v in term.values]
    # a role's term (`perpetrator:isis`, `-perpetrator:isis`) narrows the roles: not "any role"
    t.any_role = 0 if any(term.field in ROLES for term in base.terms) else len(named)
    t.sub_type = named_sub_type(base)
    t.named = names_of(base)
    return t


def in_words(label: str) -> str:
    """A type's label inside a sentence: lower case, but an acronym kept (`remote
    explosive/landmine/IED`, not `…/ied`: QA s15)."""
    import re

    return re.sub(r"[A-Za-z]+", lambda m: m[0] if len(m[0]) > 1 and m[0].isupper() else m[0].lower(), label)


def names_of(base: "Query") -> frozenset[str]:
    """What a filter names of a subject: "type", "country", "admin1" (a term of that field)."""
    return frozenset(t.field for t in base.terms if not t.negated and t.field in ("type", "country", "admin1"))


def _as_selected(parts: Shared, sub_type: tuple[str, str] | None) -> str:
    """The subject of a selection (`narrower`): `Selected events (battles in Tajikistan)`, what
    its events share said as theirs; the sub-type the filter names, where it names one of their
    type (QA s14: "(battles in Gao): 6" read as Gao's battles, of which there were 21)."""
    label = EVENT_TYPES.get(parts.type, parts.type) if parts.type is not None else None
    place = (parts.place[1] or parts.place[0]) if parts.place is not None else parts.country
    if label is not None:
        what = in_words(sub_type[1] if sub_type and sub_type[0] == label else label)
    else:
        what = "all" if place else ""
    inner = " ".join(x for x in (what, f"in {place}" if place else "") if x)
    return f"Selected events ({inner})" if inner else "Selected events"


def _as_named(parts: Shared, named: frozenset[str]) -> str:
    """The subject of a filter by type and place: what the filter names, then what its events
    share beyond that, said as theirs, not the filter's: `Events in Kabul (all explosions/remote
    violence)` for `admin1:Kabul`, `Riots (all in Tajikistan)` for `type:riots`, `Events in Mali
    (all battles in Gao)` for `country:Mali` (QA s15: "Explosions/Remote violence in Kabul" read as
    a type filter; review s15: "Events in Gao" as a filter by Gao)."""
    label = EVENT_TYPES.get(parts.type, parts.type) if parts.type is not None else None
    admin1 = parts.place[1] if parts.place is not None else None
    what = label if label is not None and "type" in named else "Events"
    if admin1 and "admin1" in named:
        where = admin1
    elif parts.country is not None and named & {"country", "admin1"}:
        where = parts.country
    else:
        where = None
    more = admin1 or parts.country  # the most precise place they share
    theirs = [
        in_words(label) if label is not None and "type" not in named else "",
        f"in {more}" if more is not None and more != where else "",
    ]
    extra = " ".join(x for x in theirs if x)
    return f"{what}{f' in {where}' if where else ''}" + (f" (all {extra})" if extra else "")


def named_sub_type(base: "Query") -> tuple[str, str] | None:
    """The (type label, sub-type label) of the one sub-type a filter's `type:` terms select, if
    they select one and nothing else (no event of a type without a sub-type): then every
    selected event has it.  Read as the filter reads them: a prefix (`type:armed`), a label,
    several terms together (QA s15: `type:armed admin1:Gao` read "battles in Gao", 14 armed
    clashes of Gao's 51 battles)."""
    from briefing.filters import type_slugs

    terms = [t for t in base.terms if t.field == "type"]
    if all(t.negated for t in terms):
        return None
    picks = [(t.negated, set().union(*(type_slugs(v) for v in t.values))) for t in terms]

    def selected(kind: str, sub: str | None) -> bool:  # an event of this type and sub-type (None: none)
        return all((kind in slugs or (sub is not None and sub in slugs)) != negated for negated, slugs in picks)

    subs = [(k, sub) for k, subs_of in SUB_EVENT_TYPES.items() for sub in subs_of if selected(k, sub)]
    if len(subs) != 1 or any(selected(k, None) for k in EVENT_TYPES):
        return None
    kind, sub = subs[0]
    return EVENT_TYPES[kind], SUB_EVENT_TYPES[kind][sub]


def narrower(base: "Query") -> bool:
    """Whether a filter, its dates aside, selects by more than the one type, country and
    admin1 a subject can name (`subject_of`): then its events are not all of those.  A `type:`
    value names a whole type only as its slug or label: a sub-type (`armed-clash`) or a prefix
    (`s`) selects part of one, or of several (QA s13: "Battles: 2,668 events" of 8,081)."""
    whole = {*EVENT_TYPES, *(label.casefold() for label in EVENT_TYPES.values())}
    return any(
        t.negated
        or t.field not in ("type", "country", "admin1")
        or len(t.values) > 1
        or (t.field == "type" and t.values[0].casefold() not in whole)
        for t in base.terms
    )


class Activity(NamedTuple):
    """What an actor did, in the numbers the brief and Trends give for `actor:ID`: its events
    and their span, a row per role it holds (events, killed, no figure: the table by actor's
    own rows), and the countries of its events, most first."""

    trends: Trends
    roles: list[Row]
    countries: list[Row]


def activity(ds: "Dataset", actor_id: str) -> Activity | None:
    """The analysis of `actor:ID` (`for_query`, over the index for a big dataset: slow there,
    so a screen asks on a thread), cut to the actor's own rows; None: no event names it.
    An event counts once in each role the actor holds there; one where it only gave figures
    counts in the events but in no role."""
    from briefing.filters import Query, Term

    t = for_query(ds, Query((Term("actor", (actor_id,)),)))
    if t is None or not t.count:
        return None
    roles = [r for r in t.table("actor") if r.key[0] == actor_id and r.events]
    return Activity(t, roles, [r for r in t.table("country") if r.events])


# -- words -----------------------------------------------------------------------------------------
def subject_of(type_: str | None, place: tuple[str, str | None] | None, country: str | None) -> str:
    """`subject` from the one type, the one (country, admin1) and the one country the events
    share (None: they have several)."""
    what = EVENT_TYPES.get(type_, "Events") if type_ is not None else "Events"
    if place is not None:
        c, a = place
        return f"{what} in {a}" if a else f"{what} in {c}"
    if country is not None:
        return f"{what} in {country}"
    return what


def left_out_text(n: int) -> str:
    """What the change leaves out, said after its numbers: `2 events dated only to a month or
    year that neither period holds whole are left out of the change` (empty for none).  Said wherever the
    change's numbers are, so that they never read as all the events."""
    if not n:
        return ""
    return f"{counted(n, 'event')} dated only to a month or year that neither period holds whole {'is' if n == 1 else 'are'} left out"


def change_sentence(t: Trends, what: str) -> str:
    """The bottom line's first sentence: the change in words and numbers, e.g. `Events in
    Alibori rose 45% (large increase) to 58 in Jul–Dec 2022 vs 40 in Jan–Jun`, and how many
    events it leaves out (neither period holds them whole: see `Change`), e.g. `… vs 4 in
    Jan–Jun (2 events dated only to a month or year that neither period holds whole are left
    out of the change).`"""
    now = t.period.label()
    end, start = t.data_end, t.data_start
    if end is not None and t.beyond_data:  # the period lies after the data's last dated day
        held = (
            f"{counted(t.count, 'event')} in {now}, dated only to a month or a year reaching into it"
            if t.count
            else f"nothing in {now}"
        )
        return f"{what}: {held}; the data's last dated day is {_day_words(end)}: no change to tell."
    if start is not None and t.baseline.end < start and t.change.before == 0 and t.count and t.baseline_kind == "year":
        # a year back, wholly before the data: none there is unknown, not zero (the previous
        # period's case is "the data holds nothing earlier", below)
        return (
            f"{what}: {counted(t.count, 'event')} in {now}; the data starts {_date_words(t.data_start_text)}, "
            f"after {_then(t)}: nothing to compare with."
        )
    said = _change_words(t, what)
    if not said.endswith(".") or "the data holds nothing earlier" in said:
        return said
    if start is not None and t.baseline.start < start <= t.baseline.end:
        said = (
            said[:-1]
            + f"; the data starts {_date_words(t.data_start_text)}: the baseline's days before it hold no data."
        )
    if end is not None and t.period.start <= end < t.period.end:
        said = (
            said[:-1] + f"; the data's last dated day is {_day_words(end)}: the period's days after it hold none yet."
        )
    return said


def _day_words(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _date_words(text: str) -> str:
    """A date as written, in words after "starts": `on 1 Jan 2015`, `in Jan 2015`, `in 2015`."""
    if len(text) == 10:
        return "on " + _day_words(date.fromisoformat(text))
    if len(text) == 7:
        return f"in {MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    return f"in {text}"


def _then(t: Trends) -> str:
    """The baseline's label in a sentence after the period's: its year left out when both
    share it."""
    same_year = t.baseline.start.year == t.baseline.end.year == t.period.start.year == t.period.end.year
    then = t.baseline.label(with_year=not same_year)
    return str(t.baseline.start.year) if then == "the year" else then


def _change_words(t: Trends, what: str) -> str:
    c = t.change
    now = t.period.label()
    then = _then(t)
    n = f"{c.now:,}"
    b = f"{c.before:,}"
    left = f" ({left_out_text(c.left_out)} of the change)" if c.left_out else ""
    if c.before == 0:
        if not t.has_history and t.baseline_kind == "previous" and not t.has_baseline and t.count:
            # nothing earlier at all: no level, and the period's events all said (the regression
            # pass: "none in Jul 2010–Dec 2014 (large increase; …)" where the data began in 2015)
            return f"{what}: {counted(t.count, 'event')} in {now}; the data holds nothing earlier to compare with."
        if c.now == 0:
            if c.left_out:  # events there are, but none either period holds whole: none to compare
                return f"{what}: no change to tell for {now} vs {then}{left}."
            return f"No {what[0].lower()}{what[1:]} in {now}, nor in {then}."
        if c.left_out:  # the data holds something earlier: the events left out reach into it
            level = "" if c.level == LIMITED else f"{c.level}; "
            return f"{what}: {counted(c.now, 'event')} in {now}, none in {then} ({level}{left[2:]}."
        tail = "" if c.level == LIMITED else f" ({c.level})"
        return f"{what}: {counted(c.now, 'event')} in {now}, none in {then}{tail}."
    pct = pct_text(c.pct or 0)
    if c.level in (LARGE_INCREASE, MODERATE_INCREASE):
        return f"{what} rose {pct} ({c.level}) to {n} in {now} vs {b} in {then}{left}."
    if c.level == LARGE_DECREASE:
        return f"{what} fell {pct} ({c.level}) to {n} in {now} vs {b} in {then}{left}."
    if c.now == c.before:
        moved = "held steady"
    elif c.now > c.before:
        moved = f"rose {pct}"
    else:
        moved = f"fell {pct}"
    noise = "; too few events to call a trend" if c.before <= NOISE_BEFORE and c.now <= NOISE_NOW else ""
    to = "at" if c.now == c.before else "to"  # (QA s17: "fell 100% … at 0")
    return f"{what} {moved} ({LIMITED}{noise}) {to} {n} in {now} vs {b} in {then}{left}."


def bottom_line(t: Trends, disputes: str) -> list[str]:
    """The brief's bottom line as sentences (the change, the deaths, the disputes as
    `BriefData.disputes_sentence` says them): one text for the terminal brief and its Markdown
    export."""
    return [change_sentence(t, t.subject()), deaths_sentence(t), disputes]


def _unknown_there(d: Deaths) -> str:
    """The baseline's events with no figure, said beside its deaths as the period's are: a
    baseline of `≥32` over 8 events, 4 of them unknown, read as if all 8 were counted."""
    if not d.without_figure:
        return ""
    n = d.without_figure
    return f", where {counted(n, 'event')} {'has' if n == 1 else 'have'} no figure"


def deaths_sentence(t: Trends) -> str:
    """Deaths as a range, the events without a figure counted apart, against the baseline.  The
    comparison leaves out what the change leaves out (events neither period holds whole,
    `Change`): with such events, it compares the deaths of the events the change counts on each
    side and says so as the change's sentence does, e.g. `…; 2 in Jul–Dec 2022 vs 8 in Jan–Jun
    2022 (1 event dated only to a month or year that neither period holds whole is left out of
    the change)`."""
    d, b = t.totals, t.baseline_totals
    left = t.change.left_out
    if not d.with_figure:
        out = f"Deaths: no event in {t.period.label()} has a killed figure"
    else:
        ev = counted(d.with_figure, "event")
        out = f"Deaths: {d.span} across {ev} with a figure"
        if t.any_role:
            who = "the actor" if t.any_role == 1 else "the actors"
            out += f", on every side (events naming {who} in any role; the table by actor gives each role)"
    if d.without_figure:
        k = d.without_figure
        out += f"; {counted(k, 'event')} with no figure (not counted as zero)"
    compared = not t.beyond_data  # no baseline to set beside days no one has reported yet
    if left and compared:
        now, then = t.change_totals, t.change_before_totals
        if then.with_figure:
            said = now.span if now.with_figure else "none with a figure"
            out += (
                f"; {said} in {t.period.label()} vs {then.span} in {t.baseline.label()}{_unknown_there(then)}"
                f" ({left_out_text(left)} of the change)"
            )
    elif b.with_figure and compared:
        out += f"; {b.span} in {t.baseline.label()}{_unknown_there(b)}"
    return out + ". A disputed event counts with its whole range; ≥ marks an open-ended claim."
