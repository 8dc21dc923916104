"""The one-line header: where you are, the dataset's counts, and the active filter.

Drawn for the width it has: the counts shorten (`3 ev · 4 act`), then go, before the filter is cut;
the filter text is cut before the match count (`→ 18 shown`) or the `(invalid)` mark after it, which
stay whole: they are what the filter was typed to learn, and the text is in the input and the
status line.
Numbers have thousands separators, as the brief writes them (`1,000,000 events`).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from briefing.display import counted, one_line


class HeaderBar(Widget):
    DEFAULT_CSS = """
    HeaderBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.place = ""
        self.counts: dict[str, int] = {}
        self.filter_text = ""
        self.shown: int | None = None
        self.bad_filter = False
        self.load_progress: tuple[int, int] | None = None
        self.asking = False
        self.removed = 0  # events ACLED removed that a `changed:` filter also matches (left out)

    def show(
        self,
        place: str,
        counts: dict[str, int],
        *,
        filter_text: str = "",
        shown: int | None = None,
        bad_filter: bool = False,
        loading: tuple[int, int] | None = None,
        asking: bool = False,
        removed: int = 0,
    ) -> None:
        """loading: (done, total) while the rest of the data loads behind the first page; the
        counts are not shown meanwhile (they would count only what is loaded so far).
        removed: the events ACLED removed that a `changed:` filter also matches, said beside
        the count (`filters.removed_left_out`): a removal is a change too."""
        self.removed = removed
        self.load_progress = loading
        self.place = one_line(place)
        self.counts = dict(counts)
        self.filter_text = one_line(filter_text)
        self.shown = shown
        self.bad_filter = bad_filter
        self.asking = asking
        self.refresh()

    def _text(self, tier: int, filter_room: int | None = None) -> Text:
        """tier 0: everything; 1: short counts; 2: no brand; 3: no counts.  filter_room: the
        cells the filter text may take (cut with an ellipsis), None for all of it."""
        c = self.counts
        short = tier >= 1
        if tier < 2:
            t = Text(" briefing", style="bold")
            t.append(" › ")
        else:
            t = Text(" ")
        t.append(self.place, style="bold")
        if self.load_progress is not None:
            done, total = self.load_progress
            t.append(f"  loading {done:,}/{total:,}" if tier < 3 else "  …", style="italic")
        elif c and tier < 3:
            if short:
                t.append(f"  {c['events']:,} ev · {c['actors']:,} act · {c['sources']:,} src · {c['figures']:,} fig")
            else:
                t.append("  " + " · ".join(counted(c[k], k[:-1]) for k in ("events", "actors", "sources", "figures")))
            if c.get("skipped"):  # the list is not the whole of the data: said for the whole session
                floor = "≥" if c.get("skipped_floor") else ""
                t.append(f" · {floor}{c['skipped']:,} skipped", style="bold")
        if c.get("stale"):  # the files changed on disk after the load: said for the rest of the session
            t.append("  files changed: restart" if tier < 2 else "  files changed", style="bold reverse")
        if self.filter_text:
            t.append("  filter: ", style="bold")
            shown_filter = Text(self.filter_text, style="reverse" if self.bad_filter else "italic")
            if filter_room is not None:
                shown_filter.truncate(filter_room, overflow="ellipsis")
            t.append_text(shown_filter)
        if self.bad_filter:
            t.append(" (invalid)", style="bold")
        elif self.asking and self.load_progress is None:  # a filter or an order being worked out
            t.append(" → counting…")
        elif (
            self.shown is not None
            and c
            and self.load_progress is None
            and (self.filter_text or self.shown != c.get("events"))
        ):
            t.append(f" → {self.shown:,} shown")
            if self.removed:
                t.append(f" (+{self.removed:,} removed: add removed)")
        return t

    def render(self) -> Text:
        width = self.size.width
        for tier in range(4):
            text = self._text(tier)
            if cell_len(text.plain) <= width:
                break
        else:
            if self.filter_text:
                # Cut the filter text, not what follows it; below a few cells of it the line
                # is simply cut at the end.
                room = cell_len(self.filter_text) - (cell_len(text.plain) - width)
                if room >= 4:
                    text = self._text(3, filter_room=room)
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def on_resize(self) -> None:
        self.refresh()
