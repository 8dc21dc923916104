"""`briefing export`, end to end: every format, no-clobber and --force, atomic writes, the
JSON round trip through the schema models, CSV formula neutralisation, Markdown escaping,
and STIX 2.1 validated by the official stix2-validator."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from brief_support import FIXTURE_IDS, HOSTILE_TITLE, REPO, env, needs_border_post, run, write_fixture

ESC = "\x1b"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return str(write_fixture(tmp_path_factory.mktemp("export") / "data"))


def export(data: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    r = run("export", "--data", data, *args)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


# -- json -------------------------------------------------------------------------------------


def test_json_shape_and_round_trip_through_the_models(data):
    from briefing.export.jsonl import actor_record_of, record_of
    from briefing.schema import ActorIn, EventIn, SourceIn

    r = export(data, "--format", "json", "--country", "Tajikistan")
    doc = json.loads(r.stdout)
    assert list(doc) == ["schema_version", "generated_at", "skipped", "events", "actors", "sources", "outside"]
    assert doc["schema_version"] == 1
    assert doc["generated_at"] == "2023-11-14T22:13:20Z"  # SOURCE_DATE_EPOCH pins it
    assert [e["id"] for e in doc["events"]] == ["2020-05-riot", "2019-11-06-post"]
    # only what the events reference: roles, claimants, parents, the claimants of their own
    # figures; cited sources, carriers, relays
    assert sorted(a["id"] for a in doc["actors"]) == ["authorities", "branch", "grp", "ministry", "reporter"]
    assert sorted(s["id"] for s in doc["sources"]) == ["channel", "paper", "wire"]
    for e in doc["events"]:
        rec = record_of(e)
        assert EventIn.model_validate(rec).model_dump() == rec
    for a in doc["actors"]:
        rec = actor_record_of(a)
        assert ActorIn.model_validate(rec).model_dump() == rec
    for s in doc["sources"]:
        assert SourceIn.model_validate(s).model_dump() == s
    fig = doc["events"][1]["figures"][2]
    assert (fig["value"], fig["qualifier"], fig["claimed_by"], fig["via"]) == (10, "at-least", "grp", "channel")


def test_json_field_names_are_the_records(data):
    from briefing.records import Event, Figure

    doc = json.loads(export(data).stdout)  # json is the default format
    assert list(doc["events"][0])[: len(Event._fields)] == list(Event._fields)
    assert list(doc["events"][-1]["figures"][0])[: len(Figure._fields)] == list(Figure._fields)


def test_json_and_jsonl_carry_the_same_fields(data):
    # What a user found: JSON events lacked `disputed` and `sources_named`, which JSONL has.
    doc = json.loads(export(data).stdout)
    lines = [json.loads(x) for x in export(data, "--format", "jsonl").stdout.splitlines()]
    assert doc["events"] == lines
    assert all("disputed" in e and "sources_named" in e for e in doc["events"])


def test_unfiltered_json_holds_every_record(data, tmp_path):
    # What a user found: an unfiltered export dropped records no event names, leaving a dangling relation.
    from briefing.loader import load_dataset

    ds = load_dataset(Path(data))
    doc = json.loads(export(data).stdout)
    assert {a["id"] for a in doc["actors"]} == {a.id for a in ds.actors}
    assert {s["id"] for s in doc["sources"]} == {s.id for s in ds.sources}
    assert doc["outside"] == []


def test_filtered_json_says_which_references_point_outside(data):
    doc = json.loads(export(data, "--format", "json", "--since", "2019-11-01", "--until", "2019-11-30").stdout)
    assert [e["id"] for e in doc["events"]] == ["2019-11-06-post"]
    # the post's related riot is not in this export: the link is kept and said to leave it
    assert {"from": "2019-11-06-post", "field": "related", "to": "2020-05-riot"} in doc["outside"]
    ids = {a["id"] for a in doc["actors"]}
    for a in doc["actors"]:
        for r in a["relations"]:
            assert (
                r["actor"] in ids
                or {"from": a["id"], "field": f"relations.{r['kind']}", "to": r["actor"]} in doc["outside"]
            )


# -- jsonl ------------------------------------------------------------------------------------


def test_jsonl_one_event_per_line_with_names(data):
    lines = export(data, "--format", "jsonl").stdout.splitlines()
    recs = [json.loads(line) for line in lines]
    assert {r["id"] for r in recs} == FIXTURE_IDS and len(recs) == 4
    post = next(r for r in recs if r["id"] == "2019-11-06-post")
    claims = {(f["value"], f["qualifier"], f["claimant"], f["source_name"], f["rating"]) for f in post["figures"]}
    assert (10, "at-least", "Example Group", "Wire Agency", "B4") in claims
    assert (2, "exact", "Interior Ministry", "Wire Agency", "B2") in claims
    assert post["figures"][2]["via_name"] == "Group channel"
    assert {a["name"] for a in post["actors"]} == {"Example Branch", "Example Group", "Interior Ministry"}
    assert post["disputed"] is True
    assert post["sources_named"][1] == {"id": "channel", "name": "Group channel", "reliability": "D"}


# -- csv --------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_events_neutralises_formulas_and_keeps_numbers(data):
    rows = {r["id"]: r for r in read_csv(export(data, "--format", "csv").stdout)}
    assert set(rows) == FIXTURE_IDS
    hostile = rows["2021-03-01-hostile"]
    assert hostile["location"] == '\'=HYPERLINK("http://evil.example","click")'
    assert hostile["admin1"] == "'-2+3"
    assert hostile["title"] == HOSTILE_TITLE.replace(ESC, "\\x1b")  # quoted, newline kept, ESC made visible
    mali = rows["2022-mali"]
    assert (mali["lat"], mali["lon"]) == ("12.6", "-8.0")  # a negative number stays a number
    assert (mali["killed"], mali["killed_low"], mali["killed_high"]) == ("3–5", "3", "5")
    riot = rows["2020-05-riot"]
    # ">20" and "32" can both be true: the consensus 32, not a dispute
    assert (riot["killed"], riot["killed_low"], riot["killed_high"], riot["disputed_figures"]) == (
        "32",
        "32",
        "32",
        "0",
    )


def test_csv_figures_one_row_per_claim(data):
    text = export(data, "--format", "csv", "--table", "figures").stdout
    header = next(csv.reader(io.StringIO(text)))
    assert header[:18] == [
        "record_kind",
        "record_id",
        "date",
        "country",
        "metric",
        "subject",
        "value",
        "low",
        "high",
        "qualifier",
        "claimed_by",
        "claimant",
        "source",
        "source_name",
        "reliability",
        "credibility",
        "via",
        "note",
    ]
    rows = read_csv(text)
    # every event claim, and the claims recorded on actors (what a user missed: ISKP's strength)
    assert [r["record_kind"] for r in rows].count("event") == 6
    assert [r["record_kind"] for r in rows].count("actor") == 2
    sf = [r for r in rows if r["record_id"] == "2019-11-06-post" and r["subject"] == "security-forces"]
    assert {(r["value"], r["qualifier"], r["claimant"], r["reliability"], r["credibility"]) for r in sf} == {
        ("2", "exact", "Interior Ministry", "B", "2"),
        ("10", "at-least", "Example Group", "B", "4"),
    }
    assert {r["disputed"] for r in sf} == {"true"}
    rng = next(r for r in rows if r["record_id"] == "2022-mali")
    assert (rng["value"], rng["low"], rng["high"]) == ("", "3", "5")


def test_csv_actors(data):
    rows = {r["id"]: r for r in read_csv(export(data, "--format", "csv", "--table", "actors", "--actor", "grp").stdout)}
    assert set(rows) == {"grp", "branch", "ministry", "authorities", "reporter"}
    assert rows["grp"]["aliases"] == "EG; The Example"
    assert (
        rows["grp"]["events"] == "2"
        and "perpetrator 1" in rows["grp"]["roles"]
        and "claimant 1" in rows["grp"]["roles"]  # the role: it claimed the attack
        and "figures 2" in rows["grp"]["roles"]  # the claims of numbers it made
    )
    assert rows["branch"]["parent_name"] == "Example Group"


def test_neutralise_unit():
    from briefing.export.csv import neutralise

    assert [
        neutralise(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", "", None, -3, -3.5, 0, True)
    ] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "ok", "", "", -3, -3.5, 0, "true"]
    # QA s12: a space before the formula (an importer may trim it first)
    assert neutralise(" =1+1") == "' =1+1" and neutralise("  @x") == "'  @x" and neutralise(" a") == " a"


def test_table_needs_csv(data):
    r = export(data, "--format", "json", "--table", "figures", ok=False)
    assert r.returncode == 2 and "--table" in r.stderr and r.stdout == ""


# -- md ---------------------------------------------------------------------------------------


def test_md_is_the_brief_escaped(data):
    out = export(data, "--format", "md").stdout
    for heading in (
        "# Brief: all events",
        "## Bottom line",
        "## Key events",
        "## Where sources disagree",
        "## Sources and their reliability",
    ):
        assert f"\n{heading}\n" in "\n" + out
    assert "| 10 guards" not in out
    row = next(line for line in out.splitlines() if "2021-03-01-hostile" in line)
    assert "\\[bold\\]x\\[/bold\\]" in row and "\\[link=http://x\\]" in row and "\\[@click=app.quit\\]" in row
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; a\\|b<br>line two" in row
    assert "\\\\x1b\\[31mred" in row and ESC not in out
    assert row.count(" | ") == 5  # the escaped pipe did not add a column
    assert "<b>" not in out and "<script>" not in out
    claims = out.split("## Where sources disagree", 1)[1]
    assert "| ≥10 | Example Group | Wire Agency | B4 | Group channel |" in claims


def test_md_says_what_the_brief_says() -> None:
    """The Markdown export is the brief in Markdown: it had kept an older brief of its own (a
    bottom line with no change against the period before, no timeline, Where or Who, key events
    newest first rather than by significance), so a report pasted from it said less than
    the terminal, and otherwise.  Same sentences, the same rows, the same key events in order."""
    import re

    from briefing.loader import load_dataset

    every_id = [e.id for e in load_dataset(REPO / "data").events]
    for args in ((), ("--country", "Afghanistan"), ("--since", "2022-01")):
        brief = run("brief", "--width", "400", *args)
        out = export(str(REPO / "data"), "--format", "md", *args).stdout
        assert brief.returncode == 0, brief.stderr

        def section(text: str, start: str, end: str) -> str:
            return text.split(start, 1)[1].split(end, 1)[0]

        def unescaped(line: str) -> str:
            line = line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            return re.sub(r"\\(.)", r"\1", line)

        said = [ln[2:] for ln in section(brief.stdout, "Bottom line\n", "\n\n").splitlines() if ln.startswith("- ")]
        written = [unescaped(ln[2:]) for ln in section(out, "## Bottom line\n", "\n\n## ").splitlines() if ln]
        assert said and written == said
        assert "## Timeline, " in out and "\n## Where\n" in out and "\n## Who\n" in out
        for year, events in re.findall(r"^(20\d\d)\s+(\d+) ", section(brief.stdout, "Timeline, ", "\n\n"), re.M):
            assert f"| {year} | {events} |" in out
        listed = re.findall(r"`([^`]+)`", section(out, "## Key events\n", "\n## "))
        shown = section(brief.stdout, "Key events\n", "Where sources disagree")
        in_brief = sorted((i for i in every_id if re.search(rf"(?m)\s{re.escape(i)}\s", shown)), key=shown.index)
        assert listed and listed == in_brief  # the brief's key events, in its order


def test_md_with_actor_has_the_profile(data):
    out = export(data, "--format", "md", "--actor", "grp").stdout
    assert out.index("## Profile: Example Group") < out.index("## Bottom line")


def test_md_escape_unit():
    from briefing.export.md import md

    assert md("# not a heading") == "\\# not a heading"
    assert md("1. not a list") == "\\1. not a list"
    assert md("a\nb", cell=True) == "a<br>b" and md("a\nb") == "a b"
    assert md("*x* _y_ `z` ~w~ \\") == "\\*x\\* \\_y\\_ \\`z\\` \\~w\\~ \\\\"
    assert md("\u202eevil") == "\\\\u202eevil"  # shown as the visible escape \u202e


# -- stix -------------------------------------------------------------------------------------

ALLOWED_WARNINGS = (
    "{103}",  # ids are UUIDv5 of a stable key (deterministic, as asked), not random UUIDv4
    "{202}",  # incident -> threat-actor `attributed-to` is permitted but not in 2.1's suggested list
)


def validate_stix(text: str):
    # stix2-validator is pinned below 3.3 in pyproject: 3.3.1's wheel ships without its JSON
    # schemas (oasis-open/cti-stix-validator#248) and rejects every input.
    from stix2validator import ValidationOptions, validate_string

    return validate_string(text, ValidationOptions(version="2.1"))


def stix_check(text: str) -> dict:
    result = validate_stix(text)
    errors = [str(e) for e in (result.errors or [])]
    assert result.is_valid and not errors, errors[:5]
    unexpected = [str(w) for w in (result.warnings or []) if not str(w).split(": ", 1)[-1].startswith(ALLOWED_WARNINGS)]
    assert not unexpected, unexpected[:5]
    return json.loads(text)


def test_stix_validates_and_maps_claims(data):
    doc = stix_check(export(data, "--format", "stix").stdout)
    assert doc["type"] == "bundle"
    objs = {o["id"]: o for o in doc["objects"]}
    by_type: dict[str, list[dict]] = {}
    for o in doc["objects"]:
        by_type.setdefault(o["type"], []).append(o)
    assert len(by_type["incident"]) == 4
    assert len(by_type["note"]) == 8  # one per figure claim: 6 about events, 2 about Example Group's strength
    group = next(o["id"] for o in by_type["threat-actor"] if o["name"] == "Example Group")
    strength = [n for n in by_type["note"] if n["abstract"].startswith("fighters")]
    assert len(strength) == 2 and all(n["object_refs"][0] == group for n in strength)
    assert {o["name"] for o in by_type["threat-actor"]} == {"Example Group", "Example Branch"}
    assert {(o["name"], o["identity_class"]) for o in by_type["identity"]} >= {
        ("Interior Ministry", "organization"),
        ("A Reporter", "individual"),
    }
    assert {o["country"] for o in by_type["location"]} == {"TJ", "UZ", "ML"}
    post = next(o for o in by_type["incident"] if o["name"] == "Attack on a border post")
    # created: the event's date; modified: the data's last change (its files' newest mtime)
    assert post["created"] == "2019-11-06T00:00:00.000Z" < post["modified"]
    attributed = {
        (objs[r["target_ref"]]["name"], r["description"])
        for r in by_type["relationship"]
        if r["relationship_type"] == "attributed-to" and r["source_ref"] == post["id"]
    }
    assert attributed == {("Example Branch", "perpetrator"), ("Example Group", "claimant")}
    is_claim = next(n for n in by_type["note"] if n["abstract"].startswith("killed (security-forces) ≥10"))
    assert set(is_claim["object_refs"]) == {
        post["id"],
        next(o["id"] for o in by_type["threat-actor"] if o["name"] == "Example Group"),
    }
    assert (
        "Example Group" in is_claim["content"]
        and "Group channel" in is_claim["content"]
        and "B4" in is_claim["content"]
    )
    assert 'admiralty-scale:information-credibility="4"' in is_claim["labels"]
    report = by_type["report"][0]
    assert set(report["object_refs"]) == set(objs) - {report["id"]}


def test_stix_is_deterministic(data):
    a = export(data, "--format", "stix").stdout
    b = run("export", "--data", data, "--format", "stix", env_extra={"SOURCE_DATE_EPOCH": "1"}).stdout
    assert a == b
    narrower = json.loads(export(data, "--format", "stix", "--country", "Tajikistan").stdout)
    full = json.loads(a)
    same = {o["id"]: o for o in full["objects"] if o["type"] == "incident"}
    for o in narrower["objects"]:
        if o["type"] in ("incident", "note", "threat-actor", "identity"):
            assert o == next(x for x in full["objects"] if x["id"] == o["id"])
    assert {o["id"] for o in narrower["objects"] if o["type"] == "incident"} < set(same)


def test_stix_empty_selection(data):
    doc = json.loads(export(data, "--format", "stix", "--country", "Nowhere").stdout)
    assert doc["type"] == "bundle" and doc["objects"] == []


# -- files: no-clobber, --force, atomic writes ------------------------------------------------


def test_stix_says_what_it_wrote_once(data, tmp_path):
    """QA: `wrote 40 events as 339 STIX objects as stix to s1.json`."""
    r = export(data, "--format", "stix", "--output", str(tmp_path / "s.json"))
    assert r.returncode == 0, r.stderr
    n = len(json.loads((tmp_path / "s.json").read_text("utf-8"))["objects"])
    assert f"briefing: wrote 4 events as a STIX 2.1 bundle of {n:,} objects to " in r.stderr, r.stderr


def test_output_file_no_clobber_and_force(data, tmp_path):
    out = tmp_path / "out.json"
    r = export(data, "--output", str(out))
    assert r.stdout == "" and "wrote 4 events, 5 actors and 3 sources as json" in r.stderr
    first = out.read_text("utf-8")
    assert json.loads(first)["events"]
    out.write_text("precious", "utf-8")
    r = export(data, "--format", "csv", "--output", str(out), ok=False)
    assert r.returncode == 2
    assert "already exists" in r.stderr and "--force" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert out.read_text("utf-8") == "precious"
    r = export(data, "--format", "csv", "--output", str(out), "--force")
    assert out.read_text("utf-8").startswith("id,date,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_figures_table_reports_what_it_wrote(data, tmp_path):
    # What a user saw: `--table figures` reported "wrote 37 events".
    out = tmp_path / "figures.csv"
    r = export(data, "--format", "csv", "--table", "figures", "--output", str(out))
    assert "wrote 6 event-level and 2 actor-level claims (from 4 events) as csv (figures table)" in r.stderr


def test_output_dash_is_stdout_and_missing_dir_is_refused(data, tmp_path):
    assert json.loads(export(data, "--output", "-").stdout)["schema_version"] == 1
    r = export(data, "--output", str(tmp_path / "no" / "such" / "x.json"), ok=False)
    assert r.returncode == 2 and "no such directory" in r.stderr
    r = export(data, "--output", str(tmp_path), ok=False)
    assert r.returncode == 2 and "directory" in r.stderr


def test_atomic_failing_writer_leaves_old_file_and_no_temp(tmp_path):
    from briefing.export.atomic import TargetExists, write_atomic

    target = tmp_path / "export.csv"
    target.write_text("old content\n", "utf-8")

    def failing(f):
        f.write("half of a new fi")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomic(target, failing, force=True)
    assert target.read_text("utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]

    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "new.csv", lambda f: (f.write("x"), (_ for _ in ()).throw(KeyboardInterrupt())))
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]

    with pytest.raises(TargetExists):
        write_atomic(target, lambda f: f.write("new"))
    assert target.read_text("utf-8") == "old content\n"

    write_atomic(target, lambda f: f.write("new\r\n"), force=True)
    assert target.read_bytes() == b"new\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


KILLED_MID_WRITE = """
import sys
import briefing.export.csv as fmt
real = fmt.write
def dying(out, ctx):
    out.write("event_id,half a row")
    raise OSError(28, "No space left on device")
fmt.write = dying
from briefing.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_export_dying_mid_write_keeps_old_file(data, tmp_path):
    target = tmp_path / "figures.csv"
    target.write_text("the old export\n", "utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_MID_WRITE,
            "export",
            "--data",
            data,
            "--format",
            "csv",
            "--output",
            str(target),
            "--force",
        ],
        capture_output=True,
        text=True,
        env=env(),
        cwd=REPO,
        timeout=60,
    )
    assert r.returncode == 1, r.stderr  # the system failed the write: 1, as for every command
    assert "No space left on device" in r.stderr and "nothing was written" in r.stderr
    assert target.read_text("utf-8") == "the old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["figures.csv"]


def test_empty_exports(data, tmp_path):
    doc = json.loads(export(data, "--country", "Nowhere").stdout)
    assert doc["events"] == doc["actors"] == doc["sources"] == []
    r = export(data, "--format", "csv", "--country", "Nowhere")
    assert r.stdout.strip().startswith("id,date") and len(r.stdout.strip().splitlines()) == 1
    assert "no events match country:Nowhere" in r.stderr
    assert (
        export(data, "--format", "md", "--country", "Nowhere").stdout
        == "No events match country:Nowhere (no event has the country 'Nowhere').\n"
    )


# -- bundled data -----------------------------------------------------------------------------


@needs_border_post
def test_bundled_exports():
    from briefing.export.jsonl import actor_record_of, record_of
    from briefing.schema import ActorIn, EventIn, SourceIn

    doc = json.loads(run("export").stdout)
    for key, model in (("events", EventIn), ("actors", ActorIn), ("sources", SourceIn)):
        for rec in doc[key]:
            model.model_validate(
                record_of(rec) if key == "events" else actor_record_of(rec) if key == "actors" else rec
            )
    # every record, including those no event names (a user found these two missing)
    assert "qala-e-zal-police" in {a["id"] for a in doc["actors"]}
    assert "comment-000-2-taliban-criticism" in {s["id"] for s in doc["sources"]}
    assert doc["outside"] == []
    iskp = [
        r
        for r in read_csv(run("export", "--format", "csv", "--table", "figures").stdout)
        if r["record_kind"] == "actor" and r["record_id"] == "iskp"
    ]
    assert {(r["metric"], r["low"], r["high"]) for r in iskp} == {("fighters", "2500", "3000")}
    stix = stix_check(run("export", "--format", "stix").stdout)
    notes = [o for o in stix["objects"] if o["type"] == "note" and "Islamic State" in o["abstract"]]
    assert any("≥10" in n["abstract"] for n in notes)
    rows = read_csv(run("export", "--format", "csv", "--table", "figures", "--filter", "border").stdout)
    post = {(r["value"], r["qualifier"], r["subject"]) for r in rows if r["record_id"] == "2019-11-06-border-post"}
    assert ("17", "exact", "total") in post and ("10", "at-least", "security-forces") in post


def test_acled_districts_reach_the_detail_csv_and_stix(tmp_path):
    """ACLED's admin2/admin3 (district, sub-district) are kept in every view, not only JSON."""
    import shutil

    d = tmp_path / "acled"
    d.mkdir()
    shutil.copy(REPO / "tests" / "scale" / "fixtures" / "acled_sample.csv", d / "acled.csv")
    # the sample holds two bad rows on purpose: --skip-invalid loads the rest
    r = run("export", "--data", str(d), "--skip-invalid", "--format", "csv", "--search", "stormed a border post")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    row = next(x for x in rows if x["id"] == "acled:TJK1001")
    assert (row["admin1"], row["admin2"], row["admin3"], row["location"]) == ("Khatlon", "Rumi", "Khurason", "Ishkobod")
    r = run("brief", "--data", str(d), "--skip-invalid", "--event", "acled:TJK1001", "--width", "120")
    assert r.returncode == 0, r.stderr
    assert "Ishkobod, Khurason, Rumi, Khatlon, Tajikistan" in r.stdout
    r = run("export", "--data", str(d), "--skip-invalid", "--format", "stix", "--search", "stormed a border post")
    incident = next(o for o in json.loads(r.stdout)["objects"] if o["type"] == "incident")
    assert "Ishkobod, Khurason, Rumi, Khatlon, Tajikistan" in incident["description"]


def test_safe_json_escapes_exactly_what_a_terminal_could_act_on():
    from briefing.display import safe_json

    unsafe = {
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x2028,
        0x2029,
        *range(0xD800, 0xE000),
    }
    for cp in [*range(0x20, 0x3000), *range(0xD7F0, 0xE010), 0xFEFF, 0x1F600, 0x10FFFF]:
        ch = chr(cp)
        got = safe_json(json.dumps(ch, ensure_ascii=False))
        assert got == (f'"\\u{cp:04x}"' if cp in unsafe else json.dumps(ch, ensure_ascii=False)), hex(cp)
        assert json.loads(got) == ch


def test_json_and_stix_have_one_record_per_line(data):
    """Big exports are written record by record (C encoder), one record per line, so that a
    re-export diffs line by line; the whole document still parses."""
    for fmt, key in (("json", "events"), ("stix", "objects")):
        r = export(data, "--format", fmt)
        doc = json.loads(r.stdout)
        lines = r.stdout.splitlines()
        assert lines[0] == "{" and lines[-1] == "}"
        records = [json.loads(x.strip().rstrip(",")) for x in lines if x.startswith("    {")]
        assert records and len(records) >= len(doc[key])
        assert [x for x in records if x in doc[key]] == doc[key]


# -- superseded claims ------------------------------------------------------------------------

REVISED_EVENT = """
[[event]]
id = "2023-revised"
title = "Counted twice"
date = "2023-01"
country = "Mali"
type = "battles"
sources = ["wire"]

[[event.figures]]
metric = "killed"
subject = "total"
value = 5
claimed_by = "ministry"
source = "wire"
date = "2023-01-10"

[[event.figures]]
metric = "killed"
subject = "total"
value = 2
claimed_by = "ministry"
source = "wire"
date = "2023-01-30"

[[event.figures]]
metric = "killed"
subject = "total"
value = 4
claimed_by = "grp"
source = "wire"
date = "2023-01-05"
"""


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    """The fixture plus an event whose ministry count was revised (5 on the 10th, 2 on the 30th)
    in the same source: the 5 is superseded; the group's older 4 is its own latest, so current."""
    root = write_fixture(tmp_path_factory.mktemp("revised") / "data")
    with (root / "records.toml").open("a", encoding="utf-8") as f:
        f.write(REVISED_EVENT)
    return str(root)


def test_json_and_jsonl_say_which_claims_are_superseded_as_the_csv_does(revised):
    # QA: the figures CSV has a `superseded` column; a figure in JSON/JSONL had no such field,
    # so a script counted ACLED's revised-away counts as live claims.
    csv_flags = {
        (r["record_id"], r["value"], r["claimed_by"]): r["superseded"]
        for r in read_csv(export(revised, "--format", "csv", "--table", "figures").stdout)
        if r["record_kind"] == "event"
    }
    doc = json.loads(export(revised).stdout)
    lines = [json.loads(x) for x in export(revised, "--format", "jsonl").stdout.splitlines()]
    for events in (doc["events"], lines):
        flags = {
            (e["id"], str(f["value"] if f["value"] is not None else ""), f["claimed_by"]): f["superseded"]
            for e in events
            for f in e["figures"]
        }
        assert all(type(v) is bool for v in flags.values())
        assert {k: ("true" if v else "false") for k, v in flags.items()} == csv_flags
        event = next(e for e in events if e["id"] == "2023-revised")
        assert [(f["value"], f["superseded"]) for f in event["figures"]] == [(5, True), (2, False), (4, False)]


def test_superseded_is_an_added_field_the_record_round_trip_drops(revised):
    from briefing.export.jsonl import record_of
    from briefing.schema import EventIn

    for e in json.loads(export(revised).stdout)["events"]:
        rec = record_of(e)
        assert all("superseded" not in f for f in rec["figures"])
        assert EventIn.model_validate(rec).model_dump() == rec


def test_stix_labels_superseded_claims(revised):
    doc = stix_check(export(revised, "--format", "stix").stdout)
    notes = {n["abstract"]: n for n in doc["objects"] if n["type"] == "note"}
    assert "briefing:superseded" in notes["killed 5 per Interior Ministry"]["labels"]
    assert "briefing:superseded" not in notes["killed 2 per Interior Ministry"]["labels"]
    assert "briefing:superseded" not in notes["killed 4 per Example Group"]["labels"]
    # the fixture's other claims (none revised) carry no such label
    assert sum("briefing:superseded" in n["labels"] for n in notes.values()) == 1


def test_stix_labels_what_is_disputed_as_the_other_exports_say_it(data):
    """QA (qa-regress3): STIX said a dispute only in the incident's prose; JSON, JSONL and CSV
    have a `disputed` field a script filters on."""
    doc = stix_check(export(data, "--format", "stix").stdout)
    disputed_events = {
        e["title"] for e in map(json.loads, export(data, "--format", "jsonl").stdout.splitlines()) if e["disputed"]
    }
    labelled = {o["name"] for o in doc["objects"] if o["type"] == "incident" and "briefing:disputed" in o["labels"]}
    assert disputed_events and labelled == disputed_events
    rows = read_csv(export(data, "--format", "csv", "--table", "figures").stdout)
    notes = [o for o in doc["objects"] if o["type"] == "note"]
    assert len(notes) == len(rows)
    assert sum("briefing:disputed" in n["labels"] for n in notes) == sum(r["disputed"] == "true" for r in rows) > 0


def test_markdown_says_it_is_a_brief_and_how_many_events_it_lists(tmp_path):
    """QA: `wrote 1,999 events as md` for a file that lists 50 of them: the Markdown export is
    the brief, and says so, with how many events it lists."""
    csv_path = tmp_path / "data" / "acled.csv"
    csv_path.parent.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.devtools.synth",
            "--events",
            "300",
            "--seed",
            "3",
            "--format",
            "acled",
            str(csv_path),
        ],
        check=True,
        capture_output=True,
    )
    out = tmp_path / "brief.md"
    r = export(str(tmp_path / "data"), "--format", "md", "-o", str(out))
    listed = out.read_text("utf-8").count("<br>`acled:")
    assert 0 < listed < 300
    assert f"wrote a brief of 300 events ({listed} listed) as md" in r.stderr, r.stderr


def test_the_actors_tables_roles_are_what_the_role_filters_find():
    # What a user saw (QA, outputs round 2): the actors CSV said `salaam-times` was
    # "claimant 3" (and `tj-government` "claimant 3"), but `claimant:salaam-times` found no
    # event: a figure's claimant was counted as the claimant role (a claim of responsibility).
    # The roles are counted as the role filters find them; giving figures is said apart.
    from briefing.filters import select
    from briefing.loader import load_dataset
    from briefing.vocab import ROLES

    ds = load_dataset(str(REPO / "data"))
    rows = read_csv(export(str(REPO / "data"), "--format", "csv", "--table", "actors").stdout)
    checked = 0
    for row in rows:
        said = dict(part.rsplit(" ", 1) for part in row["roles"].split(", ")) if row["roles"] else {}
        for role in ROLES:
            found = len(select(ds, f'{role}:"{row["id"]}"'))
            assert int(said.get(role, 0)) == found, (row["id"], role, row["roles"], found)
            checked += found
        gave = sum(any(f.claimed_by == row["id"] for f in e.figures) for e in ds.events)
        assert int(said.get("figures", 0)) == gave, (row["id"], row["roles"], gave)
    assert checked > 50
    salaam = next(r for r in rows if r["id"] == "salaam-times")
    assert "claimant" not in salaam["roles"] and "figures" in salaam["roles"], salaam["roles"]


def test_an_event_dated_in_the_future_does_not_date_the_bundle_in_the_future(tmp_path):
    # What a user saw (QA, outputs round 2): one row mistyped 2099-12-31 made its incident
    # `created`/`modified` 2099-12-01 and the report `published` 2099; once the date was fixed,
    # the next bundle's objects were *older* versions than the ones a TAXII server held, which
    # kept the typo for good.  No object is dated after the data's last change.
    import os
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "events" / "2019-11-border-post.toml"
    text = path.read_text("utf-8")
    path.write_text(text.replace('date = "2019-11-06"', 'date = "2099-11-06"', 1), "utf-8")
    for p in data.rglob("*"):
        os.utime(p, (1764000000, 1764000000))  # 2025-11-24T16:00:00Z
    first = {o["id"]: o for o in stix_check(export(str(data), "--format", "stix").stdout)["objects"]}
    for o in first.values():
        for key in ("created", "modified", "published"):
            assert o.get(key, "") <= "2025-11-24T16:00:00.000Z", (o["type"], key, o.get(key))
    # (QA regress 9) a broken link beside the data, loaded with --skip-invalid, lost the cap: the
    # data's last change is that of the files read, whatever could not be
    (data / "events" / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    skipping = stix_check(export(str(data), "--format", "stix", "--skip-invalid").stdout)["objects"]
    assert max(o.get(key, "") for o in skipping for key in ("created", "modified", "published")) <= (
        "2025-11-24T16:00:00.000Z"
    )
    (data / "events" / "gone.toml").unlink()
    path.write_text(text, "utf-8")  # the typo fixed, a day later
    for p in data.rglob("*"):
        os.utime(p, (1764086400, 1764086400))
    fixed = {o["id"]: o for o in stix_check(export(str(data), "--format", "stix").stdout)["objects"]}
    [incident] = [
        oid for oid, o in fixed.items() if o["type"] == "incident" and o["name"].startswith("Attack on a border post")
    ]
    assert incident in first and fixed[incident]["modified"] > first[incident]["modified"]
    assert fixed[incident]["created"] == "2019-11-06T00:00:00.000Z"


def test_an_export_that_skipped_records_says_so_in_the_file(minimal_data):
    # What a user saw (QA, own records): `export --skip-invalid` wrote JSON and STIX with nothing
    # in them to say records were left out ("5 events, no filter."), exit 0: a nightly export
    # could ship partial data to a partner with no mark of it.  The file says how many.
    more = '\n[[event]]\nid = "bad"\ntitle = "Broken"\ndate = "06/11/2019"\ncountry = "X"\ntype = "battles"\n'
    path = minimal_data / "events" / "e1.toml"
    path.write_text(path.read_text() + more)
    doc = json.loads(export(str(minimal_data), "--format", "json", "--skip-invalid").stdout)
    assert doc["skipped"] == 1 and [e["id"] for e in doc["events"]] == ["e1"]
    bundle = stix_check(export(str(minimal_data), "--format", "stix", "--skip-invalid").stdout)
    [report] = [o for o in bundle["objects"] if o["type"] == "report"]
    assert "1 invalid record left out (--skip-invalid)" in report["description"], report["description"]
    path.write_text(path.read_text().replace(more, ""))
    assert json.loads(export(str(minimal_data), "--format", "json").stdout)["skipped"] == 0


def test_stix_keeps_an_events_coordinates_and_its_related_events(minimal_data):
    # What a user saw (QA, own records): the event's lat/lon (36.728, 68.857) were nowhere in the
    # bundle (one location, the country), and `related` was not a relationship.
    path = minimal_data / "events" / "e1.toml"
    more = '\n[[event]]\nid = "e2"\ntitle = "Later"\ndate = "2019-11-08"\ncountry = "Tajikistan"\ntype = "battles"\n'
    path.write_text(
        path.read_text().replace(
            'sources = ["wire"]', 'sources = ["wire"]\nlat = 36.728\nlon = 68.857\nrelated = ["e2"]'
        )
        + more
    )
    objs = stix_check(export(str(minimal_data), "--format", "stix").stdout)["objects"]
    incidents = {o["name"]: o["id"] for o in objs if o["type"] == "incident"}
    [point] = [o for o in objs if o["type"] == "location" and "latitude" in o]
    assert (point["latitude"], point["longitude"], point.get("country")) == (36.728, 68.857, "TJ")
    rels = {(o["source_ref"], o["relationship_type"], o["target_ref"]) for o in objs if o["type"] == "relationship"}
    assert (incidents["Attack on a border post"], "related-to", point["id"]) in rels
    assert (incidents["Attack on a border post"], "related-to", incidents["Later"]) in rels
    # (QA regress 10) one link a pair, though each event names the other
    path.write_text(
        path.read_text()
        .replace('type = "battles"\n', 'type = "battles"\nrelated = ["e1"]\n', 2)
        .replace('related = ["e1"]\n', "", 1)
    )
    objs2 = stix_check(export(str(minimal_data), "--format", "stix").stdout)["objects"]
    pairs = [o for o in objs2 if o["type"] == "relationship" and o["target_ref"].startswith("incident--")]
    assert len(pairs) == 1, pairs
    # filtered to e1 alone, the link to an incident the bundle lacks is left out
    objs = stix_check(
        export(str(minimal_data), "--format", "stix", "--filter", "since:2019-11-06 until:2019-11-06").stdout
    )["objects"]
    ids = {o["id"] for o in objs}
    assert all(o["target_ref"] in ids for o in objs if o["type"] == "relationship")


def test_the_markdown_brief_takes_compare_to_as_the_brief_does():
    # What a user saw (QA regress 9): `export --format md --compare-to year` was refused ("only
    # with --table timeline or counts"), though the Markdown export is the brief, with its
    # change columns: year-on-year could not be asked of it.
    flags = ["--filter", "since:2022-04 until:2022-06", "--compare-to", "year"]
    md = run("export", "--format", "md", *flags)
    assert md.returncode == 0, md.stderr
    assert "change: Apr–Jun 2022 against Apr–Jun 2021" in md.stdout, md.stdout[:3000]
    assert "change: Apr–Jun 2022 against Jan–Mar 2022" in run("export", "--format", "md", *flags[:2]).stdout
    overlap = run("export", "--format", "md", "--compare-to", "year")  # 2015-2024: a year's baseline overlaps
    assert overlap.returncode == 2 and "longer than a year" in overlap.stderr and "internal" not in overlap.stderr
    refused = run("export", "--format", "json", "--compare-to", "year")
    assert refused.returncode == 2 and "only with --format md or --table timeline or counts" in refused.stderr


def test_a_claim_corrected_in_place_keeps_its_note_id(tmp_path):
    """QA: a claim's note id was made from its number, so fixing `value = 17` to 18 in the TOML
    gave a new note and dropped the old one unrevoked: a consumer keeping the latest version of
    each id then held both 17 and 18 from one claimant and source, a dispute no one made.  The
    id is the claim's place (event, what, subject, claimant, source, via, order), not its number:
    the corrected note is a later version of the same object."""
    import os
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "events" / "2019-11-border-post.toml"

    def notes() -> dict[str, dict]:
        doc = json.loads(export(str(data), "--format", "stix").stdout)
        return {o["id"]: o for o in doc["objects"] if o["type"] == "note"}

    before = notes()
    text = path.read_text()
    assert "\nvalue = 17\n" in text
    path.write_text(text.replace("\nvalue = 17\n", "\nvalue = 18\n", 1))
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    after = notes()
    assert set(after) == set(before)  # no note left without a later version
    (changed,) = [i for i in after if after[i]["abstract"] != before[i]["abstract"]]
    assert "17" in before[changed]["abstract"] and "18" in after[changed]["abstract"]
    assert after[changed]["modified"] > before[changed]["modified"]


def test_a_raised_total_is_marked_derived_in_the_events_csv() -> None:
    """QA (regression pass): the Kunduz raid's `≥3` (the Taliban's "many" in all, raised to
    Mujahid's 3 perpetrators) was written `killed_derived = false`, as if someone had claimed
    ≥3; the brief and Markdown show where it comes from, the CSV now marks it ours."""
    rows = read_csv(run("export", "--format", "csv", "--search", "Imam Sahib").stdout)
    [raid] = [r for r in rows if r["id"] == "2022-07-kunduz-iskp-centre-raid"]
    assert (raid["killed"], raid["killed_low"], raid["killed_derived"]) == ("≥3", "3", "true")
    assert raid["killed_claimants"] == "Taliban; Zabihullah Mujahid"


def test_claims_moved_about_in_the_file_keep_their_note_ids(tmp_path):
    """QA (regression pass): with the number out of a note's id, one claimant's claims in one
    source were told apart by their order in the file: swapping the ministry's 5 (10 Jan) and 2
    (30 Jan) swapped their notes' ids, read by a consumer as corrections 5→2 and 2→5.  They are
    told apart by their dates now, then the file's order."""
    swapped = REVISED_EVENT.replace("value = 5\n", "value = @\n").replace("value = 2\n", "value = 5\n")
    swapped = swapped.replace("value = @\n", "value = 2\n")
    swapped = swapped.replace('date = "2023-01-10"', 'date = "@"').replace('date = "2023-01-30"', 'date = "2023-01-10"')
    swapped = swapped.replace('date = "@"', 'date = "2023-01-30"')

    def notes(event_text: str) -> dict[str, str]:
        root = write_fixture(tmp_path / str(len(event_text) + len(list(tmp_path.iterdir()))) / "data")
        with (root / "records.toml").open("a", encoding="utf-8") as f:
            f.write(event_text)
        doc = stix_check(export(str(root), "--format", "stix").stdout)
        return {o["id"]: o["abstract"] for o in doc["objects"] if o["type"] == "note" and "Ministry" in o["abstract"]}

    before, after = notes(REVISED_EVENT), notes(swapped)
    assert after == before and len(before) >= 2, (before, after)


def test_json_of_a_selection_reads_its_events_twice_not_three_times(data):
    """JSON of a selection lists the actors and sources its events reference: that took a pass
    over the events for the actors and another for the sources before the pass that writes
    them, and a view's selection is read from the store on each pass (a third of a big
    export's time).  One pass gathers both now."""
    from briefing.export import Context, writer
    from briefing.loader import load_dataset

    ds = load_dataset(data)

    class Counted(list):
        passes = 0

        def __iter__(self):
            Counted.passes += 1
            return super().__iter__()

    events = Counted(list(ds.events)[:-1])  # a selection: not every event
    writer("json")(io.StringIO(), Context(ds, events, "q"))
    assert Counted.passes == 2


def test_md_with_no_dispute_keeps_the_legend_a_paragraph_of_its_own():
    """QA s12: "Nowhere: …" ran straight into the legend below it: one paragraph once rendered."""
    from testkit import BUNDLED

    lines = export(str(BUNDLED), "--format", "md", "-f", "country:Russia").stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Nowhere: "))
    assert lines[at + 1] == "" and lines[at + 2].startswith("! = the claims cannot all be true")


def test_markdown_is_a_name_for_md(data) -> None:
    """QA s13: `--format markdown`, the word the README and --help use, was an invalid choice."""
    md = run("export", "--data", data, "--format", "md")
    named = run("export", "--data", data, "--format", "markdown")
    assert named.returncode == 0 and named.stdout.splitlines()[0] == md.stdout.splitlines()[0], named.stderr
    assert len(named.stdout.splitlines()) == len(md.stdout.splitlines())


def test_the_markdown_key_events_say_what_per_is_as_the_brief_does(data) -> None:
    """Review s13: the Markdown export wrote the key events' `(per X; Y: >20)` cells under a
    copy of the brief's note that had lost what `per` means; both print one text now."""
    from briefing.render.brief import KEY_EVENTS_NOTE

    md = run("export", "--data", data, "--format", "md")
    brief = run("brief", "--data", data, "--width", "1000")
    assert md.returncode == 0 and brief.returncode == 0, (md.stderr, brief.stderr)
    assert "per = who gave the numbers shown" in md.stdout and "per = who gave the numbers shown" in brief.stdout
    assert KEY_EVENTS_NOTE.split(";")[0] in " ".join(brief.stdout.split())


@needs_border_post
def test_a_filtered_figures_table_holds_actor_claims_only_of_the_actors_it_names():
    """QA s15: `--table figures -f disputed` held ISKP's undisputed "2,500–3,000 fighters" (ISKP
    is mentioned at the border post), and `-f country:Uzbekistan` a single row: that estimate,
    country Afghanistan.  A filtered table gives the selected events' claims, and an actor's
    own claims when the filter names the actor (as the brief opens with its profile)."""

    def kinds(*flags: str) -> list[tuple[str, str]]:
        r = run("export", "--format", "csv", "--table", "figures", *flags)
        assert r.returncode == 0, r.stderr
        return [(row["record_kind"], row["record_id"]) for row in csv.DictReader(io.StringIO(r.stdout))]

    disputed = kinds("--filter", "disputed")
    assert disputed and {k for k, _ in disputed} == {"event"}, disputed
    assert [k for k, _ in kinds("--filter", "country:Uzbekistan")] == []
    assert ("actor", "iskp") in kinds("--filter", "actor:iskp")
    assert ("actor", "iskp") in kinds()  # the whole data: every actor's claims
    assert kinds("--filter", "actor:iskp since:2025") == []  # nothing matched: no claim (QA s15)


# -- the disputed claims only (--claims disputed) ---------------------------------------------


def test_the_disputed_claims_only_are_the_figures_tables_disputed_rows(data, tmp_path):
    """QA s15 (W1): "the CSV of the rows marked `!` and nothing else": `-f disputed` selects
    events, so 7 of the 12 claims handed over were agreed ones.  `--claims disputed` writes
    exactly the rows of the whole table whose `disputed` is true, actor claims among them,
    and says so on stderr."""
    whole = read_csv(export(data, "--format", "csv", "--table", "figures").stdout)
    out = tmp_path / "disputed.csv"
    r = export(data, "--format", "csv", "--table", "figures", "--claims", "disputed", "-o", str(out))
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert rows == [row for row in whole if row["disputed"] == "true"]
    assert len(rows) < len(whole) and {row["disputed"] for row in rows} == {"true"}
    events = {row["record_id"] for row in rows if row["record_kind"] == "event"}
    assert "disputed claims only" in r.stderr and f"from {len(events)} of 4 events" in r.stderr, r.stderr
    # a filter narrows the events as everywhere; the claims kept are still the disputed ones
    uz = read_csv(
        export(data, "--format", "csv", "--table", "figures", "--claims", "disputed", "--country", "Tajikistan").stdout
    )
    assert uz and all(row["country"] == "Tajikistan" and row["disputed"] == "true" for row in uz)


def test_the_disputed_claims_only_in_stix(data):
    """The bundle of `--claims disputed`: the incidents of the events with a disputed figure,
    and a note for each disputed claim only (the figures table's rows), valid STIX."""
    table = read_csv(export(data, "--format", "csv", "--table", "figures", "--claims", "disputed").stdout)
    doc = stix_check(export(data, "--format", "stix", "--claims", "disputed").stdout)
    notes = [o for o in doc["objects"] if o["type"] == "note"]
    assert len(notes) == len(table) and all("briefing:disputed" in n["labels"] for n in notes)
    incidents = [o for o in doc["objects"] if o["type"] == "incident"]
    assert {i["external_references"][0]["external_id"] for i in incidents} == {
        row["record_id"] for row in table if row["record_kind"] == "event"
    }
    report = next(o for o in doc["objects"] if o["type"] == "report")
    assert "only the disputed claims" in report["description"]
    # of the same events, every one disputed, the whole bundle's report is another object
    both = ("--search", "border post")
    whole = json.loads(export(data, "--format", "stix", *both).stdout)
    only = json.loads(export(data, "--format", "stix", "--claims", "disputed", *both).stdout)
    [a] = [o for o in whole["objects"] if o["type"] == "report"]
    [b] = [o for o in only["objects"] if o["type"] == "report"]
    assert a["object_refs"] != b["object_refs"] and a["id"] != b["id"] and whole["id"] != only["id"]


@pytest.mark.parametrize(
    "flags", [("--format", "json"), ("--format", "csv"), ("--format", "csv", "--table", "actors"), ("--format", "md")]
)
def test_the_disputed_claims_only_where_there_are_no_claim_rows_is_refused(data, flags):
    r = export(data, *flags, "--claims", "disputed", ok=False)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "--claims disputed" in r.stderr and "--table figures" in r.stderr, r.stderr


REVISED_IN_A_DISPUTE = """
[[actor]]
id = "mvd"
name = "Interior Ministry"
kind = "state-agency"

[[actor]]
id = "grp"
name = "A Group"
kind = "armed-group"

[[source]]
id = "paper"
name = "Paper"
kind = "news"
reliability = "B"

[[event]]
id = "e1"
title = "Attack on a post"
date = "2020-01-01"
country = "Tajikistan"
type = "battles"
sources = ["paper"]

[[event.figures]]
metric = "killed"
value = 5
claimed_by = "mvd"
source = "paper"
date = "2020-01-01"

[[event.figures]]
metric = "killed"
value = 50
claimed_by = "mvd"
source = "paper"
date = "2020-01-05"

[[event.figures]]
metric = "killed"
value = 48
claimed_by = "grp"
source = "paper"
"""


def test_the_disputed_claims_only_leave_out_a_claim_its_claimant_revised(tmp_path) -> None:
    """QA s16 #14: the Interior Ministry's 5, revised to 50 by it in the same paper, came with
    `--claims disputed` beside the 50 and the group's 48, which are what disagree: a
    superseded claim is no longer said by anyone, and the dispute test leaves it out.  The whole
    table still has it (`superseded` true); the disputed claims are the current ones."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "e.toml").write_text(REVISED_IN_A_DISPUTE, encoding="utf-8")
    whole = read_csv(export(str(d), "--format", "csv", "--table", "figures").stdout)
    assert sorted((r["value"], r["superseded"]) for r in whole) == [("48", "false"), ("5", "true"), ("50", "false")]
    rows = read_csv(export(str(d), "--format", "csv", "--table", "figures", "--claims", "disputed").stdout)
    assert sorted((r["value"], r["disputed"], r["superseded"]) for r in rows) == [
        ("48", "true", "false"),
        ("50", "true", "false"),
    ]
    doc = stix_check(export(str(d), "--format", "stix", "--claims", "disputed").stdout)
    notes = [o for o in doc["objects"] if o["type"] == "note"]
    assert sorted(n["abstract"] for n in notes) == ["killed 48 per A Group", "killed 50 per Interior Ministry"]


DISPUTED_STRENGTHS = """
[[actor]]
id = "mvd"
name = "Interior Ministry"
kind = "state-agency"

[[actor]]
id = "grp"
name = "A Group"
kind = "armed-group"

[[actor.figures]]
metric = "fighters"
value = 100
claimed_by = "mvd"
source = "paper"

[[actor.figures]]
metric = "fighters"
value = 5000
claimed_by = "grp"
source = "paper"

[[actor]]
id = "grp2"
name = "Another Group"
kind = "armed-group"

[[actor.figures]]
metric = "fighters"
value = 300
claimed_by = "mvd"
source = "paper"

[[actor.figures]]
metric = "fighters"
value = 900
claimed_by = "grp2"
source = "paper"

[[source]]
id = "paper"
name = "Paper"
kind = "news"
reliability = "B"

[[event]]
id = "e1"
title = "A raid"
date = "2020-01-01"
country = "Uzbekistan"
type = "battles"
sources = ["paper"]
actors = [{ actor = "grp", role = "perpetrator" }]

[[event.figures]]
metric = "killed"
value = 3
claimed_by = "mvd"
source = "paper"

[[event]]
id = "e2"
title = "A clash"
date = "2020-02-01"
country = "Tajikistan"
type = "battles"
sources = ["paper"]
actors = [{ actor = "grp2", role = "perpetrator" }]
"""


@pytest.mark.parametrize("flags", [(), ("-f", "country:Uzbekistan"), ("-f", "actor:grp"), ("-f", "actor:grp2")])
def test_the_disputed_claims_are_the_same_in_the_csv_and_the_bundle(tmp_path, flags) -> None:
    """QA s16 regression pass #1, #2: with no disputed event figure the bundle of the whole data
    was empty where the figures CSV had both groups' strength disputes (4 rows); with a filter
    the bundle held the claims of every actor its events name, the CSV those of the actors the
    filter names; and `-f actor:grp`, selecting every event, gave the CSV grp2's rows too (read
    as the whole data).  One rule for both: every actor's claims with no filter, else those of
    the actors the filter names."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "e.toml").write_text(DISPUTED_STRENGTHS, encoding="utf-8")
    rows = read_csv(export(str(d), "--format", "csv", "--table", "figures", "--claims", "disputed", *flags).stdout)
    csv_claims = sorted((r["record_id"], r["value"]) for r in rows)
    want = {
        (): [("grp", "100"), ("grp", "5000"), ("grp2", "300"), ("grp2", "900")],
        ("-f", "country:Uzbekistan"): [],
        ("-f", "actor:grp"): [("grp", "100"), ("grp", "5000")],
        ("-f", "actor:grp2"): [("grp2", "300"), ("grp2", "900")],
    }[flags]
    assert csv_claims == want
    doc = stix_check(export(str(d), "--format", "stix", "--claims", "disputed", *flags).stdout)
    names = {o["id"]: o.get("name") for o in doc["objects"]}
    ids = {"A Group": "grp", "Another Group": "grp2"}
    notes = sorted(
        (ids[names[n["object_refs"][0]]], n["abstract"].split()[1].replace(",", ""))
        for n in doc["objects"]
        if n["type"] == "note"
    )
    assert notes == want


def test_markdown_sparklines_keep_their_periods_when_rendered() -> None:
    # What a user saw (QA s17): `| Russia | 2 | … |           █           █  |` rendered as
    # "█ █" at the cell's left: GFM trims a cell's spaces and HTML collapses the rest, so the
    # 2019 and 2024 events read as two bars side by side at 2015.
    import re

    from markdown_it import MarkdownIt

    out = export(str(REPO / "data"), "--format", "md").stdout
    bars = r"[ ·▁▂▃▄▅▆▇█]*[▁▂▃▄▅▆▇█][ ·▁▂▃▄▅▆▇█]*"
    raw = {m[0]: m[1] for m in re.findall(rf"^\| ([^|]+?) \|.*\| ({bars}) \|$", out, re.M)}
    html = MarkdownIt("commonmark").enable("table").render(out)
    rendered = dict(re.findall(r"<tr>\s*<td>([^<]*)</td>(?:\s*<td>[^<]*</td>)*?\s*<td>([^<]*)</td>\s*</tr>", html))
    assert "Russia" in raw and len(raw) > 5, raw
    for name, cell in raw.items():
        assert rendered[name] == cell, (name, cell, rendered[name])  # every period where it was
    assert re.fullmatch(r"·*█·+█·*", raw["Russia"]), raw["Russia"]


def test_a_stix_incident_of_a_week_known_only_says_no_day_precision(tmp_path: Path) -> None:
    # (QA s17 regression pass, older) an ACLED event of time precision 2 read "2024-12-28 (day
    # precision)" beside its note "only the week is known"; a month-dated one keeps its precision.
    from test_sync import row, write_export

    d = tmp_path / "data"
    d.mkdir()
    rows = [row("BEN1", "2023-01-10", "1", time_precision="2"), row("BEN2", "2023-01-12", "1", time_precision="3")]
    write_export(d / "acled.csv", rows)
    doc = json.loads(run("export", "--data", str(d), "--format", "stix").stdout)
    said = [o["description"] for o in doc["objects"] if o["type"] == "incident"]
    week = next(v for v in said if v.startswith("2023-01-10"))
    month = next(v for v in said if v.startswith("2023-01 "))
    assert week.startswith("2023-01-10. ") and "only the week is known" in week, week
    assert month.startswith("2023-01 (month precision). "), month


def test_an_export_of_everything_after_a_sync_removed_an_event_holds_every_record(tmp_path: Path) -> None:
    # What a user saw (QA s17, a data desk): after a weekly sync that removed events, an export
    # with no filter lost the curated actors and sources no event names (109 → 108 actors in
    # JSON, the STIX identity gone from one week to the next, unrevoked): "every event" was
    # counted with the removed ones, which no query without `removed` selects.
    import shutil

    from briefing.acled_sync import sync
    from briefing.loader import load_dataset
    from test_sync import T1, T2, base_rows, newer_rows, write_export

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    sync(str(data), str(write_export(tmp_path / "w1.csv", base_rows())), now=T1)
    sync(str(data), str(write_export(tmp_path / "w2.csv", newer_rows())), now=T2)  # removes BEN3
    ds = load_dataset(data)
    named = {ar.actor for e in ds.events for ar in e.actors} | {f.claimed_by for e in ds.events for f in e.figures}
    lonely = [a.id for a in ds.actors if a.id not in named]
    assert lonely, "the bundled data has an actor no event names"
    doc = json.loads(export(str(data), "--format", "json").stdout)
    assert len(doc["actors"]) == len(ds.actors) and len(doc["sources"]) == len(ds.sources)
    stix = json.loads(export(str(data), "--format", "stix").stdout)
    names = {o["name"] for o in stix["objects"] if o["type"] == "identity"}
    assert all(ds.actor_name(a) in names for a in lonely), lonely
    assert any(o.get("revoked") for o in stix["objects"])  # the removed event, a revoked version


def test_a_bundle_of_the_removed_events_holds_them_revoked_as_the_whole_one_does(tmp_path: Path) -> None:
    # What a user saw (QA s17, a data desk): `-f removed` re-issued the objects the whole
    # bundle marks revoked, with the same id and `modified`, unrevoked: two contents for one
    # STIX version.
    from briefing.acled_sync import sync
    from test_sync import T1, T2, base_rows, newer_rows, write_export

    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "w1.csv", base_rows())), now=T1)
    sync(str(data), str(write_export(tmp_path / "w2.csv", newer_rows())), now=T2)
    whole = {o["id"]: o for o in json.loads(export(str(data), "--format", "stix").stdout)["objects"]}
    part = json.loads(export(str(data), "--format", "stix", "-f", "removed").stdout)["objects"]
    shared = [o for o in part if o["type"] in ("incident", "note", "relationship")]
    assert shared and all(o.get("revoked") for o in shared), shared[:1]
    assert all(o == whole[o["id"]] for o in shared)  # the same version, the same content
