"""`/` on the actors and sources lists: the list narrows to rows holding the typed text.

The same input as the event filter (and the same burst-safe key handling), with plain text
instead of the filter language: an actor or source is kept when its name, an alias, its id
or its kind holds the text, case-insensitively.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult

from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.filter_bar import FilterBar
from briefing.tui.widgets.header_bar import HeaderBar
from briefing.tui.widgets.record_list import RecordList


class FilteredListScreen(BaseScreen):
    """A screen with one RecordList over `items()`, narrowed by `/`."""

    BINDINGS = keys.bindings("lists")

    #: the text the list is narrowed by ("" for none), said in the header while in force
    narrowed_by = ""
    #: what the rows are, for the empty list's message
    noun = "record"

    DEFAULT_CSS = """
    FilteredListScreen FilterBar { dock: bottom; }
    """

    def items(self) -> Sequence[Any]:  # pragma: no cover - subclasses
        raise NotImplementedError

    def keys_of(self, item: Any) -> tuple[str, ...]:  # pragma: no cover - subclasses
        raise NotImplementedError

    def show_items(self, items: Sequence[Any]) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield from super().compose()
        keymap = getattr(self.app, "user_keys", None)
        keep, done, clear = (keys.first_key(k, keymap) for k in ("filter-apply", "filter-done", "filter-clear"))
        hint = f"text in a name, alias, id or kind  ·  {keep} keep  ·  {done} done  ·  {clear} clear"
        yield FilterBar(hint=hint, placeholder="name, alias, id or kind", id="list-filter")

    @property
    def record_list(self) -> RecordList:
        return self.query_one(RecordList)

    def action_open_filter(self) -> None:
        self.query_one(FilterBar).open()

    def on_filter_bar_changed(self, message: FilterBar.Changed) -> None:
        self.narrowed_by = message.text.strip()
        items = narrowed(self.items(), message.text, self.keys_of)
        self.show_items(items)
        self.record_list.empty_text = (
            f"No {self.noun} holds {self.narrowed_by!r} "
            f"(press {keys.key_said('list-filter', getattr(self.app, 'user_keys', None))} to change it)."
            if self.narrowed_by
            else ""
        )
        self.update_header()

    def update_header(self) -> None:
        """As every screen's, and the text in force with how many rows it leaves, as the event
        list's filter is: a list left narrowed, come back to, must not read as missing data."""
        if not self.narrowed_by:
            super().update_header()
            return
        self.query_one(HeaderBar).show(
            self.place,
            briefing_app(self).counts,
            filter_text=self.narrowed_by,
            shown=self.record_list.row_count(),
            loading=getattr(self.app, "load_progress", None),
        )

    def on_filter_bar_close(self, message: FilterBar.Close) -> None:
        bar = self.query_one(FilterBar)
        if message.apply:
            bar.flush()
        bar.close()
        self.record_list.focus()


def narrowed(items: Sequence[Any], text: str, keys_of: Callable[[Any], tuple[str, ...]]) -> list[Any]:
    """The items one of whose keys holds `text` (case-insensitive); all of them for no text."""
    needle = text.strip().casefold()
    if not needle:
        return list(items)
    return [it for it in items if any(needle in k.casefold() for k in keys_of(it))]
