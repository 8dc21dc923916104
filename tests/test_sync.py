"""`briefing sync acled`: two exports written here from one base, and the ledger between them.

What a user tried and what broke before: replacing last week's ACLED export with this week's
lost every revised count, every removed event and every late addition without a trace.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.acled_sync import SyncRefused, sync
from briefing.devtools.synth import ACLED_COLUMNS
from testkit import run_cli, run_on_a_terminal

T1 = "2023-01-30T09:00:00Z"  # the first sync
T2 = "2023-02-06T09:00:00Z"  # the second


def stamp(day: str) -> str:
    """ACLED's timestamp column: Unix seconds."""
    return str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc).timestamp()))


def row(eid: str, date: str, fatalities: str = "0", country: str = "Benin", **kw: str) -> dict[str, str]:
    base = {c: "" for c in ACLED_COLUMNS}
    base.update(
        event_id_cnty=eid,
        event_date=date,
        year=date[:4],
        time_precision="1",
        disorder_type="Political violence",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Military Forces of Benin (2016-)",
        inter1="1",
        interaction="12",
        iso="204",
        region="Western Africa",
        country=country,
        admin1="Alibori",
        location="Karimama",
        latitude="12.0689",
        longitude="3.1864",
        geo_precision="1",
        source="Banouto",
        source_scale="National",
        notes=f"Event {eid}.",
        fatalities=fatalities,
        timestamp=stamp("2023-01-30"),
    )
    base.update(kw)
    return base


def base_rows() -> list[dict[str, str]]:
    return [
        row("BEN1", "2023-01-10", "1"),
        row("BEN2", "2023-01-15", "3"),
        row("BEN3", "2023-01-16", "2", notes="A duplicate of BEN2."),
        row("BEN4", "2023-01-20", "0"),
        row("BEN5", "2023-01-28", "5"),
        row("NER1", "2023-01-18", "4", country="Niger", iso="562", admin1="Tillaberi", location="Ayorou"),
    ]


def newer_rows() -> list[dict[str, str]]:
    """The base a week later: revised, removed, timestamp-only, late-added, added, other scope."""
    rows = {r["event_id_cnty"]: r for r in base_rows()}
    rows["BEN2"].update(
        fatalities="7",
        actor2="JNIM: Group for Support of Islam and Muslims",
        inter2="2",
        notes="Event BEN2. Later reports: seven soldiers killed.",
        timestamp=stamp("2023-02-06"),
    )
    del rows["BEN3"]  # ACLED merged the duplicate
    rows["BEN4"]["timestamp"] = stamp("2023-02-05")  # touched, nothing a reader sees changed
    del rows["NER1"]  # this week's export covers Benin and Togo only: Niger is outside its scope
    out = list(rows.values())
    out.append(row("BEN9", "2023-01-12", "2", timestamp=stamp("2023-02-06")))  # late: before 2023-01-28
    out.append(row("BEN10", "2023-02-03", "NA", timestamp=stamp("2023-02-06")))
    out.append(
        row(
            "TGO1",
            "2023-01-05",
            "1",
            country="Togo",
            iso="768",
            admin1="Savanes",
            location="Dapaong",
            timestamp=stamp("2023-02-06"),
        )
    )
    return out


def write_export(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(ACLED_COLUMNS)
        for r in rows:
            w.writerow([r[c] for c in ACLED_COLUMNS])
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file the loader could read (no dot-names), with its bytes."""
    out: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                p = Path(dirpath, name)
                out[str(p.relative_to(root))] = p.read_bytes()
    return out


def ledger(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "acled" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def synced(tmp_path: Path) -> Path:
    """A data directory after the first sync of the base export."""
    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    return data


def test_first_sync_records_every_row_as_added(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    export = write_export(tmp_path / "week1.csv", base_rows())
    summary = sync(str(data), str(export), now=T1)
    assert (summary.added, summary.revised, summary.removed, summary.late) == (6, 0, 0, 0)
    assert ledger(data) == [
        {
            "kind": "added",
            "id": f"acled:{r['event_id_cnty']}",
            "synced_at": T1,
            "event_date": r["event_date"],
            "country": r["country"],
            "late": False,
            "baseline": True,  # nothing earlier to compare with: the data's starting point
        }
        for r in base_rows()
    ]
    assert (data / "acled" / "acled.csv").read_bytes() == export.read_bytes()
    sync_log = [json.loads(x) for x in (data / "acled" / "syncs.jsonl").read_text().splitlines()]
    assert [(s["export"], s["rows"], s["added"], s["countries"]) for s in sync_log] == [
        ("week1.csv", 6, 6, ["Benin", "Niger"])
    ]


# The second sync's additions as the ledger keeps them (and `changes --format json` gives them)
WEEK2_ADDED = [
    {
        "kind": "added",
        "id": "acled:BEN9",
        "synced_at": T2,
        "event_date": "2023-01-12",
        "country": "Benin",
        "late": True,
    },
    {
        "kind": "added",
        "id": "acled:BEN10",
        "synced_at": T2,
        "event_date": "2023-02-03",
        "country": "Benin",
        "late": False,
    },
    {
        "kind": "added",
        "id": "acled:TGO1",
        "synced_at": T2,
        "event_date": "2023-01-05",
        "country": "Togo",
        "late": False,
    },
]


def test_second_sync_ledger_exact(synced: Path, tmp_path: Path) -> None:
    summary = sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    old = {r["event_id_cnty"]: r for r in base_rows()}["BEN3"]
    assert ledger(synced)[6:] == [
        *WEEK2_ADDED,
        {
            "kind": "revised",
            "id": "acled:BEN2",
            "synced_at": T2,
            "event_date": "2023-01-15",
            "country": "Benin",
            "fields": {
                "actor2": ["", "JNIM: Group for Support of Islam and Muslims"],
                "inter2": ["", "2"],
                "notes": ["Event BEN2.", "Event BEN2. Later reports: seven soldiers killed."],
                "fatalities": [3, 7],
                "timestamp": [stamp("2023-01-30"), stamp("2023-02-06")],
            },
        },
        {"kind": "removed", "id": "acled:BEN3", "synced_at": T2, "row": {**old, "fatalities": 2}},
    ]
    assert (summary.added, summary.late, summary.revised, summary.removed) == (3, 1, 1, 1)
    assert summary.touched == 1  # BEN4: only the timestamp moved
    assert summary.kept_outside_scope == 1  # NER1: Niger is not in this export, so not "removed"
    assert summary.outside_previous_scope == 1 and summary.new_countries == ["Togo"]
    assert [(r.id, r.old, r.new) for r in summary.largest] == [("acled:BEN2", 3, 7)]
    # The merged export: this week's rows, then the Niger row kept from last week.
    with open(synced / "acled" / "acled.csv", newline="", encoding="utf-8") as fh:
        merged = list(csv.DictReader(fh))
    assert [r["event_id_cnty"] for r in merged] == ["BEN1", "BEN2", "BEN4", "BEN5", "BEN9", "BEN10", "TGO1", "NER1"]


def test_same_sync_twice_records_nothing(synced: Path, tmp_path: Path) -> None:
    export = write_export(tmp_path / "week2.csv", newer_rows())
    sync(str(synced), str(export), now=T2)
    before = tree(synced)
    again = run_cli("sync", "acled", str(export), "--data", str(synced))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("no changes")
    assert tree(synced) == before
    # And the first export again, a week late, is refused as older; taken when asked to, a change back.
    with pytest.raises(SyncRefused):
        sync(str(synced), str(tmp_path / "week1.csv"), now="2023-02-07T00:00:00Z")
    assert sync(str(synced), str(tmp_path / "week1.csv"), now="2023-02-07T00:00:00Z", older=True).changes > 0


def test_summary_on_stdout(synced: Path, tmp_path: Path) -> None:
    r = run_cli("sync", "acled", str(write_export(tmp_path / "week2.csv", newer_rows())), "--data", str(synced))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].split() == [
        "added",
        "3",
        "(1",
        "late:",
        "dated",
        "before",
        "the",
        "previous",
        "data's",
        "newest",
        "event)",
    ]
    assert lines[2].split() == ["revised", "1"]
    assert lines[3].split() == ["removed", "1"]
    assert "1 added events fall outside the previous scope (countries not covered before: Togo)" in r.stdout
    assert "1 stored events fall outside this export's scope" in r.stdout
    assert lines[-2:] == ["largest fatality revisions:", "  acled:BEN2  3 -> 7"]


@pytest.mark.parametrize(
    "change, column",
    [("rename", "event_date"), ("duplicate", "notes"), ("missing", "fatalities"), ("new", "source_url")],
)
def test_changed_columns_refused_before_anything_is_written(
    synced: Path, tmp_path: Path, change: str, column: str
) -> None:
    cols = list(ACLED_COLUMNS)
    if change == "rename":
        cols[cols.index("event_date")] = "date"
    elif change == "duplicate":
        cols.append("notes")
    elif change == "missing":
        cols.remove("fatalities")
    else:
        cols.append("source_url")
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in newer_rows():
            w.writerow([r.get(c, "x") for c in cols])
    before = tree(synced)
    r = run_cli("sync", "acled", str(path), "--data", str(synced))
    assert r.returncode == 2
    assert r.stdout == ""
    err = r.stderr.strip()
    assert "\n" not in err and f"'{column}'" in err and str(path) in err, err
    if change == "new":  # QA s13: and what to do about it (a required column missing is no ACLED export)
        assert "with the stored export's columns" in err and "into a new data folder" in err, err
    assert tree(synced) == before
    assert not [n for n in os.listdir(synced) if n.startswith(".")]


def test_not_an_acled_export_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    other = tmp_path / "other.csv"
    other.write_text("name,value\na,1\n", encoding="utf-8")
    r = run_cli("sync", "acled", str(other), "--data", str(data))
    assert r.returncode == 2
    assert r.stderr.strip() == f"briefing: {other}:1: not an ACLED export: no column 'event_id_cnty'"
    assert os.listdir(data) == []


def test_duplicate_id_refused_naming_the_line(synced: Path, tmp_path: Path) -> None:
    rows = newer_rows()
    rows.append(dict(rows[0]))
    before = tree(synced)
    path = write_export(tmp_path / "dup.csv", rows)
    r = run_cli("sync", "acled", str(path), "--data", str(synced))
    assert r.returncode == 2
    assert r.stderr.strip() == f"briefing: {path}:{len(rows) + 1}: event_id_cnty: duplicate 'BEN1'; also on line 2"
    assert tree(synced) == before


@pytest.mark.parametrize(
    "date, reason",
    [
        ("2023-02-30", "event_date: not a real date: '2023-02-30'"),
        ("soon", "event_date: expected a date such as 2019-11-06 or 06 November 2019, got 'soon'"),
        ("", "event_date: required field is missing"),
    ],
)
def test_a_bad_event_date_is_refused_naming_file_line_event_and_field(
    synced: Path, tmp_path: Path, date: str, reason: str
) -> None:
    """As the importer's own row errors (`acled.RowError`): `file.csv:LINE: event 'acled:ID':
    field: reason`, one line, exit 2, nothing written."""
    rows = newer_rows()
    rows[2]["event_date"] = date
    before = tree(synced)
    path = write_export(tmp_path / "bad-date.csv", rows)
    r = run_cli("sync", "acled", str(path), "--data", str(synced))
    assert r.returncode == 2 and r.stdout == ""
    eid = rows[2]["event_id_cnty"]
    assert r.stderr.startswith(f"briefing: {path}:4: event 'acled:{eid}': {reason}"), r.stderr
    assert (
        r.stderr.splitlines()[1]
        == f"briefing: {path}: 1 row the loader would refuse: nothing synced (fix them in the export)"
    )
    assert tree(synced) == before
    # QA (tenth session): run from `/`, the row's line named `tmp/…/bad-date.csv` and the
    # summary `/tmp/…/bad-date.csv`; both name it whole now, and alike from inside its folder
    for cwd, named in (("/", str(path)), (str(tmp_path), "bad-date.csv")):
        r = run_cli("sync", "acled", str(path), "--data", str(synced), cwd=cwd)
        first, last = r.stderr.splitlines()[0], r.stderr.splitlines()[-1]
        assert first.startswith(f"briefing: {named}:4: ") and last.startswith(f"briefing: {named}: 1 row"), r.stderr


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("fatalities", "ten", "fatalities: expected a whole number"),
        ("fatalities", "-3", "fatalities:"),
        ("latitude", "north", "latitude:"),
        ("event_type", "Picnic", "event_type: not one of ACLED's six event types"),
        ("notes", "x" * 50_000, "notes:"),
    ],
)
def test_a_row_the_loader_would_refuse_is_refused_by_the_sync(
    synced: Path, tmp_path: Path, field: str, value: str, reason: str
) -> None:
    """A sync that merged such a row left a folder no command could load (every one: "1 problem
    …; nothing loaded"), and its ledger recorded `47 -> ten` as ACLED's revision.  The rows a
    sync adds or revises are read as the loader reads them, first: nothing is written."""
    rows = newer_rows()
    rows[1][field] = value
    before = tree(synced)
    path = write_export(tmp_path / "bad.csv", rows)
    r = run_cli("sync", "acled", str(path), "--data", str(synced))
    assert r.returncode == 2 and r.stdout == "", r.stdout
    eid = rows[1]["event_id_cnty"]
    assert r.stderr.startswith(f"briefing: {path}:3: event 'acled:{eid}': {reason}"), r.stderr
    assert tree(synced) == before
    assert run_cli("validate", "--data", str(synced)).returncode == 0


def test_every_bad_row_of_a_sync_is_listed_at_once(synced: Path, tmp_path: Path) -> None:
    """Not one per run: a user fixes them all from one reading."""
    rows = newer_rows()
    rows[0]["fatalities"] = "many"
    rows[1]["event_date"] = "soon"  # a bad date too: it stopped the sync before the others were read
    rows[2]["latitude"] = "north"
    path = write_export(tmp_path / "bad.csv", rows)
    r = run_cli("sync", "acled", str(path), "--data", str(synced))
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert any(f"{path}:2: event 'acled:{rows[0]['event_id_cnty']}': fatalities:" in ln for ln in lines), lines
    assert any(f"{path}:4: event 'acled:{rows[2]['event_id_cnty']}': latitude:" in ln for ln in lines), lines
    assert any(f"{path}:3: event 'acled:{rows[1]['event_id_cnty']}': event_date:" in ln for ln in lines), lines
    assert all(ln.startswith("briefing: ") for ln in lines)


def test_a_first_sync_of_a_bad_export_is_refused_too(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    rows = base_rows()
    rows[0]["fatalities"] = "ten"
    r = run_cli("sync", "acled", str(write_export(tmp_path / "w1.csv", rows)), "--data", str(data))
    assert r.returncode == 2 and "fatalities:" in r.stderr
    assert not (data / "acled").exists()


def test_sync_needs_a_named_data_directory(tmp_path: Path) -> None:
    r = run_cli("sync", "acled", str(write_export(tmp_path / "w.csv", base_rows())))
    assert r.returncode == 2 and "--data DIR" in r.stderr


def test_revision_history_as_claims_in_brief_event(synced: Path, tmp_path: Path) -> None:
    from briefing.loader import load_dataset

    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    ds = load_dataset(str(synced))
    ev = ds.event("acled:BEN2")
    claims = [(f.claimed_by, f.source, f.value, f.date) for f in ev.figures if f.metric == "killed"]
    src = ev.figures[-1].source
    assert claims == [("acled", src, 3, "2023-01-30"), ("acled", src, 7, "2023-02-06")]
    r = run_cli("brief", "--data", str(synced), "--event", "acled:BEN2", "--width", "120")
    assert r.returncode == 0, r.stderr
    words = r.stdout.split("In their words", 1)[1]
    assert "3 killed · total, ACLED" in words and "7 killed · total, ACLED" in words


def test_removed_events_stay_readable_behind_a_filter(synced: Path, tmp_path: Path) -> None:
    from briefing.filters import parse
    from briefing.loader import load_dataset

    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    ds = load_dataset(str(synced))
    shown = [e.id for e in parse("").apply(ds)]
    assert "acled:BEN3" not in shown and "acled:NER1" in shown and len(shown) == 8
    assert [e.id for e in parse("removed").apply(ds)] == ["acled:BEN3"]
    assert "acled-removed" in ds.event("acled:BEN3").tags
    assert ds.event("acled:BEN3").summary == "A duplicate of BEN2."
    assert [e.id for e in parse("removed").apply(ds)] == ["acled:BEN3"]
    assert "acled:BEN3" not in [e.id for e in parse("country:Benin").apply(ds)]
    r = run_cli("brief", "--data", str(synced), "--event", "acled:BEN3")
    assert r.returncode == 0 and "acled-removed" in r.stdout


def test_changed_since_filter(synced: Path, tmp_path: Path) -> None:
    from briefing.filters import parse
    from briefing.loader import load_dataset

    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    ds = load_dataset(str(synced))
    assert sorted(e.id for e in parse("changed:2023-02-01").apply(ds)) == [
        "acled:BEN10",
        "acled:BEN2",
        "acled:BEN9",
        "acled:TGO1",
    ]
    assert sorted(e.id for e in parse("changed:since-2023-02-01 removed").apply(ds)) == ["acled:BEN3"]
    # the first sync's additions are the baseline, not changes: only the second sync's events
    assert sorted(e.id for e in parse("changed:2023-01").apply(ds)) == [
        "acled:BEN10",
        "acled:BEN2",
        "acled:BEN9",
        "acled:TGO1",
    ]
    assert str(parse("changed:since-2023-02-01")) == "changed:2023-02-01"


def test_what_changed_says_the_removed_events_it_leaves_out(synced: Path, tmp_path: Path) -> None:
    """QA s15: `-f changed:DATE` showed "60 selected" / "→ 60 shown" where the sync had changed
    75: the 15 events ACLED removed are left out unless the filter names `removed`, and nothing
    said so.  The brief, the Markdown, the export's report and the TUI's header say how many."""
    from briefing.filters import parse, removed_left_out
    from briefing.loader import load_dataset

    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    ds = load_dataset(str(synced))
    assert removed_left_out(parse("changed:2023-02-01"), ds) == 1
    assert removed_left_out(parse("changed:2023-02-01 removed"), ds) == 0  # listed
    assert removed_left_out(parse("country:Benin"), ds) == 0  # not asking what changed
    assert removed_left_out(parse("changed:2023-02-01 country:Togo"), ds) == 0  # BEN3 is not in Togo
    said = "1 event ACLED removed also changed then: add `removed` to the filter to list them"
    r = run_cli("brief", "--data", str(synced), "--filter", "changed:2023-02-01", "--width", "200")
    assert r.returncode == 0 and said in r.stdout, r.stdout
    r = run_cli("export", "--data", str(synced), "--filter", "changed:2023-02-01", "--format", "markdown")
    assert r.returncode == 0 and said in r.stdout.replace("\\", ""), r.stdout
    r = run_cli("export", "--data", str(synced), "--filter", "changed:2023-02-01", "--format", "csv")
    assert f"note: {said}" in r.stderr, r.stderr
    r = run_cli("brief", "--data", str(synced), "--filter", "changed:2023-02-01 country:Togo", "--width", "200")
    assert "removed" not in r.stdout.split("Bottom line")[0], r.stdout
    # nothing left but removed events: the Markdown file says why too, not stderr only (QA s15)
    r = run_cli(
        "export", "--data", str(synced), "--filter", "changed:2023-02-01 country:Benin duplicate", "--format", "md"
    )
    assert said in r.stdout.replace("\\", ""), r.stdout


def test_the_tui_header_says_the_removed_events_a_changed_filter_leaves_out(synced: Path, tmp_path: Path) -> None:
    import asyncio

    from briefing.tui.app import make_app
    from tui_helpers import load, screen_text, type_text

    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)

    async def run() -> tuple[str, str]:
        app = make_app(load(synced), theme="briefing-dark")
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            headers = []
            for text in ("changed:2023-02-01", " removed"):
                if text == "changed:2023-02-01":
                    await pilot.press("slash")
                else:
                    await pilot.press("slash", "end")
                await type_text(pilot, text)
                await pilot.press("enter")
                await pilot.pause(0.5)
                headers.append(screen_text(app).splitlines()[0].rstrip())
            return headers[0], headers[1]

    changed, with_removed = asyncio.run(run())
    assert changed.endswith("→ 4 shown (+1 removed: add removed)"), changed
    assert with_removed.endswith("→ 1 shown"), with_removed


# -- interrupted syncs: the data directory is exactly as before -----------------------------


def _big_export(path: Path, n: int) -> Path:
    from briefing.devtools.synth import World, write_acled

    return write_acled(World(n, seed=3), path)


def _start(export: Path, data: Path, **kw) -> subprocess.Popen:
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "sync", "acled", str(export), "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        **kw,
    )


def _wait_for_staging(data: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while not any(n.startswith(".acled.sync-") for n in os.listdir(data)):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.002)


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data directory synced from one 20k-row export, and a newer export to sync (made once)."""
    base = tmp_path_factory.mktemp("big")
    data = base / "data"
    data.mkdir()
    first = _big_export(base / "first.csv", 20_000)
    sync(str(data), str(first), now=T1)
    with open(first, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for i, r in enumerate(rows):
        if i % 20 == 0:
            r["fatalities"] = str(int(r["fatalities"]) + 1)
    return data, write_export(base / "second.csv", rows[100:] + rows[:50])


@pytest.fixture
def big(big_template: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(big_template[0], data)
    return data, big_template[1]


@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4])
def test_sigkill_mid_sync_leaves_data_byte_identical(big: tuple[Path, Path], delay: float) -> None:
    data, export = big
    before = tree(data)
    proc = _start(export, data)
    _wait_for_staging(data, proc)
    time.sleep(delay)
    assert proc.poll() is None, "the sync finished before it could be killed"
    proc.kill()
    proc.wait()
    assert tree(data) == before
    assert all(n.startswith(".acled.sync-") for n in os.listdir(data) if n.startswith("."))
    # The next sync clears what the killed one left and completes.
    r = run_cli("sync", "acled", str(export), "--data", str(data))
    assert r.returncode == 0, r.stderr
    assert [n for n in os.listdir(data)] == ["acled"]
    assert tree(data) != before


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_sync_leaves_data_byte_identical_and_says_so(
    big: tuple[Path, Path], sig: signal.Signals, status: int
) -> None:
    """ctrl-c, and `kill` (QA, tenth session: SIGTERM left the staging folder, a copy of the
    export, in the data directory until the next sync, and neither said a word): the clean-up
    runs and one line says that nothing changed."""
    data, export = big
    before = tree(data)
    proc = _start(export, data)
    _wait_for_staging(data, proc)
    time.sleep(0.1)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == status
    assert tree(data) == before
    assert os.listdir(data) == ["acled"]  # cleaned up on the way out
    assert err.decode().strip() == f"briefing: sync interrupted: {data / 'acled'} is as it was"


def test_full_disk_leaves_data_byte_identical(big: tuple[Path, Path]) -> None:
    """A write that fails (here: a file-size limit, as a full disk fails a write) changes nothing."""
    import resource

    data, export = big

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    before = tree(data)
    proc = _start(export, data, preexec_fn=limit)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, (out, err)
    assert err.decode().startswith("briefing: sync failed, the data directory is unchanged:")
    assert tree(data) == before
    assert os.listdir(data) == ["acled"]


def test_an_export_a_spreadsheet_saved_with_semicolons_is_refused_saying_so(tmp_path: Path) -> None:
    """The stored export gains rows by appending, in ACLED's own dialect: a semicolon export
    would mix two in one file, so sync refuses it, naming the delimiter (the data folder
    itself reads it)."""
    data = tmp_path / "data"
    data.mkdir()
    export = write_export(tmp_path / "w.csv", base_rows())
    export.write_text(export.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    with pytest.raises(SyncRefused, match=r"w.csv:1: the fields are separated by ';', as a spreadsheet saves"):
        sync(str(data), str(export), now=T1)
    assert os.listdir(data) == []


def test_refusal_when_an_export_sits_elsewhere_in_the_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write_export(data / "benin.csv", base_rows())
    with pytest.raises(SyncRefused, match="benin.csv: an ACLED export outside acled/"):
        sync(str(data), str(write_export(tmp_path / "w.csv", newer_rows())), now=T2)
    assert os.listdir(data) == ["benin.csv"]


def test_bom_crlf_and_multiline_notes_read_back_by_offset(tmp_path: Path) -> None:
    """Rows that differ are read back by byte offset: a BOM, CRLF line ends and notes over
    several lines must not shift them."""
    data = tmp_path / "data"
    data.mkdir()
    rows = base_rows()
    rows[0]["notes"] = 'Line one.\nLine two, "quoted".'
    rows[2]["notes"] = "Über\r\nzwei Zeilen."
    first = write_export(tmp_path / "w1.csv", rows)
    first.write_bytes(b"\xef\xbb\xbf" + first.read_bytes())
    sync(str(data), str(first), now=T1)
    rows[0]["fatalities"] = "9"
    rows[2]["notes"] = "Über\r\ndrei Zeilen."
    second = write_export(tmp_path / "w2.csv", rows)
    second.write_bytes(b"\xef\xbb\xbf" + second.read_bytes())
    sync(str(data), str(second), now=T2)
    assert ledger(data)[6:] == [
        {
            "kind": "revised",
            "id": "acled:BEN1",
            "synced_at": T2,
            "event_date": "2023-01-10",
            "country": "Benin",
            "fields": {"fatalities": [1, 9]},
        },
        {
            "kind": "revised",
            "id": "acled:BEN3",
            "synced_at": T2,
            "event_date": "2023-01-16",
            "country": "Benin",
            # a CRLF line break inside a field is read as a line break (QA, qa-weekly)
            "fields": {"notes": ["Über\nzwei Zeilen.", "Über\ndrei Zeilen."]},
        },
    ]


def test_an_export_put_in_acled_by_hand_is_the_previous_export(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "acled").mkdir(parents=True)
    write_export(data / "acled" / "acled.csv", base_rows())
    summary = sync(str(data), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    assert not summary.first
    assert [(e["kind"], e["id"]) for e in ledger(data)] == [
        ("added", "acled:BEN9"),
        ("added", "acled:BEN10"),
        ("added", "acled:TGO1"),
        ("revised", "acled:BEN2"),
        ("removed", "acled:BEN3"),
    ]


def syncs_log(data: Path) -> list[dict]:
    return [json.loads(x) for x in (data / "acled" / "syncs.jsonl").read_text(encoding="utf-8").splitlines()]


def test_each_sync_records_whether_it_had_an_earlier_export(synced: Path, tmp_path: Path) -> None:
    """`baseline`: true only for a sync with nothing earlier to compare with (its additions are
    the data's starting point); a hand-placed `acled/acled.csv` is an earlier export."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    assert [(s["synced_at"], s["baseline"]) for s in syncs_log(synced)] == [(T1, True), (T2, False)]
    placed = tmp_path / "placed"
    (placed / "acled").mkdir(parents=True)
    write_export(placed / "acled" / "acled.csv", base_rows())
    sync(str(placed), str(write_export(tmp_path / "week2b.csv", newer_rows())), now=T2)
    assert [(s["synced_at"], s["baseline"]) for s in syncs_log(placed)] == [(T2, False)]


T3 = "2023-02-13T09:00:00Z"  # a third sync


# BEN3 back in the third export, as the ledger keeps it (and `changes --format json` gives it)
BEN3_RESTORED = {
    "kind": "added",
    "id": "acled:BEN3",
    "synced_at": T3,
    "event_date": "2023-01-16",
    "country": "Benin",
    "late": False,
    "restored": True,
    "removed_at": T2,
}


def test_an_event_acled_puts_back_is_restored_not_a_late_addition(synced: Path, tmp_path: Path) -> None:
    """BEN3, removed by the second export, is back in the third: dated before the data's newest
    event, it was recorded as a late addition; it is a restoration of a removed event."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    back = {r["event_id_cnty"]: r for r in base_rows()}["BEN3"]
    summary = sync(str(synced), str(write_export(tmp_path / "week3.csv", [*newer_rows(), back])), now=T3)
    assert (summary.added, summary.late, summary.restored) == (1, 0, 1)
    assert ledger(synced)[-1] == BEN3_RESTORED
    last = syncs_log(synced)[-1]
    assert (last["added"], last["late"], last["restored"], last["baseline"]) == (1, 0, 1, False)
    r = run_cli("sync", "acled", str(tmp_path / "week2.csv"), "--data", str(synced))
    assert r.returncode == 0, r.stderr
    assert "restored" not in r.stdout  # BEN3 removed again: no restoration in this sync
    r = run_cli("sync", "acled", str(tmp_path / "week3.csv"), "--data", str(synced))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1].split() == [
        "added",
        "1",
        "(1",
        "restored:",
        "removed",
        "by",
        "an",
        "earlier",
        "export,",
        "back",
        "in",
        "this",
        "one)",
    ]


# -- progress: a sync of a million rows takes tens of seconds ---------------------------------


def test_a_sync_moves_its_bar_through_both_exports_and_the_comparison(big: tuple[Path, Path]) -> None:
    """Before, a sync said nothing until its summary (tens of seconds at 1M): the bar must move while
    each export is hashed (most of the time), then through the comparison, never reaching
    the end before the sync has ended."""
    data, export = big
    calls: list[tuple[int, int]] = []
    sync(str(data), str(export), now=T2, progress=lambda done, total: calls.append((done, total)))
    done = [d for d, _t in calls]
    assert {t for _d, t in calls} == {1000}
    assert done == sorted(done) and 960 <= done[-1] < 1000
    new = os.path.getsize(export)
    old = os.path.getsize(data / "acled" / "acled.csv")
    split = 750 * new // (new + old)  # the newer export is hashed first, then the stored one
    assert len({d for d in done if d < split}) >= 3
    assert len({d for d in done if split < d < 750}) >= 3


def test_the_sync_command_shows_its_bar_on_a_terminal_and_clears_it(tmp_path: Path) -> None:
    import re

    export = _big_export(tmp_path / "week.csv", 60_000)
    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(export), now=T1)  # then the same export again: both hashed, ~2x the work
    entry = Path(sys.executable).with_name("briefing")
    proc, seen = run_on_a_terminal([str(entry), "sync", "acled", str(export), "--data", str(data)])
    assert proc.returncode == 0 and proc.stdout.startswith(b"no changes: ")
    assert re.search(rb"briefing: syncing \[#*-*\] +\d+%  \d+:\d\d", seen), seen[:300]
    assert seen.endswith(b"\r\x1b[K")  # gone before the summary is read


def test_a_value_written_another_way_is_no_revision(synced: Path, tmp_path: Path) -> None:
    """The loader reads `16 July 2022` and `2022-07-16` as one day (and `05` as 5, `12.06890`
    as 12.0689, ` Karimama ` as Karimama): an export that only writes them the other way
    changes nothing a reader sees, so the ledger records nothing for it."""
    rows = base_rows()
    for r in rows:
        r["event_date"] = dt.date.fromisoformat(r["event_date"]).strftime("%d %B %Y")
        r["latitude"] += "0"
        r["location"] = f" {r['location']} "
        r["event_type"] = r["event_type"].upper()
    rows[1]["fatalities"] = "03"
    rows[3]["fatalities"] = "0.0"  # pandas, with an NA in the column (QA, outputs round 2)
    rows[4]["fatalities"] = "5.0"
    for r in (rows[0], rows[3], rows[4], rows[5]):  # (QA regress 8) every whole-number column
        for col in ("year", "iso", "geo_precision", "interaction", "time_precision", "inter1", "timestamp"):
            r[col] += ".0"
    # the one real revision; (QA regress 9) its timestamp, written `1675555200.0`, is recorded
    # as ACLED writes it
    rows[2].update(fatalities="9", timestamp=stamp("2023-02-05") + ".0")
    summary = sync(str(synced), str(write_export(tmp_path / "long.csv", rows)), now=T2)
    assert (summary.revised, summary.added, summary.removed) == (1, 0, 0)
    revised = [e for e in ledger(synced) if e["kind"] == "revised"]
    assert revised == [
        {
            "kind": "revised",
            "id": "acled:BEN3",
            "synced_at": T2,
            "event_date": "2023-01-16",  # ISO, as the loader reads the long date written
            "country": "Benin",
            "fields": {"fatalities": [2, 9], "timestamp": [stamp("2023-01-30"), stamp("2023-02-05")]},
        }
    ]
    # And back to ISO dates: still nothing.
    back = write_export(tmp_path / "iso.csv", rows[:2] + [base_rows()[2]] + rows[3:])
    again = sync(str(synced), str(back), now=T2, older=True)
    assert again.revised == 1  # BEN3's count and timestamp going back, nothing else


def _killed(data: Path, eid: str) -> tuple[list[tuple[int | None, str | None]], list[int | None], bool]:
    """ACLED's killed claims for one event: (value, date) of each, the current values, disputed."""
    from briefing.compare import is_disputed, split_revisions
    from briefing.loader import load_dataset

    ev = load_dataset(str(data)).event(eid)
    figs = [f for f in ev.figures if f.metric == "killed"]
    current, _old = split_revisions(figs)
    return [(f.value, f.date) for f in figs], [f.value for f in current], is_disputed(figs)


def test_a_revision_without_a_new_timestamp_still_supersedes(synced: Path, tmp_path: Path) -> None:
    """ACLED changing a count but not the row's `timestamp` is still ACLED revising itself:
    the old count keeps the date it had and the new one is dated after it (the sync's day),
    so the old one is superseded, not a second ACLED claim disputing the first."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    rows = newer_rows()
    for r in rows:
        if r["event_id_cnty"] == "BEN2":
            r["fatalities"] = "9"  # 3 → 7 last week (timestamp moved), 7 → 9 now (it did not)
        if r["event_id_cnty"] == "BEN1":
            r["fatalities"] = "4"  # 1 → 4: its first revision, timestamp unchanged
    sync(str(synced), str(write_export(tmp_path / "week3.csv", rows)), now="2023-02-13T09:00:00Z")
    claims, current, disputed = _killed(synced, "acled:BEN2")
    assert claims == [(3, "2023-01-30"), (7, "2023-02-06"), (9, "2023-02-13")]
    assert (current, disputed) == ([9], False)
    claims, current, disputed = _killed(synced, "acled:BEN1")
    assert claims == [(1, "2023-01-30"), (4, "2023-02-13")]  # 1: the row's timestamp, as it stood
    assert (current, disputed) == ([4], False)


def test_revisions_on_one_day_still_supersede_in_order(tmp_path: Path) -> None:
    """Claim dates are days: a count revised twice in one day (two syncs, no new timestamp)
    is dated a day after the count it replaced, so the order is kept and nothing disputes."""
    data = tmp_path / "data"
    data.mkdir()
    rows = base_rows()
    sync(str(data), str(write_export(tmp_path / "w1.csv", rows)), now=T1)
    for n, value in enumerate(("6", "8"), 2):
        rows[1]["fatalities"] = value
        sync(str(data), str(write_export(tmp_path / f"w{n}.csv", rows)), now=f"2023-01-30T1{n}:00:00Z")
    claims, current, disputed = _killed(data, "acled:BEN2")
    assert [v for v, _d in claims] == [3, 6, 8]
    dates = [d for _v, d in claims]
    assert dates == sorted(set(dates)) and dates[0] == "2023-01-30"
    assert (current, disputed) == ([8], False)


def test_a_count_acled_withdraws_is_superseded_and_leaves_no_figure(synced: Path, tmp_path: Path) -> None:
    """ACLED writing NA where it had a count withdraws the count: the old count stays visible
    as superseded, and the event has no current killed figure (unknown, never zero).  Today
    the old count is the latest dated ACLED claim, so it stays current and counts in totals."""
    from briefing.compare import event_total

    rows = base_rows()
    rows[1].update(fatalities="NA", timestamp=stamp("2023-02-05"))
    sync(str(synced), str(write_export(tmp_path / "week2.csv", rows)), now=T2)
    claims, current, _disputed = _killed(synced, "acled:BEN2")
    assert claims == [(3, "2023-01-30")] and current == []
    from briefing.loader import load_dataset

    assert event_total(load_dataset(str(synced)).event("acled:BEN2").figures) is None


def test_a_withdrawn_count_is_marked_withdrawn_on_the_day_of_its_na(synced: Path, tmp_path: Path) -> None:
    """The count ACLED took back says when (the NA's timestamp) and why (its note), and a
    removed event whose last revision was to NA keeps its count withdrawn, not current."""
    from briefing.filters import parse
    from briefing.ledger import WITHDRAWN_NOTE
    from briefing.loader import load_dataset

    rows = base_rows()
    rows[1].update(fatalities="NA", timestamp=stamp("2023-02-05"))
    sync(str(synced), str(write_export(tmp_path / "week2.csv", rows)), now=T2)
    [f] = [f for f in load_dataset(str(synced)).event("acled:BEN2").figures if f.metric == "killed"]
    assert (f.value, f.date, f.withdrawn, f.note) == (3, "2023-01-30", "2023-02-05", WITHDRAWN_NOTE)
    del rows[1]  # BEN2 removed the week after
    sync(str(synced), str(write_export(tmp_path / "week3.csv", rows)), now="2023-02-13T09:00:00Z")
    ds = load_dataset(str(synced))
    assert "acled:BEN2" in {e.id for e in parse("removed").apply(ds)}
    claims, current, disputed = _killed(synced, "acled:BEN2")
    assert (claims, current, disputed) == ([(3, "2023-01-30")], [], False)
    [f] = [f for f in ds.event("acled:BEN2").figures if f.metric == "killed"]
    assert f.withdrawn == "2023-02-05"


def test_a_count_back_after_na_is_current_and_the_old_one_only_superseded(synced: Path, tmp_path: Path) -> None:
    """3 → NA → 6: ACLED gave a count again; the 3 is an earlier count, not a withdrawn one."""
    rows = base_rows()
    rows[1].update(fatalities="NA", timestamp=stamp("2023-02-05"))
    sync(str(synced), str(write_export(tmp_path / "week2.csv", rows)), now=T2)
    rows[1].update(fatalities="6", timestamp=stamp("2023-02-12"))
    sync(str(synced), str(write_export(tmp_path / "week3.csv", rows)), now="2023-02-13T09:00:00Z")
    claims, current, disputed = _killed(synced, "acled:BEN2")
    assert (claims, current, disputed) == ([(3, "2023-01-30"), (6, "2023-02-12")], [6], False)
    from briefing.loader import load_dataset

    assert all(f.withdrawn is None for f in load_dataset(str(synced)).event("acled:BEN2").figures)


def test_a_stix_export_after_a_sync_is_a_new_version_of_the_same_objects(tmp_path: Path) -> None:
    """QA: after a sync revised a toll (3 -> 7), the STIX incident kept its id and its
    `modified`, and the old claim's note got a new id, so a consumer that keeps the latest
    version of each id (a TAXII server) kept "3 killed" for good; places and actors got an
    earlier `created` when a late event was added. STIX 2.1: `created` never changes, and a
    changed object has a later `modified`."""
    import os

    from briefing.loader import load_dataset

    data = tmp_path / "data"
    data.mkdir()

    def bundle() -> dict[str, dict]:  # as `briefing export --format stix` writes it
        from test_export import stix_check

        r = run_cli("export", "--format", "stix", "--data", str(data))
        assert r.returncode == 0, r.stderr
        return {o["id"]: o for o in stix_check(r.stdout)["objects"]}

    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    for p in data.rglob("*"):  # the first week's files, a week old
        os.utime(p, (1674982800, 1674982800))
    v1 = bundle()
    week2 = newer_rows()
    for r in week2:  # QA (qa-weekly): ACLED corrected an event's date, and its incident's `created` moved
        if r["event_id_cnty"] == "BEN5":
            r.update(event_date="2023-01-25", timestamp=stamp("2023-02-06"))
        if r["event_id_cnty"] == "BEN1":  # (qa-regress6) ACLED knows only the month now: created stays
            r.update(time_precision="3", timestamp=stamp("2023-02-06"))
    sync(str(data), str(write_export(tmp_path / "week2.csv", week2)), now=T2)
    v2 = bundle()
    assert len(set(v1) & set(v2)) > 10
    ben5 = [oid for oid, o in v2.items() if o["type"] == "incident" and "2023-01-25" in o["description"]]
    assert len(ben5) == 1 and ben5[0] in v1
    # QA (qa-weekly): an event ACLED removed left the bundle, and a consumer kept it current:
    # now a later version of it, revoked, with its claims' notes and its relationships
    [ben3] = [oid for oid, o in v1.items() if o["type"] == "incident" and "A duplicate of BEN2" in o["description"]]
    assert v2[ben3]["revoked"] is True and v2[ben3]["modified"] > v1[ben3]["modified"]
    of_ben3 = [oid for oid, o in v1.items() if ben3 in (o.get("object_refs") or ()) or o.get("source_ref") == ben3]
    assert of_ben3 and all(v2[oid].get("revoked") is True for oid in of_ben3 if v1[oid]["type"] != "report")
    assert not any(o.get("revoked") for o in v2.values() if o["type"] in ("threat-actor", "identity", "location"))
    assert sum(1 for o in v2.values() if o["type"] == "incident" and not o.get("revoked")) == len(
        [e for e in load_dataset(str(data)).events if "acled-removed" not in e.tags]
    )
    for oid in set(v1) & set(v2):
        a, b = v1[oid], v2[oid]
        assert a["created"] == b["created"], oid
        if a["type"] == "report":
            continue
        same = {k: v for k, v in a.items() if k != "modified"} == {k: v for k, v in b.items() if k != "modified"}
        assert same or b["modified"] > a["modified"], (oid, a, b)
        assert b["modified"] >= b["created"]
    # a claim is never dropped: the first week's notes are all there, the revised ones marked
    notes1 = {oid for oid, o in v1.items() if o["type"] == "note"}
    assert notes1 <= set(v2)
    assert any("briefing:superseded" in v2[oid]["labels"] for oid in notes1)


# -- QA (qa-weekly): a NUL byte, and line breaks written CRLF inside a field ----------------------


def test_an_export_with_a_nul_byte_is_refused_and_nothing_is_synced(synced: Path, tmp_path: Path) -> None:
    """The sync took a NUL byte into the merged export, which the loader then refused whole:
    no command could open the data directory until a clean export was synced."""
    export = write_export(tmp_path / "week2.csv", newer_rows())
    data = export.read_bytes()
    at = data.index(b"Later reports")
    export.write_bytes(data[:at] + b"\x00" + data[at:])
    before = tree(synced)
    with pytest.raises(SyncRefused) as info:
        sync(str(synced), str(export), now=T2)
    line = data[:at].count(b"\n") + 1
    assert str(info.value) == f"{export}:{line}: NUL byte in a CSV file: nothing synced", str(info.value)
    assert tree(synced) == before
    # in the header too (qa-regress6: it read as a missing column)
    export.write_bytes(data.replace(b"event_id_cnty", b"event_\x00id_cnty", 1))
    with pytest.raises(SyncRefused) as info:
        sync(str(synced), str(export), now=T2)
    assert str(info.value) == f"{export}:1: NUL byte in a CSV file: nothing synced", str(info.value)


def test_line_breaks_written_crlf_inside_a_field_are_line_breaks(synced: Path, tmp_path: Path) -> None:
    """An export saved again by a Windows tool writes every line break CRLF, those inside a
    quoted note too: each such note was a revision, and its CR reached the screen as `\\x0d`."""
    rows = base_rows()
    rows[0]["notes"] = "First paragraph.\nSecond paragraph."
    plain = write_export(tmp_path / "plain.csv", rows)
    data = tmp_path / "data2"
    data.mkdir()
    sync(str(data), str(plain), now=T1)
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(plain.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert b"paragraph.\r\nSecond" in crlf.read_bytes()
    summary = sync(str(data), str(crlf), now=T2)
    assert (summary.added, summary.revised, summary.removed) == (0, 0, 0)
    from briefing.loader import load_dataset

    read = tmp_path / "read" / "acled"  # the loader reads such a file as it is: no ledger here
    read.mkdir(parents=True)
    (read / "acled.csv").write_bytes(crlf.read_bytes())
    os.environ["BRIEFING_NO_CACHE"] = "1"
    try:
        ds = load_dataset(read.parent)
    finally:
        del os.environ["BRIEFING_NO_CACHE"]
    assert ds.event("acled:BEN1").summary.startswith("First paragraph.\nSecond paragraph."), ds.event("acled:BEN1")


def test_an_older_export_over_a_newer_one_is_refused(synced: Path, tmp_path: Path) -> None:
    """QA (qa-weekly): last week's file synced over this week's was taken as ACLED's news:
    every revision rolled back, the new events "removed", the deleted ones "restored", each
    changed row's timestamp going back in time."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    before = tree(synced)
    older = write_export(tmp_path / "week1-again.csv", base_rows())
    with pytest.raises(SyncRefused) as info:
        sync(str(synced), str(older), now="2023-02-13T09:00:00Z")
    lines = str(info.value).splitlines()
    ts2, ts1 = stamp("2023-02-06"), stamp("2023-01-30")
    assert lines[0] == (f"{older}:3: event 'acled:BEN2': timestamp: {ts1} is before {ts2}, the stored export's"), lines
    assert lines[1].startswith(f"{older}:5: event 'acled:BEN4': timestamp: "), lines  # touched only, back too
    assert lines[-1] == (
        f"{older}: 2 rows older than the stored export's: an older export? nothing synced "
        "(--older takes it, rolling those rows back)"
    ), lines
    assert tree(synced) == before
    r = run_cli("sync", "acled", str(older), "--data", str(synced))
    assert r.returncode == 2 and r.stderr.strip().splitlines()[-1].endswith("rolling those rows back)"), r.stderr
    r = run_cli("sync", "acled", str(older), "--data", str(synced), "--older")
    assert r.returncode == 0 and "revised         1" in r.stdout, r.stdout


def test_an_export_with_no_rows_is_refused_not_no_changes(synced: Path, tmp_path: Path) -> None:
    """QA (qa-weekly): a header-only file (a failed download, more likely than ACLED's news)
    said `no changes: … already holds what … says`."""
    empty = write_export(tmp_path / "empty.csv", [])
    before = tree(synced)
    with pytest.raises(SyncRefused) as info:
        sync(str(synced), str(empty), now=T2)
    assert str(info.value) == f"{empty}: no rows after the header (an export cut short?): nothing synced"
    assert tree(synced) == before


def test_an_older_export_that_lacks_only_the_newer_events_is_said(synced: Path, tmp_path: Path) -> None:
    """QA (qa-regress6): last week's file again after a week that only added events: no row
    it shares with the stored data changed, so nothing went back in time, and the new events
    were called removed without a word.  Said, not refused: a week in which ACLED only deleted
    rows looks the same (`test_a_withdrawn_count_is_marked_withdrawn_on_the_day_of_its_na`)."""
    week2 = base_rows() + [row("BEN11", "2023-01-20", "1", timestamp=stamp("2023-02-06"))]  # added late
    sync(str(synced), str(write_export(tmp_path / "week2.csv", week2)), now=T2)
    older = write_export(tmp_path / "week1-again.csv", base_rows())
    r = run_cli("sync", "acled", str(older), "--data", str(synced))
    assert r.returncode == 0, r.stderr
    # on stderr, as every command's warnings (QA s16: `2>>warnings.log` caught none of the sync's)
    assert (
        "briefing: warning: 1 removed event ACLED changed after every row of this export: is it an older export? "
        "Syncing the newer one again restores them"
    ) in r.stderr.splitlines(), r.stderr
    assert "warning" not in r.stdout, r.stdout
    again = run_cli("sync", "acled", str(tmp_path / "week2.csv"), "--data", str(synced))
    assert again.returncode == 0 and "restored" in again.stdout and "warning" not in again.stdout + again.stderr


def test_a_count_rolled_back_on_purpose_is_dated_by_the_sync_not_an_invented_day(synced: Path, tmp_path: Path) -> None:
    """QA (qa-regress6): `--older` rolled BEN2's 7 back to 3, and the 3 was dated the day after
    the 7 (2023-02-07): neither the row's timestamp nor the day of the sync."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    sync(str(synced), str(tmp_path / "week1.csv"), now="2023-02-20T09:00:00Z", older=True)
    claims, current, _disputed = _killed(synced, "acled:BEN2")
    assert current == [3] and (3, "2023-02-20") in claims, claims


def test_timestamps_saved_as_floats_or_blank_still_tell_an_older_export(synced: Path, tmp_path: Path) -> None:
    """QA (qa-regress7): `1600000044.0` (pandas, with an NA in the column), `1.6E+09` or a blank
    timestamp turned the age check off: last week's file rolled every revision back, exit 0."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    floats = base_rows()
    for r in floats:
        r["timestamp"] += ".0"
    with pytest.raises(SyncRefused) as info:
        sync(str(synced), str(write_export(tmp_path / "floats.csv", floats)), now="2023-02-13T09:00:00Z")
    assert "timestamp: 1675036800 is before 1675641600" in str(info.value), str(info.value)
    blank = base_rows()
    for r in blank:
        r["timestamp"] = ""
    r = run_cli("sync", "acled", str(write_export(tmp_path / "blank.csv", blank)), "--data", str(synced))
    assert r.returncode == 0, r.stderr
    assert (
        "briefing: warning: 5 changed rows with no timestamp (blank, or no number): not checked for going back in time"
        in r.stderr.splitlines()
    ), r.stderr


def _figures_in_store(root: Path) -> dict[str, list[tuple[int | None, bool]]]:
    """Each ACLED event's fatality claims, (value, revised away) as the store serves them."""
    from briefing.stored import load

    ds = load(str(root))
    return {e.id: [(f.value, f.date is not None) for f in e.figures] for e in ds.events if e.id.startswith("acled:")}


def _figures_from_files(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple[int | None, bool]]]:
    with monkeypatch.context() as m:
        m.setenv("BRIEFING_NO_CACHE", "1")
        return _figures_in_store(root)


def _aged(path: Path, seconds: float = 10.0) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns - int(seconds * 1e9), st.st_mtime_ns - int(seconds * 1e9)))


@pytest.mark.parametrize("how", ["emptied", "removed", "edited within 2 s", "edited, same size, mtime set back"])
def test_a_ledger_changed_by_hand_is_never_served_from_the_store(
    synced: Path, tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger beside acled/acled.csv feeds its rows (a revised count is kept as the earlier
    claim, a removed event is read back): the store kept the export's stamps only, so a ledger
    restored from a backup, emptied or taken out was not seen, and the revision it no longer
    held was still shown (found by hand: `: > acled/ledger.jsonl`, the brief unchanged)."""
    from briefing.store import files_token

    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    for p in (synced / "acled").iterdir():
        _aged(p)
    before = _figures_in_store(synced)
    assert before == _figures_from_files(synced, monkeypatch)
    assert any(revised for figs in before.values() for _v, revised in figs)  # the ledger's revision is shown
    token = files_token(str(synced))
    led = synced / "acled" / "ledger.jsonl"
    lines = led.read_text(encoding="utf-8").splitlines(keepends=True)
    if how == "emptied":
        led.write_text("", encoding="utf-8")
        _aged(led, 20)
    elif how == "removed":
        led.unlink()
    else:  # the revision's count edited: the earlier claim now reads 9 where it read 1..9
        text = "".join(lines)
        old = json.loads(next(x for x in lines if '"revised"' in x and "fatalities" in x))["fields"]["fatalities"][0]
        assert old is not None and 0 <= old < 9
        edited = text.replace(f'"fatalities": [{old}, ', '"fatalities": [9, ', 1)
        assert edited != text and len(edited) == len(text)
        st = led.stat()
        led.write_text(edited, encoding="utf-8")
        if how == "edited, same size, mtime set back":
            os.utime(led, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert files_token(str(synced)) != token  # a browser that polls sees the change too
    after = _figures_in_store(synced)
    assert after == _figures_from_files(synced, monkeypatch)
    assert after != before


def test_an_export_copied_over_the_synced_one_by_hand_is_said_at_the_next_sync(synced: Path, tmp_path: Path) -> None:
    """QA (tenth session): in a synced folder, this week's export copied over
    acled/acled.csv by hand, then synced: "no changes: … already holds what … says (nothing
    recorded)", and the week's 115 changes (25 earlier counts, 30 removed events) were gone for
    good, without a word.  The sync knows the file it left (its SHA-256 in syncs.jsonl): it
    says that the stored export was replaced outside it, and records that it was."""
    from briefing.commands.sync import report

    week2 = write_export(tmp_path / "week2.csv", newer_rows())
    (synced / "acled" / "acled.csv").write_bytes(week2.read_bytes())  # "drop in the new export"
    summary = sync(str(synced), str(week2), now=T2)
    assert summary.replaced and summary.written
    lines, warnings = report(summary, str(synced / "acled"), str(week2))
    said = "\n".join([*warnings, *lines])
    assert "replaced outside `briefing sync`" in said and "not in the ledger" in said, said
    records = [json.loads(x) for x in (synced / "acled" / "syncs.jsonl").read_text().splitlines()]
    assert records[-1]["replaced_by_hand"] is True and records[-1]["synced_at"] == T2
    # said once: the next sync finds the file it left
    week3 = write_export(tmp_path / "week3.csv", newer_rows())
    again = sync(str(synced), str(week3), now="2023-02-13T09:00:00Z")
    assert not again.replaced


def test_a_sync_after_a_sync_is_not_taken_for_a_replacement(synced: Path, tmp_path: Path) -> None:
    """The file a sync leaves is the export plus the stored rows outside its scope: the next
    sync must know it as its own, kept rows or none."""
    rows = [r for r in newer_rows() if r["country"] != "Niger"]  # Niger's rows kept outside the scope
    first = sync(str(synced), str(write_export(tmp_path / "week2.csv", rows)), now=T2)
    assert first.written and first.kept_outside_scope and not first.replaced
    second = sync(str(synced), str(write_export(tmp_path / "week3.csv", newer_rows())), now="2023-02-13T09:00:00Z")
    assert not second.replaced


def test_a_timestamp_moved_forward_within_one_day_dates_the_count_next_to_it_not_at_the_sync(tmp_path: Path) -> None:
    """QA s12: ACLED re-coded a row twice in one day (timestamps 22:13 and 22:21 on 14 Nov
    2023), synced between the two: the second count was dated with the sync's day (the rule
    for a timestamp that went back), and the next week's count a day after that, 2026-12-06,
    a date no source gave and after the sync itself.  Now the second count, after a count of
    the same day, is dated the next day (claim dates are days: the order must hold) and the
    next week's count by its own timestamp."""
    data = tmp_path / "data"
    data.mkdir()
    rows = [row("BEN1", "2023-01-10", "3", timestamp="1700000000")]  # 2023-11-14 22:13Z
    sync(str(data), str(write_export(tmp_path / "a.csv", rows)), now="2026-12-05T11:00:00Z")
    rows[0].update(fatalities="8", timestamp="1700000500")  # 22:21Z, the same day
    sync(str(data), str(write_export(tmp_path / "b.csv", rows)), now="2026-12-05T11:30:00Z")
    rows[0].update(fatalities="9", timestamp="1700600000.0")  # 2023-11-21, saved as a float
    sync(str(data), str(write_export(tmp_path / "c.csv", rows)), now="2026-12-05T12:00:00Z")
    claims, current, disputed = _killed(data, "acled:BEN1")
    assert claims == [(3, "2023-11-14"), (8, "2023-11-15"), (9, "2023-11-21")], claims
    assert (current, disputed) == ([9], False)


def test_a_withdrawal_is_no_fatality_revision_of_its_old_size(tmp_path: Path) -> None:
    """QA s12: `largest fatality revisions` ranked 300 -> NA as a revision of 300 (NA read as
    0), ahead of a real 10 -> 60; in a 30k sync all ten listed were withdrawals.  The numbers
    are ranked among themselves; withdrawals (and counts given where there was none) are
    counted apart, the highest withdrawn named."""
    data = tmp_path / "data"
    data.mkdir()
    rows = [row("BEN1", "2023-01-10", "300"), row("BEN2", "2023-01-11", "10"), row("BEN3", "2023-01-12", "0")]
    rows.append(row("BEN4", "2023-01-13", "NA"))
    sync(str(data), str(write_export(tmp_path / "a.csv", rows)), now=T1)
    for r, value in zip(rows, ("NA", "60", "NA", "4")):
        r.update(fatalities=value, timestamp=stamp("2023-02-05"))
    r = run_cli("sync", "acled", str(write_export(tmp_path / "b.csv", rows)), "--data", str(data))
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    at = out.index("largest fatality revisions:")
    assert out[at:] == [
        "largest fatality revisions:",
        "  acled:BEN2  10 -> 60",
        "fatality counts withdrawn (a number, now NA: unknown, not zero): 2; the highest:",
        "  acled:BEN1  300 -> NA",
        "  acled:BEN3  0 -> NA",
        "fatality counts given where there was none (NA, now a number): 1",
    ], r.stdout


def test_a_ledger_line_that_is_no_entry_is_a_problem_of_the_load_not_a_silent_loss(
    synced: Path, tmp_path: Path
) -> None:
    """QA s12: a conflict marker and two lines cut short in the ledger (a shared data folder
    merged with git) made the removed event and ACLED's earlier count vanish from every view
    while `validate` said ok, exit 0; `--changes-since` and `changed:` ended in "internal
    error".  Each broken line is a problem naming it: the load refuses (exit 2), and with
    --skip-invalid loads what it can and says what it skipped."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    ledger = synced / "acled" / "ledger.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines()
    cut = [n for n, x in enumerate(lines, 1) if x.startswith(('{"kind": "removed"', '{"kind": "revised"'))]
    assert len(cut) >= 2
    for n in cut:
        lines[n - 1] = lines[n - 1].rstrip("}")
    lines.append("<<<<<<< HEAD")
    lines.append('{"kind": "frobbed", "id": "acled:BEN1", "synced_at": "2023-02-07T00:00:00Z"}')  # QA s12
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run_cli("validate", "--data", str(synced))
    assert r.returncode == 2, r.stdout + r.stderr
    said = [x for x in r.stderr.splitlines() if "ledger.jsonl:" in x]
    assert [x.split("ledger.jsonl:")[1].split(":")[0] for x in said] == [
        str(n) for n in [*cut, len(lines) - 1, len(lines)]
    ], r.stderr
    assert all("not a ledger entry" in x for x in said)
    assert "not JSON (a merge-conflict marker, a line cut short?)" in said[-2] and "line 1 column" not in r.stderr
    for args in (("brief", "-f", "changed:2023-01-01"), ("export", "--format", "jsonl", "-f", "removed")):
        r = run_cli(*args, "--data", str(synced), "--skip-invalid")
        assert r.returncode == 0 and "not a ledger entry" in r.stderr and "internal error" not in r.stderr, r.stderr
    r = run_cli("brief", "--changes-since", "2023-01-01", "--data", str(synced), "--skip-invalid")
    assert r.returncode == 2 and "internal error" not in r.stderr, r.stderr
    assert r.stderr.splitlines()[-1].startswith("briefing: ") and "ledger.jsonl:" in r.stderr.splitlines()[-1]


def test_a_sync_of_an_export_with_lines_above_its_header_says_to_remove_them(synced: Path, tmp_path: Path) -> None:
    """QA s12: with a title and a blank line above the header, `sync` said "no column
    'event_id_cnty'", and with one blank line "the file is empty" (a file of 33 lines); the
    loader and `import acled` say what to do."""
    text = write_export(tmp_path / "week2.csv", newer_rows()).read_text(encoding="utf-8")
    for above, n, lines in (("ACLED export\n\n", 3, "the 2 lines"), ("\n", 2, "the line")):
        export = tmp_path / f"above{n}.csv"
        export.write_text(above + text, encoding="utf-8")
        with pytest.raises(SyncRefused) as info:
            sync(str(synced), str(export), now=T2)
        assert str(info.value) == f"{export}:{n}: ACLED's header is on line {n}, not line 1: remove {lines} above it"


def test_an_export_copied_over_the_synced_one_by_hand_is_a_problem_of_every_read(synced: Path, tmp_path: Path) -> None:
    """QA s13: with week 2 copied over acled/acled.csv by hand, `validate` said ok and `brief`
    showed week 2 alone: the events gone since week 1 were in no ledger, and no read said so
    (only a later sync did).  Every read now names the file and the way out; the sync that
    records the file as found ends it."""
    week2 = write_export(tmp_path / "week2.csv", newer_rows())
    (synced / "acled" / "acled.csv").write_bytes(week2.read_bytes())  # "drop in the new export"
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache), "BRIEFING_NO_CACHE": ""}  # through the store, as a user runs it
    for command in (("validate",), ("brief",), ("export", "--format", "jsonl")):
        r = run_cli(*command, "--data", str(synced), env=env)
        assert r.returncode == 2, (command, r.stdout, r.stderr)
        assert "acled.csv: replaced outside `briefing sync` since the last sync" in r.stderr, r.stderr
        # the way out, for this folder (regression pass): the file synced as it is
        here = f"briefing sync acled {synced / 'acled' / 'acled.csv'} --data {synced}"
        assert r.stderr.rstrip().endswith(here) or here in r.stderr, r.stderr
        # its rows read well: the last line says the file is refused, not "not read" (regression pass)
        last = r.stderr.splitlines()[-1]
        assert "1 file refused (listed first: " in last and "not read" not in last, last
    r = run_cli(*here.split()[1:], env=env)  # as said: recorded as found, the ledger describes it again
    assert r.returncode == 0, r.stderr
    r = run_cli("validate", "--data", str(synced), env=env)
    assert r.returncode == 0 and "replaced" not in r.stderr, r.stderr


def test_outlets_spaced_another_way_are_no_revision(tmp_path: Path) -> None:
    """QA s13: `A; B` written `A ;  B` (a spreadsheet's re-save) was recorded as a revision of
    `source`, though the loader reads the same two outlets; it then matched `changed:`."""
    data = tmp_path / "data"
    data.mkdir()
    rows = base_rows()
    rows[0]["source"] = "Banouto; Radio Kandi"
    sync(str(data), str(write_export(tmp_path / "week1.csv", rows)), now=T1)
    rows[0]["source"] = " Banouto ;  Radio Kandi;"
    summary = sync(str(data), str(write_export(tmp_path / "week2.csv", rows)), now=T2)
    assert summary.revised == 0 and not [e for e in ledger(data) if e["kind"] == "revised"]
    rows[0]["source"] = "Banouto; Radio Kandi; ORTB"  # an outlet more is a revision
    assert sync(str(data), str(write_export(tmp_path / "week3.csv", rows)), now="2023-02-13T09:00:00Z").revised == 1


def test_a_sync_record_changed_alone_gives_a_warm_store_the_cold_load_s_answer(synced: Path, tmp_path: Path) -> None:
    """QA s13 regression pass: whether the export was replaced by hand is read from
    syncs.jsonl, which the store did not stamp: a record changed alone (a folder restored from
    a backup) left a warm store saying "ok" where a load without the store refused."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "BRIEFING_NO_CACHE": ""}
    assert run_cli("validate", "--data", str(synced), env=env).returncode == 0  # the store, warm
    syncs = synced / "acled" / "syncs.jsonl"
    kept = syncs.read_text(encoding="utf-8")
    record = json.loads(kept.splitlines()[-1])
    syncs.write_text(kept + json.dumps({**record, "stored_sha256": "0" * 64}) + "\n", encoding="utf-8")
    for cache in ("", "1"):  # warm, then without the store: one answer
        r = run_cli("validate", "--data", str(synced), env={**env, "BRIEFING_NO_CACHE": cache})
        assert r.returncode == 2 and "replaced outside `briefing sync`" in r.stderr, (cache, r.stderr)
    syncs.write_text(kept, encoding="utf-8")  # restored: ok again, warm too
    assert run_cli("validate", "--data", str(synced), env=env).returncode == 0


def test_changes_warns_of_an_export_replaced_by_hand(synced: Path, tmp_path: Path) -> None:
    """QA s13 regression pass: every read refused a hand-replaced export but `briefing changes`,
    the command whose answer it leaves short, listed the ledger without a word."""
    week2 = write_export(tmp_path / "week2.csv", newer_rows())
    (synced / "acled" / "acled.csv").write_bytes(week2.read_bytes())
    r = run_cli("changes", "--data", str(synced))
    assert r.returncode == 0 and r.stdout, r.stderr  # the ledger is still listed: it is true
    assert r.stderr.startswith("briefing: warning: ") and "replaced outside `briefing sync`" in r.stderr, r.stderr


def test_a_renamed_column_is_refused_with_the_ways_forward(synced: Path, tmp_path: Path) -> None:
    """QA s13 regression pass: of the three refusals of other columns, the renamed one gave no
    way forward."""
    cols = [("admin_3" if c == "admin3" else c) for c in ACLED_COLUMNS]
    path = tmp_path / "renamed.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in newer_rows():
            w.writerow([r.get("admin3" if c == "admin_3" else c, "") for c in cols])
    r = run_cli("sync", "acled", str(path), "--data", str(synced))
    assert r.returncode == 2 and "renamed to 'admin_3'?" in r.stderr, r.stderr
    assert "with the stored export's columns" in r.stderr and "into a new data folder" in r.stderr, r.stderr


@pytest.mark.parametrize("exc", [KeyboardInterrupt, "term"])
def test_a_sync_interrupted_after_it_was_recorded_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], exc: object
) -> None:
    """QA s16 #5: ctrl-c landing just after the new data was swapped in (2 runs of 40) said
    "sync interrupted: … is as it was" and exit 130, though the sync was recorded: a cron job
    read a failure, retried and got "no changes".  Interrupted once recorded, the sync says so,
    with the command listing what it recorded, and exits 0."""
    import argparse

    import briefing.acled_sync as acled_sync
    from briefing.commands import sync as command

    data = tmp_path / "data"
    data.mkdir()
    sync(str(data), str(write_export(tmp_path / "week1.csv", base_rows())), now=T1)
    real = acled_sync._fsync_dir

    def interrupted(path: str) -> None:
        real(path)
        if os.path.samefile(path, data):  # the last step: the new data is in place
            raise KeyboardInterrupt if exc is KeyboardInterrupt else command._Terminated

    monkeypatch.setattr(acled_sync, "_fsync_dir", interrupted)
    args = argparse.Namespace(data=str(data), file=str(write_export(tmp_path / "week2.csv", newer_rows())))
    status = command.run(args)
    err = capsys.readouterr().err
    assert status == 0, err
    assert "recorded" in err and "is as it was" not in err and "briefing changes" in err and "--since" in err, err
    assert len((data / "acled" / "syncs.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_a_sync_whose_summary_cannot_be_written_says_it_was_recorded(synced: Path, tmp_path: Path) -> None:
    """QA s16 #11: `sync > /dev/full` said only "standard output: cannot write" with exit 1,
    though the sync was recorded: a script retried and got "no changes".  The failed write
    is still exit 1 (the system failed a write), and the line says the sync was recorded."""
    week2 = write_export(tmp_path / "week2.csv", newer_rows())
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "briefing", "sync", "acled", str(week2), "--data", str(synced)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
    assert "sync recorded" in r.stderr and "summary" in r.stderr, r.stderr
    assert len((synced / "acled" / "syncs.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_a_sync_leaves_the_store_made_for_the_next_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The weekly workflow at scale (QA s16, measured: at 100k rows the sync took 3 s and the
    next brief 31 s, the export read whole again; ~200 s at 1M): a cron job's sync now makes
    the store for the data as it left it, so the analyst's first read of the week opens it at
    once.  `--no-store` leaves that to the next read."""
    from briefing.store import open_current

    cache = tmp_path / "cache"
    env = {"BRIEFING_NO_CACHE": "", "XDG_CACHE_HOME": str(cache)}
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    for flags, made in (((), True), (("--no-store",), False)):
        data = tmp_path / f"data{len(flags)}"
        data.mkdir()
        r = run_cli(
            "sync",
            "acled",
            str(write_export(tmp_path / "week1.csv", base_rows())),
            "--data",
            str(data),
            *flags,
            env=env,
        )
        assert r.returncode == 0 and r.stderr == "", r.stderr
        got = open_current(str(data))
        assert (got is not None) == made, flags
        if got is not None:
            got[0].close()


def test_a_sync_s_warnings_reach_stderr_whatever_becomes_of_stdout(synced: Path, tmp_path: Path) -> None:
    """QA s16 regression pass #5: with stdout full, the first failed write ended the summary
    before its warnings (`5 changed rows with no timestamp`) reached stderr: the lines a cron
    job with a broken stdout needs most."""
    sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    blank = base_rows()
    for r in blank:
        r["timestamp"] = ""
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "briefing", "sync", "acled", str(write_export(tmp_path / "b.csv", blank))]
            + ["--data", str(synced)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    assert r.returncode == 1 and "briefing: warning: 5 changed rows with no timestamp" in r.stderr, r.stderr


def test_a_sync_told_to_skip_invalid_records_makes_the_store_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA s16 last pass #7: with a curated record in error beside the export, `sync
    --skip-invalid` made no store (it loaded as if told nothing), so the next `brief
    --skip-invalid` read the export whole; and its note did not say no store was made."""
    from briefing.store import open_current

    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    env = {"BRIEFING_NO_CACHE": "", "XDG_CACHE_HOME": str(cache)}
    data = tmp_path / "data"
    data.mkdir()
    (data / "bad.toml").write_text('[[event]]\nid = "broken-1"\ntitle = ""\n', encoding="utf-8")
    week1 = write_export(tmp_path / "week1.csv", base_rows())
    r = run_cli("sync", "acled", str(week1), "--data", str(data), env=env)
    assert r.returncode == 0 and "so no store was made" in r.stderr, r.stderr
    assert open_current(str(data), "loaded") is None
    r = run_cli(
        "sync",
        "acled",
        str(write_export(tmp_path / "week2.csv", newer_rows())),
        "--data",
        str(data),
        "--skip-invalid",
        env=env,
    )
    assert r.returncode == 0 and "no store was made" not in r.stderr, r.stderr
    got = open_current(str(data), "loaded")
    assert got is not None
    got[0].close()


@pytest.mark.parametrize(
    "line",
    [
        '{"kind": "removed", "id": "acled:BEN1", "synced_at": "2023-02-07T00:00:00Z", "row": "just text"}',
        '{"kind": "revised", "id": "acled:BEN1", "synced_at": "2023-02-07T00:00:00Z", "fields": {"fatalities": ["[red]3", 4]}}',
        '{"kind": "revised", "id": "acled:BEN1", "synced_at": "2023-02-07T00:00:00Z", "fields": {"notes": "x"}}',
        '{"kind": "revised", "id": "acled:BEN1", "synced_at": "2023-02-07T00:00:00Z"}',
        # (QA s18) a revision's date and country, new in its entries, are text
        '{"kind": "revised", "id": "acled:BEN1", "synced_at": "2023-02-07T00:00:00Z", "event_date": ["2024-01-01", "x"],'
        ' "country": "Benin", "fields": {"fatalities": [1, 2]}}',
        '{"kind": "revised", "id": "acled:BEN1", "synced_at": "2023-02-07T00:00:00Z", "event_date": "2023-01-10",'
        ' "country": {"a": 1}, "fields": {"fatalities": [1, 2]}}',
    ],
)
def test_a_ledger_entry_of_the_wrong_shape_is_a_problem_not_an_internal_error(synced: Path, line: str) -> None:
    # What a user saw (QA s17, hostile): a `removed` line whose `row` is a string stopped
    # `briefing changes` with an internal error (exit 70) while `validate` said ok; a count of
    # "[red]3", fields that are no [old, new] pairs and an id that is no ACLED id were counted
    # as revisions and new events.
    n = _append_to_ledger(synced, line)
    r = run_cli("validate", "--data", str(synced))
    assert r.returncode == 2 and f"ledger.jsonl:{n}:" in r.stderr and "not a ledger entry" in r.stderr, r.stderr
    r = run_cli("changes", "--data", str(synced))
    assert r.returncode == 2 and "internal error" not in r.stderr and f"ledger.jsonl:{n}" in r.stderr, r.stderr


def test_an_added_entry_with_no_acled_id_is_refused_by_changes(synced: Path) -> None:
    # (QA s17, hostile) counted as a new event.  The load does not read the `added` lines (most
    # of a ledger: a baseline adds every event), so `validate` does not see it; `changes`,
    # which reads them all, refuses it, naming the line.
    n = _append_to_ledger(synced, '{"kind": "added", "id": "BEN1", "synced_at": "2023-02-07T00:00:00Z"}')
    r = run_cli("changes", "--data", str(synced))
    assert r.returncode == 2 and f"ledger.jsonl:{n}" in r.stderr and "internal error" not in r.stderr, r.stderr


def _append_to_ledger(synced: Path, line: str) -> int:
    """`line` added at the end of the folder's ledger, as a hand edit would: its line number."""
    ledger = synced / "acled" / "ledger.jsonl"
    ledger.write_text(ledger.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return len(ledger.read_text(encoding="utf-8").splitlines())


def test_a_sync_keeps_the_acled_folder_s_and_files_mode_and_group(synced: Path, tmp_path: Path) -> None:
    """QA s18 (resilience): a sync swaps in a new `acled/` and made it `0755 root:root`, its
    files `0644`, where the desk had closed it (`2750 root:users`, files `0640`): the export
    readable by every account; under cron's umask 077, `0700`, the analysts' group shut out.
    The new folder and its files take the old ones' mode and group."""
    import stat

    folder = synced / "acled"
    group = 100 if os.geteuid() == 0 else os.getegid()  # root may give any group; others their own
    os.chown(folder, -1, group)
    os.chmod(folder, 0o2750)
    for f in folder.iterdir():
        os.chown(f, -1, group)
        os.chmod(f, 0o640)
    old = os.umask(0o077)
    try:
        sync(str(synced), str(write_export(tmp_path / "week2.csv", newer_rows())), now=T2)
    finally:
        os.umask(old)
    st = os.stat(folder)
    assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o2750, group), oct(st.st_mode)
    for f in folder.iterdir():
        st = os.stat(f)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o640, group), (f.name, oct(st.st_mode))
    # (the second pass) a first sync beside an export placed by hand: the new ledger and list of
    # syncs take the folder's read and write bits, not umask 077's 0600
    hand = tmp_path / "hand"
    (hand / "acled").mkdir(parents=True)
    write_export(hand / "acled" / "acled.csv", base_rows())
    os.chown(hand / "acled", -1, group)
    os.chmod(hand / "acled", 0o2750)
    os.chown(hand / "acled" / "acled.csv", -1, group)
    os.chmod(hand / "acled" / "acled.csv", 0o640)
    old = os.umask(0o077)
    try:
        sync(str(hand), str(write_export(tmp_path / "week2b.csv", newer_rows())), now=T2)
    finally:
        os.umask(old)
    for name in ("acled.csv", "ledger.jsonl", "syncs.jsonl"):
        st = os.stat(hand / "acled" / name)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (0o640, group), (name, oct(st.st_mode))


@pytest.mark.skipif(os.geteuid() != 0 or not __import__("shutil").which("setpriv"), reason="needs root and setpriv")
def test_a_read_only_acled_folder_is_refused_not_swapped_around(synced: Path, tmp_path: Path) -> None:
    """QA s18 (resilience): with `acled/` read-only (`chmod 555`) in a writable data folder, the
    sync went ahead (the folder renamed, not written), exit 0, and left the whole old export in a
    hidden `.acled.sync-*` folder no later sync could remove. A folder the user made read-only
    is refused, as a read-only data folder is (run as root without the power to write anywhere)."""
    folder = synced / "acled"
    before = {f.name: f.read_bytes() for f in folder.iterdir()}
    os.chmod(folder, 0o555)
    drop = "-dac_override,-dac_read_search,-fowner"
    cmd = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", sys.executable, "-m", "briefing"]
    export = write_export(tmp_path / "week2.csv", newer_rows())
    try:
        r = subprocess.run([*cmd, "sync", "acled", str(export), "--data", str(synced)], capture_output=True, text=True)
    finally:
        os.chmod(folder, 0o755)
    assert r.returncode == 2 and "not writable" in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
    assert {f.name: f.read_bytes() for f in folder.iterdir()} == before
    assert not [n for n in os.listdir(synced) if n.startswith(".acled.sync-")]


def test_an_interrupt_while_the_sync_makes_the_store_is_the_interrupt_s_status(
    synced: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA s18 (resilience): ctrl-c or SIGTERM while a sync made the store ("storing") exited 0,
    though the README gives 130 and 143: a cron wrapper or `timeout` saw success. The sync is
    recorded all the same, and said."""
    from briefing import cli, stored

    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def interrupted(*_args: object, **_kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(stored, "load", interrupted)
    export = write_export(tmp_path / "week2.csv", newer_rows())
    assert cli.main(["sync", "acled", str(export), "--data", str(synced)]) == 130
    err = capsys.readouterr().err
    assert "the store was not made (interrupted): the next read makes it" in err, err
    assert any(e.get("synced_at") for e in ledger(synced)[6:])  # recorded all the same


def test_a_failed_sync_says_why_in_the_system_s_words_and_names_the_user_s_file() -> None:
    """QA s18 (resilience): `sync failed, the data directory is unchanged: [Errno 28] No space
    left on device: '…/acled/ledger.jsonl' -> '…/.acled.sync-86bpllkr/ledger.jsonl'`, Python's
    words and the staging folder, where an export says `cannot write: No space left on device`."""
    import errno

    from briefing.commands.sync import _failure

    full = OSError(
        errno.ENOSPC, "No space left on device", "/d/acled/ledger.jsonl", None, "/d/.acled.sync-86bp/ledger.jsonl"
    )
    assert _failure(full, "/d") == "No space left on device (/d/acled/ledger.jsonl)"
    denied = PermissionError(errno.EACCES, "Permission denied", "/d/.acled.sync-fmn4")
    assert _failure(denied, "/d") == "Permission denied (writing into /d)"
    assert (
        _failure(OSError(errno.ENOSPC, "No space left on device"), "/d") == "No space left on device (writing into /d)"
    )


@pytest.mark.parametrize("index_min", [10**9, 0])
def test_a_query_of_removed_events_spans_them_not_the_live_data(
    synced: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index_min: int
) -> None:
    """QA s18 (the second regression pass): after a sync removed the last day's events,
    `removed since:…` said "8 selected" but ended its period on the live data's last day, so the
    change held none of them. A query of ACLED's removals takes its open end from them."""
    import briefing.analysis as A
    from briefing.filters import parse
    from briefing.loader import load_dataset

    rows = [r for r in base_rows() if r["event_date"] < "2023-01-28"]  # the last day's event removed,
    rows.append(row("BEN9", "2023-01-30", "0", time_precision="3"))  # the month kept in scope
    sync(str(synced), str(write_export(tmp_path / "week2.csv", rows)), now=T2)
    monkeypatch.setattr(A, "INDEX_MIN", index_min)
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    ds = load_dataset(synced)
    query = parse("removed since:2023-01-21")
    chosen = query.apply(ds)
    t = A.for_query(ds, query, chosen)
    assert t is not None and len(chosen) >= 1 and t.count == len(chosen), (t.period if t else None, len(chosen))
