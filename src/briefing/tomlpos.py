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


# The same header pattern for a whole text with only \n line breaks, unable to cross a line:
# finding 100k headers this way is one C scan instead of a Python loop over every line.
_HEADER_ML = re.compile(r"^[^\S\n]*\[\[?[^\S\n]*([A-Za-z0-9_.\-\"' ]+?)[^\S\n]*\]\]?[^\S\n]*(?:#.*)?$", re.M)
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # what else splitlines() splits on


class TomlLocator:
    def __init__(self, text: str):
        self._text = text

    @cached_property
    def _lines(self) -> list[str]:
        return self._text.splitlines()

    @cached_property
    def _line_count(self) -> int:
        return len(self._lines)

    @cached_property
    def _headers(self) -> list[tuple[int, str]]:
        """(0-based line index, dotted header name) of every table header."""
        out: list[tuple[int, str]] = []
        text = self._text
        if not _OTHER_BREAKS.search(text):
            # Lines are exactly the \n-separated pieces: find headers in one scan.
            names: dict[str, str] = {}
            line = pos = 0
            for m in _HEADER_ML.finditer(text):
                start = m.start()
                line += text.count("\n", pos, start)
                pos = start
                raw = m.group(1)
                name = names.get(raw)
                if name is None:
                    name = names[raw] = re.sub(r"\s*\.\s*", ".", raw)
                out.append((line, name))
            self.__dict__["_line_count"] = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
            return out
        for i, line_text in enumerate(self._lines):
            if line_text.lstrip().startswith("["):
                hm = _HEADER.match(line_text)
                if hm:
                    out.append((i, re.sub(r"\s*\.\s*", ".", hm.group(1))))
        return out

    @cached_property
    def _starts(self) -> dict[str, list[int]]:
        """Positions in `_headers` of each kind's headers, so finding the n-th is one lookup."""
        out: dict[str, list[int]] = {}
        for pos, (_i, name) in enumerate(self._headers):
            out.setdefault(name, []).append(pos)
        return out

    def record_span(self, kind: str, index: int) -> tuple[int, int] | None:
        """Line indexes [start, end) of the index-th `[[kind]]` table, or None."""
        starts = self._starts.get(kind, ())
        if not 0 <= index < len(starts):
            return None
        pos = starts[index]
        i = self._headers[pos][0]
        headers = self._headers
        end = self._line_count
        prefix = kind + "."
        for k in range(pos + 1, len(headers)):
            j, other = headers[k]
            if not other.startswith(prefix):
                end = j
                break
        return i, end

    def record_line(self, kind: str, index: int) -> int | None:
        span = self.record_span(kind, index)
        return span[0] + 1 if span else None

    def top_line(self, key: str) -> int | None:
        """The line of a top-level name: its table's first header (`[[events]]`), or a key set
        above every header (`note = ...`)."""
        for i, name in self._headers:
            if name == key or name.startswith(key + "."):
                return i + 1
        first = self._headers[0][0] if self._headers else self._line_count
        line = self._find_key(key, 0, first)
        return None if line is None else line + 1

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
            # the table's own keys come before its first sub-table: an `actor =` inside
            # `[[event.actors]]` is not the event's `actor`
            own_end = next((i for i, _name in self._headers if start < i < end), end)
            line = self._find_key(key, start, own_end)
            if line is None:  # a table of its own, perhaps misnamed (`[[event.figure]]`)
                line = next((i for i, name in self._headers if name == sub and start <= i < end), None)
            if line is not None:
                best = line
            break
        return best + 1
