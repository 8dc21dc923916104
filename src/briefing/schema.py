"""Validation of record files: the pydantic v2 models behind `briefing validate` and `briefing schema`.

Only the parsing path imports this module (see `briefing.records` for why the views do
not).  Every rule an analyst can break is here, so every broken rule comes back as one
pydantic error with a location that the loader turns into `file:line: record: field: why`.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, model_validator

from briefing.vocab import (
    CREDIBILITY,
    EVENT_TYPES,
    ID_PATTERN,
    QUALIFIERS,
    RELIABILITY,
    ROLES,
    SLUG_PATTERN,
    SUB_EVENT_TYPES,
    VAGUE,
)

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # ASCII digits: `\d` takes "２０１９"


def partial_date(v: Any) -> str:
    """Accept a TOML date or `YYYY`, `YYYY-MM`, `YYYY-MM-DD`; keep the precision given."""
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


_partial_date = partial_date


PartialDate = Annotated[str, BeforeValidator(_partial_date)]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=200)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Count = Annotated[StrictInt, Field(ge=0, le=10**12)]

if TYPE_CHECKING:  # a Literal made from the vocabularies is opaque to mypy: the values are str
    Qualifier = str
    Vague = str
    Role = str
    Reliability = str
    Credibility = str
    EventType = str
else:
    Qualifier = Literal[tuple(QUALIFIERS)]
    Vague = Literal[tuple(VAGUE)]
    Role = Literal[ROLES]
    Reliability = Literal[tuple(RELIABILITY)]
    Credibility = Literal[tuple(CREDIBILITY)]
    EventType = Literal[tuple(EVENT_TYPES)]


class _Strict(BaseModel):
    # Unknown keys are errors: a misspelt `claimed_by` must not vanish silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class FigureIn(_Strict):
    """A claim: a number (or range) about something, said by a claimant, carried by a source."""

    metric: Slug
    subject: Slug = "total"
    value: Count | None = None
    low: Count | None = None
    high: Count | None = None
    qualifier: Qualifier = "exact"
    claimed_by: Id
    source: Id
    via: Id | None = None
    date: PartialDate | None = None
    credibility: Credibility | None = None
    wording: Text | None = None
    note: Text | None = None
    best: Count | None = None
    vague: Vague | None = None

    @model_validator(mode="after")
    def _one_quantity(self) -> FigureIn:
        has_range = self.low is not None or self.high is not None
        if self.value is not None and has_range:
            raise ValueError("give either value or low+high, not both")
        if self.value is None and not has_range:
            raise ValueError("a figure needs a value, or low and high")
        if has_range and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        if has_range and self.low > self.high:  # type: ignore[operator]  # a range has both, checked above
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        if self.best is not None and (not has_range or not self.low <= self.best <= self.high):  # type: ignore[operator]  # a range has both, checked above
            raise ValueError("best goes with low and high, and lies between them")
        if self.vague is not None and (self.value != VAGUE[self.vague] or self.qualifier != "at-least"):
            raise ValueError(f'vague {self.vague!r} is read as value = {VAGUE[self.vague]} with qualifier "at-least"')
        return self


class ActorRoleIn(_Strict):
    actor: Id
    role: Role


class RelationIn(_Strict):
    actor: Id
    kind: Slug
    note: Text | None = None


class SourceIn(_Strict):
    """An outlet, agency, channel or person that carries claims; reliability is graded here."""

    id: Id
    name: Text
    kind: Slug
    reliability: Reliability
    title: Text | None = None
    published: PartialDate | None = None
    date_note: Text | None = None
    url: Text | None = None
    reliability_note: Text | None = None
    notes: Text | None = None
    seed: Text | None = None
    via: list[Id] = []


class ActorIn(_Strict):
    id: Id
    name: Text
    kind: Slug
    aliases: list[Text] = []
    parent: Id | None = None
    relations: list[RelationIn] = []
    country: Text | None = None
    summary: Text | None = None
    figures: list[FigureIn] = []
    sources: list[Id] = []


class EventIn(_Strict):
    id: Id
    title: Text
    date: PartialDate
    country: Text
    type: EventType
    sub_type: Slug | None = None
    date_note: Text | None = None
    location: Text | None = None
    admin1: Text | None = None
    admin2: Text | None = None
    admin3: Text | None = None
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    summary: Text | None = None
    tags: list[Slug] = []
    actors: list[ActorRoleIn] = []
    figures: list[FigureIn] = []
    sources: list[Id] = []
    related: list[Id] = []

    @model_validator(mode="after")
    def _consistent(self) -> EventIn:
        if self.sub_type is not None and self.sub_type not in SUB_EVENT_TYPES[self.type]:
            allowed = ", ".join(SUB_EVENT_TYPES[self.type])
            raise ValueError(f"sub_type {self.sub_type!r} is not a sub-type of {self.type!r} ({allowed})")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together")
        for name in ("lat", "lon"):
            v = getattr(self, name)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{name} must be a finite number")
        return self


class RecordFile(_Strict):
    """The shape of one data file, for the JSON Schema that `briefing schema` prints."""

    source: list[SourceIn] = []
    actor: list[ActorIn] = []
    event: list[EventIn] = []


MODELS: dict[str, type[_Strict]] = {"source": SourceIn, "actor": ActorIn, "event": EventIn}


def json_schema() -> dict[str, Any]:
    schema = RecordFile.model_json_schema()
    schema["title"] = "briefing record file"
    schema["description"] = (
        "A TOML file under the data directory holding [[source]], [[actor]] and [[event]] "
        "tables. JSON exports use the same field names."
    )
    return schema
