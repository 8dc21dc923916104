"""Test helpers shared by the core tests: TOML snippets, a data-tree writer, a CLI runner.

A module of its own (not conftest.py) so that `from testkit import ...` cannot pick up
another folder's conftest.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # tests/support/ -> the repository
BUNDLED = REPO / "data"

MINIMAL_SOURCES = """
[[source]]
id = "wire"
name = "A wire service"
kind = "wire"
reliability = "B"

[[source]]
id = "claims"
name = "Group channel"
kind = "militant-claim"
reliability = "E"
"""

MINIMAL_ACTORS = """
[[actor]]
id = "group"
name = "The Group"
kind = "armed-group"
aliases = ["TG", "Grp"]

[[actor]]
id = "ministry"
name = "Interior Ministry"
kind = "state-agency"
parent = "government"

[[actor]]
id = "government"
name = "The Government"
kind = "government"
"""

MINIMAL_EVENT = """
[[event]]
id = "e1"
title = "Attack on a border post"
date = "2019-11-06"
country = "Tajikistan"
type = "battles"
sub_type = "armed-clash"
tags = ["border"]
sources = ["wire"]

[[event.actors]]
actor = "group"
role = "perpetrator"

[[event.figures]]
metric = "killed"
subject = "security-forces"
value = 2
claimed_by = "ministry"
source = "wire"

[[event.figures]]
metric = "killed"
subject = "security-forces"
value = 10
qualifier = "at-least"
claimed_by = "group"
source = "wire"
via = "claims"
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60):
    """Run `python -m briefing ARGS` in a subprocess, as a user would, with no cache."""
    full_env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATA"}
    full_env.update({"BRIEFING_NO_CACHE": "1", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )


def run_on_a_terminal(cmd: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run cmd with its stderr on a pseudo-terminal (what a user's terminal is; stdout piped):
    (the finished process, every byte written to that terminal)."""
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.run(cmd, stderr=slave, stdout=subprocess.PIPE, env=env, timeout=300)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    return proc, seen


@contextmanager
def sqlite_steps(conn: sqlite3.Connection, every: int = 100) -> Iterator[list[int]]:
    """SQLite's virtual-machine steps on conn while the block runs, in units of `every`
    ([0] of the list yielded, read after the block): what a statement reads, counted the same
    on any machine, where a timing would not be."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(tick, every)
    try:
        yield steps
    finally:
        conn.set_progress_handler(None, 0)
