"""Figure comparison: the claims about one thing, side by side, never averaged, never dropped.

A *comparison* gathers the claims of one event (or actor) about the same metric and
subject — "security forces killed" — and keeps each claim whole.  Each claim is read as an
interval of the numbers it allows (`interval`, rules in the README, "Claims as intervals"):
17 is [17, 17], "at least 17" is [17, ∞).  Two claims *conflict* only when their intervals
cannot both hold; a comparison is *disputed* when its current claims have no number in
common, and a `total` one also when the claims about the event's groups outnumber it.  17
and "at least 17" agree (consensus 17); 2 and "at least 10" do not.  Flagging claims that
can both be true would cry wolf and teach readers to ignore the real disputes.

A claimant revising its own figure in the same source (ACLED re-coding an event week after
week) is not a dispute: the older dated claims are *superseded*, kept and shown as history,
and left out of the dispute test and the totals.  So is a claim its claimant *withdrew*
without giving another number (`Figure.withdrawn`: ACLED writing NA where it had a count):
a comparison may then have no current claim at all, only superseded ones.  It is kept (its
history stays visible) but has no number: never disputed, left out of `event_total`.

`is_disputed` is the one test behind the `!`, the brief's "where sources disagree", the
`disputed` field of every export and the `disputed` filter; `event_total` is the one event
total (the total claim, else a sum over disjoint subjects, marked derived).
"""

# No postponed annotations: NamedTuple would compile a ForwardRef for each (see records.py).

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from briefing.display import counted
from briefing.records import Figure
from briefing.vocab import METRICS_DOC, QUALIFIERS, SUBJECTS_DOC

Interval = tuple[int, int | None]  # (low, high); None as high: no upper bound


def _band(n: int) -> int:
    """The slack of "about" and "nearly": a tenth of the number, at least 1 (rounded up)."""
    return max(1, -(-n // 10))


def interval(f: Figure) -> Interval:
    """The numbers a claim allows (the README's rules; "about" and "nearly" allow 10% slack):

    exact N → [N, N]; at least N → [N, ∞); more than N → [N+1, ∞); nearly N → [N − 10%, N];
    about N → [N − 10%, N + 10%]; up to N → [0, N]; fewer than N → [0, N−1];
    a range low–high → [low, high] (widened by 10% each side when "about").
    A vague word ("hundreds") is stored as its reading with "at least": [100, ∞).
    """
    q = f.qualifier
    if f.value is None:
        lo, hi = f.low or 0, f.high if f.high is not None else (f.low or 0)
        if q == "about":
            return (max(0, lo - _band(lo)), hi + _band(hi))
        if q in ("at-least", "more-than"):
            return (lo + (q == "more-than"), None)
        if q in ("up-to", "fewer-than", "nearly"):
            return (0, hi - (q == "fewer-than"))
        return (lo, hi)
    v = f.value
    if q == "at-least":
        return (v, None)
    if q == "more-than":
        return (v + 1, None)
    if q == "up-to":
        return (0, v)
    if q == "fewer-than":
        return (0, max(v - 1, 0))
    if q == "nearly":
        return (max(0, v - _band(v)), v)
    if q == "about":
        return (max(0, v - _band(v)), v + _band(v))
    return (v, v)


def overlap(a: Interval, b: Interval) -> Interval | None:
    """The numbers both intervals allow, or None when they cannot both hold."""
    lo = max(a[0], b[0])
    highs = [h for h in (a[1], b[1]) if h is not None]
    hi = min(highs) if highs else None
    return None if hi is not None and lo > hi else (lo, hi)


def conflict(a: Figure, b: Figure) -> bool:
    """Two claims conflict when no number satisfies both (symmetric; never true of a claim and itself)."""
    return overlap(interval(a), interval(b)) is None


_READ_AS = " (read as ≥ "  # a vague word's reading; `Total.terms` shortens it to " (≥"


def quantity(f: Figure) -> str:
    """How a claim's number reads everywhere: `17`, `≥10`, `>20`, `~100`, `2,500–3,000 (best 2,700)`,
    and a vague word with its reading: `hundreds (read as ≥ 100)`."""
    if f.vague:
        return f"{f.vague}{_READ_AS}{f.value:,})"
    sym = QUALIFIERS.get(f.qualifier, "")
    if f.value is not None:
        return f"{sym}{f.value:,}"
    out = f"{sym}{f.low:,}–{f.high:,}"
    if f.best is not None:
        out += f" (best {f.best:,})"
    return out


def point(f: Figure) -> int:
    """The number a claim is anchored on, for ordering claims from lowest to highest."""
    return f.value if f.value is not None else (f.low or 0)


def _width(f: Figure) -> float:
    lo, hi = interval(f)
    return float("inf") if hi is None else hi - lo


def interval_text(iv: Interval) -> str:
    lo, hi = iv
    if hi is None:
        return f"≥{lo:,}"
    return f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"


class Comparison(NamedTuple):
    metric: str
    subject: str
    claims: tuple[Figure, ...]  # the current claims, lowest first, every one kept; () when all were withdrawn
    disputed: bool
    superseded: tuple[Figure, ...] = ()  # older dated claims revised by the same claimant and source, or withdrawn
    outnumbered: bool = False  # a total the claims about its metric's groups add up to more than

    @property
    def compared(self) -> bool:
        """Two current claims or more: a figure whose claims were weighed against each other
        (the brief's "the N figures that several claims give")."""
        return len(self.claims) > 1

    @property
    def consensus(self) -> Interval | None:
        """The numbers every current claim allows (None when disputed, or with no current
        claim): for compatible claims of different precision it is the narrowest claim's
        interval ("17" and "at least 17": 17)."""
        if not self.claims:
            return None
        iv: Interval | None = (0, None)
        for f in self.claims:
            iv = overlap(iv, interval(f)) if iv is not None else None
        return iv

    @property
    def narrowest(self) -> Figure | None:
        """The most precise claim: what an agreeing row shows as its number (None: no current claim)."""
        if not self.claims:
            return None
        return min(self.claims, key=lambda f: (_width(f), -interval(f)[0]))

    @property
    def ends(self) -> tuple[Figure, Figure]:
        """The claims a span runs between: the lowest number claimed (the first claim, by
        `point`: "up to 16" is 16 there, not the 0 it allows, which no one said), and the claim
        with the highest top, an open top highest, ties to the higher number (of 2, "at least
        10" and 20: "at least 10", as 20 would close what it leaves open).  A current claim
        needed."""
        last = max(self.claims, key=lambda f: (interval(f)[1] is None, interval(f)[1] or 0, point(f)))
        return self.claims[0], last

    @property
    def span(self) -> str:
        """What a one-line view prints: the agreed claim (`17`, `≥32`), or, when disputed, the
        lowest number claimed and the claim with the highest top (`ends`: of 2, "at least 10"
        and 20, `2–≥10`, where `2–20` would close what "at least 10" leaves open); a range at
        an end is joined with ` to `.  With no current claim (every one
        withdrawn), `withdrawn`: no number."""
        narrowest = self.narrowest
        if narrowest is None:
            return WITHDRAWN
        if not self.disputed:
            return quantity(narrowest)
        first, last = self.ends
        lo, hi = quantity(first), quantity(last)
        if lo == hi:
            return lo
        joiner = (
            "–" if first.value is not None and last.value is not None and not (first.vague or last.vague) else " to "
        )
        return f"{lo}{joiner}{hi}"

    @property
    def interval(self) -> Interval | None:
        """The agreed interval, or when disputed the hull of every claim (lowest low, highest
        high); None with no current claim (no number, not zero)."""
        if not self.claims:
            return None
        agreed = self.consensus
        if agreed is not None:
            return agreed
        return _hull(self.claims)

    @property
    def low(self) -> int | None:
        """The lowest number a current claim allows; None with no current claim."""
        return _hull(self.claims)[0] if self.claims else None

    @property
    def high(self) -> int | None:
        """The highest number a current claim allows; None when one is open-ended, or with no
        current claim (see `claims`: `interval` tells the two apart)."""
        return _hull(self.claims)[1] if self.claims else None

    @property
    def claimants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.claimed_by for f in self.claims))

    @property
    def sayers(self) -> tuple[str, ...]:
        """Who gave the number a one-line view shows (`span`), to be named beside it.  When the
        claims agree, only the claimants with a claim that reads as that number: one whose
        looser claim merely allows it (`>20` beside `≥32`) did not say it, and is named with
        its own number (`others`).  When disputed, every claimant: the span runs from one
        claim to another."""
        if self.disputed:
            return self.claimants
        if self.narrowest is None:
            return ()
        shown = quantity(self.narrowest)
        return tuple(dict.fromkeys(f.claimed_by for f in self.claims if quantity(f) == shown))

    @property
    def others(self) -> tuple[tuple[str, str], ...]:
        """(claimant, its own number) for each agreeing claimant `sayers` leaves out."""
        said = set(self.sayers)
        own: dict[str, dict[str, None]] = {}
        for f in self.claims:
            if f.claimed_by not in said:
                own.setdefault(f.claimed_by, {})[quantity(f)] = None
        return tuple((a, ", ".join(numbers)) for a, numbers in own.items())

    @property
    def label(self) -> str:
        return self.metric if self.subject == "total" else f"{self.metric} · {self.subject}"

    @property
    def agreement(self) -> str:
        """`2 agree` / `disputed` / `` (one claim) / `withdrawn` (no current claim), for the row
        label and exports."""
        if self.disputed:
            return "disputed"
        if not self.claims:
            return WITHDRAWN
        return f"{len(self.claims)} agree" if len(self.claims) > 1 else ""


WITHDRAWN = "withdrawn"  # what a comparison with no current claim shows instead of a number


def _hull(claims: Sequence[Figure]) -> Interval:
    """The lowest low and highest high of some claims (at least one)."""
    highs = [interval(f)[1] for f in claims]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    return (min(interval(f)[0] for f in claims), high)


def _order(vocab: Sequence[str], name: str) -> tuple[int, str]:
    return (vocab.index(name), name) if name in vocab else (len(vocab), name)


def split_revisions(claims: Sequence[Figure]) -> tuple[list[Figure], list[Figure]]:
    """(current, superseded): of the dated claims one claimant made in one source about one
    metric+subject, only those of the latest date are current; undated claims always are.  A
    claim its claimant withdrew (`withdrawn` set) is superseded whatever its date, and still
    supersedes the claims dated before it (withdrawing the latest count does not bring back
    an older one)."""
    latest: dict[tuple[str, str], str] = {}
    for f in claims:
        if f.date:
            key = (f.claimed_by, f.source)
            if f.date > latest.get(key, ""):
                latest[key] = f.date
    current, old = [], []
    for f in claims:
        if f.withdrawn or (f.date and f.date < latest[(f.claimed_by, f.source)]):
            old.append(f)
        else:
            current.append(f)
    return current, old


def _disputed(claims: Sequence[Figure]) -> bool:
    """No number every claim allows (on a line, pairwise overlap means a common point)."""
    lo, hi = 0, None
    for f in claims:
        a, b = interval(f)
        lo = max(lo, a)
        if b is not None:
            hi = b if hi is None else min(hi, b)
        if hi is not None and lo > hi:
            return True
    return False


def _sort_key(f: Figure) -> tuple[int, int, bool, int, str, str, str, str]:
    lo, hi = interval(f)
    return (point(f), lo, hi is None, hi or 0, f.qualifier, f.claimed_by, f.source, f.date or "")


def compare(figures: Iterable[Figure]) -> list[Comparison]:
    """One comparison per metric+subject, in a stable reading order (killed first, total first)."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        groups.setdefault((f.metric, f.subject), []).append(f)
    out = []
    for (metric, subject), claims in groups.items():
        current, old = split_revisions(claims)
        current.sort(key=_sort_key)
        old.sort(key=lambda f: (f.claimed_by, f.source, f.date or ""))
        # a dispute takes two claims (one impossible claim alone, `fewer than 0`, is not one)
        out.append(Comparison(metric, subject, tuple(current), len(claims) > 1 and _disputed(current), tuple(old)))
    out.sort(key=lambda c: (_order(METRICS_DOC, c.metric), _order(SUBJECTS_DOC, c.subject)))
    for i, c in enumerate(out):
        if c.subject == "total" and c.claims:  # a disputed total too: its range runs to its groups
            lows = [iv[0] for r in out if r.metric == c.metric and r is not c and (iv := r.interval) is not None]
            if _outnumbered(c.interval, lows):
                out[i] = c._replace(disputed=True, outnumbered=True)
    return out


def disputed_rows(rows: Sequence[Comparison]) -> list[Comparison]:
    """The comparisons a reader needs to see a dispute: every row of a metric with a disputed
    row, as a total and its groups are read together (a lone `5 killed` under "where sources
    disagree" showed no disagreement with the 10 civilians it is disputed by)."""
    disputed = {c.metric for c in rows if c.disputed}
    return [c for c in rows if c.metric in disputed]


def _outnumbered(total: Interval | None, lows: Sequence[int]) -> bool:
    """Whether groups of a metric (each at the least its claims allow) outnumber the total claim
    of it: they cannot all be true, as a group is part of the total and the groups do not overlap
    (the curation rule `event_total` sums them by)."""
    return total is not None and total[1] is not None and bool(lows) and sum(lows) > total[1]


def is_disputed(figures: Sequence[Figure]) -> bool:
    """Whether any metric+subject of these figures has current claims that cannot all hold, or
    a metric's groups outnumber its total claim: `compare`'s own verdict, asked only of two
    figures or more (one claim alone disputes nothing; an ACLED row has one)."""
    return len(figures) > 1 and any(c.disputed for c in compare(figures))


class Total(NamedTuple):
    """An event's number for one metric: the total claim's, or a sum over disjoint subjects.

    `high` None means open-ended ("at least").  `derived` marks a sum we made (or a single
    subject standing in for a total no one gave); `parts` are the comparisons it came from."""

    low: int
    high: int | None
    derived: bool
    parts: tuple[Comparison, ...]
    metric: str = "killed"
    raised: bool = False  # a total claim whose groups, its parts, say more: its floor is theirs

    @property
    def disputed(self) -> bool:
        return any(c.disputed for c in self.parts)

    @property
    def number(self) -> str:
        """The number alone: a single claim in its own words (`<~100`, `hundreds (read as ≥ 100)`);
        a total its groups outnumber, from its lowest claim to theirs (`5–10`, `<5 to 5`); else
        the interval (`182`, `≥182`, `2–≥10` for a dispute)."""
        if len(self.parts) == 1:
            return self.parts[0].span
        if self.raised:  # at least what its groups say (`many` in all, 3 of them perpetrators: ≥3)
            return interval_text((self.low, self.high))
        if not self.derived:  # a total its groups outnumber: from its lowest claim to theirs
            first = self.parts[0].ends[0]
            if self.high is None:
                top = "≥" + f"{sum(iv[0] for c in self.parts[1:] if (iv := c.interval) is not None):,}"
            else:
                top = f"{self.high:,}"
            exact = first.qualifier == "exact" and first.value is not None and self.high is not None
            return quantity(first) + ("–" if exact else " to ") + top
        return interval_text((self.low, self.high))

    @property
    def terms(self) -> str:
        """What a cell too narrow for words shows: `number`, but a sum of several groups as
        its parts (`13+≥169`), each a number a source gave; the sum (`≥182`) no one said.  A
        vague word keeps its word and its reading, shortened: `many (≥2)`."""
        if self.derived and len(self.parts) > 1:
            out = "+".join(c.span for c in self.parts)
        else:
            out = self.number
        return out.replace(_READ_AS, " (≥")

    @property
    def rank(self) -> int:
        """The number the event ranks by (key events, the `killed` order): the top of its
        range; open-ended, the highest number a claim states, so "4" against "at least 15"
        ranks as 15, not 4, and never above a number someone said (`13+≥169` as 182)."""
        if self.high is not None:
            return self.high
        tops = [_top(c) for c in self.parts]
        if self.derived:
            return sum(tops)
        return max(tops[0], sum(tops[1:]))  # a total its groups outnumber, or alone

    # The names a Comparison has, so one-line views (key events, list rows) take either.
    @property
    def span(self) -> str:
        return self.number

    @property
    def subject(self) -> str:
        """`total` for a total claim; for a derived total what it was summed from."""
        if not self.derived:
            return "total"
        if len(self.parts) == 1:
            return self.parts[0].subject
        return "(sum of " + " + ".join(c.subject for c in self.parts) + ")"

    @property
    def claimants(self) -> tuple[str, ...]:
        """Who gave the numbers `number` is made of (`Comparison.sayers` of each part)."""
        return tuple(dict.fromkeys(a for c in self.parts for a in c.sayers))

    @property
    def others(self) -> tuple[tuple[str, str], ...]:
        """(claimant, its own number) of the claimants that agree with a looser number
        (`Comparison.others`); a group's number is followed by its group."""
        out: list[tuple[str, str]] = []
        for c in self.parts:
            for a, number in c.others:
                out.append((a, f"{number} {c.subject}" if c.subject != "total" else number))
        return tuple(out)

    @property
    def sum_of_parts(self) -> bool:
        """A sum of several groups no source gave as a total (`13 us-military + ≥169 afghans`)."""
        return self.derived and len(self.parts) > 1

    def pieces(self) -> list[tuple[str, bool]]:
        """What a one-line view writes before `per`, as (text, whether it is a number) pieces
        (a view styles the numbers): the number and what it counts; a sum of several groups as
        its parts, each a number a source gave, then the sum, which no one said: `13 us-military
        + ≥169 afghans (sum ≥182)` (`per` then names who gave the parts; `≥182 … per X` read as
        X's total); a raised total as its number beside the total claim's and the groups'."""

        def groups(parts: Sequence[Comparison]) -> list[tuple[str, bool]]:
            out: list[tuple[str, bool]] = []
            for i, c in enumerate(parts):
                out += [(" + " if i else "", False), (c.span, True), (f" {c.subject}", False)]
            return out

        if self.sum_of_parts:
            return [*groups(self.parts), (f" (sum {self.number})", False)]
        if self.raised:
            head = [(self.number, True), (f" ({self.parts[0].span} in all, ", False)]
            return [*head, *groups(self.parts[1:]), (")", False)]
        return [(self.number, True)] + ([] if self.subject == "total" else [(f" {self.subject}", False)])

    def stated(self) -> str:
        """`pieces` as one text (the Markdown export's)."""
        return "".join(text for text, _number in self.pieces())

    def text(self) -> str:
        """`17`, `≥182 (sum of us-military + afghans)`, `3 militants`."""
        if not self.derived:
            return self.number
        return f"{self.number} {self.subject}"

    def __str__(self) -> str:
        return self.text()


def _top(c: Comparison) -> int:
    """The highest number a comparison's current claims state: a closed claim's top, an
    open one's floor (0 with no current claim)."""
    return max((hi if hi is not None else lo for lo, hi in map(interval, c.claims)), default=0)


def event_total(figures: Iterable[Figure], metric: str = "killed") -> Total | None:
    """An event's total for `metric`: the total claim when one exists; else the sum of the
    claims about its subjects (taken as disjoint groups: the curation rule is that an event's
    subjects do not overlap), marked derived, never the largest single group.  A disputed
    part counts with the hull of its claims (lowest low, highest high); a total claim its
    groups outnumber, up to what they claim together; a total claim whose groups say more
    than its floor without outnumbering it ("many" in all, 3 of them perpetrators), at least
    what they say (`raised`).  None: no figure."""
    return total_of(compare(f for f in figures if f.metric == metric), metric)


def total_of(rows: Sequence[Comparison], metric: str = "killed") -> Total | None:
    """`event_total` from the comparisons of one metric, in `compare`'s order (those of a
    `compare` of all the figures, kept for the metric: the index builds each event's once).
    A comparison with no current claim (every claim withdrawn) has no number and is left out:
    when it is all there is, the event has no figure (None), never zero."""
    spans = [(c, iv) for c in rows if (iv := c.interval) is not None]  # None: no current claim
    if not spans:
        return None
    for c, (lo, hi) in spans:
        if c.subject == "total":
            if not c.outnumbered:
                # its groups are its parts: when they say more than its floor (a total of "many",
                # 3 of them perpetrators), the event's dead are at least theirs, not a group dropped
                parts = tuple(g for g, _iv in spans if g is not c)
                floor = sum(iv[0] for g, iv in spans if g is not c)
                if parts and floor > lo:
                    return Total(floor, hi, False, (c, *parts), metric, raised=True)
                return Total(lo, hi, False, (c,), metric)
            # outnumbered: its range runs to what its groups claim, and they are its parts too
            groups = [(g, iv) for g, iv in spans if g is not c]
            highs = [h for _g, (_lo, h) in groups]
            if hi is not None:
                hi = None if None in highs else max(hi, sum(h for h in highs if h is not None))
            return Total(lo, hi, False, (c, *(g for g, _iv in groups)), metric)
    low, high = 0, 0
    open_ended = False
    for _c, (lo, hi) in spans:
        low += lo
        if hi is None:
            open_ended = True
        else:
            high += hi
    return Total(low, None if open_ended else high, True, tuple(c for c, _iv in spans), metric)


class Totals(NamedTuple):
    """A metric summed over many events: "N–M killed across K events; J events with no figure"."""

    low: int
    high: int | None  # None: some event's total is open-ended ("at least")
    events: int  # events with a figure
    unknown: int  # events with none: unknown, never zero
    derived: int  # events whose total we summed from subjects
    metric: str = "killed"
    open_ended: int = 0  # events whose total has no upper bound

    def text(self) -> str:
        if not self.events:
            return f"no {self.metric} figure in {counted(self.unknown, 'event')}"
        k = counted(self.events, "event")
        if self.high is None:
            n = self.open_ended
            out = f"at least {self.low:,} {self.metric} across {k} ({n} of them open-ended: no upper bound)"
        else:
            out = f"{interval_text((self.low, self.high))} {self.metric} across {k}"
        if self.unknown:
            out += f"; {counted(self.unknown, 'event')} with no figure"
        return out


def sum_totals(per_event: Iterable[Total | None], metric: str = "killed") -> Totals:
    """Event totals added up; events without a figure counted apart, never as zero."""
    low, high, events, unknown, derived, open_ended = 0, 0, 0, 0, 0, 0
    for t in per_event:
        if t is None:
            unknown += 1
            continue
        events += 1
        derived += t.derived
        low += t.low
        if t.high is None:
            open_ended += 1
        else:
            high += t.high
    return Totals(low, None if open_ended else high, events, unknown, derived, metric, open_ended)
