"""`x` on the event list: export the events shown, as `briefing export` would write them.

Pick a format, then a file name (a new file in the current directory is offered).  The
file is written by the CLI's own writer: atomically, and never over an existing file (the
CLI's rule without `--force`: give another name).  Writing runs in a worker thread, so a
large export does not freeze the screen.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefing.display import counted, one_line
from briefing.tui import keys

FORMATS: dict[str, tuple[str, str]] = {  # name: (extension, what it is)
    "json": (".json", "JSON document"),
    "jsonl": (".jsonl", "JSON Lines, one event a line"),
    "csv": (".csv", "CSV, one event a row"),
    "md": (".md", "Markdown brief"),
    "stix": (".stix.json", "STIX 2.1 bundle"),
}


def default_path(fmt: str, folder: str | None = None) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return os.path.join(folder or os.getcwd(), f"briefing-{stamp}{FORMATS[fmt][0]}")


def export_events(ds, events: Sequence, query: str, fmt: str, path: str) -> None:
    """Write `events` as `fmt` to a new file `path` (raises TargetExists, OSError)."""
    from pathlib import Path

    from briefing.export import Context, writer
    from briefing.export.atomic import check_target, write_atomic

    target = Path(os.path.expanduser(path))
    check_target(target, force=False)
    ctx = Context(ds, list(events), query, "events")
    write = writer(fmt)
    write_atomic(target, lambda f: write(f, ctx), force=False)


class ExportDialog(ModalScreen[str | None]):
    BINDINGS = keys.bindings("export")

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 72; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ExportDialog OptionList { height: auto; border: none; padding: 0; }
    ExportDialog Input { border: none; height: 1; padding: 0; display: none; }
    ExportDialog Input.-shown { display: block; }
    ExportDialog #export-title { text-style: bold; }
    ExportDialog #export-message { color: $text-muted; }
    ExportDialog #export-message.-error { color: $error; text-style: bold; }
    """

    def __init__(self, ds, events: Sequence, query: str) -> None:
        super().__init__()
        self.ds = ds
        self.events = events
        self.query_text = query
        self.fmt: str | None = None

    def compose(self) -> ComposeResult:
        n = len(self.events)
        with Vertical():
            yield Static(Text(f"Export the {counted(n, 'event')} shown"), id="export-title")
            yield OptionList(
                *[Option(Text(f"{name:<6} {what}"), id=name) for name, (_, what) in FORMATS.items()],
                id="export-formats",
            )
            yield Input(id="export-path", select_on_focus=False)
            yield Static(Text("enter choose · escape cancel"), id="export-message")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        release = getattr(self.app, "release_keys", None)
        if release is not None:
            release()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.fmt = fmt = event.option.id
        assert fmt is not None  # every option is made with its format's name as id
        path = self.query_one(Input)
        path.value = default_path(fmt)
        path.add_class("-shown")
        path.cursor_position = len(path.value)
        path.focus()
        self._say(f"{self.fmt}: file to write (a new file; enter writes it)")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.fmt and event.value.strip():
            self._say("writing…")
            self._write(self.fmt, event.value.strip())

    @work(thread=True, exclusive=True, group="export")
    def _write(self, fmt: str, path: str) -> None:
        from briefing.export.atomic import TargetExists

        try:
            export_events(self.ds, self.events, self.query_text, fmt, path)
        except TargetExists:
            self.app.call_from_thread(
                self._say, f"{path} already exists; give another name (an export never replaces a file)", True
            )
            return
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.app.call_from_thread(self._say, f"{path}: cannot write: {reason}; nothing was written", True)
            return
        self.app.call_from_thread(self._done, fmt, path)

    def _done(self, fmt: str, path: str) -> None:
        n = len(self.events)
        self.app.notify(f"Wrote {counted(n, 'event')} as {fmt} to {one_line(path)}", markup=False)
        self.dismiss(path)

    def _say(self, message: str, error: bool = False) -> None:
        msg = self.query_one("#export-message", Static)
        msg.update(Text(one_line(message)))
        msg.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(None)
