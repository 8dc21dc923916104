"""Every key, by where it works, read from the same table the bindings are made from."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from briefing.filters import SUMMARY as FILTER_SUMMARY
from briefing.render.figures import LEGEND
from briefing.tui import keys
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.reading_pane import ReadingPane

LIST_NOTE = (
    "In the event list, killed 13+≥169 = claims for separate groups, no total claimed (the "
    "event's detail says what they add up to, the brief writes 13 us-military + ≥169 afghans (sum ≥182))."
)

FILTER_LANGUAGE = FILTER_SUMMARY[:1].upper() + FILTER_SUMMARY[1:].rstrip()  # the CLI's --help says the same


def keys_table(scope: str, keymap: dict[str, str] | None = None) -> KeysTable:
    """A scope's keys; `keymap` (the config file's [keys]) shows the keys as rebound."""
    return KeysTable(scope, keymap)


class KeysTable:
    """Key, what it does, its id; on a narrow terminal (under 60 columns) the id follows the
    text in brackets, so that the text keeps a readable width."""

    def __init__(self, scope: str, keymap: dict[str, str] | None = None) -> None:
        self.scope = scope
        self.keymap = keymap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        narrow = options.max_width < 60
        table = Table(box=None, expand=True, show_header=False, show_edge=False, pad_edge=False, padding=(0, 1))
        table.add_column("key", no_wrap=True, style="bold", width=10 if narrow else 16)
        table.add_column("does", ratio=1)
        if not narrow:
            table.add_column("id", no_wrap=True, style="italic", width=13)
        for k in keys.KEYS[self.scope]:
            km = self.keymap
            shown = "  ".join(km[k.id].split(",")) if km and k.id in km else keys.key_display(k)
            if narrow:
                does = Text(k.help)
                does.append(f" ({k.id})", style="italic")
                table.add_row(Text(shown), does)
            else:
                table.add_row(Text(shown), Text(k.help), Text(k.id))
        yield table


class HelpScreen(BaseScreen):
    place = "help"

    def compose_body(self) -> ComposeResult:
        with ReadingPane(id="help"):
            yield Static(
                Text(
                    "Every key (rebind one by its id: a [keys] table in config.toml, in "
                    '$XDG_CONFIG_HOME/briefing or else ~/.config/briefing, e.g. help = "f1")'
                ),
                classes="section",
            )
            keymap = getattr(self.app, "user_keys", None)
            for scope, label in keys.SCOPES.items():
                yield Static(Text(label), classes="section", id=f"help-scope-{scope}")
                yield Static(keys_table(scope, keymap), id=f"help-keys-{scope}")
            yield Static(Text("Filter language and ratings"), classes="section")
            yield Static(
                Group(Text(FILTER_LANGUAGE), Text(""), Text(LEGEND), Text(""), Text(LIST_NOTE)), id="help-notes"
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#help").focus()
