"""The synthetic generator: deterministic, realistic enough, and valid in both formats."""

from __future__ import annotations

import os
import re
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
    # the same events in both formats (event n is the row `<ISO3><n+1>`), dated by ACLED's
    # codebook: 1 the day, 2 the coded day with a note that only the week is known, 3 the month;
    # ACLED has no year precision, so a year-dated event's row says 3, its coarsest
    curated = {int(e.id.removeprefix("syn-")): e for e in ds.events}
    rows = {int(re.sub(r"^acled:[A-Z]+", "", e.id)) - 1: e for e in acled.events}
    assert sorted(curated) == sorted(rows)
    for n, t in curated.items():
        a = rows[n]
        assert a.country == t.country
        if t.date_precision == "year":
            assert a.date_precision == "month" and a.date[:4] == t.date, (t, a)
        else:
            assert a.date == t.date, (t, a)
        week = t.date_precision == "day" and "week" in (t.date_note or "")
        assert ("only the week is known" in (a.date_note or "")) == week, (t, a)
    assert {e.date_precision for e in acled.events} == {"day", "month"}
    assert any("only the week is known" in (e.date_note or "") for e in acled.events)
    written = {row["time_precision"] for row in synth.acled_rows(synth.World(400, seed=3))}
    assert written == {1, 2, 3}


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
    assert {e.date_precision for e in ds.events} == {"day", "month", "year"}  # curated TOML keeps year dates
    # ACLED's precision 2: the coded day, with a note that only the week is known
    assert any(e.date_precision == "day" and "week" in (e.date_note or "") for e in ds.events)
    assert len({e.date[:4] for e in ds.events}) == 10
    assert {s.reliability for s in ds.sources} == set("ABCDEF")
