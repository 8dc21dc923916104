"""`--format jsonl`: one event per line, self-contained for `jq` and line-by-line scripts.

Each line is the event's record (core field names) with names resolved beside the ids:
every figure gains `claimant`, `source_name`, `via_name`, `reliability` (the carrier's
Admiralty letter), `rating` (letter + credibility, e.g. `F4`) and `superseded` (true when the
same claimant revised it later in the same source, or withdrew it: the figures CSV's column,
`superseded_flags`); `--format json` adds the same to each actor's figures (`actor_line`);
every actor role gains `name` and `kind`; `sources_named` lists the cited sources with name and
reliability; and `disputed` says whether any of its figures are disputed (`compare.is_disputed`,
the test behind every `!`).  Claims are never merged.  `--format json` writes each event in exactly this shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from briefing.display import counted
from briefing.render.figures import superseded_flags

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.export import Context
    from briefing.records import Actor, Event, Figure

# Fields a line adds to the record (names resolved, the dispute test), for a reader that wants
# the bare record back (`record_of`): the record itself validates against `briefing schema`.
ADDED_EVENT_FIELDS = ("sources_named", "disputed")
ADDED_FIGURE_FIELDS = ("claimant", "source_name", "via_name", "reliability", "rating", "superseded")
ADDED_ACTOR_ROLE_FIELDS = ("name", "kind")


def record_of(line: dict[str, Any]) -> dict[str, Any]:
    """The event record of a JSON/JSONL event line, the added fields taken out."""
    rec = {k: v for k, v in line.items() if k not in ADDED_EVENT_FIELDS}
    rec["figures"] = [{k: v for k, v in f.items() if k not in ADDED_FIGURE_FIELDS} for f in rec["figures"]]
    rec["actors"] = [{k: v for k, v in a.items() if k not in ADDED_ACTOR_ROLE_FIELDS} for a in rec["actors"]]
    return rec


def actor_record_of(line: dict[str, Any]) -> dict[str, Any]:
    """The actor record of a JSON document's actor (`actor_line`), the added fields taken out."""
    rec = dict(line)
    rec["figures"] = [{k: v for k, v in f.items() if k not in ADDED_FIGURE_FIELDS} for f in rec["figures"]]
    return rec


def _figures(ds: Dataset, figures: tuple[Figure, ...], plains: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A record's plain figures with `ADDED_FIGURE_FIELDS`, the same for an event's and an actor's."""
    from briefing.render.text import rating

    out = []
    for f, plain, old in zip(figures, plains, superseded_flags(figures)):
        src = ds.source(f.source)
        plain["claimant"] = ds.actor_name(f.claimed_by)
        plain["source_name"] = ds.source_name(f.source)
        plain["via_name"] = ds.source_name(f.via) if f.via else None
        plain["reliability"] = src.reliability if src else None
        plain["rating"] = rating(src, f.credibility)
        plain["superseded"] = old
        out.append(plain)
    return out


def actor_line(ds: Dataset, actor: Actor) -> dict[str, Any]:
    """An actor as `--format json` writes it: the record, its figures with the fields an
    event's figures gain (`ADDED_FIGURE_FIELDS`, `superseded` among them)."""
    from briefing.records import to_plain

    rec: dict[str, Any] = to_plain(actor)
    rec["figures"] = _figures(ds, actor.figures, rec["figures"])
    return rec


def line(ds: Dataset, event: Event) -> dict[str, Any]:
    from briefing.compare import is_disputed
    from briefing.records import to_plain

    rec: dict[str, Any] = to_plain(event)
    rec["figures"] = _figures(ds, event.figures, rec["figures"])
    for ar, plain in zip(event.actors, rec["actors"]):
        a = ds.actor(ar.actor)
        plain["name"] = a.name if a else ar.actor
        plain["kind"] = a.kind if a else None
    rec["sources_named"] = [
        {"id": sid, "name": ds.source_name(sid), "reliability": (src.reliability if (src := ds.source(sid)) else None)}
        for sid in event.sources
    ]
    rec["disputed"] = is_disputed(event.figures)
    return rec


def write(out: TextIO, ctx: Context) -> None:
    from briefing.export.json import dumps

    n = 0
    for event in ctx.events:
        out.write(dumps(line(ctx.ds, event)))
        out.write("\n")
        n += 1
    ctx.wrote = f"{counted(n, 'event')}, one per line"
