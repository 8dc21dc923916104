"""Launch to first frame of the TUI in a real terminal, against the floor of importing Textual.

    .venv/bin/python bench/bench_tui.py [--runs 7] [--data DIR] [--against SRC]

Goal (issue 3): `briefing` (the TUI) on the bundled data shows its first frame within 1.3x of
the time `python -c "import textual.app"` takes, measured the same way in the same run.

How: one private tmux server with an 80x24 pane and TERM=xterm.  Each run respawns the pane
with the command and polls `tmux capture-pane` every ~10 ms until a known string is on the
screen: for the floor, a marker the import prints when it is done; for briefing, its header
("events ·"), i.e. the first frame as the user sees it.  Then `q`, and the next run waits for
the pane's process to end.  Runs of the two sides are interleaved so machine noise hits both.

Both sides run the project's virtualenv directly (`.venv/bin/python`, `.venv/bin/briefing`),
not `uv run`, which adds its own start-up to every launch.  Bytecode: this environment may set
PYTHONDONTWRITEBYTECODE, which would make every process recompile everything it imports, so the
bench drops it and keeps a bytecode cache under bench/out/ (as an install would), and the
record cache (XDG_CACHE_HOME) goes there too; warm-up runs come first.  Two more rows, for
information: a one-Static Textual app's first frame (what starting any Textual app costs over
the bare import), and briefing with BRIEFING_NO_CACHE=1 (every file parsed and validated).
`--against SRC` adds a row for another tree's code (its `src/`, e.g. from `git archive`), run
by the same interpreter with SRC first on its path, interleaved with the others: an A/B.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from terminal import Terminal  # bench/terminal.py and bench/timing.py: this script runs with bench/ on sys.path
from timing import bench_env

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
VENV_PY = REPO / ".venv" / "bin" / "python"
VENV_BRIEFING = REPO / ".venv" / "bin" / "briefing"
FLOOR_MARK = "FLOOR-IMPORTED"
MINIMAL_MARK = "MINIMAL-APP-FRAME"
MINIMAL_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    def compose(self):\n"
    f"        yield Static({MINIMAL_MARK!r})\n"
    "    def on_key(self, event):\n"
    "        self.exit()\n"
    "Minimal().run()\n"
)
FRAME_MARK = "events ·"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per command (>= 5; default 7)")
    ap.add_argument("--data", default=str(REPO / "data"), help="data directory (default: the bundled data)")
    ap.add_argument("--against", metavar="SRC", help="another tree's src/ folder, timed beside this one")
    args = ap.parse_args()
    if args.runs < 5:
        raise SystemExit("--runs: at least 5, so that the medians mean something")
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (apt-get install tmux)")
    for p in (VENV_PY, VENV_BRIEFING):
        if not p.exists():
            raise SystemExit(f"{p}: not found; run `uv sync` first")
    OUT.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    floor_cmd = f"{shlex.quote(str(VENV_PY))} -c " + shlex.quote(f"import textual.app; print({FLOOR_MARK!r})")
    tui_cmd = f"{shlex.quote(str(VENV_BRIEFING))} --data {shlex.quote(args.data)}"
    cold_cmd = f"env BRIEFING_NO_CACHE=1 {tui_cmd}"
    minimal_cmd = f"{shlex.quote(str(VENV_PY))} -c {shlex.quote(MINIMAL_APP)}"

    tmp = Path(tempfile.mkdtemp(prefix="bench-tui-"))
    term = Terminal(tmp / "tmux.sock", env)
    times: dict[str, list[float]] = {"floor": [], "minimal": [], "briefing": [], "briefing, no record cache": []}
    entry = shlex.quote("import sys; from briefing.cli import entry; sys.exit(entry())")
    against_cmd = None
    if args.against:
        src = shlex.quote(str(Path(args.against).resolve()))
        cache = shlex.quote(str(OUT / "cache-against"))  # its own store: the two trees' fingerprints differ
        against_cmd = f"env PYTHONPATH={src} XDG_CACHE_HOME={cache} {shlex.quote(str(VENV_PY))} -c {entry} --data {shlex.quote(args.data)}"
        times["against"] = []

    def tui(command: str, mark: str = FRAME_MARK) -> float:
        [t] = term.launch(command, env, [mark], timeout=30)
        term.tmux("send-keys", "-t", "bench", "q")
        if not term.wait_dead(10):
            raise SystemExit(f"the pane's process did not exit:\n{term.screen()}")
        return t

    try:
        for _ in range(2):  # warm-up: bytecode and record caches, page cache
            term.launch(floor_cmd, env, [FLOOR_MARK], timeout=30)[0]
            tui(tui_cmd)
        for _ in range(args.runs):
            times["floor"].append(term.launch(floor_cmd, env, [FLOOR_MARK], timeout=30)[0])
            times["minimal"].append(tui(minimal_cmd, MINIMAL_MARK))
            times["briefing"].append(tui(tui_cmd))
            times["briefing, no record cache"].append(tui(cold_cmd))
            if against_cmd:
                times["against"].append(tui(against_cmd))
    finally:
        term.close()
        shutil.rmtree(tmp, ignore_errors=True)

    print("briefing TUI: launch to first frame in tmux (80x24, TERM=xterm), polling capture-pane every 10 ms")
    print(f"runs: {args.runs} each, interleaved, after 2 warm-ups; data: {args.data}")
    print("commands run the virtualenv directly (.venv/bin/python, .venv/bin/briefing), not `uv run`")
    print()
    print(f"{'command':<34} {'median':>9} {'fastest':>9} {'slowest':>9}")
    labels = {
        "floor": 'python -c "import textual.app"',
        "minimal": "a one-Static Textual app (frame)",
        "briefing": "briefing (first frame)",
        "briefing, no record cache": "briefing, BRIEFING_NO_CACHE=1",
        "against": f"briefing from {args.against}",
    }
    for key, values in times.items():
        print(
            f"{labels[key][-34:]:<34} {statistics.median(values) * 1000:>7.0f}ms {min(values) * 1000:>7.0f}ms "
            f"{max(values) * 1000:>7.0f}ms"
        )
    floor = statistics.median(times["floor"])
    ratio = statistics.median(times["briefing"]) / floor
    cold = statistics.median(times["briefing, no record cache"]) / floor
    print()
    print(
        f"ratio (median briefing first frame / median textual import): {ratio:.2f}x   (goal <= 1.3x)"
        f"{'  OK' if ratio <= 1.3 else '  ABOVE GOAL'}"
    )
    print(f"ratio without the record cache: {cold:.2f}x (for information)")
    minimal = statistics.median(times["minimal"]) / floor
    print(f"a one-widget Textual app's first frame: {minimal:.2f}x the import (what any Textual app pays to start)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
