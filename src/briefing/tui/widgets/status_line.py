"""The status line: the command that prints what is on screen, so a finding can be scripted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from briefing.display import one_line


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, command: str = "", **kw) -> None:
        super().__init__("", markup=False, **kw)
        self.command = ""
        self.show(command)

    def show(self, command: str, note: str = "") -> None:
        self.command = command
        t = Text(" $ ", style="bold")
        t.append(one_line(command))
        if note:
            t.append("   ")
            t.append(one_line(note), style="italic")
        self.update(t)
