"""End to end in a real terminal: tmux at 80x24 with TERM=xterm, keys sent as a user types them.

A shell in a private tmux server runs the virtualenv's `briefing` on the bundled data; the test
filters to the border-post day, opens the event, reads the screen with `capture-pane` (the
17 dead and the Islamic State's "at least 10" claim side by side), quits with `q`, and checks
the exit status is 0 and the shell prompt is back.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tmux_pane import TmuxPane
from tui_helpers import BORDER_POST, BUNDLED

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

PROMPT = "E2E-PROMPT$ "


class Pane(TmuxPane):
    def __init__(self, sock: Path) -> None:
        super().__init__(sock, "e2e")

    def wait_for(self, want: str | Callable[[str], bool], timeout: float = 15.0) -> str:
        return super().wait_for(want, timeout)


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    p = Pane(tmp_path / "tmux.sock")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm",
        "PS1": PROMPT,
    }
    shell = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " sh"
    p.tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", shell)
    p.tmux("set-option", "-t", "e2e", "status", "off")
    try:
        p.wait_for(PROMPT.rstrip(), timeout=10)
        yield p
    finally:
        p.tmux("kill-server", check=False)


def first_row(screen: str) -> str:
    lines = screen.splitlines()
    return lines[2] if len(lines) > 2 else ""


def test_open_border_post_and_quit_in_tmux(pane: Pane) -> None:
    briefing = Path(sys.executable).with_name("briefing")
    assert briefing.exists(), briefing
    pane.literal(f'{shlex.quote(str(briefing))} --data {shlex.quote(str(BUNDLED))}; echo "EXIT=$?"')
    pane.keys("Enter")
    screen = pane.wait_for("events ·", timeout=20)
    assert max(len(line) for line in screen.splitlines()) <= 80

    pane.keys("/")
    pane.wait_for("apply")  # the filter input has the keyboard
    pane.literal("since:2019-11-06 until:2019-11-06 type:battles")
    pane.wait_for(lambda s: first_row(s).lstrip().startswith("2019-11-06") and "→" in s)
    pane.keys("Enter")  # close the input, keep the filter
    pane.wait_for(lambda s: "apply" not in s.splitlines()[-1])
    pane.keys("Enter")  # open the highlighted (first) event
    screen = pane.wait_for(f"event {BORDER_POST}")
    screen = pane.wait_for("≥10")

    assert re.search(r"(?<![\d,])17(?![\d,])", screen), screen  # the 17 dead (Tajik authorities)
    # the Interior Ministry's 2 and the Islamic State's ≥10 on one line: the claims side by side
    side_by_side = [line for line in screen.splitlines() if re.search(r"(?<![\d,≥])2 .*≥10 Islamic", line)]
    assert side_by_side, screen

    pane.keys("q")
    screen = pane.wait_for(lambda s: "EXIT=" in s and s.rstrip().endswith(PROMPT.rstrip()), timeout=15)
    assert "EXIT=0" in screen, screen
    assert f"event {BORDER_POST}" not in screen  # the alternate screen is gone, the shell is back


def test_keys_typed_as_it_starts_keep_their_enter(pane: Pane) -> None:
    # What a user saw (QA regress 9): `/russia⏎x` typed with the command, before the first
    # frame, filtered for `russiax`: the tty, not yet raw, had made the Enter a line feed.
    briefing = Path(sys.executable).with_name("briefing")
    pane.literal(f'{shlex.quote(str(briefing))} --data {shlex.quote(str(BUNDLED))}; echo "EXIT=$?"')
    pane.keys("Enter", "/russia", "Enter", "x")  # one burst: the command, then the keys at once
    screen = pane.wait_for("Export the 5 events shown", timeout=20)
    assert "russiax" not in screen, screen
    pane.keys("Escape")
    pane.wait_for(lambda s: "filter: russia →" in s.splitlines()[0])
    pane.keys("q")
    assert "EXIT=0" in pane.wait_for(lambda s: "EXIT=" in s, timeout=15)


def test_sigterm_gives_the_terminal_back(pane: Pane) -> None:
    """QA s9: `kill` (a supervisor, `timeout`, an admin) left the shell on the alternate
    screen with the cursor hidden and mouse reporting on, until `reset`; q and ctrl+c did not.
    SIGTERM now ends the app as q does: the terminal restored, a status of 143 (128 + 15)."""
    briefing = Path(sys.executable).with_name("briefing")
    pid_file = Path(pane.sock).with_name("pid")
    run = (
        f"echo $$ > {shlex.quote(str(pid_file))}; exec {shlex.quote(str(briefing))} --data {shlex.quote(str(BUNDLED))}"
    )
    pane.literal(f'sh -c {shlex.quote(run)}; echo "EXIT=$?"')
    pane.keys("Enter")
    pane.wait_for("events ·", timeout=20)
    os.kill(int(pid_file.read_text()), 15)
    # the status printed, not the `EXIT=` of the command line, on screen once the app has gone
    screen = pane.wait_for(lambda s: re.search(r"EXIT=\d", s) is not None, timeout=15)
    assert "EXIT=143" in screen, screen
    shown = pane.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag} #{mouse_any_flag}")
    assert shown.split() == ["0", "1", "0"], shown
