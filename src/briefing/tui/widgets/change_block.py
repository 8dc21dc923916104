"""The event detail's "Changes" block: what syncs of ACLED data changed about this event,
field by field (`briefing.ledger`); hidden for an event no sync changed."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class ChangeBlock(Vertical):
    DEFAULT_CSS = """
    ChangeBlock { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("Changes (ACLED syncs)"), classes="section", id="ev-changes-title")
        yield Static(id="ev-changes")

    def show(self, entries: list[dict[str, Any]] | None, styles) -> None:
        """`entries`: what the syncs changed of the event shown (`render.event.sync_changes`,
        read once by the pane for this block and its status line), None for none."""
        from briefing.render.changes import change_lines

        self.display = bool(entries)
        if not entries:
            return
        self.query_one("#ev-changes", Static).update(Group(*change_lines(entries, styles.text_style("date"))))
