"""Whole-process wall time of a command, for the benchmarks (bench_brief.py, bench_scale.py,
which run as scripts with this folder on sys.path)."""

from __future__ import annotations

import subprocess
import time


def timed_process(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from launch to exit, stdout to /dev/null (not a terminal); a failure stops the bench."""
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr.decode(errors='replace')}")
    return elapsed
