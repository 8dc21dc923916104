"""`--format md`: the brief as Markdown, for a wiki, a ticket or a report.

Same content as the terminal brief (`briefing brief`): the same header, profiles when the
filter names actors, bottom line, timeline, Where and Who tables (the analysis of
`analysis.for_query`, against the period before), key events ranked by significance,
disagreements and sources, with the same numbers and notes; tables instead of bars.  Record
text passes the display boundary (`display.clean`: control bytes shown as `\\x1b`), then is
escaped for Markdown: HTML is shown, not rendered (`<`, `>`, `&` as entities), emphasis, link
and table syntax (`*`, `_`, `[`, `]`, `|`, `` ` ``, `~`, `\\`) is backslash-escaped, a line-start
marker (`#`, `>`, `-`, `+`, `=`, `1.`) cannot start a block, and newlines become `<br>` in table
cells and spaces elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from briefing.display import clean, command_line, counted
from briefing.vocab import REMOVED_TAG

if TYPE_CHECKING:
    from briefing.analysis import Trends
    from briefing.compare import Comparison
    from briefing.dataset import Dataset
    from briefing.export import Context
    from briefing.records import Actor
    from briefing.summary import BriefData

_MD_ESCAPES = {ord(c): "\\" + c for c in "\\`*_[]|~"}
_MD_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})
_BLOCK_START = re.compile(r"^(?:[#>+=-]|\d+[.)])")


def md(value: object, *, cell: bool = False) -> str:
    """Record text as inert Markdown (see the module docstring)."""
    s = clean(value).translate(_MD_ESCAPES)
    lines = [line.strip() for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    s = ("<br>" if cell else " ").join(line for line in lines if line) if len(lines) > 1 else lines[0]
    if _BLOCK_START.match(s):
        s = "\\" + s
    return s


#: a period with no event in a Markdown sparkline: a space there is trimmed or collapsed
MD_BLANK = "·"
_CMD = "\ue000"  # marks a command inside a note (`note_with_commands`); no record text reaches it


def _marked(command: str) -> str:
    return f"{_CMD}{command}{_CMD}"


def command_span(command: str) -> str:
    """A command as a code span, fenced by more backticks than it holds: pasted from the raw
    Markdown it is the command itself (escaped as text, `a\\_b` named another folder)."""
    longest = max((len(run) for run in re.findall("`+", command)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if command[:1] in ("`", " ") or command[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{command}{pad}{fence}"


def note_with_commands(text: str) -> str:
    """A note as italic Markdown, the commands marked in it (`_marked`) as code spans."""
    return f"*{_spans(text.split(_CMD))}*"


def ours(text: str) -> str:
    """Our own words as Markdown, a `word` in backticks kept a code span (`md` escaped its
    backticks, so a reader saw them around `removed`; QA s16); the rest escaped as text."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd backtick: no span to keep
        return md(text)
    return _spans(parts)


def _spans(parts: list[str]) -> str:
    """Text cut at its code spans (every other part a span) as Markdown: the spans as
    `command_span`, the rest escaped as text, the spaces around a span kept (`md` strips ends)."""
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(command_span(part))
        elif part:
            lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()) :]
            out.append(lead + md(part) + trail if part.strip() else part)
    return "".join(out)


def code(value: object) -> str:
    """An id as a code span (ids are `[A-Za-z0-9._:-]`, cleaned anyway; a backtick can't occur)."""
    return "`" + clean(value).replace("`", "'").replace("\n", " ") + "`"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        out.append("| " + " | ".join(c if c else " " for c in row) + " |")
    return out


def claims_table(ds: Dataset, comparisons: Iterable[Comparison]) -> list[str]:
    """Every claim of each comparison on its own row: figure, claim, claimant, source, rating, via."""
    from briefing.compare import quantity
    from briefing.render.figures import old_mark
    from briefing.render.text import rating

    rows = []
    for c in comparisons:
        if c.disputed:  # marked `!` as the legend under the tables says
            why = "disputed; groups add more" if c.outnumbered else "disputed"
            label = f"**!** {md(c.label, cell=True)} **({why})**"
        else:
            label = md(c.label, cell=True) + (f" ({c.agreement})" if c.agreement else "")
        for i, (f, old) in enumerate([*((f, False) for f in c.claims), *((f, True) for f in c.superseded)]):
            src = ds.source(f.source)
            rows.append(
                (
                    label if i == 0 else "",
                    md(quantity(f) + (old_mark(f) if old else ""), cell=True),
                    md(ds.actor_name(f.claimed_by), cell=True),
                    md(ds.source_name(f.source), cell=True),
                    md(rating(src, f.credibility), cell=True),
                    md(ds.source_name(f.via), cell=True) if f.via else "",
                    md(f'"{f.wording}"', cell=True) if f.wording else "",
                )
            )
    return table(("Figure", "Claim", "Claimant", "Source", "Rating", "Via", "Wording"), rows)


def actor_section(ds: Dataset, actor: Actor, again: Sequence[str] = (), listed: bool = True) -> list[str]:
    """An actor's profile; `listed` False for a filter narrower than the actor: its every
    event is then named by a command on the same data (`again`), not listed (as the brief)."""
    from briefing.compare import compare
    from briefing.render.actor import every_event_command, every_event_title

    out = [f"## Profile: {md(actor.name)}", ""]
    chain = ds.parent_chain(actor.id)
    kids = ds.children(actor.id)
    facts = [
        ("Id", code(actor.id)),
        ("Aliases", ", ".join(md(a) for a in actor.aliases)),
        ("Kind", md(actor.kind)),
        ("Country", md(actor.country) if actor.country else ""),
        ("Part of", " > ".join(md(a.name) for a in chain)),
        ("Branches", ", ".join(md(a.name) for a in kids)),
    ]
    out += [f"- **{k}:** {v}" for k, v in facts if v]
    if actor.summary:
        out += ["", md(actor.summary)]
    related = list(dict.fromkeys(ds.related_actors(actor.id)))
    if related:
        out += ["", "### Relations", ""]
        out += table(("Actor", "Relation"), ((md(a.name, cell=True), md(kind, cell=True)) for a, kind in related))
    if actor.figures:
        out += ["", "### Figures about this actor", ""]
        out += claims_table(ds, compare(actor.figures))
    timeline = ds.events_of_actor(actor.id)
    if not listed:  # as the brief
        lead, words = every_event_command(actor, timeline, again)
        return out + ["", note_with_commands(lead + _marked(command_line(words)))]
    out += ["", f"### {every_event_title(timeline)}", ""]  # as the brief
    out += table(
        ("Date", "Country", "Event", "Role"),
        (
            (
                md(e.date, cell=True),
                md(e.country, cell=True),
                md(e.title, cell=True) + (" (removed by ACLED)" if REMOVED_TAG in e.tags else "") + "<br>" + code(e.id),
                md(", ".join(r), cell=True),
            )
            for e, r in timeline
        ),
    )
    return out


def trend_sections(ds: Dataset, t: Trends, again: Sequence[str] = ()) -> list[str]:
    """The brief's Timeline, Where and Who (`render.trends`), as Markdown tables: the same rows,
    numbers and notes; no bars (a table cell is no chart), the sparklines kept.  `again`: the
    flags that chose the events, for the commands the notes name (`BriefData.again`)."""
    from briefing.render import trends as tr

    chart = tr.chart_rows(t)
    per, rows = chart.per, chart.rows
    out = ["", f"## {md(tr.timeline_title(t, per))}", ""]
    out += table(
        (per, "Events", "Killed", "No figure"),
        (
            (
                md(r.label, cell=True),
                f"{r.events:,}",
                r.deaths.span,
                f"{r.deaths.without_figure:,}" if r.deaths.without_figure else "",
            )
            for r in rows
        ),
    )
    out += ["", note_with_commands(tr.timeline_note(t, chart, again, _marked))]

    def counts(by: str) -> list[str]:
        rows = t.table(by)
        lines = table(
            (by, "Events", "Share", "Killed", "No figure", "Change", "Trend"),
            (
                (
                    md(r.label, cell=True),
                    f"{r.events:,}",
                    tr.share_text(r.share),
                    r.deaths.span,  # numbers and the table's own words: no record text
                    f"{r.deaths.without_figure:,}" if r.deaths.without_figure else "",
                    f"{r.change.text} {r.change.level}" if t.has_baseline else "-",
                    tr.spark(r.spark, blank=MD_BLANK),
                )
                for r in rows[: tr.TABLE_ROWS]
            ),
        )
        if len(rows) > tr.TABLE_ROWS:
            lines += ["", note_with_commands(tr.more_note(len(rows) - tr.TABLE_ROWS, by, again, _marked))]
        return [""] + lines

    out += ["", "## Where"]
    for by in tr.where_tables(t):
        out += counts(by)
    out += ["", f"*{md(tr.change_note(t))}*"]

    out += ["", "## Who"]
    if not t.table("actor"):
        return out + ["", f"*{md(tr.NO_ACTORS)}*"]
    out += counts("actor")
    new, n_new = t.new_actors(tr.NEW_ACTORS)
    if new:
        named = "; ".join(f"{md(ds.actor_name(aid))} ({tr.date_words(first)})" for aid, first in new)
        if n_new > len(new):
            named += f"; and {n_new - len(new):,} more"
        out += ["", f"- First seen in this period: {named}"]
    elif t.has_history:
        out += ["", f"*{md(tr.NONE_NEW)}*"]
    return out


def lines(ds: Dataset, data: BriefData, trends: Trends | None = None) -> list[str]:
    """The brief in Markdown, section by section as `render.brief.brief` draws it; without
    `trends` (a selection with nothing to span), the bottom line and key events of `data`."""
    from briefing.analysis import bottom_line
    from briefing.render.brief import BUNDLED_DATA, KEY_EVENTS_NOTE, RANKED, period_text, ranked_key_events, worked_out
    from briefing.render.text import rating_label
    from briefing.summary import (
        OTHER_FIGURES_LIMIT,
        date_shown,
        figure_line,
        more_figures,
        place,
        role_summary,
        said_by,
        type_label,
    )

    out = [f"# {md(data.title)}", ""]
    out += [
        f"- **Period:** {md(period_text(data, trends))}",
        f"- **Events:** {ours(data.selected_text())}",
        f"- **Dataset:** {data.dataset_text()}",
        *([f"- **Data:** {md(BUNDLED_DATA)}"] if data.bundled else []),
        f"- **Generated:** {md(data.generated_at)}",
        *([f"- **Skipped:** {md(data.skipped_text)} left out (--skip-invalid)"] if data.skipped else []),
        *([f"- **Removed:** {ours(data.removed_text())}"] if data.removed_also else []),
        "",
    ]
    for a in data.profiles:
        out += actor_section(ds, a, data.again, data.profiles_listed) + [""]

    out += ["## Bottom line", ""]
    said = data.bottom_line() if trends is None else bottom_line(trends, data.disputes_sentence())
    out += [f"- {md(line)}" for line in said]
    if trends is not None:
        out += trend_sections(ds, trends, data.again)

    out += ["", "## Key events", ""]
    rows = []
    keys = data.key_events if trends is None else ranked_key_events(trends)
    for k in keys:
        e = k.event
        if k.killed is None:
            killed = "-"
        else:
            killed = md(k.killed.stated(), cell=True)
            killed += " (per " + md(said_by(k.killed.claimants, k.killed.others, ds.actor_name), cell=True) + ")"
        rows.append(
            (
                "**!**" if k.disputes else "",
                md(date_shown(e), cell=True),
                md(place(e), cell=True),
                "<br>".join(
                    [
                        md(e.title, cell=True),
                        md(type_label(e), cell=True),
                        *(md(figure_line(c, ds.actor_name), cell=True) for c in k.others[:OTHER_FIGURES_LIMIT]),
                        *([extra] if (extra := more_figures(k)) else []),
                        code(e.id),
                    ]
                ),
                killed,
                md("; ".join(ds.actor_name(a) for a in k.by), cell=True) if k.by else "-",
            )
        )
    out += table(("", "Date", "Place", "What happened", "Killed", "By"), rows)
    more = len(data.events) - len(keys) if trends is not None else data.more.get("key events", 0)
    if more > 0:
        out += ["", f"... and {more:,} more events (narrow the filter to see them)."]
    if trends is not None:
        out += ["", f"*{md(RANKED)}*"]
    # the brief's own words, which say what `per` is too (review s13: the copy here had lost it)
    out += ["", f"**!** = the event has disputed figures. {md(KEY_EVENTS_NOTE + worked_out(data, keys))}"]

    out += ["", "## Where sources disagree", ""]
    if not data.disputed_events and not data.actor_disputes:
        out += [data.nowhere_text(), ""]
    for e, comparisons in data.disputed_events:
        out += [f"### {md(date_shown(e))}: {md(e.title)} ({code(e.id)})", ""]
        out += claims_table(ds, comparisons) + [""]
    if "disputes" in data.more:
        out += [f"... and {data.more['disputes']:,} more events with disputes.", ""]
    for a, comparisons in data.actor_disputes:
        out += [f"### About {md(a.name)}", ""]
        out += claims_table(ds, comparisons) + [""]
    from briefing.render.figures import LEGEND

    out.append(md(LEGEND))

    if trends is None:  # the brief without trends lists the actors involved; with them, Who
        out += ["", "## Actors involved", ""]
        out += table(
            ("Actor", "Kind", "Part of", "Roles (events)"),
            (
                (
                    md(a.name, cell=True),
                    md(a.kind, cell=True),
                    md(ds.actor_name(a.parent), cell=True) if a.parent else "",
                    md(role_summary(roles), cell=True),
                )
                for a, roles in data.actors
            ),
        )
        if "actors" in data.more:
            out += ["", f"... and {data.more['actors']:,} more actors."]

    out += ["", "## Sources and their reliability", ""]
    out += table(
        ("Source", "Kind", "Rating", "Why this rating"),
        (
            (
                md(s.name, cell=True),
                md(s.kind, cell=True),
                md(rating_label(s), cell=True),
                md(s.reliability_note or "", cell=True),
            )
            for s in data.sources
        ),
    )
    if "sources" in data.more:
        out += ["", f"... and {data.more['sources']:,} more sources."]
    return out


def write(out: TextIO, ctx: Context) -> None:
    from briefing.filters import empty_hint, no_filter_text, parse, removed_hidden, removed_left_out
    from briefing.summary import gather, only_actors, profile_actors

    if not ctx.events:  # and why, as the brief says it (QA s15: the removed a `changed:` leaves out)
        hint = empty_hint(parse(ctx.query), ctx.ds)
        out.write(
            f"No events match {md(ctx.query or no_filter_text(ctx.ds))}" + (f" ({md(hint)})" if hint else "") + ".\n"
        )
        return
    query = parse(ctx.query)
    data = gather(
        ctx.ds,
        ctx.events,
        ctx.query,
        generated_at=ctx.generated_at,
        profiles=profile_actors(ctx.ds, query),
        selection=query,  # a big selection is summed up over the index, as the brief's is
    )
    data.again = ctx.again
    data.profiles_listed = only_actors(query)
    data.removed_also = removed_left_out(query, ctx.ds)
    data.removed_hidden = removed_hidden(query, ctx.ds)
    from briefing.analysis import for_query

    # as the brief makes them: against the period before, or a year before (`--compare-to`: the
    # command works them out, to refuse a period a year's baseline overlaps before writing)
    trends = ctx.trends if ctx.trends is not None else for_query(ctx.ds, query, ctx.events)
    out.write("\n".join(lines(ctx.ds, data, trends)))
    out.write("\n")
    # The Markdown export is the brief: it lists the key events and counts the rest, so the line
    # that reports the write says that, not "N events" as if each were in the file.
    from briefing.render.brief import ranked_key_events

    listed = len(data.key_events if trends is None else ranked_key_events(trends))
    n = len(ctx.events)
    ctx.wrote = f"a brief of {counted(n, 'event')}" + (f" ({listed:,} listed)" if listed < n else "")
