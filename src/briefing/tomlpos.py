"""Line numbers for TOML values, which `tomllib` does not report.

A light scan of the file text: find the n-th `[[event]]` header, then walk the field path
(`figures`, 2, `claimed_by`) through `[[event.figures]]` headers and `key =` lines inside
that record.  It is exact for the array-of-tables layout the bundled data and the README
use, and falls back to the nearest enclosing line for inline tables: good enough to jump to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*=")


class TomlLocator:
    def __init__(self, text: str):
        self._lines = text.splitlines()

    @cached_property
    def _headers(self) -> list[tuple[int, str]]:
        """(0-based line index, dotted header name) of every table header."""
        out: list[tuple[int, str]] = []
        for i, line in enumerate(self._lines):
            if line.lstrip().startswith("["):
                m = _HEADER.match(line)
                if m:
                    out.append((i, re.sub(r"\s*\.\s*", ".", m.group(1))))
        return out

    def record_span(self, kind: str, index: int) -> tuple[int, int] | None:
        """Line indexes [start, end) of the index-th `[[kind]]` table, or None."""
        n = -1
        for pos, (i, name) in enumerate(self._headers):
            if name == kind:
                n += 1
                if n == index:
                    end = len(self._lines)
                    for j, other in self._headers[pos + 1 :]:
                        if not other.startswith(kind + "."):
                            end = j
                            break
                    return i, end
        return None

    def record_line(self, kind: str, index: int) -> int | None:
        span = self.record_span(kind, index)
        return span[0] + 1 if span else None

    def _find_key(self, key: str, start: int, end: int) -> int | None:
        for i in range(start, end):
            m = _KEY.match(self._lines[i])
            if m and m.group(1).strip("\"'") == key:
                return i
        return None

    def field_line(self, kind: str, index: int, loc: Sequence[str | int]) -> int | None:
        """Best line for a field path inside a record; the record's header when nothing closer."""
        span = self.record_span(kind, index)
        if span is None:
            return None
        start, end = span
        best = start
        prefix = kind
        items = list(loc)
        k = 0
        while k < len(items):
            key = items[k]
            if not isinstance(key, str):
                k += 1
                continue
            nxt = items[k + 1] if k + 1 < len(items) else None
            sub = f"{prefix}.{key}"
            if isinstance(nxt, int):
                hits = [i for i, name in self._headers if name == sub and start <= i < end]
                if nxt < len(hits):
                    start = best = hits[nxt]
                    later = [i for i, name in self._headers if start < i < end and not name.startswith(sub + ".")]
                    end = later[0] if later else end
                    prefix = sub
                    k += 2
                    continue
            line = self._find_key(key, start, end)
            if line is not None:
                best = line
            break
        return best + 1
