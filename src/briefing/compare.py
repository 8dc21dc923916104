"""Figure comparison: the claims about one thing, side by side, never averaged, never dropped.

A *comparison* gathers the claims of one event (or actor) about the same metric and
subject — "security forces killed" — and keeps each claim whole.  It is *disputed* when the
claims do not all state the same quantity (value, range or qualifier): 2 per the Interior
Ministry against at least 10 per the Islamic State is a dispute.  Two claimants stating the
same number are shown as agreeing, not as a dispute — flagging agreement would cry wolf.
"""

# No postponed annotations: NamedTuple would compile a ForwardRef for each (see records.py).

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from briefing.records import Figure
from briefing.vocab import METRICS_DOC, QUALIFIERS, SUBJECTS_DOC


def quantity(f: Figure) -> str:
    """How a claim's number reads everywhere: `17`, `≥10`, `>20`, `~100`, `200–999`."""
    sym = QUALIFIERS.get(f.qualifier, "")
    if f.value is not None:
        return f"{sym}{f.value:,}"
    return f"{sym}{f.low:,}–{f.high:,}"


def point(f: Figure) -> int:
    """The number a claim is anchored on, for ordering claims from lowest to highest."""
    return f.value if f.value is not None else (f.low or 0)


def bounds(f: Figure) -> tuple[int, int | None]:
    """The interval a claim allows; None as the upper bound means open-ended ("at least 10")."""
    if f.value is None:
        return (f.low or 0, f.high)
    v = f.value
    q = f.qualifier
    if q == "at-least":
        return (v, None)
    if q == "more-than":
        return (v + 1, None)
    if q == "up-to":
        return (0, v)
    if q == "fewer-than":
        return (0, max(v - 1, 0))
    if q == "nearly":
        return (0, v)
    return (v, v)


def _stated(f: Figure) -> tuple[int | None, int | None, int | None, str]:
    return (f.value, f.low, f.high, f.qualifier)


class Comparison(NamedTuple):
    metric: str
    subject: str
    claims: tuple[Figure, ...]  # lowest first, every claim kept
    disputed: bool

    @property
    def span(self) -> str:
        """The range the claims cover, as printed: `17`, `2–≥10`, `>20–≥32`.

        When an end is itself a range (`~200–999`), the ends are joined with ` to ` so the
        dash inside a claim is never mistaken for the dash between claims.
        """
        first, last = self.claims[0], self.claims[-1]
        lo, hi = quantity(first), quantity(last)
        if lo == hi:
            return lo
        joiner = "–" if first.value is not None and last.value is not None else " to "
        return f"{lo}{joiner}{hi}"

    @property
    def low(self) -> int:
        return min(bounds(f)[0] for f in self.claims)

    @property
    def high(self) -> int | None:
        highs = [bounds(f)[1] for f in self.claims]
        return None if any(h is None for h in highs) else max(h for h in highs if h is not None)

    @property
    def claimants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.claimed_by for f in self.claims))

    @property
    def label(self) -> str:
        return self.metric if self.subject == "total" else f"{self.metric} · {self.subject}"


def _order(vocab: Sequence[str], name: str) -> tuple[int, str]:
    return (vocab.index(name), name) if name in vocab else (len(vocab), name)


def compare(figures: Iterable[Figure]) -> list[Comparison]:
    """One comparison per metric+subject, in a stable reading order (killed first, total first)."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        groups.setdefault((f.metric, f.subject), []).append(f)
    out = []
    for (metric, subject), claims in groups.items():
        claims.sort(key=lambda f: (point(f), bounds(f)[1] is None, f.qualifier, f.claimed_by, f.source))
        disputed = len({_stated(f) for f in claims}) > 1
        out.append(Comparison(metric, subject, tuple(claims), disputed))
    out.sort(key=lambda c: (_order(METRICS_DOC, c.metric), _order(SUBJECTS_DOC, c.subject)))
    return out


def headline(figures: Iterable[Figure], metric: str = "killed") -> Comparison | None:
    """The comparison a one-line list shows for a metric: the `total` count when someone gave one,
    else the subject with the most claims.  Never a sum of subjects: that would be our number."""
    rows = [c for c in compare(f for f in figures if f.metric == metric)]
    if not rows:
        return None
    for c in rows:
        if c.subject == "total":
            return c
    # No total: the subject most sources speak to, then the largest; a lower bound on the
    # whole (like ACLED's conservative count), never an addition of ours.
    return max(rows, key=lambda c: (len(c.claims), max(point(f) for f in c.claims)))


def disputes(figures: Iterable[Figure]) -> list[Comparison]:
    return [c for c in compare(figures) if c.disputed]


def is_disputed(figures: Sequence[Figure]) -> bool:
    if len(figures) < 2:
        return False
    seen: dict[tuple[str, str], tuple[int | None, int | None, int | None, str]] = {}
    for f in figures:
        key = (f.metric, f.subject)
        stated = _stated(f)
        if seen.setdefault(key, stated) != stated:
            return True
    return False
