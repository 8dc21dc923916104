"""ACLED exports: each row an event with the right fields, bad rows named by line, actors merged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.acled import CODER_ID, DATASET_SOURCE_ID, parse_file
from briefing.filters import parse
from briefing.loader import data_files, load_dataset
from briefing.problems import DataError
from scale_helpers import CURATED, SAMPLE_CSV, copy_sample


@pytest.fixture(scope="module")
def sample():
    return parse_file(SAMPLE_CSV)


def events_by_id(pf):
    return {rec["id"]: (rec, line) for rec, line, _ in pf.records["event"]}


def actor_names(pf):
    return {rec["id"]: rec for rec, _, _ in pf.records["actor"]}


# a valid row of the sample's header, for tests that vary one field
GOOD_ROW = "X1,2020-01-01,2020,1,,Riots,Mob violence,Rioters (X),,5,,,0,50,,0,R,Xland,,,,,,,1,,,,3,,1"


def _parsed(path: Path, rows: list[str]):
    """rows under the sample's header, written to path and parsed: (path, the parsed file)."""
    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0]
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path, parse_file(path)


def test_the_sample_really_has_the_variants() -> None:
    raw = SAMPLE_CSV.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    text = raw.decode("utf-8-sig")
    assert "2019-11-06" in text and "06 November 2019" in text
    assert ",NA," in text and '"An IED hit a vehicle.\nA second line' in text


def test_iso_date_numeric_inter_and_place(sample) -> None:
    ev, line = events_by_id(sample)["acled:TJK1001"]
    assert line == 2
    assert ev["date"] == "2019-11-06" and ev["date_note"] is None
    assert (ev["type"], ev["sub_type"]) == ("battles", "armed-clash")
    assert (ev["country"], ev["admin1"], ev["admin2"], ev["admin3"], ev["location"]) == (
        "Tajikistan",
        "Khatlon",
        "Rumi",
        "Khurason",
        "Ishkobod",
    )
    assert (ev["lat"], ev["lon"]) == (37.6167, 68.9333)
    assert ev["summary"] == "Attackers stormed a border post; officials said 17 were killed."
    actors = actor_names(sample)
    roles = [(actors[a["actor"]]["name"], a["role"]) for a in ev["actors"]]
    # actor1 + assoc (`;`-separated, the repeat of actor1 dropped), then actor2 + assoc
    assert roles == [
        ("Islamic State (Tajikistan)", "perpetrator"),
        ("Unidentified Armed Group (Tajikistan)", "perpetrator"),
        ("Military Forces of Tajikistan (1994-)", "target"),
        ("Police Forces of Tajikistan (1994-)", "target"),
    ]
    assert actors[ev["actors"][0]["actor"]]["kind"] == "rebel-group"  # inter1 = 2
    assert actors[ev["actors"][2]["actor"]]["kind"] == "state-forces"  # inter2 = 1


def test_fatalities_is_one_claim_by_acled_carried_by_acleds_dataset(sample) -> None:
    """ACLED's coded count is ACLED's own (the most conservative of the reports, or none of
    them): no outlet said it, so none carries it or lends it its grade; the dataset does, and
    a curated `acled:dataset` source grades it."""
    ev, _ = events_by_id(sample)["acled:TJK1001"]
    [fig] = ev["figures"]
    assert (fig["metric"], fig["subject"], fig["value"], fig["qualifier"]) == ("killed", "total", 17, "exact")
    assert fig["claimed_by"] == CODER_ID
    sources = {rec["id"]: rec for rec, _, _ in sample.records["source"]}
    # ACLED's `source` column lists outlets: one source record each, cited by the event
    assert [sources[s]["name"] for s in ev["sources"]] == ["Reuters", "AFP"]
    assert fig["source"] == DATASET_SOURCE_ID and fig["via"] is None
    assert all(sources[s]["via"] == [DATASET_SOURCE_ID] for s in ev["sources"])


def test_long_date_text_inter_na_week_precision_multiline_note(sample) -> None:
    ev, line = events_by_id(sample)["acled:AFG2002"]
    assert line == 3
    # time_precision 2: the source gave only the week; ACLED's coded day stands, the note says so
    assert ev["date"] == "2019-11-06"
    assert ev["date_note"] == "ACLED time precision 2: only the week is known (coded as 2019-11-06)."
    assert ev["figures"] == []  # NA fatalities: no claim, not a zero
    assert ev["admin3"] is None  # NA
    assert ev["summary"] == 'An IED hit a vehicle.\nA second line, with a comma, and "quotes".'
    assert ev["tags"] == ["crowd-size-no-report", "local-administrators", "political-violence", "civilian-targeting"]
    actors = actor_names(sample)
    assert actors[ev["actors"][0]["actor"]]["kind"] == "rebel-group"  # inter1 = "Rebel group"
    assert actors[ev["actors"][1]["actor"]]["kind"] == "civilians"  # inter2 = "Civilians"
    assert (ev["type"], ev["sub_type"]) == ("explosions", "remote-explosive")


def test_row_after_a_multiline_row_has_its_physical_line(sample) -> None:
    ev, line = events_by_id(sample)["acled:AFG2003"]
    assert line == 5  # the quoted note of the row before spans lines 3-4
    assert ev["date"] == "2018-03"  # time_precision 3: only the month is known
    assert ev["date_note"] == "ACLED time precision 3: only the month is known (coded as 2018-03-01)."
    assert ev["figures"] == []  # empty fatalities: missing, not zero
    assert (ev["lat"], ev["lon"], ev["location"]) == (None, None, None)
    assert [a["role"] for a in ev["actors"]] == ["mentioned"]  # strategic development


def test_zero_is_a_claim_and_unicode_names_get_ascii_ids(sample) -> None:
    ev, _ = events_by_id(sample)["acled:TJK1006"]
    assert [f["value"] for f in ev["figures"]] == [0]
    actors = actor_names(sample)
    names = [actors[a["actor"]]["name"] for a in ev["actors"]]
    assert names == ["Протестующие (Таджикистан)", "الشرطة"]
    assert all(a["actor"].isascii() for a in ev["actors"])
    assert [a["role"] for a in ev["actors"]] == ["mentioned", "responder"]  # protest: actor2 responds
    assert actors[ev["actors"][0]["actor"]]["kind"] == "protesters"


def test_bad_rows_are_named_by_line_and_field_and_the_rest_load(sample) -> None:
    from briefing.problems import show_path

    where = show_path(SAMPLE_CSV)
    assert [str(p) for p in sample.problems] == [
        f"{where}:6: event 'acled:AFG2004': event_type: not one of ACLED's six event types: 'Skirmishes'",
        f"{where}:7: event 'acled:AFG2005': event_date: expected a date such as 2019-11-06 or 06 November 2019, "
        "got '31 Febuary 2018'",
    ]
    assert sample.skipped == 2
    assert sorted(events_by_id(sample)) == ["acled:AFG2002", "acled:AFG2003", "acled:TJK1001", "acled:TJK1006"]


def test_every_record_passes_the_schema_unchanged(sample) -> None:
    from briefing.schema import MODELS

    for kind in ("event", "actor", "source"):
        for rec, _, _ in sample.records[kind]:
            assert MODELS[kind].model_validate(rec).model_dump() == rec


@pytest.mark.parametrize(
    ("precision", "date", "note"),
    [
        ("1", "2020-11-04", None),
        ("", "2020-11-04", None),  # missing: ACLED's default, the actual day
        ("2", "2020-11-04", "ACLED time precision 2: only the week is known (coded as 2020-11-04)."),
        ("3", "2020-11", "ACLED time precision 3: only the month is known (coded as 2020-11-04)."),
    ],
)
def test_time_precision_is_acleds_codebook(tmp_path: Path, precision: str, date: str, note: str | None) -> None:
    """ACLED's codebook: 1 the source gives the day, 2 only the week (ACLED codes a day in it),
    3 only the month (a day in it).  A week is no ISO partial date, so 2 keeps the coded day
    and the note says only the week is known; 3 is the month.  There is no year precision."""
    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0]
    good = "X1,2020-11-04,2020,1,,Riots,Mob violence,Rioters (X),,5,,,0,50,,0,R,Xland,,,,,,,1,,,,3,,1"
    path = tmp_path / "p.csv"
    path.write_text(header + "\n" + good.replace(",1,,Riots", f",{precision},,Riots") + "\n", encoding="utf-8")
    pf = parse_file(path)
    assert pf.problems == []
    [(ev, _line, _)] = pf.records["event"]
    assert (ev["date"], ev["date_note"]) == (date, note)


@pytest.mark.parametrize(
    ("precision", "note"),
    [
        ("1", None),
        # missing (QA s15, left then): unknown, not the town itself, as a map would read it
        (
            "",
            "ACLED geo precision not given: the point may stand for the town named, a place near it or a larger region.",
        ),
        (
            "2.0",
            "ACLED geo precision 2: the source names a place near here or part of a region; the point is a town nearby.",
        ),
        ("3", "ACLED geo precision 3: the source names only a larger region; the point is its centre or capital."),
    ],
)
def test_geo_precision_is_kept_as_the_place_s_note(tmp_path: Path, precision: str, note: str | None) -> None:
    """An ACLED point of geo precision 3 is a region's centroid or capital, not where it
    happened: it was read as precise as any other (nothing kept of the code), and so exported
    to a map.  ACLED's codebook: 1 the town, 2 near a town or part of a region, 3 a larger one."""
    row = GOOD_ROW.replace(",,,,,,1,,,,3", f",,,,36.5,68.7,{precision},,,,3")
    path, pf = _parsed(tmp_path / "g.csv", [row])
    assert pf.problems == []
    [(ev, _line, _)] = pf.records["event"]
    assert (ev["lat"], ev["lon"], ev["place_note"]) == (36.5, 68.7, note)


def test_no_point_and_no_geo_precision_says_nothing_of_a_point(tmp_path: Path) -> None:
    row = GOOD_ROW.replace(",,,,,,1,,,,3", ",,,,,,,,,,3")
    path, pf = _parsed(tmp_path / "g.csv", [row])
    assert pf.problems == []
    [(ev, _line, _)] = pf.records["event"]
    assert (ev.get("lat"), ev.get("place_note")) == (None, None)


def test_a_region_s_point_says_so_wherever_the_event_goes(tmp_path: Path) -> None:
    """The place's note reaches every view a point does: the brief's event, the CSV and JSON
    exports (a column and a field beside lat/lon) and STIX (the incident's description)."""
    import csv as csv_module
    import json

    from testkit import run_cli

    data = tmp_path / "data"
    data.mkdir()
    _parsed(data / "g.csv", [GOOD_ROW.replace(",,,,,,1,,,,3", ",,,,36.5,68.7,3,,,,3")])
    said = "ACLED geo precision 3: the source names only a larger region; the point is its centre or capital."
    r = run_cli("brief", "--data", str(data), "--event", "acled:X1", "--width", "200")
    assert r.returncode == 0 and said in r.stdout, r.stderr + r.stdout
    r = run_cli("export", "--data", str(data), "--format", "csv")
    [row] = list(csv_module.DictReader(r.stdout.splitlines()))
    assert (row["lat"], row["lon"], row["place_note"]) == ("36.5", "68.7", said)
    r = run_cli("export", "--data", str(data), "--format", "json")
    [ev] = json.loads(r.stdout)["events"]
    assert ev["place_note"] == said
    r = run_cli("export", "--data", str(data), "--format", "stix")
    [incident] = [o for o in json.loads(r.stdout)["objects"] if o["type"] == "incident"]
    assert f"Place note: {said}" in incident["description"]


def test_more_bad_rows(tmp_path: Path) -> None:
    good = GOOD_ROW
    rows = [
        good,
        good.replace("X1,", "X2,").replace(",1,,Riots", ",7,,Riots"),  # time precision
        good.replace("X1,", "X3,").replace(",3,,1", ",-3,,1"),  # negative fatalities
        good.replace("X1,", "X4,").replace(",5,,,0,", ",banana,,,0,"),  # inter1
        good.replace("X1,", "X5,").replace("Mob violence", "Peaceful protest"),  # sub-type of another type
        good.replace("X1,", "X6,").replace(",,,,,,1,,,,3", ",,,,91.5,10,1,,,,3"),  # latitude
        "X7,2020-01-01,too,few",
        good.replace("X1,", "X8,").replace(",,,,,,1,,,,3", ",,,,,,4,,,,3"),  # geo precision
        good,  # duplicate id
    ]
    path, pf = _parsed(tmp_path / "more.csv", rows)
    assert [str(p) for p in pf.problems] == [
        f"{path}:3: event 'acled:X2': time_precision: expected 1 (day), 2 (week) or 3 (month), got '7'",
        f"{path}:4: event 'acled:X3': fatalities: expected a whole number of 0 or more, or NA, got '-3'",
        f"{path}:5: event 'acled:X4': inter1: not an ACLED actor type (1-8 or its name): 'banana'",
        f"{path}:6: event 'acled:X5': sub_event_type: 'Peaceful protest' is not a sub-type of 'Riots'",
        f"{path}:7: event 'acled:X6': latitude: must be between -90 and 90, got '91.5'",
        f"{path}:8: row has 4 fields, the header has 31",
        f"{path}:9: event 'acled:X8': geo_precision: expected 1 (the town), 2 (near a town, or part of a region) "
        "or 3 (a larger region), got '4'",
        f"{path}:10: event_id_cnty: duplicate 'X1'; also on line 2",
    ]
    assert pf.skipped == 8 and [r["id"] for r, _, _ in pf.records["event"]] == ["acled:X1"]


def test_a_count_pandas_saved_as_a_float_is_the_same_count(tmp_path: Path) -> None:
    """QA (outputs round 2): pandas writes an integer column that holds an NA as `3.0`; such
    an export lost every row with a count ("expected a whole number ..., got '3.0'").  A
    whole number written with a zero fraction is that number; a real fraction is refused."""
    good = GOOD_ROW
    rows = [
        good.replace(",3,,1", ",3.0,,1"),
        good.replace("X1,", "X2,").replace(",3,,1", ",12.00,,1"),
        good.replace("X1,", "X3,").replace(",3,,1", ",0.0,,1"),
        good.replace("X1,", "X4,").replace(",3,,1", ",2.5,,1"),
        good.replace("X1,", "X5,").replace(",3,,1", ",3.,,1"),
        # (QA regress 8) the other whole-number columns, as pandas writes them
        "X6,2020-01-01,2020.0,1.0,,Riots,Mob violence,Rioters (X),,5.0,,,0,50.0,,0,R,Xland,,,,,,,1.0,,,,3.0,,1",
    ]
    path, pf = _parsed(tmp_path / "floats.csv", rows)
    assert [str(p) for p in pf.problems] == [
        f"{path}:5: event 'acled:X4': fatalities: expected a whole number of 0 or more, or NA, got '2.5'",
        f"{path}:6: event 'acled:X5': fatalities: expected a whole number of 0 or more, or NA, got '3.'",
    ]
    counts = {r["id"]: [f["value"] for f in r["figures"]] for r, _, _ in pf.records["event"]}
    assert counts == {"acled:X1": [3], "acled:X2": [12], "acled:X3": [0], "acled:X6": [3]}


def test_broken_files_are_problems_not_tracebacks(tmp_path: Path) -> None:
    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0]
    (tmp_path / "latin1.csv").write_bytes(header.encode() + b"\nX1,caf\xe9\n")
    (tmp_path / "quote.csv").write_text(header + '\nX1,"2020-01-01\n', encoding="utf-8")
    latin1 = parse_file(tmp_path / "latin1.csv")
    assert [str(p) for p in latin1.problems] == [
        f"{tmp_path / 'latin1.csv'}:2: not UTF-8 text (byte 0xe9); the whole file is skipped"
    ]
    assert latin1.skipped == 1  # counted, so that `--skip-invalid` says something went
    quote = parse_file(tmp_path / "quote.csv")
    assert quote.records["event"] == [] and len(quote.problems) == 1 and quote.skipped == 1


def test_a_csv_refused_whole_in_a_data_folder_is_counted(tmp_path: Path) -> None:
    """Its rows read before the bad byte go too: `--skip-invalid` said "ok" with no count."""
    lines = SAMPLE_CSV.read_bytes().splitlines(keepends=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes(b"".join(lines[:2]) + b"X9,caf\xe9\n")  # a row, then the bad byte
    r = subprocess.run(
        [sys.executable, "-m", "briefing", "validate", "--data", str(tmp_path / "data"), "--skip-invalid"],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert "not UTF-8 text (byte 0xe9); the whole file is skipped" in r.stderr, r.stderr
    # the rows after the bad byte are never read: the count is a floor, and says so
    assert (
        "briefing: skipped at least 2 invalid records (1 file refused whole: its rows after the fault were not read)"
        in (r.stderr)
    ), r.stderr


def _as_a_spreadsheet_saves_it(dest: Path, delimiter: str) -> Path:
    """The sample as a spreadsheet in a day-first locale saves it: the delimiter it chose, a
    BOM, CRLF line ends, its ISO dates written 06.11.2019 and its coordinates 37,6."""
    import csv
    import re

    with open(SAMPLE_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    at = rows[0].index("event_date")
    coords = [rows[0].index("latitude"), rows[0].index("longitude")]
    for r in rows[1:]:
        r[at] = re.sub(r"^(\d{4})-(\d\d)-(\d\d)$", r"\3.\2.\1", r[at])
        for c in coords:  # the decimal comma of the locales that write semicolons (QA s12)
            r[c] = r[c].replace(".", ",")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return dest


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_an_export_a_spreadsheet_saved_again_reads_as_acleds_own(tmp_path: Path, delimiter: str, sample) -> None:
    """Opened in a spreadsheet and saved as CSV in a German or Russian locale, an export is
    separated by semicolons and its dates read 06.11.2019: it was left out of the data without
    a word.  It reads as the export it came from, row for row, problem for problem."""
    path = _as_a_spreadsheet_saves_it(tmp_path / "data" / "acled.csv", delimiter)
    assert "06.11.2019" in path.read_text(encoding="utf-8-sig") and "40,28" in path.read_text(encoding="utf-8-sig")
    assert [os.path.basename(p) for p in data_files(tmp_path / "data")] == ["acled.csv"]
    saved = parse_file(path)
    assert saved.records["event"] == sample.records["event"]
    assert saved.records["actor"] == sample.records["actor"]
    assert [(p.line, p.message) for p in saved.problems] == [(p.line, p.message) for p in sample.problems]


def test_rows_of_separators_alone_below_the_data_are_no_rows(tmp_path: Path, sample) -> None:
    """QA s13: a spreadsheet writes `;;;;…` rows below the data when cells there were ever
    touched: each was "event_id_cnty: required field is missing", and the data folder failed.
    A row with nothing in it is read as the blank line it is."""
    path = _as_a_spreadsheet_saves_it(tmp_path / "data" / "acled.csv", ";")
    width = path.read_text(encoding="utf-8-sig").splitlines()[0].count(";")
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write(";" * width + "\r\n" + " ;" * width + "\r\n")
    saved = parse_file(path)
    assert saved.records["event"] == sample.records["event"]
    assert [(p.line, p.message) for p in saved.problems] == [(p.line, p.message) for p in sample.problems]


def test_a_row_error_names_its_event_unless_the_id_is_at_fault(tmp_path: Path) -> None:
    """A bad-input error names file, line, record and field, as a TOML record's does: a row's
    record is its event id (read first), which finds the row in the file and in ACLED's data.
    When the id itself is missing or unusable, there is no record to name."""
    good = GOOD_ROW
    rows = [
        good.replace("X1,", "X2,").replace(",3,,1", ",twelve,,1"),
        good.replace("X1,", ",", 1),
        good.replace("X1,", "X/9,", 1),
        good.replace("X1,", "X4,").replace("2020-01-01", ""),
    ]
    path, pf = _parsed(tmp_path / "acled.csv", rows)
    assert [str(p) for p in pf.problems] == [
        f"{path}:2: event 'acled:X2': fatalities: expected a whole number of 0 or more, or NA, got 'twelve'",
        f"{path}:3: event_id_cnty: required field is missing",
        f"{path}:4: event_id_cnty: not usable as an id (letters, digits, . _ : - only): 'X/9'",
        f"{path}:5: event 'acled:X4': event_date: required field is missing",
    ]
    assert [(p.kind, p.record_id, p.field) for p in pf.problems] == [
        ("event", "acled:X2", "fatalities"),
        (None, None, "event_id_cnty"),
        (None, None, "event_id_cnty"),
        ("event", "acled:X4", "event_date"),
    ]


def test_a_count_written_with_a_dot_before_three_digits_is_refused_not_read_as_one(tmp_path: Path) -> None:
    """QA s12: `1.000` in a semicolon export dated 31.12.2023 read as 1 killed, where its
    locale writes a thousand so, while `1.500` was refused: one or a thousand, not guessed.
    `3.0` (pandas) still reads as 3; a comma file's `37,5` is no coordinate."""
    good = GOOD_ROW
    rows = [
        good.replace("X1,", "X2,").replace(",3,,1", ",1.000,,1"),
        good.replace("X1,", "X3,").replace(",3,,1", ",12.000,,1"),
        good.replace("X1,", "X4,").replace(",3,,1", ",3.0,,1"),
        good.replace("X1,", "X5,").replace(",3,,1", ",1000.000,,1"),
        good.replace("X1,", "X6,").replace(",3,,1", ",0.000,,1"),  # zero in every locale (QA s12)
    ]
    path, pf = _parsed(tmp_path / "acled.csv", rows)
    assert [str(p) for p in pf.problems] == [
        f"{path}:2: event 'acled:X2': fatalities: '1.000' is 1 or 1000 by the locale that wrote it (a dot groups "
        "thousands where the comma is the decimal mark): write the whole number",
        f"{path}:3: event 'acled:X3': fatalities: '12.000' is 12 or 12000 by the locale that wrote it (a dot "
        "groups thousands where the comma is the decimal mark): write the whole number",
    ]
    killed = {e["id"]: e["figures"][0]["value"] for e, _line, _ in pf.records["event"]}
    assert killed == {"acled:X4": 3, "acled:X5": 1000, "acled:X6": 0}


def test_a_date_a_spreadsheet_wrote_with_slashes_is_refused_saying_why(tmp_path: Path) -> None:
    """06/11/2019 is 6 November or 11 June by the locale that wrote it: not guessed, and the
    row says what happened to it (a whole export of such rows reads as one cause, not noise)."""
    text = SAMPLE_CSV.read_text(encoding="utf-8-sig").replace("2019-11-06", "06/11/2019")
    (tmp_path / "acled.csv").write_text(text, encoding="utf-8")
    [first, *_] = parse_file(tmp_path / "acled.csv").problems
    assert str(first) == (
        f"{tmp_path / 'acled.csv'}:2: event 'acled:TJK1001': event_date: '06/11/2019' is a date as a spreadsheet "
        "writes it, the day and month in an order only its locale knows: export it again from ACLED, or write it "
        "as 2019-11-06"
    )


def test_only_csv_files_with_acleds_header_are_data(tmp_path: Path) -> None:
    copy_sample(tmp_path)
    (tmp_path / "notes.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    (tmp_path / "x.toml").write_text("", encoding="utf-8")
    assert [os.path.basename(p) for p in data_files(tmp_path)] == ["acled_sample.csv", "x.toml"]


def test_bad_rows_refuse_the_load_unless_skipping(tmp_path: Path) -> None:
    copy_sample(tmp_path)
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'acled_sample.csv'}:6: event 'acled:AFG2004': event_type: "
        "not one of ACLED's six event types: 'Skirmishes'",
        f"{tmp_path / 'acled_sample.csv'}:7: event 'acled:AFG2005': event_date: "
        "expected a date such as 2019-11-06 or 06 November 2019, got '31 Febuary 2018'",
    ]
    ds = load_dataset(tmp_path, skip_invalid=True)
    assert len(ds.events) == 4 and ds.skipped == 2


def test_validate_reports_csv_rows_like_toml_records(tmp_path: Path) -> None:
    copy_sample(tmp_path)
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    cmd = [sys.executable, "-m", "briefing", "validate", "--data", str(tmp_path)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert (
        f"{tmp_path / 'acled_sample.csv'}:6: event 'acled:AFG2004': event_type: "
        "not one of ACLED's six event types: 'Skirmishes'" in out.stderr
    )
    assert "Traceback" not in out.stderr
    out = subprocess.run([*cmd, "--skip-invalid"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2 and out.stdout.startswith("valid: 4 events")  # not "ok": 2 were skipped
    assert "skipped 2 invalid records" in out.stderr


def test_acled_actors_become_curated_actors_by_exact_alias(tmp_path: Path) -> None:
    copy_sample(tmp_path)
    (tmp_path / "curated.toml").write_text(CURATED, encoding="utf-8")
    ds = load_dataset(tmp_path, skip_invalid=True)
    # "Islamic State (Tajikistan)" is an alias of the curated actor: the ACLED rows use it.
    ev = ds.event("acled:TJK1001")
    assert ev.actors[0].actor == "is-tajikistan"
    assert ds.actor("acled:islamic-state-tajikistan") is None
    hits = [e.id for e in parse("actor:is-tajikistan").apply(ds)]
    assert sorted(hits) == ["acled:TJK1001", "border-post-2019"]
    # No curated match: the ACLED actor stays, findable by its name.
    assert ds.actor("acled:taliban").name == "Taliban"
    assert [e.id for e in parse('actor:"taliban"').apply(ds)] == ["acled:AFG2002", "acled:AFG2003"]
    # "Unidentified Armed Group (Tajikistan)" merely contains a curated word: no merge.
    assert ds.actor("acled:unidentified-armed-group-tajikistan") is not None


def test_curated_and_acled_claims_sit_side_by_side(tmp_path: Path) -> None:
    copy_sample(tmp_path)
    (tmp_path / "curated.toml").write_text(CURATED, encoding="utf-8")
    ds = load_dataset(tmp_path, skip_invalid=True)
    curated, acled = ds.event("border-post-2019"), ds.event("acled:TJK1001")
    assert curated.related == ("acled:TJK1001",)
    assert [(f.claimed_by, f.value) for f in curated.figures] == [("ministry", 20)]
    assert [(f.claimed_by, f.value) for f in acled.figures] == [("acled", 17)]
    assert ds.actor("acled").name == "ACLED"
    assert acled.figures[0].source == DATASET_SOURCE_ID  # ACLED's own count, carried by no outlet
    assert "acled:TJK1001" in [o.id for o, _ in ds.claims_carried_by(DATASET_SOURCE_ID)]


def test_grading_acleds_dataset_grades_acleds_counts(tmp_path: Path) -> None:
    """The README tells a user to grade ACLED with a curated `acled:dataset` source: the rating
    beside ACLED's count is then that grade, not the grade of whichever outlet came first."""
    copy_sample(tmp_path)
    (tmp_path / "curated.toml").write_text(
        CURATED + f'\n[[source]]\nid = "{DATASET_SOURCE_ID}"\nname = "ACLED"\nkind = "dataset"\n'
        'reliability = "B"\nreliability_note = "Graded by our team."\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "brief",
            "--data",
            str(tmp_path),
            "--skip-invalid",
            "--event",
            "acled:TJK1001",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "100"},
    )
    assert out.returncode == 0, out.stderr
    [line] = [ln for ln in out.stdout.splitlines() if "17 ACLED" in ln]
    nxt = out.stdout.splitlines()[out.stdout.splitlines().index(line) + 1]
    assert "ACLED B" in nxt and "Reuters" not in nxt, out.stdout


def test_ambiguous_alias_is_not_merged(tmp_path: Path) -> None:
    copy_sample(tmp_path)
    (tmp_path / "curated.toml").write_text(
        CURATED + '\n[[actor]]\nid = "other"\nname = "Other"\nkind = "armed-group"\naliases = ["Taliban"]\n'
        '\n[[actor]]\nid = "other2"\nname = "Other 2"\nkind = "armed-group"\naliases = ["taliban"]\n',
        encoding="utf-8",
    )
    ds = load_dataset(tmp_path, skip_invalid=True)
    assert ds.event("acled:AFG2002").actors[0].actor == "acled:taliban"


def test_the_same_name_in_two_exports_is_one_actor_and_clashing_slugs_stay_apart(tmp_path: Path) -> None:
    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0]
    row = "{id},2020-01-0{d},2020,1,,Battles,Armed clash,{a},,2,,,0,20,,0,R,Xland,,,,,,,1,Wire,,,1,,1"
    (tmp_path / "a.csv").write_text(
        "\n".join([header, row.format(id="A1", d=1, a="Foo (Bar)"), row.format(id="A2", d=2, a="Foo Bar")]) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text(
        "\n".join([header, row.format(id="B1", d=3, a="FOO BAR"), row.format(id="B2", d=4, a="Foo (Bar)")]) + "\n",
        encoding="utf-8",
    )
    ds = load_dataset(tmp_path)
    ids = {e.id: e.actors[0].actor for e in ds.events}
    assert ids["acled:A1"] == ids["acled:B2"]  # same name in both files: one actor
    assert ids["acled:A2"] == ids["acled:B1"]  # casefolded names are the same actor
    assert ids["acled:A1"] != ids["acled:A2"]  # one slug, two names: two actors
    assert len([a for a in ds.actors if a.id.startswith("acled:foo")]) == 2
    assert len([s for s in ds.sources if s.name == "Wire"]) == 1


def test_names_in_other_scripts_keep_their_ids_whatever_the_rows_order(tmp_path: Path) -> None:
    # What a user saw: `ملی گروه (Tajikistan)` and `كتيبة أنصار التحرير (Tajikistan)` both slug to
    # `tajikistan`; whichever row came first took `acled:tajikistan`, so `actor:acled:tajikistan`
    # named another group after a re-export in another order.
    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0]
    row = "{id},2020-01-0{d},2020,1,,Battles,Armed clash,{a},,2,,,0,20,,0,R,Xland,,,,,,,1,Wire,,,1,,1"
    a, b = "ملی گروه (Tajikistan)", "كتيبة أنصار التحرير (Tajikistan)"
    ids = []
    for name, order in (("ab", (a, b)), ("ba", (b, a))):
        folder = tmp_path / name
        folder.mkdir()
        lines = [header, *(row.format(id=f"X{i}", d=i + 1, a=actor) for i, actor in enumerate(order))]
        (folder / "acled.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        ds = load_dataset(folder)
        ids.append({actor.name: actor.id for actor in ds.actors if actor.name in (a, b)})
    assert ids[0] == ids[1] and len(set(ids[0].values())) == 2
    assert all(i.startswith("acled:tajikistan-") and i.isascii() for i in ids[0].values())


def test_accented_names_keep_their_letters_in_the_id(tmp_path: Path) -> None:
    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0]
    row = "X1,2020-01-01,2020,1,,Battles,Armed clash,Forces Armées du Mali,,1,,,0,10,,0,R,Mali,,,,,,,1,Wire,,,1,,1"
    (tmp_path / "acled.csv").write_text(header + "\n" + row + "\n", encoding="utf-8")
    ds = load_dataset(tmp_path)
    assert ds.events[0].actors[0].actor == "acled:forces-armees-du-mali"


def test_tags_in_any_script_are_kept_and_found_by_a_tag_term(tmp_path: Path) -> None:
    """QA s13: `Ҷангҷӯён` and `حشد` were dropped without a word, `manifestação` became
    `manifesta-o` (which `tag:manifestação` did not find), and a disorder_type of two values
    was one tag.  Every tag is kept as a `tag:` value is read, and a tag term finds it."""
    import csv
    import io

    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0].split(",")
    row = next(csv.reader(io.StringIO(GOOD_ROW)))
    row[header.index("tags")] = "Ҷангҷӯён; حشد; manifestação; crowd size=no report"
    row[header.index("disorder_type")] = "Political violence; Demonstrations"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    root = tmp_path / "data"
    root.mkdir()
    _path, pf = _parsed(root / "acled.csv", [out.getvalue().strip()])
    assert not pf.problems, pf.problems
    [(ev, _line, _idx)] = pf.records["event"]
    tags = list(ev["tags"] if isinstance(ev, dict) else ev.tags)
    assert "manifestacao" in tags and "crowd-size-no-report" in tags, tags
    assert "political-violence" in tags and "demonstrations" in tags, tags
    assert len([t for t in tags if t.startswith("x")]) == 2, tags  # the Tajik and the Arabic one, apart
    ds = load_dataset(root)
    for value in ("Ҷангҷӯён", "حشد", "manifestação", "manifestacao", "demonstrations"):
        assert [e.id for e in parse(f'tag:"{value}"').apply(ds)] == ["acled:X1"], value


def test_a_curated_actor_is_found_by_the_short_name_acled_writes_before_a_colon(tmp_path: Path) -> None:
    """QA s13: a curated `jnim` with the alias "JNIM" stayed apart from ACLED's "JNIM: Group
    for Support of Islam and Muslims" (0 events beside the ACLED actor's 9): only the full
    name matched.  The short name ACLED writes before the colon matches too, when it names
    one curated actor; one it would name twice stays apart."""
    import csv
    import io

    from testkit import MINIMAL_SOURCES

    header = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0].split(",")
    lines = []
    for n, actor in enumerate(("JNIM: Group for Support of Islam and Muslims", "TG: Some Other Group")):
        row = next(csv.reader(io.StringIO(GOOD_ROW)))
        row[header.index("event_id_cnty")] = f"X{n + 1}"
        row[header.index("actor1")] = actor
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(row)
        lines.append(out.getvalue().strip())
    root = tmp_path / "data"
    root.mkdir()
    _parsed(root / "acled.csv", lines)
    actors = """
[[actor]]
id = "jnim"
name = "Jama'at Nusrat al-Islam wal-Muslimin"
kind = "armed-group"
aliases = ["JNIM"]

[[actor]]
id = "group"
name = "The Group"
kind = "armed-group"
aliases = ["TG"]

[[actor]]
id = "other"
name = "Another Group"
kind = "armed-group"
aliases = ["TG"]
"""
    (root / "actors.toml").write_text(actors, encoding="utf-8")
    (root / "sources.toml").write_text(MINIMAL_SOURCES, encoding="utf-8")
    ds = load_dataset(root)
    assert [e.id for e in parse("actor:jnim").apply(ds)] == ["acled:X1"]
    assert ds.actor_event_count("jnim") == 1
    assert not any(a.name.startswith("JNIM:") for a in ds.actors)  # one actor, the curated one
    x2 = ds.event("acled:X2")
    assert x2 is not None and not {"group", "other"} & {ar.actor for ar in x2.actors}  # "TG" names two
