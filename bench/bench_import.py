"""The first import of a data directory, phase by phase (issue 10: 1M ACLED rows in <= 60 s).

    .venv/bin/python bench/bench_import.py DIR [--runs 1] [--profile FILE.prof] [--against SRC]

Each run is a fresh process with a fresh, empty store (its own XDG_CACHE_HOME under /tmp,
deleted after the run) that calls `briefing.stored.load(DIR, skip_invalid=True)` once. The
process wraps the functions of the import's phases with timers and prints, per phase, its
wall time (a phase's time includes that of the phases inside it, shown indented), then the
whole load, its CPU time (this process's and any children's), the peak RSS (VmHWM) and the
load average before the run; then how the progress bar moved: how many times, the longest
time it stood still (and the percent it moved to after), and when it reached 70%.
`--profile` writes a cProfile of the whole load. `--against SRC` (a checkout's `src`, e.g.
`git archive main | tar -x -C /tmp/main`) runs that code too, run by run interleaved with
this one's, for a before/after on the same machine at the same time (CPU times tell the two
apart when the machine is shared: wall times then depend on what else runs).

Phases: the CSV read into the store's rows (`Store._stream`); the dataset's checks in memory
(`loader.build_dataset`); the view (`stored._write_view`), inside it the index's and the
analysis' rows (`IndexWriter.add`; since the text indexes are built on a thread beside them,
`IndexWriter.rows` and `.write`, and that thread's `EventIndex.index_text`, whose time
overlaps the others'), the indexes and sums (`IndexWriter.finish`), the short-word tables
(`EventIndex.fill_words`, before they were counted in `IndexWriter.rows`), the text index
(`EventIndex.fill_text`, before it was built beside the rows) and the word index's
vocabulary (`EventIndex.fill_vocabulary`).  A phase the code run does not have is left out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = REPO / ".venv" / "bin" / "python"

PROBE = r"""
import json, os, sys, time
from collections import defaultdict
spent = defaultdict(float)

def timed(owner, name, label):
    inner = getattr(owner, name, None)
    if inner is None:  # not in this code (--against runs other code)
        return
    if isinstance(inner, staticmethod):
        inner = inner.__func__
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - t
    if isinstance(owner.__dict__.get(name), staticmethod):
        setattr(owner, name, staticmethod(wrapper))
    else:
        setattr(owner, name, wrapper)

from briefing import loader, sqlquery, store, stored
timed(store.Store, "_stream", "csv into the store's rows (Store._stream)")
timed(loader, "build_dataset", "checks in memory (build_dataset)")
timed(stored, "_write_view", "the view (_write_view)")
timed(sqlquery.IndexWriter, "add", "  index and analysis rows (IndexWriter.add)")
timed(sqlquery.IndexWriter, "rows", "  index and analysis rows worked out (IndexWriter.rows)")
timed(sqlquery.IndexWriter, "write", "  index and analysis rows written (IndexWriter.write)")
timed(sqlquery.EventIndex, "index_text", "  text indexes, on a thread beside (index_text)")
timed(sqlquery.EventIndex, "reindex_words", "  the word index made again (reindex_words)")
timed(sqlquery.EventIndex, "fill_vocabulary", "  the word index's vocabulary (fill_vocabulary)")
timed(sqlquery.IndexWriter, "finish", "  indexes and sums (IndexWriter.finish)")
timed(sqlquery.EventIndex, "fill_words", "  short-word tables (fill_words)")
timed(sqlquery.EventIndex, "fill_text", "  text index (fill_text)")
profile = sys.argv[2] if len(sys.argv) > 2 else ""
moves = []  # (seconds, percent): the progress bar's

def bar(done, total, _partial=None):
    moves.append((time.perf_counter() - t, 100 * done // total))

t = time.perf_counter()
if profile:
    import cProfile
    cProfile.run("ds = stored.load(sys.argv[1], skip_invalid=True, progress=bar)", profile)
else:
    ds = stored.load(sys.argv[1], skip_invalid=True, progress=bar)
seconds = time.perf_counter() - t
still = max(((b[0] - a[0], b[1]) for a, b in zip([(0.0, 0), *moves], moves)), default=(0.0, 0))
import resource
cpu = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]
print(json.dumps({"phases": spent, "seconds": seconds, "cpu": cpu.ru_utime + cpu.ru_stime,
                  "child_cpu": kids.ru_utime + kids.ru_stime, "rss_mib": int(rss) / 1024,
                  "events": len(ds.events), "view": getattr(ds, "index", None) is not None,
                  "moves": len(moves), "still": still,
                  "at70": next((m[0] for m in moves if m[1] >= 70), None)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--profile", default="")
    ap.add_argument("--against", default="", help="another checkout's src folder, run interleaved")
    args = ap.parse_args()
    codes = [("this", "")] + ([("against", os.path.abspath(args.against))] if args.against else [])
    for run, (code, src) in ((r, c) for r in range(args.runs) for c in codes):
        cache = tempfile.mkdtemp(prefix="bench-import-")
        env = {k: v for k, v in os.environ.items() if k not in ("BRIEFING_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
        env["XDG_CACHE_HOME"] = cache
        if src:
            env["PYTHONPATH"] = src
        load = os.getloadavg()
        try:
            # run from the cache folder: no code of the current directory is on sys.path
            out = subprocess.run(
                [str(PY), "-c", PROBE, os.path.abspath(args.dir), args.profile],
                env=env,
                cwd=cache,
                stdout=subprocess.PIPE,
                check=True,
            )
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        got = json.loads(out.stdout)
        print(f"run {run + 1} ({code}): {got['events']:,} events, view {got['view']}, load average {load[0]:.2f}")
        for label, s in got["phases"].items():
            print(f"  {label:<50} {s:7.1f} s")
        print(f"  {'whole load':<50} {got['seconds']:7.1f} s   peak RSS {got['rss_mib']:.0f} MiB")
        print(f"  {'CPU time: this process, its children':<50} {got['cpu']:7.1f} s {got['child_cpu']:5.1f} s")
        at70 = got["at70"] / got["seconds"] if got["at70"] else 0
        print(
            f"  {'progress bar: moves, longest still (ending at)':<50} {got['moves']:7d}   {got['still'][0]:.1f} s "
            f"({got['still'][1]}%); 70% shown at {at70:.0%} of the time"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
