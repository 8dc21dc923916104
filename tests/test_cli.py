"""The command line as a user meets it: exit codes, one-line errors, never a traceback."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from testkit import BUNDLED, run_cli


def test_validate_ok_on_small_data(minimal_data: Path) -> None:
    r = run_cli("validate", "--data", str(minimal_data))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok: 1 event, 3 actors, 2 sources, 2 figures, 1 dispute"


def test_validate_bad_data_exits_2_with_one_line_per_problem(minimal_data: Path) -> None:
    path = minimal_data / "events" / "e1.toml"
    path.write_text(path.read_text().replace('claimed_by = "group"', 'claimed_by = "isis-k"'))
    r = run_cli("validate", "--data", str(minimal_data), cwd=minimal_data.parent)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines[0] == "briefing: data/events/e1.toml:27: event 'e1': figures[1].claimed_by: unknown actor 'isis-k'"
    assert lines[-1].startswith("briefing: 1 problem in ")


def test_data_from_environment_and_missing_directory(minimal_data: Path, tmp_path: Path) -> None:
    r = run_cli("validate", env={"BRIEFING_DATA": str(minimal_data)})
    assert r.returncode == 0 and r.stdout.startswith("ok: 1 event,")
    r = run_cli("validate", "--data", str(tmp_path / "absent"))
    assert r.returncode == 2
    assert r.stderr.strip() == f"briefing: {tmp_path / 'absent'}: no such data directory"


def test_schema_is_json_schema() -> None:
    r = run_cli("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert set(schema["properties"]) == {"source", "actor", "event"}


def test_version_and_help() -> None:
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("briefing ")
    r = run_cli("--help")
    assert r.returncode == 0
    for word in ("brief", "export", "validate", "schema", "--filter", "country:Tajikistan"):
        assert word in r.stdout


@pytest.mark.parametrize("command", ["brief", "export", "validate", "schema", "import", "sync", "changes"])
def test_each_command_s_help_says_what_it_does_and_its_exit_statuses(command: str) -> None:
    """QA (a first-time user): `briefing brief --help` began with `usage:` and the options, no
    line saying what the command does, and no command's help gave the exit statuses, which
    only the README documented."""
    from briefing.cli import _COMMANDS

    r = run_cli(command, "--help")
    assert r.returncode == 0
    said = _COMMANDS[command][0]
    assert said[0].upper() + said[1:] + "." in r.stdout
    assert "exit status: 0 done; 2 bad input or a refusal" in r.stdout
    assert "130 interrupted" in r.stdout and "--force" not in r.stdout.split("exit status:")[1]  # (regression pass)


def test_usage_errors_exit_2_without_traceback() -> None:
    r = run_cli("export", "--format", "xml")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "invalid choice" in r.stderr


def test_usage_errors_show_control_characters_instead_of_sending_them() -> None:
    """A usage error quotes the argument; an ESC or BEL pasted into it must not reach the terminal."""
    for args in (
        ("brief", "--width", "\x1b[31mX\x07"),
        ("brief", "--bogus", "\x1b]0;title\x07"),
        ("export", "--format", "\x9b2J"),
    ):
        r = run_cli(*args)
        assert r.returncode == 2, r.stderr
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
        assert not any(c in r.stderr for c in "\x1b\x07\x9b"), repr(r.stderr)
        assert "\\x1b" in r.stderr or "\\x9b" in r.stderr  # shown, escaped


def _synth(tmp_path: Path, n: int) -> Path:
    import subprocess
    import sys

    out = tmp_path / "synth"
    subprocess.run(
        [sys.executable, "-m", "briefing.devtools.synth", "--events", str(n), "--format", "toml", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def test_output_larger_than_a_pipe_arrives_whole(tmp_path: Path) -> None:
    """The console entry leaves with os._exit once output is flushed: nothing may be lost."""
    data = _synth(tmp_path, 1500)
    r = run_cli("export", "--format", "jsonl", "--data", str(data))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(r.stdout.encode()) > 10 * 65536  # many pipe buffers' worth
    assert len(lines) == 1500
    assert all(json.loads(line)["id"] for line in lines)


def test_reader_leaving_early_is_not_an_error(tmp_path: Path) -> None:
    """`briefing export ... | head -1`: the reader closes the pipe; exit 0, nothing on stderr."""
    import os
    import subprocess
    import sys

    data = _synth(tmp_path, 1500)
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATA"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "export", "--format", "jsonl", "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert json.loads(first)["id"]
    assert err == b""


# -- issue 12 item 16: validate reports everything, skips only what is invalid ----------------


def test_validate_reports_a_bad_field_and_an_unknown_actor_of_one_record_together(minimal_data: Path) -> None:
    path = minimal_data / "events" / "e1.toml"
    text = path.read_text().replace('title = "Attack', 'titel = "Attack').replace('actor = "group"', 'actor = "nobody"')
    path.write_text(text)
    r = run_cli("validate", "--data", str(minimal_data))
    assert r.returncode == 2
    assert "titel" in r.stderr
    assert "unknown actor 'nobody'" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "\\x00" not in r.stderr and "\x00" not in r.stderr


def test_validate_does_not_invent_unknown_references_for_a_bad_record(minimal_data: Path) -> None:
    path = minimal_data / "events" / "e1.toml"
    path.write_text(path.read_text().replace('title = "Attack', 'titel = "Attack'))
    r = run_cli("validate", "--data", str(minimal_data))
    assert r.returncode == 2 and "titel" in r.stderr
    assert "unknown actor" not in r.stderr and "unknown source" not in r.stderr, r.stderr


def test_skip_invalid_skips_only_the_invalid_record_and_reports_dangling_links(minimal_data: Path) -> None:
    events = minimal_data / "events"
    (events / "bad.toml").write_text(
        '[[event]]\nid = "bad"\ntitle = "Bad"\ndate = "2019-13-01"\ncountry = "X"\ntype = "battles"\n'
    )
    for i in range(3):
        (events / f"r{i}.toml").write_text(
            f'[[event]]\nid = "r{i}"\ntitle = "Refers {i}"\ndate = "2020-01-0{i + 1}"\n'
            f'country = "X"\ntype = "battles"\nrelated = ["bad", "e1"]\n'
        )
    r = run_cli("export", "--data", str(minimal_data), "--skip-invalid", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    got = {e["id"]: e for e in doc["events"]}
    assert set(got) == {"e1", "r0", "r1", "r2"}  # only the invalid one is left out
    assert all(got[f"r{i}"]["related"] == ["e1"] for i in range(3))
    assert "skipped 1 invalid record" in r.stderr, r.stderr
    assert r.stderr.count("'bad'") >= 3  # each dangling link is reported


def test_validate_of_an_empty_directory_is_not_ok(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("validate", "--data", str(empty))
    assert r.returncode == 2
    assert not r.stdout.startswith("ok")
    assert "no records found" in r.stderr


# -- issue 12 item 19: how wide a brief is --------------------------------------------------------


def _brief_lines(*args: str, env: dict[str, str] | None = None) -> list[str]:
    r = run_cli("brief", *args, env=env)
    assert r.returncode == 0, r.stderr
    return [line for line in r.stdout.splitlines() if not line.startswith("generated")]


def test_columns_zero_or_one_gets_the_same_bounds_as_width() -> None:
    narrowest = _brief_lines("--width", "40")
    assert _brief_lines(env={"COLUMNS": "0"}) == narrowest
    assert _brief_lines(env={"COLUMNS": "1"}) == narrowest
    assert _brief_lines(env={"COLUMNS": "99999"}) == _brief_lines("--width", "1000")


def test_piped_brief_uses_the_terminal_width(tmp_path: Path) -> None:
    """`briefing brief | less` in a 120-column terminal: 120 columns, not 100."""
    import os
    import shlex
    import shutil
    import subprocess
    import sys
    import time

    import pytest

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    briefing = Path(sys.executable).with_name("briefing")
    out = tmp_path / "piped.txt"
    sock = str(tmp_path / "tmux.sock")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TERM": "xterm",
        "BRIEFING_NO_CACHE": "1",
        "XDG_CACHE_HOME": str(tmp_path / "c"),
    }
    shell = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " sh"
    subprocess.run(
        ["tmux", "-S", sock, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "30", shell],
        check=True,
        timeout=20,
    )
    try:
        cmd = f"{shlex.quote(str(briefing))} brief | cat > {shlex.quote(str(out))}; touch {shlex.quote(str(out))}.done"
        subprocess.run(["tmux", "-S", sock, "send-keys", "-l", cmd], check=True, timeout=20)
        subprocess.run(["tmux", "-S", sock, "send-keys", "Enter"], check=True, timeout=20)
        done = Path(f"{out}.done")
        for _ in range(400):
            if done.exists():
                break
            time.sleep(0.05)
        got = [line for line in out.read_text().splitlines() if not line.startswith("generated")]
    finally:
        subprocess.run(["tmux", "-S", sock, "kill-server"], timeout=20)
    assert got == _brief_lines("--width", "120")
    assert got != _brief_lines("--width", "100")


def test_piped_brief_never_breaks_an_id() -> None:
    """Ids are what a reader copies into `--event`: at the piped width and at 80 columns every
    id the brief shows is on one line, whole."""
    from briefing.loader import load_dataset
    from testkit import BUNDLED

    ids = [e.id for e in load_dataset(BUNDLED).events]
    for args in ((), ("--width", "80")):
        lines = _brief_lines(*args)
        text = "\n".join(lines)
        shown = [i for i in ids if any(i[:12] in line for line in lines)]
        assert shown
        assert [i for i in shown if i not in text] == [], args


def test_a_parser_built_for_its_arguments_reads_them_as_the_whole_parser_does() -> None:
    """`main` declares only the subcommands its arguments name (the parser runs on every
    start); for every command line it must read what the parser with every subcommand reads,
    including a command name that is an option's value, and print the same help."""
    import contextlib

    from briefing.cli import _COMMANDS, build_parser

    lines = [
        [],
        ["--data", "d", "-f", "iskp"],
        ["brief", "--width", "80", "--color", "never", "--country", "Tajikistan", "--ascii", "--changes-since", "2023"],
        ["brief", "--event", "x", "--compare-to", "year", "--data", "d", "--theme", "mono"],
        ["export", "--format", "stix", "--table", "counts", "--by", "actor", "-o", "out", "--force", "--since", "2019"],
        ["validate", "--data", "d", "--skip-invalid"],
        ["schema"],
        ["import", "acled", "f.csv", "-o", "out", "--force"],
        ["sync", "acled", "f.csv", "--data", "d"],
        ["changes", "--since", "2023-01-01", "--format", "json"],
        ["--data", "export", "brief", "--width", "70"],  # a command's name as the value of --data
    ]
    for argv in lines:
        assert vars(build_parser(argv).parse_args(argv)) == vars(build_parser().parse_args(argv)), argv
    for argv in [["--help"], *([name, "--help"] for name in _COMMANDS)]:
        printed = []
        for parser in (build_parser(argv), build_parser()):
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
                parser.parse_args(argv)
            printed.append(out.getvalue())
        assert printed[0] == printed[1] and "usage: briefing" in printed[0], argv
    narrow = build_parser(["brief"])  # what it saves: the other subcommands are left bare
    assert narrow.parse_args(["brief", "--width", "9"]).width == 9
    with contextlib.redirect_stderr(io.StringIO()), contextlib.suppress(SystemExit):
        narrow.parse_args(["export", "--format", "csv"])
        raise AssertionError("export's options were declared for a brief")


def test_the_bar_says_how_long_so_far_and_how_long_to_go_on_one_line(monkeypatch) -> None:
    from briefing.commands.common import Progress

    now = [0.0]
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    bar = Progress(clock=lambda: now[0])
    for t, pct in ((0.2, 1), (4, 3), (12, 4), (30, 20), (100, 60), (3700, 99)):
        now[0] = t
        bar(pct, 100)
    lines = err.getvalue().split("\r")[1:]
    assert [line.split("]")[1].strip() for line in lines] == [
        "3%  0:04\x1b[K",  # under 10 s: no pace yet
        "4%  0:12\x1b[K",  # under 5%: likewise
        "20%  0:30, ~2 min left\x1b[K",
        "60%  1:40, ~1:06 left\x1b[K",
        "99%  1:01:40, ~0:37 left\x1b[K",
    ]
    assert all(len(line) - 3 < 80 for line in lines)  # never wraps: `\r` redraws one line
    bar.clear()
    assert err.getvalue().endswith("\r\x1b[K")


def _ticking_bar(monkeypatch):  # type: ignore[no-untyped-def]
    """A bar on a fake clock (set now[0]) that redraws every 10 ms, into a string (err)."""
    from briefing.commands.common import Progress

    now = [0.0]
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    return Progress(clock=lambda: now[0], tick=0.01), now, err


def _wait_for(err: io.StringIO, text: str) -> None:
    """Until the bar's thread has drawn text (5 s at most)."""
    import time

    deadline = time.monotonic() + 5
    while text not in err.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_the_bar_s_clock_runs_while_a_long_step_says_nothing_new(monkeypatch) -> None:
    """At 1M one step (the commit of a gigabyte of rows, a sum over every event) can take
    tens of seconds without a call: the line is drawn again meanwhile, its clock running; and
    once cleared, nothing more is drawn."""
    import time

    bar, now, err = _ticking_bar(monkeypatch)
    try:
        now[0] = 1.0
        bar(30, 100)  # the one call this step makes
        now[0] = 75.0  # the step goes on; no call
        _wait_for(err, "1:15")
        assert " 30%  1:15, ~3 min left" in err.getvalue()
    finally:
        bar.clear()
    cleared = len(err.getvalue())
    now[0] = 90.0
    time.sleep(0.1)
    assert len(err.getvalue()) == cleared and err.getvalue().endswith("\r\x1b[K")
    bar(40, 100)  # a late call after the end draws nothing either
    assert len(err.getvalue()) == cleared


def test_the_bar_comes_up_for_a_long_first_step_that_says_nothing(monkeypatch) -> None:
    """The store's page-by-page check runs before the first file is read, in one SQLite
    statement: on a cold page cache it took minutes (bench/README.md, round 13) in front of
    a blank terminal, because the bar was only drawn by a call after half a second. A first
    call now starts its clock: the line comes up once half a second has passed, call or not."""
    import time

    bar, now, err = _ticking_bar(monkeypatch)
    try:
        now[0] = 0.1
        bar(0, 100)  # the load begins: too soon to draw
        time.sleep(0.05)
        assert err.getvalue() == ""
        now[0] = 42.0  # the check goes on; no call
        _wait_for(err, "0:42")
        assert err.getvalue().startswith("\rbriefing: loading [") and "  0%  0:42" in err.getvalue()
    finally:
        bar.clear()


def test_a_load_starts_the_bar_before_it_opens_the_store(tmp_path, monkeypatch) -> None:
    from briefing import store, stored

    calls: list[str] = []
    real = store.open_store
    monkeypatch.setattr(store, "open_store", lambda root, memory=False: (calls.append("open"), real(root, memory))[1])
    data = Path(__file__).resolve().parents[1] / "data"
    stored.load(str(data), progress=lambda done, total, *_: calls.append(f"{done}/{total}"))
    assert calls[:2] == ["0/100", "open"]


def test_the_bar_s_clock_stops_quietly_when_the_terminal_goes_away(monkeypatch) -> None:
    """A dropped SSH link: the terminal's writes fail.  The thread that redraws the line
    stops without a traceback of its own (the load's next write reports it, once)."""
    import threading

    from briefing.commands.common import Progress

    class Gone(io.StringIO):
        dead = False

        def write(self, s: str) -> int:
            if self.dead:
                raise OSError(5, "Input/output error")
            return super().write(s)

    err = Gone()
    crashed: list[object] = []
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr(threading, "excepthook", lambda args: crashed.append(args.exc_value))
    now = [0.0]
    bar = Progress(clock=lambda: now[0], tick=0.01)
    now[0] = 1.0
    bar(10, 100)
    err.dead = True
    ticker = bar._ticker
    assert ticker is not None
    ticker.join(timeout=5)
    assert not ticker.is_alive() and crashed == []
    bar._stop.set()


# -- a flood of bad rows: the first ones, then a count per file and field --------------------------


def _flooded(tmp_path: Path, bad: int) -> Path:
    """An ACLED export whose first `bad` rows each carry one bad field (every third one the
    date, the others the fatalities)."""
    import csv

    from briefing.devtools import synth

    root = tmp_path / "flood"
    path = synth.write_acled(synth.World(80, seed=3, actors=10), root / "acled.csv", "iso")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    for i, row in enumerate(rows[1 : bad + 1]):
        if i % 3 == 2:
            row[head.index("event_date")] = "someday"
        else:
            row[head.index("fatalities")] = "many"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return root


def test_the_validate_hint_names_a_dash_folder_as_one_word() -> None:
    # What a user saw (QA regress 9): `brief --data=-many --skip-invalid` said `briefing validate
    # --data -many` lists every problem, which argparse refuses ("expected one argument").
    from briefing.commands.common import problem_lines
    from briefing.problems import Problem

    problems = [Problem("-many/acled.csv", n, "fatalities: not a number", field="fatalities") for n in range(2, 40)]
    [rest] = [line for line in problem_lines(problems, "-many") if "more problem" in line]
    assert rest.endswith("`briefing validate --data=-many` lists every one"), rest


def test_a_flood_of_bad_rows_shows_the_first_and_counts_the_rest(tmp_path: Path) -> None:
    root = _flooded(tmp_path, 45)
    every = run_cli("validate", "--data", str(root))
    assert every.returncode == 2
    listed = [line for line in every.stderr.splitlines() if "acled.csv:" in line]
    assert len(listed) == 45  # validate lists every one
    assert every.stderr.splitlines()[-1].startswith("briefing: 45 problems in ")
    for args in (("brief",), ("brief", "--skip-invalid"), ("export", "--format", "json", "--skip-invalid")):
        r = run_cli(*args, "--data", str(root))
        lines = r.stderr.splitlines()
        assert [line for line in lines if "acled.csv:" in line and "more problem" not in line] == listed[:20], args
        [rest] = [line for line in lines if "more problem" in line]
        assert rest == (
            f"briefing: {root / 'acled.csv'}: 25 more problems not shown (fatalities 16, event_date 9):"
            f" `briefing validate --data {root}` lists every one"
        ), args
        if "--skip-invalid" in args:
            assert r.returncode == 0 and lines[-1] == "briefing: skipped 45 invalid records"
        else:
            assert r.returncode == 2 and lines[-1].startswith("briefing: 45 problems in ")


def test_twenty_bad_rows_are_all_shown(tmp_path: Path) -> None:
    root = _flooded(tmp_path, 20)
    r = run_cli("brief", "--data", str(root), "--skip-invalid")
    assert r.returncode == 0
    assert len([line for line in r.stderr.splitlines() if "acled.csv:" in line]) == 20
    assert "more problem" not in r.stderr


def test_a_reversed_date_range_is_refused_in_one_line(minimal_data: Path) -> None:
    """QA: `brief --filter "since:2020 until:2019"` said "No events match" and exit 0; a
    reversed range is a typo, refused as any bad filter term is, whichever way it is given."""
    for args in (
        ("brief", "--filter", "since:2020 until:2019"),
        ("brief", "--since", "2020", "--until", "2019"),
        ("brief", "--filter", "since:2020", "--until", "2019"),
        ("export", "--format", "json", "--since", "2020-03", "--until", "2020-02-28"),
        ("export", "--table", "timeline", "--format", "csv", "--filter", "until:2019 since:2020"),
    ):
        r = run_cli(*args, "--data", str(minimal_data))
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stdout == "" and "Traceback" not in r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "is after until" in lines[0], r.stderr
    r = run_cli("brief", "--data", str(minimal_data), "--filter", "since:2020 until:2019")
    assert r.stderr.strip() == (
        "briefing: filter: 'since:2020 until:2019': since 2020 is after until 2019: no date is in both (swapped?)"
    )


def test_a_filter_typed_without_accents_finds_the_accented_event(minimal_data: Path) -> None:
    """`brief --filter segou` and `export --filter admin1:menaka` find the event in Ségou,
    Ménaka, and show and export it with its accents."""
    (minimal_data / "events" / "e2.toml").write_text(
        '[[event]]\nid = "segou"\ntitle = "Raid near Ségou"\ndate = "2020-01-03"\ncountry = "Mali"\n'
        'admin1 = "Ménaka"\nlocation = "Ségou"\ntype = "battles"\n',
        encoding="utf-8",
    )
    for text in ("segou", "SEGOU", "admin1:menaka"):
        r = run_cli("export", "--data", str(minimal_data), "--filter", text, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        rows = [json.loads(line) for line in r.stdout.splitlines()]
        assert [(row["id"], row["title"], row["admin1"]) for row in rows] == [("segou", "Raid near Ségou", "Ménaka")]
    r = run_cli("brief", "--data", str(minimal_data), "--filter", "segou", "--width", "120")
    assert r.returncode == 0, r.stderr
    assert "Raid near Ségou" in r.stdout and "border post" not in r.stdout


def test_a_usage_error_is_one_line_naming_help() -> None:
    """QA: `brief --width abc` printed the whole usage block before the reason."""
    for args, why in (
        (("brief", "--width", "abc"), "argument --width: invalid int value: 'abc'"),
        (("export", "--table", "nope"), "argument --table: invalid choice: 'nope'"),
        # QA: an unknown option pointed to `briefing --help`, which does not list brief's options
        (("brief", "--bogus"), "unrecognized arguments: --bogus"),
        (("export", "--format", "json", "--bogus", "x"), "unrecognized arguments: --bogus x"),
    ):
        r = run_cli(*args)
        assert r.returncode == 2 and r.stdout == ""
        [line] = r.stderr.splitlines()
        assert line.startswith(f"briefing {args[0]}: {why}") and line.endswith(f"(see `briefing {args[0]} --help`)"), (
            line
        )


def test_an_unknown_option_before_the_subcommand_names_the_top_level_help() -> None:
    """QA: `briefing --bogus brief` pointed to `briefing brief --help`; the option was the top
    level's."""
    r = run_cli("--bogus", "brief")
    assert r.returncode == 2 and r.stderr == "briefing: unrecognized arguments: --bogus (see `briefing --help`)\n"


def test_import_takes_data_after_the_file_as_the_readme_shows(tmp_path) -> None:
    """QA: `briefing import acled f.csv --data DIR` was "unrecognized arguments"."""
    from testkit import REPO

    r = run_cli(
        "import", "acled", str(REPO / "tests" / "scale" / "fixtures" / "acled_sample.csv"), "--data", str(REPO / "data")
    )
    assert "unrecognized arguments" not in r.stderr, r.stderr
    assert "[[event]]" in r.stdout


def test_import_header_says_which_source_carries_acled_counts() -> None:
    """QA: the comment heading the records said the counts were "carried by a source made from
    each row's source column"; the figures under it say `source = "acled:dataset"`."""
    from testkit import REPO

    r = run_cli("import", "acled", str(REPO / "tests" / "scale" / "fixtures" / "acled_sample.csv"))
    assert "[[event]]" in r.stdout, r.stderr  # (the sample's 2 bad rows are reported, the rest written)
    head = "".join(ln for ln in r.stdout.splitlines(keepends=True) if ln.startswith("#"))
    assert "'acled:dataset'" in head and "carried by a source made from" not in head, head
    assert 'source = "acled:dataset"' in r.stdout


def test_import_names_the_missing_column_and_reads_what_is_not_a_regular_file(tmp_path) -> None:
    """QA: a header with `fatalties` for `fatalities` (or none) listed all six required
    columns, not the one missing, though the loader and the sync name it; `import acled
    /dev/null` said "no such file" of a file that exists."""
    from testkit import REPO

    sample = (REPO / "tests" / "scale" / "fixtures" / "acled_sample.csv").read_text(encoding="utf-8")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(sample.replace("fatalities", "fatalties", 1), encoding="utf-8")
    r = run_cli("import", "acled", str(renamed))
    assert r.returncode == 2
    assert r.stderr.strip() == f"briefing: {renamed}:1: not an ACLED export: no column 'fatalities'", r.stderr
    r = run_cli("import", "acled", "/dev/null")
    assert r.returncode == 2 and "no such file" not in r.stderr
    assert r.stderr.strip() == "briefing: /dev/null: not a regular file", r.stderr


def test_a_file_refused_whole_is_not_counted_as_a_few_skipped_records(minimal_data: Path) -> None:
    """QA (qa-weekly): an ACLED export with a NUL byte on its 14th line is refused whole, and
    `--skip-invalid` said `skipped 12 invalid records` of its thousands."""
    from briefing.devtools import synth

    csv_path = minimal_data / "acled.csv"
    synth.write_acled(synth.World(40, seed=2, actors=5), csv_path, "mixed")
    data = csv_path.read_bytes()
    at = [i for i, b in enumerate(data) if b == 10][12] + 1  # the start of line 14
    csv_path.write_bytes(data[:at] + b"\x00" + data[at:])
    r = run_cli("export", "--data", str(minimal_data), "--skip-invalid", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert "acled.csv:14: NUL byte in a CSV file; the whole file is skipped" in r.stderr, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("briefing: skipped at least "), last
    assert last.endswith("invalid records (1 file refused whole: its rows after the fault were not read)"), last


def test_an_export_refused_for_its_header_is_said_skipped_whole(minimal_data: Path) -> None:
    """QA (qa-regress6): an ACLED export whose header lacks `event_id_cnty` was left out with
    `--skip-invalid` and no "skipped" anywhere, exit 0: thousands of rows gone unsaid."""
    from briefing.devtools import synth

    csv_path = minimal_data / "acled.csv"
    synth.write_acled(synth.World(40, seed=2, actors=5), csv_path, "mixed")
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(text.replace("event_id_cnty", "event_id", 1), encoding="utf-8")
    r = run_cli("brief", "--data", str(minimal_data), "--skip-invalid")
    assert r.returncode == 0, r.stderr
    assert "not an ACLED export: no column 'event_id_cnty'" in r.stderr and "; the whole file is skipped" in r.stderr
    assert r.stderr.strip().splitlines()[-1] == (
        "briefing: skipped at least 1 invalid record (1 file refused whole: its rows after the fault were not read)"
    ), r.stderr


def test_validate_does_not_say_ok_of_data_it_skipped(minimal_data: Path) -> None:
    # What a user saw (QA, own records): `validate --skip-invalid` with its only event broken
    # said `ok: 0 events, 3 actors, ...` (and exit 2).
    path = minimal_data / "events" / "e1.toml"
    path.write_text(path.read_text().replace('date = "2019-11-06"', 'date = "06/11/2019"'))
    r = run_cli("validate", "--data", str(minimal_data), "--skip-invalid")
    assert r.returncode == 2
    assert r.stdout.startswith("valid: 0 events, 3 actors, 2 sources") and "ok" not in r.stdout, r.stdout
    assert r.stdout.rstrip().endswith("(1 invalid record skipped)"), r.stdout


def test_the_last_line_names_a_file_that_could_not_be_read(minimal_data: Path) -> None:
    # What a user saw (QA regress 10): one unclosed string in actors.toml gave a long list whose
    # cause was its first line, scrolled away; the last line only counted problems.
    path = minimal_data / "actors.toml"
    path.write_text(path.read_text().replace('name = "The Group"', 'name = "The Group'))
    r = run_cli("validate", "--data", str(minimal_data))
    last = r.stderr.splitlines()[-1]
    assert r.returncode == 2 and "1 file not read (listed first: " in last and "actors.toml" in last, last


# -- an export's bar: how far a big export has got, on the terminal, while the file is written -----


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _slow_export(monkeypatch, tmp_path: Path, stdout: io.StringIO, *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """`briefing export ARGS` in this process, stderr a terminal, the selected events read
    20 ms apiece (a big export's pace, on the bundled data) and the bar ticking every 10 ms;
    (exit status, what stderr got)."""
    from collections.abc import Sequence

    from briefing import cli
    from briefing.commands import common

    class Slow(Sequence):  # type: ignore[type-arg]
        def __init__(self, events) -> None:  # type: ignore[no-untyped-def]
            self.events = events

        def __len__(self) -> int:
            return len(self.events)

        def __getitem__(self, i):  # type: ignore[no-untyped-def]
            return self.events[i]

        def __iter__(self):  # type: ignore[no-untyped-def]
            import time

            for e in self.events:
                time.sleep(0.02)
                yield e

    real_select = common.select
    monkeypatch.setattr(
        "briefing.commands.export.select", lambda a, ds: (lambda q, ev: (q, Slow(ev)))(*real_select(a, ds))
    )
    real_init = common.Progress.__init__
    monkeypatch.setattr(common.Progress, "__init__", lambda self, **kw: real_init(self, **{**kw, "tick": 0.01}))
    monkeypatch.setattr(common.Progress, "_due", lambda self: True)
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = Path(__file__).resolve().parents[1] / "data"
    status = cli.main(["export", "--data", str(data), *args])
    return status, err.getvalue()


def test_an_export_to_a_file_shows_how_far_it_has_got_then_clears_its_line(monkeypatch, tmp_path: Path) -> None:
    """A big export is not quick: the terminal says how many events have been
    read (and in which pass: JSON of a selection reads them twice), the line goes before the
    report, and the file is the same as without the bar."""
    import json

    out = tmp_path / "x.json"
    status, err = _slow_export(monkeypatch, tmp_path, _Terminal(), "--country", "Tajikistan", "-o", str(out))
    assert status == 0, err
    assert "\rbriefing: exporting [" in err
    assert " of 12 events read" in err and ", pass 2" in err
    bar, report = err.rsplit("\r\x1b[K", 1)
    assert report.startswith("briefing: wrote 12 events, ") and " as json to " in report
    assert len(json.loads(out.read_text())["events"]) == 12


def test_an_export_redirected_to_a_file_shows_the_bar_and_one_into_a_pipe_or_onto_the_terminal_does_not(
    monkeypatch, tmp_path
) -> None:
    """`export > x.jsonl` (stdout a file, stderr the terminal) gets the bar.  Into a pipe it
    does not (QA s12: `| less` drew the pager on the same terminal, and the bar sat over its
    last line, stuck while the pager waited), nor onto the terminal itself."""
    with open(tmp_path / "x.jsonl", "w", encoding="utf-8") as redirected:
        status, err = _slow_export(monkeypatch, tmp_path, redirected, "--format", "jsonl", "--country", "Afghanistan")
    assert status == 0 and "briefing: exporting [" in err and " of 20 events read" in err
    assert len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 20
    read, write = os.pipe()
    with os.fdopen(write, "w", encoding="utf-8") as pipe, os.fdopen(read, encoding="utf-8") as reader:
        status, err = _slow_export(monkeypatch, tmp_path, pipe, "--format", "jsonl", "--country", "Russia")
        pipe.close()
        assert status == 0 and "exporting" not in err and len(reader.read().splitlines()) == 2
    status, err = _slow_export(monkeypatch, tmp_path, _Terminal(), "--format", "jsonl", "--country", "Russia")
    assert status == 0 and "exporting" not in err


@pytest.mark.parametrize(
    "command", [("validate",), ("brief",), ("export", "--format", "csv"), ("sync", "acled", "x.csv")]
)
def test_an_empty_data_folder_is_refused_not_read_as_the_default(command) -> None:
    """QA s12: `--data "$DATA"` with DATA unset briefed the bundled dataset, exit 0."""
    for value in ("", "  "):
        r = run_cli(*command, "--data", value)
        assert r.returncode == 2 and r.stdout == "", r.stdout
        assert "argument --data: no folder name (it is empty or blank)" in r.stderr, r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("export", "-f", "country:LONG"),
        ("brief", "-f", "country:LONG"),
        ("brief", "--event", "LONG"),
        ("brief", "--theme", "LONG"),
        ("brief", "--since", "LONG"),
        ("export", "-o", "/tmp/LONG/x.json"),
        ("import", "acled", "/tmp/LONG.csv"),
    ],
)
def test_a_huge_argument_is_cut_in_the_error_that_quotes_it(args) -> None:
    """QA s12: a 100,000-character argument was given back whole: a "one-line" error of 100 to
    200 KB.  Each long word of a message is cut in its middle, saying how long it was."""
    long = "Q" * 100_000
    r = run_cli(*(a.replace("LONG", long) for a in args), "--data", str(BUNDLED))
    assert r.returncode in (0, 1, 2), r.stderr
    said = r.stderr + r.stdout
    assert 0 < len(said) < 2_000 and "characters)" in said, said[:300]


def test_the_last_line_counts_every_file_not_read_in_the_order_listed(tmp_path: Path) -> None:
    """QA s12: a FIFO, a broken link and a file TOML could not read were three files not read;
    the last line said 1, named the last as "listed first", and the TOML error at the end of
    its file had no line."""
    import shutil

    root = tmp_path / "nr"
    root.mkdir()
    shutil.copy(BUNDLED / "sources.toml", root / "a.toml")
    (root / "gone.toml").symlink_to(tmp_path / "nope")
    os.mkfifo(root / "f.toml")
    (root / "z.toml").write_text("x = [\n", encoding="utf-8")
    r = run_cli("validate", "--data", str(root))
    lines = r.stderr.splitlines()
    assert r.returncode == 2 and len(lines) == 4, r.stderr
    assert [x.split(": ")[1].split("/")[-1] for x in lines[:3]] == ["f.toml", "gone.toml", "z.toml:1"], lines
    assert ", 3 files not read (listed first: " in lines[3] and "f.toml, " in lines[3] and "gone.toml, …)" in lines[3]


def test_import_of_an_export_with_a_title_above_its_header_says_what_the_loader_says(tmp_path: Path) -> None:
    """QA s12: `import acled` said "not an ACLED export: the header lacks ACLED's columns" of an
    export with two title lines above its header; the same file in a data folder was told
    what to do: remove the lines above it."""
    sample = Path(__file__).resolve().parent / "scale" / "fixtures" / "acled_sample.csv"
    titled = tmp_path / "titled.csv"
    titled.write_text("ACLED export\n\n" + sample.read_text(encoding="utf-8-sig"), encoding="utf-8")
    r = run_cli("import", "acled", str(titled))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == f"briefing: {titled}:3: ACLED's header is on line 3, not line 1: remove the 2 lines above it\n"


def test_validate_notes_events_dated_after_today(tmp_path: Path) -> None:
    """QA s12 (numbers helper): an event mistyped into 2099 was taken without a word (the
    brief's period then ran to Dec 2099).  `validate` notes it, the data still valid."""
    import shutil

    data = tmp_path / "d"
    shutil.copytree(BUNDLED, data)
    crocus = next(p for p in (data / "events").glob("*.toml") if 'date = "2024-03-22"' in p.read_text("utf-8"))
    crocus.write_text(crocus.read_text("utf-8").replace('date = "2024-03-22"', 'date = "2099-03-22"'), "utf-8")
    r = run_cli("validate", "--data", str(data))
    assert r.returncode == 0 and r.stdout.startswith("ok: 40 events"), r.stdout + r.stderr
    assert r.stderr.startswith("note: 1 event dated ") and "after today (a typo?)" in r.stderr, r.stderr
    assert f"--data {data} --filter since:" in r.stderr
    r = run_cli("validate", "--data", str(BUNDLED))
    assert r.returncode == 0 and r.stderr == ""


def test_an_acled_export_saved_as_utf16_is_reported_not_left_out(tmp_path: Path) -> None:
    """QA s12: a spreadsheet's "Unicode text" (UTF-16) export in the data folder was taken for
    another program's CSV and left out without a word (`validate`: ok, its rows gone);
    `import acled` said it lacked ACLED's columns."""
    sample = Path(__file__).resolve().parent / "scale" / "fixtures" / "acled_sample.csv"
    (tmp_path / "d" / "acled").mkdir(parents=True)
    export = tmp_path / "d" / "acled" / "acled.csv"
    export.write_bytes(sample.read_text(encoding="utf-8-sig").encode("utf-16"))
    said = f"{export}:1: UTF-16 text (it starts with UTF-16's byte-order mark): save it as UTF-8"
    r = run_cli("validate", "--data", str(tmp_path / "d"))
    assert r.returncode == 2 and said in r.stderr, r.stderr
    r = run_cli("import", "acled", str(export))
    assert r.returncode == 2 and r.stderr == f"briefing: {said}\n", r.stderr
    (tmp_path / "d" / "notes.csv").write_bytes("a,b\n1,2\n".encode("utf-16"))  # not ACLED's: left alone
    export.unlink()
    r = run_cli("validate", "--data", str(tmp_path / "d"))
    assert "notes.csv" not in r.stderr


def test_import_of_a_file_name_too_long_is_bad_input_exit_2() -> None:
    """QA s12: `import acled` of a 300-character name exited 1, the status of a failed write."""
    r = run_cli("import", "acled", "/tmp/" + "y" * 300 + ".csv")
    assert r.returncode == 2 and "File name too long" in r.stderr, r.stderr


def test_an_export_ended_by_sigterm_clears_its_bar_and_leaves_no_file(monkeypatch, tmp_path: Path) -> None:
    """QA s12: `kill` during an export left the bar on the screen, the shell's "Terminated"
    glued to it.  The line goes, the file is not written, the status is 143, and the process's
    own SIGTERM handling is given back."""
    import signal
    import sys
    import threading

    out = tmp_path / "out" / "x.json"
    out.parent.mkdir()
    before = signal.getsignal(signal.SIGTERM)
    threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGTERM)).start()
    with pytest.raises(SystemExit) as info:
        _slow_export(monkeypatch, tmp_path, _Terminal(), "--country", "Afghanistan", "-o", str(out))
    assert info.value.code == 143
    err = sys.stderr.getvalue()  # the _Terminal the export wrote to (monkeypatched in)
    assert "briefing: exporting [" in err and err.endswith("\r\x1b[K"), err[-80:]
    assert list(out.parent.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ('theme = "briefing-light\n', "cannot read the config file: Illegal character"),
        ("theme = 3\n", "theme: give a theme's name in quotes"),
        ("\xff\xfe", "cannot read the config file"),
    ],
)
def test_a_broken_config_file_is_refused_by_the_brief_as_by_the_tui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, said: str
) -> None:
    """Review s13: the brief read config.toml with `except Exception: return None`, so a file the
    TUI refuses in one line (exit 2) was ignored without a word, the theme falling back."""
    from briefing.themes import ThemeError
    from briefing.tui.keys import user_keymap

    folder = tmp_path / "conf" / "briefing"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_bytes(config.encode("latin-1") if config.startswith("\xff") else config.encode())
    r = run_cli("brief", "--color", "always", env={"XDG_CONFIG_HOME": str(tmp_path / "conf")})
    assert r.returncode == 2 and r.stdout == "", r.stdout
    assert r.stderr.startswith("briefing: ") and said in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
    if "theme = 3" not in config:  # the TUI's own reading of the file refuses it the same way
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
        with pytest.raises(ThemeError, match="cannot read the config file"):
            user_keymap()


def test_a_config_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA s13 regression pass: Notepad's UTF-8 writes a byte-order mark, which the TOML reader
    refused ("Invalid statement (at line 1, column 1)"): it now stopped a brief in colour too.
    The mark is let pass, by the brief, the key table and the theme picker's save."""
    from briefing.themes import configured_name
    from briefing.tui.keys import user_keymap
    from briefing.tui.theming import save_choice

    folder = tmp_path / "conf" / "briefing"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_bytes(b'\xef\xbb\xbftheme = "briefing-light"\n\n[keys]\nhelp = "f1"\n')
    r = run_cli("brief", "--color", "always", env={"XDG_CONFIG_HOME": str(tmp_path / "conf")})
    assert r.returncode == 0, r.stderr
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    assert configured_name() == "briefing-light" and user_keymap() == {"help": "f1"}
    save_choice("mono")
    assert configured_name() == "mono" and user_keymap() == {"help": "f1"}


def test_the_theme_picker_keeps_the_comment_on_the_theme_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA s18 (docs): the README's example config comments its `theme` line; choosing a theme
    in the picker rewrote the line without it (a `#` inside the quoted name is no comment)."""
    from briefing.themes import configured_name
    from briefing.tui.theming import save_choice

    folder = tmp_path / "conf" / "briefing"
    folder.mkdir(parents=True)
    config = folder / "config.toml"
    config.write_text('theme = "briefing-light"      # the picker saves here\n\n[keys]\nhelp = "f1"  # mine\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    save_choice("mono")
    assert config.read_text().splitlines()[0] == 'theme = "mono"      # the picker saves here'
    assert configured_name() == "mono" and 'help = "f1"  # mine' in config.read_text()
    config.write_text('theme = "a#b"\n')
    save_choice("mono")
    assert config.read_text() == 'theme = "mono"\n'


def test_an_internal_error_is_one_line_and_status_70_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's promise, which no test held (review s13: with `return 70` made `return 0`
    and BRIEFING_DEBUG ignored, 245 tests passed): a bug is one line on stderr and status 70,
    never a traceback and never a success; BRIEFING_DEBUG=1 lets the traceback through."""
    from briefing import cli
    from briefing.commands import validate

    def broken(_args: object) -> int:
        raise RuntimeError("a bug \x1b[31mhere")

    monkeypatch.setattr(validate, "run", broken)
    monkeypatch.delenv("BRIEFING_DEBUG", raising=False)
    assert cli.main(["validate"]) == 70
    err = capsys.readouterr().err
    assert err == "briefing: internal error: RuntimeError: a bug \\x1b[31mhere (set BRIEFING_DEBUG=1 for details)\n"
    monkeypatch.setenv("BRIEFING_DEBUG", "1")
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main(["validate"])


@pytest.mark.parametrize(
    ("table", "line", "said"),
    [
        ("colors", 'primary = "#zz"', "[colors] primary: not a colour: '#zz'"),
        ("variables", 'border = "nonsense value"', "[variables] border: not a valid value"),
    ],
)
def test_a_user_theme_textual_cannot_use_is_one_line_at_start(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    table: str,
    line: str,
    said: str,
) -> None:
    """The README: a theme file with a colour or variable Textual cannot use "is reported at
    start in one line naming the file and key"; no test wrote one (review s13)."""
    import argparse

    from briefing.tui.run import run

    themes = tmp_path / "conf" / "briefing" / "themes"
    themes.mkdir(parents=True)
    (themes / "bad.toml").write_text(f'name = "bad"\ndark = true\n\n[{table}]\n{line}\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    assert run(argparse.Namespace(theme="mono", data=None, skip_invalid=False)) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "bad.toml" in err and said in err, err


def test_validate_s_last_line_says_to_fix_not_that_nothing_loaded(minimal_data: Path) -> None:
    """QA s14: `validate` ended "…; nothing loaded (fix them, or pass --skip-invalid …)", odd
    of a command that loads nothing to show; the other commands still say it."""
    path = minimal_data / "actors.toml"
    path.write_text(path.read_text().replace('name = "The Group"', 'name = "The Group'))
    r = run_cli("validate", "--data", str(minimal_data))
    assert r.returncode == 2 and r.stderr.splitlines()[-1].endswith("; fix them and validate again"), r.stderr
    r = run_cli("brief", "--data", str(minimal_data))
    assert r.returncode == 2 and "nothing loaded (fix them, or pass --skip-invalid" in r.stderr.splitlines()[-1]


def test_an_empty_result_of_a_folder_whose_events_were_skipped_says_so(minimal_data: Path) -> None:
    """QA s14: `--skip-invalid` on a folder whose one event is invalid said "no events match
    (no filter; the dataset has no events)", though it has one, skipped."""
    path = minimal_data / "events" / "e1.toml"
    path.write_text(path.read_text().replace('date = "2019-11-06"', 'date = "2019-13-06"'))
    for command in (("brief",), ("export", "--format", "markdown"), ("export", "--format", "csv")):
        r = run_cli(*command, "--data", str(minimal_data), "--skip-invalid")
        said = r.stdout + r.stderr
        assert "the dataset has no valid events: 1 invalid record skipped" in said, (command, said)
        assert "the dataset has no events)" not in said


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (["--event", "x"], "--event is an option of `briefing brief`, given before it: briefing brief --event x"),
        (["--format=csv"], "--format is an option of `briefing export`, given before it: briefing export --format=csv"),
        (["--event", "x", "brief"], "given before it: briefing brief --event x ("),
        (["--event", "brief"], "given before it: briefing brief --event brief ("),  # the event `brief` (review s14)
        (
            ["-o", "out.csv", "export"],
            "-o is an option of `briefing export`, given before it: briefing export -o out.csv (",
        ),
        # QA s15: an option of another command than the one given: no line puts that right
        # (`export --table counts brief` failed on `brief`)
        (["--table", "counts", "brief"], "--table is an option of `briefing export`, not of `briefing brief` ("),
        (["--event", "x", "export"], "--event is an option of `briefing brief`, not of `briefing export` ("),
        (["-o", "x.json", "validate"], "-o is an option of `briefing export`, not of `briefing validate` ("),
        (["--ev", "x", "brief"], "--ev is an option of `briefing brief`, given before it: briefing brief --ev x ("),
        # review s15: an abbreviated top-level option is the top level's; an option's value is no command
        (["--dat", "data", "--table", "counts", "export"], "--table is an option of `briefing export`, given before"),
        (
            ["--data", "brief", "--table", "counts", "export"],
            "given before it: briefing export --data brief --table counts (",
        ),
    ],
)
def test_a_command_s_option_given_before_any_command_names_the_command(given: list[str], said: str) -> None:
    """QA s13: `briefing --event X` said "argument COMMAND: invalid choice: 'X'", as if X were
    meant for a command; it names the command the option belongs to, and the line that has it."""
    r = run_cli(*given)
    assert r.returncode == 2 and said in r.stderr and "invalid choice" not in r.stderr, r.stderr
    r = run_cli("nonsense")
    assert r.returncode == 2 and "invalid choice: 'nonsense'" in r.stderr, r.stderr


@pytest.mark.parametrize(
    "given",
    [
        ["--country", "Iraq", "changes"],
        ["-f", "country:Iraq", "validate"],
        ["--since", "2023-01", "changes"],  # read as the sync date `changes --since` takes
        ["--disputed", "schema"],
        ["--coun", "Iraq", "validate"],  # abbreviated, as argparse allows
        ["--disp", "schema"],  # review s15: a flag abbreviated
    ],
)
def test_a_filter_given_before_a_command_that_takes_none_is_refused(given: list[str]) -> None:
    """QA s15: `briefing --country Iraq changes` listed every change, not Iraq's, and exited 0;
    a `--since` given before `changes` was taken as its sync date.  Nothing is dropped silently."""
    r = run_cli(*given)
    assert r.returncode == 2 and "is a filter, given before `briefing" in r.stderr, r.stderr
    if "changes" in given:  # it takes its own --filter (and --since, a sync's time) after it
        assert "`briefing changes --filter QUERY`" in r.stderr or "is its own, given after it" in r.stderr
    else:
        assert "which takes none" in r.stderr, r.stderr
    assert r.stdout == ""


def test_a_command_s_own_since_after_it_is_no_filter_before_it(tmp_path) -> None:
    r = run_cli("changes", "--data", str(tmp_path), "--since", "2023-01-01")
    assert r.returncode == 0 and "is a filter" not in r.stderr, r.stderr
    r = run_cli("--since", "2023-01-01", "changes")  # QA s15: say where its own goes
    assert r.returncode == 2 and "`briefing changes --since` is its own" in r.stderr, r.stderr
    r = run_cli("changes", "--data", str(tmp_path), "-f", "country:Iraq", "--until", "2023-02")
    assert r.returncode == 0 and "is a filter" not in r.stderr, r.stderr


def test_an_interrupted_export_to_a_file_says_nothing_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA s18 (resilience): ctrl-c during `export -o FILE` took the bar away and exited 130 without
    a word; a full disk says "nothing was written", and so does an interrupt now (the file is
    written whole or not at all)."""
    from briefing import cli
    from briefing.export import csv as csv_export

    def interrupted(*_args: object, **_kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(csv_export, "write", interrupted)
    out = tmp_path / "x.csv"
    assert cli.main(["export", "--format", "csv", "-o", str(out)]) == 130
    assert capsys.readouterr().err.strip() == f"briefing: interrupted: {out}: nothing was written"
    assert not out.exists()
