"""`x` on the event list: export the events shown, as `briefing export` would write them.

Pick a format, then a file name (a new file is offered in the folder the last export went to,
the current directory before the first: over SSH the current directory is often a checkout,
and typing the folder again for each export is what a user met, QA s15).  The
file is written by the CLI's own writer: atomically, and never over an existing file (the
CLI's rule without `--force`: give another name).  Writing runs in a worker thread, so a
large export does not freeze the screen.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from briefing.display import counted, one_line
from briefing.export import Tally
from briefing.tui import keys
from briefing.tui.widgets.choice_list import ChoiceList
from briefing.tui.widgets.key_bar import KeyBar
from briefing.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.records import Event

FORMATS: dict[str, tuple[str, str]] = {  # name: (extension, what it is)
    "json": (".json", "JSON document"),
    "jsonl": (".jsonl", "JSON Lines, one event a line"),
    "csv": (".csv", "CSV, one event a row"),
    "md": (".md", "Markdown brief"),
    "stix": (".stix.json", "STIX 2.1 bundle"),
}


def name_problem(fmt: str, name: str, cancel: str = "escape") -> str | None:
    """Why `name` will not do for a `fmt` export (None: it will): none given, or another
    format's extension (`q.jsonl` for json: a script reading it as JSON Lines would fail).
    cancel: the key that closes the dialog, as the user's keymap has it."""
    if not name:
        return f"give the file a name ({cancel} cancels)"
    if name.endswith(("/", os.sep)):  # `reports/` wrote a file named `reports`
        return (
            f"{os.path.basename(name.rstrip('/' + os.sep))}/ names a folder: give a file name in it ({cancel} cancels)"
        )
    low = os.path.basename(name).casefold()
    if low.endswith(FORMATS[fmt][0]) or (fmt == "stix" and low.endswith(".json")):  # a bundle is JSON
        return None
    for other, (ext, _what) in sorted(FORMATS.items(), key=lambda kv: -len(kv[1][0])):
        if other != fmt and low.endswith(ext):
            return (
                f"{os.path.basename(name)} is named for {other}, and the format is {fmt}: "
                f"end the name {FORMATS[fmt][0]}, or go back (shift+tab) and pick {other}"
            )
    return None


def with_extension(fmt: str, name: str) -> str:
    """`name` as the file to write: the format's extension added to a name with none
    (`weekly` → `weekly.csv`: a bare name was written as `./weekly`, QA s17)."""
    if os.path.splitext(os.path.basename(name))[1]:
        return name
    return name + FORMATS[fmt][0]


def default_path(fmt: str, folder: str | None = None) -> str:
    """A new file's name in `folder` (the current folder by default); a folder whose name a
    terminal would act on (an ESC, a C1 control, a newline) is not drawn in the name field: the
    name alone is proposed, written in the current folder (QA s17: the field drew the raw
    bytes).  The notice after writing gives the whole path, escaped."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"briefing-{stamp}{FORMATS[fmt][0]}"
    folder = folder or os.getcwd()
    return os.path.join(folder, name) if folder.isprintable() else name


def export_events(
    ds: Dataset, events: Sequence[Event], query: str, fmt: str, path: str, data_flags: Sequence[str] = ()
) -> None:
    """Write `events` as `fmt` to a new file `path` (raises TargetExists, OSError; a pipe or a
    terminal is no new file: the CLI's `-o` streams into one, the dialog never); `events`
    may be a `Tally`, which the dialog reads to say how far it has got.  The commands a
    Markdown file names to run next (`Context.again`) carry the data's flags and the filter,
    as the CLI's export writes them: without, they printed tables of all the data."""
    from pathlib import Path

    from briefing.export import Context, writer
    from briefing.export.atomic import TargetExists, target_kind, write_atomic

    target = Path(os.path.expanduser(path))
    if target_kind(target, force=False) == "stream":  # a FIFO, /dev/stdout: not a new file (a
        raise TargetExists(target)  # FIFO nobody reads held the app open, blank, after `q`)
    ctx = Context(ds, events, query, "events")
    ctx.again = (*data_flags, *(("--filter", query) if query else ()))
    write = writer(fmt)
    write_atomic(target, lambda f: write(f, ctx), force=False)


def _release_keys(app: App[object]) -> None:
    """Let the keys held behind enter go (`BriefingApp.release_keys`; a plain App holds none)."""
    getattr(app, "release_keys", lambda: None)()


class PathInput(TextInput):
    """The file name, its own `enter` turned off: enter is the dialog's `write` key."""

    def validate_value(self, value: str) -> str:
        # the field draws its value as it is: a pasted ESC or newline is written as text, what
        # is seen being the name written (`display.one_line`, as the filter's field does)
        return one_line(value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return False if action == "submit" else super().check_action(action, parameters)


class ExportDialog(ModalScreen[str | None]):
    """Format list, then the file name, with the screen's key bar at the bottom.

    The name is a compact (one-row, borderless) input: Textual's `Input:focus` rule gives a
    focused input a border, which on a one-row input left two border lines and no text row.
    The proposed name is shown selected, so a typed path replaces it rather than being
    appended to it, and the arrows, home and end edit it in place."""

    BINDINGS = keys.bindings("export")

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ExportDialog OptionList { height: auto; border: none; padding: 0; }
    ExportDialog OptionList:focus { border: none; }
    ExportDialog Input { display: none; background: $panel; }
    ExportDialog Input.-shown { display: block; }
    /* ANSI themes give the selection the terminal's own colours: shown reversed instead */
    ExportDialog Input:ansi > .input--selection { text-style: reverse; }
    ExportDialog #export-title { text-style: bold; }
    ExportDialog #export-message { color: $text-muted; }
    ExportDialog #export-message.-error { color: $error; text-style: bold; }
    """

    def __init__(self, ds: Dataset, events: Sequence[Event], query: str) -> None:
        super().__init__()
        self.ds = ds
        self.events = events
        self.query_text = query
        self.fmt: str | None = None
        self._proposed: str | None = None  # the name last proposed, to tell it from a typed one
        self._writing = False  # a write is under way: enter does not start another
        self._ticking: Timer | None = None  # says how far a write has got

    def compose(self) -> ComposeResult:
        n = len(self.events)
        with Vertical():
            yield Static(Text(f"Export the {counted(n, 'event')} shown"), id="export-title")
            yield ChoiceList(
                *[Option(Text(f"{name:<6} {what}"), id=name) for name, (_, what) in FORMATS.items()],
                id="export-formats",
            )
            yield PathInput(id="export-path", select_on_focus=False, compact=True)
            yield Static(Text("pick a format"), id="export-message")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        _release_keys(self.app)

    def _focus_is(self, widget_type: type[Widget]) -> bool:
        return isinstance(self.focused, widget_type)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each key only where it does something, so the key bar shows what works here: the
        moves and `choose` in the format list, `write` in the file name."""
        if action in ("cursor_down", "cursor_up", "choose"):
            return self._focus_is(OptionList)
        if action == "write":
            return self._focus_is(Input) and self.fmt is not None and not self._writing
        return True

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_choose(self) -> None:
        formats = self.query_one(OptionList)
        if formats.highlighted is not None:
            fmt = formats.get_option_at_index(formats.highlighted).id
            assert fmt is not None  # every option is made with its format's name as id
            self._choose(fmt)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a format (enter is the `choose` key)."""
        event.stop()
        assert event.option.id is not None
        self._choose(event.option.id)

    def _choose(self, fmt: str) -> None:
        self.fmt = fmt
        path = self.query_one(Input)
        # a name the user typed is kept when they come back for another format
        if not path.value or path.value == self._proposed:
            self._proposed = path.value = default_path(fmt, getattr(self.app, "export_folder", None))
        path.add_class("-shown")
        path.focus()
        path.selection = Selection(0, len(path.value))
        _release_keys(self.app)  # a name typed behind enter was held
        self._say(f"{fmt}: the file to write. Typing replaces the name shown; the arrows, home and end edit it.")

    def action_write(self) -> None:
        """The keys that came behind enter are held (`app.INPUT_CLOSERS`) until the file is
        written, then go to the list; or, should it not be written, to the name again."""
        value = self.query_one(Input).value
        cancel = keys.first_key("export-cancel", getattr(self.app, "user_keys", None))
        if self.fmt and not self._writing and (why := name_problem(self.fmt, value.strip(), cancel)):
            self._say(why, True)
            _release_keys(self.app)
            return
        if self.fmt and value.strip() and not self._writing:
            self._writing = True
            self.refresh_bindings()
            self._say(f"writing… ({cancel} closes this dialog; the file is still written)")
            app, fmt, path = self.app, self.fmt, with_extension(self.fmt, value.strip())
            # how far it has got, said twice a second: a big export is not quick (not the
            # Markdown brief, which reads its events in several short passes)
            tally = Tally(self.events) if fmt != "md" else None
            if tally is not None:
                self._ticking = self.set_interval(0.5, lambda: self._progress(tally, cancel))
            getattr(app, "keep_holding", lambda: None)()
            events = tally if tally is not None else self.events
            app.run_worker(lambda: self._write(app, fmt, path, events), thread=True, group="export")
        else:
            _release_keys(self.app)

    def _progress(self, tally: Tally, cancel: str) -> None:
        if self._writing:
            again = f", pass {tally.passes}" if tally.passes > 1 else ""
            self._say(
                f"writing… {tally.read:,} of {len(tally):,} events read{again} "
                f"({cancel} closes this dialog; the file is still written)"
            )

    def _stop_ticking(self) -> None:
        if self._ticking is not None:
            self._ticking.stop()
            self._ticking = None

    def _write(self, app: App[object], fmt: str, path: str, events: Sequence[Event]) -> None:
        """In a worker thread of the app's, not the dialog's: escape may close the dialog while
        the file is written, and the write then finishes with a notice (enter is refused while a
        write runs, so there is never a second)."""
        from briefing.export.atomic import TargetExists

        try:
            export_events(self.ds, events, self.query_text, fmt, path, getattr(app, "data_flags", ()))
        except TargetExists as exc:  # said as the CLI says it, with the dialog's way out
            app.call_from_thread(self._failed, app, f"{exc.what}; give another name (an export never replaces a file)")
            return
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            app.call_from_thread(self._failed, app, f"{path}: cannot write: {reason}; nothing was written")
            return
        app.call_from_thread(self._done, app, fmt, path)

    def _open(self) -> bool:
        """Whether the dialog is still the screen shown (escape may have closed it mid-write)."""
        return self.is_attached and self.app.screen is self

    def _done(self, app: App[object], fmt: str, path: str) -> None:
        if hasattr(app, "export_folder"):
            app.export_folder = os.path.dirname(os.path.abspath(os.path.expanduser(path)))
        self._writing = False
        self._stop_ticking()
        n = len(self.events)
        # the whole path (a name typed alone is in the folder briefing started in: said, to find it)
        written = os.path.abspath(os.path.expanduser(path))
        app.notify(f"Wrote {counted(n, 'event')} as {fmt} to {one_line(written)}", markup=False)
        if self._open():
            self.dismiss(path)
        _release_keys(app)

    def _failed(self, app: App[object], message: str) -> None:
        """On the dialog when it is open (the name can be changed); else as a notice."""
        self._writing = False
        self._stop_ticking()
        if self._open():
            self.refresh_bindings()
            self._say(message, True)
        else:
            app.notify(one_line(message), severity="error", markup=False)
        _release_keys(app)

    def _say(self, message: str, error: bool = False) -> None:
        msg = self.query_one("#export-message", Static)
        msg.update(Text(one_line(message)))
        msg.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(None)
        _release_keys(self.app)  # closed mid-write: the keys held behind its enter go to the list now
