"""Writing TOML record files from Python values, for the fixtures and the property tests."""

from __future__ import annotations


def toml_str(s: str) -> str:
    """A TOML basic string; anything not plainly printable is a \\u escape, so the file stays readable."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or 0x7F <= o < 0xA0 or (not ch.isprintable() and ch != " "):
            out.append(f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def table(header: str, fields: dict[str, object]) -> str:
    lines = [header]
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, str):
            lines.append(f"{key} = {toml_str(value)}")
        elif isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(toml_str(v) if isinstance(v, str) else str(v) for v in value) + "]")
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"
