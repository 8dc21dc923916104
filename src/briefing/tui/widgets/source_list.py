"""The sources list: Admiralty reliability letter, name, kind, how many events name each and how
many claims each carries (an ACLED outlet names thousands of events and carries no claim: 0
claims alone read as a source of nothing)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from rich.segment import Segment

from briefing.display import one_line
from briefing.records import Source
from briefing.tui.format import fit
from briefing.tui.widgets.record_list import RecordList


class SourceList(RecordList):
    def __init__(
        self,
        sources: Sequence[Source],
        claim_count: Callable[[str], int],
        event_count: Callable[[str], int],
        most: int = 0,
        **kw: Any,
    ) -> None:
        """most: the largest count a row may show (the data's events or figures), so that the
        count columns are laid out wide enough before any count is asked (`1,000,000`)."""
        super().__init__(**kw)
        self.sources = sources
        self._claim_count = claim_count
        self._event_count = lru_cache(maxsize=None)(event_count)  # asked again on every redraw
        self._count_width = max(7, len(f"{most:,}"))

    def row_count(self) -> int:
        return len(self.sources)

    @property
    def current(self) -> Source | None:
        return self.sources[self.cursor] if 0 <= self.cursor < len(self.sources) else None

    def _layout(self, width: int) -> tuple[int, int, int]:
        kind = 16
        count = self._count_width
        name = max(10, width - (1 + 3 + 1 + 1 + kind + 1 + count + 1 + count + 1))
        return name, kind, count

    def header_segments(self, width: int) -> list[Segment]:
        name, kind, count = self._layout(width)
        cells = ["rel", fit("name", name), fit("kind", kind), "events".rjust(count), "claims".rjust(count)]
        return [Segment(" " + " ".join(cells) + " ")]

    def row_segments(self, index: int, width: int) -> list[Segment]:
        s = self.sources[index]
        name_w, kind_w, count_w = self._layout(width)
        st = self.styles_book
        return [
            Segment(" "),
            Segment(f" {s.reliability} ", st(_rating_key(s.reliability))),
            Segment(" "),
            Segment(fit(one_line(s.name), name_w)),
            Segment(" "),
            Segment(fit(one_line(s.kind), kind_w), st("type")),
            Segment(" "),
            Segment(f"{self._event_count(s.id):,}".rjust(count_w), st("number")),
            Segment(" "),
            Segment(f"{self._claim_count(s.id):,}".rjust(count_w), st("number")),
            Segment(" "),
        ]


def _rating_key(letter: str) -> str:
    return "rating.good" if letter in "AB" else "rating.fair" if letter == "C" else "rating.poor"
