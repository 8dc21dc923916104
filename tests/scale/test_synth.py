"""The synthetic generator: deterministic, realistic enough, and valid in both formats."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefing.compare import compare
from briefing.devtools import synth
from briefing.loader import load_dataset


def test_same_seed_same_bytes_and_both_formats_load(tmp_path: Path) -> None:
    for n in (1, 2):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "briefing.devtools.synth",
                "--events",
                "400",
                "--seed",
                "3",
                "--format",
                "toml",
                str(tmp_path / f"t{n}"),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "BRIEFING_NO_CACHE": "1"},
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
    first = {p.name: p.read_bytes() for p in (tmp_path / "t1").iterdir()}
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "t2").iterdir()}
    ds = load_dataset(tmp_path / "t1")
    assert len(ds.events) == 400 and not ds.problems
    synth.write_acled(synth.World(400, seed=3), tmp_path / "csv" / "acled.csv", "mixed")
    acled = load_dataset(tmp_path / "csv")
    assert len(acled.events) == 400 and not acled.problems
    # the same events in both formats
    assert sorted(e.date for e in ds.events) == sorted(e.date for e in acled.events)
    assert sorted(e.country for e in ds.events) == sorted(e.country for e in acled.events)


def test_records_look_like_the_real_thing() -> None:
    ds = synth.dataset(600, seed=4)
    names = " ".join(n for a in ds.actors for n in (a.name, *a.aliases))
    assert any("\u0600" <= ch <= "\u06ff" for ch in names)  # Arabic / Persian
    assert any("\u0400" <= ch <= "\u04ff" for ch in names)  # Cyrillic
    assert len(ds.actors) >= 60 and sum(bool(a.aliases) for a in ds.actors) > len(ds.actors) // 2
    assert all(2 <= len(e.figures) <= 3 for e in ds.events)
    assert all(len({f.claimed_by for f in e.figures}) == len(e.figures) for e in ds.events)
    disputed = sum(any(c.disputed for c in compare(e.figures)) for e in ds.events)
    assert disputed > len(ds.events) // 2
    assert {e.date_precision for e in ds.events} == {"day", "month", "year"}
    assert len({e.date[:4] for e in ds.events}) == 10
    assert {s.reliability for s in ds.sources} == set("ABCDEF")
