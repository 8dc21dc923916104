"""Trends for the filter in force (`t`): the change and the timeline on top, frequency tables
below (Tab: country, admin1, actor, type, source); Enter on a row adds it to the filter and goes
back to the narrowed list.  The status line shows the `briefing export` command that writes the
table on screen.

The numbers are `analysis.for_query`'s, the same the brief and the exports give for the filter.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult

from briefing.analysis import BY, Trends, for_query
from briefing.display import command_line
from briefing.filters import FilterError, parse
from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.frequency_table import FrequencyTable
from briefing.tui.widgets.header_bar import HeaderBar
from briefing.tui.widgets.table_tabs import TableTabs
from briefing.tui.widgets.trends_chart import TrendsChart

#: below this many rows the Trends screen is `-short` (`TrendsScreen._size_classes`)
SHORT = 20


class TrendsScreen(BaseScreen):
    BINDINGS = keys.bindings("trends")
    place = "trends"
    own_key = "trends"

    # The summary and the axis note are whole from 80x24 up; on a smaller terminal (`-tight`)
    # they keep 4 and 2 lines, ending in `…` when cut (`TrendsChart.TIGHT_LINES`), or the screen
    # would scroll the header (and the filter in force) out of sight to find the table any room.
    DEFAULT_CSS = """
    TrendsScreen FrequencyTable { height: 1fr; }
    TrendsScreen.-tight #trends-summary { max-height: 4; }
    TrendsScreen.-tight #trends-axis { max-height: 2; }
    """

    def __init__(self, query_text: str = "") -> None:
        super().__init__()
        self.query_text = query_text
        self.by = BY[0]
        self.trends: Trends | None = None
        self.counting = False  # the trends are being worked out on a thread

    def compose_body(self) -> ComposeResult:
        yield TrendsChart(id="chart")
        yield TableTabs(id="tabs")
        yield FrequencyTable(id="table")

    def on_resize(self, event: events.Resize) -> None:
        self._size_classes(event.size.width, event.size.height)
        self.query_one(TrendsChart).refit()

    def _size_classes(self, width: int, height: int) -> None:
        """`-tight` below 80x24; `-short` below 20 rows, where the chart gives up its killed lines
        and more of its text so that the table keeps rows (QA s12: at 40x15 it had none, and
        enter narrowed the list by a row no one could see)."""
        self.set_class(width < 80 or height < 24, "-tight")
        self.set_class(height < SHORT, "-short")

    def on_mount(self) -> None:
        super().on_mount()
        self._size_classes(self.app.size.width, self.app.size.height)
        self.query_one(FrequencyTable).focus()
        ds = briefing_app(self).ds
        if len(ds.events) <= self.SYNC_LIMIT:
            self._show(self._compute(ds))
            return
        # Many events: worked out on a thread, so keys (escape, q) still answer meanwhile; the
        # table says it is counting (empty, it said "No events in this period.")
        self.counting = True
        self.query_one(TrendsChart).working(len(ds.events), filtered=bool(self.query_text))
        self.table.show(self.by, (), working=True)
        self.run_worker(lambda: self._in_thread(ds), thread=True, exclusive=True)

    #: at most this many events in the dataset: worked out before the first frame (the bundled
    #: data, a small export); more, on a worker thread (bench/README.md: bench_trends.py)
    SYNC_LIMIT = 20_000

    def _compute(self, ds) -> Trends | None:
        try:
            query = parse(self.query_text)
        except FilterError:  # the main screen only hands over a query it could run
            query = parse("")
        return for_query(ds, query)  # a big dataset: from its index, never reading every event

    def _in_thread(self, ds) -> None:
        t = self._compute(ds)
        if t is not None:
            t.table(self.by)
            t.subject()  # the chart's sentences ask the store too: here, not on the screen's thread
            _ = t.has_history
        self.app.call_from_thread(self._show, t)
        for by in BY:  # the other tables, ready before Tab asks (seconds each at 1M events)
            if t is not None and not t.has_table(by):
                t.table(by)

    def _show(self, t: Trends | None) -> None:
        if not self.is_attached:  # closed while working
            return
        self.trends = t
        self.counting = False
        self.query_one(TrendsChart).show(t)
        self.show_table(self.by)
        self.update_header()

    @property
    def table(self) -> FrequencyTable:
        return self.query_one(FrequencyTable)

    def show_table(self, by: str) -> None:
        self.by = by
        self.query_one(TableTabs).select(by)
        t = self.trends
        self.table.events = t.count if t is not None else 0
        if self.counting:  # a Tab before the trends land: no table is "no events" yet (QA s18)
            self.table.show(by, (), working=True)
        elif t is not None and not t.has_table(by) and len(briefing_app(self).ds.events) > self.SYNC_LIMIT:
            # not worked out yet, on a big dataset: on a thread, so the keys still answer
            self.table.show(by, (), with_change=t.has_baseline, working=True)
            self.run_worker(lambda: self._table_in_thread(t, by), thread=True, group="table")
        else:
            self.table.show(by, t.table(by) if t is not None else (), with_change=t is not None and t.has_baseline)
        if self.is_mounted:
            self.update_status()

    def _table_in_thread(self, t: Trends, by: str) -> None:
        t.table(by)
        self.app.call_from_thread(self._table_ready, t, by)

    def _table_ready(self, t: Trends, by: str) -> None:
        if self.is_attached and self.trends is t and self.by == by:
            self.table.show(by, t.table(by), with_change=t.has_baseline)

    # Tab and shift+tab (the screen's next/previous pane keys): the next or previous table.
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_pane", "prev_pane"):
            return True  # through the tables, not the focus: one focused widget is enough
        return super().check_action(action, parameters)

    def action_next_pane(self) -> None:
        self.show_table(BY[(BY.index(self.by) + 1) % len(BY)])

    def action_prev_pane(self) -> None:
        self.show_table(BY[(BY.index(self.by) - 1) % len(BY)])

    def on_record_list_selected(self, message: FrequencyTable.Selected) -> None:
        """A click on the highlighted row (or a double click): as enter."""
        self.action_narrow()

    def action_narrow(self) -> None:
        row = self.table.current
        if row is None:  # nothing to narrow to: the keys held behind enter need not wait
            getattr(self.app, "release_keys", lambda: None)()
            return
        terms = [str(t) for t in parse(self.query_text).terms] if self.query_text else []
        narrow = self.trends.filter_term(row, self.by) if self.trends is not None else row.filter_term(self.by)
        if self.by == "actor":
            narrow = self._by_name(row.key[0], row.key[1], narrow)
        for term in parse(narrow).terms:
            if str(term) not in terms:
                terms.append(str(term))
        briefing_app(self).narrow_to(" ".join(terms))

    def _by_name(self, actor_id: str, role: str, term: str) -> str:
        """An ACLED actor's row narrowed by its name, when the name names it alone (the same
        events): `target:"Армия Фронт 291"`, not the hash of its id (QA s18); a curated actor
        keeps its id, which its curator chose to be read (`perpetrator:iskp`)."""
        from briefing.filters import Term

        ds = briefing_app(self).ds
        actor = ds.actor(actor_id)
        if (
            not actor_id.startswith("acled:")
            or actor is None
            or not actor.name.isprintable()  # a control byte typed into the filter: the id instead
            or ds.actors_by_name(actor.name) != [actor_id]
        ):
            return term
        return str(Term(role, (actor.name,)))

    # -- header and status ----------------------------------------------------------------------
    def command_line(self) -> str:
        # the table first, so that it stays in sight when a long --data path is cut at 80 columns
        parts = ["briefing", "export", "--table", "counts", "--by", self.by, "--format", "csv"]
        parts += briefing_app(self).data_flags
        if self.query_text:
            parts += ["--filter", self.query_text]
        return command_line(parts)

    def update_header(self) -> None:
        t = self.trends
        shown = t.count if t is not None else None  # the period's events (the change may leave some out)
        self.query_one(HeaderBar).show(self.place, briefing_app(self).counts, filter_text=self.query_text, shown=shown)
