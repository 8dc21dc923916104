"""One actor's profile in full: the renderable behind `briefing brief --actor ID` and the TUI's profile.

Name, aliases, kind, the parent chain and children, relations, summary, the actor's own
figures (the shared `figures_table`, so fighter-strength estimates sit side by side), and a
timeline of the events it appears in with its role in each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from briefing.display import counted, shell_words
from briefing.records import Actor, Event
from briefing.render.blocks import BLANK, Para, command_note, fields, heading, note, table
from briefing.render.figures import LEGEND, figures_table
from briefing.render.grid import Column
from briefing.render.text import safe, style_of
from briefing.themes import ThemeSpec
from briefing.vocab import REMOVED_TAG

if TYPE_CHECKING:
    from briefing.dataset import Dataset

TIMELINE_LIMIT = 200


def actor_profile(
    ds: Dataset, actor: Actor, theme: ThemeSpec | None = None, again: Sequence[str] = (), listed: bool = True
) -> RenderableType:
    """Everything recorded about one actor, for a terminal or a TUI pane. `again`: the flags
    that chose a brief's events, for the commands it names; `listed` False for a filter
    narrower than the actor: its every event, which ignores the filter, is then named by a
    command, not listed ahead of the brief (QA s18: 200 of 5,707 events before the Bottom line)."""
    muted = style_of(theme, "muted")
    parts: list[RenderableType] = [heading(safe(actor.name, single_line=True), theme, "=", key="title", space=False)]

    chain = ds.parent_chain(actor.id)
    kids = ds.children(actor.id)
    info = [
        ("aliases", Text(", ").join(safe(a, single_line=True) for a in actor.aliases) if actor.aliases else None),
        ("kind", safe(actor.kind, single_line=True)),
        ("country", safe(actor.country, style_of(theme, "country"), single_line=True) if actor.country else None),
        ("part of", Text(" > ").join(safe(a.name, single_line=True) for a in chain) if chain else None),
        ("branches", Text(", ").join(safe(a.name, single_line=True) for a in kids) if kids else None),
        ("id", safe(actor.id, muted, single_line=True)),
    ]
    parts.append(fields(info, theme))
    if actor.summary:
        parts.append(BLANK)
        parts.append(Para(safe(actor.summary)))

    own = {r.actor: r for r in actor.relations}
    related = list(dict.fromkeys(ds.related_actors(actor.id)))  # a relation declared on both sides shows once
    if related:
        parts.append(heading("Relations", theme))
        t = table(theme, Column("actor", 12, 40, 2), Column("relation", 8, 28, 0), Column("note", 12, None, 4))
        for other, kind in related:
            why = own[other.id].note if other.id in own and own[other.id].kind == kind else None
            t.add_row(
                safe(other.name, single_line=True),
                safe(kind, single_line=True),
                safe(why or "", muted, single_line=True),
            )
        parts.append(t)

    if actor.figures:
        parts.append(heading("Figures about this actor", theme))
        parts.append(figures_table(ds, actor.figures, theme))
        parts.append(note(LEGEND, theme))

    if actor.sources:
        from briefing.render.event import sources_table

        parts.append(heading("Sources", theme))
        parts.append(sources_table(ds, actor.sources, theme, notes=False))

    timeline = ds.events_of_actor(actor.id)
    if not listed:
        lead, words = every_event_command(actor, timeline, again)
        parts.append(BLANK)
        parts.append(command_note(lead, shell_words(words), theme))
        return Group(*parts)
    # the profile heads a brief of a filter that may select fewer of them (QA s13: a "Timeline
    # (19 events)" above a brief of 7 read as the selection)
    parts.append(heading(every_event_title(timeline), theme))
    if not timeline:
        parts.append(note("No events recorded.", theme))
    else:
        t = table(
            theme,
            Column("date", 10, 10, 0),
            Column("country", 8, 20, 1),
            Column("event", 16, None, 4),
            Column("role", 8, 24, 1),
        )
        for e, roles in timeline[:TIMELINE_LIMIT]:
            title = safe(e.title, single_line=True)
            if REMOVED_TAG in e.tags:  # listed, as every event is here, but not read as live (QA s17)
                title.append(" (removed by ACLED)", style=style_of(theme, "warning"))
            title.append_text(safe("\n" + e.id, muted))
            t.add_row(
                safe(e.date, style_of(theme, "date"), single_line=True),
                safe(e.country, style_of(theme, "country"), single_line=True),
                title,
                Text(", ".join(roles)),
            )
        parts.append(t)
        if len(timeline) > TIMELINE_LIMIT:  # the list ignores the filter's dates: an export has them all
            parts.append(
                command_note(
                    f"... and {len(timeline) - TIMELINE_LIMIT:,} more events: ",
                    shell_words(
                        ["briefing", "export", *data_words(again), "--filter", f"actor:{actor.id}", "--format", "csv"]
                    ),
                    theme,
                )
            )
    return Group(*parts)


def every_event_command(
    actor: Actor, timeline: Sequence[tuple[Event, tuple[str, ...]]], again: Sequence[str]
) -> tuple[str, list[str]]:
    """What a profile under a narrower filter says of its actor's every event: how many, and
    the brief of the actor alone on the same data that lists them."""
    removed = removed_among(timeline)
    gone = f" ({removed:,} of them removed by ACLED)" if removed else ""
    lead = f"This actor has {counted(len(timeline), 'event')} in all{gone}, whatever the filter: "
    return lead, ["briefing", "brief", *data_words(again), "--actor", actor.id]


def data_words(again: Sequence[str]) -> list[str]:
    """The flags that chose a brief's data (`BriefData.again` without its filter and baseline)."""
    words: list[str] = []
    skip = False
    for w in again:
        if skip:
            skip = False
        elif w in ("--filter", "--compare-to"):
            skip = True
        elif not w.startswith(("--filter=", "--compare-to=")):
            words.append(w)
    return words


def every_event_title(timeline: Sequence[tuple[Event, tuple[str, ...]]]) -> str:
    """The heading of an actor's every event (`Dataset.events_of_actor`), the brief's and the
    Markdown's: how many, and of them how many ACLED removed (listed, marked)."""
    removed = removed_among(timeline)
    gone = f", {removed:,} of them removed by ACLED" if removed else ""
    return f"Every event of this actor ({len(timeline):,}{gone}), whatever the filter"


def removed_among(timeline: Sequence[tuple[Event, tuple[str, ...]]]) -> int:
    """How many of an actor's events ACLED removed (they are listed, marked, and counted apart)."""
    return sum(REMOVED_TAG in e.tags for e, _ in timeline)
