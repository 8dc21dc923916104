"""Whole-process wall time of a command, and the environment the benchmarks run it in (for
bench_brief.py, bench_scale.py and bench_tui.py, which run as scripts with this folder on sys.path)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

# What the calling shell may set that would change what is measured: colour, sizes, the store
# in memory, a theme, being inside tmux or ssh, another data directory.
_DROP = (
    "PYTHONDONTWRITEBYTECODE",
    "NO_COLOR",
    "FORCE_COLOR",
    "COLUMNS",
    "LINES",
    "BRIEFING_NO_CACHE",
    "TEXTUAL_THEME",
    "SSH_CONNECTION",
    "TMUX",
    "BRIEFING_DATA",
)


def bench_env(work: Path = OUT, **extra: str) -> dict[str, str]:
    """The environment minus `_DROP`; bytecode kept under bench/out/ (as an installed package
    has it), the store and the config under `work`, TERM=xterm; then `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(
        PYTHONPYCACHEPREFIX=str(OUT / "pycache"),
        XDG_CACHE_HOME=str(work / "cache"),
        XDG_CONFIG_HOME=str(work / "config"),
        TERM="xterm",
    )
    env.update(extra)
    return env


def timed_process(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from launch to exit, stdout to /dev/null (not a terminal); a failure stops the bench."""
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr.decode(errors='replace')}")
    return elapsed


def p95(xs: list[float]) -> float:
    """The 95th percentile of xs (nearest rank), as every bench prints it."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(0.95 * (len(xs) - 1))))]
