"""The command palette (`ctrl+p`): Textual's, with an Enter that waits for the search typed
before it.

Textual's palette searches in a worker as each key is typed, and its Enter chooses from the
list as it is when the Enter arrives.  Typed in one burst (`ctrl+p crocus ⏎`, or keys bunched
by a slow link), the Enter came before the search for "crocus" had answered and opened the
first entry of the list of no search.  Here an Enter that arrives while a search runs is held
until that search is done, then does what it would have done had the user waited.
"""

from __future__ import annotations

from textual import on
from textual.command import CommandPalette
from textual.widgets import Input
from textual.worker import Worker, WorkerState

_RUNNING = (WorkerState.PENDING, WorkerState.RUNNING)


#: what the palette is for, in its input (Textual's says "Search for commands…": here it jumps
#: to events, actors and sources first, QA s17)
PLACEHOLDER = "Jump to an event, actor or source by name or alias (or a command)…"


class Palette(CommandPalette):
    # Textual draws the search icon black (#000, for its snapshots): on a 16-colour terminal's
    # black it was black on black (QA s17)
    DEFAULT_CSS = """
    Palette SearchIcon { color: $foreground; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("placeholder", PLACEHOLDER)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Textual's own arguments
        self._enter_waits = False

    def _searching(self) -> bool:
        return any(w.group == self._GATHER_COMMANDS_GROUP and w.state in _RUNNING for w in self.workers)

    @on(Input.Submitted)
    def _enter_after_the_search(self, event: Input.Submitted) -> None:
        if self._searching():
            event.stop()
            event.prevent_default()  # Textual's own handler chooses now: not before the answer
            self._enter_waits = True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self._enter_waits and event.worker.group == self._GATHER_COMMANDS_GROUP and not self._searching():
            self._enter_waits = False
            self._select_or_command()
