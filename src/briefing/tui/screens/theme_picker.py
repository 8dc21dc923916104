"""Pick a theme: moving previews it, `enter` keeps it, `escape` puts the old one back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.tui import keys


class ThemePicker(ModalScreen[str | None]):
    BINDINGS = keys.bindings("picker")

    DEFAULT_CSS = """
    ThemePicker { align: center middle; }
    ThemePicker > Vertical {
        width: 44;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    ThemePicker OptionList { height: auto; max-height: 16; border: none; padding: 0; }
    ThemePicker OptionList:focus { border: none; }
    ThemePicker #picker-title { text-style: bold; }
    ThemePicker #picker-hint { color: $text-muted; }
    """

    def __init__(self, names: list[str], current: str) -> None:
        super().__init__()
        self.names = names
        self.original = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Theme"), id="picker-title")
            yield OptionList(*[Option(Text(n), id=n) for n in self.names], id="picker-list")
            yield Static(Text("j/k preview · enter keep · escape cancel"), id="picker-hint")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        if self.original in self.names:
            ol.highlighted = self.names.index(self.original)
        ol.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.app.theme = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_choose(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self.dismiss(self.names[ol.highlighted])

    def action_cancel(self) -> None:
        self.app.theme = self.original
        self.dismiss(None)
