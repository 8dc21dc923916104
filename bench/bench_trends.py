"""Trends (`briefing.analysis`) and the brief's sections in Python and in SQL over the SQLite index
(`briefing.trend_queries`), at 100k and 1M synthetic events, against floors measured in the
same run.

    .venv/bin/python bench/bench_trends.py [--runs 5] [--sizes 100000,1000000] [--python-runs 1]

Per size, medians of `--runs` runs (in ms, and as a ratio to the floor of the same kind):

* `py floor`: `sum(1 for e in events if e.date >= since)`, one Python pass over the events;
* `sql floor`: `SELECT sum(a_acled) FROM an_ev`, one SQL pass over the analysis table;
* `analyse ...`: timeline, change and totals (`Trends` built) for the whole span (by month),
  the last 6 months (by week) and one country (the most common) over the whole span;
  Python (`analysis.analyse` over `Query.apply`'s events: `--python-runs`, default 1, as it is
  slow) and SQL (`trend_queries.analyse_index`);
* `table BY`: one frequency table from a done analysis, whole span and one country (SQL: all
  five; Python: country and actor);
* `key events`: the top 50 by significance (SQL, the events read back);
* `gather`: the brief's other sections (`summary.gather`) for the one country: Python pass vs
  `trend_queries.gather_index`;
* `brief`: all of a brief's work after the load for the one country (`gather`, `for_query`, the
  rendering to a string): below the thresholds (Python) vs above (SQL).

Also the index's build time, how much of it its end takes (`IndexWriter.finish`: the indexes and
the sums per country, after every event's rows), and each of those sums (`sqlquery._SUMS`), timed
again afterwards on the same index (each table emptied and filled again, in order).
The events come from `briefing.devtools.synth.dataset` (in memory, seed 1); the index is built
in memory, as `sqlquery.index_for` does today (the store will keep it on disk).
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from briefing import analysis as A, summary as S
from briefing.devtools.synth import dataset
from briefing.filters import parse
from briefing.sqlquery import _SUMS, EventIndex, IndexWriter, index_for
from briefing.summary import gather
from briefing.trend_queries import analyse_index, gather_index, period_of


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def time_sums(index: EventIndex) -> dict[str, float]:
    """Seconds per table of the sums per country (`sqlquery._SUMS`): every table they fill
    emptied, then each statement run again in order, timed (one run: at 1M each takes seconds).
    The cube's temporary table of cells (made, then dropped) is timed as a table of its own."""

    def filled(sql: str) -> str:  # INSERT INTO t / CREATE TEMP TABLE t / DROP TABLE t
        words = sql.split()
        return words[3 if words[0] == "CREATE" else 2].removeprefix("temp.")

    tables = list(dict.fromkeys(sql.split()[2] for sql in _SUMS if sql.startswith("INSERT")))
    out = dict.fromkeys(map(filled, _SUMS), 0.0)
    with index.lock:
        conn = index.conn
        conn.execute("BEGIN")
        for table in reversed(tables):
            conn.execute(f"DELETE FROM {table}")
        for sql in _SUMS:
            t = time.perf_counter()
            conn.execute(sql)
            out[filled(sql)] += time.perf_counter() - t
        conn.execute("COMMIT")
    return out


def measure(n: int, runs: int, py_runs: int) -> None:
    """One size: build, then print its rows."""
    t0 = time.perf_counter()
    ds = dataset(n)
    made = time.perf_counter() - t0
    # the records live as long as the process: out of the collector's way, as in the CLI
    gc.collect()
    gc.freeze()
    spent: list[float] = []
    finish = IndexWriter.finish

    def timed(writer: IndexWriter) -> None:  # the indexes' and the sums' share of the build
        t = time.perf_counter()
        finish(writer)
        spent.append(time.perf_counter() - t)

    IndexWriter.finish = timed  # type: ignore[method-assign]
    t0 = time.perf_counter()
    index = index_for(ds)  # the one the brief's and the TUI's paths ask for
    built = time.perf_counter() - t0
    IndexWriter.finish = finish  # type: ignore[method-assign]
    print(
        f"{n:>9,}  synthetic data {made:.1f} s; index built in {built:.1f} s, "
        f"of which its indexes and sums {sum(spent):.1f} s"
    )
    sums = time_sums(index)
    print(
        f"{n:>9,}  of which the sums per country {sum(sums.values()):.1f} s: "
        + ", ".join(f"{table} {secs:.2f} s" for table, secs in sums.items())
    )
    events = ds.events
    country = Counter(e.country for e in events).most_common(1)[0][0]
    last = max(A.parse_high(e.date) for e in events)
    six = A.Period(A.add_months(A.parse_low(last.isoformat()[:7]), -5), last)
    since = six.start.isoformat()
    py_floor = median_ms(lambda: sum(1 for e in events if e.date >= since), runs)
    sql_floor = median_ms(lambda: index.conn.execute("SELECT sum(a_acled) FROM an_ev").fetchone(), runs)
    rows: list[tuple[str, float, float]] = [("py floor", py_floor, py_floor), ("sql floor", sql_floor, sql_floor)]
    cases = {
        "all": parse(""),
        "6 months": parse(f"since:{six.start.isoformat()} until:{six.end.isoformat()}"),
        "one country": parse(f"country:{country}"),
    }
    done = {}
    for name, q in cases.items():
        base, s, u = A.split_dates(q)
        period = period_of(index, q, s, u)
        assert period is not None
        rows.append(
            (f"analyse {name}, python", median_ms(lambda: A.analyse(base.apply(ds), period), py_runs), py_floor)
        )
        rows.append((f"analyse {name}, sql", median_ms(lambda: analyse_index(index, base, period), runs), sql_floor))
        done[name] = analyse_index(index, base, period)
        if name != "6 months":
            py = A.analyse(base.apply(ds), period)
            for by in ("country", "actor"):

                def py_table(by=by, t=py):
                    t._tables.clear()
                    t.table(by)

                rows.append((f"table {by} ({name}), python", median_ms(py_table, py_runs), py_floor))
    for name in ("all", "one country"):
        t = done[name]
        for by in A.BY:

            def table(by=by, t=t):
                t._tables.clear()
                t.table(by)

            rows.append((f"table {by} ({name}), sql", median_ms(table, runs), sql_floor))
        rows.append((f"key events ({name}), sql", median_ms(lambda t=t: t.key_events(50), runs), sql_floor))
    q = cases["one country"]
    chosen = q.apply(ds)
    rows.append(("gather (one country), python", median_ms(lambda: gather(ds, chosen, str(q)), py_runs), py_floor))
    rows.append(("gather (one country), sql", median_ms(lambda: gather_index(ds, q, chosen, str(q)), runs), sql_floor))

    def whole_brief(big: bool) -> None:
        """The brief's work in one process after the load: the analysis, the sections, the
        rendering (to a string); `big` False: as below the thresholds (the Python passes)."""
        from briefing.render.brief import brief
        from briefing.render.console import make_console

        saved = (A.INDEX_MIN, S.INDEX_MIN)
        if not big:
            A.INDEX_MIN = S.INDEX_MIN = 1 << 62
        try:
            data = gather(ds, chosen, str(q), selection=q)
            trends = A.for_query(ds, q, chosen)
            console = make_console("never", 100)
            console.file = io.StringIO()
            console.print(*brief(ds, data, None, trends))
        finally:
            A.INDEX_MIN, S.INDEX_MIN = saved

    whole_brief(True)  # the rendering's imports, once, outside the timings
    rows.append(("brief (one country), python", median_ms(lambda: whole_brief(False), py_runs), py_floor))
    rows.append(("brief (one country), sql", median_ms(lambda: whole_brief(True), runs), sql_floor))
    for name, ms, floor in rows:
        print(f"{n:>9,}  {name:<34} {ms:>9.1f}  {ms / floor:>8.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python-runs", type=int, default=1)
    ap.add_argument("--sizes", default="100000,1000000")
    args = ap.parse_args()
    runs, py_runs = args.runs, args.python_runs
    print(f"{'events':>9}  {'measure':<34} {'ms':>9}  {'x floor':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        measure(n, runs, py_runs)
        gc.unfreeze()
        gc.collect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
