"""The runtime records every view reads: plain frozen dataclasses, no pydantic.

Why two layers: importing pydantic and building its validators costs about 0.14 s on this
machine, twice the whole `rich` import that the brief is measured against.  Validation
happens once, in `briefing.schema`, when a file is parsed; what comes out is turned into
these light records (and cached as plain data), so a warm `briefing brief` never imports
pydantic.  Field names are the public contract shared with the JSON export and the schema;
`tests/test_schema_contract.py` fails if the two layers drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Figure:
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


@dataclass(frozen=True, slots=True)
class ActorRole:
    actor: str
    role: str


@dataclass(frozen=True, slots=True)
class Relation:
    actor: str
    kind: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
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


@dataclass(frozen=True, slots=True)
class Actor:
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


@dataclass(frozen=True, slots=True)
class Event:
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


# -- fast construction ---------------------------------------------------------------------
# A frozen dataclass's __init__ sets each field with `object.__setattr__`, about 1.8 µs per
# Event here; 100k events carry ~330k records, so a warm start would spend 0.6 s just in
# __init__.  `_maker(cls)` returns a constructor with the same signature that builds an
# unfrozen twin (same slots, plain `self.x = x`, which CPython specialises) and then makes it
# the real class: 0.35 µs, and the object is exactly what `cls(...)` gives (same type, same
# fields, still frozen).  Used only for records that are already valid: from a parsed file
# or the cache.


def _maker(cls: type) -> Any:
    from dataclasses import MISSING, fields

    fs = fields(cls)
    params = []
    for f in fs:
        if f.default is not MISSING:
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not MISSING:  # pragma: no cover - records use immutable defaults
            raise TypeError(f"{cls.__name__}.{f.name}: default_factory not supported")
        else:
            params.append(f.name)
    body = "".join(f"    self.{f.name} = {f.name}\n" for f in fs)
    src = f"def __init__(self, {', '.join(params)}):\n{body}    self.__class__ = _cls\n"
    ns: dict[str, Any] = {"_cls": cls, **{f"_d_{f.name}": f.default for f in fs if f.default is not MISSING}}
    exec(src, ns)  # noqa: S102 - generated from the dataclass's own field names
    ns["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"  # same wording in a TypeError
    twin = type(f"_{cls.__name__}Builder", (), {"__slots__": tuple(f.name for f in fs), "__init__": ns["__init__"]})
    try:
        probe = twin(*[None for f in fs if f.default is MISSING])
        if type(probe) is not cls:  # pragma: no cover
            raise TypeError
    except TypeError:  # pragma: no cover - a layout the trick cannot swap: use the class itself
        return cls
    return twin


new_figure = _maker(Figure)
new_actor_role = _maker(ActorRole)
new_relation = _maker(Relation)
new_source = _maker(Source)
new_actor = _maker(Actor)
new_event = _maker(Event)


def figure_from_dict(d: dict[str, Any]) -> Figure:
    return new_figure(**d)


def source_from_dict(d: dict[str, Any]) -> Source:
    d = dict(d)
    d["via"] = tuple(d.get("via") or ())
    return new_source(**d)


def actor_from_dict(d: dict[str, Any]) -> Actor:
    d = dict(d)
    d["aliases"] = tuple(d.get("aliases") or ())
    d["relations"] = tuple([new_relation(**r) for r in d.get("relations") or ()])
    d["figures"] = tuple([new_figure(**f) for f in d.get("figures") or ()])
    d["sources"] = tuple(d.get("sources") or ())
    return new_actor(**d)


def event_from_dict(d: dict[str, Any]) -> Event:
    d = dict(d)
    d["tags"] = tuple(d.get("tags") or ())
    d["actors"] = tuple([new_actor_role(**a) for a in d.get("actors") or ()])
    d["figures"] = tuple([new_figure(**f) for f in d.get("figures") or ()])
    d["sources"] = tuple(d.get("sources") or ())
    d["related"] = tuple(d.get("related") or ())
    return new_event(**d)


def to_plain(obj: Any) -> Any:
    """A record as JSON-ready dicts/lists, field order kept, Nones and empties kept too.

    Exports and the cache both use this so a record has one plain shape everywhere.
    """
    if hasattr(obj, "__dataclass_fields__"):
        return {name: to_plain(getattr(obj, name)) for name in obj.__dataclass_fields__}
    if isinstance(obj, (tuple, list)):
        return [to_plain(x) for x in obj]
    return obj
