"""Textual's `Sparkline`, its bars measured from zero.

Textual scales a sparkline from its lowest value to its highest, so the quietest period of a
chart sits on the floor however busy it was: 8 events drawn as nothing beside 15, a month of
98 deaths level with a month whose deaths are unknown (the floor is where the Trends axis says
"killed unknown" lines lie).  Here the data is given with a 0 in front, which makes zero the
bottom of the scale, and the bars are drawn without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from textual.app import RenderResult
from textual.renderables.sparkline import Sparkline as SparklineRenderable
from textual.widgets import Sparkline

T = TypeVar("T", int, float)


class _FromZero(SparklineRenderable):
    @classmethod
    def _buckets(cls, data: list[T], num_buckets: int) -> Iterable[Sequence[T]]:
        return super()._buckets(data[1:], num_buckets)  # the 0 in front sets the scale only


class ZeroSparkline(Sparkline):
    """A sparkline whose empty cell means zero (or, for killed, unknown), never "the least"."""

    def render(self) -> RenderResult:
        drawn = super().render()
        if not isinstance(drawn, SparklineRenderable) or not drawn.data:
            return drawn
        low, high = drawn.min_color.color, drawn.max_color.color
        if low is None or high is None:
            return drawn
        return _FromZero(
            [0, *drawn.data],
            width=drawn.width,
            height=drawn.height,
            min_color=low,
            max_color=high,
            summary_function=drawn.summary_function,
        )
