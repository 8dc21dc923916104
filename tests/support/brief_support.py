"""Shared helpers for the brief and export tests: a small hostile fixture dataset and a
subprocess runner that calls the venv's python directly (not `uv run`).

Subprocesses get a shared bytecode cache (PYTHONPYCACHEPREFIX) so that each run does not
recompile every module: this environment sets PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]  # tests/support/ -> the repository
BUNDLED = REPO / "data"
PYCACHE = Path(tempfile.gettempdir()) / "briefing-test-pycache"

# The title every view must print literally: Rich markup, Textual actions, an ESC sequence,
# HTML, a table pipe and a newline.
HOSTILE_TITLE = (
    "[bold]x[/bold] [link=http://x]y[/link] [@click=app.quit]z [/ [0] \x1b[31mred <b>bold</b> & a|b\nline two"
)

FIXTURE = r"""
[[source]]
id = "wire"
name = "Wire Agency"
kind = "wire"
reliability = "B"
reliability_note = "A major agency; usually reliable."

[[source]]
id = "channel"
name = "Group channel"
kind = "militant-claim"
reliability = "D"
reliability_note = "The group's own channel; its numbers serve its propaganda."

[[source]]
id = "paper"
name = "Daily Paper"
kind = "news"
reliability = "C"
url = "https://example.org/report"

[[actor]]
id = "grp"
name = "Example Group"
kind = "armed-group"
aliases = ["EG", "The Example"]
summary = "An armed group used in tests."

[[actor.relations]]
actor = "ministry"
kind = "enemy"
note = "Fights the ministry's forces."

[[actor.figures]]
metric = "fighters"
subject = "militants"
value = 300
qualifier = "about"
claimed_by = "ministry"
source = "wire"

[[actor.figures]]
metric = "fighters"
subject = "militants"
low = 1000
high = 2000
claimed_by = "reporter"
source = "paper"

[[actor]]
id = "branch"
name = "Example Branch"
kind = "armed-group"
parent = "grp"
country = "Tajikistan"

[[actor]]
id = "ministry"
name = "Interior Ministry"
kind = "state-agency"

[[actor]]
id = "authorities"
name = "Tajik authorities"
kind = "government"

[[actor]]
id = "reporter"
name = "A Reporter"
kind = "person"

[[event]]
id = "2019-11-06-post"
title = "Attack on a border post"
date = "2019-11-06"
country = "Tajikistan"
location = "A border post"
type = "battles"
sub_type = "armed-clash"
tags = ["border"]
summary = "Gunmen attacked a border post."
sources = ["wire", "channel"]
related = ["2020-05-riot"]

[[event.actors]]
actor = "branch"
role = "perpetrator"

[[event.actors]]
actor = "grp"
role = "claimant"

[[event.actors]]
actor = "ministry"
role = "responder"

[[event.figures]]
metric = "killed"
subject = "total"
value = 17
claimed_by = "authorities"
source = "wire"
credibility = 2

[[event.figures]]
metric = "killed"
subject = "security-forces"
value = 2
claimed_by = "ministry"
source = "wire"
credibility = 2

[[event.figures]]
metric = "killed"
subject = "security-forces"
value = 10
qualifier = "at-least"
claimed_by = "grp"
source = "wire"
via = "channel"
credibility = 4
wording = "at least 10 guards"

[[event]]
id = "2020-05-riot"
title = "Prison riot"
date = "2020-05"
country = "Tajikistan"
type = "riots"
tags = ["prison"]
sources = ["paper"]

[[event.actors]]
actor = "grp"
role = "perpetrator"

[[event.figures]]
metric = "killed"
subject = "total"
value = 20
qualifier = "more-than"
claimed_by = "grp"
source = "paper"

[[event.figures]]
metric = "killed"
subject = "total"
value = 32
claimed_by = "ministry"
source = "paper"

[[event]]
id = "2021-03-01-hostile"
title = "TITLE"
date = "2021-03-01"
country = "Uzbekistan"
location = "=HYPERLINK(\"http://evil.example\",\"click\")"
admin1 = "-2+3"
type = "strategic-developments"
summary = "<script>alert(1)</script> & a | pipe\nsecond line"
sources = ["paper"]

[[event.actors]]
actor = "reporter"
role = "mentioned"

[[event]]
id = "2022-mali"
title = "Clash near Bamako"
date = "2022"
country = "Mali"
lat = 12.6
lon = -8.0
type = "battles"
sources = ["paper"]

[[event.figures]]
metric = "killed"
subject = "total"
low = 3
high = 5
claimed_by = "reporter"
source = "paper"
"""


def toml_string(s: str) -> str:
    """A TOML basic string for any text (control characters as \\u escapes)."""
    out = []
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def write_fixture(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "records.toml").write_text(FIXTURE.replace('"TITLE"', toml_string(HOSTILE_TITLE)), "utf-8")
    return root


FIXTURE_IDS = {"2019-11-06-post", "2020-05-riot", "2021-03-01-hostile", "2022-mali"}


def env(**extra: str | None) -> dict[str, str]:
    e = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "NO_COLOR",
            "FORCE_COLOR",
            "PYTHONDONTWRITEBYTECODE",
            "COLUMNS",
            "LINES",
            "BRIEFING_DATA",
            "TTY_COMPATIBLE",
            "TTY_INTERACTIVE",
        )
    }
    e["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    e["XDG_CONFIG_HOME"] = str(PYCACHE / "no-config")  # no user config or themes
    e["XDG_CACHE_HOME"] = str(PYCACHE / "cache")
    e["SOURCE_DATE_EPOCH"] = "1700000000"
    for k, v in extra.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e


def run(
    *args: str, env_extra: dict[str, str | None] | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """`python -m briefing ARGS` with the venv's python, output captured (so: piped)."""
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        env=env(**(env_extra or {})),
        cwd=REPO,
        input=input,
        timeout=timeout,
    )


def bundled_has(event_id: str) -> bool:
    return (
        any(event_id in p.read_text("utf-8", "replace") for p in BUNDLED.rglob("*.toml")) if BUNDLED.is_dir() else False
    )


needs_border_post = pytest.mark.skipif(
    not bundled_has("2019-11-06-border-post"), reason="bundled data has no 2019-11-06-border-post event yet"
)


def test_fixture_loads(tmp_path):
    root = write_fixture(tmp_path / "data")
    r = run("validate", "--data", str(root))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: 4 events")
