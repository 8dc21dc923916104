"""Helpers shared by the scale tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "scale" / "fixtures"
SAMPLE_CSV = FIXTURES / "acled_sample.csv"

CURATED = """
[[source]]
id = "wire"
name = "A wire service"
kind = "wire"
reliability = "B"

[[actor]]
id = "is-tajikistan"
name = "Islamic State Tajikistan affiliate"
kind = "armed-group"
aliases = ["Islamic State (Tajikistan)", "IS Tajikistan"]

[[actor]]
id = "ministry"
name = "Interior Ministry of Tajikistan"
kind = "state-agency"

[[event]]
id = "border-post-2019"
title = "Attack on a border post at Ishkobod"
date = "2019-11-06"
country = "Tajikistan"
type = "battles"
sub_type = "armed-clash"
sources = ["wire"]
related = ["acled:TJK1001"]

[[event.actors]]
actor = "is-tajikistan"
role = "perpetrator"

[[event.figures]]
metric = "killed"
subject = "total"
value = 20
claimed_by = "ministry"
source = "wire"
"""

# The same without the link to the ACLED row, for a directory with no CSV in it.
CURATED_ONLY = CURATED.replace('related = ["acled:TJK1001"]\n', "")


def copy_sample(dest: Path, name: str = "acled_sample.csv") -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / name
    shutil.copyfile(SAMPLE_CSV, target)
    return target


def age(path: Path, seconds: float = 10.0) -> None:
    """Move a file's mtime into the past, as if it had been written a while ago."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def age_tree(root: Path, seconds: float = 10.0) -> None:
    for p in root.rglob("*"):
        if p.is_file():
            age(p, seconds)


def modules_after(code: str, env: dict[str, str]) -> set[str]:
    """The modules a fresh interpreter has imported after running code."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)), file=sys.stderr)"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    import json

    return set(json.loads(out.stderr.strip().splitlines()[-1]))
