"""Record validation rules (that the models follow the records' fields: test_record_fields.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from briefing import records
from briefing.schema import ActorIn, EventIn, FigureIn, SourceIn, json_schema

FIG = {"metric": "killed", "claimed_by": "a", "source": "s"}
EV = {"id": "e", "title": "t", "date": "2019-11-06", "country": "X", "type": "battles"}


def test_figure_needs_exactly_one_kind_of_quantity() -> None:
    assert FigureIn(**FIG, value=3).subject == "total"
    assert FigureIn(**FIG, low=2500, high=3000).high == 3000
    assert FigureIn(**FIG, low=2500, high=3000, qualifier="about").qualifier == "about"
    assert FigureIn(**FIG, value=0, qualifier="up-to").value == 0
    for bad, why in (
        ({}, "needs a value"),
        ({"value": 3, "low": 1, "high": 4}, "not both"),
        ({"low": 1}, "needs both"),
        ({"low": 5, "high": 1}, "greater than high"),
        ({"value": -1}, "greater than or equal to 0"),
        ({"value": "17"}, "valid integer"),
        ({"value": True}, "valid integer"),
        ({"value": 3, "qualifier": "roughly"}, "'exact'"),
        ({"value": 3, "credibility": 7}, "1, 2, 3, 4, 5 or 6"),
        ({"value": 3, "metric": "Killed People"}, "pattern"),
        # QA (qa-regress3): shown as `≥5–9` with the 9 ignored, and as `<0` counted as 0
        ({"low": 5, "high": 9, "qualifier": "at-least"}, "a range is 'exact' or 'about'"),
        ({"low": 5, "high": 9, "qualifier": "up-to"}, "a range is 'exact' or 'about'"),
        ({"value": 0, "qualifier": "fewer-than"}, "'fewer than 0' allows no number"),
    ):
        with pytest.raises(ValidationError, match=why):
            FigureIn(**{**FIG, **bad})


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2019-11-06", "2019-11-06"),
        ("2019-05", "2019-05"),
        ("2019", "2019"),
        (dt.date(2019, 11, 6), "2019-11-06"),
        (2019, "2019"),
    ],
)
def test_partial_dates_keep_their_precision(given, stored) -> None:
    e = EventIn(**{**EV, "date": given})
    assert e.date == stored
    assert records.date_precision(e.date) == {10: "day", 7: "month", 4: "year"}[len(stored)]


@pytest.mark.parametrize("bad", ["2019-02-30", "19-11-06", "2019/11/06", "November 2019", dt.datetime(2019, 1, 1)])
def test_bad_dates_are_rejected(bad) -> None:
    with pytest.raises(ValidationError):
        EventIn(**{**EV, "date": bad})


def test_event_rules() -> None:
    with pytest.raises(ValidationError, match="not a sub-type of 'battles'"):
        EventIn(**EV, sub_type="suicide-bomb")
    with pytest.raises(ValidationError, match="lat and lon go together"):
        EventIn(**EV, lat=38.5)
    with pytest.raises(ValidationError, match="less than or equal to 90"):
        EventIn(**EV, lat=91.0, lon=0.0)
    with pytest.raises(ValidationError, match="Extra inputs"):
        EventIn(**EV, killed=17)
    assert EventIn(**EV, sub_type="armed-clash", lat=38.5, lon=68.7).lon == 68.7


def test_source_reliability_is_admiralty() -> None:
    assert SourceIn(id="s", name="n", kind="wire", reliability="B").reliability == "B"
    with pytest.raises(ValidationError):
        SourceIn(id="s", name="n", kind="wire", reliability="G")


def test_ids_are_plain_tokens() -> None:
    with pytest.raises(ValidationError, match="pattern"):
        ActorIn(id="has space", name="n", kind="person")


def test_json_schema_names_the_contract_fields() -> None:
    schema = json_schema()
    figure = schema["$defs"]["FigureIn"]["properties"]
    for name in ("value", "low", "high", "qualifier", "claimed_by", "source", "metric", "subject", "date"):
        assert name in figure
    assert "country" in schema["$defs"]["EventIn"]["properties"]


def test_json_schema_refuses_a_blank_text_as_validate_does() -> None:
    """QA s15: an editor checking records against the schema took `title = "   "`, which
    `briefing validate` refuses: a text holds something that is not a space."""
    import re

    props = json_schema()["$defs"]["EventIn"]["properties"]
    for name in ("title", "location"):  # a text, a place (optional: its string's schema)
        prop = props[name]
        pattern = next(p for p in [prop, *prop.get("anyOf", ())] if "pattern" in p)["pattern"]
        assert not re.search(pattern, "   ") and re.search(pattern, " a "), name
        assert not re.search(pattern, "\u200b \ufeff"), name  # invisible characters only (QA s15)
