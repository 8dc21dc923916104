"""An export of a big view streams its events from the store: the memory it needs does not
grow with the number of events exported (issue 10: "Queries, not lists in memory").  The
export's context used to copy the selection into a list, so `briefing export` of a million
events held every one of them (the view's reader keeps at most `StoredEvents.KEEP`); then the
JSON document held every event's record (3.6 GB at 1M) and the STIX bundle every object, until
the report at the end was written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefing.devtools import synth

IMPORT = """
import sys
from briefing import stored
stored.VIEW_MIN = 1000
print(len(stored.load(sys.argv[1]).events))
"""

EXPORT = """
import sys, tracemalloc
from briefing import cli, view
view.StoredEvents.KEEP = 500  # the reader's cache, small beside the exports measured
tracemalloc.start()
assert cli.main(["export", "--data", sys.argv[1], "--format", sys.argv[2], "-o", sys.argv[3]]) == 0
print(tracemalloc.get_traced_memory()[1])
"""


def _run(code: str, *args: str, cache: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True, timeout=600
    ).stdout


FORMATS = ("jsonl", "csv", "json", "stix")


def test_an_export_of_a_view_does_not_hold_its_events(tmp_path: Path) -> None:
    peaks: dict[tuple[str, int], int] = {}
    sizes = (6_000, 24_000)  # both past the 5,000 events decoded at a time
    for n in sizes:
        root, cache = tmp_path / f"d{n}", tmp_path / f"cache{n}"
        synth.write_acled(synth.World(n, seed=4, actors=100), root / "acled.csv", "mixed")
        assert int(_run(IMPORT, str(root), cache=cache)) == n
        for fmt in FORMATS:
            out = tmp_path / f"out{n}.{fmt}"
            peaks[fmt, n] = int(_run(EXPORT, str(root), fmt, str(out), cache=cache))  # the Python heap's peak
            assert out.stat().st_size > n * 100  # every event written
    for fmt in FORMATS:
        grown = peaks[fmt, sizes[1]] - peaks[fmt, sizes[0]]
        # 18,000 more events (~45 MB as records) add next to nothing; a STIX bundle's report
        # lists every object's id, so those ids (~5 an event) are held, and nothing else
        assert grown < 18_000 * (1_200 if fmt == "stix" else 300), (fmt, grown, peaks)
