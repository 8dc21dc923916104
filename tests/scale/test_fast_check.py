"""A cold load's fast paths give exactly what the slow ones give.

* `fastcheck.columns` (records checked a column at a time, no pydantic) accepts only records
  the schema accepts, and then gives the records the schema's `model_dump()` gives;
* the canonical-layout reader and pydantic-core's JSON reader give what tomllib gives;
* a whole load — records, problems, their files, lines and wording, skipped counts — is the
  same as with both fast paths turned off (tomllib and pydantic for everything), in one
  process or shared with workers.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import random
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from briefing import fastcheck, fasttoml, loader
from briefing.devtools import synth
from briefing.problems import DataError
from briefing.records import actor_from_dict, event_from_dict, source_from_dict
from briefing.schema import MODELS, ActorIn, ActorRoleIn, EventIn, FigureIn, RelationIn, SourceIn

FROM_DICT = {"source": source_from_dict, "actor": actor_from_dict, "event": event_from_dict}
EXAMPLES = int(os.environ.get("FT_EXAMPLES", "600"))


def schema_records(kind: str, recs: list) -> list | None:
    out = []
    for r in recs:
        try:
            out.append(FROM_DICT[kind](MODELS[kind].model_validate(r).model_dump()))
        except ValidationError:
            return None
    return out


def fast_records(kind: str, recs: list) -> list | None:
    cols = fastcheck.columns(kind, copy.deepcopy(recs))
    return None if cols is None else fastcheck.records_from_columns(kind, cols)


def world_records(n: int = 60, seed: int = 3) -> dict[str, list[dict]]:
    world = synth.World(n, seed=seed, actors=12, sources=8)
    text = "".join(synth.toml_record("source", s) for s in world.sources)
    text += "".join(synth.toml_record("actor", a) for a in world.actors)
    text += "".join(synth.toml_record("event", e) for e, _ in world.events())
    return tomllib.loads(text)


# -- the checker against the schema --------------------------------------------------------------
@pytest.mark.parametrize(("spec", "model"), [
    (fastcheck._SOURCE, SourceIn), (fastcheck._ACTOR, ActorIn), (fastcheck._EVENT, EventIn),
    (fastcheck._FIGURE, FigureIn), (fastcheck._ACTOR_ROLE, ActorRoleIn), (fastcheck._RELATION, RelationIn),
])
def test_the_checker_knows_every_field_of_the_schema(spec, model) -> None:
    """Same fields, same order, same required ones, same defaults."""
    assert [f[0] for f in spec] == list(model.model_fields)
    for name, how, default, _check in spec:
        field = model.model_fields[name]
        assert (how == "req") == field.is_required(), name
        if how != "req":
            expected = field.get_default(call_default_factory=True)
            assert (list(default) if how in ("list", "sub") else default) == expected, name


def test_valid_records_pass_and_come_out_as_the_schema_makes_them() -> None:
    doc = world_records()
    for kind in ("source", "actor", "event"):
        fast = fast_records(kind, doc[kind])
        assert fast is not None, kind
        assert fast == schema_records(kind, doc[kind])
        assert [type(r) for r in fast] == [type(r) for r in schema_records(kind, doc[kind])]
    assert fastcheck.columns("event", []) is not None and fast_records("event", []) == []


NASTY = [
    "", " ", "x", "X Y", "a b", "ok-slug", "Bad_Slug", "-lead", "a:b.c_d", "a" * 80, "a" * 81, "a" * 200, "a" * 201,
    "t" * 20_000, "t" * 20_001, "x\ny", "é", "2019", "2019-02-30", "2019-02-28", " 2019", "2019 ", "2019-13", "2019-1",
    "19-11-06", 2019, 999, 0, -1, 1, 6, 7, 10**12, 10**12 + 1, 2**70, True, False, 1.0, 0.5, 3.0, -90, 90, 90.0001,
    -90.5, 45, float("nan"), float("inf"), -180, 180.5, [], ["a"], ["A B"], [1], [""], [["x"]], ["x", "x"], {},
    {"a": 1}, dt.date(2019, 1, 1), dt.datetime(2019, 1, 1), dt.time(1, 2), "battles", "protests", "armed-clash",
    "suicide-bomb", "peaceful-protest", "perpetrator", "victim", "exact", "about", "roughly", "A", "F", "G",
    [{"actor": "a", "role": "target"}], [{"actor": "a"}], [{"actor": "a", "role": "target", "x": 1}],
    [{"actor": "a", "kind": "enemy"}], [{"actor": "a", "kind": "enemy", "note": ""}],
    [{"metric": "killed", "claimed_by": "a", "source": "s", "value": 3}],
    [{"metric": "killed", "claimed_by": "a", "source": "s", "low": 3, "high": 2}],
    [{"metric": "killed", "claimed_by": "a", "source": "s", "low": 3}],
    [{"metric": "killed", "claimed_by": "a", "source": "s"}],
    [{"metric": "killed", "claimed_by": "a", "source": "s", "value": 1, "credibility": True}],
    [{"metric": "killed", "claimed_by": "a", "source": "s", "value": 1, "date": "2019-05", "via": "v"}],
    [{"metric": "killed", "claimed_by": "a", "source": "s", "value": 1, "date": 2019}],
    [{"metric": "killed", "subject": "Total", "claimed_by": "a", "source": "s", "value": 1}],
    ["a", 1], "x" * 5,
]
FIELDS = sorted({f[0] for spec in (fastcheck._SOURCE, fastcheck._ACTOR, fastcheck._EVENT, fastcheck._FIGURE,
                                   fastcheck._ACTOR_ROLE, fastcheck._RELATION) for f in spec} | {"extra", "Id"})
BASE = world_records(20, seed=11)


SUB_SPECS = {"figures": fastcheck._FIGURE, "actors": fastcheck._ACTOR_ROLE, "relations": fastcheck._RELATION}
COUNTS = [True, False, 1.0, -1, 0, 3, 10**12, 10**12 + 1, "3"]
DATES = [" 2019", "2019 ", 2019, 999, dt.date(2019, 1, 1), dt.datetime(2019, 1, 1), "2019-02-30", "2019-2", "2019-05"]
COORDINATES = [45, 0, -90, 90, 90.0001, -90.5, 180, -180.0, -180.5, 180.25, float("nan"), float("-inf"), True, "45", 1e300, 2**1100]
SPECIFIC = {
    "value": COUNTS, "low": COUNTS, "high": COUNTS, "credibility": [True, 1.0, 0, 7, "1", 6],
    "date": DATES, "published": DATES, "lat": COORDINATES, "lon": COORDINATES,
    "sub_type": ["armed-clash", "suicide-bomb", "peaceful-protest", "Armed-Clash", ""],
    "type": ["battles", "riots", "Battles", ""], "role": ["perpetrator", "victim", ""],
    "qualifier": ["about", "roughly", ""], "reliability": ["A", "G", "a", ""],
}


@st.composite
def mutated(draw) -> tuple[str, list[dict]]:
    """1-4 records of a kind, with up to 3 fields (mostly ones the record's model has) set to
    awkward values or removed, or unknown fields added."""
    kind = draw(st.sampled_from(["source", "actor", "event", "event", "event"]))
    pool = BASE[kind]
    recs = [copy.deepcopy(draw(st.sampled_from(pool))) for _ in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(0, 3))):
        rec = draw(st.sampled_from(recs))
        target, spec = rec, fastcheck.SPECS[kind]
        subs = [(x, SUB_SPECS[k]) for k in SUB_SPECS if isinstance(rec.get(k), list)
                for x in rec[k] if isinstance(x, dict)]
        if subs and draw(st.booleans()):
            target, spec = draw(st.sampled_from(subs))
        own = [f[0] for f in spec]
        field = draw(st.sampled_from(own)) if draw(st.integers(0, 4)) else draw(st.sampled_from(FIELDS))
        if draw(st.integers(0, 5)) == 0:
            target.pop(field, None)
        else:
            values = SPECIFIC.get(field, NASTY) if draw(st.booleans()) else NASTY
            target[field] = copy.deepcopy(draw(st.sampled_from(values)))
    return kind, recs


@settings(max_examples=EXAMPLES * 5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_checker_never_accepts_what_the_schema_refuses(case) -> None:
    kind, recs = case
    fast = fast_records(kind, recs)
    if fast is not None:
        assert fast == schema_records(kind, recs)
        assert [repr(r) for r in fast] == [repr(r) for r in schema_records(kind, recs)]  # 1 vs 1.0 too


def test_the_checker_accepts_the_usual_variations() -> None:
    """Not a checker that refuses everything: optional fields missing here and there, ints for
    coordinates, ranges, shared sub-records."""
    ev = BASE["event"]
    recs = copy.deepcopy(ev[:6])
    recs[0].pop("summary", None)
    recs[1]["lat"], recs[1]["lon"] = 45, -3
    recs[2].pop("lat", None)
    recs[2].pop("lon", None)
    recs[3]["figures"] = [{"metric": "killed", "claimed_by": "a", "source": "s", "low": 2, "high": 2}]
    recs[4]["actors"] = []
    recs[5].pop("sub_type", None)
    fast = fast_records("event", recs)
    assert fast is not None and fast == schema_records("event", recs)
    assert fast[1].lat == 45.0 and type(fast[1].lat) is float


# -- the readers against tomllib ----------------------------------------------------------------
LINE_VALUES = ['"plain"', '"a = b"', '"[[x]]"', '"x ]]"', '"tab\there"', '"\\u00e9 \\" \\\\"', '"é ش"', '"\u2028"',
               "17", "-3", "1.5", "1e400", "true", "[]", '["a", "b"]', "[1, 2]", "[[1], [2]]", "[[1]]", "00",
               '"x" # c', "nan", "null", "[null]", '"a", "b": 2', "2019-11-06", "{ a = 1 }", '""', "9" * 5000]
LINES = ["id = {v}", "title = {v}", "a-b_c = {v}", "[[event]]", "[[event.figures]]", "[[event.actors]]", "[[source]]",
         "", "# a comment", "#", "  # indented", "x =1", "x= 1", "  k = 1", "[[ event ]]", "[[event]] # c",
         "[event]", "[[a.b.c]]", "k = {v} = 2", "k = {v}", "k = {v}", "dotted.key = 1", "\t"]


@st.composite
def canonical_documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 16))):
        line = draw(st.sampled_from(LINES))
        lines.append(line.replace("{v}", draw(st.sampled_from(LINE_VALUES))))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


def outcome(fn, text):
    try:
        return ("ok", repr(fn(text)))
    except Exception as exc:  # noqa: BLE001 - comparing whatever each raises
        return ("error", type(exc).__name__, str(exc))


@settings(max_examples=EXAMPLES * 4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canonical_documents(), st.booleans())
def test_the_canonical_and_json_readers_read_as_tomllib_does(text: str, big: bool) -> None:
    old = fasttoml.BIG
    fasttoml.BIG = 0 if big else 1 << 60  # pydantic-core's JSON reader, or json's
    try:
        assert outcome(fasttoml.loads, text) == outcome(tomllib.loads, text), text
        got = outcome(lambda t: (fasttoml.read(t).keys, fasttoml.read(t).starts), text)
        if got[0] == "ok" and outcome(tomllib.loads, text)[0] == "ok":
            assert got == outcome(lambda t: (list(tomllib.loads(t)), fasttoml.loads_located(t)[1]), text), text
    finally:
        fasttoml.BIG = old


def test_generated_files_take_the_canonical_route() -> None:
    world = synth.World(50, seed=2, actors=10, sources=6)
    text = "".join(synth.toml_record("event", e) for e, _ in world.events())
    assert fasttoml._canonical(text.encode()) is not None
    reading = fasttoml.read(text)
    assert reading._groups is not None and reading.columns("event") is not None


# -- whole loads against the slow paths ---------------------------------------------------------
@pytest.fixture()
def slow(monkeypatch: pytest.MonkeyPatch):
    """Turns both fast paths off: tomllib reads every file, pydantic checks every record."""

    def off() -> None:
        def no_fast_reading(*_a, **_k):
            raise fasttoml._Fallback

        monkeypatch.setattr(fasttoml, "_flat", no_fast_reading)
        monkeypatch.setattr(fastcheck, "checked", lambda *a, **k: None)

    return off


def load_outcome(root: Path, **kw):
    os.environ["BRIEFING_NO_CACHE"] = "1"
    try:
        ds = loader.load_dataset(root, **kw)
    except DataError as exc:
        return ("error", exc.lines())
    finally:
        del os.environ["BRIEFING_NO_CACHE"]
    return ("ok", ds.events, ds.actors, ds.sources, [str(p) for p in ds.problems], ds.skipped, ds.root)


def edits(text: str, rng: random.Random) -> list[tuple[str, str]]:
    """(name, edited text) for every kind of defect and layout the fast paths must get right."""
    lines = text.split("\n")

    def at(i: int, new: str | None) -> str:
        out = list(lines)
        if new is None:
            del out[i]
        else:
            out[i] = new
        return "\n".join(out)

    def nth(prefix: str) -> int:
        hits = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        return rng.choice(hits)

    first_event = text.index("[[event]]")
    second_event = text.index("[[event]]", first_event + 1)
    return [
        ("valid", text),
        ("bad role", at(nth("role = "), 'role = "victim"')),
        ("no title", at(nth("title = "), None)),
        ("unknown field", at(nth("title = "), "killed = 3")),
        ("unknown actor", at(nth("claimed_by = "), 'claimed_by = "nobody"')),
        ("unknown source", at(nth("sources = "), 'sources = ["nowhere"]')),
        ("bad date", at(nth("date = "), 'date = "2019-02-30"')),
        ("padded date", at(nth("date = "), 'date = " 2019"')),
        ("lat alone", at(nth("lon = "), None)),
        ("int coordinates", at(nth("lat = "), "lat = 12")),
        ("low over high", at(nth("value = "), "low = 5\nhigh = 2")),
        ("bool count", at(nth("value = "), "value = true")),
        ("duplicate key", at(nth("title = "), 'title = "a"\ntitle = "b"')),
        ("duplicate record", text + text[first_event:second_event]),
        ("syntax", at(nth("title = "), 'title = "unclosed')),
        ("inline figures", at(nth("sources = "), lines[nth("sources = ")] + "\nfigures = []")),
        ("figures first", "[[event.figures]]\nmetric = \"x\"\n\n" + text),
        ("root key", 'note = "x"\n' + text),
        ("crlf", text.replace("\n", "\r\n")),
        ("indented", text.replace("\nid = ", "\n  id = ")),
        ("comments", text.replace("\n[[event]]\n", "\n# an event\n[[event]] # this one\n")),
        ("interleaved subs", text.replace("[[event.figures]]", "[[event.actors]]\nactor = \"x\"\nrole = \"mentioned\"\n\n[[event.figures]]", 3)),
        ("line separator", text.replace("Officials", "Offi\u2028cials", 1)),
        ("tab value", at(nth("title = "), 'title = "a\tb"')),
    ]


def shared_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loads shared with worker processes, every TOML file read in parts of ~2 kB."""
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(loader, "PART_BYTES", 2000)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)


@pytest.mark.parametrize(("seed", "parts"), [(1, False), (2, False), (3, True)])
def test_loads_with_and_without_the_fast_paths_agree(tmp_path: Path, slow, monkeypatch, seed: int, parts: bool) -> None:
    rng = random.Random(seed)
    world = synth.World(40, seed=seed, actors=10, sources=6)
    base = tmp_path / "base"
    synth.write_toml(world, base)
    events = sorted(p for p in base.iterdir() if p.name.startswith("events-"))
    text = events[0].read_text("utf-8")
    cases = edits(text, rng)
    fast_results = {}
    with monkeypatch.context() as m:
        if parts:
            shared_in_parts(m)
        for name, edited in cases:
            root = tmp_path / f"case-{len(fast_results)}"
            root.mkdir()
            for p in base.iterdir():
                (root / p.name).write_bytes(p.read_bytes())
            (root / events[0].name).write_text(edited, "utf-8", newline="")
            fast_results[name] = (root, load_outcome(root), load_outcome(root, skip_invalid=True))
    slow()
    for name, (root, strict, skipping) in fast_results.items():
        assert strict == load_outcome(root), name
        assert skipping == load_outcome(root, skip_invalid=True), name


def test_a_big_file_is_read_in_parts_that_make_the_same_records(tmp_path: Path, monkeypatch) -> None:
    world = synth.World(300, seed=6, actors=20, sources=8)
    text = "".join(synth.toml_record("source", x) for x in world.sources)
    text += "".join(synth.toml_record("actor", a) for a in world.actors)
    text += "".join(synth.toml_record("event", e) for e, _ in world.events())
    (tmp_path / "all.toml").write_text("\ufeff" + text, "utf-8")
    whole = loader.parse_any(tmp_path / "all.toml")
    size = os.path.getsize(tmp_path / "all.toml")
    for n in (2, 3, 7, 40):
        parts = [loader.parse_part(str(tmp_path / "all.toml"), j, n) for j in range(n)]
        joined = loader._joined(str(tmp_path / "all.toml"), parts)
        assert joined is not None, n
        assert joined.records == whole.records, n
    shared_in_parts(monkeypatch)
    whole_parses = []
    parse_any = loader.parse_any
    monkeypatch.setattr(loader, "parse_any", lambda p: whole_parses.append(p) or parse_any(p))
    [shared] = loader.parse_all([tmp_path / "all.toml"])
    assert shared.records == whole.records and round(size / loader.PART_BYTES) > 10
    assert whole_parses == []  # all in parts, shared with a worker
    # a part that does not stand alone: the file is parsed whole, with its problems
    (tmp_path / "all.toml").write_text(text.replace('role = "target"', 'role = "victim"', 1), "utf-8")
    [shared] = loader.parse_all([tmp_path / "all.toml"])
    assert len(whole_parses) == 1 and shared.problems
    assert [str(p) for p in shared.problems] == [str(p) for p in parse_any(tmp_path / "all.toml").problems]


def test_worker_processes_hand_over_the_same_files(tmp_path: Path, monkeypatch) -> None:
    """Checked columns, dict records of a file with errors, and problems, through marshal."""
    world = synth.World(120, seed=4, actors=10, sources=6)
    synth.write_toml(world, tmp_path)
    events = sorted(p for p in tmp_path.iterdir() if p.name.startswith("events-"))
    text = events[0].read_text("utf-8")
    events[0].write_text(text.replace('role = "target"', 'role = "victim"', 1), "utf-8")
    paths = loader.data_files(tmp_path)
    alone = [loader.parse_any(p) for p in paths]
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 3)
    shared = loader.parse_all(paths)
    for a, b in zip(alone, shared):
        assert (a.path, a.problems, a.skipped, a.auto) == (b.path, b.problems, b.skipped, b.auto)
        assert a.records == b.records
    assert any(f.cols for f in shared) and any(f.problems for f in shared)
