"""One event in full: the renderable behind `briefing brief --event ID` and the TUI's event detail.

Title, date (with its precision and any date note), place, type, summary; the figures
compared (the shared `figures_table`); the actors with their roles; the sources with their
Admiralty rating and the note behind it; related events.  Every record string goes through
`render.text.safe`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

from briefing.compare import quantity
from briefing.records import Event, Source
from briefing.render.blocks import BLANK, Para, bullets, fields, heading, note, table
from briefing.render.figures import LEGEND, figures_table, superseded_flags
from briefing.render.grid import Column, Grid, cell
from briefing.render.text import rating, rating_label, rating_style, safe, style_of
from briefing.themes import ThemeSpec

if TYPE_CHECKING:
    from briefing.dataset import Dataset


def date_text(event: Event, theme: ThemeSpec | None = None) -> Text:
    t = Text()
    t.append_text(safe(event.date, style_of(theme, "date"), single_line=True))
    if event.date_precision != "day":
        t.append(f" (to the {event.date_precision})", style=style_of(theme, "muted"))
    return t


def place_text(event: Event, theme: ThemeSpec | None = None) -> Text:
    # finest first: the place, then ACLED's sub-district and district when it has them
    parts: list[str] = []
    for p in (event.location, event.admin3, event.admin2, event.admin1):
        if p and p != event.country and p not in parts:
            parts.append(p)
    t = Text()
    for p in parts:
        t.append_text(safe(p, single_line=True))
        t.append(", ")
    t.append_text(safe(event.country, style_of(theme, "country"), single_line=True))
    if event.lat is not None and event.lon is not None:
        t.append(f"  ({event.lat:.4f}, {event.lon:.4f})", style=style_of(theme, "muted"))
    return t


def type_text(event: Event, theme: ThemeSpec | None = None) -> Text:
    from briefing.vocab import EVENT_TYPES, SUB_EVENT_TYPES

    t = Text()
    t.append_text(safe(EVENT_TYPES.get(event.type, event.type), style_of(theme, "type"), single_line=True))
    if event.sub_type:
        t.append(" · ")
        t.append_text(safe(SUB_EVENT_TYPES.get(event.type, {}).get(event.sub_type, event.sub_type), single_line=True))
    return t


def sync_changes(ds: Dataset, event: Event) -> list[dict[str, Any]] | None:
    """What syncs of ACLED data changed of the event (the ledger's entries), oldest first."""
    from briefing.ledger import change_index

    return change_index(getattr(ds, "root", None)).get(event.id)


def removed_status(changes: list[dict[str, Any]] | None) -> str | None:
    """`removed by ACLED (sync of DAY)` for an event the last sync that named it removed, else
    None: said first wherever the event is shown whole (a removed event read as live, QA s17)."""
    if not changes or changes[-1]["kind"] != "removed":
        return None
    return f"removed by ACLED (sync of {str(changes[-1].get('synced_at', ''))[:10]})"


def event_detail(ds: Dataset, event: Event, theme: ThemeSpec | None = None) -> RenderableType:
    """Everything recorded about one event, for a terminal or a TUI pane."""
    parts: list[RenderableType] = [heading(safe(event.title, single_line=True), theme, "=", key="title", space=False)]
    changes = sync_changes(ds, event)
    removed = removed_status(changes)
    info = [
        ("status", safe(removed, style_of(theme, "warning"), single_line=True) if removed else None),
        ("date", date_text(event, theme)),
        ("", safe(event.date_note, style_of(theme, "muted")) if event.date_note else None),
        ("place", place_text(event, theme)),
        ("", safe(event.place_note, style_of(theme, "muted")) if event.place_note else None),
        ("type", type_text(event, theme)),
        ("tags", safe(", ".join(event.tags), style_of(theme, "muted"), single_line=True) if event.tags else None),
        ("id", safe(event.id, style_of(theme, "muted"), single_line=True)),
    ]
    parts.append(fields(info, theme))
    if event.summary:
        parts.append(BLANK)
        parts.append(Para(safe(event.summary)))

    parts.append(heading("Figures compared", theme))
    parts.append(figures_table(ds, event.figures, theme))
    if event.figures:
        parts.append(note(LEGEND, theme))
        old = dict(zip(map(id, event.figures), superseded_flags(event.figures)))
        said = [f for f in event.figures if f.wording or f.note]
        if said:
            parts.append(heading("In their words", theme))
            items = []
            for f in said:
                line = Text()
                line.append(quantity(f), style=style_of(theme, "number"))
                carried = ds.source_name(f.source) + (f", via {ds.source_name(f.via)}" if f.via else "")
                when = f", {f.date}" if f.date else ""
                revised = (", withdrawn" if f.withdrawn else ", superseded") if old[id(f)] else ""
                line.append_text(
                    safe(
                        f" {f.metric} · {f.subject}, {ds.actor_name(f.claimed_by)} ({carried}{when}){revised}",
                        style_of(theme, "muted"),
                        single_line=True,
                    )
                )
                if f.wording:
                    line.append_text(safe(f': "{f.wording}"', single_line=True))
                if f.note:
                    line.append_text(safe(f". {f.note}" if f.wording else f": {f.note}", style_of(theme, "muted")))
                items.append(line)
            parts.append(bullets(items))

    if event.actors:
        parts.append(heading("Actors", theme))
        t = table(
            theme,
            Column("actor", 12, 40, 3),
            Column("role", 6, 12, 0),
            Column("kind", 6, 18, 1),
            Column("part of", 8, 30, 2),
        )
        for ar in event.actors:
            a = ds.actor(ar.actor)
            parent = ds.actor(a.parent) if a and a.parent else None
            t.add_row(
                safe(
                    a.name if a else ar.actor,
                    style_of(theme, "claimant") if ar.role in ("perpetrator", "claimant") else "",
                    single_line=True,
                ),
                Text(ar.role),
                safe(a.kind if a else "", style_of(theme, "muted"), single_line=True),
                safe(parent.name if parent else "", style_of(theme, "muted"), single_line=True),
            )
        parts.append(t)

    source_ids = list(
        dict.fromkeys([*event.sources, *(f.source for f in event.figures), *(f.via for f in event.figures if f.via)])
    )
    if source_ids:
        parts.append(heading("Sources", theme))
        parts.append(sources_table(ds, source_ids, theme))

    if changes:  # what syncs of ACLED data changed: a removed event is not cited unawares
        from briefing.render.changes import change_lines

        parts.append(heading("Changes (ACLED syncs)", theme))
        parts.append(Group(*change_lines(changes, style_of(theme, "date"))))

    related = [(rid, ds.event(rid)) for rid in event.related]
    if related:
        parts.append(heading("Related events", theme))
        t = table(theme, Column("date", 10, 10, 0), Column("event", 16, None, 1), Column("id", 12, 48, 0))
        for rid, r in related:
            if r is None:
                t.add_row(
                    Text(""), Text("(not in this dataset)", style=style_of(theme, "muted")), safe(rid, single_line=True)
                )
            else:
                t.add_row(
                    safe(r.date, style_of(theme, "date"), single_line=True),
                    safe(r.title, single_line=True),
                    safe(r.id, style_of(theme, "muted"), single_line=True),
                )
        parts.append(t)
    return Group(*parts)


def sources_table(
    ds: Dataset, source_ids: Iterable[str | Source], theme: ThemeSpec | None = None, *, notes: bool = True
) -> Grid:
    """Sources with kind, Admiralty reliability in letter and words, and the note behind the rating
    (`source_ids`: ids, an unknown one shown as rated F, or the sources themselves)."""
    muted = style_of(theme, "muted")
    columns = [Column("source", 12, 30, 2), Column("rating", 12, 20, 1)]
    if notes:
        columns.append(Column("why this rating", 20, None, 5))
    t = table(theme, *columns)
    for sid in source_ids:
        s = ds.source(sid) if isinstance(sid, str) else sid
        if s is None:
            t.add_row(safe(sid, single_line=True), Text("F"))
            continue
        code = rating(s)
        label = Text()
        label.append(code, style=rating_style(theme, code[0]))
        label.append(rating_label(s)[len(code) + 1 :], style=muted)
        name = cell(
            safe(s.name, style_of(theme, "source"), single_line=True),
            safe(s.kind, muted, single_line=True),
            safe("via " + ", ".join(ds.source_name(v) for v in s.via), muted, single_line=True) if s.via else Text(""),
        )
        row = [name, label]
        if notes:
            row.append(safe(s.reliability_note or "", single_line=True))
        t.add_row(*row)
    return t
