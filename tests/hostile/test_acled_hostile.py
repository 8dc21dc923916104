"""ACLED CSV as hostile input: text columns holding every case load and show safely everywhere
(brief, every export, `briefing import acled`, the TUI); NaN, Infinity and 5000-digit numbers
in number columns are refused with the row's line and column."""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
from pathlib import Path

import pytest

from hostile_cases import CASES
from hostile_helpers import FIXTURES, load_nocache
from tui_check import bad_char, screen_problems

ACLED = FIXTURES / "acled"
BAD = FIXTURES / "acled-invalid"


def cli(*args: str) -> tuple[int, str, str]:
    from briefing import cli as briefing_cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = briefing_cli.main(list(args))
    return rc, out.getvalue(), err.getvalue()


def assert_safe(text: str, what: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in text if bad_char(c) and c not in "\n\t"})
    assert not bad, f"{what}: {bad}"


def test_nan_infinity_and_huge_numbers_are_refused_with_line_and_column() -> None:
    rc, out, err = cli("validate", "--data", str(BAD))
    assert rc == 2 and out == ""
    path = BAD / "numbers-acled.csv"
    lines = [
        line.removeprefix("briefing: ")
        .replace(str(path), "F")
        .replace("tests/hostile/fixtures/acled-invalid/numbers-acled.csv", "F")
        for line in err.splitlines()
    ]
    assert lines[:8] == [
        "F:2: event 'acled:BAD1': latitude: NaN is not a number: give a number, or NA when there is none (got 'NaN')",
        "F:3: event 'acled:BAD2': latitude: must be a finite number, got 'Infinity'",
        "F:4: event 'acled:BAD3': fatalities: NaN is not a number: give a number, or NA when there is none (got 'NaN')",
        "F:5: event 'acled:BAD4': fatalities: expected a whole number of 0 or more, or NA, got '" + "9" * 40 + "'",
        "F:6: event 'acled:BAD5': latitude: must be a finite number, got '" + "9" * 40 + "'",
        "F:7: event 'acled:BAD6': latitude: must be a finite number, got '1e400'",
        "F:8: event 'acled:BAD7': fatalities: expected a whole number of 0 or more, or NA, got 'Infinity'",
        "F:9: event 'acled:BAD8': fatalities: expected a whole number of 0 or more, or NA, got '-2'",
    ]
    assert lines[8].startswith("8 problems in ")


def test_skip_invalid_keeps_the_good_row(tmp_path: Path) -> None:
    ds = load_nocache(BAD, skip_invalid=True)
    assert [e.id for e in ds.events] == ["acled:GOOD1"] and ds.skipped == 8


def test_hostile_acled_text_is_stored_exactly() -> None:
    ds = load_nocache(ACLED)
    cases = [s for s in CASES.values() if "\x00" not in s]
    assert len(ds.events) == len(cases)
    summaries = {e.summary for e in ds.events}
    for s in cases:
        assert s.strip() in summaries  # notes, as written (ACLED fields are trimmed)


@pytest.mark.parametrize(
    "args",
    [
        ["brief"],
        ["brief", "--event", "acled:HOS0"],
        ["export", "--format", "json"],
        ["export", "--format", "jsonl"],
        ["export", "--format", "md"],
        ["export", "--format", "stix"],
        ["export", "--format", "csv"],
        ["export", "--format", "csv", "--table", "figures"],
        ["export", "--format", "csv", "--table", "actors"],
    ],
)
def test_hostile_acled_output_is_terminal_safe(args: list[str]) -> None:
    rc, out, err = cli(*args, "--data", str(ACLED))
    assert rc == 0, err
    assert_safe(out.replace("\r\n", "\n"), " ".join(args))
    assert_safe(err, "stderr")


def test_import_writes_terminal_safe_toml_that_loads_back_exactly(tmp_path: Path) -> None:
    rc, out, err = cli("import", "acled", str(ACLED / "hostile-acled.csv"))
    assert rc == 0, err
    assert_safe(out, "import acled")
    data = tmp_path / "data"
    data.mkdir()
    (data / "imported.toml").write_text(out, encoding="utf-8")
    direct, imported = load_nocache(ACLED), load_nocache(data)
    assert [(e.id, e.title, e.summary, e.location) for e in imported.events] == [
        (e.id, e.title, e.summary, e.location) for e in direct.events
    ]
    shutil.rmtree(data)


def test_hostile_acled_in_the_tui() -> None:
    from briefing.tui.app import make_app
    from briefing.tui.widgets.event_detail import EventDetail

    ds = load_nocache(ACLED)
    problems: list[str] = []

    async def scenario() -> None:
        app = make_app(ds)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            problems.extend(screen_problems(app))
            preview = app.screen.query_one(EventDetail)
            for event in ds.events:
                preview.show(event)
                await pilot.pause()
                problems.extend(f"{event.id}: {p}" for p in screen_problems(app))
            for mode in ("actors", "sources"):
                app.switch_mode(mode)
                await pilot.pause()
                problems.extend(f"{mode}: {p}" for p in screen_problems(app))
            assert app.is_running

    asyncio.run(scenario())
    assert not problems, "\n".join(problems[:10])
