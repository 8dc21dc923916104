"""The filter language: parsing, canonical form, matching, and errors that name the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.filters import FilterError, from_flags, parse
from briefing.loader import load_dataset
from testkit import MINIMAL_ACTORS, MINIMAL_SOURCES, write_tree

EVENTS = """
[[event]]
id = "clash"
title = "Clash at the border post"
date = "2019-11-06"
country = "Tajikistan"
type = "battles"
sub_type = "armed-clash"
tags = ["border"]
summary = "Masked men attacked a checkpoint."

[[event.actors]]
actor = "group"
role = "perpetrator"

[[event.figures]]
metric = "killed"
value = 2
claimed_by = "ministry"
source = "wire"

[[event.figures]]
metric = "killed"
value = 10
qualifier = "at-least"
claimed_by = "group"
source = "wire"

[[event]]
id = "riot"
title = "Prison riot"
date = "2019-05"
country = "Tajikistan"
type = "riots"
location = "Vakhdat"

[[event]]
id = "rockets"
title = "Rocket claim"
date = "2022"
country = "Uzbekistan"
type = "explosions"
sub_type = "shelling-artillery-missile"
tags = ["rocket", "claim"]
sources = ["claims"]
"""


@pytest.fixture
def ds(tmp_path: Path):
    root = write_tree(tmp_path, {"s.toml": MINIMAL_SOURCES, "a.toml": MINIMAL_ACTORS, "e.toml": EVENTS})
    return load_dataset(root)


def ids(ds, text: str) -> list[str]:
    return [e.id for e in parse(text).apply(ds)]


def test_empty_query_matches_everything_newest_first(ds) -> None:
    assert ids(ds, "") == ["rockets", "clash", "riot"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country:tajikistan", ["clash", "riot"]),
        ("country:Tajikistan,Uzbekistan", ["rockets", "clash", "riot"]),
        ("-country:Tajikistan", ["rockets"]),
        ("actor:grp", ["clash"]),  # alias, any case
        ('actor:"the group"', ["clash"]),  # name
        ("actor:ministry", ["clash"]),  # a claimant counts as appearing
        ("type:battle", ["clash"]),  # prefix of the type slug
        ("type:armed-clash", ["clash"]),  # sub-type
        ('type:"Strategic developments"', []),  # ACLED's label
        ("type:shelling", ["rockets"]),
        ("tag:border", ["clash"]),
        ("tag:claim,border", ["rockets", "clash"]),
        ("source:claims", ["rockets"]),
        ('source:"a wire service"', ["clash"]),  # figure carrier counts
        ("since:2019-06", ["rockets", "clash"]),
        ("since:2019-05-20", ["rockets", "clash", "riot"]),  # a May event overlaps 20 May
        ("until:2019-05", ["riot"]),
        ("until:2021", ["clash", "riot"]),
        ("since:2022-03 until:2022-03", ["rockets"]),  # year precision covers March
        ("disputed", ["clash"]),
        ("-disputed", ["rockets", "riot"]),
        ("checkpoint", ["clash"]),  # summary
        ("vakhdat", ["riot"]),  # location
        ('"the group"', ["clash"]),  # actor name as text
        ('"border post" country:tajikistan disputed', ["clash"]),
        ("border -rocket", ["clash"]),
    ],
)
def test_matching(ds, query: str, expected: list[str]) -> None:
    assert ids(ds, query) == expected


@pytest.mark.parametrize(
    ("query", "token", "why"),
    [
        ("contry:Tajikistan", "contry:Tajikistan", "unknown field 'contry'"),
        ("since:2019-13", "since:2019-13", "not a real date"),
        ("since:yesterday", "since:yesterday", "expected a date"),
        ("type:battel", "type:battel", "unknown type 'battel'"),
        ('"border post', '"border post', "unterminated quote"),
        ("tag:", "tag:", "needs a value"),
    ],
)
def test_parse_errors_name_the_token(query: str, token: str, why: str) -> None:
    with pytest.raises(FilterError) as info:
        parse(query)
    assert info.value.token == token
    assert why in info.value.why


def test_unknown_actor_is_an_error_at_compile_time(ds) -> None:
    with pytest.raises(FilterError, match="no actor has the id, name or alias 'nobody'"):
        parse("actor:nobody").apply(ds)


def test_canonical_form_round_trips() -> None:
    q = parse('  Country:Tajikistan  actor:"Islamic State"  -tag:x,y disputed "border post" ')
    text = str(q)
    assert text == 'country:Tajikistan actor:"Islamic State" -tag:x,y disputed "border post"'
    assert parse(text) == q


def test_quoted_comma_is_literal() -> None:
    assert parse('actor:"Smith, J"').terms[0].values == ("Smith, J",)


def test_flags_and_filter_mean_the_same(ds) -> None:
    flags = from_flags(country=["Tajikistan"], actor=["The Group"], since="2019", disputed=True, search=["border"])
    assert flags == 'country:Tajikistan actor:"The Group" since:2019 disputed border'
    assert ids(ds, flags) == ["clash"]
