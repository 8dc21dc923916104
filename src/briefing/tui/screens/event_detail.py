"""An event on its own screen (what `enter` opens): the reading pane takes the whole terminal."""

from __future__ import annotations

from textual.app import ComposeResult

from briefing.display import one_line
from briefing.records import Event
from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.cmdline import brief_command
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.event_detail import EventDetail


class EventDetailScreen(BaseScreen):
    BINDINGS = keys.bindings("event")

    DEFAULT_CSS = """
    EventDetailScreen EventDetail { height: 1fr; }
    """

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event
        self.place = "event " + one_line(event.id)

    def compose_body(self) -> ComposeResult:
        yield EventDetail(self.event, id="detail")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(EventDetail).focus()

    def command_line(self) -> str:
        return brief_command(event=self.event.id, flags=briefing_app(self).data_flags)

    def action_copy_id(self) -> None:
        from briefing.tui.screens.view_actions import copy_id

        copy_id(self, self.event)

    def action_copy_claims(self) -> None:
        from briefing.tui.screens.view_actions import copy_claims

        copy_claims(self, self.event)
