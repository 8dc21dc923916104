"""The cost of the record declarations: building the pydantic models, and a cold parse of
curated TOML through them, each against a floor measured in the same run.

    .venv/bin/python bench/bench_records.py [--runs 11] [--events 5000]

Why: the pydantic models of `briefing.schema` are derived from the runtime records'
declarations (`briefing.records`) when the module is imported (issue 10, item 4).  This
shows what importing the models costs over pydantic itself, and what a cold parse costs
over the TOML parse alone.  To compare two versions of the code, run it once per tree,
the other one first on the path (`PYTHONPATH=OTHER/src`).  Rows (whole processes,
interleaved, stdout to /dev/null; median and fastest):

* `import pydantic` (the floor for the next row) and `import briefing.schema` (pydantic
  plus the models being built);
* reading and parsing every file (`briefing.tomlread`) of a synthetic `--events` TOML
  folder (the floor for the next row) and `load_dataset` on it with BRIEFING_NO_CACHE=1
  (every file parsed, validated, converted to runtime records and checked, in memory: the
  cold path);

then, inside one process (fastest of --runs), the stages of that cold parse: the TOML parse,
`model_validate` + `model_dump`, and the dict -> runtime record conversion.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from timing import timed_process  # bench/timing.py: this script runs with bench/ on sys.path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PY = REPO / ".venv" / "bin" / "python"

PARSE_FLOOR = r"""
import sys
from pathlib import Path
from briefing.tomlread import loads
for p in sorted(Path(sys.argv[1]).glob("*.toml")):
    loads(p.read_text(encoding="utf-8"))
"""

COLD_LOAD = r"""
import sys
from pathlib import Path
from briefing.loader import load_dataset
load_dataset(Path(sys.argv[1]), skip_invalid=True)
"""

STAGES = r"""
import json, sys, time
from pathlib import Path
from briefing import records
from briefing.tomlread import loads
from briefing.schema import MODELS
runs = int(sys.argv[2])
docs = [loads(p.read_text(encoding="utf-8")) for p in sorted(Path(sys.argv[1]).glob("*.toml"))]
convert = {"source": records.source_from_dict, "actor": records.actor_from_dict, "event": records.event_from_dict}
best = {"TOML parse": 1e9, "validate + dump": 1e9, "to runtime records": 1e9}
n = 0
for _ in range(runs):
    t = time.perf_counter()
    for p in sorted(Path(sys.argv[1]).glob("*.toml")):
        loads(p.read_text(encoding="utf-8"))
    best["TOML parse"] = min(best["TOML parse"], time.perf_counter() - t)
    t = time.perf_counter()
    dumped = [(k, MODELS[k].model_validate(r).model_dump()) for d in docs for k, rs in d.items() for r in rs]
    best["validate + dump"] = min(best["validate + dump"], time.perf_counter() - t)
    t = time.perf_counter()
    made = [convert[k](r) for k, r in dumped]
    best["to runtime records"] = min(best["to runtime records"], time.perf_counter() - t)
    n = len(made)
print(json.dumps({"records": n, **best}))
"""


def bench_env(tree: str, src: str | None, *, cold: bool) -> dict[str, str]:
    """The environment of one tree's processes: its own bytecode and store folders, the other
    tree's sources first on the path when src is given."""
    drop = ("PYTHONDONTWRITEBYTECODE", "BRIEFING_DATA", "BRIEFING_NO_CACHE", "PYTHONPATH", "NO_COLOR", "FORCE_COLOR")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["XDG_CACHE_HOME"] = str(OUT / f"cache-{tree}")
    if src:
        env["PYTHONPATH"] = src
    if cold:
        env["BRIEFING_NO_CACHE"] = "1"
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument(
        "--against", metavar="SRC", help="another tree's src/ folder: each row is run for both, interleaved"
    )
    args = ap.parse_args()
    trees = {"this": None, **({"against": str(Path(args.against).resolve())} if args.against else {})}
    for tree, src in trees.items():
        where = subprocess.run(
            [str(PY), "-c", "import briefing; print(briefing.__file__)"],
            capture_output=True,
            text=True,
            env=bench_env(tree, src, cold=False),
            check=True,
        ).stdout.strip()
        if src and not where.startswith(src):
            raise SystemExit(f"--against {src}: the code imported is {where}")
        print(f"{tree}: {where}")
    data = OUT / f"records-toml-{args.events}"
    if not (data / ".done").exists():
        print(f"generating {args.events} TOML events ...", file=sys.stderr)
        data.mkdir(parents=True, exist_ok=True)
        synth = [str(PY), "-m", "briefing.devtools.synth", "--events", str(args.events), "--seed", "1"]
        env = bench_env("this", None, cold=True)
        subprocess.run([*synth, "--format", "toml", str(data)], check=True, env=env, stdout=subprocess.DEVNULL)
        (data / ".done").write_text("")
    # (floor, what is measured against it, whether the measured one runs cold)
    pairs = [
        (
            (
                "import rich.console, rich.table, rich.panel",
                [str(PY), "-c", "import rich.console, rich.table, rich.panel"],
            ),
            ("briefing brief (bundled data, warm)", [str(PY), "-m", "briefing", "brief", "--data", str(REPO / "data")]),
            False,
        ),
        (
            ("import pydantic", [str(PY), "-c", "import pydantic; pydantic.BaseModel"]),
            ("import briefing.schema", [str(PY), "-c", "import briefing.schema"]),
            False,
        ),
        (
            (f"TOML parse, {args.events} events", [str(PY), "-c", PARSE_FLOOR, str(data)]),
            (f"cold load_dataset, {args.events} events", [str(PY), "-c", COLD_LOAD, str(data)]),
            True,
        ),
    ]
    jobs = []  # (row name, tree, command, env): floors run on this tree only
    for (floor, fcmd), (name, cmd), cold in pairs:
        jobs.append((floor, "floor", fcmd, bench_env("this", None, cold=False)))
        jobs += [(name, tree, cmd, bench_env(tree, src, cold=cold)) for tree, src in trees.items()]
    for _, _, cmd, env in jobs:  # warm-up: bytecode written, stores built, files in the page cache
        timed_process(cmd, env)
    times: dict[tuple[str, str], list[float]] = {(name, tree): [] for name, tree, _, _ in jobs}
    for i in range(args.runs):
        for name, tree, cmd, env in jobs if i % 2 == 0 else jobs[::-1]:
            times[name, tree].append(timed_process(cmd, env))
    print(f"whole-process wall time, {args.runs} runs each, interleaved (seconds)")
    print(f"{'command':<42} {'tree':<8} {'median':>7} {'fastest':>8} {'x floor':>8}")
    floor_med = 0.0
    for name, tree, _, _ in jobs:
        med = statistics.median(times[name, tree])
        if tree == "floor":
            floor_med = med
        print(f"{name:<42} {tree:<8} {med:7.3f} {min(times[name, tree]):8.3f} {med / floor_med:8.2f}")
    if args.against:
        print("\nthis / against (medians):")
        for _, (name, _), _ in pairs:
            ratio = statistics.median(times[name, "this"]) / statistics.median(times[name, "against"])
            print(f"  {name:<42} {ratio:.3f}")
    for tree, src in trees.items():
        env = bench_env(tree, src, cold=True)
        r = subprocess.run(
            [str(PY), "-c", STAGES, str(data), str(args.runs)], capture_output=True, text=True, env=env, check=True
        )
        stages = json.loads(r.stdout)
        print(f"\n{tree}: in one process, fastest of {args.runs} ({stages.pop('records')} records):")
        for name, secs in stages.items():
            print(f"  {name:<24} {secs * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
