"""Whole-process time of `briefing brief` against the floor of importing Rich, in one run.

    .venv/bin/python bench/bench_brief.py [--runs 9] [--data DIR]

Goal (issue 4): `briefing brief` on the bundled data within 1.4x of
`python -c "import rich.console, rich.table, rich.panel"`.

Every command runs as its own process with stdout to /dev/null (not a terminal, so the
plain path), interleaved so that machine noise hits both sides alike; the table shows the
median and the fastest of each.  Bytecode: this environment may set PYTHONDONTWRITEBYTECODE,
which makes every process recompile every module it imports (both the floor and the brief),
so the bench drops it and keeps a bytecode cache under bench/out/ (as a normal install
would), warming up first.  The record cache (XDG_CACHE_HOME) goes there too.

Then: what the brief imports (`-X importtime`, grouped by top-level package) and, inside one
process, where the time goes (startup + imports, loading the data, filtering, rendering).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from timing import bench_env, timed_process  # bench/timing.py: this script runs with bench/ on sys.path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
VENV_PY = REPO / ".venv" / "bin" / "python"
VENV_BRIEFING = REPO / ".venv" / "bin" / "briefing"
BORDER_POST = "2019-11-06-border-post"


IMPORTS_PROBE = r"""
import io, json, sys
sys.argv = ["briefing", *json.loads(sys.argv[1])]
out, sys.stdout = sys.stdout, io.StringIO()
from briefing.cli import main
main()
sys.stdout = out
print(json.dumps(sorted(sys.modules)))
"""

STAGES_PROBE = r"""
import time
t0 = time.perf_counter()
import io, json, sys
from briefing.cli import build_parser
from briefing.commands.common import load, select
from briefing.summary import profile_actors
from briefing.render.console import make_console
from rich.console import Group
from briefing.render.brief import brief
from briefing.summary import gather
t1 = time.perf_counter()
args = build_parser().parse_args(["brief", *json.loads(sys.argv[1])])
ds = load(args)
t2 = time.perf_counter()
query, events = select(args, ds)
t3 = time.perf_counter()
console = make_console("never", None, file=io.StringIO())
console.print(Group(*brief(ds, gather(ds, events, str(query), profiles=profile_actors(ds, query)), None)))
t4 = time.perf_counter()
print(json.dumps({"imports (cli, records, rich, render)": t1 - t0, "load data": t2 - t1,
                  "filter": t3 - t2, "build + render": t4 - t3, "events": len(events)}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9, help="runs per command (median; at least 7)")
    ap.add_argument("--data", metavar="DIR", help="data directory (default: the bundled data)")
    opts = ap.parse_args()
    runs = max(7, opts.runs)
    py = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))
    briefing = [str(VENV_BRIEFING)] if VENV_BRIEFING.exists() else [py, "-m", "briefing"]
    data = ["--data", opts.data] if opts.data else []
    OUT.mkdir(parents=True, exist_ok=True)
    env = bench_env()

    commands: list[tuple[str, list[str]]] = [
        ("python -c pass", [py, "-c", "pass"]),
        (
            "floor: import rich.console, rich.table, rich.panel",
            [py, "-c", "import rich.console, rich.table, rich.panel"],
        ),
        ("briefing brief", [*briefing, "brief", *data]),
        (f"briefing brief --event {BORDER_POST}", [*briefing, "brief", *data, "--event", BORDER_POST]),
        ("briefing brief --actor iskp", [*briefing, "brief", *data, "--actor", "iskp"]),
    ]
    # The optional commands need the bundled ids; drop them when they do not resolve.
    usable = []
    for name, cmd in commands:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        if r.returncode == 0:
            usable.append((name, cmd))
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # second warm-up
        elif name in ("briefing brief",) or name.startswith("floor"):
            raise SystemExit(f"{name} failed: {r.stderr.decode(errors='replace')}")
        else:
            first = (r.stderr.decode(errors="replace").strip().splitlines() or [""])[0]
            print(f"skipped {name!r}: exit {r.returncode}: {first}")
    times: dict[str, list[float]] = {name: [] for name, _ in usable}
    for _ in range(runs):
        for name, cmd in usable:
            times[name].append(timed_process(cmd, env))

    floor = statistics.median(times["floor: import rich.console, rich.table, rich.panel"])
    width = max(len(n) for n in times)
    print(f"whole-process wall time, {runs} runs each, interleaved, stdout to /dev/null  ({py})")
    print(f"{'command':<{width}}  {'median':>8}  {'fastest':>8}  {'x floor':>7}")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 8}  {'-' * 7}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<{width}}  {med:8.3f}  {min(ts):8.3f}  {med / floor:7.2f}")
    ratio = statistics.median(times["briefing brief"]) / floor
    print(f"\nbriefing brief / floor = {ratio:.2f}x (goal <= 1.40x): {'met' if ratio <= 1.4 else 'NOT met'}")

    # -- what the brief imports ------------------------------------------------------------
    r = subprocess.run([py, "-c", IMPORTS_PROBE, json.dumps(["brief", *data])], capture_output=True, text=True, env=env)
    modules = json.loads(r.stdout) if r.returncode == 0 else []
    r = subprocess.run(
        [py, "-X", "importtime", "-c", IMPORTS_PROBE, json.dumps(["brief", *data])],
        capture_output=True,
        text=True,
        env=env,
    )
    self_time = {}
    for line in r.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3:
            continue
        top = parts[2].strip().split(".")[0]
        self_time[top] = self_time.get(top, 0) + int(parts[0])
    by_top: dict[str, int] = {}
    for m in modules:
        top = m.split(".")[0]
        by_top[top] = by_top.get(top, 0) + 1
    print(f"\nmodules imported by `briefing brief`: {len(modules)}")
    for pkg in ("textual", "pydantic", "pydantic_core", "rich.markdown", "rich.syntax", "pygments"):
        present = pkg in modules or any(m.startswith(pkg + ".") for m in modules)
        print(f"  {pkg:<14} {'IMPORTED' if present else 'not imported'}")
    print("import self-time by top-level package (ms; -X importtime, one run, includes first-run noise):")
    for top, us in sorted(self_time.items(), key=lambda kv: -kv[1])[:14]:
        print(f"  {top:<20} {us / 1000:7.1f}  ({by_top.get(top, 0)} modules)")
    ours = sorted(m for m in modules if m.startswith("briefing"))
    print("briefing modules:", ", ".join(ours))

    # -- where the time goes, inside one process ---------------------------------------------
    stages = [
        json.loads(
            subprocess.run(
                [py, "-c", STAGES_PROBE, json.dumps(data)], capture_output=True, text=True, env=env, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    print(f"\ninside one process (median of 5; {stages[0]['events']} events):")
    for key in stages[0]:
        if key != "events":
            print(f"  {key:<40} {statistics.median(s[key] for s in stages) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
