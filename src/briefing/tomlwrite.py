"""Records written as TOML, in the layout the README shows and `tomlpos` locates exactly:
one `[[kind]]` table a record, `key = value` lines, sub-record lists as
`[[kind.field]]` tables.  Shared by `briefing import acled` and the synthetic generator.
"""

from __future__ import annotations

import json
from typing import Any

from briefing.display import safe_json


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        # JSON's escapes are TOML's; safe_json also escapes DEL (TOML wants it escaped), C1
        # controls and bidi overrides, so TOML written to a terminal cannot drive it.
        return safe_json(json.dumps(v, ensure_ascii=False))
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def toml_record(kind: str, rec: dict[str, Any]) -> str:
    """One `[[kind]]` table; lists of tables become `[[kind.field]]`; None and [] are left out."""
    lines = [f"[[{kind}]]"]
    subs: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in rec.items():
        if value is None or value == []:
            continue
        if isinstance(value, list) and isinstance(value[0], dict):
            subs.append((key, value))
            continue
        lines.append(f"{key} = {toml_value(value)}")
    for key, items in subs:
        for item in items:
            lines.append("")
            lines.append(f"[[{kind}.{key}]]")
            lines.extend(f"{k} = {toml_value(v)}" for k, v in item.items() if v is not None and v != [])
    return "\n".join(lines) + "\n"
