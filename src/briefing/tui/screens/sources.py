"""Every source, with its Admiralty reliability letter: `enter` shows what it says and carries."""

from __future__ import annotations

from textual.app import ComposeResult

from briefing.tui.app_ref import briefing_app
from briefing.tui.screens.list_filter import FilteredListScreen
from briefing.tui.widgets.source_list import SourceList


class SourcesScreen(FilteredListScreen):
    place = "sources"
    noun = "source"
    own_key = "sources"

    def items(self):
        return briefing_app(self).ds.sources

    def keys_of(self, source) -> tuple[str, ...]:
        return (source.name, source.id, source.kind)

    def show_items(self, items) -> None:
        lst = self.query_one(SourceList)
        lst.sources = items
        lst.reset(0)

    def compose_body(self) -> ComposeResult:
        ds = briefing_app(self).ds
        most = max(len(ds.events), ds.figure_count())
        yield SourceList(ds.sources, ds.source_claim_count, ds.source_event_count, most, id="sources")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(SourceList).focus()

    def on_record_list_selected(self, message: SourceList.Selected) -> None:
        source = self.query_one(SourceList).current
        if source is not None:
            briefing_app(self).open_record("source", source.id)
