"""`briefing sync acled` at scale (issue 14): a newer export against the stored one.

    .venv/bin/python bench/bench_sync.py [--sizes 100000,1000000] [--changes 0.05]

For each size N: writes two synthetic ACLED exports under bench/out/sync/ (N rows each; the
second with `--changes` of the rows changed: two fifths revised — fatalities, notes, actor2,
timestamp —, one fifth removed, two fifths added, a quarter of those dated late), syncs the
first into a fresh data directory, then times the second sync (the one the target is about).
Every sync runs in a fresh process, which reports its own wall time and peak RSS (VmHWM).

The floor, measured in the same run: a fresh process that reads both exports once with
`csv.reader` and copies the newer one — the least any sync must do.  The ratio is sync/floor.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from briefing.devtools.synth import ACLED_COLUMNS

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "sync"
PY = sys.executable

COLUMNS = ACLED_COLUMNS  # the columns of an ACLED export (briefing.devtools.synth)
COUNTRIES = (
    ("Benin", "BEN", "204"),
    ("Niger", "NER", "562"),
    ("Mali", "MLI", "466"),
    ("Nigeria", "NGA", "566"),
    ("Burkina Faso", "BFA", "854"),
    ("Togo", "TGO", "768"),
)
TYPES = (
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Looting/property destruction"),
)


def _row(i: int, country: int, day: int, late: bool = False) -> list[str]:
    name, iso3, iso = COUNTRIES[country]
    etype, sub = TYPES[i % len(TYPES)]
    y, rest = divmod(day, 365)
    month, dom = divmod(rest % 336, 28)
    date = f"{2015 + y:04d}-{month + 1:02d}-{dom + 1:02d}"
    return [
        f"{iso3}{i}",
        date,
        str(2015 + y),
        str(1 + i % 3 // 2),
        "Political violence",
        etype,
        sub,
        f"Armed group {i % 997}",
        f"Ally {i % 31}" if i % 4 == 0 else "",
        "2",
        f"Militia {i % 211}",
        "",
        "3",
        "23",
        "",
        iso,
        "Western Africa",
        name,
        f"Province {i % 13}",
        f"District {i % 101}",
        "",
        f"Town {i % 5003}",
        f"{10 + (i % 900) / 100:.4f}",
        f"{1 + (i % 700) / 100:.4f}",
        "1",
        f"Paper {i % 389}; Radio {i % 97}",
        "National",
        f"On {date}, event number {i} was reported; details vary by outlet {'and were added late' if late else ''}.",
        str(i % 17),
        "",
        str(1_600_000_000 + i),
    ]


def write_pair(n: int, changes: float, first: Path, second: Path) -> None:
    """Two exports of n rows: the second with `changes` of them revised, removed or added."""
    import csv

    revised_every = int(1 / (changes * 0.4))
    removed_every = int(1 / (changes * 0.2))
    added = int(n * changes * 0.4)
    days = 3650
    with open(first, "w", newline="", encoding="utf-8") as f1, open(second, "w", newline="", encoding="utf-8") as f2:
        w1, w2 = csv.writer(f1, lineterminator="\n"), csv.writer(f2, lineterminator="\n")
        w1.writerow(COLUMNS)
        w2.writerow(COLUMNS)
        for i in range(n):
            row = _row(i, i % len(COUNTRIES), i * days // n)
            w1.writerow(row)
            if i % removed_every == 7:
                continue
            if i % revised_every == 3:
                row = list(row)
                row[28] = str(int(row[28]) + 1 + i % 9)
                row[27] += " Later reports raised the toll."
                row[10] = "JNIM: Group for Support of Islam and Muslims"
                row[30] = str(1_700_000_000 + i)
            w2.writerow(row)
        for k in range(added):
            i = n + k
            late = k % 4 == 0
            w2.writerow(_row(i, i % len(COUNTRIES), (k * 7) % days if late else days - 1 - k % 30, late))


def measured(code: str, **env: str) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of `code` run in a fresh interpreter, as it reports them: the
    larger of its own peak and its largest child's."""
    wrapper = (
        "import time, sys\n"
        "t = time.perf_counter()\n"
        f"{code}\n"
        "dt = time.perf_counter() - t\n"
        "import resource\n"
        "rss = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(dt, max(int(rss), kids) / 1024)\n"
    )
    r = subprocess.run(
        [PY, "-c", wrapper], capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "0", **env}
    )
    if r.returncode != 0:
        raise SystemExit(f"failed: {r.stderr}")
    secs, rss = r.stdout.split()[-2:]
    return float(secs), float(rss)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="100000", help="comma-separated row counts (default: 100000)")
    p.add_argument("--changes", type=float, default=0.05, help="share of rows changed (default: 0.05)")
    args = p.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        first, second = OUT / f"first-{n}.csv", OUT / f"second-{n}.csv"
        t = time.perf_counter()
        write_pair(n, args.changes, first, second)
        print(
            f"{n:,} rows: exports written in {time.perf_counter() - t:.1f} s "
            f"({first.stat().st_size / 2**20:.0f} + {second.stat().st_size / 2**20:.0f} MiB)"
        )
        data = OUT / f"data-{n}"
        subprocess.run(["rm", "-rf", str(data)], check=True)
        data.mkdir()
        sync = "from briefing.acled_sync import sync; s = sync({d!r}, {f!r}); print(s.added, s.revised, s.removed, file=sys.stderr)"
        t1, rss1 = measured(sync.format(d=str(data), f=str(first)))
        floor_code = (
            "import csv, shutil\n"
            f"for path in ({str(first)!r}, {str(second)!r}):\n"
            "    with open(path, newline='', encoding='utf-8') as fh:\n"
            "        for _ in csv.reader(fh): pass\n"
            f"shutil.copyfile({str(second)!r}, {str(OUT / 'floor-copy.csv')!r})\n"
        )
        floor, floor_rss = measured(floor_code)
        t2, rss2 = measured(sync.format(d=str(data), f=str(second)))
        t3, rss3 = measured(sync.format(d=str(data), f=str(second)))
        with open(data / "acled" / "ledger.jsonl", encoding="utf-8") as fh:
            lines = sum(1 for _ in fh) - n
        print(f"  first sync (every row added)       {t1:7.2f} s   peak RSS {rss1:6.0f} MiB")
        print(
            f"  second sync ({args.changes:.0%} changed, {lines:,} entries)"
            f" {t2:7.2f} s   peak RSS {rss2:6.0f} MiB   floor {floor:.2f} s ({floor_rss:.0f} MiB): {t2 / floor:.1f}x"
        )
        print(f"  the same sync again (no changes)   {t3:7.2f} s   peak RSS {rss3:6.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
