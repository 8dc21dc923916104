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

SCHEMA_VERSION = 1

_ESCAPES = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                       0x2028, 0x2029, *range(0xD800, 0xE000))}


def safe_json(text: str) -> str:
    """JSON text with characters a terminal could act on escaped (same data when parsed)."""
    return text if text.isascii() and "\x7f" not in text else text.translate(_ESCAPES)


def dumps(obj: Any, indent: int | None = None) -> str:
    import json

    return safe_json(json.dumps(obj, ensure_ascii=False, indent=indent, allow_nan=False))


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
    out.write(dumps(document(ctx), indent=2))
    out.write("\n")
