"""The display boundary: every record string passes through `clean` before any view shows it.

Rich and Textual do not strip ESC or C1 bytes, and a record can come from copied web text
or an imported CSV.  So control bytes become visible escapes (`\\x1b`), bidi overrides that
could reorder a line become visible escapes too (and `has_bidi` lets a view flag them),
while the text people actually write — ZWJ/ZWNJ, combining marks, Arabic, Persian, CJK,
emoji — passes untouched.  Stored data is never changed; this is for output only.

Markup is the other half of the boundary: views build `rich.text.Text` objects from cleaned
strings (never markup strings), so `[bold]` or `[@click=app.quit]` in a record shows as typed.
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _needs_escape(code: int) -> bool:
    return (
        code < 0x20 or 0x7F <= code < 0xA0  # C0, DEL, C1
        or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069  # bidi embeddings, overrides, isolates
        or 0xD800 <= code < 0xE000  # lone surrogates (from a lax decoder): no terminal can take them
    )


class _Escapes(dict):
    """A `str.translate` table filled on first sight of each code point.

    Building the full table up front (2,200 entries with the surrogates) cost about 1 ms at
    import, on the brief's critical path; this costs nothing until a string that is not
    printable shows up, and then one Python call per distinct code point, C speed after.
    """

    def __missing__(self, code: int) -> str:
        value = _escape(code) if _needs_escape(code) else chr(code)
        self[code] = value
        return value


_TABLE = _Escapes({0x09: "\t", 0x0A: "\n"})  # tab and newline are text
# Newline, tab and the Unicode line/paragraph separators that str.splitlines() also breaks on.
_ONE_LINE = _Escapes({0x09: " ", 0x0A: " ", 0x2028: " ", 0x2029: " "})


def clean(value: object) -> str:
    """Text safe to hand to a terminal: control and bidi-override characters made visible."""
    s = value if isinstance(value, str) else str(value)
    if s.isprintable():  # the common case: nothing to do, and cheap
        return s
    return s.translate(_TABLE)


def one_line(value: object) -> str:
    """`clean`, with newlines and tabs folded to spaces, for table cells and list rows."""
    s = value if isinstance(value, str) else str(value)
    if s.isprintable():
        return s
    return s.translate(_ONE_LINE)


def has_bidi(value: str) -> bool:
    """True when a string holds bidi override/isolate characters, so a view can flag it."""
    return not value.isprintable() and any(ch in BIDI_CONTROLS for ch in value)
