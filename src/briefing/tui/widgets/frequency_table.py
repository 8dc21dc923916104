"""A frequency table of the Trends screen: one unit per row (a country, an admin1, an actor in a
role, a type, a source) with its events, share, deaths range, events with no figure, change and
its own sparkline.

A `RecordList`, so it draws only the rows on screen and moves like every other list; the rows
come from `analysis.Trends.table`, the numbers the brief and the `counts` export show.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment

from briefing.analysis import LIMITED, Row
from briefing.display import one_line
from briefing.render.trends import NO_ACTORS, share_text, spark
from briefing.tui import keys
from briefing.tui.format import ELLIPSIS, fit
from briefing.tui.widgets.record_list import RecordList
from briefing.vocab import ROLES

SPARK_MAX = 24


class FrequencyTable(RecordList, inherit_bindings=False):
    # The list's keys but enter: on the Trends screen enter narrows the event list, a binding
    # of the screen's ("trends" in keys.py), so the key bar and the help say what it does.
    BINDINGS = keys.bindings("list", only=("cursor-down", "cursor-up", "top", "bottom", "page-down", "page-up"))

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.by = "country"
        self.rows: Sequence[Row] = ()
        self.with_change = True
        self._numbers = (6, 9, 6)  # events, killed, no figure: their widths (`show`)
        self._changes = (6, 22)  # the change column's widths: its number alone, with its level
        self._label = LABEL_ROOM  # the room a label needs before a column goes (`show`)
        self._label_min = LABEL_MIN  # ... before the change goes

    def show(self, by: str, rows: Sequence[Row], with_change: bool = True, working: bool = False) -> None:
        self.by = by
        self.working = working
        self.rows = rows
        self.with_change = with_change
        # the number columns as wide as their widest cell: a number is never cut (a disputed
        # `1,200–1,500` read `1,200–1,…`); the sparkline, share and change go first (`_layout`)
        self._numbers = (
            max([6, *(len(f"{r.events:,}") for r in rows)]),
            max([9, *(len(r.deaths.span) for r in rows)]),
            max([6, *(len(f"{r.deaths.without_figure:,}") for r in rows)]),
        )
        self._changes = (  # never cut either (`+12400%` read `+1240…`)
            max([6, *(len(r.change.text) for r in rows)]),
            max([22, *(len(f"{r.change.text} {r.change.level}") for r in rows)]),
        )
        # an actor's label is a name and its role; a place or a type needs only its own length
        # (QA s15: "Gao, Mali" in 37 cells lost its "limited change" below 72 columns)
        longest = max([8, *(cell_len(one_line(r.label)) for r in rows)])
        self._label = LABEL_ROOM if by == "actor" else min(LABEL_ROOM, longest)
        self._label_min = LABEL_MIN if by == "actor" else min(LABEL_MIN, longest)
        self.reset(0)
        self.scroll_to(y=0, animate=False, immediate=True)

    def row_count(self) -> int:
        return len(self.rows)

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    #: the table is being worked out on a thread (a big dataset): said instead of "no events"
    working: bool = False

    #: the period's events, for the empty message: a table by actor of events that name no
    #: actor is empty, and "no events" there was wrong (QA s12)
    events: int = 0

    def empty_message(self) -> str:
        if self.working:
            return "Counting… (a big dataset: this table is worked out in the background)"
        if self.events and self.by == "actor":
            return NO_ACTORS  # the brief's words
        if self.events:
            return f"None of the period's {self.events:,} events has a {self.by}."
        return "No events in this period."

    def _layout(self, width: int) -> tuple[int, int, int, int, int, int, int]:
        """The columns' widths, 0 for a column left out: on a narrow terminal the sparkline,
        then the share, then the change's level (`limited change`), then the change go before
        the label is cut below what it needs (`show`: `LABEL_ROOM` for an actor, a name and its
        role; a place or type its own length up to that: at 60 columns every actor row
        read `Islamic State …`).  The level went first, at a fixed width, and a `+150%` the
        noise rule calls limited read as a rise (QA s14)."""
        events, killed, unknown = self._numbers
        if not any(r.deaths.without_figure for r in self.rows):
            unknown = 0  # a column no row fills (ACLED's rows: each has ACLED's count; QA s18)
        share = 5
        narrow, change = self._changes
        if not self.with_change:  # no baseline: a `-` a row, no level to make room for
            change = narrow
        trend = max(0, min(SPARK_MAX, width // 5 - unknown - 1))

        def room() -> int:
            return width - 2 - sum(w + 1 for w in (events, share, killed, unknown, change, trend) if w)

        # the sparkline, the share and the level go before a name is cut below NAME_ROOM cells
        # (QA s18: `Milit…tan) (target)` at 80 columns, several actors alike); the change
        # itself only before it is cut below NAME_MIN
        need = self._label
        hard = min(need, self._label_min)
        if room() < need:
            trend = 0
        if room() < need:
            share = 0
        if room() < need:
            change = narrow
        if room() < hard:
            change = 0
        return max(8, room()), events, share, killed, unknown, change, trend

    def _label_of(self, r: Row, width: int) -> str:
        """A row's label; an actor's name too long for `width` beside the longest role gives way
        to its first alias that fits there (`ISKP (mentioned)`: QA s15 read "Islamic
        …Province" as any province), else it is cut in its middle (`fit_label`).  Measured
        against the longest role, not the row's own, so that one actor reads the same in each
        of its rows (QA s15: "ISIS (perpetrator)" beside "Islamic State (claimant)")."""
        label = one_line(r.label)
        role = f" ({r.key[1]})" if self.by == "actor" and len(r.key) > 1 else ""
        if not role or not label.endswith(role) or cell_len(label[: -len(role)]) + ROLE_ROOM <= width:
            return label
        from briefing.tui.app_ref import briefing_app

        actor = briefing_app(self).ds.actor(r.key[0])
        for alias in actor.aliases if actor is not None else ():
            if cell_len(one_line(alias)) + ROLE_ROOM <= width:
                return one_line(alias) + role
        return label

    def header_segments(self, width: int) -> list[Segment]:
        name, events, share, killed, unknown, change, trend = self._layout(width)
        cells = [
            (events, "events".rjust(events)),
            (share, "share".rjust(share)),
            (killed, fit("killed", killed)),
            (unknown, fit("no fig", unknown)),
            (change, fit("change", change)),
            (trend, fit("trend", trend)),
        ]
        return [Segment(" " + fit(self.by, name) + "".join(" " + c for w, c in cells if w))]

    def row_segments(self, index: int, width: int) -> list[Segment]:
        r = self.rows[index]
        name, events, share, killed, unknown, change, trend = self._layout(width)
        st = self.styles_book
        if not self.with_change:
            ch = "-"
        elif change >= self._changes[1] > self._changes[0]:  # room for the level (`_layout`)
            ch = f"{r.change.text} {r.change.level}"
        else:
            ch = r.change.text
        level_style = st("muted") if r.change.level == LIMITED or not self.with_change else st("warning")
        cells = [
            (events, Segment(f"{r.events:,}".rjust(events), st("number"))),
            (share, Segment(share_text(r.share).rjust(share))),
            (killed, Segment(fit(r.deaths.span, killed), st("number") if r.deaths.with_figure else st("muted"))),
            # events with no killed figure: not counted as zero, so said beside the sum
            (
                unknown,
                Segment(fit(f"{r.deaths.without_figure:,}" if r.deaths.without_figure else "", unknown), st("number")),
            ),
            (change, Segment(fit(ch, change), level_style)),
            (trend, Segment(fit(spark(r.spark, width=trend), trend), st("muted"))),
        ]
        out = [Segment(" "), Segment(fit_label(self._label_of(r, name), name), st("title"))]
        for w, cell in cells:
            if w:
                out += [Segment(" "), cell]
        return out


ROLE_ROOM = max(cell_len(f" ({r})") for r in ROLES)
NAME_ROOM = 14  # a name's cells beside its role before the sparkline, the share or the level goes
NAME_MIN = 8  # ... before the change goes
LABEL_ROOM = NAME_ROOM + ROLE_ROOM
LABEL_MIN = NAME_MIN + ROLE_ROOM


def fit_label(label: str, width: int) -> str:
    """A row's label cut to width, an actor's role kept whole (`Islamic State…Province
    (mentioned)`): the role is what tells two rows of one actor apart.  A name too long is cut
    in its middle, keeping its start and its end, where ACLED's names differ (`Ministry of…
    Mali (2021-)` beside `Ministry of…Niger (2023-)`)."""
    if cell_len(label) <= width or not label.endswith(")") or " (" not in label:
        return fit(label, width)
    name, role = label.rsplit(" (", 1)
    role = f" ({role}"
    # a known role takes the room of the longest, so one actor's rows are cut alike
    room = ROLE_ROOM if role[2:-1] in ROLES else cell_len(role)
    if width - room < 8:
        return fit(label, width)
    return fit_middle(name, width - room) + fit(role, room)


def fit_middle(text: str, width: int) -> str:
    """Exactly `width` cells: padded, or its start and end around an ellipsis."""
    if cell_len(text) <= width:
        return fit(text, width)
    tail = (width - 1) // 2
    end = ""
    for ch in reversed(text):  # the last `tail` cells, wide characters respected
        if cell_len(ch + end) > tail:
            break
        end = ch + end
    head = width - 1 - cell_len(end)
    return set_cell_size(text, head) + ELLIPSIS + end
