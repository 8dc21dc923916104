"""The event list: date (at its precision), country, type, title, killed span, disputed mark.

Rows are drawn on demand (see `RecordList`): a new filter result is just a new sequence of
events, so narrowing 100k events costs the filter itself, never a table rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment

from briefing.display import one_line
from briefing.records import Event
from briefing.render.figures import DISPUTED_MARK
from briefing.sorting import DEFAULT as DEFAULT_SORT, sort_events
from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.format import disputed, fit, fit_span, killed_span, type_short
from briefing.tui.widgets.record_list import RecordList

#: the cells a title keeps beside a long killed span (`row_segments`)
TITLE_MIN = 8


class EventList(RecordList):
    DEFAULT_CSS = """
    EventList { height: 1fr; }
    """

    def __init__(self, events: Sequence[Event] = (), *, countries: Sequence[str] = (), **kw) -> None:
        super().__init__(**kw)
        self.events: Sequence[Event] = events
        self.sort_by = DEFAULT_SORT
        self._country_width = self._width_for(countries)
        self._spans: dict[str, tuple[str, bool]] = {}
        self._changes: tuple[object, dict] | None = None  # (dataset, its events' sync changes)

    @staticmethod
    def _width_for(countries: Sequence[str]) -> int:
        longest = max((len(one_line(c)) for c in countries), default=7)
        return max(7, min(longest, 14))

    def set_countries(self, countries: Sequence[str]) -> None:
        """The country column fits the longest country name (7 to 14 cells)."""
        width = self._width_for(countries)
        if width != self._country_width:
            self._country_width = width
            self.refresh()

    # -- data ----------------------------------------------------------------------------------
    def set_events(self, events: Sequence[Event], ordered: bool = False) -> None:
        """Show a new list of events, keeping the highlighted event when it is still there.
        `ordered`: already in the order `sort_by` names (the filter asked the index for it)."""
        current = self.current
        self.events = events if ordered else sort_events(events, self.sort_by)
        index = 0
        if current is not None:
            index = self._index_of(current.id) or 0
        self.reset(index)

    def _index_of(self, event_id: str) -> int | None:
        index_of = getattr(self.events, "index_of", None)  # a query's answer asks its index
        if index_of is not None:
            return index_of(event_id)
        ds = briefing_app(self).ds
        if self.events is ds.events:  # the whole dataset in its own order
            event = ds.event(event_id)
            return None if event is None else ds.position(event)
        for i, e in enumerate(self.events):
            if e.id == event_id:
                return i
        return None

    @property
    def current(self) -> Event | None:
        if 0 <= self.cursor < len(self.events):
            return self.events[self.cursor]
        return None

    def select_id(self, event_id: str) -> bool:
        i = self._index_of(event_id)
        if i is None:
            return False
        self.move_to(i)
        return True

    def row_count(self) -> int:
        return len(self.events)

    #: why the list is empty when a filter could not be applied (set by the screen), else None
    problem: str | None = None
    #: why a filter in force may have matched nothing (`filters.unknown_countries`), else ""
    hint: str = ""

    def empty_message(self) -> str:
        key = keys.key_said("filter", getattr(self.app, "user_keys", None))
        if self.problem:
            return f"No events shown: {one_line(self.problem)} (press {key} to fix it)."
        if self.hint:
            return f"No event matches the filter: {one_line(self.hint)} (press {key} to change it)."
        return f"No event matches the filter (press {key} to change it)."

    # -- layout ----------------------------------------------------------------------------------
    def _layout(self, width: int) -> tuple[int, int, int, int]:
        """Widths of country, type, title and killed for a row of `width` cells."""
        country = self._country_width if width >= 70 else 0
        kind = 12 if width >= 90 else 9
        killed = 11 if width >= 100 else 8
        # lead(1) date(10) sp country sp type sp title sp killed sp mark(1) trail(1)
        fixed = 1 + 10 + 1 + (country + 1 if country else 0) + 1 + 1 + 1 + 1 + 1
        title = width - fixed - kind - killed
        # Narrow: the type, then the killed column's spare room give way, so that the row still
        # fits and ends with the number and the dispute mark, whatever the title keeps.
        for spare in ("kind", "killed"):
            short = 8 - title
            if short <= 0:
                break
            if spare == "kind":
                give = min(short, kind - 4)
                kind -= give
            else:
                give = min(short, killed - 6)
                killed -= give
            title += give
        return country, kind, max(1, title), killed

    def _span(self, e: Event) -> tuple[str, bool]:
        got = self._spans.get(e.id)
        if got is None:
            got = (killed_span(e), disputed(e))
            self._spans[e.id] = got
        return got

    def header_segments(self, width: int) -> list[Segment]:
        """The column titles, the one the list is sorted by marked (`▼` newest or most first,
        `▲` A–Z): the toast that said the order was gone in seconds, and then nothing did."""
        country, kind, title, killed = self._layout(width)

        def name(column: str, room: int) -> str:
            if column == self.sort_by:
                marked = column + ("▼" if column in ("date", "killed") else "▲")
                if len(marked) <= room:
                    return marked
            return column

        text = " " + fit(name("date", 10), 10) + " "
        if country:
            text += fit(name("country", country), country) + " "
        shown_title = name("title", title)
        if self.sort_by == "country" and not country:  # its column given up to the title: said there
            marked = "title, by country▲"
            shown_title = marked if len(marked) <= title else shown_title
        text += fit("type", kind) + " " + fit(shown_title, title) + " "
        text += name("killed", killed).rjust(killed) + " " + DISPUTED_MARK + " "
        return [Segment(text)]

    def row_segments(self, index: int, width: int) -> list[Segment]:
        e = self.events[index]
        country_w, kind_w, title_w, killed_w = self._layout(width)
        st = self.styles_book
        span, is_disputed = self._span(e)
        if len(span) > killed_w:  # never cut a number: the title gives up the room it can spare,
            # and a sum of groups' claims longer still keeps its largest parts whole (`fit_span`)
            span = fit_span(span, killed_w + max(0, title_w - TITLE_MIN))
            give = max(0, len(span) - killed_w)
            title_w -= give
            killed_w += give
            if title_w < 0:  # narrower still (40 columns): the type gives its cells too, so the
                take = min(kind_w, -title_w)  # row keeps its end, the dispute mark (QA s12)
                kind_w -= take
                title_w += take
        segs = [Segment(" "), Segment(fit(e.date, 10), st("date")), Segment(" ")]
        if country_w:
            segs += [Segment(fit(one_line(e.country), country_w), st("country")), Segment(" ")]
        segs += [
            Segment(fit(type_short(e), kind_w), st("type")),
            Segment(" "),
            Segment(fit(one_line(e.title), title_w)),
            Segment(" "),
            Segment(span.rjust(killed_w), st("number")),
            Segment(" "),
            Segment(DISPUTED_MARK, st("disputed")) if is_disputed else Segment(" "),
        ]
        mark = self._change_mark(e)  # what ACLED syncs changed (briefing.ledger)
        segs.append(Segment(mark, st("number")) if mark != " " else Segment(" "))
        return segs

    def _change_mark(self, e: Event) -> str:
        from briefing.ledger import change_index, change_mark

        ds = briefing_app(self).ds
        if self._changes is None or self._changes[0] is not ds:  # read once per dataset
            self._changes = (ds, change_index(getattr(ds, "root", None)))
        return change_mark(self._changes[1].get(e.id))
