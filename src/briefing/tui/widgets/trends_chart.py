"""The Trends screen's top half: the change in words, then the timeline as Textual sparklines —
events, and deaths as a range (a line for the low bounds and one for the high bounds) — with
the first and last period and the peak under them.

Textual's built-in `Sparkline` (its bars measured from zero: `ZeroSparkline`), not
textual-plotext: it ships with Textual (no dependency, no import cost beyond Textual's own),
draws in block characters that survive any terminal and a mono theme, and fits 80x24; a plot
with axes and gridlines (plotext) does not fit beside the tables at that size.  bench/README.md
has the import costs measured for the choice.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from briefing.analysis import Trends, change_sentence, deaths_sentence
from briefing.display import clean, counted
from briefing.render.trends import runs, spark_group
from briefing.tui.widgets.sparkline import UNKNOWN_COUNT, ZeroSparkline


class TrendsChart(Vertical):
    DEFAULT_CSS = """
    TrendsChart { height: auto; background: $surface; }
    TrendsChart #trends-summary { height: auto; padding: 0 1; }
    TrendsChart Horizontal { height: auto; }
    TrendsChart .axis-label { width: 9; padding-left: 1; color: $text-muted; }
    TrendsChart #spark-events { height: 3; width: 1fr; margin-right: 1; }
    TrendsChart .spark-killed { height: 1; width: 1fr; margin-right: 1; }
    /* Textual's low end is $primary at 30%: on a light theme in 16 colours that is light grey
       on white, and the chart vanished.  A solid colour of the theme's own instead. */
    TrendsChart Sparkline > .sparkline--min-color { color: $secondary; }
    TrendsChart #trends-axis { height: auto; padding-left: 9; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="trends-summary", markup=False)
        with Horizontal():
            yield Static("events", classes="axis-label", markup=False)
            yield ZeroSparkline([], id="spark-events")
        with Horizontal(classes="killed-row"):
            yield Static("killed ≥", classes="axis-label", markup=False)
            yield ZeroSparkline([], id="spark-low", classes="spark-killed")
        with Horizontal(classes="killed-row"):
            yield Static("killed ≤", classes="axis-label", markup=False)
            yield ZeroSparkline([], id="spark-high", classes="spark-killed")
        yield Static("", id="trends-axis", markup=False)

    # On a small terminal (the screen's `-tight`) the summary keeps 4 lines and the axis note 2;
    # on a short one (`-short`, under 20 rows) 2 and 1, and the killed lines go; what they give
    # up ends in `…`, never cut without a sign.
    TIGHT_LINES = {"trends-summary": 4, "trends-axis": 2}
    SHORT_LINES = {"trends-summary": 2, "trends-axis": 1}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._texts: dict[str, Text] = {}
        self._charted = False  # a timeline shown (`show`)
        # the axis note: its span, what follows, its end, each bar's (label, events), the unit (`_put_axis`)
        self._axis: tuple[str, str, str, list[tuple[str, int]], str, list[bool], list[int]] | None = None

    def _put(self, name: str, text: Text) -> None:
        """Show text in the static `name`, kept whole so that a resize can fit it again."""
        self._texts[name] = text
        self._fit(name)

    def _fit(self, name: str) -> None:
        static = self.query_one(f"#{name}", Static)
        text = self._texts.get(name, Text(""))
        width = static.size.width
        if not self.screen.has_class("-tight") or width <= 1:
            static.update(text)
            return
        lines = text.wrap(self.app.console, width)
        keep = (self.SHORT_LINES if self.screen.has_class("-short") else self.TIGHT_LINES)[name]
        if len(lines) <= keep:
            static.update(text)
            return
        kept = list(lines)[:keep]
        last = kept[-1]
        last.rstrip()
        last.truncate(width - 1)
        last.append("…")
        static.update(Text("\n").join(kept))

    def on_resize(self, _event: events.Resize) -> None:
        self.refit()

    def refit(self) -> None:
        """Fit the texts again (a resize, or the screen's `-tight` or `-short` set or cleared)."""
        self._put_axis()  # the chart's width may sum more or fewer periods a column
        for name in self._texts:
            self._fit(name)
        self._killed_rows()

    def _killed_rows(self) -> None:
        """The killed lines, shown when there is something to chart and room (`-short` drops
        them: the table's rows matter more there)."""
        show = self._charted and not self.screen.has_class("-short")
        for row in self.query(".killed-row"):
            row.display = show

    def working(self, n: int, filtered: bool = False) -> None:
        """What the summary says while the trends of a dataset of n events are worked out."""
        what = f"the events the filter selects, of {n:,}" if filtered else f"{n:,} events"
        self._put("trends-summary", Text(f"Working out the trends of {what}…"))
        for row in self.query(Horizontal):  # no line yet: a flat one would read as zero (QA s18)
            row.display = False

    def show(self, t: Trends | None) -> None:
        for row in self.query(Horizontal):  # no lines for no events: flat ones would read as zero
            row.display = t is not None
        self._charted = t is not None
        self._killed_rows()
        if t is None:
            self._put("trends-summary", Text("No events match this filter: nothing to chart."))
            for s in self.query(Sparkline):
                s.data = []
            self._axis = None
            self._put("trends-axis", Text(""))
            return
        what = t.subject()
        # the subject names a place from the records: text from records is cleaned, never obeyed
        text = Text(clean(change_sentence(t, what)), style="bold")
        text.append("\n" + deaths_sentence(t).split(". A disputed", 1)[0] + ".")
        self._put("trends-summary", text)
        bins = t.timeline
        self.query_one("#spark-events", Sparkline).data = [b.events for b in bins]
        # a period whose events have no killed figure is unknown (`?`), not a bar of zero; an
        # open-ended period has no top: its line shows the floor, and the axis says how many
        unknown_in = [bool(b.events and not b.deaths.with_figure) for b in bins]
        self.query_one("#spark-low", Sparkline).data = [
            UNKNOWN_COUNT if u else b.deaths.low for b, u in zip(bins, unknown_in)
        ]
        self.query_one("#spark-high", Sparkline).data = [
            UNKNOWN_COUNT if u else b.deaths.high if b.deaths.high is not None else b.deaths.low
            for b, u in zip(bins, unknown_in)
        ]
        open_ = sum(1 for b in bins if b.deaths.with_figure and b.deaths.high is None)
        # a week's label is its first day: the span ends on the last week's last day, the
        # period's (QA s18: `… 2024-01-13` for a period ending 15 Jan)
        last = bins[-1].end.isoformat() if t.unit == "week" else bins[-1].label(t.unit)
        span = f"{bins[0].label(t.unit)} … {last}, {t.week_note}"
        axis = f" · ≥ open-ended in {open_}" if open_ else ""
        tail = f" · {t.not_placed:,} not placed (dated to a month or year)" if t.not_placed else ""
        lows = [0 if u else b.deaths.low for b, u in zip(bins, unknown_in)]
        self._axis = (span, axis, tail, [(b.label(t.unit), b.events) for b in bins], t.unit, unknown_in, lows)
        self._put_axis()

    def _put_axis(self) -> None:
        """The axis note for the chart's width: how many periods a column sums, when more than
        one (`render.trends.spark_group`: 120 months in 70 columns, 2 a column)."""
        if self._axis is None:
            return
        span, rest, tail, bars, unit, unknown_in, lows = self._axis
        per = spark_group(len(bars), self.query_one("#spark-events", Sparkline).size.width)
        # the `?` drawn: a bar whose periods gave no killed figure, one at least with events
        # (`sparkline._FromZero`); said first after the span, so that 80 columns show it.  A
        # month unknown summed into a bar with a figure is no `?` (QA s17: "marked ?" and none
        # drawn): said apart
        marked = [(a, b) for a, b in runs(len(bars), per) if any(unknown_in[a:b]) and not sum(lows[a:b])]
        unknown = sum(unknown_in)
        in_marked = sum(sum(unknown_in[a:b]) for a, b in marked)
        if unknown:
            said = f" · killed unknown in {counted(unknown, unit)}"
            if per == 1:
                said += " (marked ?)"
            elif marked:
                said += f" ({counted(len(marked), 'bar')} marked ?"
                said += f"; {unknown - in_marked:,} summed into bars with a figure)" if in_marked < unknown else ")"
            else:
                said += " (summed into bars with a figure)"
            rest = said + rest
        # the peak of the bars drawn: a run's sum when a bar sums several (review s15: "peak 6
        # (Apr 2022)" beside a bar of 9)
        peaks = [(sum(n for _, n in bars[a:b]), bars[a][0], bars[b - 1][0]) for a, b in runs(len(bars), per)]
        n, first, last = max(peaks, key=lambda p: p[0])
        peak = f" · peak {n:,} ({first if first == last else f'{first} – {last}'})"
        summed = f", each bar {per} {unit}s summed" if per > 1 else ""
        self._put("trends-axis", Text(span + summed + rest + peak + tail))
