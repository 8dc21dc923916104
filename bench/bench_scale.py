"""Scale benchmark: brief and TUI start against their import floors, then 10k and 100k events.

    .venv/bin/python bench/bench_scale.py [--runs 5] [--sizes 10000,100000] [--no-cold]

One run prints one table (medians of --runs >= 5 runs each):

* `briefing brief` (bundled data, stdout not a terminal) vs `python -c "import rich.console,
  rich.table, rich.panel"`; the TUI's first frame on the bundled data vs `python -c "import
  textual.app"`, in tmux (80x24, TERM=xterm, `capture-pane` polled every 10 ms).
* For each size, synthetic events from `briefing.devtools.synth` (seed 1, TOML, one file per
  year): cold load (BRIEFING_NO_CACHE=1, every file parsed and checked) and warm load
  (`load_dataset` timed inside a fresh process); in tmux, first frame visible (the newest
  event's row is on screen) and all rows loaded (the header counts every event); filter
  keystroke latency, median and p95, measured in-process with Textual's Pilot (a query typed
  one key at a time, each key after the debounce: the time of each filter pass, which runs
  on the UI thread); peak RSS (VmHWM) of the TUI process after loading and filtering.
* The largest size again as one ACLED CSV of the same events: our TUI on a directory holding
  only that CSV, and VisiData (`vd`, from the `bench` dependency group) on
  the same file, its runs interleaved with ours: first row visible and all rows loaded
  (VisiData's status line shows the full count, no longer "loading"), with our/their ratios.
  The CSV's notes are all different, unlike the TOML's stock summaries, so its keystroke row
  shows the filter on text that shares little.

Everything runs the virtualenv's python directly, not `uv run`.  PYTHONDONTWRITEBYTECODE is
dropped and bytecode kept under bench/out/ (as an installed package would have it); the
record cache (XDG_CACHE_HOME) and the generated data live under bench/out/scale/ (ignored by
git); warm-up runs come first.
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
from timing import timed_process

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
WORK = OUT / "scale"
PY = REPO / ".venv" / "bin" / "python"
BRIEFING = REPO / ".venv" / "bin" / "briefing"
VD = REPO / ".venv" / "bin" / "vd"
SEED = 1
STAMP = "synth-2"  # regenerate the data when this changes (see synth.VERSION)


def bench_env(**extra: str) -> dict[str, str]:
    drop = ("PYTHONDONTWRITEBYTECODE", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "BRIEFING_NO_CACHE",
            "TEXTUAL_THEME", "SSH_CONNECTION", "TMUX", "BRIEFING_DATA")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PYTHONPYCACHEPREFIX=str(OUT / "pycache"), XDG_CACHE_HOME=str(WORK / "cache"),
               XDG_CONFIG_HOME=str(WORK / "config"), HOME=str(WORK / "home"), TERM="xterm")
    env.update(extra)
    return env


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(0.95 * (len(xs) - 1))))]


# -- data -----------------------------------------------------------------------------------------
def prepare(sizes: list[int]) -> dict[str, Path]:
    """Synthetic TOML per size, and the largest as an ACLED CSV; regenerated only when missing."""
    out: dict[str, Path] = {}
    for n in sizes:
        d = WORK / f"toml-{n}"
        stamp = d / ".done"
        if not stamp.exists() or stamp.read_text() != STAMP:
            shutil.rmtree(d, ignore_errors=True)
            print(f"generating {n} events (TOML) ...", file=sys.stderr)
            subprocess.run([str(PY), "-m", "briefing.devtools.synth", "--events", str(n), "--seed", str(SEED),
                            "--format", "toml", str(d)], check=True, env=bench_env())
            stamp.write_text(STAMP)
        out[f"toml-{n}"] = d
    n = max(sizes)
    d = WORK / f"acled-{n}"
    stamp = d / ".done"
    if not stamp.exists() or stamp.read_text() != STAMP:
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        print(f"generating {n} events (ACLED CSV) ...", file=sys.stderr)
        subprocess.run([str(PY), "-m", "briefing.devtools.synth", "--events", str(n), "--seed", str(SEED),
                        "--format", "acled", str(d / "acled.csv")], check=True, env=bench_env())
        stamp.write_text(STAMP)
    out[f"acled-{n}"] = d
    # Written a while ago, as real data is (a file modified in the last 2 s is cached with a
    # content digest, checked on every start until it is older).
    past = time.time() - 60
    for d in out.values():
        for p in d.iterdir():
            os.utime(p, (past, past))
    return out


# -- processes ------------------------------------------------------------------------------------


LOAD_PROBE = r"""
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from briefing.loader import load_dataset
ds = load_dataset(Path(sys.argv[1]), skip_invalid=True)
print(json.dumps({"seconds": time.perf_counter() - t, "events": len(ds.events),
                  "newest_date": ds.events[0].date if ds.events else ""}))
"""


def load_time(root: Path, cold: bool) -> tuple[float, dict]:
    env = bench_env(**({"BRIEFING_NO_CACHE": "1"} if cold else {}))
    r = subprocess.run([str(PY), "-c", LOAD_PROBE, str(root)], capture_output=True, text=True, env=env, timeout=600)
    if r.returncode != 0:
        raise SystemExit(f"load failed: {r.stderr}")
    info = json.loads(r.stdout.strip().splitlines()[-1])
    return info["seconds"], info


PILOT_PROBE = r"""
import asyncio, json, resource, sys, time
from pathlib import Path
from briefing.loader import load_dataset
from briefing.tui.app import make_app
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.filter_bar import DEBOUNCE

ds = load_dataset(Path(sys.argv[1]), skip_invalid=True)
queries = json.loads(sys.argv[2])
passes = []
original = MainScreen.apply_filter

def timed(self, text):
    t = time.perf_counter()
    try:
        return original(self, text)
    finally:
        passes.append((text, time.perf_counter() - t))

MainScreen.apply_filter = timed
echo = []

async def main():
    app = make_app(ds, theme="mono")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
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
            await pilot.press("ctrl+u")
            await asyncio.sleep(DEBOUNCE + 0.05)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()

asyncio.run(main())
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"passes": passes, "echo": echo, "rss_mib": rss}))
"""
QUERIES = ["kunduz clash", "iraq"]


def pilot_filter(root: Path) -> dict:
    r = subprocess.run([str(PY), "-c", PILOT_PROBE, str(root), json.dumps(QUERIES)], capture_output=True, text=True,
                       env=bench_env(), timeout=900)
    if r.returncode != 0:
        raise SystemExit(f"pilot probe failed: {r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def count_mark(n: int):
    """The header shows every event: `100000 events ·` (wide) or `100000 ev ·` (short)."""
    return f" {n} ev"


def first_row_mark(date: str):
    """A list row of the newest event: its date at the start of a line under the header."""
    return lambda screen: any(line.lstrip(" ▌▎│>").startswith(date) for line in screen.splitlines()[1:])


# -- main -----------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each measurement (>= 5)")
    ap.add_argument("--sizes", default="10000,100000", help="synthetic event counts (default 10000,100000)")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold loads (slow at 100k)")
    args = ap.parse_args()
    if args.runs < 5:
        raise SystemExit("--runs: at least 5, so that the medians mean something")
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed")
    sizes = [int(s) for s in args.sizes.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "home").mkdir(exist_ok=True)
    data = prepare(sizes)
    env = bench_env()
    runs = args.runs
    rows: list[tuple[str, str, str]] = []  # (measure, value, note)

    def fmt(s: float) -> str:
        return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    term = Terminal(tmp / "tmux.sock", env)
    vd_times: dict[str, list[float]] = {"first": [], "all": []}

    def vd_launcher(csv_path: Path, n: int):
        """One VisiData run on the CSV (first row visible, all rows loaded), or None without vd."""
        vd = str(VD) if VD.exists() else shutil.which("vd")
        if vd is None:
            return None
        with open(csv_path, encoding="utf-8-sig") as fh:
            fh.readline()
            first_id = fh.readline().split(",", 1)[0]
        vd_cmd = f"{shlex.quote(vd)} {shlex.quote(str(csv_path))}"
        done = lambda s: f" {n} rows" in s and "loading" not in s and "processing" not in s  # noqa: E731
        vd_marks = [lambda s, x=first_id: any(line.lstrip().startswith(x) for line in s.splitlines()), done]
        warm = [True]

        def run() -> None:
            f, a = term.launch(vd_cmd, env, vd_marks)
            term.quit(("q",))
            if warm[0]:
                warm[0] = False
                return
            vd_times["first"].append(f)
            vd_times["all"].append(a)

        return run

    try:
        # -- small data: brief and TUI against their floors --------------------------------------
        rich_floor = [str(PY), "-c", "import rich.console, rich.table, rich.panel"]
        brief = [str(BRIEFING), "brief", "--data", str(REPO / "data")]
        for _ in range(2):
            timed_process(rich_floor, env), timed_process(brief, env)
        fl, br = [], []
        for _ in range(runs):
            fl.append(timed_process(rich_floor, env))
            br.append(timed_process(brief, env))
        rows.append(("brief (bundled data), whole process", fmt(median(br)),
                     f"floor (import rich) {fmt(median(fl))}: {median(br) / median(fl):.2f}x"))

        bundled_first = first_row_mark(load_time(REPO / "data", cold=False)[1]["newest_date"])
        floor_cmd = f"{shlex.quote(str(PY))} -c " + shlex.quote("import textual.app; print('FLOOR-IMPORTED')")
        tui_cmd = f"{shlex.quote(str(BRIEFING))} --data {shlex.quote(str(REPO / 'data'))}"
        for _ in range(2):
            term.launch(floor_cmd, env, ["FLOOR-IMPORTED"])
            term.launch(tui_cmd, env, [bundled_first])
            term.quit()
        tf, tt = [], []
        for _ in range(runs):
            tf += term.launch(floor_cmd, env, ["FLOOR-IMPORTED"])
            tt += term.launch(tui_cmd, env, [bundled_first])
            term.quit()
        rows.append(("TUI first frame (bundled data), tmux", fmt(median(tt)),
                     f"floor (import textual.app) {fmt(median(tf))}: {median(tt) / median(tf):.2f}x"))

        # -- each size -------------------------------------------------------------------------------
        ours_csv: dict[str, float] = {}
        targets = [(f"{n // 1000}k TOML", data[f"toml-{n}"], n) for n in sizes]
        n_max = max(sizes)
        targets.append((f"{n_max // 1000}k ACLED CSV", data[f"acled-{n_max}"], n_max))
        for label, root, n in targets:
            print(f"measuring {label} ...", file=sys.stderr)
            if not args.no_cold:
                cold = [load_time(root, cold=True)[0] for _ in range(runs)]
                rows.append((f"{label}: cold load (no cache)", fmt(median(cold)), f"fastest {fmt(min(cold))}"))
            load_time(root, cold=False)  # fill the cache
            warm_runs = [load_time(root, cold=False) for _ in range(runs)]
            warm = [w[0] for w in warm_runs]
            info = warm_runs[0][1]
            assert info["events"] == n, (label, info)
            rows.append((f"{label}: warm load", fmt(median(warm)), f"fastest {fmt(min(warm))}"))
            cmd = f"{shlex.quote(str(BRIEFING))} --data {shlex.quote(str(root))} --skip-invalid"
            marks = [first_row_mark(info["newest_date"]), count_mark(n)]
            term.launch(cmd, env, marks)
            term.quit()
            vd_run = vd_launcher(data[f"acled-{n_max}"] / "acled.csv", n_max) if "CSV" in label else None
            if vd_run is not None:
                vd_run()  # warm-up
            first, full, rss = [], [], []
            for _ in range(runs):  # with VisiData's runs interleaved, so noise hits both alike
                f, a = term.launch(cmd, env, marks)
                rss.append(term.peak_rss_mib())
                term.quit()
                first.append(f)
                full.append(a)
                if vd_run is not None:
                    vd_run()
            rows.append((f"{label}: TUI first frame visible", fmt(median(first)), f"fastest {fmt(min(first))}"))
            rows.append((f"{label}: TUI all rows loaded", fmt(median(full)), f"fastest {fmt(min(full))}"))
            if "CSV" in label:
                ours_csv = {"first": median(first), "all": median(full)}
            probes = [pilot_filter(root) for _ in range(max(1, runs // 5))]
            passes = [s for pr in probes for _q, s in pr["passes"]]
            first_pass = [pr["passes"][0][1] for pr in probes]
            rows.append((f"{label}: filter keystroke (median / p95)", f"{median(passes) * 1000:.0f} / "
                         f"{p95(passes) * 1000:.0f} ms",
                         f"{len(passes)} filter passes; the first {median(first_pass) * 1000:.0f} ms"))
            rss.append(max(pr["rss_mib"] for pr in probes))
            rows.append((f"{label}: peak RSS (TUI)", f"{max(rss):.0f} MiB", "loaded, after filtering"))

        # -- VisiData on the same CSV (its runs were interleaved with ours above) ---------------------
        if vd_times["first"]:
            vf, va = vd_times["first"], vd_times["all"]
            rows.append((f"VisiData {n_max // 1000}k CSV: first row", fmt(median(vf)), f"fastest {fmt(min(vf))}"))
            rows.append((f"VisiData {n_max // 1000}k CSV: all rows", fmt(median(va)), f"fastest {fmt(min(va))}"))
            rows.append(("ours/VisiData, first frame vs first row", f"{ours_csv['first'] / median(vf):.2f}x",
                         "target <= 0.8x"))
            rows.append(("ours/VisiData, all rows", f"{ours_csv['all'] / median(va):.2f}x", "for information"))
        else:
            rows.append(("VisiData", "not installed", "uv sync --group bench"))
    finally:
        term.close()
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"briefing scale benchmark: medians of {runs} runs; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    print("TUI times: launch to mark on screen in tmux 80x24 (capture-pane polled every 10 ms)")
    print()
    w = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{w}}  {value:>12}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
