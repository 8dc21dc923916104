"""Each record kind's fields are declared once (the NamedTuples of `briefing.records`) and the
rest is derived: the pydantic input models, the dict -> record converters, the JSON Schema and
the CSV exports' columns (issue 10, item 4)."""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

import pytest
from pydantic import ValidationError

from brief_support import run
from briefing import records, schema
from briefing.devtools.synth import World

KINDS = [records.Figure, records.ActorRole, records.Relation, records.Source, records.Actor, records.Event]


@pytest.mark.parametrize("record", KINDS, ids=lambda r: r.__name__)
def test_each_model_has_its_records_fields_in_its_order(record) -> None:
    """Written twice, FigureIn listed value/low/high before claimed_by/source; derived, the
    model is the record's fields in the record's order, and the record's description."""
    model = schema._BY_RECORD[record]
    assert model.__name__ == f"{record.__name__}In"
    assert tuple(model.model_fields) == record._fields
    assert model.__doc__ == record.__doc__
    for name, field in model.model_fields.items():
        if name in record._field_defaults:
            default = record._field_defaults[name]
            assert field.default == (list(default) if isinstance(default, tuple) else default), name


def test_json_schema_properties_and_required_follow_the_records() -> None:
    defs = schema.json_schema()["$defs"]
    for record in KINDS:
        d = defs[f"{record.__name__}In"]
        assert list(d["properties"]) == list(record._fields)
        required = [f for f in record._fields if f not in record._field_defaults]
        if record is records.Figure:
            required.remove("subject")  # the one default only the input has: "total"
        assert d.get("required", []) == required
        assert d["description"] == record.__doc__


class Thing(NamedTuple):
    """A kind declared only here: its model is derived like the real ones."""

    id: str
    label: str
    count: int | None = None
    tags: tuple[str, ...] = ()
    figures: tuple[records.Figure, ...] = ()


def _errors(model, data) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return [(e["loc"], e["type"]) for e in info.value.errors()]


def test_a_new_kind_gets_its_rules_from_plain_types_and_the_table(monkeypatch) -> None:
    monkeypatch.setitem(schema.CONSTRAINED, Thing, {"id": schema.Id, "tags": schema.Slug})
    model = schema.model_for(Thing, {records.Figure: schema.FigureIn})
    ok = model.model_validate({"id": "t1", "label": "x", "count": 3, "tags": ["a-b"]})
    assert (ok.count, ok.tags, ok.figures) == (3, ["a-b"], [])
    assert _errors(model, {"id": "has space", "label": ""}) == [
        (("id",), "string_pattern_mismatch"),  # the table's Id
        (("label",), "string_too_short"),  # a str not in the table is Text: never empty
    ]
    assert _errors(model, {"id": "t", "label": "x", "count": -1}) == [(("count",), "greater_than_equal")]
    assert _errors(model, {"id": "t", "label": "x", "count": "3"}) == [(("count",), "int_type")]  # strict
    assert _errors(model, {"id": "t", "label": "x", "tags": ["Not A Slug"]}) == [
        (("tags", 0), "string_pattern_mismatch")
    ]
    assert _errors(
        model, {"id": "t", "label": "x", "figures": [{"metric": "killed", "claimed_by": "a", "source": "s"}]}
    ) == [
        (("figures", 0), "value_error")  # the figure's own rule: a value, or low and high
    ]
    assert _errors(model, {"id": "t", "label": "x", "lable": "y"}) == [(("lable",), "extra_forbidden")]
    assert _errors(model, {"label": "x"}) == [(("id",), "missing")]


def test_the_table_cannot_name_a_field_that_is_not_declared(monkeypatch) -> None:
    monkeypatch.setitem(schema.CONSTRAINED, Thing, {"id": schema.Id, "tag": schema.Slug})
    with pytest.raises(TypeError, match=r"CONSTRAINED\[Thing\] names no field \['tag'\]"):
        schema.model_for(Thing, {records.Figure: schema.FigureIn})


def test_a_plain_type_with_no_rule_needs_one_in_the_table() -> None:
    class Place(NamedTuple):
        lat: float

    with pytest.raises(TypeError, match="Place.lat: a <class 'float'> field needs its type in CONSTRAINED"):
        schema.model_for(Place, {})


def test_from_dict_of_a_validated_record_gives_it_back() -> None:
    """The converter made from a kind's fields: model_dump -> record -> plain is the identity,
    over generated records with every kind of field filled (actors with relations and figures,
    events with actors, figures, tags, related)."""
    world = World(300, seed=3)
    samples = {"source": world.sources, "actor": world.actors, "event": [e for e, _extra in world.events()]}
    convert = {"source": records.source_from_dict, "actor": records.actor_from_dict, "event": records.event_from_dict}
    for kind, dicts in samples.items():
        assert dicts
        for d in dicts:
            dumped = schema.MODELS[kind].model_validate(d).model_dump()
            rec = convert[kind](dumped)
            assert f"{type(rec).__name__}In" == schema.MODELS[kind].__name__
            assert records.to_plain(rec) == dumped
            assert all(type(v) is not list for v in rec)  # lists became tuples
    assert convert["event"].__name__ == "event_from_dict"


def test_from_dict_rejects_an_unknown_key() -> None:
    with pytest.raises(TypeError):
        records.from_dict(records.ActorRole)({"actor": "a", "role": "target", "rol": "x"})


def _csv(table: str) -> tuple[list[str], list[dict[str, str]]]:
    r = run("export", "--format", "csv", "--table", table)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout, newline="")))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def test_csv_columns_cover_every_plain_record_field() -> None:
    """The CSV tables left out date_note and related (events) and sources (actors): every
    record field that is not itself records is now a column, named as the record names it
    (or shown by a computed column: figure `date` is `claim_date`, ids shown as names)."""
    header, events = _csv("events")
    # a field added since goes last (`place_note`): the columns before keep their places (review s14)
    assert header[-3:] == ["date_note", "related", "place_note"]
    riot = next(e for e in events if e["id"] == "2019-05-vakhdat-prison-riot")
    assert riot["date_note"] and riot["date_precision"] == "month"
    crocus = next(e for e in events if e["id"] == "2024-03-22-crocus-city-hall-attack")
    assert crocus["related"] == "2024-01-03-kerman-explosions"
    nested = {"actors", "figures", "relations"}
    assert set(records.Event._fields) - nested <= set(header)
    header, actors = _csv("actors")
    assert set(records.Actor._fields) - nested <= set(header)
    assert header[-1] == "sources"
    assert next(a for a in actors if a["id"] == "abdul-rauf-aliza")["sources"] == "Unnamed outlet, Azizi interview"
    header, _ = _csv("figures")
    assert set(records.Figure._fields) - {"date"} <= set(header) and "claim_date" in header
