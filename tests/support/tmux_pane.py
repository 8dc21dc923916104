"""A private tmux server with one named session: the terminal the end-to-end tests type into
and read back, as a person at a keyboard would (`send-keys`, `capture-pane`)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path


class TmuxPane:
    """The tmux server on socket `sock`; keys go to, and screens come from, session `target`."""

    def __init__(self, sock: Path, target: str) -> None:
        self.sock = str(sock)
        self.target = target

    def tmux(self, *args: str, check: bool = True) -> str:
        r = subprocess.run(["tmux", "-S", self.sock, *args], capture_output=True, text=True, timeout=20)
        if check and r.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {r.stderr}")
        return r.stdout

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(("-e",) if escapes else ()), "-t", self.target, check=False)

    def keys(self, *keys: str) -> None:
        """Keys by tmux name (`Enter`, `C-u`), all in ONE send-keys call: they arrive together."""
        self.tmux("send-keys", "-t", self.target, *keys)

    def literal(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def wait_for(self, want: str | Callable[[str], bool], timeout: float = 20.0) -> str:
        test = (lambda s: want in s) if isinstance(want, str) else want
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {want!r}; screen was:\n{screen}")
