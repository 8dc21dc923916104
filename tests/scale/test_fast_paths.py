"""The fast paths give exactly what the slow ones give: TOML reading, header lines, record building."""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import fasttoml
from briefing.devtools import synth
from briefing.records import (
    Actor, ActorRole, Event, Figure, Relation, Source, actor_from_dict, event_from_dict, source_from_dict,
)
from briefing.tomlpos import _HEADER, TomlLocator

REPO = Path(__file__).resolve().parents[2]


def outcome(fn, text):
    try:
        return ("ok", repr(fn(text)))  # repr: nan == nan, and 1 != 1.0 != "1"
    except Exception as exc:  # noqa: BLE001 - comparing whatever each raises
        return ("error", type(exc).__name__, str(exc))


def check(text: str) -> None:
    assert outcome(fasttoml.loads, text) == outcome(tomllib.loads, text), text


def test_bundled_and_synthetic_files_read_the_same() -> None:
    for p in sorted((REPO / "data").rglob("*.toml")):
        check(p.read_text("utf-8"))
    world = synth.World(200, seed=5, actors=30, sources=20)
    text = "".join(synth.toml_record("actor", a) for a in world.actors)
    text += "".join(synth.toml_record("event", e) for e, _ in world.events())
    check(text)
    assert fasttoml._fast(text)[0] == tomllib.loads(text)  # and the fast path really took it


VALUES = [
    '"plain"', '"esc \\" \\\\ \\n \\t \\u00e9 \\U0001F600"', '"slash \\/"', '"surrogate \\ud800"', '"tab\there"',
    '"del\x7f"', '"ctl\x01"', "'literal'", '"""multi\nline"""', '""', '"a": 1', '"x" # comment', '"x"#c',
    "0", "-0", "17", "+5", "1_000", "0x1F", "007", "1.5", "1e5", "1E+5", "-2.5e-3", "1.", ".5", "inf", "nan", "NaN",
    "Infinity", "null", "true", "false", "True", "2019-11-06", "2019-11-06T10:00:00",
    "[]", "[ ]", '["a", "b"]', '["a",]', "[1, 2]", "[1, [2]]", "[null]", "[1,\n2]", '{ a = 1 }', '{"a": 1}',
    '1, "b": 2', '"x"}, {"y": 1', "1 2", "", "= 1", '"a" "b"', "9" * 5000,
    "[1, null]", "[ null ]", '"null"', '"a", "null": 1', "nullx", '["x", {"a": 1}]', "[[1], {}]",
]
KEYS = ["id", "title", "a-b", "a_b", "1", "A", '"quoted"', "dotted.key", "bad key", " h", "ü", ""]
HEADERS = ["[[event]]", "[[event.figures]]", "[[event.actors]]", "[[ source ]]", "[[event . figures]]", "[event]",
           "[[actor.figures.deep]]", "[[event]] # c", "[[a]]x", "[[x.y]]", "[[event]]]"]
EXTRA = ["", "   ", "# comment", "  # c", ',"x":1', "},{", "\r", "garbage", "[[", "a = 1 = 2", "\t"]


@st.composite
def documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["kv", "kv", "kv", "header", "extra"]))
        if kind == "kv":
            sp1, sp2 = draw(st.sampled_from(["", " ", "\t"])), draw(st.sampled_from(["", " "]))
            lines.append(f"{draw(st.sampled_from(KEYS))}{sp1}={sp2}{draw(st.sampled_from(VALUES))}")
        elif kind == "header":
            lines.append(draw(st.sampled_from(HEADERS)))
        else:
            lines.append(draw(st.sampled_from(EXTRA)))
    sep = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return sep.join(lines) + draw(st.sampled_from(["", sep]))


@settings(max_examples=int(__import__("os").environ.get("FT_EXAMPLES", "1500")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_documents_read_the_same(text: str) -> None:
    check(text)


def test_duplicates_and_conflicts_fall_back_to_tomllibs_errors() -> None:
    for text in [
        "[[event]]\nid = 1\nid = 2\n",
        "event = 1\n[[event]]\n",
        "[[event]]\nfigures = []\n[[event.figures]]\n",
        "[[event.figures]]\n[[event]]\n",
        "[[event]]\na = 1\n[[event]]\na = 2\n",
        "a = 1\n[[a]]\n",
        '[[event]]\nx = 1, "x": 2\n',
    ]:
        check(text)


# -- header lines ---------------------------------------------------------------------------------
def slow_headers(text: str) -> tuple[list[tuple[int, str]], int]:
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("["):
            m = _HEADER.match(line)
            if m:
                out.append((i, re.sub(r"\s*\.\s*", ".", m.group(1))))
    return out, len(lines)


def test_header_scan_matches_the_line_by_line_one() -> None:
    pieces = ["[[event]]", " [[ event . figures ]] # c", "[event]", "a = 1", "", "  ", "# [[x]]", "[[a.b]]x",
              "[ [x]]", "\t[[source]]\t", "x = [[1]]", '[["q"]]', "[[a]]]", "[[ a b ]]", "[[é]]"]
    seps = ["\n", "\r\n", "\r", "\x0c", "\u2028", "\x1c"]
    rng = random.Random(0)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) + (rng.choice(seps) if rng.random() < 0.1 else "\n")
                       for _ in range(rng.randint(0, 8)))
        if rng.random() < 0.3:
            text = text.rstrip("\n")
        loc = TomlLocator(text)
        expected, n_lines = slow_headers(text)
        assert loc._headers == expected, repr(text)
        assert loc._line_count == n_lines, repr(text)


# -- record builders -----------------------------------------------------------------------------
def test_builders_make_the_real_immutable_records() -> None:
    d = {"id": "e", "title": "t", "date": "2019", "country": "X", "type": "battles",
         "actors": [{"actor": "a", "role": "target"}],
         "figures": [{"metric": "killed", "subject": "total", "claimed_by": "a", "source": "s", "value": 3}]}
    e = event_from_dict(d)
    ref = Event(id="e", title="t", date="2019", country="X", type="battles", actors=(ActorRole("a", "target"),),
                figures=(Figure("killed", "total", "a", "s", value=3),))
    assert type(e) is Event and type(e.figures[0]) is Figure and type(e.actors[0]) is ActorRole
    assert e == ref and hash(e) == hash(ref) and repr(e) == repr(ref)
    with pytest.raises(AttributeError):
        e.title = "x"  # type: ignore[misc]
    assert e._replace(title="x").title == "x"
    a = actor_from_dict({"id": "a", "name": "A", "kind": "k", "relations": [{"actor": "b", "kind": "enemy"}]})
    assert type(a) is Actor and a.relations == (Relation("b", "enemy"),)
    assert type(source_from_dict({"id": "s", "name": "S", "kind": "k", "reliability": "B"})) is Source
    with pytest.raises(TypeError, match="missing"):
        event_from_dict({"id": "x"})


def test_header_lines_from_the_fast_reader_match_the_locator() -> None:
    world = synth.World(150, seed=9, actors=20, sources=10)
    text = "# a comment\n\n" + "".join(synth.toml_record("actor", a) for a in world.actors)
    text += "".join(synth.toml_record("event", e) for e, _ in world.events())
    text = text.replace("[[event]]\n", "  [[ event ]]  # indented\n\n", 3).replace("\n", "\r\n", 1)
    doc, starts = fasttoml.loads_located(text)
    loc = TomlLocator(text)
    assert starts is not None
    for kind in ("actor", "event"):
        assert starts[kind] == [loc.record_line(kind, i) for i in range(len(doc[kind]))]
    assert fasttoml.loads_located(text.replace("Officials", "Offi\u2028cials", 1))[1] is None


def test_search_index_gives_the_plain_substring_answer_on_synthetic_data() -> None:
    """Each keystroke of a few queries over 20k synthetic events (Unicode actor names, stock
    summaries, more shared values than the index keeps): the filter's answer, from scratch and
    narrowed from the keystroke before, is the events whose casefolded text holds the word."""
    from briefing.search_index import MAX_SHARED
    from briefing.filters import Query, Term

    ds = synth.dataset(20_000, seed=3)
    names = {a.id: " ".join((a.name, *a.aliases)) for a in ds.actors}
    texts = []
    for e in ds.events:
        parts = [e.title, e.summary or "", e.location or "", e.admin1 or "", e.country]
        parts += [names.get(ar.actor, ar.actor) for ar in e.actors]
        if e.admin2 or e.admin3:
            parts += [e.admin2 or "", e.admin3 or ""]
        texts.append("\n".join(parts).casefold())
    assert len(ds.search_index().values) == MAX_SHARED  # the cap is reached: some parts stay per event
    rng = random.Random(4)
    typed = ["kunduz", "tajik", "iraq", "is", "Таджикистана", "أحرار", "ISKP", "clash in"]
    typed += [rng.choice(texts)[k:k + 7] for k in (0, 10, 40, 80)]  # pieces of real texts
    for word in typed:
        previous = None
        for k in range(1, len(word) + 1):
            needle = word[:k]
            expected = [i for i, t in enumerate(texts) if needle.casefold() in t]
            q = Query((Term(None, (needle,)),))
            assert q.indices(ds) == expected, needle
            if previous is not None:
                assert q.indices(ds, previous) == expected, needle
            previous = q.indices(ds)
            negated = Query((Term(None, (needle,), True),))
            assert negated.indices(ds, None) == [i for i in range(len(texts)) if needle.casefold() not in texts[i]]
