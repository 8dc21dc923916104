"""A throwaway sshd and a tmux terminal, for driving briefing over a real SSH session.

Nothing of the system's ssh configuration is read or changed: the host key, the user key,
`authorized_keys`, `sshd_config` and the pid file all live in a temporary directory, and
sshd listens on 127.0.0.1 at a free port.  The one system path sshd insists on is its
privilege-separation directory (/run/sshd), created empty if missing, as the distribution's
own service does.

`Unavailable` is raised (and the test skips, loudly) only when sshd cannot be found,
installed or started.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


class Unavailable(Exception):
    """sshd (or ssh, tmux) cannot be installed or started here."""


def _which(name: str, *extra: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for p in extra:
        if os.access(p, os.X_OK):
            return p
    return None


def find_tools(install: bool = True) -> dict[str, str]:
    """Paths of sshd, ssh, ssh-keygen and tmux; installs openssh with apt when root and allowed."""
    want = {
        "sshd": ("/usr/sbin/sshd",),
        "ssh": ("/usr/bin/ssh",),
        "ssh-keygen": ("/usr/bin/ssh-keygen",),
        "tmux": ("/usr/bin/tmux",),
    }
    tools = {name: _which(name, *extra) for name, extra in want.items()}
    missing = [n for n, p in tools.items() if not p]
    if (
        missing
        and install
        and os.geteuid() == 0
        and shutil.which("apt-get")
        and os.environ.get("BRIEFING_SSH_INSTALL") != "0"
    ):
        pkgs = sorted(
            {"tmux" if n == "tmux" else "openssh-server" if n == "sshd" else "openssh-client" for n in missing}
        )
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *pkgs]
        try:
            if subprocess.run(cmd, env=env, capture_output=True, timeout=180).returncode != 0:
                subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=180)
                subprocess.run(cmd, env=env, capture_output=True, timeout=180)
        except (OSError, subprocess.TimeoutExpired):
            pass
        tools = {name: _which(name, *extra) for name, extra in want.items()}
        missing = [n for n, p in tools.items() if not p]
    if missing:
        raise Unavailable(
            f"not installed and could not be installed: {', '.join(missing)} "
            "(.ci/run installs openssh-server, openssh-client and tmux with apt)"
        )
    return tools  # type: ignore[return-value]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SshServer:
    """sshd -D on 127.0.0.1:PORT with keys and config in `tmp`; the current user (root in CI) logs in with `self.key`."""

    def __init__(self, tmp: Path, tools: dict[str, str], set_env: dict[str, str] | None = None, use_pam: bool = False):
        self.tmp = tmp
        self.use_pam = use_pam
        self.tools = tools
        self.port = free_port()
        self.key = tmp / "user_key"
        self.set_env = set_env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = tmp / "sshd.log"

    def start(self) -> SshServer:
        keygen = self.tools["ssh-keygen"]
        for name in ("host_key", "user_key"):
            for old in (self.tmp / name, self.tmp / f"{name}.pub"):
                old.unlink(missing_ok=True)
            subprocess.run(
                [keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(self.tmp / name)],
                check=True,
                capture_output=True,
                timeout=30,
            )
        (self.tmp / "authorized_keys").write_text((self.tmp / "user_key.pub").read_text())
        os.chmod(self.tmp / "user_key", 0o600)
        set_env = " ".join(f"{k}={v}" for k, v in self.set_env.items())
        config = "\n".join(
            [
                f"Port {self.port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {self.tmp / 'host_key'}",
                f"PidFile {self.tmp / 'sshd.pid'}",
                f"AuthorizedKeysFile {self.tmp / 'authorized_keys'}",
                f"UsePAM {'yes' if self.use_pam else 'no'}",
                "StrictModes no",
                "PermitRootLogin yes",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PrintMotd no",
                "PrintLastLog no",
                "UseDNS no",
                "AcceptEnv LANG LC_* BRIEFING_* TEXTUAL_* ESCDELAY NO_COLOR",
                *([f"SetEnv {set_env}"] if set_env else []),
                "LogLevel VERBOSE",
                "",
            ]
        )
        cfg = self.tmp / "sshd_config"
        cfg.write_text(config)
        if not os.path.isdir("/run/sshd") and os.geteuid() == 0:
            try:
                os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
            except OSError as exc:
                raise Unavailable(f"cannot create sshd's privilege-separation directory /run/sshd: {exc}") from None
        check = subprocess.run([self.tools["sshd"], "-t", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise Unavailable(f"sshd rejects the test configuration: {check.stderr.strip()}")
        self.proc = subprocess.Popen(
            [self.tools["sshd"], "-D", "-e", "-f", str(cfg)], stdout=subprocess.DEVNULL, stderr=self.log.open("wb")
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Unavailable(f"sshd exited at start: {self.log.read_text(errors='replace').strip()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise Unavailable("sshd did not start listening within 10 s")

    def ssh_argv(self, remote_command: str) -> list[str]:
        return [
            self.tools["ssh"],
            "-tt",
            "-p",
            str(self.port),
            "-i",
            str(self.key),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "IdentitiesOnly=yes",
            "-F",
            "/dev/null",
            f"{pwd.getpwuid(os.geteuid()).pw_name}@127.0.0.1",
            remote_command,
        ]

    def check_login(self) -> None:
        argv = self.ssh_argv("echo ssh-ok")
        argv.remove("-tt")
        r = subprocess.run(argv, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
        if "ssh-ok" not in r.stdout:
            raise Unavailable(
                f"cannot log in to the test sshd: {r.stderr.strip()} / "
                f"{self.log.read_text(errors='replace').strip()[-500:]}"
            )

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


class Tmux:
    """One tmux server on a private socket, one window running a shell command."""

    def __init__(self, tmp: Path, tmux: str):
        self.sock = str(tmp / "tmux.sock")
        self.tmux = tmux

    def run(self, *args: str, check: bool = True) -> str:
        r = subprocess.run([self.tmux, "-u", "-S", self.sock, *args], capture_output=True, text=True, timeout=20)
        if check and r.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def start(self, command: str, width: int = 80, height: int = 24, env: dict[str, str] | None = None) -> None:
        env_args = [a for k, v in (env or {}).items() for a in ("-e", f"{k}={v}")]
        self.run(
            "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), *env_args, command
        )
        self.run("set-option", "-t", "t", "remain-on-exit", "on", check=False)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "t", check=False)

    def size(self) -> tuple[int, int]:
        out = self.run("display-message", "-p", "-t", "t", "#{pane_width}x#{pane_height}").strip()
        w, h = out.split("x")
        return int(w), int(h)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "t", *keys)

    def literal(self, text: str) -> None:
        self.run("send-keys", "-t", "t", "-l", text)

    def resize(self, width: int, height: int) -> None:
        self.run("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = 15, gone: bool = False) -> str:
        test = (lambda s: what in s) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if bool(test(screen)) != gone:
                return screen
            time.sleep(0.1)
        state = "still there" if gone else "not seen"
        raise AssertionError(f"{what!r} {state} after {timeout} s; the screen:\n{screen}")

    def kill(self) -> None:
        self.run("kill-server", check=False)


def processes_with(token: str, where: str = "environ") -> list[tuple[int, str]]:
    """(pid, command line) of every process whose environment (or command line) holds token."""
    found = []
    needle = token.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read()
            with open(f"/proc/{entry}/environ", "rb") as fh:
                environ = fh.read()
        except OSError:
            continue
        if needle in (environ if where == "environ" else cmdline):
            found.append((int(entry), cmdline.replace(b"\0", b" ").decode(errors="replace").strip()))
    return found


def kill_pid(pid: int, sig: int = signal.SIGKILL) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def quote(argv: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in argv)
