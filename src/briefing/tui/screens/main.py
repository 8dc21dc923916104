"""The main screen: the event list and, when the terminal is wide, the selected event beside it.

At 120 columns and more the detail follows the highlighted row; narrower, the list takes the
whole width and `enter` opens the event on its own screen.  `/` opens the filter; the header
shows the counts and the filter, the status line the `briefing brief` command for the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer

from briefing.filters import FilterError, Query, default_events, parse
from briefing.tui import keys
from briefing.tui.cmdline import brief_command
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.header_bar import HeaderBar

if TYPE_CHECKING:
    from briefing.tui.widgets.event_detail import EventDetail
    from briefing.tui.widgets.filter_bar import FilterBar

# The preview opens beside the list only where the list keeps the 80 columns it has on an
# 80-column terminal (country, type, a readable title) and the preview gets ~60: a wider
# terminal must never show less of the list (issue 12: at 120 the list lost its country column).
WIDE = 140
PREVIEW_DELAY = 0.05


class MainScreen(BaseScreen):
    BINDINGS = keys.bindings("main")
    place = "events"

    DEFAULT_CSS = """
    MainScreen #body { height: 1fr; }
    MainScreen #events { width: 1fr; }
    MainScreen #preview { width: 1fr; display: none; border-left: vkey $panel-lighten-2; }
    MainScreen.-wide #events { width: 1fr; min-width: 80; }
    MainScreen.-wide #preview { width: 1fr; display: block; }
    """

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = ""  # canonical text of the filter in force
        self._typed = query
        self.filter_error: str | None = None
        self._preview_timer: Timer | None = None
        # The last good filter: (dataset, query, positions of its events); a query that only
        # narrows it (more letters on the last word, another term) is run over that result.
        self._last: tuple[object, Query, list[int]] | None = None

    def compose_body(self) -> ComposeResult:
        # Only the list at first: the preview and the filter input are mounted when first
        # needed, so the first frame styles and lays out a handful of widgets, not fifty.
        ds = self.app.ds
        with Horizontal(id="body"):
            yield EventList(default_events(ds), countries=self.app.countries, id="events")

    @property
    def filter_bar(self) -> FilterBar:
        """The filter input, mounted (hidden) the first time anything needs it."""
        bars = self.query("#filter")
        if bars:
            return bars.first()
        from briefing.tui.widgets.filter_bar import FilterBar

        bar = FilterBar(self._typed, id="filter")
        self.mount(bar, after=self.query_one("#body"))
        return bar

    @property
    def preview(self) -> EventDetail | None:
        found = self.query("#preview")
        return found.first() if found else None

    def on_mount(self) -> None:
        self._apply_layout(self.app.size.width)
        if self._typed:
            self.apply_filter(self._typed)
        super().on_mount()
        self.query_one(EventList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":  # nothing to go back to from the event list
            return False
        if action in ("next_pane", "prev_pane"):
            return self.wide or self._filter_open()  # one pane when narrow
        return True

    # -- layout ---------------------------------------------------------------------------------
    @property
    def wide(self) -> bool:
        return self.has_class("-wide")

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        was = self.wide
        self.set_class(width >= WIDE, "-wide")
        if self.wide and self.preview is None:
            from briefing.tui.widgets.event_detail import EventDetail

            self.query_one("#body").mount(EventDetail(self.event_list.current, id="preview"))
        elif self.wide and not was:
            self._update_preview()

    # -- list -----------------------------------------------------------------------------------
    @property
    def event_list(self) -> EventList:
        return self.query_one(EventList)

    def on_record_list_highlighted(self, message: EventList.Highlighted) -> None:
        if not self.wide:
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._update_preview)

    def _update_preview(self) -> None:
        preview = self.preview
        if self.wide and preview is not None:
            current = self.event_list.current
            if preview.event is not current:
                preview.show(current)

    def on_record_list_selected(self, message: EventList.Selected) -> None:
        event = self.event_list.current
        if event is not None:
            self.app.open_record("event", event.id)

    # -- filter ---------------------------------------------------------------------------------
    def _filter_open(self) -> bool:
        bars = self.query("#filter")
        return bool(bars) and bars.first().is_open

    async def action_open_filter(self) -> None:
        bars = self.query("#filter")
        if bars:
            bar = bars.first()
        else:
            from briefing.tui.widgets.filter_bar import FilterBar

            bar = FilterBar(self._typed, id="filter")
            await self.mount(bar, after=self.query_one("#body"))
            bar.show_error(self.filter_error)
        bar.open()

    def on_filter_bar_changed(self, message: "FilterBar.Changed") -> None:
        self.apply_filter(message.text)

    def on_filter_bar_close(self, message: "FilterBar.Close") -> None:
        bar = self.filter_bar
        if message.apply:
            bar.flush()
        bar.close()
        self.event_list.focus()

    def apply_filter(self, text: str) -> bool:
        """Narrow the list; a bad query is reported inline and the last good list stays."""
        ds = self.app.ds
        self._typed = text
        try:
            query = parse(text)
            events = self._run(ds, query)
        except FilterError as exc:
            # No stale rows under a filter that is not in force: an empty list saying why.
            self.filter_error = str(exc)
            self.filter_bar.show_error(self.filter_error)
            self.event_list.problem = self.filter_error
            self.event_list.set_events(())
            if self.wide:
                self._update_preview()
            self.update_header()
            return False
        self.filter_error = None
        self.event_list.problem = None
        if self.query("#filter"):
            self.filter_bar.show_error(None)
        self.query_text = str(query)
        self.event_list.set_events(events)
        if self.wide:  # an empty result posts no highlight: clear the preview here
            self._update_preview()
        self.update_header()
        self.update_status()
        return True

    def _run(self, ds, query: Query):
        if not query:
            self._last = None
            return default_events(ds)  # less the events ACLED removed (filters.default_events)
        last = self._last
        within = last[2] if last is not None and last[0] is ds and query.narrows(last[1]) else None
        hits = query.indices(ds, within, last[1] if within is not None else None)
        self._last = (ds, query, hits)
        return hits.take(ds.events)

    def dataset_replaced(self) -> None:
        """The app's dataset was swapped (the rest has loaded behind the first page): show it,
        through the filter in force, with the cursor on the same event where it still is."""
        ds = self.app.ds
        lst = self.event_list
        current = lst.current
        self._last = None
        lst.set_countries(self.app.countries)
        if not self.apply_filter(self._typed):  # a bad query being typed: the last good one
            try:
                query = parse(self.query_text)
                lst.set_events(self._run(ds, query))
            except FilterError:
                self.query_text = ""
                lst.set_events(default_events(ds))
        if current is not None and (lst.current is None or lst.current.id != current.id):
            if not lst.select_id(current.id):
                lst.move_to(0)
        if self.wide:
            self._update_preview()
        self.update_header()
        self.update_status()

    def set_filter(self, text: str) -> bool:
        """Set the filter from elsewhere (an actor's "all events" link), input text included."""
        self._typed = text
        if self.query("#filter"):
            self.filter_bar.input.value = text
        return self.apply_filter(text)

    # -- acting on the view: sort, export, copy (see tui/screens/view_actions.py) ---------------
    def action_cycle_sort(self) -> None:
        from briefing.tui.screens.view_actions import cycle_sort

        cycle_sort(self)

    def action_export(self) -> None:
        from briefing.tui.screens.view_actions import export

        export(self)

    def action_copy_id(self) -> None:
        from briefing.tui.screens.view_actions import copy_id

        copy_id(self)

    def action_copy_claims(self) -> None:
        from briefing.tui.screens.view_actions import copy_claims

        copy_claims(self)

    # -- header and status ----------------------------------------------------------------------
    def command_line(self) -> str:
        return brief_command(self.query_text, data=self.app.data_arg)

    def update_header(self) -> None:
        shown = self.event_list.row_count()
        self.query_one(HeaderBar).show(
            self.place, self.app.counts, filter_text=self.query_text if self.filter_error is None else self._typed,
            shown=shown, bad_filter=self.filter_error is not None, loading=getattr(self.app, "load_progress", None),
        )
