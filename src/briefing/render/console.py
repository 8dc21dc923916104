"""The Rich console for output on stdout: when to colour, and how wide.

Colour: `always` and `never` are obeyed as given (a command-line flag beats the environment);
`auto` colours only a terminal, and honours `NO_COLOR` (no colour; emphasis stays on a
terminal) and `FORCE_COLOR` (colour even when piped).  Without colour the console has no
colour system at all, so not one escape code is written.

Width: `--width N`, else the terminal's (COLUMNS, else the terminal's own size), else when
piped the width of the terminal the command runs in (stderr's, else the controlling
terminal's), else 100 — always within the same 40–1000 bounds as `--width`, so `COLUMNS=0`
cannot make a one-column brief.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

PIPED_WIDTH = 100
MIN_WIDTH = 40
MAX_WIDTH = 1000


def _env_set(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "") != ""


def _forced_system(env: Mapping[str, str]) -> str:
    """The colour system to use when colour is forced, read from what the terminal says it is."""
    colorterm = env.get("COLORTERM", "").lower()
    if colorterm in ("truecolor", "24bit"):
        return "truecolor"
    if "256" in env.get("TERM", ""):
        return "256"
    return "standard"


def decide(color: str, is_tty: bool, env: Mapping[str, str]) -> tuple[str | None, bool]:
    """(Rich colour system or None for plain, whether to drop colours but keep emphasis)."""
    if color == "never":
        return None, False
    if color == "always":
        return _forced_system(env), False
    if _env_set(env, "NO_COLOR"):
        return ("auto", True) if is_tty else (None, False)
    if _env_set(env, "FORCE_COLOR"):
        return ("auto" if is_tty else _forced_system(env)), False
    return ("auto", False) if is_tty else (None, False)


class PlainLines:
    """The file a plain console writes to: trailing padding is trimmed from every line, and a
    line made only of Rich's `─` rule (a table's header rule) is drawn with ASCII `-` instead,
    so piped output is clean to paste and to diff.  Record text is never changed: a line
    holding any other character is only trimmed."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.pending = ""

    def write(self, s: str) -> int:
        data = self.pending + s
        *lines, self.pending = data.split("\n")
        if lines:
            self.out.write("\n".join(map(_plain_line, lines)) + "\n")
        return len(s)

    def flush(self) -> None:
        if self.pending:
            self.out.write(_plain_line(self.pending))
            self.pending = ""
        self.out.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self.out, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self.out.fileno()


def _plain_line(line: str) -> str:
    line = line.rstrip()
    if line and "─" in line and not line.replace("─", "").strip():
        return line.replace("─", "-")
    return line


def _clamp(width: int) -> int:
    return max(MIN_WIDTH, min(MAX_WIDTH, width))


def _fd_columns(fd: int) -> int | None:
    try:
        columns = os.get_terminal_size(fd).columns
    except (OSError, ValueError):
        return None
    return columns or None


def _controlling_terminal_columns() -> int | None:
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        return _fd_columns(fd)
    finally:
        os.close(fd)


def auto_width(out: IO[str], is_tty: bool, env: Mapping[str, str]) -> int:
    """The width when `--width` is not given (see the module docstring)."""
    try:
        columns: int | None = int(env.get("COLUMNS", ""))
    except ValueError:
        columns = None
    if columns is not None:
        return _clamp(columns)
    found = None
    if is_tty:
        try:
            found = _fd_columns(out.fileno())
        except (AttributeError, ValueError, OSError):
            found = None
    if found is None:
        err = sys.__stderr__
        try:
            if err is not None and err.isatty():
                found = _fd_columns(err.fileno())
        except (ValueError, OSError):
            found = None
    if found is None:
        found = _controlling_terminal_columns()
    return _clamp(found if found is not None else PIPED_WIDTH)


# The signs the brief writes, as an encoding without them spells them (`≥742` is `>=742`, not
# `\u2265742`); anything else it cannot encode is escaped (`\u0425`), never a crash.
_SIGNS = {
    "≥": ">=",
    "≤": "<=",
    "–": "-",
    "—": "--",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "·": ".",
    "▼": "v",
    "▲": "^",
    "→": "->",
    "×": "x",
    "±": "+/-",
    "⏎": "|",
}


def spelt(text: str, encoding: str) -> str:
    """The text as a stdout in `encoding` writes it (`_spell`): what a table measures before it
    lays its columns out, so that `>=32` takes the three cells it is drawn in."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        import codecs

        codecs.register_error("briefing-signs", _spell)
        return text.encode(encoding, "briefing-signs").decode(encoding)
    except LookupError:
        pass
    return text


def _spell(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    return "".join(_SIGNS.get(ch) or ch.encode("ascii", "backslashreplace").decode() for ch in text), exc.end


def is_utf(out: IO[str]) -> bool:
    return utf(getattr(out, "encoding", None) or "utf-8")


def utf(encoding: str) -> bool:
    """Whether an encoding writes every character (UTF-8, utf_16...): else signs are spelt."""
    return encoding.lower().replace("_", "-").startswith("utf")


def spell_signs(out: IO[str]) -> None:
    """A legacy-encoding terminal or pipe: `≥` or a Cyrillic name must not crash a command
    that writes text; its signs are spelt in ASCII (`_spell`), the rest escaped."""
    if not is_utf(out) and hasattr(out, "reconfigure"):
        import codecs

        codecs.register_error("briefing-signs", _spell)
        out.reconfigure(errors="briefing-signs")


def make_console(
    color: str = "auto", width: int | None = None, file: IO[str] | None = None, env: Mapping[str, str] | None = None
) -> Console:
    from rich.console import Console

    out = file if file is not None else sys.stdout
    env = os.environ if env is None else env
    try:
        is_tty = out.isatty()
    except (AttributeError, ValueError):
        is_tty = False
    system, no_color = decide(color, is_tty, env)
    spell_signs(out)
    if width is None:
        width = auto_width(out, is_tty, env)
    console = Console(
        file=out if system is not None else PlainLines(out),  # type: ignore[arg-type]  # has the write, flush, isatty Rich calls
        color_system=system,  # type: ignore[arg-type]  # decide() gives one of Rich's names, typed str
        force_terminal=system is not None,
        no_color=no_color,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        _environ=env,
    )
    return console
