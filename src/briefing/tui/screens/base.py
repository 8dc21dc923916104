"""What every full screen has: the header, a body, the status line (the equivalent command) and the footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen

from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.widgets.header_bar import HeaderBar
from briefing.tui.widgets.key_bar import KeyBar
from briefing.tui.widgets.status_line import StatusLine


class BaseScreen(Screen):
    BINDINGS = keys.bindings("screen")

    #: shown in the header after "briefing ›"
    place = ""
    #: the id of the key that opens this screen: the key bar gives it the last place here
    own_key: str | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield from self.compose_body()
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.update_header()
        self.update_status()

    def on_screen_resume(self) -> None:
        """Keys typed behind the one that brought this screen up were held (`OPENERS`): they
        are this screen's now."""
        getattr(self.app, "release_opened", lambda: None)()

    # -- hooks --------------------------------------------------------------------------------
    def own_query(self) -> str | None:
        """The filter of what this screen shows (an actor's, a source's), for `t`'s Trends;
        None for a screen that follows the event list's filter."""
        return None

    def command_line(self) -> str:
        """The command that prints what this screen shows.  A screen that shows no events of
        its own (help, the sources list) gives the event list's, the filter in force kept: a
        plain `briefing brief` there, copied with `c`, dropped it (QA s13)."""
        from briefing.tui.cmdline import brief_command

        main = getattr(self.app, "main_screen", None)
        if main is not None and main is not self:
            return str(main.command_line())
        return brief_command(flags=briefing_app(self).data_flags)

    def update_status(self) -> None:
        self.query_one(StatusLine).show(self.command_line())

    def update_header(self) -> None:
        self.query_one(HeaderBar).show(
            self.place, briefing_app(self).counts, loading=getattr(self.app, "load_progress", None)
        )

    def action_copy_command(self) -> None:
        """`c`: the status line's command, whole; the line shows it cut where it is too long.
        The notice gives its length, not the command: the command is the line above it."""
        from briefing.tui.screens.view_actions import CLIPBOARD_NOTE

        command = self.query_one(StatusLine).command
        if not command:
            self.app.notify("No command to copy", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(command)
        self.app.notify(f"The whole command ({len(command):,} characters): {CLIPBOARD_NOTE}", markup=False, timeout=6)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_pane", "prev_pane"):
            # a screen of one pane (help, the actors list): tab did nothing, yet the key bar offered it
            return len(self.focus_chain) > 1
        return True

    def action_next_pane(self) -> None:
        self.focus_next()

    def action_prev_pane(self) -> None:
        self.focus_previous()

    def action_back(self) -> None:
        briefing_app(self).go_back()
