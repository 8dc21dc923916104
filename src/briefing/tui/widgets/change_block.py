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
        from briefing.render.changes import added_note, field_diff
        from briefing.render.text import safe

        entries = (
            change_index(getattr(briefing_app(self).ds, "root", None)).get(event.id) if event is not None else None
        )
        self.display = bool(entries)
        if not entries:
            return
        lines = []
        for entry in entries:
            line = Text(str(entry.get("synced_at", ""))[:10], style=styles.text_style("date"))
            kind = entry["kind"]
            if kind == "revised":
                line.append("  revised: ")
                line.append_text(safe(" · ".join(field_diff(entry.get("fields") or {}))))
            elif kind == "removed":
                line.append("  removed by ACLED (kept here; the filter `removed` lists such events)")
            elif entry.get("restored"):
                line.append_text(safe("  added: " + added_note(entry)))
            else:
                line.append("  added" + (" late: dated before the data it joined" if entry.get("late") else ""))
            lines.append(line)
        self.query_one("#ev-changes", Static).update(Group(*lines))
