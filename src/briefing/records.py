"""The runtime records every view reads: immutable named tuples, no pydantic.

Why two layers: importing pydantic and building its validators costs more than the whole
`rich` import that the brief is measured against (bench/README.md).  Validation
happens once, in `briefing.schema`, when a file is parsed; what comes out is turned into
these light records (and cached as plain data), so a warm `briefing brief` never imports
pydantic.  Field names are the public contract shared with the JSON export and the schema;
`tests/test_schema.py` fails if the two layers drift apart.

Why named tuples rather than dataclasses: frozen, slotted dataclasses generate code for
each class at definition, on the critical path of both `briefing brief` and the TUI's first
frame; `NamedTuple`s define an order of magnitude faster, build records at least as fast, and
are immutable by construction (numbers: bench/README.md).  The one thing to
remember: a record is a tuple, so compare records with records, not with bare tuples.

No `from __future__ import annotations` here, unlike the other modules: `NamedTuple` turns
every string annotation into a `ForwardRef`, compiling each one on every start; real
annotations are checked without compiling anything.
"""

from itertools import repeat
from typing import Any, NamedTuple

from briefing.vocab import DATE_PRECISIONS


def date_precision(date: str) -> str:
    """`day`, `month` or `year`, read off an ISO partial date such as `2019-05`."""
    return DATE_PRECISIONS.get(len(date), "day")


def date_low(date: str) -> str:
    """The first day a partial date can mean, as a comparable ISO string."""
    if len(date) == 4:
        return date + "-01-01"
    if len(date) == 7:
        return date + "-01"
    return date


def date_high(date: str) -> str:
    """The last day a partial date can mean (31 is fine for string comparison)."""
    if len(date) == 4:
        return date + "-12-31"
    if len(date) == 7:
        return date + "-31"
    return date


class Figure(NamedTuple):
    """One claim about a number: who said it, who carried it, how it was put."""

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


class ActorRole(NamedTuple):
    actor: str
    role: str


class Relation(NamedTuple):
    actor: str
    kind: str
    note: str | None = None


class Source(NamedTuple):
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
    summary: str | None = None
    tags: tuple[str, ...] = ()
    actors: tuple[ActorRole, ...] = ()
    figures: tuple[Figure, ...] = ()
    sources: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    @property
    def date_precision(self) -> str:
        return date_precision(self.date)


def from_columns(cls: type, columns: list[Any]) -> list[Any]:
    """Records of a NamedTuple class from one column per field, in field order, made in C:
    `tuple.__new__` on each row (a NamedTuple's own `__new__` is a Python function, twice as
    slow at 10^5 records).  The columns must be of equal length and as many as the fields."""
    if len(columns) != len(cls._fields):  # type: ignore[attr-defined]
        raise ValueError(f"{cls.__name__}: {len(columns)} columns for {len(cls._fields)} fields")  # type: ignore[attr-defined]
    return list(map(tuple.__new__, repeat(cls), zip(*columns, strict=True)))


def figure_from_dict(d: dict[str, Any]) -> Figure:
    return Figure(**d)


def source_from_dict(d: dict[str, Any]) -> Source:
    d = dict(d)
    d["via"] = tuple(d.get("via") or ())
    return Source(**d)


def actor_from_dict(d: dict[str, Any]) -> Actor:
    d = dict(d)
    d["aliases"] = tuple(d.get("aliases") or ())
    d["relations"] = tuple([Relation(**r) for r in d.get("relations") or ()])
    d["figures"] = tuple([Figure(**f) for f in d.get("figures") or ()])
    d["sources"] = tuple(d.get("sources") or ())
    return Actor(**d)


def event_from_dict(d: dict[str, Any]) -> Event:
    d = dict(d)
    d["tags"] = tuple(d.get("tags") or ())
    d["actors"] = tuple([ActorRole(**a) for a in d.get("actors") or ()])
    d["figures"] = tuple([Figure(**f) for f in d.get("figures") or ()])
    d["sources"] = tuple(d.get("sources") or ())
    d["related"] = tuple(d.get("related") or ())
    return Event(**d)


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
