"""The line of table names above the Trends screen's frequency table; Tab moves along it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from briefing.analysis import BY


class TableTabs(Static):
    DEFAULT_CSS = """
    TableTabs {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, **kw) -> None:
        super().__init__("", markup=False, **kw)
        self.current = BY[0]

    def select(self, by: str) -> None:
        self.current = by
        t = Text(" by ")
        for name in BY:
            if name == by:
                t.append(f" {name} ", style="bold reverse")
            else:
                t.append(f" {name} ")
            t.append(" ")
        t.append(" (tab: next · enter: narrow list)", style="italic")  # whole at 80 columns
        t.no_wrap = True
        t.overflow = "ellipsis"
        self.update(t)
