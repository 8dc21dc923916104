"""Exports for scripts: one module per format, each with `write(out, ctx)` streaming text to `out`.

    json   the records (core field names) of the selected events and what they reference
    jsonl  one event per line, with its figures and the names of claimants and sources
    csv    --table events|figures|actors, spreadsheet-safe
    md     the brief as Markdown
    stix   a STIX 2.1 bundle with deterministic ids

`atomic.write_atomic` puts the text on disk: temp file in the same directory, fsync, rename.
"""

from __future__ import annotations

FORMATS = ("json", "jsonl", "csv", "md", "stix")
TABLES = ("events", "figures", "actors")


class Context:
    """What every format is given: the dataset, the selected events (newest first), the
    canonical query, the csv table, and the export's timestamp."""

    __slots__ = ("ds", "events", "query", "table", "generated_at")

    def __init__(self, ds, events, query: str = "", table: str = "events", generated_at: str | None = None) -> None:
        from briefing.summary import stamp

        self.ds = ds
        self.events = list(events)
        self.query = query
        self.table = table
        self.generated_at = generated_at or stamp()


def referenced(ds, events):
    """(actors, sources) the events reference, in the dataset's order.

    Actors: every role and every claimant, plus their parent chains (so a branch's hierarchy
    resolves).  Sources: every cited source, claim carrier and relay, plus the sources those
    were seen through (`via`).  Relations of an included actor to others are kept as written
    and may name actors outside the export.
    """
    from briefing.summary import actors_of, sources_of

    actor_ids = set()
    for aid in actors_of(events):
        actor_ids.add(aid)
        actor_ids.update(a.id for a in ds.parent_chain(aid))
    source_ids = set()
    todo = list(sources_of(events))
    while todo:
        sid = todo.pop()
        if sid in source_ids:
            continue
        source_ids.add(sid)
        s = ds.source(sid)
        if s is not None:
            todo.extend(s.via)
    return ([a for a in ds.actors if a.id in actor_ids], [s for s in ds.sources if s.id in source_ids])


def writer(fmt: str):
    """The `write(out, ctx)` function of a format."""
    import importlib

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return importlib.import_module(f"briefing.export.{fmt}").write
