"""`--format json`: one document with the selected events and the actors and sources they reference.

    {"schema_version": 1, "generated_at": "...", "skipped": 0, "events": [...], "actors": [...],
     "sources": [...], "outside": [...]}

`skipped` counts the invalid records `--skip-invalid` left out of the data (0 without it): a
script can tell a partial export from a whole one by the file alone.

Actors and sources are `records.to_plain`: the core model's field names, every field present
(None as null), so each validates against `briefing schema` and round-trips through the models;
an actor's figures gain the fields an event's do (`superseded` among them: `jsonl.actor_line`,
and `jsonl.actor_record_of` gives the bare record back).
Events are written as `--format jsonl` writes them (the record plus `disputed`,
`sources_named` and the claimants' and sources' names: `jsonl.record_of` gives the bare
record back), so the two formats carry the same fields.  An unfiltered export holds every
record of the dataset; a filtered one every actor and source the events reference, and
`outside` lists each reference that points at a record left out (`export.outside`).
The text is terminal-safe as well as exact: C1 controls, DEL, bidi overrides, line separators
and lone surrogates inside strings are written as `\\uXXXX` escapes (JSON escapes C0 controls
itself), so `cat export.json` cannot drive a terminal, and parsing gives the original strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

# safe_json: the one terminal-unsafe set (display.py owns it)
from briefing.display import counted, safe_json

if TYPE_CHECKING:
    from briefing.export import Context

SCHEMA_VERSION = 1


def dumps(obj: Any) -> str:
    """One value as compact JSON (`{"a": 1, "b": [2, 3]}`), terminal-safe."""
    import json

    return safe_json(json.dumps(obj, ensure_ascii=False, allow_nan=False))


def write_document(out: TextIO, doc: dict[str, Any]) -> None:
    """A document (a dict whose lists hold the records) written record by record: each record
    on a line of its own, so that a re-export diffs line by line, and nothing larger than one
    record is ever held as text (json's indenting encoder is pure Python and holds the whole
    document as one string; this is its C encoder, a record at a time: bench/README.md).  A
    value may be an iterator of records, written as it yields them: an export of a million
    events never holds them (`document`)."""
    out.write("{\n")
    last = len(doc) - 1
    for i, (key, value) in enumerate(doc.items()):
        out.write(f"  {dumps(key)}: ")
        if isinstance(value, (list, Iterator)):
            write_items(out, value)
        else:
            out.write(dumps(value))
        out.write(",\n" if i < last else "\n")
    out.write("}\n")


def write_items(out: TextIO, items: Iterable[Any], pieces: Callable[[Any], Iterable[str]] | None = None) -> None:
    """A list inside a document (`write_document`), an item a line, taken one at a time.
    pieces(item): its JSON in pieces written one after another (an item too big to be one
    string: a STIX report listing millions of ids); by default `dumps(item)`."""
    first = True
    for item in items:
        out.write("[\n    " if first else ",\n    ")
        first = False
        if pieces is None:
            out.write(dumps(item))
        else:
            for piece in pieces(item):
                out.write(piece)
    out.write("[]" if first else "\n  ]")


def document(ctx: Context) -> dict[str, Any]:
    from briefing.export import Links, outside
    from briefing.export.jsonl import actor_line, line
    from briefing.records import to_plain

    actors, sources = ctx.records()
    ctx.wrote = (
        f"{counted(len(ctx.events), 'event')}, {counted(len(actors), 'actor')} and {counted(len(sources), 'source')}"
    )
    links = Links()

    def after_the_events() -> Iterator[dict[str, str]]:
        yield from outside(ctx.ds, links, actors, sources)

    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": ctx.generated_at,
        "skipped": getattr(ctx.ds, "skipped", 0),  # invalid records --skip-invalid left out of the data
        "events": (line(ctx.ds, links.see(e)) for e in ctx.events),  # written as read: never held
        "actors": [actor_line(ctx.ds, a) for a in actors],
        "sources": [to_plain(s) for s in sources],
        "outside": after_the_events(),  # written last, once every event has been seen
    }


def write(out: TextIO, ctx: Context) -> None:
    write_document(out, document(ctx))
