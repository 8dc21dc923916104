"""What a brief says, worked out once and headless (no Rich), for the terminal brief and the
Markdown export alike, so the two never tell a different story.  It sits in the analysis
layer (see docs/architecture.md): `render`, `export` and `commands` read it; it reads only
the model (`records`, `compare`, `vocab`).

Nothing here merges claims: the bottom line's death range sums each event's total
(`compare.event_total`: the total claim, else a derived sum over disjoint subjects), counts
the events with no figure apart (unknown is never zero), and every dispute keeps every claim
with its claimant.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from briefing.compare import Comparison, Total, Totals, compare, disputed_rows, sum_totals, total_of
from briefing.display import counted
from briefing.problems import skipped_text
from briefing.records import Actor, Event, Source, date_high, date_low
from briefing.vocab import GAVE_FIGURES

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.filters import Query

# A brief is read by a person: past these, the rest is counted, not listed.
KEY_EVENTS_LIMIT = 50
DISPUTES_LIMIT = 40
ACTORS_LIMIT = 60
SOURCES_LIMIT = 60

ROLE_ORDER = ("perpetrator", "claimant", "target", "responder", "mentioned", GAVE_FIGURES)


def now_utc() -> float:
    """The time a brief or export was made (epoch seconds); `SOURCE_DATE_EPOCH` pins it for
    reproducible output, as in reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return float(epoch)
    return time.time()


def stamp(moment: float | None = None) -> str:
    """`2024-05-01T09:30:00Z`: UTC, to the second (the `time` module: no datetime import)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now_utc() if moment is None else moment))


#: after a date the source did not give whole: the event's `date_note` says how it was worked out
WORKED_OUT = "*"


def date_shown(event: Event) -> str:
    """The event's date as a list shows it, marked `WORKED_OUT` when its record says how it was
    worked out (`date_note`): a year or a day the article never gave read as said (QA s17)."""
    return event.date + WORKED_OUT if event.date_note else event.date


def place(event: Event) -> str:
    """Where, shortly: admin1 and country (the full location is for the event detail)."""
    if event.admin1 and event.admin1 != event.country:
        return f"{event.admin1}, {event.country}"
    return event.country


def type_label(event: Event) -> str:
    from briefing.vocab import EVENT_TYPE_SHORT, SUB_EVENT_TYPES

    label = EVENT_TYPE_SHORT.get(event.type, event.type)
    if event.sub_type:
        sub = SUB_EVENT_TYPES.get(event.type, {}).get(event.sub_type, event.sub_type)
        label = f"{label} · {sub[:1].lower()}{sub[1:]}"
    return label


def roles_in(event: Event) -> dict[str, list[str]]:
    """actor id -> roles in this event, and `GAVE_FIGURES` for a figure's claimant (as Dataset
    does)."""
    roles: dict[str, list[str]] = {}
    for ar in event.actors:
        r = roles.setdefault(ar.actor, [])
        if ar.role not in r:
            r.append(ar.role)
    for f in event.figures:
        r = roles.setdefault(f.claimed_by, [])
        if GAVE_FIGURES not in r:
            r.append(GAVE_FIGURES)
    return roles


def role_summary(counts: Counter[str]) -> str:
    """`perpetrator 3, claimant 1`, in a fixed role order."""
    order = {r: i for i, r in enumerate(ROLE_ORDER)}
    return ", ".join(f"{r} {n}" for r, n in sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))


def references(events: Iterable[Event]) -> tuple[list[str], list[str]]:
    """(actor ids the events reference: roles and claimants; source ids: cited, carrying a
    claim or relaying one), each in first-seen order, in one pass over the events (a view's
    events are read from the store on each pass)."""
    actors: dict[str, None] = {}
    sources: dict[str, None] = {}
    for e in events:
        for ar in e.actors:
            actors.setdefault(ar.actor)
        for s in e.sources:
            sources.setdefault(s)
        for f in e.figures:
            actors.setdefault(f.claimed_by)
            sources.setdefault(f.source)
            if f.via:
                sources.setdefault(f.via)
    return list(actors), list(sources)


# Plain classes, not dataclasses: building a dataclass at import is measurable, and this
# module is on the brief's measured path.
class KeyEvent:
    __slots__ = ("event", "killed", "disputes", "by", "others")

    def __init__(
        self,
        event: Event,
        killed: Total | None,
        disputes: int,
        by: tuple[str, ...],
        others: tuple[Comparison, ...] = (),
    ) -> None:
        self.event = event
        self.killed = killed  # the event's killed total (the total claim, else a derived sum)
        self.disputes = disputes  # disputed comparisons in this event
        self.by = by  # actor ids: perpetrators, then claimants of responsibility
        self.others = others  # its figures beyond killed (`other_figures`)


#: a key event lists this many of its figures beyond killed, then counts the rest (`brief --event` has them all)
OTHER_FIGURES_LIMIT = 4


def other_figures(rows: Sequence[Comparison]) -> tuple[Comparison, ...]:
    """An event's figures other than killed (the key events' killed column says those), disputed
    first, in the record's order: a brief that gave deaths alone hid "20–30 detained" and read a
    strategic estimate ("about 10,000 militants") as `-` (QA s14).  And a group's deaths when
    its claims disagree: the killed column says the total, and the border post's row was
    marked `!` beside an agreed "17" with the dispute (2 guards per the authorities, at least
    10 per the Islamic State) nowhere in it (review s15)."""
    out = [c for c in rows if c.metric != "killed" or (c.disputed and c.subject != "total")]
    out.sort(key=lambda c: not c.disputed)
    return tuple(out)


def said_by(sayers: Iterable[str], others: Iterable[tuple[str, str]], name: Callable[[str], str]) -> str:
    """Who gave the number a one-line view shows: the claimants who said it, then each whose
    looser number agrees with it, with its own (`Islamic State: >20`); '' for no one.  One
    wording for a total (`Total.claimants`, `others`) and a figure (`Comparison.sayers`, `others`)."""
    return "; ".join([*(name(a) for a in sayers), *(f"{name(a)}: {own}" for a, own in others)])


def figure_said(c: Comparison, name: Callable[[str], str]) -> tuple[str, str, str]:
    """(label, number, who) of a figure beyond killed, as the killed column says a total: the
    number the claims agree on, or when disputed the lowest and the highest claimed, and who
    said it (`said_by`).  No current claim: the number reads `withdrawn` and no one is named."""
    return c.label, c.span, said_by(c.sayers, c.others, name)


def more_figures(k: KeyEvent) -> str:
    """`+2 more figures` past the `OTHER_FIGURES_LIMIT` a key event lists ('' for none)."""
    n = len(k.others) - OTHER_FIGURES_LIMIT
    return f"+{n} more figures" if n > 0 else ""


def figure_line(c: Comparison, name: Callable[[str], str]) -> str:
    """`! fled · attackers: 4–6 per Interior Ministry; Border guards` (`figure_said` in a line;
    `!`: disputed), for the Markdown brief; the terminal brief styles the same parts."""
    label, number, who = figure_said(c, name)
    return f"{'! ' if c.disputed else ''}{label}: {number}" + (f" per {who}" if who else "")


class BriefData:
    """What the brief says; `more` maps a section to how many items were left unlisted."""

    def __init__(self, **kw: Any) -> None:
        self.query: str = kw["query"]
        self.generated_at: str = kw["generated_at"]
        self.counts: dict[str, int] = kw["counts"]
        self.events: Sequence[Event] = kw["events"]
        self.period: tuple[str, str] | None = kw["period"]
        self.countries: list[tuple[str, int]] = kw["countries"]
        self.key_events: list[KeyEvent] = kw["key_events"]
        self.disputed_events: list[tuple[Event, list[Comparison]]] = kw["disputed_events"]
        self.disputed_figures: int = kw["disputed_figures"]
        self.compared_figures: int = kw["compared_figures"]  # figures two claims or more give
        self.disputed_event_count: int = kw["disputed_event_count"]
        self.deaths: Totals = kw["deaths"]
        self.actors: list[tuple[Actor, Counter[str]]] = kw["actors"]
        self.actor_disputes: list[tuple[Actor, list[Comparison]]] = kw["actor_disputes"]
        self.sources: list[Source] = kw["sources"]
        self.profiles: list[Actor] = kw.get("profiles") or []
        # each profile lists its actor's every event: not under a filter narrower than the
        # actors (`only_actors`), where the list, ignoring it, ran ahead of the brief (QA s18)
        self.profiles_listed: bool = True
        self.more: dict[str, int] = kw.get("more") or {}
        # invalid records a load with --skip-invalid left out: said in the brief itself, which
        # may be read far from the run's stderr
        self.skipped: int = kw.get("skipped", 0)
        self.skipped_text: str = kw.get("skipped_text", "")  # `problems.skipped_text`
        # events ACLED removed that the query, asking what changed, also matches (`filters.removed_left_out`)
        self.removed_also: int = kw.get("removed_also", 0)
        self.removed_hidden: int = kw.get("removed_hidden", 0)  # `filters.removed_hidden`
        # the flags that chose the data and the events (`--data`, `--filter`, ...): a hint to
        # run an export for what the brief left out must run it on the same events
        self.again: tuple[str, ...] = tuple(kw.get("again", ()))

    @property
    def title(self) -> str:
        return f"Brief: {self.query}" if self.query else "Brief: all events"

    def dataset_text(self) -> str:
        """What the data directory holds, as the brief's and the Markdown export's header say it."""
        c = self.counts
        return ", ".join(counted(c[k + "s"], k) for k in ("event", "actor", "source", "figure"))

    @property
    def bundled(self) -> bool:
        """Whether the data is the bundled sample: the flags that chose it name no folder (QA
        s16: a cron job that lost its BRIEFING_DATA mailed a brief of it without a word)."""
        return not any(w.startswith("--data") for w in self.again)

    def selected_text(self) -> str:
        """`8 selected of 8 (not counting 1 event ACLED removed: …)`: the total is of what a
        filter can select; the removed events hidden are said beside it when nothing else is
        asked (QA s16: `8 selected of 9` with no filter read as an event left out), not beside a
        filter's count, where it would read as removed events matching it."""
        total = self.counts["events"] - self.removed_hidden
        hidden = (
            f" (not counting {counted(self.removed_hidden, 'event')} ACLED removed: `removed` lists them)"
            if self.removed_hidden and not self.query
            else ""
        )
        return f"{len(self.events):,} selected of {total:,}{hidden}"

    def removed_text(self) -> str:
        """What the header says of the removed events a `changed:` query leaves out ('' for none)."""
        n = self.removed_also
        if not n:
            return ""
        from briefing.filters import removed_text

        return removed_text(n)

    def period_text(self) -> str:
        if not self.period:
            return "-"
        lo, hi = self.period
        return lo if lo == hi else f"{lo} to {hi}"

    def disputes_sentence(self) -> str:
        """The bottom line's disputes; with none, whether any figure had two claims to compare
        (QA s14: "where several claims exist, they agree" was said of ACLED's rows, one count
        an event, where nothing was compared)."""
        d, c = self.disputed_figures, self.compared_figures
        if d:
            return (
                f"{counted(d, 'disputed figure')} in {counted(self.disputed_event_count, 'event')}: "
                "the sources give different numbers, shown side by side below."
            )
        if c:
            if c == 1:
                return "No disputed figures: the one figure that several claims give, they agree on."
            return f"No disputed figures: the {c:,} figures that several claims give, they agree on."
        return "No disputed figures: no figure here has two claims to compare."

    def nowhere_text(self) -> str:
        """ "Where sources disagree" with nothing to show: that the claims agree only where some
        were compared (QA s15: said of ACLED's rows, one count an event, under a bottom line
        saying nothing was compared)."""
        if self.compared_figures:
            return "Nowhere: wherever a figure has several claims, they can all be true."
        return "Nowhere: no figure here has two claims to compare."

    def bottom_line(self) -> list[str]:
        """The bottom line as sentences (no markup: the renderers style them)."""
        n = len(self.events)
        where = ", ".join(c for c, _ in self.countries[:6])
        if len(self.countries) > 6:
            where += f" and {len(self.countries) - 6} more"
        lines = [f"{counted(n, 'event')} from {self.period_text()} in {where}."]
        lines.append(self.disputes_sentence())
        derived = self.deaths.derived
        how = "per event, its total claim, or where none was given the sum of its groups"
        if derived:
            how += f" ({counted(derived, 'event')})"
        lines.append(f"Deaths: {self.deaths.text()}. Counted {how}; claims are never averaged.")
        return lines


def profile_actors(ds: Dataset, query: Query) -> list[Actor]:
    """The actors a query asks for by `actor:` (not negated), in the order named: the brief
    and the Markdown export open with their profiles."""
    ids: dict[str, None] = {}
    for term in query.terms:
        if term.field == "actor" and not term.negated:
            for value in term.values:
                for aid in ds.actors_by_name(value):
                    ids.setdefault(aid)
    return [a for a in (ds.actor(i) for i in ids) if a is not None]


def only_actors(query: Query) -> bool:
    """Whether a query asks for an actor and nothing else (`actor:X`, `--actor X`, `actor:X,Y`:
    any of them): its brief's profiles then list their every event; a narrower one names the
    command instead (`actor:X actor:Y`, the events naming both: QA s18's regression pass)."""
    return len(query.terms) == 1 and query.terms[0].field == "actor" and not query.terms[0].negated


#: a selection of at least this many events is summed up in SQL over the dataset's index
#: (`trend_queries.gather_index`), when the caller gives the query; see bench/README.md.  A
#: dataset kept in the store (a view: its index is there already) is summed in SQL whatever
#: the size: its events would have to be read back to be summed in Python.
INDEX_MIN = 20_000


def key_event(e: Event, rows: Sequence[Comparison], killed: Total | None = None) -> KeyEvent:
    """A key event's row from its comparisons (`compare.compare`, once) and its total (`killed`:
    worked out from them when not given)."""
    if killed is None and rows:
        killed = total_of([c for c in rows if c.metric == "killed"])
    by = [ar.actor for ar in e.actors if ar.role == "perpetrator"]
    by += [ar.actor for ar in e.actors if ar.role == "claimant" and ar.actor not in by]
    return KeyEvent(e, killed, sum(c.disputed for c in rows), tuple(by), other_figures(rows))


def rank_actors(ds: Dataset, role_counts: dict[str, Counter[str]]) -> list[tuple[Actor, Counter[str]]]:
    """Who did things first (perpetrators, claimants), then by how often they appear; ties in
    the order `role_counts` holds them (first met)."""
    actors: list[tuple[Actor, Counter[str]]] = []
    for aid, c in role_counts.items():
        a = ds.actor(aid)
        if a is not None:
            actors.append((a, c))
    actors.sort(
        key=lambda ac: (-(ac[1]["perpetrator"] + ac[1]["claimant"]), -sum(ac[1].values()), ac[0].name.casefold())
    )
    return actors


def disputed_about(actors: Iterable[tuple[Actor, Counter[str]]]) -> list[tuple[Actor, list[Comparison]]]:
    out = []
    for a, _ in actors:
        if a.figures:
            dis = disputed_rows(compare(a.figures))
            if dis:
                out.append((a, dis))
                if len(out) == DISPUTES_LIMIT:
                    break
    return out


def sorted_sources(ds: Dataset, ids: Iterable[str]) -> list[Source]:
    sources = [s for s in (ds.source(sid) for sid in ids) if s is not None]
    sources.sort(key=lambda s: (s.reliability, s.name.casefold(), s.id))
    return sources


def left_out(events: int, listed: int, disputed: int, actors: int, sources: int) -> dict[str, int]:
    """What a brief counts but does not list, past each list's limit ("… and 12 more")."""
    more = {}
    if events > listed:
        more["key events"] = events - listed
    if disputed > DISPUTES_LIMIT:
        more["disputes"] = disputed - DISPUTES_LIMIT
    if actors > ACTORS_LIMIT:
        more["actors"] = actors - ACTORS_LIMIT
    if sources > SOURCES_LIMIT:
        more["sources"] = sources - SOURCES_LIMIT
    return more


def gather(
    ds: Dataset,
    events: Sequence[Event],
    query: str,
    *,
    generated_at: str | None = None,
    profiles: Sequence[Actor] = (),
    selection: Query | None = None,
) -> BriefData:
    """Everything a brief shows about `events` (already filtered, newest first).

    `selection`: the query that selected `events`; given, and `events` many (`INDEX_MIN`) or
    `ds` a view, the brief is summed up in SQL over the dataset's index, reading back only the
    events it lists."""
    if selection is not None and (len(events) >= INDEX_MIN or getattr(ds, "index", None) is not None):
        from briefing.trend_queries import gather_index

        return gather_index(ds, selection, events, query, generated_at=generated_at, profiles=profiles)
    key: list[KeyEvent] = []
    disputed_events: list[tuple[Event, list[Comparison]]] = []
    disputed_figures = compared_figures = 0
    totals: list[Total | None] = []
    countries: Counter[str] = Counter()
    role_counts: dict[str, Counter[str]] = {}
    lo_date = hi_date = None
    for e in events:
        countries[e.country] += 1
        lo_e, hi_e = date_low(e.date), date_high(e.date)
        if lo_date is None or lo_e < lo_date[0]:
            lo_date = (lo_e, e.date)
        if hi_date is None or hi_e > hi_date[0]:
            hi_date = (hi_e, e.date)
        rows = compare(e.figures) if e.figures else []
        dis = [c for c in rows if c.disputed]
        if dis:
            disputed_events.append((e, disputed_rows(rows)))
            disputed_figures += len(dis)
        compared_figures += sum(c.compared for c in rows)
        killed = total_of([c for c in rows if c.metric == "killed"]) if rows else None
        totals.append(killed)
        roles = roles_in(e)
        for aid, rs in roles.items():
            c = role_counts.setdefault(aid, Counter())
            for r in rs:
                c[r] += 1
        if len(key) < KEY_EVENTS_LIMIT:
            key.append(key_event(e, rows, killed))

    actors = rank_actors(ds, role_counts)
    actor_disputes = disputed_about(actors)
    sources = sorted_sources(ds, references(events)[1])

    more = left_out(len(events), len(key), len(disputed_events), len(actors), len(sources))

    return BriefData(
        query=query,
        generated_at=generated_at or stamp(),
        counts=ds.counts(),
        skipped=ds.skipped,
        skipped_text=skipped_text(ds.skipped, ds.problems),
        events=list(events),
        period=(lo_date[1], hi_date[1]) if lo_date and hi_date else None,
        countries=countries.most_common(),
        key_events=key,
        disputed_events=disputed_events[:DISPUTES_LIMIT],
        disputed_figures=disputed_figures,
        compared_figures=compared_figures,
        disputed_event_count=len(disputed_events),
        deaths=sum_totals(totals),
        actors=actors[:ACTORS_LIMIT],
        actor_disputes=actor_disputes,
        sources=sources[:SOURCES_LIMIT],
        profiles=list(profiles),
        more=more,
    )
