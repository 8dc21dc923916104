"""Where `-o` writes, and what happens when writing fails: what a user (or an attacker) met.

Issue 12, items 13 (FIFOs, devices, symlinks, long names), 14 (the importer's comment),
18 (full disk, closed stdout, non-UTF-8 stdout, `--help > /dev/full`) and 19 (the path in
"wrote ... to PATH").
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from testkit import REPO, run_cli

FIXTURE = REPO / "tests" / "tui" / "fixture_data"
ACLED_SAMPLE = REPO / "tests" / "scale" / "fixtures" / "acled_sample.csv"


def _export(*args: str, **kw):
    return run_cli("export", "--data", str(FIXTURE), *args, **kw)


# -- 13: what is at the path decides how it is written ---------------------------------------


def test_output_into_a_fifo_streams_into_it_and_leaves_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = _export("--format", "jsonl", "-o", str(fifo))
    reader.join(timeout=60)
    assert r.returncode == 0, r.stderr
    assert got, "nothing was written into the FIFO"
    assert got[0].decode() == _export("--format", "jsonl").stdout
    assert all(json.loads(line)["id"] for line in got[0].decode().splitlines())
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, with or without --force
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_output_into_a_fifo_with_force_still_streams(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = _export("--format", "csv", "-o", str(fifo), "--force")
    reader.join(timeout=60)
    assert r.returncode == 0, r.stderr
    assert got, "nothing was written into the FIFO"
    assert got[0].startswith(b"id,")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")
def test_output_onto_a_device_node_streams_and_never_replaces_it(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    r = _export("-o", str(null), "--force")
    assert r.returncode == 0, r.stderr
    st = os.lstat(null)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_dev_null_is_written_to() -> None:
    """Without --force, as a user would (`-o /dev/null` to time an export).  The --force case
    is the device-node test above, on a node of the test's own: a test must never risk
    replacing the machine's /dev/null (which the old code did)."""
    before = os.lstat("/dev/null")
    r = _export("-o", "/dev/null")
    assert r.returncode == 0, r.stderr
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_output_to_dev_stdout_goes_to_stdout() -> None:
    r = _export("--format", "json", "-o", "/dev/stdout")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["events"]


@pytest.mark.parametrize("cmd", ["export", "import"])
def test_an_empty_output_name_is_refused_not_printed(cmd: str) -> None:
    """QA (qa-regress3): `export -o ''` (a script's `-o "$OUT"` with OUT unset) printed to the
    terminal with exit 0, as if the file had been written."""
    if cmd == "export":
        r = _export("--format", "json", "-o", "")
    else:
        r = run_cli("import", "acled", str(ACLED_SAMPLE), "--data", str(FIXTURE), "-o", "")
    assert r.returncode == 2
    assert r.stdout == ""
    assert (
        r.stderr.strip()
        == "briefing: --output: no file name (it is empty or blank); give a file, or - for standard output"
    )


def test_output_to_a_shell_process_substitution() -> None:
    """`-o >(gzip)`: the shell passes /dev/fd/N, a pipe to the process."""
    script = f'{sys.executable} -m briefing export --data "{FIXTURE}" --format jsonl -o >(wc -l > "$OUT") ; wait'
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"briefing-test-{os.getpid()}-wc"
    try:
        r = subprocess.run(
            ["bash", "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "OUT": str(out), "BRIEFING_NO_CACHE": "1"},
        )
        assert r.returncode == 0, r.stderr
        for _ in range(100):
            if out.exists() and out.read_text().strip():
                break
            import time

            time.sleep(0.05)
        assert int(out.read_text()) == len(_export("--format", "jsonl").stdout.splitlines())
    finally:
        out.unlink(missing_ok=True)


def test_symlink_to_a_descriptor_is_streamed_not_replaced(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to("/proc/self/fd/1")
    r = _export("-o", str(link), "--force")
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert json.loads(r.stdout)["events"]


def test_symlink_is_followed_and_its_target_replaced_atomically(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "export.json"
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    r = _export("-o", str(link))
    assert r.returncode == 2 and "already exists" in r.stderr
    assert target.read_text() == "old"
    r = _export("-o", str(link), "--force")
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["events"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json", "real"]
    assert [p.name for p in real_dir.iterdir()] == ["export.json"]


def test_a_dangling_symlink_is_said_to_lead_nowhere_not_to_exist(tmp_path: Path) -> None:
    """QA s12: `-o dl.csv` where `dl.csv -> nothere.csv` was refused as "dl.csv already exists",
    of a name that leads to no file; with --force the file the link names is written."""
    link = tmp_path / "dl.csv"
    link.symlink_to("nothere.csv")
    r = _export("--format", "csv", "-o", str(link))
    assert r.returncode == 2 and "already exists" not in r.stderr, r.stderr
    assert (
        f"{link} is a link to {tmp_path / 'nothere.csv'}, which does not exist; pass --force to write there" in r.stderr
    )
    assert not (tmp_path / "nothere.csv").exists()
    r = _export("--format", "csv", "-o", str(link), "--force")
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and (tmp_path / "nothere.csv").read_text().startswith("id,")


def test_a_dangling_symlink_into_a_missing_folder_names_the_folder_not_force(tmp_path: Path) -> None:
    """QA s15: `-o dl` where `dl -> nodir/target.json` advised `--force`, which then failed with
    "no such directory": the missing folder is said first."""
    link = tmp_path / "dl"
    link.symlink_to("nodir/target.json")
    r = _export("--format", "json", "-o", str(link))
    assert r.returncode == 2, r.stderr
    assert (
        f"{link} is a link to {tmp_path / 'nodir' / 'target.json'}, whose folder {tmp_path / 'nodir'} does not exist"
        in (r.stderr)
    )
    assert "--force" not in r.stderr


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(path))
        r = _export("-o", str(path), "--force")
        assert r.returncode == 2
        assert "not a regular file" in r.stderr and "Traceback" not in r.stderr
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        s.close()


def test_longest_file_name_gets_a_temporary_name_that_fits(tmp_path: Path) -> None:
    name = "é" * 124 + "xx.json"  # the longest name a Linux filesystem takes
    assert len(name.encode()) == 255
    target = tmp_path / name
    r = _export("-o", str(target))
    assert r.returncode == 0, r.stderr
    target.write_text("old")
    r = _export("-o", str(target), "--force")
    assert r.returncode == 0, r.stderr
    assert json.loads(target.read_text())["events"]
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_longest_file_name_on_the_fallback_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no O_TMPFILE, the `.NAME.XXXX.tmp` name must fit in 255 bytes too."""
    from briefing.export import atomic

    monkeypatch.setattr(atomic, "_unnamed_file", lambda directory: None)
    target = tmp_path / ("a" * 255)
    atomic.write_atomic(target, lambda f: f.write("new"))
    atomic.write_atomic(target, lambda f: f.write("newer"), force=True)
    assert target.read_text() == "newer"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# -- 14: the importer escapes the CSV's file name in its comment ----------------------------


def test_import_file_name_with_newline_cannot_inject_a_record(tmp_path: Path) -> None:
    from briefing.loader import load_dataset

    name = 'x.csv\n[[source]]\nid = "evil"\nname = "Injected"\nkind = "wire"\nreliability = "A"\n#'
    src = tmp_path / name
    src.write_bytes(ACLED_SAMPLE.read_bytes())
    data = tmp_path / "data"
    data.mkdir()
    r = run_cli("import", "acled", str(src), "-o", str(data / "acled.toml"), env={"BRIEFING_DATA": str(data)})
    assert "wrote" in r.stderr, r.stderr
    text = (data / "acled.toml").read_text()
    assert text.splitlines()[0].startswith("# ") and "\\n[[source]]" in text.splitlines()[0]
    ds = load_dataset(data, skip_invalid=True)
    assert "evil" not in ds.sources


# -- 18: full disk, closed stdout, other encodings -------------------------------------------


def _run_shell(cmd: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", cmd],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "BRIEFING_NO_CACHE": "1", **env},
    )


PY = f"{sys.executable} -m briefing"


@pytest.mark.parametrize("args", ["export", "export --format csv", "brief", "schema"])
def test_full_disk_on_stdout_is_one_line_not_an_internal_error(args: str) -> None:
    r = _run_shell(f'{PY} {args} --data "{FIXTURE}" > /dev/full' if args != "schema" else f"{PY} schema > /dev/full")
    # QA: brief said 1 and export 2; a write the system refused is 1 for every command (2 is bad input)
    assert r.returncode == 1, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    # QA: brief said `No space left on device`, export `standard output: cannot write: …`
    assert r.stderr.strip() == "briefing: standard output: cannot write: No space left on device", r.stderr


def test_help_to_a_full_disk_fails_loudly() -> None:
    r = _run_shell(f"{PY} --help > /dev/full")
    assert r.returncode != 0
    assert r.stderr.strip() == "briefing: standard output: cannot write: No space left on device"


@pytest.mark.parametrize("args", ["export", "brief", "validate"])
def test_closed_stdout_is_one_line(args: str) -> None:
    r = _run_shell(f'{PY} {args} --data "{FIXTURE}" >&-')
    assert r.returncode != 0
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert "standard output" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_non_utf8_stdout_still_gets_a_whole_utf8_document(encoding: str) -> None:
    """The bundled data has typographic quotes and accented names, which ASCII cannot encode."""
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATA"}
    r = subprocess.run(
        [sys.executable, "-m", "briefing", "export"],
        capture_output=True,
        timeout=60,
        env={**env, "PYTHONIOENCODING": encoding, "BRIEFING_NO_CACHE": "1"},
    )
    assert r.returncode == 0, r.stderr
    text = r.stdout.decode("utf-8")
    assert json.loads(text)["events"]
    assert any(ord(c) > 255 for c in text)
    assert json.loads(text)["events"] == json.loads(run_cli("export").stdout)["events"]


def test_full_disk_for_an_output_file_is_one_line(tmp_path: Path) -> None:
    """A FIFO-like stream that fails (here /dev/full as -o) says why, in one line."""
    r = _export("-o", "/dev/full")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ["briefing: /dev/full: cannot write: No space left on device"]


# -- 19: the path in the success message passes the display boundary ------------------------


def test_wrote_message_escapes_the_path(tmp_path: Path) -> None:
    target = tmp_path / "a\x1b]0;pwned\x07b.json"
    r = _export("-o", str(target))
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert "a\\x1b]0;pwned\\x07b.json" in r.stderr
    assert target.exists()


@pytest.mark.parametrize("target", ["", "-o /dev/stdout", "-o FIFO"])
def test_a_reader_that_leaves_early_is_not_an_error_wherever_it_reads(tmp_path: Path, target: str) -> None:
    """QA (outputs round 2): `export | head` exited 0, silent, but `export -o /dev/stdout | head`
    said "cannot write: Broken pipe" and exited 1 (a `pipefail` script failed).  A reader
    that closes early is no failed write, whatever path names its pipe."""
    synth = tmp_path / "data"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.devtools.synth",
            "--events",
            "3000",
            "--format",
            "acled",
            str(synth / "a.csv"),
        ],
        check=True,
        capture_output=True,
    )
    if target == "-o FIFO":
        os.mkfifo(tmp_path / "fifo")
        target = f"-o {tmp_path / 'fifo'}"
        reader = f"head -c 10 < {tmp_path / 'fifo'} > /dev/null & "
        pipe = ""
    else:
        reader, pipe = "", " | head -c 10 > /dev/null"
    cmd = f'{reader}{PY} export --format jsonl --data "{synth}" {target}{pipe}; echo "status ${{PIPESTATUS[0]}}"; wait'
    r = _run_shell(cmd)
    assert r.stdout.splitlines()[-1] == "status 0", (r.stdout[-300:], r.stderr)
    assert r.stderr == "", r.stderr


def test_a_name_with_a_newline_is_said_as_the_shell_writes_it(tmp_path: Path) -> None:
    """QA: `-o $'x\\ny.json'` said `wrote … to x y.json`, a file that does not exist (the
    newline folded to a space).  It now says `$'x\\ny.json'`, which pastes back as the name."""
    target = tmp_path / "x\ny.json"
    r = run_cli("export", "--data", str(REPO / "data"), "--format", "json", "-o", str(target))
    assert r.returncode == 0, r.stderr
    assert target.is_file()
    assert r.stderr.rstrip("\n").endswith("\\ny.json'") and "$'" in r.stderr and "\n" not in r.stderr.rstrip("\n")


@pytest.mark.parametrize("command", [("export", "--format", "json"), ("import", "acled", "SAMPLE")])
def test_an_output_spelt_as_a_folder_is_refused_not_made_a_file(tmp_path: Path, command) -> None:
    """QA s12: `-o reports/` wrote a file named `reports` (and with --force replaced a file
    `precious.txt` given as `precious.txt/`): the slash that says "a folder" was dropped."""
    sample = str(Path(__file__).resolve().parent / "scale" / "fixtures" / "acled_sample.csv")
    args = [sample if a == "SAMPLE" else a for a in command]
    precious = tmp_path / "precious.txt"
    precious.write_text("precious\n", encoding="utf-8")
    for target, extra in ((tmp_path / "reports", ()), (precious, ("--force",))):
        for spelt in (f"{target}/", f"{target}/.", f"{target}/.."):  # QA s12: `/.` too
            r = run_cli(*args, "-o", spelt, *extra)
            assert r.returncode == 2 and "names a folder (it ends in /)" in r.stderr, r.stderr
    assert not (tmp_path / "reports").exists() and precious.read_text(encoding="utf-8") == "precious\n"
