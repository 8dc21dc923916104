"""A short list of links inside a detail pane (actors, sources, related events, timeline).

An `OptionList` that grows to its content inside the reading pane's scroll, moves with j/k
as well as the arrows, scrolls the *pane* so the highlighted link stays in view, and turns
`enter` into an `OpenRecord(kind, id)` message the app routes to the right screen.  Prompts are
`rich.text.Text`, never markup strings: record text is data.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.tui import keys
from briefing.tui.messages import OpenRecord


class LinkList(OptionList, inherit_bindings=False):
    BINDINGS = keys.bindings("list")

    DEFAULT_CSS = """
    LinkList {
        height: auto;
        /* As tall as its rows (at most 300 and a "more" row, folded lines included): with
           OptionList's cap (100%), rows past the pane's height sat in a scroll of the list's
           own, which the pane's end key, and a reader scrolling the profile, never reached.
           `initial` does not lift that cap in Textual's CSS; a number does. */
        max-height: 2000;
        border: none;
        padding: 0;
        margin: 0 0 1 0;
        background: transparent;
        &:focus { border: none; }
        & > .option-list--option-highlighted { text-style: bold; }
        &:focus > .option-list--option-highlighted {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:blur > .option-list--option-highlighted {
            background: transparent;
            color: $foreground;
            text-style: none;
        }
    }
    """

    targets: list[tuple[str, str]] = []

    def set_links(self, links: Iterable[tuple[str, str, RenderableType]]) -> int:
        """(kind, id, prompt) rows; returns how many."""
        self.clear_options()
        links = list(links)
        self.targets: list[tuple[str, str]] = [(kind, rid) for kind, rid, _ in links]
        options = [Option(prompt) for _, _, prompt in links]
        self.add_options(options)
        self.display = bool(options)
        if options:
            self.highlighted = 0
        return len(options)

    def render_line(self, y: int) -> Strip:
        """The highlighted row in the cursor's colours only.  A prompt's own colours (a date,
        a muted id) would otherwise stay on the cursor background: 1.03:1 for a timeline row."""
        strip = super().render_line(y)
        if self.highlighted is None or not self.has_focus:
            return strip
        try:
            index, _ = self._lines[self.scroll_offset.y + y]
        except (IndexError, AttributeError):
            return strip
        if index != self.highlighted:
            return strip
        cursor = self.get_visual_style("option-list--option", "option-list--option-highlighted").rich_style
        return Strip(
            [
                seg
                if seg.control
                else Segment(seg.text, cursor + (seg.style.without_color if seg.style else Style()), None)
                for seg in strip
            ],
            strip.cell_length,
        )

    def action_top(self) -> None:
        self.action_first()

    def action_bottom(self) -> None:
        self.action_last()

    def action_open(self) -> None:
        self.action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.targets):
            kind, rid = self.targets[event.option_index]
            self.post_message(OpenRecord(kind, rid))

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)
        # The list is as tall as its content, so it is the pane around it that must scroll.
        if self.highlighted is None or not self.has_focus:
            return
        try:
            y = self._index_to_line[self.highlighted]
            height = self._heights[self.highlighted]
        except (AttributeError, KeyError):
            return
        parent = self.parent
        if not isinstance(parent, Widget) or not parent.is_scrollable:
            return
        # (The list is never capped at the pane's height: capped, its rows past the pane's
        # height were in a scroll of its own, which the pane's end key never reached.)
        region = Region(0, y - round(self.scroll_y), self.size.width, height).translate(self.virtual_region.offset)
        parent.scroll_to_region(region, animate=False, immediate=True, force=True)
