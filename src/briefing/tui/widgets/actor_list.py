"""The actors list: name, kind, country, aliases and how many events each appears in."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment

from briefing.display import one_line
from briefing.records import Actor
from briefing.tui.format import fit
from briefing.tui.widgets.record_list import RecordList


class ActorList(RecordList):
    def __init__(self, actors: Sequence[Actor], event_count, most: int = 0, **kw) -> None:
        super().__init__(**kw)
        self.actors = actors
        self._event_count = event_count  # actor id -> number of events (computed lazily by the caller)
        # room for the most events an actor can have, with its thousands separator (QA s18:
        # `100000` beside every other count's `1,234`)
        self._count_width = max(6, len(f"{most:,}"))

    def row_count(self) -> int:
        return len(self.actors)

    @property
    def current(self) -> Actor | None:
        return self.actors[self.cursor] if 0 <= self.cursor < len(self.actors) else None

    def _layout(self, width: int) -> tuple[int, int, int, int]:
        name = max(16, min(36, width * 2 // 5))
        kind = 14
        count = self._count_width
        aliases = max(0, width - (1 + name + 1 + kind + 1 + count + 1 + 1))
        return name, kind, count, aliases

    def header_segments(self, width: int) -> list[Segment]:
        name, kind, count, aliases = self._layout(width)
        return [
            Segment(
                " "
                + fit("name", name)
                + " "
                + fit("kind", kind)
                + " "
                + "events".rjust(count)
                + " "
                + fit("aliases", aliases)
            )
        ]

    def row_segments(self, index: int, width: int) -> list[Segment]:
        a = self.actors[index]
        name_w, kind_w, count_w, aliases_w = self._layout(width)
        st = self.styles_book
        return [
            Segment(" "),
            Segment(fit(one_line(a.name), name_w), st("title")),
            Segment(" "),
            Segment(fit(one_line(a.kind), kind_w), st("type")),
            Segment(" "),
            Segment(f"{self._event_count(a.id):,}".rjust(count_w), st("number")),
            Segment(" "),
            Segment(fit(one_line(", ".join(a.aliases)), aliases_w), st("muted")),
        ]
