"""`--format json`: one document with the selected events and the actors and sources they reference.

    {"schema_version": 1, "generated_at": "...", "events": [...], "actors": [...], "sources": [...]}

Records are `records.to_plain`: the core model's field names, every field present (None as
null), so each record validates against `briefing schema` and round-trips through the models.
The text is terminal-safe as well as exact: C1 controls, DEL, bidi overrides, line separators
and lone surrogates inside strings are written as `\\uXXXX` escapes (JSON escapes C0 controls
itself), so `cat export.json` cannot drive a terminal, and parsing gives the original strings.
"""

from __future__ import annotations

from typing import Any, TextIO

from briefing.display import safe_json  # the one terminal-unsafe set (display.py owns it)

SCHEMA_VERSION = 1


def dumps(obj: Any) -> str:
    """One value as compact JSON (`{"a": 1, "b": [2, 3]}`), terminal-safe."""
    import json

    return safe_json(json.dumps(obj, ensure_ascii=False, allow_nan=False))


def write_document(out: TextIO, doc: dict[str, Any]) -> None:
    """A document (a dict whose lists hold the records) written record by record: each record
    on a line of its own, so that a re-export diffs line by line, and nothing larger than one
    record is ever held as text (json's indenting encoder is pure Python and holds the whole
    document as one string; this is its C encoder, a record at a time: bench/README.md)."""
    out.write("{\n")
    last = len(doc) - 1
    for i, (key, value) in enumerate(doc.items()):
        out.write(f"  {dumps(key)}: ")
        if isinstance(value, list) and value:
            out.write("[\n")
            n = len(value) - 1
            for k, item in enumerate(value):
                out.write(f"    {dumps(item)}{',' if k < n else ''}\n")
            out.write("  ]")
        else:
            out.write(dumps(value))
        out.write(",\n" if i < last else "\n")
    out.write("}\n")


def document(ctx) -> dict[str, Any]:
    from briefing.export import referenced
    from briefing.records import to_plain

    actors, sources = referenced(ctx.ds, ctx.events)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": ctx.generated_at,
        "events": [to_plain(e) for e in ctx.events],
        "actors": [to_plain(a) for a in actors],
        "sources": [to_plain(s) for s in sources],
    }


def write(out: TextIO, ctx) -> None:
    write_document(out, document(ctx))
