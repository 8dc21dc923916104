"""Loader limits: every hostile file is refused with a precise `file:line: ...` message, never a crash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.loader import MAX_FILE_BYTES, WHOLE_FILE, load_dataset, parse_file
from briefing.problems import DataError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = FIXTURES / "invalid"


def problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(root)
    return info.value.lines()


def only(path: Path) -> list[str]:
    return [str(p) for p in parse_file(path).problems]


def test_every_invalid_file_is_reported_at_once() -> None:
    msgs = problems(INVALID)
    # one run names every broken file (and valid.toml, for the duplicate id)
    named = {Path(m.split(":", 1)[0]).name for m in msgs}
    expected = {p.name for p in INVALID.glob("*.toml")} - {"duplicate-id.toml"}  # named inside valid.toml's line
    assert named == expected
    assert any("also defined at" in m and "duplicate-id.toml:1" in m for m in msgs)


def test_duplicate_key_names_file_line_and_key() -> None:
    [msg] = only(INVALID / "duplicate-key.toml")
    assert msg.endswith(
        "duplicate-key.toml:5:16: duplicate key 'name': a key can be set only once in a table (TOML)" + WHOLE_FILE
    )


def test_duplicate_table_names_file_and_line() -> None:
    [msg] = only(INVALID / "duplicate-table.toml")
    assert "duplicate-table.toml:4:" in msg
    assert "duplicate key or table 'meta'" in msg


def test_duplicate_ids_across_files_name_both_places() -> None:
    msgs = [m for m in problems(INVALID) if "duplicate source id" in m]
    assert len(msgs) == 1
    first, second = sorted(["duplicate-id.toml", "valid.toml"])
    assert f"{second}:1: source 'wire': id: duplicate source id; also defined at " in msgs[0]
    assert msgs[0].endswith(f"{first}:1")


def test_nan_and_infinity_are_rejected_with_line_and_field() -> None:
    msgs = only(INVALID / "nan-inf.toml")
    assert len(msgs) == 5
    assert all("input should be a finite number" in m for m in msgs), msgs
    assert msgs[0].endswith("nan-inf.toml:7: event 'e-nan': lat: input should be a finite number (got nan)")
    assert msgs[1].endswith("nan-inf.toml:8: event 'e-nan': lon: input should be a finite number (got inf)")
    assert "event 'e-overflow': lat" in msgs[4]  # 1e400 reads as inf


def test_five_thousand_digit_number_is_an_error_not_a_crash() -> None:
    [msg] = only(INVALID / "huge-number.toml")
    assert msg.endswith("huge-number.toml:10: number has too many digits to read" + WHOLE_FILE)


def test_big_count_is_out_of_range_and_shortened() -> None:
    [msg] = only(INVALID / "big-count.toml")
    assert (
        "big-count.toml:10: event 'e-big': figures[0].value: input should be less than or equal to 1000000000000" in msg
    )
    assert len(msg) < 300


@pytest.mark.parametrize("name", ["deep-array.toml", "deep-table.toml"])
def test_deep_nesting_is_an_error_on_that_file(name: str) -> None:
    [msg] = only(INVALID / name)
    assert msg.endswith(f"{name}: TOML nesting is too deep to read" + WHOLE_FILE)


def test_raw_control_byte_in_toml_is_a_syntax_error_shown_escaped() -> None:
    [msg] = only(INVALID / "raw-control.toml")
    assert "raw-control.toml:3:11: TOML syntax: Illegal character" in msg
    assert "\x1b" not in msg


def test_text_over_the_field_limit() -> None:
    [msg] = only(INVALID / "too-long-text.toml")
    assert "event 'e-long': title: string should have at most 20000 characters" in msg
    assert len(msg) < 300


def test_not_utf8() -> None:
    [msg] = only(INVALID / "not-utf8.toml")
    assert msg.endswith("not-utf8.toml:3: not UTF-8 text (byte 0xff)" + WHOLE_FILE)


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:  # sparse: no disk or memory spent
        fh.truncate(MAX_FILE_BYTES + 1)
    [msg] = only(big)
    assert msg.endswith(
        f"big.toml: file is {MAX_FILE_BYTES + 1} bytes, over the {MAX_FILE_BYTES}-byte limit" + WHOLE_FILE
    )


def test_special_files_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # reading would block forever
    (tmp_path / "zero.toml").symlink_to("/dev/zero")  # reading would never end
    assert only(fifo) == [f"{fifo}: not a regular file"]
    assert only(tmp_path / "zero.toml") == [f"{tmp_path / 'zero.toml'}: not a regular file"]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATA"}
    env["BRIEFING_NO_CACHE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_validate_reports_every_problem_and_exits_2() -> None:
    r = run_cli("validate", "--data", str(INVALID))
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert lines[-1].startswith("briefing: 15 problems in ")
    assert all(line.startswith("briefing: ") for line in lines)
    assert "Traceback" not in r.stderr
    assert r.stdout == ""


def same_problems(said: str, validate: str) -> None:
    """The same problem lines as `validate`'s, and the same count; its last line's advice is its
    own ("fix them and validate again"; the others' "nothing loaded (…)", QA s14)."""
    *lines, last = said.splitlines()
    *v_lines, v_last = validate.splitlines()
    assert lines == v_lines
    assert last.split("; ")[0] == v_last.split("; ")[0] and last.endswith("to load the valid records)"), last
    assert v_last.endswith("; fix them and validate again"), v_last


@pytest.mark.parametrize("command", [["brief"], ["export", "--format", "json"]])
def test_brief_and_export_refuse_broken_data_with_the_same_messages(command: list[str]) -> None:
    validate = run_cli("validate", "--data", str(INVALID))
    r = run_cli(*command, "--data", str(INVALID))
    assert r.returncode == 2
    same_problems(r.stderr, validate.stderr)
    assert r.stdout == ""


def test_skip_invalid_loads_the_valid_records_and_says_how_many_were_skipped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(INVALID, data)
    (data / "duplicate-id.toml").unlink()
    ds = load_dataset(data, skip_invalid=True)
    assert [e.id for e in ds.events] == ["good-event"]
    # the 5 records that failed validation, and those of the 7 files that could not be read at
    # all (counted by their [[…]] headers, or one for a file unread)
    assert ds.skipped == 12
    r = run_cli("validate", "--data", str(data), "--skip-invalid")
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1] == f"briefing: skipped {ds.skipped} invalid records"


def test_the_browser_in_a_real_terminal_refuses_with_the_same_messages() -> None:
    import pty

    validate = run_cli("validate", "--data", str(INVALID))
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATA"}
    env.update(BRIEFING_NO_CACHE="1", TERM="xterm")
    try:
        r = subprocess.run(
            [sys.executable, "-m", "briefing", "--data", str(INVALID)],
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert r.returncode == 2
    same_problems(r.stderr, validate.stderr)


def test_a_hostile_file_name_is_shown_escaped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "bad\x1b[31mname\u202e.toml").write_text('[[source]]\nid = "x"\n', encoding="utf-8")
    for extra in ((), ("--skip-invalid",)):
        r = run_cli("validate", "--data", str(data), *extra)
        assert r.returncode == 2
        # as the shell writes it (`$'…'`, QA s17): pasted back, it names the file
        assert "bad\\x1b[31mname\\xe2\\x80\\xae.toml':1: source 'x': name: required field is missing" in r.stderr
        assert "\x1b" not in r.stderr and "\u202e" not in r.stderr
