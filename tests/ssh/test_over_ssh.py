"""briefing over a real SSH session, in a real terminal (tmux) at 80x24 with TERM=xterm.

A throwaway sshd (see `harness.py`) listens on 127.0.0.1; tmux runs `ssh -tt` to it, and the
remote command starts briefing from this checkout's virtualenv.  The first test browses to
the border-post event, sees both disputed claims, opens an actor, resizes the terminal to
120x40 and back, and quits with `q`: the shell's screen comes back and ssh exits 0.  The
second kills the ssh client mid-session: the server side must not leave a `briefing`
process behind (SIGHUP handled) for more than 5 s.

Skipped, loudly, only when sshd/ssh/tmux cannot be installed or sshd cannot start.
"""

from __future__ import annotations

import shlex
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import SshServer, Tmux, Unavailable, find_tools, kill_pid, processes_with, quote

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable  # the checkout's virtualenv interpreter (`uv run pytest`)
BEFORE = "SHELL-BEFORE-BRIEFING"
EVENT_ID = "2019-11-06-border-post"


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    try:
        return find_tools()
    except Unavailable as exc:
        _skip_loudly(str(exc))
        raise


def _skip_loudly(reason: str) -> None:
    msg = f"REAL-SSH TEST SKIPPED: {reason}"
    warnings.warn(msg, stacklevel=2)
    print(f"\n*** {msg} ***", file=sys.stderr)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def server(tools: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    tmp = tmp_path_factory.mktemp("sshd")
    srv = SshServer(tmp, tools, set_env={"BRIEFING_NO_CACHE": "1"})
    try:
        try:
            srv.start()
            srv.check_login()
        except Unavailable as exc:
            srv.stop()
            if "locked" not in str(exc):
                raise
            # root's password is locked ('!' in /etc/shadow): without PAM sshd refuses even a key
            srv = SshServer(tmp, tools, set_env={"BRIEFING_NO_CACHE": "1"}, use_pam=True)
            srv.start()
            srv.check_login()
    except Unavailable as exc:
        srv.stop()
        _skip_loudly(str(exc))
    yield srv
    srv.stop()


@pytest.fixture
def term(tools: dict[str, str], tmp_path: Path) -> Iterator[Tmux]:
    t = Tmux(tmp_path, tools["tmux"])
    yield t
    t.kill()


def start_session(server: SshServer, term: Tmux, token: str, status: Path) -> None:
    """tmux at 80x24 runs: a marker line, `ssh -tt` with TERM=xterm to briefing, then the exit status.

    The status goes to the screen and to `status`: after a killed client the terminal is left as
    the app had it (alternate screen, no autowrap), so the line on screen may be cut at the edge.
    """
    remote = (
        f"cd {shlex.quote(str(REPO))} && "
        'echo "remote: TERM=$TERM COLORTERM=${COLORTERM:-unset} SSH_CONNECTION=${SSH_CONNECTION:+set}" && '
        f"exec env -u BRIEFING_DATA BRIEFING_SSH_TOKEN={token} BRIEFING_NO_CACHE=1 "
        f"{shlex.quote(PYTHON)} -m briefing --data {shlex.quote(str(REPO / 'data'))}"
    )
    local = f'echo {BEFORE}; TERM=xterm {quote(server.ssh_argv(remote))}; st=$?; echo "SSH-EXIT=$st"; echo "$st" > {shlex.quote(str(status))}; exec sleep 600'
    term.start(f"sh -c {shlex.quote(local)}", 80, 24, env={"TERM": "xterm"})


def server_side(token: str) -> list[tuple[int, str]]:
    """briefing processes started by this session on the server side (found by their environment)."""
    return [(pid, cmd) for pid, cmd in processes_with(token, "environ") if "briefing" in cmd]


def first_row(screen: str) -> str:
    """The event list's first row (under the title bar and the column headings)."""
    lines = screen.splitlines()
    return lines[2].strip() if len(lines) > 2 else ""


def widest(screen: str) -> int:
    return max((len(line.rstrip()) for line in screen.splitlines()), default=0)


def test_browse_resize_and_quit_over_ssh(server: SshServer, term: Tmux, tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    start_session(server, term, token, tmp_path / "ssh-status")
    try:
        screen = term.wait_for("events ·", timeout=20)
        assert term.size() == (80, 24)
        assert widest(screen) <= 80

        # the border-post event: filter to its day, open it
        term.keys("/")
        term.wait_for("apply", timeout=5)  # the filter input has the keyboard (its footer)
        term.literal("since:2019-11-06 until:2019-11-06")
        term.wait_for(lambda s: first_row(s).startswith("2019-11-06"), timeout=10)
        term.keys("Enter")  # leave the filter input
        term.wait_for(lambda s: first_row(s).startswith("2019-11-06") and "Attack on a border post" in first_row(s))
        time.sleep(0.3)
        term.keys("Enter")  # open the selected (first) row
        screen = term.wait_for(f"event {EVENT_ID}", timeout=10)
        assert "17" in screen  # the Tajik government's toll
        # scroll the reading pane until the Islamic State's claim (at least 10 guards) shows
        for _ in range(6):
            if "≥10" in screen:
                break
            term.keys("PageDown")
            time.sleep(0.4)
            screen = term.screen()
        assert "≥10 Islamic State" in screen, screen

        # the figures table takes focus first: the selected claim is spelled out under it
        term.keys("Tab")
        term.wait_for("enter: open its source", timeout=5)
        # an actor: the next pane lists the event's actors (the perpetrator first); enter opens it
        term.keys("Tab")
        term.wait_for("Actors", timeout=5)
        term.keys("Enter")
        screen = term.wait_for("actor isis", timeout=10)
        assert "Islamic State" in screen

        # resize to 120x40 and back: the app redraws at each size
        term.resize(120, 40)
        screen = term.wait_for(lambda s: len(s.splitlines()) >= 39 and widest(s) > 80, timeout=10)
        assert term.size() == (120, 40)
        assert "actor isis" in screen
        term.resize(80, 24)
        screen = term.wait_for(lambda s: widest(s) <= 80 and "actor isis" in s, timeout=10)
        assert term.size() == (80, 24)

        # quit: the shell's screen is back, the remote saw TERM=xterm over ssh, ssh exits 0
        term.keys("q")
        screen = term.wait_for("SSH-EXIT=", timeout=15)
        assert "SSH-EXIT=0" in screen, screen
        assert BEFORE in screen
        assert "remote: TERM=xterm COLORTERM=unset SSH_CONNECTION=set" in screen
        assert "actor isis" not in screen and "events ·" not in screen  # alternate screen left
        assert not server_side(token)
    finally:
        for pid, _ in server_side(token):
            kill_pid(pid)


def test_killing_the_ssh_client_leaves_no_briefing_behind(server: SshServer, term: Tmux, tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    status = tmp_path / "ssh-status"
    start_session(server, term, token, status)
    try:
        term.wait_for("events ·", timeout=20)
        term.keys("j")  # mid-session: a screen in use
        remote = server_side(token)
        assert remote, "the briefing process on the server side was not found"
        clients = [
            pid
            for pid, cmd in processes_with(token, "cmdline")
            if cmd.split(" ", 1)[0].endswith("ssh") and pid not in dict(remote)
        ]
        assert len(clients) == 1, clients
        kill_pid(clients[0])  # SIGKILL: the link drops with no goodbye
        deadline = time.monotonic() + 5
        while server_side(token) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = server_side(token)
        assert not left, f"briefing still running on the server side 5 s after the client died: {left}"
        # the local shell went on past ssh (its status is in the file: the screen may cut the line)
        deadline = time.monotonic() + 5
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert status.exists(), "the local shell did not go on 5 s after ssh was killed"
        assert status.read_text().strip() == "137", "ssh killed by SIGKILL ends with status 128+9"
    finally:
        for pid, _ in server_side(token):
            kill_pid(pid)
