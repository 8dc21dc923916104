"""The event detail's "Changes" block: what syncs of ACLED data changed about this event,
field by field (`briefing.ledger`); hidden for an event no sync changed."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from briefing.records import Event
from briefing.tui.app_ref import briefing_app


class ChangeBlock(Vertical):
    DEFAULT_CSS = """
    ChangeBlock { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("Changes (ACLED syncs)"), classes="section", id="ev-changes-title")
        yield Static(id="ev-changes")

    def show(self, event: Event | None, styles) -> None:
        from briefing.ledger import change_index
        from briefing.render.changes import change_lines

        entries = (
            change_index(getattr(briefing_app(self).ds, "root", None)).get(event.id) if event is not None else None
        )
        self.display = bool(entries)
        if not entries:
            return
        self.query_one("#ev-changes", Static).update(Group(*change_lines(entries, styles.text_style("date"))))
