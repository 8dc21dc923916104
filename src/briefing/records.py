"""The runtime records every view reads, and the one declaration of each record kind's fields.

Each `NamedTuple` below is where a kind's fields are declared: name, order, plain type and
default.  Everything else is derived from it: the pydantic input models of `briefing.schema`
(built from `_fields`, `__annotations__` and `_field_defaults`, adding only what a plain type
cannot say: an id's pattern, a date's forms, a bound), the converters from a validated dict
(`from_dict`), the store's positional rows (`to_row`/`from_row`), and the CSV exports' plain
columns.  So a field is added or renamed here, once.  Why the NamedTuples and not the pydantic
models are the declaration: mypy understands them, and they must not import pydantic.

Why two layers: importing pydantic and building its validators costs more than the whole
`rich` import that the brief is measured against (bench/README.md).  Validation
happens once, in `briefing.schema`, when a file is parsed; what comes out is turned into
these light records (and kept as plain rows), so a warm `briefing brief` never imports
pydantic.  Field names are the public contract shared with the JSON export and the schema.
A kind's docstring is also its description in the JSON Schema that `briefing schema` prints.

Why named tuples rather than dataclasses: frozen, slotted dataclasses generate code for
each class at definition, on the critical path of both `briefing brief` and the TUI's first
frame; `NamedTuple`s define an order of magnitude faster, build records at least as fast, and
are immutable by construction (numbers: bench/README.md).  The one thing to
remember: a record is a tuple, so compare records with records, not with bare tuples.

No `from __future__ import annotations` here, unlike the other modules: `NamedTuple` turns
every string annotation into a `ForwardRef`, compiling each one on every start; real
annotations are checked without compiling anything (and `briefing.schema` reads them as types).
"""

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from briefing.vocab import DATE_PRECISIONS


def date_precision(date: str) -> str:
    """`day`, `month` or `year`, read off an ISO partial date such as `2019-05`."""
    return DATE_PRECISIONS.get(len(date), "day")


#: the years a date may have, in a record or a filter: a typo or a placeholder (`9999`, `0001`)
#: is refused where it is written, never carried into a timeline that cannot end or begin.
MIN_YEAR, MAX_YEAR = 1000, 2999


def year_problem(year: int) -> str | None:
    """Why a year is refused (`year 9999 is outside 1000–2999 …`), None when it is fine."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return f"year {year:04d} is outside {MIN_YEAR}–{MAX_YEAR} (a typo, or a placeholder for an unknown date?)"


def date_low(date: str) -> str:
    """The first day a partial date can mean, as a comparable ISO string."""
    if len(date) == 4:
        return date + "-01-01"
    if len(date) == 7:
        return date + "-01"
    return date


# An event's date is at most a year: its first day is at most this many days before its last.
LONGEST = 366


def date_high(date: str) -> str:
    """The last day a partial date can mean (31 is fine for string comparison)."""
    if len(date) == 4:
        return date + "-12-31"
    if len(date) == 7:
        return date + "-31"
    return date


class Figure(NamedTuple):
    """A claim: a number (or range) about something, said by a claimant, carried by a source."""

    metric: str
    subject: str
    claimed_by: str
    source: str
    value: int | None = None
    low: int | None = None
    high: int | None = None
    qualifier: str = "exact"
    via: str | None = None
    date: str | None = None
    credibility: int | None = None
    wording: str | None = None
    note: str | None = None
    best: int | None = None  # UCDP-style best estimate inside low..high, when the source gives one
    vague: str | None = None  # the word a source used instead of a number ("hundreds"); value holds its reading
    # the day the claimant withdrew this claim without giving another number (ACLED writing NA
    # where it had a count): kept and shown, superseded whatever its date, in no total
    # (`compare.split_revisions`); its description in `briefing schema`: `schema.WITHDRAWN_DOC`
    withdrawn: str | None = None


class ActorRole(NamedTuple):
    """An actor's part in an event: perpetrator, target, claimant, responder or mentioned."""

    actor: str
    role: str


class Relation(NamedTuple):
    """A tie from this actor to another (`leader-of`, `spokesperson-for`, `enemy`, ...)."""

    actor: str
    kind: str
    note: str | None = None


class Source(NamedTuple):
    """An outlet, agency, channel or person that carries claims; reliability is graded here."""

    id: str
    name: str
    kind: str
    reliability: str
    title: str | None = None
    published: str | None = None
    date_note: str | None = None
    url: str | None = None
    reliability_note: str | None = None
    notes: str | None = None
    seed: str | None = None
    via: tuple[str, ...] = ()


class Actor(NamedTuple):
    """A group, force, government or person that takes part in events or makes claims."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    relations: tuple[Relation, ...] = ()
    country: str | None = None
    summary: str | None = None
    figures: tuple[Figure, ...] = ()
    sources: tuple[str, ...] = ()


class Event(NamedTuple):
    """Something that happened on a date in a place, with who took part and what was claimed."""

    id: str
    title: str
    date: str
    country: str
    type: str
    sub_type: str | None = None
    date_note: str | None = None
    location: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_note: str | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    actors: tuple[ActorRole, ...] = ()
    figures: tuple[Figure, ...] = ()
    sources: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    @property
    def date_precision(self) -> str:
        return date_precision(self.date)


R = TypeVar("R")


def from_dict(cls: type[R]) -> Callable[[dict[str, Any]], R]:
    """The converter from a validated dict (`model_dump()`'s shape, or a generator's) to a record
    of class cls, made from the class's fields: each tuple-valued field becomes a tuple (of
    records, when its items are records); a missing one is empty.  Unknown keys raise TypeError.
    Held records (an event's figures) are made by their class from their dict directly, a
    Python call fewer each than a converter of their own; so they hold no records themselves."""
    plain, held = [], []
    for i, sub in _nested_fields(cls):
        name = cls._fields[i]  # type: ignore[attr-defined]  # cls: a NamedTuple class
        if sub is None:
            plain.append(name)
        elif _nested_fields(sub):
            raise TypeError(f"{cls.__name__}.{name}: a record held in a record holds records")
        else:
            held.append((name, sub))

    def convert(d: dict[str, Any]) -> R:
        if plain or held:
            d = dict(d)
            for name in plain:
                d[name] = tuple(d.get(name) or ())
            for name, sub in held:
                v = d.get(name)
                d[name] = tuple([sub(**x) for x in v]) if v else ()
        return cls(**d)

    convert.__name__ = convert.__qualname__ = f"{cls.__name__.lower()}_from_dict"
    return convert


def _nested_fields(cls: Any) -> list[tuple[int, Any]]:
    """(position, record class or None) of each tuple-valued field of a record class."""
    out = []
    for i, tp in enumerate(cls.__annotations__.values()):
        if getattr(tp, "__origin__", None) is tuple:
            sub = tp.__args__[0]
            out.append((i, sub if hasattr(sub, "_fields") else None))
    return out


_NESTED: dict[Any, list[tuple[int, Any]]] = {}

source_from_dict = from_dict(Source)
actor_from_dict = from_dict(Actor)
event_from_dict = from_dict(Event)


def to_row(rec: Any) -> list[Any]:
    """A record as a positional row of plain lists (what the store keeps): `from_row`'s inverse."""
    return [[to_row(x) if hasattr(x, "_fields") else x for x in v] if type(v) is tuple else v for v in rec]


def from_row(cls: Any, row: list[Any]) -> Any:
    """A record of class cls from a `to_row` row, made without per-field Python calls."""
    nested = _NESTED.get(cls)
    if nested is None:
        nested = _NESTED[cls] = _nested_fields(cls)
    new = tuple.__new__
    for i, sub in nested:
        v = row[i]
        row[i] = tuple(v) if sub is None else tuple([new(sub, x) for x in v])
    if len(row) != len(cls._fields):
        raise ValueError(f"{cls.__name__}: a row of {len(row)} fields for {len(cls._fields)}")
    return new(cls, row)


def from_json_rows(cls: Any, texts: list[str]) -> list[Any]:
    """Records of class cls from a chunk of stored rows (`to_row` rows as JSON text), parsed as
    one document, a record per row (`from_row`): for records passed on and then dropped (a view
    being written, an export streamed), which `from_rows`' shared strings cost several times
    more to make (bench/README.md)."""
    import json

    return [from_row(cls, row) for row in json.loads("[" + ",".join(texts) + "]")]


# Fields whose values recur across records (a country, a claimant, ACLED's figure note): rows
# read back from the store share one string per distinct value (see `from_rows`), which at
# 10^6 events is gigabytes of copies saved.  The rest (ids, titles, summaries) are unique.
_SHARED_FIELDS: dict[str, tuple[str, ...]] = {
    "Event": (
        "date",
        "country",
        "type",
        "sub_type",
        "date_note",
        "location",
        "admin1",
        "admin2",
        "admin3",
        "place_note",
    ),
    "Figure": ("metric", "subject", "claimed_by", "source", "qualifier", "via", "date", "wording", "note"),
    "ActorRole": ("actor", "role"),
    "Relation": ("actor", "kind", "note"),
}


def from_rows(cls: Any, rows: list[list[Any]], memo: dict[Any, Any]) -> list[Any]:
    """Records of class cls from `to_row` rows, built a column at a time (C-level `map`s,
    not a Python call per field), recurring values shared through memo."""
    from itertools import islice, repeat

    if not rows:
        return []
    width = len(cls._fields)
    if any(len(r) != width for r in rows):
        raise ValueError(f"{cls.__name__}: a row of the wrong width")
    cols: list[Any] = list(map(list, zip(*rows)))
    nested = _NESTED.get(cls)
    if nested is None:
        nested = _NESTED[cls] = _nested_fields(cls)
    share = memo.setdefault
    for i, sub in nested:
        col = cols[i]
        if sub is None:  # a tuple of strings (tags, sources, ids)
            cols[i] = [tuple(map(share, v, v)) if v else () for v in col]
            continue
        counts = list(map(len, col))
        made = iter(from_rows(sub, [x for v in col for x in v], memo))
        cols[i] = [tuple(islice(made, c)) if c else () for c in counts]
    for name in _SHARED_FIELDS.get(cls.__name__, ()):
        i = cls._fields.index(name)
        cols[i] = list(map(share, cols[i], cols[i]))
    return list(map(tuple.__new__, repeat(cls), zip(*cols)))


def to_plain(obj: Any) -> Any:
    """A record as JSON-ready dicts/lists, field order kept, Nones and empties kept too.

    Exports and the cache both use this so a record has one plain shape everywhere.
    """
    fields = getattr(obj, "_fields", None)
    if fields is not None:
        return {name: to_plain(value) for name, value in zip(fields, obj)}
    if isinstance(obj, (tuple, list)):
        return [to_plain(x) for x in obj]
    return obj
