"""Scale benchmark: brief and TUI start against their import floors, then ACLED CSVs of 10k and
100k rows (1M with --acled), and 5,000 curated TOML events, through the SQLite store.

    .venv/bin/python bench/bench_scale.py [--runs 5] [--acled 10000,100000] [--toml 5000]
                                          [--terms 120x40,80x24] [--big-runs 1]

One run prints one table (medians of --runs >= 5 runs each; sizes of 1M and more use
--big-runs, said in the table):

* `briefing brief` (bundled data, stdout not a terminal) vs `python -c "import rich.console,
  rich.table, rich.panel"`; the TUI's first frame on the bundled data vs `python -c "import
  textual.app"`, in tmux (80x24, TERM=xterm, `capture-pane` polled every 10 ms).
* For each data set (synthetic, `briefing.devtools.synth`, seed 1): first import (the store
  deleted first: every file parsed, checked and written to the store) with its peak RSS;
  later loads (`briefing.stored.load` timed inside a fresh process: from 8,000 events
  (`stored.VIEW_MIN`) the store's view, opened without reading the events); `briefing brief`
  (whole process) with `--country X`, `--actor Y` (the actors' most named after ACLED's
  coder), `--since` the data's last month, `--type` the commonest event type and `--filter
  admin1:` the commonest admin1; in tmux at each terminal size, first frame visible (the
  newest event's row on screen) and all rows loaded (the header counts every event), with
  VisiData (`vd`, from the `bench` dependency group) on the same CSV interleaved run by run:
  first row visible and all rows loaded; `G` (key sent to the oldest event's row on screen);
  filter keystroke latency, median and p95, measured in-process with Textual's Pilot; peak
  RSS (VmHWM) of the TUI process.

Everything runs the virtualenv's python directly, not `uv run`.  PYTHONDONTWRITEBYTECODE is
dropped and bytecode kept under bench/out/ (as an installed package would have it); the
store (XDG_CACHE_HOME) and the generated data live under bench/out/scale/ (ignored by git);
warm-up runs come first.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from terminal import Terminal  # bench/terminal.py and bench/timing.py: this script runs with bench/ on sys.path
from timing import bench_env as _bench_env, p95, timed_process

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
WORK = OUT / "scale"
PY = REPO / ".venv" / "bin" / "python"
BRIEFING = REPO / ".venv" / "bin" / "briefing"
VD = REPO / ".venv" / "bin" / "vd"
SEED = 1
STAMP = "synth-3"  # regenerate the data when this changes (see synth.VERSION)


def bench_env(**extra: str) -> dict[str, str]:
    """timing.bench_env with the store, the config and HOME under bench/out/scale/."""
    return _bench_env(WORK, HOME=str(WORK / "home"), **extra)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


# -- data -----------------------------------------------------------------------------------------
def prepare(acled: list[int], toml: list[int]) -> dict[str, Path]:
    """Synthetic ACLED CSVs and TOML folders per size; regenerated only when missing."""
    out: dict[str, Path] = {}
    for fmt, sizes in (("acled", acled), ("toml", toml)):
        for n in sizes:
            d = WORK / f"{fmt}-{n}"
            stamp = d / ".done"
            if not stamp.exists() or stamp.read_text() != STAMP:
                shutil.rmtree(d, ignore_errors=True)
                d.mkdir(parents=True)
                print(f"generating {n} events ({fmt}) ...", file=sys.stderr)
                target = d / "acled.csv" if fmt == "acled" else d
                subprocess.run(
                    [
                        str(PY),
                        "-m",
                        "briefing.devtools.synth",
                        "--events",
                        str(n),
                        "--seed",
                        str(SEED),
                        "--format",
                        fmt,
                        str(target),
                    ],
                    check=True,
                    env=bench_env(),
                )
                stamp.write_text(STAMP)
            out[f"{fmt}-{n}"] = d
    # Written a while ago, as real data is (a file modified in the last 2 s is stored with a
    # content hash, checked on every start until it is older).
    past = time.time() - 60
    for d in out.values():
        for p in d.iterdir():
            os.utime(p, (past, past))
    return out


# -- processes ------------------------------------------------------------------------------------


LOAD_PROBE = r"""
import json, sys, time
t = time.perf_counter()
from briefing.stored import load
ds = load(sys.argv[1], skip_invalid=True)
seconds = time.perf_counter() - t
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
index = getattr(ds, "index", None)
if index is not None:  # kept in the store: ask its index, never read every event
    folded = index.conn.execute("SELECT country FROM ev GROUP BY country ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    country = next(c for c in ds.countries() if c.casefold() == folded)
    actor = index.conn.execute("SELECT actor FROM ev_actor GROUP BY actor ORDER BY count(*) DESC LIMIT 1 OFFSET 1").fetchone()[0]
    etype = index.conn.execute("SELECT type FROM ev GROUP BY type ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    admin1 = index.conn.execute(
        "SELECT admin1 FROM ev WHERE admin1 IS NOT NULL GROUP BY admin1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
else:
    from collections import Counter
    country = Counter(e.country for e in ds.events).most_common(1)[0][0]
    named = Counter(a for e in ds.events for a in {*(r.actor for r in e.actors), *(f.claimed_by for f in e.figures)})
    actor = named.most_common(2)[-1][0]
    etype = Counter(e.type for e in ds.events).most_common(1)[0][0]
    admin1 = (Counter(e.admin1 for e in ds.events if e.admin1).most_common(1) or [("none",)])[0][0]
print(json.dumps({"seconds": seconds, "events": len(ds.events), "view": index is not None,
                  "newest_date": ds.events[0].date if len(ds.events) else "",
                  "oldest_date": ds.events[-1].date if len(ds.events) else "",
                  "country": country, "actor": actor, "type": etype, "admin1": admin1, "rss_mib": rss}))
"""


def drop_store() -> None:
    shutil.rmtree(WORK / "cache" / "briefing", ignore_errors=True)


def load_time(root: Path, cold: bool) -> tuple[float, dict]:
    env = bench_env(**({"BRIEFING_NO_CACHE": "1"} if cold else {}))
    # an hour: a 1M first import took 527 s and then over 600 s on this machine's slow days
    r = subprocess.run([str(PY), "-c", LOAD_PROBE, str(root)], capture_output=True, text=True, env=env, timeout=3600)
    if r.returncode != 0:
        raise SystemExit(f"load failed: {r.stderr}")
    info = json.loads(r.stdout.strip().splitlines()[-1])
    return info["seconds"], info


PILOT_PROBE = r"""
import asyncio, json, resource, sys, time
from pathlib import Path
from briefing.stored import load
from briefing.tui.app import make_app
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.filter_bar import DEBOUNCE

ds = load(sys.argv[1], skip_invalid=True)
queries = json.loads(sys.argv[2])
passes = []
# A pass: from the debounced text reaching the screen (FilterBar.Changed) to the header drawn
# for it (the match count updated), wherever the query ran (UI thread or worker).
pending = {}
on_changed = MainScreen.on_filter_bar_changed
update_header = MainScreen.update_header

def changed(self, message):
    pending[message.text] = time.perf_counter()
    return on_changed(self, message)

def header(self):
    update_header(self)
    t = pending.pop(self._typed, None)
    if t is not None:
        passes.append((self._typed, time.perf_counter() - t))

MainScreen.on_filter_bar_changed = changed
MainScreen.update_header = header
echo = []
warm = []

async def main():
    app = make_app(ds, theme="mono")
    t = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the filter's warm-up build (index or search text)
        warm.append(time.perf_counter() - t)
        for q in queries:
            await pilot.press("slash")
            await pilot.pause()
            for ch in q:
                t = time.perf_counter()
                await pilot.press("space" if ch == " " else ch)
                await pilot.pause()
                echo.append(time.perf_counter() - t)
                await asyncio.sleep(DEBOUNCE + 0.05)
                await pilot.pause()
                await app.workers.wait_for_complete()  # the warm-up build too: it is waited for
                await pilot.pause()
            await pilot.press("ctrl+u")
            await asyncio.sleep(DEBOUNCE + 0.05)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()

asyncio.run(main())
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"passes": passes, "echo": echo, "rss_mib": rss, "warm": warm[0]}))
"""
QUERIES = ["kunduz clash", "iraq", "since:2024-12"]  # the last: from round 10 (a date typed)


def pilot_filter(root: Path) -> dict:
    r = subprocess.run(
        [str(PY), "-c", PILOT_PROBE, str(root), json.dumps(QUERIES)],
        capture_output=True,
        text=True,
        env=bench_env(),
        timeout=900,
    )
    if r.returncode != 0:
        raise SystemExit(f"pilot probe failed: {r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def count_mark(n: int):
    """The header shows every event: `100,000 events ·` (wide) or `100,000 ev ·` (short)."""
    return f" {n:,} ev"


def first_row_mark(date: str):
    """A list row of the newest event: its date at the start of a line under the header."""
    return lambda screen: any(line.lstrip(" ▌▎│>").startswith(date) for line in screen.splitlines()[1:])


# -- main -----------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each measurement (>= 5)")
    ap.add_argument("--acled", default=None, help="ACLED CSV row counts (default 10000,100000; none with --use)")
    ap.add_argument("--toml", default=None, help="curated TOML event counts (default 5000; none with --use)")
    ap.add_argument("--terms", default="120x40,80x24", help="terminal sizes for the TUI runs")
    ap.add_argument("--big-runs", type=int, default=1, help="runs for sizes of 1M and more (default 1)")
    ap.add_argument("--import-runs", type=int, default=None, help="first imports per size (default: as the other runs)")
    ap.add_argument("--no-small", action="store_true", help="skip the bundled-data floors")
    ap.add_argument(
        "--use",
        metavar="DIR",
        help="measure this data directory (an ACLED export in it), as it is: not generated, not touched",
    )
    ap.add_argument(
        "--keep-store",
        action="store_true",
        help="no first import: start from the store as it is (a 1M import takes minutes; time it once)",
    )
    args = ap.parse_args()
    if args.runs < 5:
        raise SystemExit("--runs: at least 5, so that the medians mean something")
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed")
    # --use measures the directory given; generated sizes only when asked for beside it
    acled = [
        int(x) for x in (args.acled if args.acled is not None else "" if args.use else "10000,100000").split(",") if x
    ]
    toml = [int(x) for x in (args.toml if args.toml is not None else "" if args.use else "5000").split(",") if x]
    terms = [tuple(int(v) for v in t.split("x")) for t in args.terms.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "home").mkdir(exist_ok=True)
    data = prepare(acled, toml)
    env = bench_env()
    rows: list[tuple[str, str, str]] = []  # (measure, value, note)

    def fmt(s: float) -> str:
        return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    terminals = {size: Terminal(tmp / f"tmux-{size[0]}x{size[1]}.sock", env, size) for size in terms}
    vd = str(VD) if VD.exists() else shutil.which("vd")

    def vd_run(term: Terminal, csv_path: Path, n: int) -> tuple[float, float]:
        """One VisiData run on the CSV: (first row visible, all rows loaded)."""
        with open(csv_path, encoding="utf-8-sig") as fh:
            fh.readline()
            first_id = fh.readline().split(",", 1)[0]
        vd_cmd = f"{shlex.quote(vd)} {shlex.quote(str(csv_path))}"
        done = lambda s: f" {n} rows" in s and "loading" not in s and "processing" not in s  # noqa: E731
        marks = [lambda s, x=first_id: any(line.lstrip().startswith(x) for line in s.splitlines()), done]
        f, a = term.launch(vd_cmd, env, marks)
        term.quit(("q",))
        return f, a

    try:
        if not args.no_small:
            term = terminals.get((80, 24)) or next(iter(terminals.values()))
            rich_floor = [str(PY), "-c", "import rich.console, rich.table, rich.panel"]
            brief = [str(BRIEFING), "brief", "--data", str(REPO / "data")]
            for _ in range(2):
                timed_process(rich_floor, env), timed_process(brief, env)
            fl, br = [], []
            for _ in range(args.runs):
                fl.append(timed_process(rich_floor, env))
                br.append(timed_process(brief, env))
            rows.append(
                (
                    "brief (bundled data), whole process",
                    fmt(median(br)),
                    f"floor (import rich) {fmt(median(fl))}: {median(br) / median(fl):.2f}x",
                )
            )
            bundled_first = first_row_mark(load_time(REPO / "data", cold=False)[1]["newest_date"])
            floor_cmd = f"{shlex.quote(str(PY))} -c " + shlex.quote("import textual.app; print('FLOOR-IMPORTED')")
            tui_cmd = f"{shlex.quote(str(BRIEFING))} --data {shlex.quote(str(REPO / 'data'))}"
            for _ in range(2):
                term.launch(floor_cmd, env, ["FLOOR-IMPORTED"])
                term.launch(tui_cmd, env, [bundled_first])
                term.quit()
            tf, tt = [], []
            for _ in range(args.runs):
                tf += term.launch(floor_cmd, env, ["FLOOR-IMPORTED"])
                tt += term.launch(tui_cmd, env, [bundled_first])
                term.quit()
            rows.append(
                (
                    "TUI first frame (bundled data), tmux 80x24",
                    fmt(median(tt)),
                    f"floor (import textual.app) {fmt(median(tf))}: {median(tt) / median(tf):.2f}x",
                )
            )

        targets = [(f"{n:,} ACLED rows", data[f"acled-{n}"], n, True) for n in acled]
        if args.use:
            used = Path(args.use).resolve()
            import csv

            with open(next(used.glob("*.csv")), encoding="utf-8", newline="") as fh:
                n_used = sum(1 for _ in csv.reader(fh)) - 1
            targets.append((f"{n_used:,} ACLED rows ({used.name})", used, n_used, True))
        targets += [(f"{n:,} TOML events", data[f"toml-{n}"], n, False) for n in toml]
        for label, root, n, is_csv in targets:
            runs = args.big_runs if n >= 1_000_000 else args.runs
            note = f" ({runs} run{'s' if runs != 1 else ''})" if runs != args.runs else ""
            print(f"measuring {label} ...", file=sys.stderr)
            first_imports = []
            imports = runs if args.import_runs is None else args.import_runs
            for _ in range(0 if args.keep_store else imports):
                drop_store()
                first_imports.append(load_time(root, cold=False))
            if first_imports:
                secs = [x[0] for x in first_imports]
                rows.append(
                    (
                        f"{label}: first import ({len(secs)} run{'s' if len(secs) != 1 else ''})",
                        fmt(median(secs)),
                        f"peak RSS {max(x[1]['rss_mib'] for x in first_imports):.0f} MiB",
                    )
                )
            warm_runs = [load_time(root, cold=False) for _ in range(runs)]
            info = warm_runs[0][1]
            assert info["events"] == n, (label, info)
            rows.append(
                (
                    f"{label}: later load{note}",
                    fmt(median([w[0] for w in warm_runs])),
                    f"peak RSS {max(w[1]['rss_mib'] for w in warm_runs):.0f} MiB",
                )
            )
            country = info["country"]
            brief_cmd = [str(BRIEFING), "brief", "--data", str(root), "--skip-invalid", "--country", country]
            bt = [timed_process(brief_cmd, env) for _ in range(runs)]
            rows.append((f"{label}: brief --country {country}{note}", fmt(median(bt)), "whole process"))
            # an actor (the second most named: the first, ACLED's coder, claims every figure)
            actor_cmd = [str(BRIEFING), "brief", "--data", str(root), "--skip-invalid", "--actor", info["actor"]]
            at = [timed_process(actor_cmd, env) for _ in range(runs)]
            rows.append((f"{label}: brief --actor (most named){note}", fmt(median(at)), "whole process"))
            # the last month of the data: the weekly refresh's brief
            month = info["newest_date"][:7]
            since_cmd = [str(BRIEFING), "brief", "--data", str(root), "--skip-invalid", "--since", month]
            st = [timed_process(since_cmd, env) for _ in range(runs)]
            rows.append((f"{label}: brief --since {month} (last month){note}", fmt(median(st)), "whole process"))
            # the commonest event type (a large share of the events) and the commonest admin1
            place = f'"{info["admin1"]}"' if " " in info["admin1"] else info["admin1"]
            for flag, value in (("--type", info["type"]), ("--filter", f"admin1:{place}")):
                cmd_ = [str(BRIEFING), "brief", "--data", str(root), "--skip-invalid", flag, value]
                ft = [timed_process(cmd_, env) for _ in range(runs)]
                rows.append((f"{label}: brief {flag} {value}{note}", fmt(median(ft)), "whole process"))
            cmd = f"{shlex.quote(str(BRIEFING))} --data {shlex.quote(str(root))} --skip-invalid"
            marks = [first_row_mark(info["newest_date"]), count_mark(n)]
            for size, term in terminals.items():
                where = f"{size[0]}x{size[1]}"
                term.launch(cmd, env, marks)  # warm-up
                term.quit()
                csv_path = root / "acled.csv"
                use_vd = is_csv and vd is not None
                if use_vd:
                    vd_run(term, csv_path, n)  # warm-up
                first, full, rss, vf, va, last = [], [], [], [], [], []
                for _ in range(runs):  # VisiData's runs interleaved, so noise hits both alike
                    f, a = term.launch(cmd, env, marks)
                    last.append(term.press("G", [first_row_mark(info["oldest_date"])]))
                    rss.append(term.peak_rss_mib())
                    term.quit()
                    first.append(f)
                    full.append(a)
                    if use_vd:
                        x, y = vd_run(term, csv_path, n)
                        vf.append(x)
                        va.append(y)
                rows.append(
                    (
                        f"{label}: TUI first frame, {where}{note}",
                        fmt(median(first)),
                        f"fastest {fmt(min(first))}; peak RSS {max(rss):.0f} MiB",
                    )
                )
                rows.append(
                    (f"{label}: TUI all rows loaded, {where}{note}", fmt(median(full)), f"fastest {fmt(min(full))}")
                )
                rows.append(
                    (f"{label}: TUI G (last row drawn), {where}{note}", fmt(median(last)), f"fastest {fmt(min(last))}")
                )
                if use_vd:
                    rows.append(
                        (
                            f"{label}: VisiData first row, {where}{note}",
                            fmt(median(vf)),
                            f"ours/VisiData {median(first) / median(vf):.2f}x (target <= 0.5x)",
                        )
                    )
                    rows.append(
                        (
                            f"{label}: VisiData all rows, {where}{note}",
                            fmt(median(va)),
                            f"ours/VisiData {median(full) / median(va):.2f}x",
                        )
                    )
            probe = pilot_filter(root)
            passes = [s for _q, s in probe["passes"]]
            rows.append(
                (
                    f"{label}: filter keystroke (median / p95)",
                    f"{median(passes) * 1000:.0f} / {p95(passes) * 1000:.0f} ms",
                    f"{len(passes)} filter passes (debounced text to count drawn); TUI peak RSS "
                    f"{probe['rss_mib']:.0f} MiB; filter warm-up {probe['warm']:.1f} s",
                )
            )
    finally:
        for term in terminals.values():
            term.close()
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(
        f"briefing scale benchmark: medians of {args.runs} runs; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
        f"load average at the end {os.getloadavg()[0]:.1f}"
    )
    print("TUI times: launch to mark on screen in tmux (capture-pane polled every 10 ms)")
    print()
    w = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{w}}  {value:>12}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
