"""The main screen: the event list and, when the terminal is wide, the selected event beside it.

At 120 columns and more the detail follows the highlighted row; narrower, the list takes the
whole width and `enter` opens the event on its own screen.  `/` opens the filter; the header
shows the counts and the filter, the status line the `briefing brief` command for the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input

from briefing.filters import FilterError, Query, default_events, empty_hint, parse, unknown_countries
from briefing.records import Event
from briefing.sorting import DEFAULT as DEFAULT_SORT
from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.cmdline import brief_command
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.event_list import EventList
from briefing.tui.widgets.header_bar import HeaderBar

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.tui.widgets.event_detail import EventDetail
    from briefing.tui.widgets.filter_bar import FilterBar

# The preview opens beside the list only where the list keeps the 80 columns it has on an
# 80-column terminal (country, type, a readable title) and the preview gets ~60: a wider
# terminal must never show less of the list (issue 12: at 120 the list lost its country column).
WIDE = 140
PREVIEW_DELAY = 0.05


def matching(ds: Dataset, query: Query, by: str) -> Sequence[Event]:
    """The events a query matches, in the order `by` (see `briefing.sorting`), asked of the
    dataset's SQLite index (`briefing.sqlquery`) as the list draws them; raises FilterError as
    `Query.matcher`.  With no terms in the dataset's own order, the list needs no index: it is
    `default_events`."""
    if not query and by == DEFAULT_SORT:
        return default_events(ds)  # less the events ACLED removed (filters.default_events)
    from briefing.sqlquery import index_for

    return index_for(ds).matches(query, order=by)


class MainScreen(BaseScreen):
    BINDINGS = keys.bindings("main")
    place = "events"
    own_key = "events"

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
        self._removed: tuple[str, int, int] = ("", 0, 0)  # (filter, id of its dataset, `_removed_left_out`)
        self._typed = query
        self.filter_error: str | None = None
        self._preview_timer: Timer | None = None
        self._generation = 0  # counts the queries asked: an answer to an older one is dropped
        self._asking = False  # a filter's or an order's answer is being worked out (the header says so)
        self._release_when_shown = False  # keys held behind the enter that applied the filter
        self._noted: str | None = None  # the last note toasted: one per change, not per answer

    def compose_body(self) -> ComposeResult:
        # Only the list at first: the preview and the filter input are mounted when first
        # needed, so the first frame styles and lays out a handful of widgets, not fifty.
        app = briefing_app(self)
        with Horizontal(id="body"):
            yield EventList(default_events(app.ds), countries=app.countries, id="events")

    @property
    def filter_bar(self) -> FilterBar:
        """The filter input, mounted (hidden) the first time anything needs it."""
        from briefing.tui.widgets.filter_bar import FilterBar

        bars = self.query("#filter")
        if bars:
            return bars.first(FilterBar)
        bar = FilterBar(self._typed, id="filter")
        self.mount(bar, after=self.query_one("#body"))
        return bar

    @property
    def preview(self) -> EventDetail | None:
        found = self.query("#preview")
        if not found:
            return None
        from briefing.tui.widgets.event_detail import EventDetail

        return found.first(EventDetail)

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
        if action == "open_filter" and isinstance(self.focused, Input):  # `/` types a slash there
            return False
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
        elif was and not self.wide and self.preview is not None and self.preview.has_focus_within:
            self.event_list.focus()  # the preview hides: the keyboard must not stay in it

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
            briefing_app(self).open_record("event", event.id)

    # -- filter ---------------------------------------------------------------------------------
    def _filter_open(self) -> bool:
        bars = self.query("#filter")
        if not bars:
            return False
        from briefing.tui.widgets.filter_bar import FilterBar

        return bars.first(FilterBar).is_open

    async def action_open_filter(self) -> None:
        from briefing.tui.widgets.filter_bar import FilterBar

        bars = self.query("#filter")
        if bars:
            bar = bars.first(FilterBar)
        else:
            bar = FilterBar(self._typed, id="filter")
            await self.mount(bar, after=self.query_one("#body"))
            bar.show_error(self.filter_error)
        bar.open()

    def on_filter_bar_changed(self, message: FilterBar.Changed) -> None:
        self.filter_in_background(message.text)

    def on_filter_bar_close(self, message: FilterBar.Close) -> None:
        bar = self.filter_bar
        if message.apply:
            # `/country:Nigeria⏎x` in one burst: the `x` acts on the events of the filter just
            # applied, so it waits for their answer (`_shown`), however long it takes
            bar.flush()
            self._release_when_shown = True
            getattr(self.app, "keep_holding", lambda: None)()
        bar.close(release=not message.apply)
        self.event_list.focus()

    def filter_in_background(self, text: str) -> None:
        """What typing does: the query runs in a worker thread, so a keystroke never waits for
        it; the list and the count change when the answer lands, unless a newer query has been
        typed meanwhile (then that answer is dropped).  A query that does not parse, or has
        nothing to ask, is shown at once."""
        ds = briefing_app(self).ds
        self._typed = text
        self._generation += 1
        try:
            query = parse(text)
        except FilterError as exc:
            self._show_error(exc)
            return
        by = self.event_list.sort_by
        if not query and by == DEFAULT_SORT:
            self._show(query, default_events(ds))
            return
        self._answer(ds, query, by, lambda events: self._show(query, events), near=self.event_list.current)

    def _answer(
        self,
        ds: Dataset,
        query: Query,
        by: str,
        show: Callable[[Sequence[Event]], None],
        near: Event | None = None,
        name: str = "filter",
    ) -> None:
        """The events query matches in the order `by`, worked out in a worker thread (a typed
        filter, the `o` key), so that no key waits for them, and given to show() on the UI
        thread, unless a newer question was asked meanwhile (then this answer is dropped).  In
        the worker too: where `near` (the highlighted event) lands in the answer, or its count.
        The header says `counting…` until the answer is shown."""
        generation = self._generation
        self._asking = True
        self.update_header()  # the count being worked out: not the last query's, as if it were this one's

        def work() -> None:
            result: Sequence[Event] | FilterError
            try:
                result = matching(ds, query, by)
                index_of = getattr(result, "index_of", None)
                if index_of is not None and near is not None:
                    index_of(near.id)  # where the highlight lands, asked here, not on the UI thread
                else:
                    len(result)
            except FilterError as exc:
                result = exc
            try:
                self.app.call_from_thread(self._landed, generation, ds, result, show)
            except RuntimeError:  # the app has stopped meanwhile: nobody to show it to
                pass

        self.run_worker(work, thread=True, group="filter", name=name)

    def _landed(
        self,
        generation: int,
        ds: object,
        result: Sequence[Event] | FilterError,
        show: Callable[[Sequence[Event]], None],
    ) -> None:
        if generation != self._generation or ds is not briefing_app(self).ds:
            return  # an answer to an older question, or for the dataset before: the newer is coming
        if isinstance(result, FilterError):
            self._show_error(result)
        else:
            show(result)

    def apply_filter(self, text: str) -> bool:
        """Narrow the list now (a link's "all events", a start-up `--filter`); False, with the
        list empty and the reason shown, when the query is bad."""
        self._typed = text
        self._generation += 1  # an answer still in a worker is older than this one
        try:
            query = parse(text)
            events = matching(briefing_app(self).ds, query, self.event_list.sort_by)
        except FilterError as exc:
            self._show_error(exc)
            return False
        self._show(query, events)
        return True

    def _shown(self) -> None:
        """The filter's answer is on screen: keys held behind the enter that applied it go."""
        if self._release_when_shown:
            self._release_when_shown = False
            getattr(self.app, "release_keys", lambda: None)()

    def _show_error(self, exc: FilterError) -> None:
        # No stale rows under a filter that is not in force: an empty list saying why.
        self._asking = False
        self.filter_error = str(exc)
        self.filter_bar.show_error(self.filter_error)
        self.event_list.problem = self.filter_error
        self.event_list.set_events((), ordered=True)
        if self.wide:
            self._update_preview()
        self.update_header()
        self.update_status()
        self._shown()

    def _show(self, query: Query, events: Sequence[Event]) -> None:
        self._asking = False
        self.filter_error = None
        self.event_list.problem = None
        # a country no event has (a misspelling, mostly) is said: by an empty list as its
        # reason; beside matches (`country:Tajikstan,Iran`) on the open filter bar's line, or
        # in a toast for a filter given at start
        ds = briefing_app(self).ds
        hint = unknown_countries(query, ds) if len(events) else empty_hint(query, ds)
        self.event_list.hint = "" if len(events) else hint
        note = f"note: {hint}" if hint and len(events) else None
        if self.query("#filter"):
            self.filter_bar.show_error(note)
        if note and not self._filter_open() and note != self._noted:
            self.notify(note, severity="warning", timeout=10, markup=False)
        self._noted = note
        self.query_text = str(query)
        self.event_list.set_events(events, ordered=True)
        if self.wide:  # an empty result posts no highlight: clear the preview here
            self._update_preview()
        self.update_header()
        self.update_status()
        self._shown()

    def resort(self, by: str) -> None:
        """Show the filter's events in another order (the `o` key), asked of the index in a
        worker thread, as a typed filter is (`filter_changed`): at 100k events the order and
        its count took 0.9-1.9 s, every key held meanwhile.  The list then shows its top, the
        most killed first (it followed the highlighted event, wherever the order put it: a
        screen of events with 4 killed under "killed▼" read as a broken sort)."""
        lst = self.event_list
        lst.sort_by = by
        if self.filter_error is not None:
            return  # an empty list: nothing to order
        self._generation += 1  # an answer to an earlier order or filter is dropped
        self._answer(briefing_app(self).ds, parse(self.query_text), by, self._sorted, name="sort")

    def _sorted(self, events: Sequence[Event]) -> None:
        self._asking = False
        self.event_list.set_events(events, ordered=True)
        self.event_list.move_to(0)
        if self.wide:
            self._update_preview()
        self.update_header()
        self.update_status()

    def dataset_replaced(self) -> None:
        """The app's dataset was swapped (the rest has loaded behind the first page): show it,
        through the filter in force, with the cursor on the same event where it still is."""
        app = briefing_app(self)
        ds = app.ds
        lst = self.event_list
        current = lst.current
        lst.set_countries(app.countries)
        if not self.apply_filter(self._typed):  # a bad query being typed: the last good one
            try:
                lst.set_events(matching(ds, parse(self.query_text), lst.sort_by), ordered=True)
            except FilterError:
                self.query_text = ""
                lst.set_events(matching(ds, Query(), lst.sort_by), ordered=True)
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

    def footer_rank(self, binding_id: str) -> int | None:
        """The key bar's rank of a key here when the data decides it (`keys.LEDGER_RANK`: `w`
        with a sync ledger to show), else None (the table's `FOOTER_RANK`)."""
        if binding_id not in keys.LEDGER_RANK:
            return None
        from briefing.ledger import has_ledger

        return keys.LEDGER_RANK[binding_id] if has_ledger(getattr(briefing_app(self).ds, "root", None)) else None

    def action_show_changes(self) -> None:
        """What changed for the filter in force (see screens/changes.py)."""
        from briefing.tui.screens.changes import ChangesScreen

        app = briefing_app(self)
        if app.load_progress is not None:  # the filter's events are not all loaded: their changes wait too
            self.notify("Still loading; what changed in a moment", markup=False)
            app.release_keys()
            return
        if self.filter_error is not None:  # as `t` and `x` refuse: no events shown
            self.notify(
                "The filter is invalid: no events shown, no changes (/ to fix it)", severity="warning", markup=False
            )
            app.release_keys()
            return
        app.push_screen(ChangesScreen(self.query_text, self.event_list.row_count()))

    # -- acting on the view: sort, export, copy (see tui/screens/view_actions.py) ---------------
    def action_cycle_sort(self) -> None:
        from briefing.tui.screens.view_actions import cycle_sort

        cycle_sort(self)

    def action_export(self) -> None:
        from briefing.tui.screens.view_actions import export

        export(self)

    def action_copy_id(self) -> None:
        from briefing.tui.screens.view_actions import copy_id

        copy_id(self, self.event_list.current)

    def action_copy_claims(self) -> None:
        from briefing.tui.screens.view_actions import copy_claims

        copy_claims(self, self.event_list.current)

    # -- header and status ----------------------------------------------------------------------
    def command_line(self) -> str:
        # a filter that does not parse, as typed: the command fails as the screen does, where
        # the last good filter's would print events the screen does not show
        text = self.query_text if self.filter_error is None else self._typed
        return brief_command(text, flags=briefing_app(self).data_flags)

    def update_header(self) -> None:
        shown = self.event_list.row_count()
        app = briefing_app(self)
        self.query_one(HeaderBar).show(
            self.place,
            app.counts,
            filter_text=self.query_text if self.filter_error is None and not self._asking else self._typed,
            shown=shown,
            bad_filter=self.filter_error is not None,
            loading=getattr(app, "load_progress", None),
            asking=self._asking,
            removed=self._removed_left_out(),
        )

    def _removed_left_out(self) -> int:
        """`filters.removed_left_out` of the filter in force, asked once per filter (a header is
        drawn again on every load step and answer; only a `changed:` filter asks the data)."""
        text = self.query_text if self.filter_error is None and not self._asking else ""
        ds = briefing_app(self).ds
        if self._removed[:2] != (text, id(ds)):  # a reload is another dataset: asked again
            from briefing.filters import parse, removed_left_out

            self._removed = (text, id(ds), removed_left_out(parse(text), ds) if text else 0)
        return self._removed[2]
