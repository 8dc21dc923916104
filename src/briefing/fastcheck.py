"""Checking records without pydantic, a column at a time.

`briefing.schema` (pydantic) is the judge of what a valid record is, and the only one that
words errors.  But building a model per record and dumping it again costs ~40 µs an event,
and importing pydantic ~0.2 s per process; a file of valid records can be checked a column
at a time instead (every `id`, then every `title`, ...), mostly in C: joined regex matches,
`set(map(type, col))`, `min`/`max`, set inclusion.  `columns` accepts only records every
rule of the schema accepts (it may refuse more: then the caller asks pydantic, which finds
the errors or, rarely, accepts after all), and gives the values `model_dump()` would give.
`tests/scale/test_fast_check.py` holds the two together.

Input comes from a TOML reader, which has no null: a None in a column means "absent".
"""

from __future__ import annotations

import re
from functools import partial
from itertools import chain, repeat
from operator import add, ge, is_, is_not, itemgetter, le
from typing import Any

from briefing.fasttoml import HEADER_KEY as _H
from briefing.vocab import (
    CREDIBILITY, EVENT_TYPES, ID_PATTERN, QUALIFIERS, RELIABILITY, ROLES, SLUG_PATTERN, SUB_EVENT_TYPES, VAGUE,
)

# ASCII digits only: `\d` would take "２０１９" (int() reads it), which then sorts as newest and
# goes out in STIX that no validator accepts.
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def partial_date(v: Any) -> str:
    """Accept a TOML date or `YYYY`, `YYYY-MM`, `YYYY-MM-DD`; keep the precision given.
    (The schema's date rule; here so that checking needs no pydantic.)"""
    import datetime as _dt

    if isinstance(v, _dt.datetime):
        raise ValueError("give a date, not a date-time")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool) and 1000 <= v <= 9999:
        return str(v)
    if not isinstance(v, str):
        raise ValueError(f"expected a date such as 2019-11-06, 2019-05 or 2019, got {type(v).__name__}")
    m = _PARTIAL_DATE.match(v.strip())
    if not m:
        raise ValueError(f"expected a date such as 2019-11-06, 2019-05 or 2019, got {v!r}")
    year, month, day = m.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"not a real date: {v!r} ({exc})") from None
    return v.strip()


class _Reject(Exception):
    pass


def _lines_of(pattern: str) -> re.Pattern[str]:
    """`^X$` as a matcher of `X\\n` repeated: one C call checks a whole joined column
    (whose values hold no newline: `_strings` counts them; X must not match one either)."""
    assert pattern[0] == "^" and pattern[-1] == "$" and not re.search(pattern[1:-1], "\n")
    return re.compile(f"(?:{pattern[1:-1]}\n)*+")


_ID_LINES = _lines_of(ID_PATTERN)
_SLUG_LINES = _lines_of(SLUG_PATTERN)
_STR = {str}


# Each check takes a column — the values of one field, None where a record leaves it out —
# and raises `_Reject` unless every value is valid.  Distinct values are checked once (most
# columns repeat a few ids and words); numbers are typed before they are deduplicated, as a
# set would fold True, 1 and 1.0 together.
_NONE = type(None)


def _distinct(col: list[Any]) -> set[Any]:
    values = set(col)  # TypeError (a list in the column) refuses, in the caller
    values.discard(None)
    return values


def _strings(col: list[Any], lines: re.Pattern[str], longest: int) -> None:
    values = _distinct(col)
    if values:
        try:
            joined = "\n".join(values)
        except TypeError:
            raise _Reject from None
        # As many newlines as separators: no value holds one (that would pass as two lines).
        if joined.count("\n") != len(values) - 1 or not lines.fullmatch(joined + "\n") or max(map(len, values)) > longest:
            raise _Reject


def _id(col: list[Any]) -> None:
    _strings(col, _ID_LINES, 200)


def _slug(col: list[Any]) -> None:
    _strings(col, _SLUG_LINES, 80)


def _text(col: list[Any]) -> None:
    values = _distinct(col)
    if values and (set(map(type, values)) != _STR or min(map(len, values)) < 1 or max(map(len, values)) > 20_000):
        raise _Reject


def _date(col: list[Any]) -> None:
    values = _distinct(col)
    if values and set(map(type, values)) != _STR:
        raise _Reject
    for v in values:
        try:
            if partial_date(v) != v:
                raise _Reject  # would be stored stripped: let pydantic do it
        except ValueError:
            raise _Reject from None


def _types(col: list[Any]) -> set[type]:
    kinds = set(map(type, col))
    kinds.discard(_NONE)
    return kinds


def _literal(allowed: frozenset[Any]):
    kinds = {type(a) for a in allowed}

    def check(col: list[Any]) -> None:
        if not (_types(col) <= kinds and _distinct(col) <= allowed):
            raise _Reject

    return check


def _count(col: list[Any]) -> None:
    if _types(col) - _INT:
        raise _Reject
    values = _distinct(col)
    if values and (min(values) < 0 or max(values) > 10**12):
        raise _Reject


_INT = {int}
_NUMBER = {int, float}


def _coordinate(limit: float):
    def check(col: list[Any]) -> None:
        if _types(col) - _NUMBER:
            raise _Reject
        # all(...) with explicit comparisons: NaN fails them (min/max would not notice it).
        values = list(filter(_not_none, col))
        if not (all(map(le, repeat(-limit), values)) and all(map(ge, repeat(limit), values))):
            raise _Reject

    return check


_not_none = partial(is_not, None)


# A field: (name, how: "req" | "opt" | "list" | "sub", default, check or sub-model spec).
_Field = tuple[str, str, Any, Any]

_FIGURE: list[_Field] = [
    ("metric", "req", None, _slug),
    ("subject", "opt", "total", _slug),
    ("value", "opt", None, _count),
    ("low", "opt", None, _count),
    ("high", "opt", None, _count),
    ("qualifier", "opt", "exact", _literal(frozenset(QUALIFIERS))),
    ("claimed_by", "req", None, _id),
    ("source", "req", None, _id),
    ("via", "opt", None, _id),
    ("date", "opt", None, _date),
    ("credibility", "opt", None, _literal(frozenset(CREDIBILITY))),
    ("wording", "opt", None, _text),
    ("note", "opt", None, _text),
    ("best", "opt", None, _count),
    ("vague", "opt", None, _literal(frozenset(VAGUE))),
]
_ACTOR_ROLE: list[_Field] = [("actor", "req", None, _id), ("role", "req", None, _literal(frozenset(ROLES)))]
_RELATION: list[_Field] = [("actor", "req", None, _id), ("kind", "req", None, _slug), ("note", "opt", None, _text)]
_SOURCE: list[_Field] = [
    ("id", "req", None, _id),
    ("name", "req", None, _text),
    ("kind", "req", None, _slug),
    ("reliability", "req", None, _literal(frozenset(RELIABILITY))),
    ("title", "opt", None, _text),
    ("published", "opt", None, _date),
    ("date_note", "opt", None, _text),
    ("url", "opt", None, _text),
    ("reliability_note", "opt", None, _text),
    ("notes", "opt", None, _text),
    ("seed", "opt", None, _text),
    ("via", "list", (), _id),
]
_ACTOR: list[_Field] = [
    ("id", "req", None, _id),
    ("name", "req", None, _text),
    ("kind", "req", None, _slug),
    ("aliases", "list", (), _text),
    ("parent", "opt", None, _id),
    ("relations", "sub", (), _RELATION),
    ("country", "opt", None, _text),
    ("summary", "opt", None, _text),
    ("figures", "sub", (), _FIGURE),
    ("sources", "list", (), _id),
]
_EVENT: list[_Field] = [
    ("id", "req", None, _id),
    ("title", "req", None, _text),
    ("date", "req", None, _date),
    ("country", "req", None, _text),
    ("type", "req", None, _literal(frozenset(EVENT_TYPES))),
    ("sub_type", "opt", None, _slug),
    ("date_note", "opt", None, _text),
    ("location", "opt", None, _text),
    ("admin1", "opt", None, _text),
    ("admin2", "opt", None, _text),
    ("admin3", "opt", None, _text),
    ("lat", "opt", None, _coordinate(90)),
    ("lon", "opt", None, _coordinate(180)),
    ("summary", "opt", None, _text),
    ("tags", "list", (), _slug),
    ("actors", "sub", (), _ACTOR_ROLE),
    ("figures", "sub", (), _FIGURE),
    ("sources", "list", (), _id),
    ("related", "list", (), _id),
]
SPECS: dict[str, list[_Field]] = {"source": _SOURCE, "actor": _ACTOR, "event": _EVENT}
_SUB_TYPES = frozenset([(t, None) for t in EVENT_TYPES] + [(t, s) for t, subs in SUB_EVENT_TYPES.items() for s in subs])
_LISTS = {list, tuple}  # tuple: the default of an absent list
_DICT = {dict}


def _columns(spec: list[_Field], recs: list[Any], subs: dict[str, tuple[list[Any], list[int]]],
             marked: bool) -> dict[str, Any]:
    """The records as one column per field, checked; raises `_Reject`.  subs: sub-record
    lists given apart from the records, as (all of them, count per record) by field; marked:
    every table also holds the header marker key (flat tables)."""
    if recs and set(map(type, recs)) != _DICT:
        raise _Reject
    keys = set().union(*recs) if recs else set()
    if marked:
        keys.discard(_H)
    names = {f[0] for f in spec}
    if not keys <= names:
        raise _Reject  # an unknown field
    out: dict[str, Any] = {}
    for name, how, default, check in spec:
        if how == "req":
            try:
                col = list(map(itemgetter(name), recs))
            except KeyError:
                raise _Reject from None
            check(col)
        elif how == "sub" and name in subs:
            flat, counts = subs[name]
            col = (_columns(check, flat, {}, marked), counts)
        elif name not in keys:
            col = [default] * len(recs) if how != "sub" else ({k: [] for k, *_ in check}, [0] * len(recs))
        elif how == "opt":
            col = list(map(dict.get, recs, repeat(name), repeat(default)))
            check(col)
        else:
            col = list(map(dict.get, recs, repeat(name), repeat(default)))
            if not set(map(type, col)) <= _LISTS:
                raise _Reject
            flat = list(chain.from_iterable(col))
            if how == "list":
                check(flat)
                col = list(map(tuple, col))
            else:
                col = (_columns(check, flat, {}, False), list(map(len, col)))
        out[name] = col
    return out


def _figure_rules(cols: dict[str, list[Any]]) -> None:
    """FigureIn's rule: a value, or low and high with low <= high."""
    value, low, high = cols["value"], cols["low"], cols["high"]
    shapes = set(zip(map(is_, value, repeat(None)), map(is_, low, repeat(None)), map(is_, high, repeat(None))))
    if not shapes <= {(False, True, True), (True, False, False)}:
        raise _Reject
    if not all(map(le, filter(_not_none, low), filter(_not_none, high))):
        raise _Reject
    # best and vague are rare: anything unusual goes to the schema for its error message
    if any(map(_not_none, cols["best"])) or any(map(_not_none, cols["vague"])):
        for v, q, lo, hi, b, w in zip(value, cols["qualifier"], low, high, cols["best"], cols["vague"]):
            if b is not None and (lo is None or not lo <= b <= hi):
                raise _Reject
            if w is not None and (v != VAGUE[w] or q != "at-least"):
                raise _Reject


def columns(kind: str, recs: list[Any]) -> dict[str, Any] | None:
    """A kind's records (TOML tables, as tomllib reads them) as checked columns — field →
    list of values, in model order; list fields as tuples; lists of sub-records as (their
    columns, count per record) — or None when some record might be invalid (ask the schema)."""
    return checked(kind, recs, {}, False)


def checked(kind: str, recs: list[Any], subs: dict[str, tuple[list[Any], list[int]]], marked: bool) -> dict[str, Any] | None:
    try:
        cols = _columns(SPECS[kind], recs, subs, marked)
        if kind == "event":
            if not set(zip(cols["type"], cols["sub_type"])) <= _SUB_TYPES:
                raise _Reject
            lat, lon = cols["lat"], cols["lon"]
            if list(map(is_, lat, repeat(None))) != list(map(is_, lon, repeat(None))):
                raise _Reject  # lat and lon go together
            for name in ("lat", "lon"):  # pydantic makes a float of an int
                if int in set(map(type, cols[name])):
                    cols[name] = [v if v is None else float(v) for v in cols[name]]
            _figure_rules(cols["figures"][0])
        elif kind == "actor":
            _figure_rules(cols["figures"][0])
    except (_Reject, TypeError, ValueError):
        return None
    return cols


def _grouped(flat: list[Any], counts: list[int]) -> list[tuple[Any, ...]]:
    """flat cut into consecutive tuples of the given lengths (all in C)."""
    from itertools import islice

    if sum(counts) != len(flat):
        raise ValueError("counts do not add up")
    it = iter(flat)
    return list(map(tuple, map(islice, repeat(it), counts)))


def records_from_columns(kind: str, cols: dict[str, Any]) -> list[Any]:
    """The runtime records (`briefing.records`) of a kind's checked columns."""
    from briefing import records as R

    def figures(sub: tuple[dict[str, list[Any]], list[int]]) -> list[tuple[Any, ...]]:
        fc, counts = sub
        return _grouped(R.from_columns(R.Figure, [fc[n] for n in R.Figure._fields]), counts)

    if kind == "source":
        return R.from_columns(R.Source, [cols[n] for n in R.Source._fields])
    if kind == "actor":
        rc, counts = cols["relations"]
        relations = _grouped(R.from_columns(R.Relation, [rc[n] for n in R.Relation._fields]), counts)
        built = {"relations": relations, "figures": figures(cols["figures"])}
        return R.from_columns(R.Actor, [built[n] if n in built else cols[n] for n in R.Actor._fields])
    ac, counts = cols["actors"]
    pairs = list(zip(ac["actor"], ac["role"]))
    roles = {p: R.ActorRole(*p) for p in dict.fromkeys(pairs)}  # (actor, role) repeats: one record each
    built = {"actors": _grouped(list(map(roles.__getitem__, pairs)), counts), "figures": figures(cols["figures"])}
    return R.from_columns(R.Event, [built[n] if n in built else cols[n] for n in R.Event._fields])
