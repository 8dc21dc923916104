"""The "What changed" list: a sync ledger's entries under a heading per sync, newest sync first.

A `RecordList`: only the rows on screen are drawn, whatever the ledger's length.  The rows are
the groups `ledger.sync_groups` gives (each capped at its first entries of each kind), laid
out once: a heading per sync, the baseline in one line, an entry a line as `briefing changes`
prints it (`render.changes.entry_body`, the time said once by the heading), a line for the
entries left out naming the command that lists them.  The cursor stops on the lines that say
something of their own (an entry, the baseline, the entries left out), never on a heading or
the blank between two syncs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment

from briefing.ledger import KINDS, MARKS, SyncGroup
from briefing.render.changes import baseline_body, entry_body, entry_line, more_changes, sync_heading
from briefing.tui.format import fit
from briefing.tui.widgets.record_list import RecordList

INDENT = "  "


class Row(NamedTuple):
    """One line of the list: `kind` is `sync`, `baseline`, `entry`, `more` or `blank`."""

    kind: str
    group: SyncGroup
    entry: dict[str, Any] | None = None
    change: str = ""  # `more`: the kind of the entries left out

    @property
    def event_id(self) -> str | None:
        """The event an entry is about (what enter opens), else None."""
        return self.entry["id"] if self.entry is not None else None


STOPS = frozenset({"entry", "baseline", "more"})


class ChangeList(RecordList):
    DEFAULT_CSS = """
    ChangeList { height: 1fr; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.rows: list[Row] = []
        self.scope = ""  # the header row: whose changes these are
        #: the command that lists a sync's changes whole (`sync`'s time), for the `more` lines
        self.command_for: Callable[[str], str] = lambda at: "briefing changes"

    def set_groups(self, groups: Sequence[SyncGroup]) -> None:
        rows: list[Row] = []
        for group in groups:
            if rows:
                rows.append(Row("blank", group))
            rows.append(Row("sync", group))
            if group.baseline:
                rows.append(Row("baseline", group))
            for kind in KINDS:
                rows.extend(Row("entry", group, entry) for entry in group.shown[kind])
                if group.left(kind):
                    rows.append(Row("more", group, change=kind))
        self.rows = rows
        self.reset(self._stop(0, 1))

    # -- what a row says ------------------------------------------------------------------------
    def text_of(self, row: Row, whole: bool = False) -> str:
        """A row's text; `whole`: as `briefing changes` prints it, the time included (the pane
        below the list folds it)."""
        g = row.group
        if row.kind == "sync":
            return sync_heading(g.at, g.record, g.counts, g.baseline)
        if row.kind == "baseline":
            said = baseline_body(g.baseline, g.record or {})
            return f"{g.at}  {said}" if whole else said
        if row.kind == "entry" and row.entry is not None:
            return entry_line(row.entry) if whole else f"{MARKS[row.entry['kind']]} {entry_body(row.entry)}"
        if row.kind == "more":
            return more_changes(g.left(row.change), row.change, self.command_for(g.at))
        return ""

    @property
    def current_row(self) -> Row | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    # -- RecordList ---------------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self.rows)

    def header_segments(self, width: int) -> list[Segment]:
        return [Segment(fit(" " + self.scope, width))]

    def row_segments(self, index: int, width: int) -> list[Segment]:
        row = self.rows[index]
        st = self.styles_book
        if row.kind == "blank":
            return [Segment(" " * width)]
        if row.kind == "sync":
            said = " " + self.text_of(row)
            if cell_len(said) > width:  # the counts in marks before any is cut (QA s16)
                g = row.group
                said = " " + sync_heading(g.at, g.record, g.counts, g.baseline, compact=True)
            return [Segment(fit(said, width), st("heading"))]
        lead = " " + INDENT
        text = fit(self.text_of(row), max(1, width - len(lead)))
        if row.kind == "entry":
            return [Segment(lead), Segment(text[:1], st("number")), Segment(text[1:])]
        return [Segment(lead), Segment(text, st("muted"))]

    # -- the cursor stops only where a row says something of its own -------------------------------
    def _stop(self, index: int, step: int) -> int:
        """The first row from `index` on (in the direction of `step`) the cursor stops on; the
        nearest the other way when there is none."""
        count = len(self.rows)
        for direction in (step, -step):
            i = index
            while 0 <= i < count:
                if self.rows[i].kind in STOPS:
                    return i
                i += direction
        return max(0, min(index, count - 1))

    def move_to(self, index: int) -> None:
        count = self.row_count()
        if count:
            index = max(0, min(index, count - 1))
            stop = self._stop(index, 1 if index >= self.cursor else -1)
            super().move_to(stop)
            if stop == self._stop(0, 1):  # the first entry: the headings above it in view (QA s17:
                # back up from the end, the newest sync's time, file and counts stayed off screen)
                self.scroll_to(y=0, animate=False, immediate=True)
