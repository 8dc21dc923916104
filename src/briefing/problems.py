"""Data problems: one line each, naming file, line, record and field, so the fix is one jump away."""

from __future__ import annotations

import os
from typing import NamedTuple


def show_path(path: str | os.PathLike[str]) -> str:
    """Relative to the working directory when inside it (what the user typed), else absolute."""
    from briefing.datadir import pathstr

    p = pathstr(path)
    try:
        full = os.path.realpath(p)
        cwd = os.path.realpath(os.getcwd())
    except OSError:
        return p
    if full == cwd:
        return p
    prefix = cwd if cwd.endswith("/") else cwd + "/"
    return full[len(prefix) :] if full.startswith(prefix) else p


class Problem(NamedTuple):
    file: str
    line: int | None
    message: str
    kind: str | None = None
    record_id: str | None = None
    field: str | None = None
    column: int | None = None

    def __str__(self) -> str:
        from briefing.display import clean  # file names, record ids and messages may carry hostile text

        where = show_path(self.file)
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

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.message)


class DataError(Exception):
    """Raised when a data directory cannot be loaded; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(os.linesep.join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
