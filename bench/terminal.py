"""A private tmux server for the benchmarks: launch a command in an 80x24 pane and time how
long until marks appear on its screen (`capture-pane` polled every 10 ms).

Shared by bench_tui.py and bench_scale.py, which run as scripts with this folder on sys.path.
"""

from __future__ import annotations

import shlex
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.01
Mark = str | Callable[[str], bool]  # text on screen, or a test of the screen's text


class Terminal:
    """A private tmux server with one 80x24 pane; commands are timed until a mark is on screen."""

    def __init__(self, sock: Path, env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.sock = str(sock)
        self.env = env
        self.tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", str(size[0]), "-y", str(size[1]), "sleep 3600"
        )
        self.tmux("set-option", "-t", "bench", "status", "off")
        self.tmux("set-option", "-t", "bench", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        r = subprocess.run(["tmux", "-S", self.sock, *args], capture_output=True, text=True, env=self.env)
        if r.returncode != 0:
            raise SystemExit(f"tmux {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "bench")

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())

    def dead(self) -> bool:
        return self.tmux("list-panes", "-t", "bench", "-F", "#{pane_dead}").strip() == "1"

    def launch(self, command: str, env: dict[str, str], marks: list[Mark], timeout: float = 120.0) -> list[float]:
        """Respawn the pane with command; seconds until each mark (a string, or a predicate on
        the screen text) is first seen, in order."""
        self.tmux("respawn-pane", "-k", "-t", "bench", "sleep 3600")  # a clean screen first
        self.tmux("send-keys", "-t", "bench", "-R")
        self.tmux("clear-history", "-t", "bench")
        envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k != "TMUX")
        t0 = time.perf_counter()
        self.tmux("respawn-pane", "-k", "-t", "bench", f"exec env -i {envs} {command}")
        return self._wait(t0, marks, timeout, command)

    def press(self, key: str, marks: list[Mark], timeout: float = 60.0) -> float:
        """Send a key to the running program; seconds until the last mark is on screen."""
        t0 = time.perf_counter()
        self.tmux("send-keys", "-t", "bench", key)
        return self._wait(t0, marks, timeout, f"the key {key}")[-1]

    def _wait(self, t0: float, marks: list[Mark], timeout: float, what: str) -> list[float]:
        """Seconds from t0 until each mark (a string, or a predicate on the screen text) is
        first seen, in order; the bench stops when one is not seen within timeout."""
        out: list[float] = []
        pending = list(marks)
        while pending and time.perf_counter() - t0 < timeout:
            screen = self.screen()
            now = time.perf_counter() - t0
            while pending and (pending[0](screen) if callable(pending[0]) else pending[0] in screen):
                out.append(now)
                pending.pop(0)
            if pending:
                time.sleep(POLL)
        if pending:
            raise SystemExit(f"timed out waiting for {pending[0]!r} from: {what}\n{self.screen()}")
        return out

    def peak_rss_mib(self) -> float:
        try:
            for line in Path(f"/proc/{self.pid()}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def wait_dead(self, timeout: float) -> bool:
        """Whether the pane's process exits within timeout seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.dead():
                return True
            time.sleep(POLL)
        return False

    def quit(self, keys: tuple[str, ...] = ("q",)) -> None:
        """Send keys and wait for the program to exit; one that does not is killed."""
        for k in keys:
            self.tmux("send-keys", "-t", "bench", k)
        if not self.wait_dead(15):
            self.tmux("respawn-pane", "-k", "-t", "bench", "sleep 3600")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.sock, "kill-server"], capture_output=True)
