"""Exports for scripts: one module per format, each with `write(out, ctx)` streaming text to `out`.

    json   the records (core field names) of the selected events and what they reference
    jsonl  one event per line, with its figures and the names of claimants and sources
    csv    --table events|figures|actors, spreadsheet-safe
    md     the brief as Markdown
    stix   a STIX 2.1 bundle with deterministic ids

`atomic.write_atomic` puts the text on disk: temp file in the same directory, fsync, rename.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from briefing.analysis import Trends
    from briefing.dataset import Dataset
    from briefing.records import Actor, Event, Source

FORMATS = ("json", "jsonl", "csv", "md", "stix")


class Tally(Sequence["Event"]):
    """The selected events, counting how far a format has read them (`read`, in the pass under
    way, the `passes`-th), for a view that says how far an export of a hundred thousand events
    has got.  A format may read them more than once (JSON of a selection: what they reference,
    then the events)."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.events = events
        self.read = 0
        self.passes = 0

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]  # int or slice, as the events'
        return self.events[i]

    def __iter__(self) -> Iterator[Event]:
        self.passes += 1
        self.read = 0
        for e in self.events:
            self.read += 1
            yield e


class Context:
    """What every format is given: the dataset, the selected events (newest first), the
    canonical query, the csv table, and the export's timestamp."""

    __slots__ = ("ds", "events", "query", "table", "generated_at", "wrote", "again", "trends", "disputed_only")

    def __init__(
        self,
        ds: Dataset,
        events: Iterable[Event],
        query: str = "",
        table: str = "events",
        generated_at: str | None = None,
    ) -> None:
        from briefing.summary import stamp

        self.ds = ds
        # A sequence stays one: a view's selection (`select`) is read from the store as the
        # format iterates it, so an export of a million events never holds them all.
        self.events: Sequence[Event] = events if isinstance(events, Sequence) else list(events)
        self.query = query
        self.table = table
        self.generated_at = generated_at or stamp()
        self.wrote: str | None = None  # what a format wrote, for the command's one-line report
        self.again: tuple[str, ...] = ()  # the flags that chose the data and events (`BriefData.again`)
        self.trends: Trends | None = None  # the Markdown brief's, when its command worked them out
        # `--claims disputed`: the figures table and the STIX bundle hold the disputed claims
        # only (the rows marked `!`); the events are still chosen by the filter alone
        self.disputed_only = False

    @property
    def complete(self) -> bool:
        """Every event is selected, but those ACLED removed, which a query hides unless it names
        `removed`: the export then holds every record of the dataset, referenced or not (an
        actor no event names is still part of the data).  Counted against every event, the
        removed ones too, an export with no filter after a sync that removed one left out the
        actors and sources no event names, and a STIX consumer lost them unrevoked (QA s17)."""
        total = len(self.ds.events)
        if len(self.events) == total:
            return True
        from briefing.filters import Query, removed_hidden

        return len(self.events) == total - removed_hidden(Query(), self.ds)

    def records(self) -> tuple[list[Actor], list[Source]]:
        """(actors, sources) to write: all of them for a complete export, else what the
        selected events reference (`referenced`)."""
        if self.complete:
            return list(self.ds.actors), list(self.ds.sources)
        return referenced(self.ds, self.events)


def claim_actors(ctx: Context) -> list[Actor]:
    """The actors whose own claims (a group's strength) an export of claims holds beside the
    selected events': every actor's with no filter; else those of the actors the filter names
    (`actor:`, as the brief opens with its profile), none when nothing matched.  Not every actor
    the events mention: ISKP's undisputed strength came in a table of "the disputed figures"
    and as the one row of "the Uzbekistan figures" (QA s15).  Not by whether the filter happens
    to select every event either (`actor:grp` did, and gave every group's; QA s16).  The
    figures CSV and the STIX bundle of the disputed claims alike."""
    if not ctx.query:
        return list(ctx.ds.actors)
    if not ctx.events:
        return []
    from briefing.filters import parse
    from briefing.summary import profile_actors

    return profile_actors(ctx.ds, parse(ctx.query))


def referenced(ds: Dataset, events: Sequence[Event]) -> tuple[list[Actor], list[Source]]:
    """(actors, sources) the events reference, in the dataset's order.

    Actors: every role and every claimant, plus their parent chains (so a branch's hierarchy
    resolves) and the claimants of their own figures.  Sources: every cited source, claim
    carrier and relay (the events' and the included actors'), plus the sources those were seen
    through (`via`).  Relations of an included actor to others are kept as written and may name
    actors outside the export: `outside` lists them.
    """
    from briefing.summary import references

    named, cited = references(events)  # one pass: a view's selection is read from the store on each
    actor_ids: set[str] = set()
    for aid in named:
        actor_ids.add(aid)
        actor_ids.update(a.id for a in ds.parent_chain(aid))
    # an included actor's own figures: their claimants and the sources that carry them
    extra_sources: list[str] = []
    for aid in list(actor_ids):
        a = ds.actor(aid)
        if a is None:
            continue
        extra_sources += a.sources
        for f in a.figures:
            actor_ids.add(f.claimed_by)
            extra_sources += [x for x in (f.source, f.via) if x]
    source_ids: set[str] = set()
    todo = [*cited, *extra_sources]
    while todo:
        sid = todo.pop()
        if sid in source_ids:
            continue
        source_ids.add(sid)
        s = ds.source(sid)
        if s is not None:
            todo.extend(s.via)
    return ([a for a in ds.actors if a.id in actor_ids], [s for s in ds.sources if s.id in source_ids])


class Links:
    """The exported events' ids and `related` links, gathered while the events are written
    (`see`), for `outside` to list after them: a view's events are read from the store on
    each pass, so a second pass only for these would read a million events again."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.related: list[tuple[str, str]] = []

    def see(self, e: Event) -> Event:
        self.ids.add(e.id)
        self.related += [(e.id, r) for r in e.related]
        return e


def outside(ds: Dataset, events: Links, actors: Iterable[Actor], sources: Iterable[Source]) -> list[dict[str, str]]:
    """The references of the exported records that point at records not in the export: an
    actor's relation, parent or cited source, an event's related event, a source's relay.
    Each as {"from", "field", "to"}, so a reader knows the link is real but not included."""
    actor_ids = {a.id for a in actors}
    source_ids = {s.id for s in sources}
    out = [{"from": eid, "field": "related", "to": r} for eid, r in events.related if r not in events.ids]
    for a in actors:
        out += [
            {"from": a.id, "field": f"relations.{r.kind}", "to": r.actor}
            for r in a.relations
            if r.actor not in actor_ids
        ]
        if a.parent and a.parent not in actor_ids:
            out.append({"from": a.id, "field": "parent", "to": a.parent})
        out += [{"from": a.id, "field": "sources", "to": s} for s in a.sources if s not in source_ids]
        for f in a.figures:
            out += [
                {"from": a.id, "field": "figures.source", "to": x}
                for x in (f.source, f.via)
                if x and x not in source_ids
            ]
            if f.claimed_by not in actor_ids:
                out.append({"from": a.id, "field": "figures.claimed_by", "to": f.claimed_by})
    for s in sources:
        out += [{"from": s.id, "field": "via", "to": v} for v in s.via if v not in source_ids]
    return out


def writer(fmt: str) -> Callable[[TextIO, Context], None]:
    """The `write(out, ctx)` function of a format."""
    import importlib

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    write: Callable[[TextIO, Context], None] = importlib.import_module(f"briefing.export.{fmt}").write
    return write
