"""`--format csv --table events|figures|actors`: the tables a spreadsheet user wants.

UTF-8, a header row, RFC 4180 quoting.  Text goes through the display boundary first
(`display.clean`: ESC, C1, DEL and bidi overrides become visible `\\x1b`-style escapes;
newline and tab stay), because a CSV on stdout is shown by a terminal; JSON is the exact
export.  A text cell a spreadsheet would run as a formula
(starting with `=`, `+`, `-`, `@`, tab or CR) is neutralised with a leading `'`; numbers from
number fields (value, low, high, lat, lon, counts) are written as numbers, so `-3.5` stays a
number and only text is touched.  `figures` has one row per claim: claims are never merged.

Each table's columns come from its record's fields (`briefing.records`, where a kind's fields
are declared once): a layout gives the order of the columns a spreadsheet user knows, naming
record fields (read off the record: a tuple of strings is joined with `; `) and computed
columns (the row function supplies them by name: killed span, disputed, parent_name, a
field shown otherwise, such as source ids as names); a record field the layout does not
place is added at the end, so a new field reaches the CSV without a change here.  Fields
holding records (an event's actors and figures, an actor's relations) are never plain
columns: the computed columns and the figures table say them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from briefing.display import clean, counted
from briefing.records import Actor, Event, Figure

if TYPE_CHECKING:
    from collections import Counter

    from briefing.dataset import Dataset
    from briefing.export import Context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns(record: Any, layout: Sequence[str]) -> tuple[str, ...]:
    """A table's columns: the layout, then the record's plain fields it does not place (in
    the record's order); a field holding records is not a plain field."""
    nested = {name for name, tp in record.__annotations__.items() if _holds_records(tp)}
    return (*layout, *(f for f in record._fields if f not in layout and f not in nested))


def _holds_records(tp: Any) -> bool:
    return getattr(tp, "__origin__", None) is tuple and hasattr(tp.__args__[0], "_fields")


EVENT_COLUMNS = columns(
    Event,
    (
        "id",
        "date",
        "date_precision",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "lat",
        "lon",
        "type",
        "sub_type",
        "title",
        "killed",
        "killed_low",
        "killed_high",
        "killed_derived",
        "killed_claimants",
        "killed_consistent",
        "disputed_figures",
        "perpetrators",
        "claimants",
        "tags",
        "sources",
        "summary",
        # as they stood before `place_note` (2026-12): a column added goes last, so that a
        # script reading columns by position reads the same ones
        "date_note",
        "related",
    ),
)
FIGURE_COLUMNS = columns(
    Figure,
    (
        "record_kind",
        "record_id",
        "date",
        "country",
        "metric",
        "subject",
        "value",
        "low",
        "high",
        "qualifier",
        "claimed_by",
        "claimant",
        "source",
        "source_name",
        "reliability",
        "credibility",
        "via",
        "note",
        "via_name",
        "claim_date",
        "wording",
        "best",
        "vague",
        "disputed",
        "superseded",
    ),
)
ACTOR_COLUMNS = columns(
    Actor,
    ("id", "name", "kind", "aliases", "parent", "parent_name", "country", "events", "roles", "summary", "sources"),
)
COLUMNS = {"events": EVENT_COLUMNS, "figures": FIGURE_COLUMNS, "actors": ACTOR_COLUMNS}


def _row(record: Any, cols: Sequence[str], computed: Mapping[str, Any]) -> list[Any]:
    """A row in cols' order: a computed value by its column's name, else the record's field
    of that name (a tuple joined)."""
    out = []
    for c in cols:
        v = computed[c] if c in computed else getattr(record, c)
        out.append(_joined(v) if type(v) is tuple else v)
    return out


def neutralise(value: Any) -> Any:
    """A cell as written: text that could run as a formula gets a leading `'`; numbers and
    empty cells pass unchanged (bool is written as true/false text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):  # ` =1+1`: an importer may trim the space
        return "'" + text
    return text


def _joined(values: Iterable[str]) -> str:
    return "; ".join(values)


def event_rows(ctx: Context) -> Iterable[Sequence[Any]]:
    from briefing.compare import compare, total_of

    ds = ctx.ds
    for e in ctx.events:
        comps = compare(e.figures) if e.figures else []  # once: the total and the disputes
        killed = total_of([c for c in comps if c.metric == "killed"])
        yield _row(
            e,
            EVENT_COLUMNS,
            {
                "killed": killed.span if killed else None,
                "killed_low": killed.low if killed else None,
                "killed_high": killed.high if killed else None,
                # ours, not a claim: a sum of groups, or a total raised to what its groups say
                "killed_derived": (killed.derived or killed.raised) if killed else None,
                "killed_claimants": _joined(ds.actor_name(a) for a in killed.claimants) if killed else None,
                # the claimants that agree with a looser number, each with its own (`Total.others`)
                "killed_consistent": _joined(f"{ds.actor_name(a)}: {own}" for a, own in killed.others)
                if killed
                else None,
                "disputed_figures": sum(c.disputed for c in comps),
                "perpetrators": _joined(ds.actor_name(ar.actor) for ar in e.actors if ar.role == "perpetrator"),
                "claimants": _joined(ds.actor_name(ar.actor) for ar in e.actors if ar.role == "claimant"),
                "sources": _joined(ds.source_name(s) for s in e.sources),
            },
        )


def _claim_rows(
    ds: Dataset, kind: str, rid: str, date: str | None, country: str | None, figures: Sequence[Figure]
) -> Iterable[Sequence[Any]]:
    """One row per claim, in the comparison's order, each saying whether its metric+subject is
    disputed and whether a later revision superseded it."""
    from briefing.render.figures import claims_in_order

    for c in claims_in_order(figures):
        f = c.figure
        src = ds.source(f.source)
        yield _row(
            f,
            FIGURE_COLUMNS,
            {
                "record_kind": kind,
                "record_id": rid,
                "date": date,
                "country": country,
                "claimant": ds.actor_name(f.claimed_by),
                "source_name": ds.source_name(f.source),
                "reliability": src.reliability if src else None,
                "via_name": ds.source_name(f.via) if f.via else None,
                "claim_date": f.date,
                "disputed": c.comparison.disputed,
                "superseded": c.superseded,
            },
        )


def figure_rows(ctx: Context) -> Iterable[Sequence[Any]]:
    """Event claims, then the claims recorded on actors (ISKP's strength): `record_kind` tells
    them apart; which actors' (`export.claim_actors`): every one's with no filter, else those
    the filter names."""
    ds = ctx.ds
    counts = {"event": 0, "actor": 0}
    kept, old = FIGURE_COLUMNS.index("disputed"), FIGURE_COLUMNS.index("superseded")

    def left_out(row: Sequence[Any]) -> bool:
        """`--claims disputed`: the current claims of a disputed figure; one its claimant revised
        (superseded, or withdrawn) is no longer said by anyone, and no part of the dispute (QA s16)."""
        return ctx.disputed_only and (not row[kept] or bool(row[old]))

    events_with_rows = 0
    for e in ctx.events:
        before = counts["event"]
        for row in _claim_rows(ds, "event", e.id, e.date, e.country, e.figures):
            if left_out(row):
                continue
            counts["event"] += 1
            yield row
        events_with_rows += counts["event"] > before
    from briefing.export import claim_actors

    actors = claim_actors(ctx)
    for a in actors:
        for row in _claim_rows(ds, "actor", a.id, None, a.country, a.figures):
            if left_out(row):
                continue
            counts["actor"] += 1
            yield row
    n = len(ctx.events)
    ctx.wrote = f"{counts['event']:,} event-level and {counted(counts['actor'], 'actor-level claim')}" + (
        f", the disputed claims only (from {events_with_rows:,} of {counted(n, 'event')})"
        if ctx.disputed_only
        else f" (from {counted(n, 'event')})"
    )


def actor_rows(ctx: Context) -> Iterable[Sequence[Any]]:
    from collections import Counter

    from briefing.summary import role_summary, roles_in

    ds, events = ctx.ds, ctx.events
    counts: dict[str, Counter[str]] = {}
    for e in events:
        for aid, roles in roles_in(e).items():
            c = counts.setdefault(aid, Counter())
            for r in roles:
                c[r] += 1
    seen_in = {aid: 0 for aid in counts}
    for e in events:
        for aid in roles_in(e):
            seen_in[aid] += 1
    actors, _ = ctx.records()
    ctx.wrote = counted(len(actors), "actor")
    for a in actors:
        parent = ds.actor(a.parent) if a.parent else None
        yield _row(
            a,
            ACTOR_COLUMNS,
            {
                "parent_name": parent.name if parent else None,
                "events": seen_in.get(a.id, 0),
                "roles": role_summary(counts.get(a.id, Counter())),
                "sources": _joined(ds.source_name(s) for s in a.sources),
            },
        )


ROWS = {"events": event_rows, "figures": figure_rows, "actors": actor_rows}


def write(out: TextIO, ctx: Context) -> None:
    import csv

    table = ctx.table or "events"
    w = csv.writer(out)
    w.writerow(COLUMNS[table])
    for row in ROWS[table](ctx):
        w.writerow([neutralise(clean(v) if isinstance(v, str) else v) for v in row])
    if table == "events":
        ctx.wrote = counted(len(ctx.events), "event")
