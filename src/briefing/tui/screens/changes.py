"""What changed (`w` on the event list): the sync ledger by sync, newest sync first.

The `+ ~ x` marks in the list, an event's "Changes" block and the `changed:` filter each show
a part of what the syncs of ACLED data did; the filter leaves out removed events, the very
changes an analyst looks for after a sync.  This screen lists them all, grouped by sync: a
heading per sync (its time, its export, its counts), the baseline in one line (a first sync's
additions are the data's starting point, not news: `ledger.baseline_syncs`), then an entry a
line as `briefing changes` prints it (`render.changes`, the one formatter), removals included.
The pane below the list folds the highlighted line whole, as the CLI prints it.

Decisions, and why:

* It follows the event list's filter, as `briefing changes --filter` does: the changes of the
  events the filter selects and of the removed ones it would select (`wanted_ids`), so that
  "Tajikistan, this week" is the list's filter and `w`.  The first line says which: "Changes
  to the 12 events shown (removed ones too)", or "All changes" with no filter; the status line
  gives the `briefing changes` command that prints the same.  A filter that does not parse
  shows no events: the screen is refused, as Trends is.
* Each sync lists at most `PER_KIND` entries of each kind (late additions and restorations
  first among the added), and says how many more with the command that lists that sync's
  changes whole (`--since` and `--until` its time): a sync of a large export records 100k
  entries, more than anyone reads on a screen, and only the entries listed are parsed.  The
  list draws only the rows on screen (`RecordList`).
* Enter on an entry opens its event, as the event list does; a removed event opens too (the
  data keeps it, tagged `acled-removed`), and an id the data does not have is said in a
  notice (`open_record`).  Enter on the baseline or on a "more" line says the command that
  lists them.  Escape goes back to where the user was.
* A large ledger, or a filter over a large dataset, is read on a worker thread (the keys
  answer meanwhile; the list says it is reading); a small one before the first frame.
* With no ledger (data never synced, like the bundled data) the list says so in one line, and
  how to start one.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Static

from briefing.display import command_line, counted, one_line
from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.change_list import ChangeList, Row
from briefing.tui.widgets.header_bar import HeaderBar

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.ledger import SyncGroup

#: entries of each kind listed per sync; the rest are counted, and the CLI lists them
PER_KIND = 200
#: a ledger up to this many bytes is read before the first frame; a larger one on a thread
SYNC_BYTES = 1 << 20
#: with a filter, the events it selects are asked before the first frame up to this many events
#: in the data (as Trends does), on the thread beyond
SYNC_EVENTS = 20_000
#: lines of the highlighted row the pane below the list folds (the last ends in `…` when cut)
SAID_LINES = 3

NO_LEDGER = "Nothing synced: this data has no sync ledger (`briefing sync acled FILE --data DIR` starts one)."


class ChangesScreen(BaseScreen):
    place = "what changed"
    own_key = "changes"

    DEFAULT_CSS = """
    ChangesScreen #change-said {
        height: auto;
        max-height: 4;
        border-top: hkey $panel-lighten-2;
        padding: 0 1;
    }
    """

    def __init__(self, query_text: str = "", shown: int | None = None) -> None:
        """query_text: the event list's filter in force ("" for none); shown: how many events
        the list shows for it (said in the first line)."""
        super().__init__()
        self.query_text = query_text
        self.shown = shown
        self.groups: list[SyncGroup] | None = None  # None: not read yet

    def compose_body(self) -> ComposeResult:
        yield ChangeList(id="changes")
        yield Static(id="change-said")

    @property
    def change_list(self) -> ChangeList:
        return self.query_one(ChangeList)

    def on_mount(self) -> None:
        super().on_mount()
        lst = self.change_list
        lst.command_for = self._sync_command
        lst.scope = self._scope()
        lst.focus()
        ds = briefing_app(self).ds
        from briefing.ledger import ledger_path

        path = ledger_path(getattr(ds, "root", None))
        if path is None:
            lst.empty_text = NO_LEDGER
            lst.reset()
            self._say(None)
            return
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        if size <= SYNC_BYTES and (not self.query_text or len(ds.events) <= SYNC_EVENTS):
            self._show(self._read(ds, path))
            return
        lst.empty_text = "Reading the sync ledger…"
        lst.reset()
        self.run_worker(lambda: self._in_thread(ds, path), thread=True, exclusive=True)

    def _read(self, ds: Dataset, path: str) -> list[SyncGroup]:
        from briefing.ledger import sync_groups

        wanted = None
        if self.query_text:
            from briefing.commands.changes import wanted_ids
            from briefing.filters import parse

            wanted = wanted_ids(ds, parse(self.query_text))  # the list only hands over a filter that parses
        return sync_groups(path, wanted, PER_KIND)

    def _in_thread(self, ds: Dataset, path: str) -> None:
        groups = self._read(ds, path)
        try:
            self.app.call_from_thread(self._show, groups)
        except RuntimeError:  # the app has stopped meanwhile
            pass

    def _show(self, groups: list[SyncGroup]) -> None:
        if not self.is_attached:  # closed while reading
            return
        self.groups = groups
        lst = self.change_list
        syncs = len(groups)
        lst.scope = self._scope() + (f" · {counted(syncs, 'sync')}, newest first" if syncs else "")
        if not groups:
            lst.empty_text = (
                "No sync changed the events shown "
                f"(press {keys.key_said('filter-events', getattr(self.app, 'user_keys', None))} to change the filter)."
                if self.query_text
                else "No change recorded: the ledger is empty."
            )
        lst.set_groups(groups)
        self._say(lst.current_row)

    def _scope(self) -> str:
        if not self.query_text:
            return "All changes"
        if self.shown is None:
            return "Changes to the events shown (removed ones too)"
        return f"Changes to the {counted(self.shown, 'event')} shown (removed ones too)"

    # -- the highlighted row, whole --------------------------------------------------------------
    def on_record_list_highlighted(self, message: ChangeList.Highlighted) -> None:
        self._say(self.change_list.current_row)

    def _say(self, row: Row | None) -> None:
        """The highlighted row as `briefing changes` prints it, folded at word boundaries to
        the pane's width, at most `SAID_LINES` lines, the last ending in `…` when cut."""
        from rich.text import Text

        pane = self.query_one("#change-said", Static)
        pane.display = row is not None
        if row is None:
            return
        text = Text(self.change_list.text_of(row, whole=True))
        width = max(10, self.app.size.width - 2)
        lines = list(text.wrap(self.app.console, width))
        if len(lines) > SAID_LINES:
            lines = lines[:SAID_LINES]
            lines[-1].truncate(width - 1)
            lines[-1].append("…")
        pane.update(Text("\n").join(lines))

    def on_resize(self) -> None:
        if self.is_mounted:
            self._say(self.change_list.current_row)

    # -- enter ----------------------------------------------------------------------------------
    def on_record_list_selected(self, message: ChangeList.Selected) -> None:
        row = self.change_list.current_row
        if row is None:
            return
        if row.event_id is not None:
            briefing_app(self).open_record("event", row.event_id)
            return
        command = self._sync_command(row.group.at, json=row.kind == "baseline")
        self.notify(f"{command} lists them", markup=False, timeout=8)
        getattr(self.app, "release_keys", lambda: None)()

    # -- header and status ----------------------------------------------------------------------
    def _words(self) -> list[str]:
        words = ["briefing", "changes", *briefing_app(self).data_flags]
        if self.query_text:
            words += ["--filter", self.query_text]
        return words

    def _sync_command(self, at: str, json: bool = False) -> str:
        """The command that lists one sync's changes whole (its time as `--since` and `--until`);
        `json`: each of the baseline's additions too (the text says them in one line)."""
        words = self._words()
        fmt = ["--format", "json"] if json else []
        return command_line([*words[:2], "--since", at, "--until", at, *fmt, *words[2:]])

    def command_line(self) -> str:
        return command_line(self._words())

    def update_header(self) -> None:
        app = briefing_app(self)
        self.query_one(HeaderBar).show(
            self.place,
            app.counts,
            filter_text=one_line(self.query_text),
            shown=self.shown if self.query_text else None,
            loading=getattr(app, "load_progress", None),
        )
