"""Textual's `Sparkline`, its bars measured from zero, with nothing and unknown told apart.

Textual scales a sparkline from its lowest value to its highest, so the quietest period of a
chart sits on the floor however busy it was: 8 events drawn as nothing beside 15, a month of
98 deaths level with a month whose deaths are unknown.  And its lowest bar `▁` is drawn for
zero too, so 17 deaths beside a peak of 200 looked like none.  Here the bars rise from zero:
a period of 0 is blank, any count above it is at least `▁`, and a period whose count is
unknown (`UNKNOWN_COUNT`, NaN: events, none with a killed figure) is `?`, never a bar.  More
periods than columns are summed, a run of them a column (`render.trends.runs`), never the
largest shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.color import Color, blend_rgb
from rich.console import Console, ConsoleOptions, RenderResult as RichResult
from rich.segment import Segment
from rich.style import Style
from textual.app import RenderResult
from textual.renderables.sparkline import Sparkline as SparklineRenderable
from textual.widgets import Sparkline

from briefing.render.trends import runs, spark_group

UNKNOWN = "?"
UNKNOWN_COUNT = math.nan  # a period's count no source gave: drawn `UNKNOWN`, never as zero


class _FromZero(SparklineRenderable[float]):
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RichResult:
        width = self.width or options.max_width
        height = self.height or 1
        data: Sequence[float] = self.data
        low, high = self.min_color.color, self.max_color.color
        assert low is not None and high is not None  # given by `ZeroSparkline.render`
        # more periods than columns: each column sums a run of them (`render.trends.runs`, a
        # short run the oldest: a short newest one read as a fall), as the brief's sparklines
        # do (QA s15: the largest of two months was drawn, under "by month"); the chart's axis
        # says how many.  The runs are spread over the whole width, as Textual spreads periods:
        # blank columns at an end would read as months with no event
        per = spark_group(len(data), width)
        groups = [list(data[a:b]) for a, b in runs(len(data), per)]
        top = max((sum(v for v in g if not math.isnan(v)) for g in groups), default=0) or 1
        columns: list[tuple[float | None, int]] = []  # None: unknown  # (the value, its height in eighths of a row)
        for k in range(width):
            group = groups[int(k * len(groups) / width)]
            value: float | None = sum(v for v in group if not math.isnan(v))
            if not value and any(map(math.isnan, group)):  # a count beats unknown; unknown beats zero
                value = None
            columns.append((value, math.ceil(value / top * 8 * height) if value else 0))
        for row in reversed(range(height)):
            floor = row * 8
            for value, level in columns:
                if value is None:
                    yield Segment(UNKNOWN if row == 0 else " ", Style(color=low, dim=True))
                elif level <= floor:
                    yield Segment(" ")
                else:
                    bar = "█" if level >= floor + 8 else self.BARS[level - floor - 1]
                    yield Segment(bar, Style(color=_shade(low, high, value / top)))
            if row:
                yield Segment.line()


def _shade(low: Color, high: Color, ratio: float) -> Color:
    """The bar's colour, from low to high as Textual's sparkline blends them (a named
    terminal colour has no shades: the high one)."""
    if low.triplet is None or high.triplet is None:
        return high
    return Color.from_triplet(blend_rgb(low.triplet, high.triplet, ratio))


class ZeroSparkline(Sparkline):
    """A sparkline whose blank cell means zero and whose `?` means unknown, never "the least"."""

    def render(self) -> RenderResult:
        drawn = super().render()
        if not isinstance(drawn, SparklineRenderable) or not drawn.data:
            return drawn
        low, high = drawn.min_color.color, drawn.max_color.color
        if low is None or high is None:
            return drawn
        return _FromZero(
            drawn.data,
            width=drawn.width,
            height=drawn.height,
            min_color=low,
            max_color=high,
            summary_function=drawn.summary_function,
        )
