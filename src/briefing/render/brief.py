"""The brief as Rich renderables: header, bottom line (the change), timeline, where, who, key
events (by significance), where sources disagree, sources.  What it says is worked out in
`summary` (shared with the Markdown export) and `analysis` (shared with the TUI's Trends
screen and the timeline/counts exports); this module only lays it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text

from briefing.render.blocks import BLANK, Para, bullets, fields, heading, more_line, note, table
from briefing.render.figures import DISPUTED_MARK, LEGEND, figures_table
from briefing.render.grid import Column, cell, longest_piece
from briefing.render.text import safe, style_of
from briefing.summary import (
    OTHER_FIGURES_LIMIT,
    WORKED_OUT,
    BriefData,
    KeyEvent,
    date_shown,
    figure_said,
    more_figures,
    place,
    role_summary,
    type_label,
)
from briefing.themes import ThemeSpec

if TYPE_CHECKING:
    from briefing.analysis import Trends
    from briefing.dataset import Dataset


#: the widest word a key events column widens for (a longer one folds, after a hyphen if it has one)
WORD_CAP = 32
#: what a brief of the bundled data says of it, in the header
BUNDLED_DATA = "the bundled sample (Islamic State in Central Asia); --data DIR or BRIEFING_DATA for yours"


def period_text(data: BriefData, trends: Trends | None = None) -> str:
    """The period the brief's numbers cover, then the dates its events carry; the events' span
    alone without trends.  One text for the terminal and the Markdown (QA s14: the Markdown gave
    the events' span as the period)."""
    period = data.period_text()
    return period if trends is None else f"{trends.period.label()} (events dated {period})"


def header(data: BriefData, theme: ThemeSpec | None, trends: Trends | None = None) -> list[RenderableType]:
    period = period_text(data, trends)
    return [
        heading(safe(data.title, single_line=True), theme, "=", key="title", space=False),
        fields(
            [
                ("period", Text(period, style=style_of(theme, "date"))),
                ("events", Text(data.selected_text())),
                ("dataset", Text(data.dataset_text())),
                *([("data", Text(BUNDLED_DATA, style=style_of(theme, "warning")))] if data.bundled else []),
                *(
                    [
                        (
                            "skipped",
                            Text(f"{data.skipped_text} left out (--skip-invalid)", style=style_of(theme, "warning")),
                        )
                    ]
                    if data.skipped
                    else []
                ),
                *(
                    [("removed", Text(data.removed_text(), style=style_of(theme, "warning")))]
                    if data.removed_also
                    else []
                ),
                ("generated", Text(data.generated_at)),
            ],
            theme,
        ),
    ]


def bottom_line(data: BriefData, theme: ThemeSpec | None) -> list[RenderableType]:
    return [heading("Bottom line", theme), bullets(safe(line) for line in data.bottom_line())]


def key_events(
    ds: Dataset, data: BriefData, theme: ThemeSpec | None, rows: list[KeyEvent] | None = None
) -> list[RenderableType]:
    """`rows`: the key events to list (ranked by significance, see `ranked_key_events`);
    default: the brief's data in its own (newest first) order."""
    muted = style_of(theme, "muted")
    out: list[RenderableType] = [heading("Key events", theme)]
    ranked = rows is not None
    rows = data.key_events if rows is None else rows
    # The event's id (what a reader copies into `--event`) is a line of its own under the row,
    # running on over the columns after "what happened" (`Grid.add_row`'s span), so it stays
    # whole without widening its column: one as wide as the longest id left the place and the
    # numbers folded mid-word at 80 columns (QA s15).
    cells: list[tuple[Text, Text, Text, Text, Text, Text]] = []
    for k in rows:
        e = k.event
        mark = Text(DISPUTED_MARK, style=style_of(theme, "disputed")) if k.disputes else Text("")
        when = cell(
            safe(date_shown(e), style_of(theme, "date"), single_line=True),
            safe(place(e), style_of(theme, "country"), single_line=True),
        )
        what = cell(
            safe(e.title, style_of(theme, "title"), single_line=True),
            safe(type_label(e), muted, single_line=True),
            *other_figures(ds, k, theme),
        )
        if k.killed is None:
            killed = Text("-", style=muted)
        else:
            killed = Text()
            shown = style_of(theme, "disputed") if k.killed.disputed else style_of(theme, "number")
            for text, is_number in k.killed.pieces():  # a sum or a raised total: its parts, each a claim
                killed.append(text, style=shown if is_number else muted)
            killed.append("\nper ", style=muted)
            claimant, number = style_of(theme, "claimant"), style_of(theme, "number")
            killed.append_text(
                Text("; ").join(safe(ds.actor_name(a), claimant, single_line=True) for a in k.killed.claimants)
            )
            for a, own in k.killed.others:  # agrees with a looser number: its own, not the one shown
                killed.append("; ", style=muted)
                killed.append_text(safe(ds.actor_name(a), claimant, single_line=True))
                killed.append(": ", style=muted)
                killed.append(own, style=number)
        by = Text("\n").join(safe(ds.actor_name(a), single_line=True) for a in k.by) if k.by else Text("-", style=muted)
        cells.append((mark, when, what, killed, by, safe(e.id, muted, single_line=True)))
    # the narrow columns never narrower than their longest word up to 14 cells (at 50–64 columns
    # they gave `Afghanista` over `n` and `intervie` over `w`, QA s15), and up to `WORD_CAP` when
    # every column's longest word fits (`Grid.keep_words`: a claimant of one long word folded with
    # room to spare; raised whatever the room, it dropped a column and cut words, QA s16)
    killed_w = longest_piece((c[3] for c in cells), 0, WORD_CAP)
    by_w = longest_piece((c[4] for c in cells), 0, WORD_CAP)
    t = table(
        theme,
        Column("", 1, 1, 0),
        Column("date, place", longest_piece((c[1] for c in cells), 10, 14), 14, 0),
        Column("what happened", 24, 64, 2),
        Column("killed", max(8, min(14, killed_w)), max(24, killed_w), 1),
        Column("by", max(10, min(14, by_w)), max(30, by_w), 1),
    )
    t.keep_words = WORD_CAP
    for mark, when, what, killed, by, eid in cells:
        t.add_row(mark, when, what, killed, by)
        t.add_row("", "", eid, span=2)
    out.append(t)
    if ranked and len(data.events) > len(rows):
        out.append(more_line(len(data.events) - len(rows), "events", theme))
    elif not ranked and "key events" in data.more:
        out.append(more_line(data.more["key events"], "events", theme))
    if ranked:
        out.append(note(RANKED, theme))
    out.append(
        note(f"{DISPUTED_MARK} = the event has disputed figures. {KEY_EVENTS_NOTE}{worked_out(data, rows)}", theme)
    )
    return out


def other_figures(ds: Dataset, k: KeyEvent, theme: ThemeSpec | None) -> list[Text]:
    """A key event's figures beyond killed, a line each (`summary.figure_said`), the first
    `OTHER_FIGURES_LIMIT` of them, then how many more."""
    muted, number = style_of(theme, "muted"), style_of(theme, "number")
    lines = []
    for c in k.others[:OTHER_FIGURES_LIMIT]:
        label, said, who = figure_said(c, ds.actor_name)
        line = Text()
        if c.disputed:
            line.append(f"{DISPUTED_MARK} ", style=style_of(theme, "disputed"))
        line.append_text(safe(label, style_of(theme, "label"), single_line=True))
        line.append(": ", style=muted)
        line.append(said, style=style_of(theme, "disputed") if c.disputed else number)
        if who:
            line.append(" per ", style=muted)
            line.append_text(safe(who, style_of(theme, "claimant"), single_line=True))
        lines.append(line)
    if more := more_figures(k):
        lines.append(Text(more, style=muted))
    return lines


# what the key events' columns say, under them in the brief and the Markdown export alike
KEY_EVENTS_NOTE = (
    "killed = the event's total: the total claim (lowest to highest when disputed, up to its groups' "
    'claims when they add up to more, at least theirs when they say more than its floor: "in all" '
    'beside them), else the groups\' numbers and their sum ("sum"), which no one gave; per = who gave '
    "the numbers shown; a claimant whose looser number agrees with it follows with its own "
    "(\"Islamic State: >20\"). Under what happened, the event's other figures and a group's disputed deaths, said the same way "
    f"({DISPUTED_MARK}: disputed; every figure: briefing brief --event ID). by = the perpetrator as the "
    "sources name it (an outlet's attribution, not always a claim), then who claimed it."
)
#: said after `KEY_EVENTS_NOTE` when a date shown is marked (`worked_out`)
WORKED_OUT_NOTE = f"{WORKED_OUT} after a date: worked out, not given whole by the source (--event ID says how)."


def worked_out(data: BriefData, rows: list[KeyEvent]) -> str:
    """`WORKED_OUT_NOTE`, with a space before it, when a key event or a disputed event shown
    has a date marked `WORKED_OUT`; else "" (a legend of a mark nowhere, the regression pass)."""
    shown = [k.event for k in rows] + [e for e, _ in data.disputed_events]
    return f" {WORKED_OUT_NOTE}" if any(e.date_note for e in shown) else ""


def disagreements(ds: Dataset, data: BriefData, theme: ThemeSpec | None) -> list[RenderableType]:
    muted = style_of(theme, "muted")
    out: list[RenderableType] = [heading("Where sources disagree", theme)]
    if not data.disputed_events and not data.actor_disputes:
        out.append(note(data.nowhere_text(), theme))
        out.append(note(LEGEND, theme))
        return out
    for e, rows in data.disputed_events:
        line = Text()
        line.append_text(safe(date_shown(e), style_of(theme, "date"), single_line=True))
        line.append("  ")
        line.append_text(safe(e.title, style_of(theme, "title"), single_line=True))
        line.append_text(safe(f"  ({e.id})", muted, single_line=True))
        out.append(BLANK)
        out.append(Para(line))
        # the revised claims too, marked (QA s14: the Markdown kept the 12 revised to 14, this lost it)
        out.append(figures_table(ds, [f for c in rows for f in (*c.claims, *c.superseded)], theme))
    if "disputes" in data.more:
        out.append(more_line(data.more["disputes"], "events with disputes", theme))
    for a, rows in data.actor_disputes:
        line = Text("About ", style=muted)
        line.append_text(safe(a.name, style_of(theme, "title"), single_line=True))
        out.append(BLANK)
        out.append(Para(line))
        out.append(figures_table(ds, [f for c in rows for f in c.claims], theme))
    out.append(note(LEGEND, theme))
    return out


def actors_involved(ds: Dataset, data: BriefData, theme: ThemeSpec | None) -> list[RenderableType]:
    muted = style_of(theme, "muted")
    out: list[RenderableType] = [heading("Actors involved", theme)]
    if not data.actors:
        out.append(note("None recorded.", theme))
        return out
    t = table(
        theme,
        Column("actor", 12, 34, 3),
        Column("kind", 6, 17, 0),
        Column("part of", 8, 26, 2),
        Column("roles (events)", 12, 44, 3),
    )
    for a, roles in data.actors:
        parent = ds.actor(a.parent) if a.parent else None
        t.add_row(
            safe(a.name, single_line=True),
            safe(a.kind, muted, single_line=True),
            safe(parent.name if parent else "", muted, single_line=True),
            Text(role_summary(roles)),
        )
    out.append(t)
    if "actors" in data.more:
        out.append(more_line(data.more["actors"], "actors", theme))
    return out


def sources_section(ds: Dataset, data: BriefData, theme: ThemeSpec | None) -> list[RenderableType]:
    from briefing.render.event import sources_table

    out: list[RenderableType] = [heading("Sources and their reliability", theme)]
    if not data.sources:
        out.append(note("None recorded.", theme))
        return out
    out.append(sources_table(ds, data.sources, theme))
    if "sources" in data.more:
        out.append(more_line(data.more["sources"], "sources", theme))
    out.append(
        note(
            "Rating = Admiralty source reliability: A completely reliable, B usually, C fairly, "
            "D not usually, E unreliable, F cannot be judged.",
            theme,
        )
    )
    return out


RANKED = (
    "Ranked by significance: the highest death toll a claim states (the top of a range, the "
    "floor of an open claim), then disputed figures, then the number of claims; not by date."
)


def ranked_key_events(trends: Trends, limit: int | None = None) -> list[KeyEvent]:
    """The period's key events by significance (`analysis.Trends.key_events`), as the rows
    `key_events` lays out."""
    from briefing.compare import compare
    from briefing.summary import KEY_EVENTS_LIMIT, key_event

    out: list[KeyEvent] = []
    for k in trends.key_events(limit or KEY_EVENTS_LIMIT):
        e = k.event
        out.append(key_event(e, compare(e.figures) if e.figures else []))
    return out


def default_trends(ds: Dataset, data: BriefData) -> Trends | None:
    """The analysis of a brief's own events over their span (no baseline before the data)."""
    from briefing.analysis import analyse, period_for

    period = period_for(None, None, data.events)
    if period is None:
        return None
    return analyse(data.events, period, actor_name=ds.actor_name, source_name=ds.source_name)


def brief(
    ds: Dataset, data: BriefData, theme: ThemeSpec | None = None, trends: Trends | None = None, *, ascii: bool = False
) -> list[RenderableType]:
    """The whole brief, top to bottom; actor profiles (from `--actor`) come right after the header.

    `trends`: the analysis of the period (`analysis.analyse`); by default, of the brief's own
    events over their span.  `ascii`: draw the chart and sparklines without block characters."""
    from briefing.render import trends as tr
    from briefing.render.actor import actor_profile

    if trends is None:
        trends = default_trends(ds, data)
    parts: list[RenderableType] = header(data, theme, trends)
    for a in data.profiles:
        parts.append(BLANK)
        parts.append(actor_profile(ds, a, theme, data.again, data.profiles_listed))
    if trends is None:
        parts += bottom_line(data, theme)
        parts += key_events(ds, data, theme)
        parts += disagreements(ds, data, theme)
        parts += actors_involved(ds, data, theme)
        parts += sources_section(ds, data, theme)
        return parts
    parts += tr.bottom_line(trends, data.disputes_sentence(), theme)
    parts += tr.timeline(trends, theme, ascii, data.again)
    parts += tr.where(trends, theme, ascii, data.again)
    parts += tr.who(ds, trends, theme, ascii, data.again)
    parts += key_events(ds, data, theme, ranked_key_events(trends))
    parts += disagreements(ds, data, theme)
    parts += sources_section(ds, data, theme)
    return parts
