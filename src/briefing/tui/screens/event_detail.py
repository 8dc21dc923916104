"""An event on its own screen (what `enter` opens): the reading pane takes the whole terminal."""

from __future__ import annotations

from textual.app import ComposeResult

from briefing.display import one_line
from briefing.records import Event
from briefing.tui.app_ref import briefing_app
from briefing.tui.cmdline import brief_command
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.event_detail import EventDetail


class EventDetailScreen(BaseScreen):
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
        return brief_command(event=self.event.id, data=briefing_app(self).data_arg)
