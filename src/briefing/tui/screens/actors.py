"""Every actor, by name: `enter` opens the profile."""

from __future__ import annotations

from textual.app import ComposeResult

from briefing.tui.app_ref import briefing_app
from briefing.tui.screens.list_filter import FilteredListScreen
from briefing.tui.widgets.actor_list import ActorList


class ActorsScreen(FilteredListScreen):
    place = "actors"
    noun = "actor"
    own_key = "actors"

    def command_line(self) -> str:
        """The list shown, as a table: every actor, with its events and roles."""
        from briefing.display import command_line

        return command_line(
            ["briefing", "export", "--table", "actors", "--format", "csv", *briefing_app(self).data_flags]
        )

    def items(self):
        return briefing_app(self).ds.actors

    def keys_of(self, actor) -> tuple[str, ...]:
        return (actor.name, *actor.aliases, actor.id, actor.kind)

    def show_items(self, items) -> None:
        lst = self.query_one(ActorList)
        lst.actors = items
        lst.reset(0)

    def compose_body(self) -> ComposeResult:
        ds = briefing_app(self).ds
        yield ActorList(ds.actors, ds.actor_event_count, len(ds.events), id="actors")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(ActorList).focus()

    def on_record_list_selected(self, message: ActorList.Selected) -> None:
        actor = self.query_one(ActorList).current
        if actor is not None:
            briefing_app(self).open_record("actor", actor.id)
