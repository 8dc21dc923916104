"""Years a timeline cannot hold (QA s12): `9999-06-01`, `0001-01-01` (a typo, a placeholder for
"unknown") passed `validate`, then every brief, Markdown export, timeline and counts table
ended in "internal error" (exit 70) and the TUI in a traceback; `since:0001` and `until:9999`
did the same to the bundled data.  Now the year is refused where it is written, with its file,
line, record and field (exit 2), and a period of centuries still has a baseline."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from briefing import cli as briefing_cli

BUNDLED = Path(__file__).resolve().parents[2] / "data"
SOURCE = '[[source]]\nid = "s"\nname = "S"\nkind = "news"\nreliability = "C"\n'
EVENT = (
    '\n[[event]]\nid = "{id}"\ntitle = "Typo year"\ndate = {date}\ncountry = "X"\ntype = "battles"\nsources = ["s"]\n'
)


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = briefing_cli.main(list(args))
    return rc, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("date", ['"9999-06-01"', '"9999-12"', '"0001"', "0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("command", [("validate",), ("brief",), ("export", "--format", "md")])
def test_a_year_out_of_range_is_refused_naming_its_line(tmp_path: Path, monkeypatch, date: str, command) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "d").mkdir()
    path = tmp_path / "d" / "a.toml"
    path.write_text(SOURCE + EVENT.format(id="e1", date=date), encoding="utf-8")
    rc, _out, err = cli(*command, "--data", str(tmp_path / "d"))
    assert rc == 2, err
    first = err.splitlines()[0]
    assert "a.toml:10: event 'e1': date: " in first and "is outside 1000–2999" in first, err
    assert "internal error" not in err


def test_an_acled_row_dated_9999_is_a_problem_of_its_row(tmp_path: Path) -> None:
    from briefing.acled import parse_file

    sample = Path(__file__).resolve().parents[1] / "scale" / "fixtures" / "acled_sample.csv"
    text = sample.read_text(encoding="utf-8-sig").replace("2019-11-06", "9999-11-06")
    (tmp_path / "acled.csv").write_text(text, encoding="utf-8")
    problems = [str(p) for p in parse_file(tmp_path / "acled.csv").problems]
    assert any(":2: event 'acled:TJK1001': event_date: '9999-11-06': year 9999 is outside" in p for p in problems)


@pytest.mark.parametrize("term", ["since:0001", "until:9999", "since:0999-12"])
def test_a_filter_year_out_of_range_is_refused(tmp_path: Path, monkeypatch, term: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rc, _out, err = cli("brief", "--data", str(BUNDLED), "--filter", term)
    assert rc == 2 and f"'{term}': year" in err and "outside 1000–2999" in err, err


@pytest.mark.parametrize("flags", [("--compare-to", "previous"), ("--table", "timeline", "--format", "csv")])
def test_a_period_of_centuries_has_a_baseline_from_the_calendar_s_start(tmp_path: Path, monkeypatch, flags) -> None:
    """`since:1000` over data of 2015–2024: the previous period of equal length would begin in
    year -24; it begins on the calendar's first day instead (nothing is there to count)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    command = "export" if "--table" in flags else "brief"
    rc, out, err = cli(command, "--data", str(BUNDLED), "--filter", "since:1000 until:2999", *flags)
    assert rc == 0, err
    assert ("40 events" in out) if command == "brief" else out.startswith("period,")


def test_a_baseline_before_the_first_year_is_nothing_earlier(tmp_path: Path, monkeypatch) -> None:
    """QA s12: the brief of `since:1000` said "no events in Jan 1–Dec 999 to compare with",
    years the filter language refuses; it says there is nothing earlier."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rc, out, err = cli("brief", "--data", str(BUNDLED), "--filter", "since:1000", "--width", "100")
    assert rc == 0, err
    assert "change: nothing earlier to compare with." in out and " 999 " not in out, out


def test_a_trend_summed_to_fit_says_how_many_periods_a_cell_holds(tmp_path: Path, monkeypatch) -> None:
    """QA s13: `since:1000`'s brief said "trend: events per month" where each of the trend's
    24 cells sums 513 months (12,300 from Jan 1000 to Dec 2024), so its one bar sat at the right."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rc, out, err = cli("brief", "--data", str(BUNDLED), "--filter", "since:1000", "--width", "200")
    assert rc == 0, err
    assert "trend: events per 513 months (summed to fit) in the period." in out, out
    rc, out, err = cli("brief", "--data", str(BUNDLED), "--filter", "since:2022-01 until:2022-12", "--width", "200")
    assert rc == 0, err
    assert "trend: events per month in the period." in out, out


def test_the_change_note_names_the_trend_column_only_where_it_is_drawn(tmp_path: Path, monkeypatch) -> None:
    """QA s14: a brief at `--width 60` said "trend: events per 2 weeks" under tables whose
    trend column had been left out for room."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    wide = cli("brief", "--data", str(BUNDLED), "--filter", "since:2022-01 until:2022-12", "--width", "200")[1]
    narrow = cli("brief", "--data", str(BUNDLED), "--filter", "since:2022-01 until:2022-12", "--width", "60")[1]
    assert " trend" in wide and "trend: events per" in wide, wide
    where = narrow.split("\nWhere\n", 1)[1].split("\nWho\n", 1)[0]
    assert " trend" not in where.splitlines()[2] and "trend: events per" not in where, where
