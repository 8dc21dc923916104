"""Trends (`briefing.analysis`) at 10k and 100k synthetic events, against a floor measured in the
same run: one Python pass over the same events reading one field of each.

    .venv/bin/python bench/bench_trends.py [--runs 5] [--sizes 10000,100000]

Per size, medians of `--runs` runs (in ms, and as a ratio to the floor):

* `floor`: `sum(1 for e in events if e.date >= since)`, one pass, nothing else;
* `analyse 6 months`: timeline by week, change, totals for the last 6 months of data, the
  baseline counted over every event (what `t` and the brief do with `since:`/`until:`);
* `analyse all`: the same over the whole span, by month;
* `table BY`: one frequency table (country, admin1, actor, type, source) from a done analysis;
* `for_query`: the whole path of the brief and the TUI for `country:X since:... until:...`:
  the filter without its dates, the analysis, then the country and actor tables.

The events come from `briefing.devtools.synth.dataset` (in memory, seed 1: 2-3 conflicting
figures per event, so every event pays for a headline comparison of its claims).  The issue's
1M-events / 200 ms target needs the SQLite store (another branch); this measures the
in-memory path only.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from briefing import analysis as A
from briefing.devtools.synth import dataset
from briefing.filters import parse


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="10000,100000")
    args = ap.parse_args()
    print(f"{'events':>8}  {'measure':<22} {'ms':>9}  {'x floor':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        ds = dataset(n)
        events = ds.events
        # the records live as long as the process: out of the collector's way, as in the CLI
        # (which runs with gc disabled) and the TUI (which freezes what it loaded)
        gc.collect()
        gc.freeze()
        last = max(A.parse_high(e.date) for e in events)
        six = A.Period(A.add_months(A.parse_low(last.isoformat()[:7]), -5), last)
        whole = A.period_for(None, None, events)
        since = six.start.isoformat()
        floor = median_ms(lambda: sum(1 for e in events if e.date >= since), args.runs)
        rows = [("floor", floor)]
        rows.append(
            (
                "analyse 6 months",
                median_ms(
                    lambda: A.analyse(events, six, actor_name=ds.actor_name, source_name=ds.source_name), args.runs
                ),
            )
        )
        rows.append(("analyse all", median_ms(lambda: A.analyse(events, whole), args.runs)))
        for by in A.BY:

            def table(by=by):
                trends._tables.clear()
                trends.table(by)

            trends = A.analyse(events, six, actor_name=ds.actor_name, source_name=ds.source_name)
            rows.append((f"table {by}", median_ms(table, args.runs)))
        country = events[0].country
        query = parse(f"country:{country} since:{six.start.isoformat()} until:{six.end.isoformat()}")

        def whole_path():
            t = A.for_query(ds, query, query.apply(ds))
            t.table("country")
            t.table("actor")

        rows.append(("for_query (filter+all)", median_ms(whole_path, args.runs)))
        for name, ms in rows:
            print(f"{n:>8,}  {name:<22} {ms:>9.1f}  {ms / floor:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
