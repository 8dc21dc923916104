"""Filter keystrokes at scale, in one process: every prefix of a few typed queries asked of the
store's index as the TUI's filter worker asks it (`index_for(ds).matches(query)`, its length,
where the highlighted top event is, and the first screenful of rows), against a floor measured
in the same run: the same for `country:X` (the most common country: an indexed term, no text).

    .venv/bin/python bench/bench_keystrokes.py DIR [--runs 3] [--queries "kunduz clash" "iraq" ...]
    [--cache DIR]

DIR holds an ACLED export; its store is built on the first run (minutes at 1M) under
bench/out/keystrokes/cache unless --cache names another XDG_CACHE_HOME (one that holds DIR's
store already).  Each prefix is asked --runs times after a warm-up round; the median per
prefix is kept, then the median and p95 over all prefixes are printed with the floor's median
and the ratios; then the same for each prefix asked once, in order, as typed (the index's
memory of looked-up words emptied before each query: the TUI asks each prefix once).  What the TUI adds
(the debounce, drawing) is `bench_scale.py`'s "filter keystroke" row.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from timing import OUT, bench_env, p95

REPO = Path(__file__).resolve().parent.parent
PY = REPO / ".venv" / "bin" / "python"
QUERIES = ["kunduz clash", "iraq", "country:mali attack", "al-shabaab"]

PROBE = r"""
import json, statistics, sys, time
from collections import Counter
from briefing.filters import FilterError, parse
from briefing.sqlquery import index_for
from briefing.stored import load

root, queries, runs = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
ds = load(root, skip_invalid=True)
loaded = time.perf_counter() - t
index = index_for(ds)
top = ds.events[0].id
with index.lock:
    country = index.conn.execute("SELECT country FROM ev GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]

def ask(text):
    query = parse(text)
    t = time.perf_counter()
    m = index.matches(query)
    n = len(m)
    m.index_of(top)
    for i in range(min(n, 40)):
        m[i]
    return time.perf_counter() - t, n

texts = []
for q in queries:
    for k in range(1, len(q) + 1):
        try:
            if parse(q[:k]).terms:
                texts.append(q[:k])
        except FilterError:
            pass
floor = f'country:"{country}"'
for text in texts + [floor]:
    ask(text)  # warm-up: the pages the answers read are in the OS's cache
times = {text: [] for text in texts + [floor]}
counts = {}
for _ in range(runs):
    for text in texts + [floor]:
        dt, counts[text] = ask(text)
        times[text].append(dt)
# as typed: each prefix asked once, in order, with the index's memory of the words it has
# looked up emptied before each query (the TUI asks a prefix once, as the user types it)
typed = []
for q in queries:
    index._terms.clear()
    index._trigram_seen.clear()
    typed += [ask(q[:k])[0] for k in range(1, len(q) + 1) if q[:k] in times]
print(json.dumps({"loaded": loaded, "events": len(ds.events), "floor": floor,
                  "passes": [(text, statistics.median(times[text]), counts[text]) for text in texts],
                  "floor_time": statistics.median(times[floor]), "typed": typed}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", help="a data directory holding an ACLED export")
    ap.add_argument("--runs", type=int, default=3, help="times each prefix is asked (median kept)")
    ap.add_argument("--queries", nargs="+", default=QUERIES, help="typed queries (every prefix is a pass)")
    ap.add_argument("--cache", help="XDG_CACHE_HOME holding the store (default: bench/out/keystrokes/cache)")
    args = ap.parse_args()
    work = OUT / "keystrokes"
    (work / "cache").mkdir(parents=True, exist_ok=True, mode=0o700)
    env = bench_env(work)
    if args.cache:
        env["XDG_CACHE_HOME"] = args.cache
    r = subprocess.run(
        [str(PY), "-c", PROBE, args.dir, json.dumps(args.queries), str(args.runs)],
        capture_output=True,
        text=True,
        env=env,
    )
    if r.returncode != 0:
        raise SystemExit(f"probe failed: {r.stderr[-3000:]}")
    got = json.loads(r.stdout.strip().splitlines()[-1])
    floor = got["floor_time"] * 1000
    print(f"{got['events']:,} events; store opened in {got['loaded']:.1f} s; median of {args.runs} runs per prefix")
    for (text, t, n), first in zip(got["passes"], got["typed"]):
        print(f"  {text!r:28} {n:>10,} matches {t * 1000:8.1f} ms (as typed: {first * 1000:6.1f} ms)")
    print(f"floor {got['floor']}: {floor:.1f} ms")
    for label, times in (("passes", [t for _, t, _ in got["passes"]]), ("as typed", got["typed"])):
        ms = [t * 1000 for t in times]
        median, worst = statistics.median(ms), p95(ms)
        print(
            f"{len(ms)} {label}: median {median:.1f} ms ({median / floor:.1f}x floor), "
            f"p95 {worst:.1f} ms ({worst / floor:.1f}x floor), max {max(ms):.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
