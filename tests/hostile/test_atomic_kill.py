"""Atomic, no-clobber exports under a real SIGKILL: a child `briefing export` writing a large
file is killed mid-write; the old file is byte-identical and no temporary file is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EVENTS = 20_000  # about 40 MB of JSONL: seconds of writing to catch


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("big") / "data"
    subprocess.run(
        [sys.executable, "-m", "briefing.devtools.synth", "--events", str(EVENTS), "--format", "toml", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def writing_file(pid: int, directory: Path) -> tuple[str, int] | None:
    """(link, size) of a file the process holds open for writing in directory, if any."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
            size = os.stat(f"/proc/{pid}/fd/{fd}").st_size
        except OSError:
            continue
        if link.startswith(str(directory) + "/"):
            return link, size
    return None


def kill_mid_write(big_data: Path, out_dir: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATA"}
    env["BRIEFING_NO_CACHE"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "export", "--data", str(big_data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        seen = None
        while time.monotonic() < deadline and proc.poll() is None:
            seen = writing_file(proc.pid, out_dir)
            if seen and seen[1] > 1_000_000:  # well into the write: a megabyte is down
                break
            time.sleep(0.005)
        assert proc.poll() is None, f"the export finished before it could be killed: {proc.stderr.read()!r}"
        assert seen and seen[1] > 1_000_000, "never saw the export writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sigkill_mid_write_keeps_the_old_file_and_leaves_no_temp(big_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    old = b'{"old": "export", "bytes": "\\u00e9\xc3\xa9"}\n' * 1000
    target.write_bytes(old)
    kill_mid_write(big_data, tmp_path, "--format", "jsonl", "--force", "-o", str(target))
    assert target.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl"]


def test_sigkill_mid_write_of_a_new_file_leaves_nothing(big_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "new.csv"
    kill_mid_write(big_data, tmp_path, "--format", "csv", "--table", "figures", "-o", str(target))
    assert list(tmp_path.iterdir()) == []


def test_unnamed_temp_file_gets_the_usual_mode_and_falls_back_when_proc_cannot_link(
    tmp_path: Path, monkeypatch
) -> None:
    import errno

    from briefing.export import atomic

    target = tmp_path / "a.csv"
    atomic.write_atomic(target, lambda f: f.write("x,y\r\n"))
    assert target.read_bytes() == b"x,y\r\n"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    os.chmod(target, 0o640)
    atomic.write_atomic(target, lambda f: f.write("new\n"), force=True)
    assert target.read_bytes() == b"new\n" and target.stat().st_mode & 0o777 == 0o640

    real_link = os.link

    def no_proc_link(src, dst, **kw):
        if str(src).startswith("/proc/"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_link(src, dst, **kw)

    monkeypatch.setattr(os, "link", no_proc_link)
    atomic.write_atomic(tmp_path / "b.csv", lambda f: f.write("é,1\r\n"))
    atomic.write_atomic(target, lambda f: f.write("forced\r\n"), force=True)
    assert (tmp_path / "b.csv").read_bytes() == "é,1\r\n".encode()
    assert target.read_bytes() == b"forced\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
