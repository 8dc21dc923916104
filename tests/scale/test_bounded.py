"""A big ACLED export goes into the store a batch of rows at a time: the memory a first
import needs does not grow with the file (issue 10, item 5: "bounded memory whatever the file
size").  Before, the file was read whole and every row held as a record until the view was
written: 5.1 GB, then 7.2 GB, for a million rows.  The 1M-row figures are in bench/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefing.devtools import synth

PEAK = """
import resource, sys
from briefing import stored
stored.VIEW_MIN = 1000  # both sizes take the same way: into the store's view
ds = stored.load(sys.argv[1])
print(len(ds.events), type(ds).__name__, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _first_import(root: Path, cache: Path) -> tuple[int, str, int]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", PEAK, str(root)], env=env, capture_output=True, text=True, check=True, timeout=600
    ).stdout.split()
    return int(out[0]), out[1], int(out[2]) * 1024  # ru_maxrss: KiB on Linux


def test_a_first_import_does_not_hold_the_export(tmp_path: Path) -> None:
    sizes = {}
    peaks = {}
    for n in (10_000, 40_000):
        root = tmp_path / f"d{n}"
        synth.write_acled(synth.World(n, seed=4, actors=300), root / "acled.csv", "mixed")
        sizes[n] = (root / "acled.csv").stat().st_size
        events, kind, peaks[n] = _first_import(root, tmp_path / f"cache{n}")
        assert (events, kind) == (n, "StoredDataset")
    # 30,000 more rows (~20 MB of CSV, ~200 MB as records in memory) add next to nothing
    grown, added = peaks[40_000] - peaks[10_000], sizes[40_000] - sizes[10_000]
    assert grown < added / 4, (grown, added)
