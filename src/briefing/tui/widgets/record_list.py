"""A list that renders only the rows on screen (Textual's Line API), whatever its length.

Textual's `DataTable` measures every cell of every row before its first frame (seconds at
100k rows: bench/README.md).  This list asks its subclass for one row at a time, only for
the rows being drawn, and caches those few: the cost of a frame, a key press or a new filter
result does not grow with the number of rows.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.tui import keys
from briefing.tui.format import StyleBook


class RecordList(ScrollView, can_focus=True, inherit_bindings=False):
    """Subclasses implement `row_count`, `row_segments` and `header_segments`."""

    BINDINGS = keys.bindings("list")

    COMPONENT_CLASSES = {"record-list--header", "record-list--cursor"}

    DEFAULT_CSS = """
    RecordList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    RecordList > .record-list--header {
        text-style: bold underline;
        color: $text-muted;
    }
    RecordList > .record-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    RecordList:focus > .record-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False, init=False)

    class Highlighted(Message):
        def __init__(self, record_list: RecordList, index: int) -> None:
            super().__init__()
            self.record_list = record_list
            self.index = index

        @property
        def control(self) -> RecordList:
            return self.record_list

    class Selected(Message):
        def __init__(self, record_list: RecordList, index: int) -> None:
            super().__init__()
            self.record_list = record_list
            self.index = index

        @property
        def control(self) -> RecordList:
            return self.record_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines: LRUCache[tuple[int, int], list[Segment]] = LRUCache(512)
        self._styles: StyleBook | None = None

    # -- subclass API ----------------------------------------------------------------------
    def row_count(self) -> int:
        raise NotImplementedError

    def header_segments(self, width: int) -> list[Segment]:
        raise NotImplementedError

    def row_segments(self, index: int, width: int) -> list[Segment]:
        """One row, exactly `width` cells, without the cursor (the list adds that)."""
        raise NotImplementedError

    #: what an empty list says instead of "Nothing to show." (set by its screen: a filter's why)
    empty_text = ""

    def empty_message(self) -> str:
        return self.empty_text or "Nothing to show."

    # -- theme styles ------------------------------------------------------------------------
    @property
    def styles_book(self) -> StyleBook:
        if self._styles is None:
            self._styles = StyleBook(getattr(self.app, "spec", None))
        return self._styles

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.reset()

    def _theme_changed(self, _theme: object) -> None:
        self._styles = None
        self.clear_cache()

    def notify_style_update(self) -> None:
        super().notify_style_update()  # repaints; the rows must be drawn again in the new styles
        self._lines.clear()

    # -- data ---------------------------------------------------------------------------------
    def clear_cache(self) -> None:
        self._lines.clear()
        self.refresh()

    def reset(self, cursor: int = 0) -> None:
        """Call after the rows change: new size, cursor kept in range, cache cleared."""
        count = self.row_count()
        self.virtual_size = Size(self.scrollable_content_region.width, count + 1)
        self._lines.clear()
        new = max(0, min(cursor, count - 1))
        if new != self.cursor:
            self.set_reactive(RecordList.cursor, new)
        if not self._cursor_visible(new):
            self.scroll_to(y=max(0, new - self._body_height() // 2), animate=False, immediate=True)
        self.refresh()
        if count:
            self.post_message(self.Highlighted(self, new))

    # -- rendering ----------------------------------------------------------------------------
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _cursor_visible(self, index: int) -> bool:
        top = round(self.scroll_y)
        return top <= index < top + self._body_height()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count() + 1)
        self._lines.clear()
        if not self._cursor_visible(self.cursor):
            self._scroll_cursor_into_view()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("record-list--header")
            header_segs = Segment.apply_style(self.header_segments(width), base + header)
            return Strip(header_segs).adjust_cell_length(width, base)
        index = round(self.scroll_y) + y - 1
        count = self.row_count()
        if count == 0:  # the message wrapped, never cut: it says why the list is empty
            import textwrap

            said = textwrap.wrap(self.empty_message(), max(10, width - 2))
            if 1 <= y <= len(said):
                return Strip([Segment(" " + said[y - 1], base + Style(italic=True))]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= count:
            return Strip.blank(width, base)
        key = (index, width)
        segs = self._lines.get(key)
        if segs is None:
            segs = list(Segment.apply_style(self.row_segments(index, width), base))
            self._lines[key] = segs
        if index == self.cursor:
            cursor = self.get_component_rich_style("record-list--cursor")
            segs = list(Segment.apply_style(segs, post_style=cursor))
        return Strip(segs).adjust_cell_length(width, base)

    # -- cursor --------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        if self.row_count():
            self.post_message(self.Highlighted(self, new))

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        body = self._body_height()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + body:
            self.scroll_to(y=self.cursor - body + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        count = self.row_count()
        if count:
            self.cursor = max(0, min(index, count - 1))

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_top(self) -> None:
        self.move_to(0)

    def action_bottom(self) -> None:
        self.move_to(self.row_count() - 1)

    def action_page_down(self) -> None:
        body = self._body_height()
        self.scroll_to(y=round(self.scroll_y) + body, animate=False, immediate=True)
        self.move_to(self.cursor + body)

    def action_page_up(self) -> None:
        body = self._body_height()
        self.scroll_to(y=round(self.scroll_y) - body, animate=False, immediate=True)
        self.move_to(self.cursor - body)

    def action_open(self) -> None:
        if self.row_count():
            self.post_message(self.Selected(self, self.cursor))
        else:  # nothing opens: the keys held behind enter need not wait
            getattr(self.app, "release_keys", lambda: None)()

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < self.row_count():
            if index == self.cursor or event.chain > 1:
                self.action_open()
            else:
                self.cursor = index
