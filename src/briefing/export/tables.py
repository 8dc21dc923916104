"""`--table timeline` and `--table counts --by ...` as CSV or JSON: the analysis for other tools.

The numbers are those of `briefing.analysis`, the same object the brief and the TUI's Trends
screen draw, so a spreadsheet and the brief never disagree.

    timeline: period, period_start, period_end, events, killed_low, killed_high, events_without_figure
    counts:   by, name, role, filter, events, killed_low, killed_high, events_without_figure,
              share, events_before, change, change_level, events_left_out_of_change,
              events_compared, events_before_compared

Deaths keep their uncertainty: `killed_low`/`killed_high` are the sums of each event's lowest
and highest allowed count; an empty `killed_high` beside a `killed_low` means a claim was
open-ended ("at least 10"), and both empty mean no event there has a killed figure (unknown,
not zero: see `events_without_figure`).  `share` is a fraction of the period's events;
`change` a percentage against the baseline period (empty when there were no events then).

An event dated only to a month or a year that spans several periods is in none of them: such
events are rows of their own after the periods, `period` = `not placed`, one per span of days
they share (clipped to the selection's period), so that the rows add up to every event and
every death (the brief counts them in its totals and in no bar).

`events` and `events_before` count every event in the period and in the baseline.  `change`,
as the brief's, compares the events wholly in the period (`events_compared`) with those wholly
in the baseline (`events_before_compared`): an event dated only to a month or a year that
reaches past either (`2024` against Jan–Jun 2024) is on neither side, and
`events_left_out_of_change` says how many.  The JSON document says the same of the whole
selection (`events`, `baseline.events`, `events_compared`, `baseline.events_compared`,
`events_left_out_of_change`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from briefing.analysis import Deaths, Trends, pct_number

if TYPE_CHECKING:
    from briefing.export import Context

TIMELINE_COLUMNS = (
    "period",
    "period_start",
    "period_end",
    "events",
    "killed_low",
    "killed_high",
    "events_without_figure",
)
COUNTS_COLUMNS = (
    "by",
    "name",
    "role",
    "filter",
    "events",
    "killed_low",
    "killed_high",
    "events_without_figure",
    "share",
    "events_before",
    "change",
    "change_level",
    "events_left_out_of_change",
    "events_compared",
    "events_before_compared",
)


def _killed(d: Deaths) -> tuple[int | None, int | None]:
    if not d.with_figure:
        return (None, None)
    return (d.low, d.high)


def timeline_rows(t: Trends) -> list[tuple[Any, ...]]:
    out = []
    for b in t.timeline:
        period = f"{b.start.year}-{b.start.month:02d}" if t.unit == "month" else b.start.isoformat()
        out.append(
            (period, b.start.isoformat(), b.end.isoformat(), b.events, *_killed(b.deaths), b.deaths.without_figure)
        )
    for a in t.not_placed_spans:  # in no period: rows of their own, so that the rows add up to every event
        out.append(
            (
                "not placed",
                a.first.isoformat(),
                a.last.isoformat(),
                a.events,
                *_killed(a.deaths),
                a.deaths.without_figure,
            )
        )
    return out


def counts_rows(t: Trends, by: str) -> list[tuple[Any, ...]]:
    out = []
    for r in t.table(by):
        name = t.actor_name(r.key[0]) if by == "actor" else r.label
        role = r.key[1] if by == "actor" else None
        change = None if r.change.pct is None else pct_number(r.change.pct)
        out.append(
            (
                by,
                name,
                role,
                t.filter_term(r, by),
                r.events,
                *_killed(r.deaths),
                r.deaths.without_figure,
                round(r.share, 4),
                r.before,  # every event in the baseline
                change,
                r.change.level if t.has_baseline else None,
                r.change.left_out,
                r.change.now,
                r.change.before,
            )
        )
    return out


def header(t: Trends | None, table: str, by: str | None, ctx: Context) -> dict[str, Any]:
    """What the JSON document says about the rows: the period, the baseline, the unit."""
    doc: dict[str, Any] = {
        "schema_version": 1,
        "generated_at": ctx.generated_at,
        "skipped": getattr(ctx.ds, "skipped", 0),  # invalid records --skip-invalid left out, as the events JSON
        "query": ctx.query,
        "table": table,
    }
    if by:
        doc["by"] = by
    if t is None:  # no event selected: no period to span
        doc["events"] = 0
    else:
        doc["period"] = {"start": t.period.iso[0], "end": t.period.iso[1], "label": t.period.label()}
        doc["baseline"] = {
            "start": t.baseline.iso[0],
            "end": t.baseline.iso[1],
            "label": t.baseline.label(),
            "kind": t.baseline_kind,
            "events": t.numbers.before,  # every event in the baseline
            "events_compared": t.change.before,  # those wholly in it: the change's side
        }
        doc["unit"] = t.unit
        if t.unit == "week":
            doc["week_starts"] = "Saturday" if t.week_start == 5 else "Monday"
        doc["events"] = t.count
        doc["change"] = None if t.change.pct is None else pct_number(t.change.pct)
        doc["change_level"] = t.change.level if t.has_baseline else None
        doc["events_compared"] = t.change.now
        doc["events_left_out_of_change"] = t.change.left_out
        doc["events_not_placed"] = t.not_placed
    return doc


def write(out: TextIO, ctx: Context, fmt: str, t: Trends | None, table: str, by: str | None = None) -> None:
    columns = TIMELINE_COLUMNS if table == "timeline" else COUNTS_COLUMNS
    if t is None:
        rows: list[tuple[Any, ...]] = []
    else:
        rows = timeline_rows(t) if table == "timeline" else counts_rows(t, by or "country")
    if fmt == "csv":
        import csv

        from briefing.display import clean
        from briefing.export.csv import neutralise

        w = csv.writer(out)
        w.writerow(columns)
        for row in rows:
            w.writerow([neutralise(clean(v) if isinstance(v, str) else v) for v in row])
        return
    from briefing.export.json import write_document

    doc = header(t, table, by if table == "counts" else None, ctx)
    doc["rows"] = [dict(zip(columns, row)) for row in rows]
    write_document(out, doc)
