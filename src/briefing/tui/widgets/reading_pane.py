"""The scrolling text of a detail screen: j/k/g/G/space scroll it; links inside take focus with tab."""

from __future__ import annotations

from textual.containers import VerticalScroll

from briefing.tui import keys


class ReadingPane(VerticalScroll, can_focus=True, inherit_bindings=False):
    BINDINGS = keys.bindings("reading")

    DEFAULT_CSS = """
    ReadingPane {
        height: 1fr;
        padding: 0 0 0 1;
        scrollbar-size-vertical: 1;
        background: $background;
    }
    ReadingPane { border-left: blank; }
    ReadingPane:focus { border-left: outer $primary; }
    ReadingPane > .section {
        text-style: bold;
        color: $secondary;
        margin: 1 0 0 0;
    }
    ReadingPane > .note { color: $text-muted; }
    """

    # Each scroll is made at once (`immediate`): deferred to the next refresh, keys that arrive
    # together (a held key, a burst over SSH) each started from the same old position, and ten
    # `j` moved one line.

    def action_scroll_down(self) -> None:
        self.scroll_relative(y=1, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.scroll_relative(y=-1, animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.scroll_relative(y=self.scrollable_content_region.height, animate=False, immediate=True)

    def action_page_up(self) -> None:
        self.scroll_relative(y=-self.scrollable_content_region.height, animate=False, immediate=True)
