"""The terminal the browser runs on: whether there is one it can use, and where it draws.

Textual draws on stderr.  `briefing 2>err.log` then filled the log with escapes and left the
screen blank; the browser draws on stdout instead when stderr is not a terminal.  A terminal
that cannot draw a full-screen app at all (`TERM=dumb`: Emacs shells, some CI logs) is
refused in one line pointing at `briefing brief`, which works there.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

DUMB_TERMS = frozenset({"dumb", "unknown"})


def refusal() -> str | None:
    """Why the browser cannot run here, in one line; None when it can."""
    term = os.environ.get("TERM", "")
    if term in DUMB_TERMS:
        return (
            f"TERM={term}: this terminal cannot draw the interactive browser; "
            "`briefing brief` prints a brief here (and `briefing export` writes data)"
        )
    if not (_tty(sys.__stdin__) and _tty(sys.__stdout__)):
        why = "the interactive browser needs a terminal; for a pipe use `briefing brief` or `briefing export`"
        if os.environ.get("SSH_CONNECTION") and not os.environ.get("SSH_TTY"):  # `ssh host briefing`
            why += " (over ssh, ask for a terminal: `ssh -t host briefing`)"
        return why
    return None


def _tty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def screen_stream() -> TextIO | None:
    """The stream to draw on: stderr as Textual does, else stdout when stderr is redirected."""
    if _tty(sys.__stderr__):
        return sys.__stderr__
    if _tty(sys.__stdout__):
        return sys.__stdout__
    return None


def driver_class() -> Any:
    """Textual's terminal driver, drawing on `screen_stream()` (None: Textual's own choice)."""
    if sys.platform == "win32" or _tty(sys.__stderr__):
        return None
    from textual.drivers.linux_driver import LinuxDriver

    class TerminalDriver(LinuxDriver):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            stream = screen_stream()
            if stream is not None:
                self._file = stream  # type: ignore[assignment]  # typed TextIOWrapper; its writer thread takes any IO[str]

    return TerminalDriver
