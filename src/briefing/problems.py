"""Data problems: one line each, naming file, line, record and field, so the fix is one jump away."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import NamedTuple


def show_path(path: str | os.PathLike[str]) -> str:
    """Relative to the working directory when inside it (what the user typed), else absolute.
    The path is the one walked, its links not resolved: a broken link or a link loop is named
    as the link (`data/events/current.toml`), not as what it points at."""
    from briefing.datadir import pathstr

    p = pathstr(path)
    try:
        full = os.path.abspath(p)
        here = os.getcwd()
    except OSError:
        return p
    for cwd in (here, os.path.realpath(here)):
        if full == cwd or cwd == "/":  # from the root a relative path reads as cut: `tmp/x.csv`
            return p
        prefix = cwd if cwd.endswith("/") else cwd + "/"
        if full.startswith(prefix):
            return full[len(prefix) :]
    return p


class Problem(NamedTuple):
    file: str
    line: int | None
    message: str
    kind: str | None = None
    record_id: str | None = None
    field: str | None = None
    column: int | None = None

    def __str__(self) -> str:
        from briefing.display import as_name, clean  # file names, record ids and messages may carry hostile text

        # a name holding a newline or a control character as the shell writes it (`$'a\nb.toml'`):
        # folded to a space it named a file that does not exist (QA s17)
        where = as_name(show_path(self.file))
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [clean(where)]  # a file name can carry control bytes too
        if self.kind:
            parts.append(f"{self.kind} {clean(repr(self.record_id))}" if self.record_id else f"{self.kind}")
        if self.field:
            parts.append(clean(self.field))
        parts.append(clean(self.message))
        return ": ".join(parts)

    @property
    def whole_file(self) -> bool:
        """A problem that lost every record of its file (`WHOLE_FILE`)."""
        return self.message.endswith(WHOLE_FILE)

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.message)


WHOLE_FILE = "; the whole file is skipped"  # said of a problem that loses every record of its file
# said of a record file or an ACLED export saved as UTF-16 (a spreadsheet's "Unicode text")
UTF16_TEXT = "UTF-16 text (it starts with UTF-16's byte-order mark): save it as UTF-8"


def uncounted_files(problems: Sequence[Problem]) -> int:
    """How many ACLED exports were refused whole, their rows after the fault never read (so
    not in a skipped count: it is then a floor)."""
    return sum(1 for p in problems if p.whole_file and p.file.casefold().endswith(".csv"))


def skipped_text(skipped: int, problems: Sequence[Problem]) -> str:
    """How many invalid records a load left out: `12 invalid records`.  An ACLED export refused
    whole (a NUL byte, bytes that are not UTF-8) was not read past its fault, so the rows after
    it are not in the count, which is then a floor, and says so (a TOML file refused whole is
    counted by its record headers)."""
    from briefing.display import counted

    whole = uncounted_files(problems)
    if not whole:
        return counted(skipped, "invalid record")
    theirs = "its rows" if whole == 1 else "their rows"
    return f"at least {counted(skipped, 'invalid record')} ({counted(whole, 'file')} refused whole: {theirs} after the fault were not read)"


class DataError(Exception):
    """Raised when a data directory cannot be loaded; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(os.linesep.join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
