"""Property-based: records with arbitrary text load, brief, export in every format and render in the
TUI without an exception; nothing a terminal is shown holds ESC (or C1, other C0, or a bidi
override); stored data is never changed; CSV cells read back as the neutralised values.

Each hypothesis example draws a pool of hostile strings and a seed, and builds a whole data
directory from them (200 records: 20 sources, 30 actors, 150 events with 2-3 conflicting
claims each), so a bounded number of examples covers many records.  `RECORDS_PER_RUN` is
the total per CI run (>= 10,000); derandomized, so CI runs are reproducible.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from pydantic import TypeAdapter, ValidationError

from briefing.display import clean
from briefing.schema import Place, Text
from briefing.vocab import CREDIBILITY, EVENT_TYPES, QUALIFIERS, RELIABILITY, SUB_EVENT_TYPES
from hostile_helpers import load_nocache
from tomlgen import table
from tui_check import bad_char, screen_problems

N_SOURCES, N_ACTORS, N_EVENTS = 20, 30, 150
PER_EXAMPLE = N_SOURCES + N_ACTORS + N_EVENTS
EXAMPLES = 52
RECORDS_PER_RUN = EXAMPLES * PER_EXAMPLE  # 10,400; the test asserts it was reached
TUI_EXAMPLES, TUI_EVENTS = 2, 120  # 240 events drawn in the TUI

# -- strategies ---------------------------------------------------------------------------------

HOSTILE_CHARS = (
    "\x1b\x9b\x9d\x9c\x85\x07\x08\r\x0b\x0c\x7f\x00\x01\x1f"  # C0, DEL, C1
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi overrides and isolates
    "\u200d\u200c\u200b\u200e\u200f\u0301\u0308\u2028\u2029\ufeff\u00a0"  # joiners, marks, separators
    "[]/@=+-|<>`*#_\\$:;,\"'\t\n "  # markup, formulas, Markdown, CSV
)
FRAGMENTS = (
    "[bold]",
    "[/bold]",
    "[/",
    "[0]",
    "[@click=app.quit]",
    "[link=http://evil.example]",
    "[/link]",
    "[red on white]",
    "\x1b[31m",
    "\x1b[2J",
    "\x1b]8;;http://evil.example/\x1b\\",
    "\x1b]0;title\x07",
    "\x9b0m",
    '=HYPERLINK("http://e")',
    "=1+1",
    "+1",
    "-2",
    "@SUM(A1)",
    "\t=",
    "\r=",
    "<script>",
    "| --- |",
    "**",
    "# ",
    ":smile:",
    "$accent",
    "ولاية خراسان",
    "دولت اسلامی",
    "می\u200cخواهم",
    "伊斯兰国",
    "👩\u200d👩\u200d👧",
    "🇹🇯",
    "e\u0301",
    "Душанбе",
)
atom = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),  # any Unicode scalar value
    st.text(st.sampled_from(HOSTILE_CHARS), min_size=1, max_size=4),
    st.sampled_from(FRAGMENTS),
)
hostile_text = st.lists(atom, min_size=1, max_size=4).map(lambda parts: "".join(parts) or "x")
pools = st.lists(hostile_text, min_size=6, max_size=24)
seeds = st.integers(min_value=0, max_value=2**32 - 1)

# -- building a data directory from a pool ------------------------------------------------------


PLACES = ("country", "location", "admin1", "admin2", "admin3")
PLACE = TypeAdapter(Place)  # how the loader reads a place's name: its end spaces dropped
TEXT = TypeAdapter(Text)  # any other text: not blank


@dataclass
class Built:
    root: Path
    texts: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (kind, id, field) -> text


def build(root: Path, pool: list[str], seed: int) -> Built:
    rng = random.Random(seed)
    built = Built(root)

    def text(kind: str, rid: str, name: str) -> str:
        s = rng.choice(pool)
        if rng.random() < 0.3:
            s += rng.choice(pool)
        s = s[:20_000]
        try:  # a text that says nothing (spaces, invisible characters: `schema._not_blank`) is refused
            (PLACE if name in PLACES else TEXT).validate_python(s)
        except ValidationError:  # blank (for a place: once its end spaces are dropped): invalid
            s += "x"
        built.texts[(kind, rid, name)] = s
        return s

    def maybe(kind: str, rid: str, name: str) -> str | None:
        return text(kind, rid, name) if rng.random() < 0.6 else None

    out = []
    for i in range(N_SOURCES):
        sid = f"s{i}"
        out.append(
            table(
                "[[source]]",
                {
                    "id": sid,
                    "name": text("source", sid, "name"),
                    "kind": "news",
                    "reliability": rng.choice(list(RELIABILITY)),
                    "title": maybe("source", sid, "title"),
                    "url": maybe("source", sid, "url"),
                    "notes": maybe("source", sid, "notes"),
                    "reliability_note": maybe("source", sid, "reliability_note"),
                },
            )
        )
    for i in range(N_ACTORS):
        aid = f"a{i}"
        out.append(
            table(
                "[[actor]]",
                {
                    "id": aid,
                    "name": text("actor", aid, "name"),
                    "kind": "armed-group",
                    "aliases": [text("actor", aid, "alias")],
                    "parent": f"a{i - 1}" if i and rng.random() < 0.3 else None,
                    "country": maybe("actor", aid, "country"),
                    "summary": maybe("actor", aid, "summary"),
                },
            )
        )
        if rng.random() < 0.3:
            out.append(
                table(
                    "[[actor.relations]]",
                    {
                        "actor": f"a{rng.randrange(N_ACTORS)}",
                        "kind": "enemy",
                        "note": maybe("actor", aid, "relation_note"),
                    },
                )
            )
    for i in range(N_EVENTS):
        eid = f"e{i}"
        etype = rng.choice(list(EVENT_TYPES))
        date = rng.choice(
            ("2019", "2020-02", f"20{rng.randrange(10, 25)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}")
        )
        fields: dict[str, object] = {
            "id": eid,
            "title": text("event", eid, "title"),
            "date": date,
            "country": text("event", eid, "country"),
            "type": etype,
            "sub_type": rng.choice(list(SUB_EVENT_TYPES[etype])) if rng.random() < 0.7 else None,
            "location": maybe("event", eid, "location"),
            "admin1": maybe("event", eid, "admin1"),
            "summary": maybe("event", eid, "summary"),
            "date_note": maybe("event", eid, "date_note"),
            "tags": rng.sample(["border", "claim", "isis", "x"], rng.randrange(3)),
            "sources": [f"s{rng.randrange(N_SOURCES)}"],
        }
        if rng.random() < 0.5:
            fields["lat"], fields["lon"] = round(rng.uniform(-90, 90), 4), round(rng.uniform(-180, 180), 4)
        out.append(table("[[event]]", fields))
        for role in rng.sample(["perpetrator", "target", "claimant", "mentioned"], rng.randrange(1, 4)):
            out.append(table("[[event.actors]]", {"actor": f"a{rng.randrange(N_ACTORS)}", "role": role}))
        for _ in range(rng.randrange(2, 4)):
            fig: dict[str, object] = {
                "metric": rng.choice(["killed", "wounded", "detained"]),
                "subject": rng.choice(["total", "civilians", "security-forces"]),
                "qualifier": rng.choice(list(QUALIFIERS)),
                "claimed_by": f"a{rng.randrange(N_ACTORS)}",
                "source": f"s{rng.randrange(N_SOURCES)}",
                "credibility": rng.choice([*CREDIBILITY, None]),
                "wording": maybe("event", eid, "wording"),
            }
            if rng.random() < 0.8:
                fig["value"] = rng.choice([0, 1, 10, 17, rng.randrange(10**12 + 1)])
                if fig["qualifier"] == "fewer-than" and fig["value"] == 0:  # "fewer than 0" is refused
                    fig["value"] = 1
            else:
                lo = rng.randrange(100)
                fig["low"], fig["high"] = lo, lo + rng.randrange(50)
                fig["qualifier"] = rng.choice(["exact", "about"])  # a range takes no other qualifier
            out.append(table("[[event.figures]]", fig))
    root.mkdir(parents=True, exist_ok=True)
    (root / "records.toml").write_text("\n".join(out), encoding="utf-8")
    return built


# -- checks -------------------------------------------------------------------------------------


def assert_terminal_safe(out: str, what: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in out if bad_char(c) and c not in "\n\t"})
    assert not bad, f"{what}: {bad} in the output"


def brief_text(ds, events, **kw) -> str:
    from rich.console import Group

    from briefing.render.brief import brief
    from briefing.render.console import make_console
    from briefing.summary import gather

    buf = io.StringIO()
    console = make_console("auto", None, file=buf, env={})  # piped: plain, 100 columns
    console.print(Group(*brief(ds, gather(ds, events, "", generated_at="2026-01-01 00:00 UTC", **kw))))
    return buf.getvalue()


def export_text(ds, events, fmt: str, tbl: str = "events") -> str:
    from briefing.export import Context, writer

    buf = io.StringIO()
    writer(fmt)(buf, Context(ds, events, "", tbl, generated_at="2026-01-01T00:00:00Z"))
    return buf.getvalue()


def check_dataset(built: Built) -> None:
    from briefing.export.csv import neutralise
    from briefing.render.actor import actor_profile
    from briefing.render.console import make_console
    from briefing.render.event import event_detail

    ds = load_nocache(built.root)
    assert ds.counts()["events"] == N_EVENTS and ds.counts()["actors"] == N_ACTORS
    # stored data is never changed
    for (kind, rid, name), s in built.texts.items():
        rec = {"event": ds.event, "actor": ds.actor, "source": ds.source}[kind](rid)
        if name == "alias":
            assert s in rec.aliases
        elif name in PLACES:  # read with the spaces at its ends dropped (QA s12), as pydantic trims
            assert getattr(rec, name) == PLACE.validate_python(s), (kind, rid, name)
        elif name not in ("wording", "relation_note"):
            assert getattr(rec, name) == s, (kind, rid, name)

    events = list(ds.events)
    assert_terminal_safe(brief_text(ds, events), "brief")
    assert_terminal_safe(brief_text(ds, events[:5], profiles=list(ds.actors[:2])), "brief with profiles")
    buf = io.StringIO()
    console = make_console("never", 80, file=buf)
    for e in events[:3]:
        console.print(event_detail(ds, e))
    console.print(actor_profile(ds, ds.actors[0]))
    assert_terminal_safe(buf.getvalue(), "event detail / actor profile")

    # JSON and JSONL: exact (parse back to the stored strings) and terminal-safe
    doc = json.loads(export_text(ds, events, "json"))
    assert_terminal_safe(export_text(ds, events, "json"), "json")
    by_id = {e["id"]: e for e in doc["events"]}
    for e in events:
        assert by_id[e.id]["title"] == e.title and by_id[e.id]["summary"] == e.summary
    jsonl = export_text(ds, events, "jsonl")
    assert_terminal_safe(jsonl, "jsonl")
    assert [json.loads(line)["title"] for line in jsonl.splitlines()] == [e.title for e in events]

    # CSV: every cell reads back as the neutralised (and display-cleaned) value
    for tbl in ("events", "figures", "actors"):
        text = export_text(ds, events, "csv", tbl)
        assert_terminal_safe(text.replace("\r\n", "\n"), f"csv {tbl}")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        if tbl == "events":
            assert len(rows) == len(events)
            for row, e in zip(rows, events):
                for name in ("title", "country", "location", "admin1", "summary"):
                    assert row[name] == str(neutralise(clean(getattr(e, name)) if getattr(e, name) else None))
                for cell in row.values():
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(cell)
        elif tbl == "actors":
            names = {a.id: a.name for a in ds.actors}
            for row in rows:
                assert row["name"] == neutralise(clean(names[row["id"]]))

    # Markdown: terminal-safe, and no record text adds a table column
    md = export_text(ds, events, "md")
    assert_terminal_safe(md, "md")
    for block in md.split("\n\n"):
        lines = [ln for ln in block.split("\n") if ln.startswith("|")]  # not splitlines(): U+2028 is no line end
        if lines:
            counts = {_md_columns(ln) for ln in lines}
            assert len(counts) == 1, f"a Markdown table row has a different column count: {lines}"
    stix = export_text(ds, events, "stix")
    assert_terminal_safe(stix, "stix")
    assert json.loads(stix)["type"] == "bundle"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _md_columns(line: str) -> int:
    n, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        n += line[i] == "|"
        i += 1
    return n


# -- the tests ----------------------------------------------------------------------------------


# no shrink phase: a whole data directory shrinks slowly, and the failing example is printed anyway
SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_hostile_records_load_brief_and_export_safely() -> None:
    records: list[int] = []

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(pool=pools, seed=seeds)
    def hostile_records_load_brief_and_export(pool: list[str], seed: int) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            check_dataset(build(Path(tmp) / "data", pool, seed))
        records.append(PER_EXAMPLE)

    hostile_records_load_brief_and_export()
    assert sum(records) >= 10_000, f"only {sum(records)} generated records were checked"


def test_the_cli_end_to_end_on_generated_records(tmp_path: Path, monkeypatch) -> None:
    """One generated directory through `briefing.cli.main` itself: brief and every export, piped."""
    from briefing import cli

    pool = [*FRAGMENTS, "\x1b[2J\x1b]8;;http://e/\x1b\\x", "\u202egpj.exe", "plain"]
    data = build(tmp_path / "data", pool, 7).root
    runs = [["brief"], ["brief", "--event", "e1"], ["brief", "--actor", "a1"], ["validate"]]
    runs += [["export", "--format", f] for f in ("json", "jsonl", "md", "stix")]
    runs += [["export", "--format", "csv", "--table", t] for t in ("events", "figures", "actors")]
    for args in runs:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main([*args, "--data", str(data)])
        assert rc == 0, (args, err.getvalue())
        assert_terminal_safe(out.getvalue().replace("\r\n", "\n"), " ".join(args))
        assert "\x1b" not in err.getvalue()


def test_hostile_records_render_in_the_tui() -> None:
    drawn: list[int] = []

    @settings(max_examples=TUI_EXAMPLES, **SETTINGS)
    @given(pool=pools, seed=seeds)
    def hostile_records_render_in_the_tui(pool: list[str], seed: int) -> None:
        drawn.append(render_in_tui(pool, seed))

    hostile_records_render_in_the_tui()
    assert sum(drawn) >= 200, f"only {sum(drawn)} generated events were drawn"


def render_in_tui(pool: list[str], seed: int) -> int:
    """One app per example, cycling its generated events through the detail pane."""
    from briefing.tui.app import make_app
    from briefing.tui.widgets.event_detail import EventDetail

    with tempfile.TemporaryDirectory() as tmp:
        ds = load_nocache(build(Path(tmp) / "data", pool, seed).root)
    problems: list[str] = []

    async def scenario() -> None:
        app = make_app(ds)
        async with app.run_test(size=(140, 30)) as pilot:
            await pilot.pause()
            problems.extend(screen_problems(app))
            preview = app.screen.query_one(EventDetail)
            for event in ds.events[:TUI_EVENTS]:
                preview.show(event)
                await pilot.pause()
                problems.extend(f"{event.id}: {p}" for p in screen_problems(app))
            for actor in ds.actors[:2]:
                app.open_record("actor", actor.id)
                await pilot.pause()
                problems.extend(f"{actor.id}: {p}" for p in screen_problems(app))
                await app.pop_screen()
            app.switch_mode("sources")
            await pilot.pause()
            problems.extend(screen_problems(app))
            assert app.is_running

    asyncio.run(scenario())
    assert not problems, "\n".join(problems[:10])
    return min(TUI_EVENTS, len(ds.events))
