"""Fast paths for reading record files, with `tomllib` and the schema as the judges.

Reading.  `tomllib` is pure Python and reads about 4 MB/s here (100k events are ~100 MB
of TOML: 25 s).  Record files, hand-written or generated, use a small regular subset of
TOML: `[[kind]]` / `[[kind.sub]]` headers, `key = value` lines whose value is a one-line
basic string, a decimal number, a boolean or a one-line array of those, comments and blank
lines.  In that subset each value is already JSON *with the same meaning*, so the file is
turned into a JSON array of flat tables — by a few `bytes.replace` calls when it is laid out
canonically (`_canonical`: what synth and the importer write), else by C-level regex splits
(`_by_regex`) — and a JSON reader reads it (pydantic-core's for big files, `json` else).

Anything outside the subset makes `loads` hand the whole text to `tomllib`, so the result
(or the error, with its line and column) is always exactly `tomllib`'s.  What is checked:
every line is a `key =` line, a header or a blank/comment line; JSON reads each value as
one value (counted: one key per `key =` line, one table per header, no nested objects);
no `null`, `NaN` or `Infinity`; none of the string escapes on which the two languages
differ (`\\/`, surrogate `\\u`), no raw DEL and no lone CR; duplicate keys and headers TOML
would refuse fall back too.

Checking.  For the loader, `read` keeps the tables flat (each kind's records, and their
sub-tables with a count per record, found in C) and `Reading.columns` has
`briefing.fastcheck` check a kind's records a column at a time without pydantic; only when
that check cannot vouch for every record does the loader nest the tables as tomllib would
and ask the pydantic models, which word every error.

`tests/scale/test_fast_paths.py` and `tests/scale/test_fast_check.py` hold the fast paths
to tomllib and the schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import accumulate, repeat
from operator import add, itemgetter
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
HEADER_KEY = _H = " h"  # the header marker key in flat tables: a bare key cannot contain a space


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


# Line breaks other than \n (and \r\n) that str.splitlines() honours.  Where the fast path
# succeeds only three of them can be in the text (in strings or comments: JSON refuses the
# C0 ones in strings and outside them, and comments exclude them), so three `in` tests tell
# whether a header's line number is simply one more than the newlines before it.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")

# The canonical layout (what `briefing.devtools.synth`, the importer and most editors write):
# every line is `key = value` (bare key, one space either side of `=`), `[[name]]` or
# `[[name.sub]]` alone, a comment starting in column 0, or empty.  Such text is turned into
# the same JSON as the regex route below with a few `bytes.replace` calls, each counted by
# how much it changed the length.
_CANON_BAD_LINE = re.compile(
    rb"\n(?![A-Za-z0-9_-]+ = |\[\[[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?\]\](?=\n|\Z)"
    rb"|#[^\x00-\x08\x0a-\x1f\x7f]*(?=\n|\Z)|(?=\n|\Z))"
)
_CANON_COMMENT = re.compile(rb"\n#[^\n]*")
_Made = tuple[Any, int, int, Callable[[list[str], list[str]], dict[str, list[int]]]]


def _canonical(raw: bytes) -> _Made | None:
    """(JSON text as bytes, key lines, headers, header lines by kind) for canonical text, else None.

    Each line starts with the newline before it (one is prepended): a key line becomes
    `\n,"key": value`, a header `\n},{" h":"name"`, an empty line white space; comment
    lines go."""
    text = b"\n" + raw.rstrip(b"\n")
    if _CANON_BAD_LINE.search(text):
        return None
    js = _CANON_COMMENT.sub(b"", text) if b"#" in raw and b"\n#" in text else text  # (one byte is found faster)
    if js.endswith((b"\n", b"]]")):
        return None  # nothing but blank lines, or a header (or `]]`) last: the regex route
    size = len(js)
    js = js.replace(b"\n", b'\n,"')
    n_lines = (len(js) - size) // 2
    size = len(js)
    js = js.replace(b'\n,"[[', b'\n},{" h":"')
    n_hdr = (len(js) - size) // 5
    size = len(js)
    js = js.replace(b']]\n,"', b'"\n,"')
    if size - len(js) != n_hdr:
        return None  # some value ends in `]]`
    # An empty line is left as JSON white space (one pass; a second empty line in a row
    # stays `,"` and JSON refuses it: then the regex route, see `_flat`).
    size = len(js)
    js = js.replace(b'\n,"\n', b"\n\n")
    n_blank = (size - len(js)) // 2
    # The key of a key line has no spaces, so its ` =` is the line's first; with no more of
    # them than key lines, no value holds one and the replace hits only separators.  (` =`
    # is found faster than ` = `, and `": ` grows the text by one, which counts them.)
    n_kv = n_lines - n_hdr - n_blank
    size = len(js)
    js = js.replace(b" =", b'": ')
    if len(js) - size != n_kv:
        return None

    def starts(_markers: list[str], names: list[str]) -> dict[str, list[int]]:
        out = {}
        for name in names:
            if "." not in name:
                pieces = text.split(b"\n[[" + name.encode() + b"]]")
                before = accumulate(map(bytes.count, pieces[:-1], repeat(b"\n")))
                out[name] = list(map(add, before, range(1, len(pieces))))
        return out

    return js, n_kv, n_hdr, starts


def _by_regex(text: str) -> _Made | None:
    """The same as `_canonical` for any layout of the subset (indentation, tabs, spaces around
    `=`, comments after headers), with regex splits; None when some line is outside it."""
    text = "\n" + text
    lines = text.count("\n")
    js, n_kv, _ = _split(_KEY, text, '\n,"', '":')
    js, n_hdr, between = _split(_HEADER, js, '\n},{" h":"', '"')
    js, n_blank = _BLANK.subn("", js)
    if n_kv + n_hdr + n_blank != lines:
        return None  # some line is outside the subset

    def starts(markers: list[str], _names: list[str]) -> dict[str, list[int]]:
        before = list(accumulate(map(str.count, between[:n_hdr], repeat("\n"))))
        out: dict[str, list[int]] = {}
        for i, name in enumerate(markers):
            if "." not in name:
                out.setdefault(name, []).append(before[i] + i + 1)
        return out

    return js, n_kv, n_hdr, starts


class _Flat:
    """A text read as flat tables: the root table, then one table per header (each still
    holding its header's name under the key " h"), the distinct names in order, and — on
    demand — the 1-based line of every top-level header by kind (None when the text has
    other line breaks than \n)."""

    __slots__ = ("root", "tables", "markers", "names", "_starts", "_text")

    def __init__(self, root: dict[str, Any], tables: list[dict[str, Any]], markers: list[str],
                 starts: Callable[[list[str], list[str]], dict[str, list[int]]], text: Callable[[], str]) -> None:
        self.root, self.tables, self.markers = root, tables, markers
        self.names = list(dict.fromkeys(markers))
        self._starts, self._text = starts, text

    @property
    def starts(self) -> dict[str, list[int]] | None:
        if any(map(self._text().__contains__, _OTHER_BREAKS)):  # (one character each: fast)
            return None
        return self._starts(self.markers, self.names)


# The checks of `_flat`, on the text as UTF-8 (ASCII characters are themselves there, and
# U+0085, U+2028, U+2029 these byte sequences); with str constants for a text that cannot
# be encoded (a lone surrogate, which tomllib keeps).
_CHECKS_B = (b"\x7f", b"\\", b"\\/", b"\r", b"\r\n", b"\\u", re.compile(rb"\\u[dD][89abAB]"), b"{",
             re.compile(rb'"[ \t]*:'))
_CHECKS_S = ("\x7f", "\\", "\\/", "\r", "\r\n", "\\u", _SURROGATE, "{", _KEYLIKE)
_NULL_B = re.compile(rb"[:\[,][ \t]*null")
BIG = 1 << 20  # JSON at least this long is read by pydantic-core's reader (its import costs ~50 ms)


def _flat(text: str | None, raw: bytes | None = None) -> _Flat:
    """The flat tables of a text; raises `_Fallback` where only tomllib can judge.  text may
    be None when raw is given: then only the canonical route is tried unless raw decodes
    (UnicodeDecodeError if it does not: the caller words that)."""
    if raw is None:
        try:
            raw = text.encode("utf-8")  # type: ignore[union-attr]
        except UnicodeEncodeError:  # a lone surrogate: the regex route keeps it, as tomllib does
            pass
    src: str | bytes = raw if raw is not None else text  # type: ignore[assignment]
    # (A one-byte needle is found several times faster than a longer one: look for that first.)
    DEL, BACKSLASH, SLASH, CR, CRLF, U, SURROGATE, BRACE, KEYLIKE = _CHECKS_B if raw is not None else _CHECKS_S
    if DEL in src:
        raise _Fallback
    if BACKSLASH in src and (SLASH in src or U in src and SURROGATE.search(src)):  # type: ignore[operator]
        raise _Fallback
    cr = CR in src
    if cr and src.count(CR) != src.count(CRLF):  # type: ignore[arg-type]
        raise _Fallback
    # Without a `{` or a `"…":` in the text, JSON cannot read a line as more than one value
    # (no extra key, no nested object), so counting keys after the fact is exact and the
    # tables can be built in C; otherwise a hook checks every object as JSON builds it.
    plain = BRACE not in src and not KEYLIKE.search(src)  # type: ignore[operator]
    made = _canonical(raw) if raw is not None and not cr else None
    tables = None
    if made is not None:
        try:
            tables = _tables(made, plain)
        except _Fallback:  # e.g. two empty lines in a row: the regex route may still read it
            pass
    if tables is None:
        if text is None:
            text = raw.decode("utf-8")  # type: ignore[union-attr]
        made = _by_regex(text)
        if made is None:
            raise _Fallback
        tables = _tables(made, plain)
    root = tables[0]
    del root[_H]
    del tables[0]
    if text is None:
        # The canonical route read it all, in JSON strings that the reader checked as UTF-8
        # (a comment, which it does not read, made the caller decode first).
        def decoded() -> str:
            return raw.decode("utf-8")  # type: ignore[union-attr]
    else:
        def decoded() -> str:
            return text  # type: ignore[return-value]
    return _Flat(root, tables, list(map(itemgetter(_H), tables)), made[3], decoded)


def _from_json() -> Callable[..., Any] | None:
    try:
        from pydantic_core import from_json
    except ImportError:  # pragma: no cover - pydantic-core too old
        return None
    return from_json


def _tables(made: _Made, plain: bool) -> list[dict[str, Any]]:
    """The flat tables from the JSON that `_canonical` or `_by_regex` made, checked against
    the counts of lines they saw; raises `_Fallback`."""
    js, n_kv, n_hdr, _starts = made
    if "null" in js and _NULL.search(js) if isinstance(js, str) else b"null" in js and _NULL_B.search(js):
        raise _Fallback  # where JSON reads a value (after `":`, `[` or `,`)
    counts = [0, 0]

    def pairs(p: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(p)
        if len(d) != len(p):
            raise _Fallback  # a duplicate key: let tomllib word the error
        counts[0] += 1
        counts[1] += len(p)
        return d

    try:
        if plain and isinstance(js, bytes) and len(js) >= BIG and _from_json() is not None:
            # The same values as `json.loads` (it refuses all that that refuses, and NaN and
            # lone surrogates too), faster, without decoding first, equal strings shared.
            tables = _from_json()(b'[{" h":""' + js + b"}]", allow_inf_nan=False)
        else:
            if isinstance(js, bytes):
                js = js.decode()
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
    return tables


def _nest(flat: _Flat) -> dict[str, Any]:
    """The document tomllib would make of the flat tables (which lose their markers)."""
    doc = flat.root
    made: set[int] = set()
    last: dict[str, dict[str, Any]] = {}
    for t, name in zip(flat.tables, flat.markers):
        del t[_H]
        top, dot, sub = name.partition(".")
        if dot:
            parent = last.get(top)
            if parent is None:
                raise _Fallback
        else:
            parent = doc
            sub = top
            last[top] = t
        lst = parent.get(sub)
        if lst is None:
            lst = parent[sub] = []
            made.add(id(lst))
        elif id(lst) not in made:
            raise _Fallback  # `[[x]]` after `x = ...`: tomllib's error to word
        lst.append(t)
    return doc


def _fast(text: str, raw: bytes | None = None) -> tuple[dict[str, Any], dict[str, list[int]] | None]:
    """`loads_located` without the fallback: raises `_Fallback` where tomllib must judge."""
    flat = _flat(text, raw)
    starts = flat.starts
    return _nest(flat), starts


def _tomllib(text: str) -> dict[str, Any]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    return tomllib.loads(text)


def loads(text: str) -> dict[str, Any]:
    """The same result as `tomllib.loads(text)`, and the same exceptions; usually much faster."""
    return loads_located(text)[0]


def loads_located(text: str, raw: bytes | None = None) -> tuple[dict[str, Any], dict[str, list[int]] | None]:
    """`loads`, plus the line (1-based, as `str.splitlines` counts) of every top-level
    `[[kind]]` header by kind, in order — or None when only `tomllib` could read the text
    or the text has line breaks other than \n (then ask `tomlpos.TomlLocator`).  raw, if
    given, is text as UTF-8 (the file's bytes, BOM dropped): saves encoding it again."""
    try:
        return _fast(text, raw)
    except (_Fallback, RecursionError):
        pass
    return _tomllib(text), None


class Reading:
    """A record file read for the loader (`read`): its top-level keys in order, each kind's
    records as checked columns (`columns`) when they all pass, else as tomllib reads them
    (`value`); the text, and where each record's header is (`starts`, None: ask
    `tomlpos.TomlLocator`), on demand.  Flat tables are nested only if some kind needs its
    records as dicts."""

    __slots__ = ("keys", "_text", "_flat", "_groups", "_doc")

    def __init__(self, text: Callable[[], str], doc: dict[str, Any] | None,
                 flat: _Flat | None = None, groups: dict[str, Any] | None = None) -> None:
        self._text, self._doc, self._flat, self._groups = text, doc, flat, groups
        if doc is not None:
            self.keys = list(doc)
        else:
            self.keys = [*flat.root, *(n for n in flat.names if "." not in n)]  # type: ignore[union-attr]

    @property
    def text(self) -> str:
        return self._text()

    @property
    def flat(self) -> bool:
        """Whether the fast reader read it all and grouped its tables (nothing nested yet)."""
        return self._groups is not None

    @property
    def starts(self) -> dict[str, list[int]] | None:
        return self._flat.starts if self._flat is not None else None

    def value(self, key: str) -> Any:
        """The key's value as tomllib reads it."""
        if self._doc is None:
            # `_group` accepted the tables, so nesting them cannot meet a conflict.
            self._doc = _nest(self._flat)  # type: ignore[arg-type]
            self._groups = None
        return self._doc[key]

    def columns(self, kind: str) -> dict[str, Any] | None:
        """The kind's records as checked columns (see `columns`), or None."""
        from briefing.fastcheck import checked

        if self._groups is not None:
            group = self._groups.get(kind)
            return None if group is None else checked(kind, group[0], group[1], True)
        value = self.value(kind)
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            return None
        return checked(kind, value, {}, False)


def read(text: str | None, raw: bytes | None = None) -> Reading:
    """A record file as a `Reading`; raises what `tomllib.loads` raises.  Give text, or raw
    (the file's bytes, BOM dropped) or both: with raw alone, a file that is not UTF-8 raises
    UnicodeDecodeError (a canonical file is read without decoding it first)."""
    if text is None and b"#" in raw:  # type: ignore[operator]
        text = raw.decode("utf-8")  # type: ignore[union-attr]  # comments are not read: check them
    try:
        flat = _flat(text, raw)
        groups = _group(flat)
        if groups is None:
            return Reading(flat._text, _nest(flat), flat)
        return Reading(flat._text, None, flat, groups)
    except (_Fallback, RecursionError):
        pass
    if text is None:
        text = raw.decode("utf-8")  # type: ignore[union-attr]
    return Reading(lambda: text, _tomllib(text))  # type: ignore[arg-type]


def _group(flat: _Flat) -> dict[str, Any] | None:
    """Each kind's tables, and each of their sub-table lists as (tables, count per record),
    found in C from the markers; None when nesting is not that simple (a sub-table before
    any record, a record also giving the sub-table's key inline, a root key named as a kind):
    then the tables are nested one by one, and tomllib words any error."""
    from bisect import bisect_left
    from itertools import compress
    from operator import sub

    markers, tables, n = flat.markers, flat.tables, len(flat.markers)
    out: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    for name in flat.names:
        pos = list(compress(range(n), map(name.__eq__, markers)))
        top, dot, field = name.partition(".")
        if not dot:
            if name in flat.root:
                return None
            positions[name] = pos
            out[name] = (list(map(tables.__getitem__, pos)), {})
            continue
        parents = positions.get(top)
        if parents is None or pos[0] < parents[0]:
            return None
        recs, subs = out[top]
        if any(map(dict.__contains__, recs, repeat(field))):
            return None
        before = list(map(bisect_left, repeat(pos), parents))
        before.append(len(pos))
        subs[field] = (list(map(tables.__getitem__, pos)), list(map(sub, before[1:], before[:-1])))
    return out
