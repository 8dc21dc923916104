"""A fast path for the TOML our record files are written in, with `tomllib` as the judge.

`tomllib` is pure Python and reads about 4 MB/s here (100k events are ~100 MB of TOML:
25 s).  Record files, hand-written or generated, use a small regular subset of TOML:
`[[kind]]` / `[[kind.sub]]` headers, `key = value` lines whose value is a one-line basic
string, a decimal number, a boolean or a one-line array of those, comments and blank
lines.  In that subset each value is already JSON *with the same meaning*, so a few C-level
regex splits turn the file into a JSON array of flat tables, `json.loads` reads it, and a
short loop nests the sub-tables: about six times faster.

Anything outside the subset makes `loads` hand the whole text to `tomllib`, so the result
(or the error, with its line and column) is always exactly `tomllib`'s.  What is checked:
every line is a `key =` line, a header or a blank/comment line; JSON reads each value as
one value (counted: one key per `key =` line, one table per header, no nested objects);
no `null`, `NaN` or `Infinity`; none of the string escapes on which the two languages
differ (`\\/`, surrogate `\\u`), no raw DEL and no lone CR; duplicate keys and headers TOML
would refuse fall back too.  `tests/scale/test_fasttoml.py` checks the two agree.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate, repeat
from typing import Any

_WS = r"[ \t]*"
_BARE = r"[A-Za-z0-9_-]+"
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*+)?"
_EOL = r"\r?(?=\n|\Z)"
# Each pattern starts with a literal newline (the text gets one prepended), which lets the
# regex engine skip from line to line with a fast scan instead of trying every position.
_KEY = re.compile(rf"\n{_WS}()({_BARE})(){_WS}={_WS}")
_HEADER = re.compile(rf"\n{_WS}\[\[{_WS}()({_BARE}(?:\.{_BARE})?)(){_WS}\]\]{_WS}{_COMMENT}{_EOL}")
_BLANK = re.compile(rf"\n{_WS}{_COMMENT}{_EOL}")
_SURROGATE = re.compile(r"\\u[dD][89abAB]")
_NULL = re.compile(r"[:\[,][ \t]*null")
_KEYLIKE = re.compile(r'"[ \t]*:')
_H = " h"  # the header marker key: a bare key cannot contain a space


class _Fallback(Exception):
    pass


def _reject(_name: str) -> Any:
    raise _Fallback


def _split(pattern: re.Pattern[str], text: str, before: str, after: str) -> tuple[str, int, list[str]]:
    """Replace each match by before + group 2 + after, in C: split, then fill the marker slots.
    Also returns the text between matches."""
    parts = pattern.split(text)
    n = (len(parts) - 1) // 4
    between = parts[0::4]
    if n:
        parts[1::4] = [before] * n
        parts[3::4] = [after] * n
    return "".join(parts), n, between


# Line breaks other than \n (and \r\n) that str.splitlines() honours; with none of them in the
# text, a header's line number is simply one more than the newlines before it.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _fast(text: str) -> tuple[dict[str, Any], dict[str, list[int]] | None]:
    if "\x7f" in text or "\\/" in text or text.count("\r") != text.count("\r\n"):
        raise _Fallback
    if "\\u" in text and _SURROGATE.search(text):
        raise _Fallback
    text = "\n" + text
    lines = text.count("\n")
    js, n_kv, _ = _split(_KEY, text, '\n,"', '":')
    js, n_hdr, between = _split(_HEADER, js, '\n},{" h":"', '"')
    js, n_blank = _BLANK.subn("", js)
    if n_kv + n_hdr + n_blank != lines:
        raise _Fallback  # some line is outside the subset
    if "null" in js and _NULL.search(js):  # where JSON reads a value (after `":`, `[` or `,`)
        raise _Fallback

    # Without a `{` or a `"…":` in the text, JSON cannot read a line as more than one value
    # (no extra key, no nested object), so counting keys after the fact is exact and the
    # tables can be built in C; otherwise a hook checks every object as JSON builds it.
    plain = "{" not in text and not _KEYLIKE.search(text)
    counts = [0, 0]

    def pairs(p: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(p)
        if len(d) != len(p):
            raise _Fallback  # a duplicate key: let tomllib word the error
        counts[0] += 1
        counts[1] += len(p)
        return d

    try:
        tables = json.loads('[{" h":""' + js + "}]", object_pairs_hook=None if plain else pairs,
                            parse_constant=_reject)
    except ValueError:
        raise _Fallback from None
    if plain:
        counts = [len(tables), sum(map(len, tables))]  # a duplicate key shows as a key short
    # One object per header (plus the root), one key per `key =` line (plus the markers):
    # anything else means JSON read a line differently from TOML.
    if counts[0] != n_hdr + 1 or counts[1] != n_kv + n_hdr + 1:
        raise _Fallback
    doc = tables[0]
    del doc[_H]
    # The 1-based line of each header: the newlines before it (each header match holds one).
    lines: list[int] | None = None
    if not _OTHER_BREAKS.search(text):
        lines = list(accumulate(map(str.count, between[:n_hdr], repeat("\n"))))
    starts: dict[str, list[int]] = {}
    made: set[int] = set()
    last: dict[str, dict[str, Any]] = {}
    for i, t in enumerate(tables[1:]):
        top, dot, sub = t.pop(_H).partition(".")
        if dot:
            parent = last.get(top)
            if parent is None:
                raise _Fallback
        else:
            parent = doc
            sub = top
            last[top] = t
            if lines is not None:
                starts.setdefault(top, []).append(lines[i] + i + 1)
        lst = parent.get(sub)
        if lst is None:
            lst = parent[sub] = []
            made.add(id(lst))
        elif id(lst) not in made:
            raise _Fallback  # `[[x]]` after `x = ...`: tomllib's error to word
        lst.append(t)
    return doc, (starts if lines is not None else None)


def loads(text: str) -> dict[str, Any]:
    """The same result as `tomllib.loads(text)`, and the same exceptions; usually much faster."""
    return loads_located(text)[0]


def loads_located(text: str) -> tuple[dict[str, Any], dict[str, list[int]] | None]:
    """`loads`, plus the line (1-based, as `str.splitlines` counts) of every top-level
    `[[kind]]` header by kind, in order — or None when only `tomllib` could read the text
    or the text has line breaks other than \n (then ask `tomlpos.TomlLocator`)."""
    try:
        return _fast(text)
    except (_Fallback, RecursionError):
        pass
    import tomllib

    return tomllib.loads(text), None
