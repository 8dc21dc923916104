"""Validation of record files: the pydantic v2 models behind `briefing validate` and `briefing schema`.

Only the parsing path imports this module (see `briefing.records` for why the views do
not).  Every rule an analyst can break is here, so every broken rule comes back as one
pydantic error with a location that the loader turns into `file:line: record: field: why`.

The models are not written out: each is built (`pydantic.create_model`) from its runtime
record in `briefing.records`, which declares the kind's fields once (names, order, plain
types, defaults, docstring).  Why: written twice, every field had to be kept in step in two
places by hand (a test compared only their names).  What a plain type cannot say comes from `CONSTRAINED` below: the constrained type
of a field (an `Id`, a `Slug`, a `PartialDate`, a bounded float; for a tuple field, of each
item) or a default only the input has; the kind's cross-field rules (`RULES`, and
`FIELD_RULES` for a rule reported at one field); and a field's description (`DOCS`).  A `str`
field not named there is `Text`, an `int` field a `Count`; a field of records is a list of
that record's model.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args, get_origin, get_type_hints

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from briefing import records
from briefing.records import date_high, date_low, year_problem
from briefing.vocab import (
    CREDIBILITY,
    EVENT_TYPES,
    ID_PATTERN,
    METRICS_DOC,
    QUALIFIERS,
    RELIABILITY,
    ROLES,
    SLUG_PATTERN,
    SUB_EVENT_TYPES,
    SUBJECTS_DOC,
    VAGUE,
)

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # ASCII digits: `\d` takes "２０１９"


def partial_date(v: Any) -> str:
    """Accept a TOML date or `YYYY`, `YYYY-MM`, `YYYY-MM-DD`; keep the precision given."""
    import datetime as _dt

    if isinstance(v, _dt.datetime):
        raise ValueError("give a date, not a date-time")
    if isinstance(v, _dt.date):
        if why := year_problem(v.year):
            raise ValueError(f"{v.isoformat()!r}: {why}")
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool) and 1000 <= v <= 9999:
        if why := year_problem(v):
            raise ValueError(why)
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
    if why := year_problem(int(year)):
        raise ValueError(f"{v.strip()!r}: {why}")
    return v.strip()


_partial_date = partial_date


PartialDate = Annotated[str, BeforeValidator(_partial_date)]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=200)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]


def _not_blank(v: str) -> str:
    """A text of spaces alone says nothing and shows as nothing: a claimant named `"   "` put
    claims on screen with no one saying them (QA s14), as one named with zero-width spaces did
    (QA s15).  Refused as a blank place is: spaces and invisible format characters only."""
    if v and not v.strip():
        raise ValueError("blank (only spaces)")
    if v and all(c.isspace() or unicodedata.category(c) == "Cf" for c in v):
        raise ValueError("blank (only spaces and invisible characters)")
    return v


# the JSON Schema's pattern says "not blank" to an editor as `validate` does (review: `"   "` passed
# it): a character that is neither a space nor an invisible format character (`_not_blank`; ECMA
# regular expressions have no `\p{Cf}` without a flag, so the common ones are listed)
VISIBLE = "[^\\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
Text = Annotated[
    str, Field(min_length=1, max_length=20_000, json_schema_extra={"pattern": VISIBLE}), AfterValidator(_not_blank)
]


def _slip(v: str, known: tuple[str, ...]) -> str | None:
    """The known value `v` is one slip of the keys from: a letter left out (`kiled`), doubled or
    added (`killled`), or two swapped (`totla`).  Not a letter changed: `uk-military` beside
    `us-military`, `fled` beside `held` are other values, as are longer differences
    (`militias`, `guardsmen`; review s14: a similarity ratio refused those)."""
    if len(v) < 4:
        return None
    for k in known:
        if abs(len(k) - len(v)) > 1 or k == v:
            continue
        short, long_ = (v, k) if len(v) < len(k) else (k, v)
        if len(short) < len(long_):  # one letter more in one of them
            if any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_))):
                return k
        elif any(v[:i] + v[i + 1] + v[i] + v[i + 2 :] == k for i in range(len(v) - 1)):
            return k
    return None


def _not_misspelt(known: tuple[str, ...], what: str) -> Callable[[str], str]:
    """A value of `what` one slip from a known one (`_slip`) is a misspelling: `kiled` set its
    claim apart from those about `killed`, so a dispute read "agree" (QA s14).  Any other new
    value stays free."""

    def check(v: str) -> str:
        if v not in known and (near := _slip(v, known)):
            raise ValueError(
                f"{v!r} is one slip from the {what} {near!r}: as written, the claim stands apart from "
                f"those about {near!r}"
            )
        return v

    return check


Metric = Annotated[
    str, Field(pattern=SLUG_PATTERN, max_length=80), AfterValidator(_not_misspelt(METRICS_DOC, "metric"))
]
Subject = Annotated[
    str, Field(pattern=SLUG_PATTERN, max_length=80), AfterValidator(_not_misspelt(SUBJECTS_DOC, "subject"))
]
# A place's name, with the spaces at its ends dropped: " Tajikistan " was a country no filter
# could name (`country:Tajikistan` found nothing and suggested " Tajikistan "), as ACLED's rows
# are read with theirs dropped.
Place = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
    Field(json_schema_extra={"pattern": VISIBLE}),
    AfterValidator(_not_blank),  # zero-width characters alone are no place either (QA s15)
]
Count = Annotated[StrictInt, Field(ge=0, le=10**12)]
Latitude = Annotated[StrictFloat, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[StrictFloat, Field(ge=-180, le=180, allow_inf_nan=False)]

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


def _one_quantity(self: Any) -> Any:
    """A figure is a value, or a range low..high (with an optional best inside it), never both.
    A range is exact or "about": "at least 5–9" says nothing its 9 could mean."""
    has_range = self.low is not None or self.high is not None
    if self.value is not None and has_range:
        raise ValueError("give either value or low+high, not both")
    if self.value is None and not has_range:
        raise ValueError("a figure needs a value, or low and high")
    if has_range and (self.low is None or self.high is None):
        raise ValueError("a range needs both low and high")
    if has_range and self.low > self.high:
        raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
    if has_range and self.qualifier not in ("exact", "about"):
        raise ValueError(
            f"qualifier {self.qualifier!r} with low and high: a range is 'exact' or 'about' "
            f"(for {self.qualifier!r}, give value)"
        )
    if self.qualifier == "fewer-than" and self.value == 0:
        raise ValueError("'fewer than 0' allows no number")
    if self.best is not None and (not has_range or not self.low <= self.best <= self.high):
        raise ValueError("best goes with low and high, and lies between them")
    if self.vague is not None and (self.value != VAGUE[self.vague] or self.qualifier != "at-least"):
        if self.value != VAGUE[self.vague]:
            field, given = "value", "no value" if self.value is None else str(self.value)
        elif "qualifier" not in self.model_fields_set:  # the default, not written (QA s14: `got "exact"`)
            field, given = "qualifier", "no qualifier"
        else:
            field, given = "qualifier", f'"{self.qualifier}"'
        raise FieldRuleError(
            field,
            f'a vague {self.vague!r} is read as value = {VAGUE[self.vague]} with qualifier "at-least" (got {given})',
        )
    return self


def _withdrawn_after_date(cls: Any, v: str | None, info: ValidationInfo) -> str | None:
    """A claim is withdrawn on or after the day it was made (partial dates: when they can overlap)."""
    date = info.data.get("date")  # validated before: `date` comes first in the record's order
    if v is not None and date is not None and date_high(v) < date_low(date):
        raise ValueError(f"withdrawn ({v}) is before the claim's date ({date})")
    return v


def _sub_type_of_type(cls: Any, v: str | None, info: ValidationInfo) -> str | None:
    """An event's sub-type belongs to its type (`type` comes first in the record's order).  A
    field's rule, not the record's: it is then reported beside the record's other problems,
    where a rule across the record runs only once every field is valid."""
    etype = info.data.get("type")
    if v is not None and etype is not None and v not in SUB_EVENT_TYPES[etype]:
        raise ValueError(f"{v!r} is not a sub-type of {etype!r} ({', '.join(SUB_EVENT_TYPES[etype])})")
    return v


class FieldRuleError(ValueError):
    """A rule across fields that knows which field is wrong, so the problem names that field
    at its line, not the record at its header."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _detail(err: ValueError, data: Any) -> InitErrorDetails:
    loc: tuple[str, ...] = (err.field,) if isinstance(err, FieldRuleError) else ()
    return InitErrorDetails(type="value_error", loc=loc, input=data, ctx={"error": err})


def _located(rule: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The rule as pydantic's "after" validator, its `FieldRuleError` located at the field."""

    def check(self: Any) -> Any:
        try:
            return rule(self)
        except FieldRuleError as exc:
            raise ValidationError.from_exception_data(type(self).__name__, [_detail(exc, self)]) from None

    check.__name__ = rule.__name__
    return check


def _related_apart(cls: Any, v: list[str], info: ValidationInfo) -> list[str]:
    """An event is not related to itself, and names each related event once (`id` comes first
    in the record's order)."""
    if info.data.get("id") in v:
        raise ValueError(f"{info.data['id']!r} is this event itself")
    seen: set[str] = set()
    for rid in v:
        if rid in seen:
            raise ValueError(f"{rid!r} is listed twice")
        seen.add(rid)
    return v


def _consistent(self: Any) -> Any:
    """An event's lat and lon come together and are finite."""
    if (self.lat is None) != (self.lon is None):
        given, missing = ("lat", "lon") if self.lon is None else ("lon", "lat")
        raise FieldRuleError(given, f"given without {missing} (lat and lon go together)")
    for name in ("lat", "lon"):
        v = getattr(self, name)
        if v is not None and not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number")
    return self


def _beside(rule: Callable[[Any], Any], reads: dict[str, Any]) -> Callable[..., Any]:
    """A wrap validator that, when some of a record's fields are wrong, still runs its rule
    across fields (on the input, the fields it reads given their defaults) if none of those it
    reads is wrong, and reports what it finds beside them: `validate` then lists every problem
    of a record in one run, not the rule's only once the others are fixed."""

    def check(cls: Any, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise
            errors = exc.errors()
            if any(e["loc"] and e["loc"][0] in reads for e in errors) or not any(e["loc"] for e in errors):
                raise  # the rule reads a wrong field, or it has run and failed already
            try:
                given = {name: data.get(name, default) for name, default in reads.items()}
                # which fields were written, as a model says it (review s14: the vague rule asks it)
                rule(SimpleNamespace(**given, model_fields_set=set(data)))
            except ValueError as more:
                details = [
                    InitErrorDetails(type=e["type"], loc=e["loc"], input=e["input"], ctx=e.get("ctx", {}))
                    for e in errors
                ]
                details.append(_detail(more, data))
                raise ValidationError.from_exception_data(exc.title, details) from None
            raise

    return check


class Default:
    """A default that the input model has and the runtime record has not (`subject = "total"`:
    the record keeps it a required field so that its field order, the store's row layout,
    stays as it is)."""

    def __init__(self, type_: Any, value: Any) -> None:
        self.type, self.value = type_, value


# A field's description in the JSON Schema (`briefing schema`), where its name does not say enough.
DOCS: dict[type, dict[str, str]] = {}
WITHDRAWN_DOC = (
    "The date on which the claimant withdrew this claim without giving another number (ACLED "
    "writing NA where it had a count), not before the claim's own date. A withdrawn claim is kept "
    "and shown, marked superseded (`withdrawn (DATE)`), is never part of a dispute and counts in no "
    "total: an event whose only claims were withdrawn has no figure."
)
DOCS[records.Figure] = {
    "withdrawn": WITHDRAWN_DOC,
    "metric": "What is counted: killed, wounded, detained, fled, fighters, ... (a new one is fine; one a "
    "letter left out, added or swapped from a known one, `kiled`, is refused as a misspelling).",
    "subject": "Who or what is counted: total (the default), civilians, security-forces, attackers, ...; "
    "claims about one metric and subject are compared with each other.",
    "value": "The number said (with `qualifier`); for a range give `low` and `high` instead; for a word "
    "(`dozens`) give `vague`, with the least the word means as `value` (dozens 12, hundreds 100, ...) and "
    "`qualifier` at-least.",
    "low": "A range's lower end, with `high` (`between 20 and 30`: low 20, high 30).",
    "high": "A range's upper end, with `low`.",
    "best": "A range's best estimate, between `low` and `high`, when the source gives one.",
    "qualifier": "How the number is meant: exact (the default), at-least, more-than, about, nearly, up-to, fewer-than.",
    "claimed_by": "The actor who said it (an actor id); an outlet's own count is claimed by an actor of kind `media`.",
    "source": "The source (outlet, agency) we read the claim in (a source id); its reliability grades it.",
    "via": "One source the claim passed through before `source` (a militant channel, a wire).",
    "date": "The day the claim was made; a later dated claim by the same claimant in the same source "
    "supersedes it (a revision, not a dispute).",
    "credibility": "Admiralty 1-6 for this claim (1 confirmed ... 6 cannot be judged).",
    "vague": "A word said instead of a number (dozens, hundreds, ...), with the least it means as `value` "
    "(dozens 12, hundreds 100, ...) and `qualifier` at-least.",
    "wording": "The claim in the source's own words, quoted.",
}
DOCS[records.Event] = {
    "date": "YYYY-MM-DD, YYYY-MM or YYYY: as precise as the source is, no more.",
    "date_note": "How the date was worked out (`the article gives Wednesday 6 November; the year from ...`).",
    "type": "ACLED's event type, as a slug: battles, explosions, violence-against-civilians, protests, riots, "
    "strategic-developments.",
    "sub_type": "ACLED's sub-type of `type`, as a slug (armed-clash, attack, suicide-bomb, ...).",
    "place_note": (
        "What the place or its point stands for when it is less than the spot: `Only the province is "
        "named`; for ACLED rows, what `geo_precision` 2 or 3 says (a town nearby, a region's centre)."
    ),
    "lat": "Latitude in decimal degrees, with `lon`.",
    "lon": "Longitude in decimal degrees, with `lat`.",
    "sources": "The sources that report the event (source ids); a claim names its own `source`.",
    "related": "Other events this one is tied to (event ids).",
}
DOCS[records.Source] = {
    "reliability": "Admiralty grade of the source: A completely reliable ... E unreliable, F cannot be judged.",
    "via": "Sources this one was itself seen through (source ids).",
    "published": "YYYY-MM-DD, YYYY-MM or YYYY.",
}
DOCS[records.Actor] = {
    "aliases": "Other names the actor goes by (`actor:` finds it by any of them).",
    "parent": "The actor this one is part of (an actor id).",
}


# What a NamedTuple cannot say, by record kind: a field's constrained type (for a tuple field,
# its items'), or `Default(type, value)`.  Every other `str` is `Text`, every `int` a `Count`.
CONSTRAINED: dict[type, dict[str, Any]] = {
    records.Figure: {
        "metric": Metric,
        "subject": Default(Subject, "total"),
        "qualifier": Qualifier,
        "claimed_by": Id,
        "source": Id,
        "via": Id,
        "date": PartialDate,
        "credibility": Credibility,
        "vague": Vague,
        "withdrawn": PartialDate,
    },
    records.ActorRole: {"actor": Id, "role": Role},
    records.Relation: {"actor": Id, "kind": Slug},
    records.Source: {"id": Id, "kind": Slug, "reliability": Reliability, "published": PartialDate, "via": Id},
    records.Actor: {"id": Id, "kind": Slug, "parent": Id, "sources": Id, "country": Place},
    records.Event: {
        "id": Id,
        "date": PartialDate,
        "type": EventType,
        "sub_type": Slug,
        "country": Place,
        "location": Place,
        "admin1": Place,
        "admin2": Place,
        "admin3": Place,
        "lat": Latitude,
        "lon": Longitude,
        "tags": Slug,
        "sources": Id,
        "related": Id,
    },
}
# A kind's rules across fields, and the fields each reads: run on the record once its fields
# are valid, and beside the errors of its other fields when those it reads are (`_beside`).
RULES: dict[type, tuple[Callable[[Any], Any], tuple[str, ...]]] = {
    records.Figure: (_one_quantity, ("value", "low", "high", "best", "qualifier", "vague")),
    records.Event: (_consistent, ("lat", "lon")),
}
# A field's rule that reads fields before it (pydantic's "after" field validators): an error
# is located at the field, so the loader names it (`figures[0].withdrawn: ...`).
FIELD_RULES: dict[type, dict[str, Callable[..., Any]]] = {
    records.Figure: {"withdrawn": _withdrawn_after_date},
    records.Event: {"sub_type": _sub_type_of_type, "related": _related_apart},
}
_PLAIN: dict[Any, Any] = {str: Text, int: Count}
_NONE = type(None)


def _plain(record: Any, name: str, tp: Any) -> Any:
    """The input type of a field that `CONSTRAINED` does not name."""
    if tp not in _PLAIN:
        raise TypeError(f"{record.__name__}.{name}: a {tp} field needs its type in CONSTRAINED")
    return _PLAIN[tp]


def model_for(record: Any, models: dict[Any, type[_Strict]]) -> type[_Strict]:
    """The input model of a record class (`FigureIn` for `Figure`), its fields in the record's
    order; models of the records it holds must be in models already."""
    constrained = dict(CONSTRAINED.get(record, {}))
    fields: dict[str, Any] = {}
    for name, annotation in get_type_hints(record).items():
        given = constrained.pop(name, None)
        default = record._field_defaults.get(name, ...)
        if isinstance(given, Default):
            given, default = given.type, given.value
        args = get_args(annotation)
        if get_origin(annotation) is tuple:  # tuple[X, ...]: a list in the input
            item = args[0]
            tp: Any = list[models[item] if item in models else given or _plain(record, name, item)]  # type: ignore[misc]  # a type made at run time
            default = list(default) if default is not ... else ...
        elif _NONE in args:  # X | None
            (plain,) = (a for a in args if a is not _NONE)
            tp = (given or _plain(record, name, plain)) | None
        else:
            tp = given or _plain(record, name, annotation)
        doc = DOCS.get(record, {}).get(name)
        fields[name] = (tp, default if doc is None else Field(default, description=doc))
    if constrained:
        raise TypeError(f"CONSTRAINED[{record.__name__}] names no field {sorted(constrained)}")
    validators: dict[str, Any] = {}
    if record in RULES:
        rule, reads = RULES[record]
        defaults = {name: record._field_defaults.get(name) for name in reads}
        validators[rule.__name__] = model_validator(mode="after")(_located(rule))
        validators["_beside"] = model_validator(mode="wrap")(_beside(rule, defaults))
    for name, check in FIELD_RULES.get(record, {}).items():
        validators[check.__name__] = field_validator(name, mode="after")(check)
    return create_model(
        f"{record.__name__}In",
        __base__=_Strict,
        __doc__=record.__doc__,
        __module__=__name__,
        __validators__=validators,
        **fields,
    )


def _models() -> dict[Any, type[_Strict]]:
    """Every record kind's model, the held kinds first."""
    models: dict[Any, type[_Strict]] = {}
    for record in (records.Figure, records.ActorRole, records.Relation, records.Source, records.Actor, records.Event):
        models[record] = model_for(record, models)
    return models


_BY_RECORD = _models()
FigureIn = _BY_RECORD[records.Figure]
SourceIn = _BY_RECORD[records.Source]
ActorIn = _BY_RECORD[records.Actor]
EventIn = _BY_RECORD[records.Event]

MODELS: dict[str, type[_Strict]] = {"source": SourceIn, "actor": ActorIn, "event": EventIn}

RecordFile: type[_Strict] = create_model(  # type: ignore[call-overload]  # fields built at run time
    "RecordFile",
    __base__=_Strict,
    __doc__="The shape of one data file, for the JSON Schema that `briefing schema` prints.",
    __module__=__name__,
    **{kind: (list[model], []) for kind, model in MODELS.items()},  # type: ignore[valid-type]  # made at run time
)


def json_schema() -> dict[str, Any]:
    schema = RecordFile.model_json_schema()
    schema["title"] = "briefing record file"
    schema["description"] = (
        "A TOML file under the data directory holding [[source]], [[actor]] and [[event]] "
        "tables. JSON exports use the same field names."
    )
    return schema
