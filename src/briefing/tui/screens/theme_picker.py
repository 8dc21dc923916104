"""Pick a theme: moving previews it, `enter` keeps it, `escape` puts the old one back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.display import one_line
from briefing.tui import keys
from briefing.tui.widgets.choice_list import ChoiceList
from briefing.tui.widgets.key_bar import KeyBar


class ThemePicker(ModalScreen[str | None]):
    BINDINGS = keys.bindings("picker")

    DEFAULT_CSS = """
    ThemePicker { align: center middle; }
    ThemePicker > Vertical {
        width: 44;
        max-width: 100%;
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
            # a theme's name comes from a file: shown through the display boundary
            yield ChoiceList(*[Option(Text(one_line(n)), id=n) for n in self.names], id="picker-list")
            keymap = getattr(self.app, "user_keys", None)
            down, up, keep, cancel = (
                keys.first_key(k, keymap) for k in ("cursor-down", "cursor-up", "picker-choose", "picker-cancel")
            )
            yield Static(Text(f"{down}/{up} preview · {keep} keep · {cancel} cancel"), id="picker-hint")
        yield KeyBar(id="keys")  # its own keys: the screen behind showed the list's, which do nothing here

    def on_mount(self) -> None:
        found = self.query(OptionList)
        if not found:  # the app is closing (`q t` in one burst): nothing was composed
            return
        ol = found.first()
        if self.original in self.names:
            ol.highlighted = self.names.index(self.original)
        ol.focus()
        release = getattr(self.app, "release_keys", None)
        if release is not None:  # keys typed right after `t` were held for the picker
            release()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            try:
                self.app.theme = event.option.id
            except Exception as exc:  # noqa: BLE001 - a preview must never kill the app
                self.notify(
                    f"Theme {one_line(event.option.id)} cannot be shown: {one_line(exc)}",
                    severity="error",
                    markup=False,
                )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def _list(self) -> OptionList | None:
        """The list, or None on a picker that is closing (a key for it came in the same burst)."""
        found = self.query(OptionList)
        return found.first() if found else None

    def action_cursor_down(self) -> None:
        if (ol := self._list()) is not None:
            ol.action_cursor_down()

    def action_cursor_up(self) -> None:
        if (ol := self._list()) is not None:
            ol.action_cursor_up()

    def action_choose(self) -> None:
        ol = self._list()
        if ol is not None and ol.highlighted is not None:
            self.dismiss(self.names[ol.highlighted])

    def action_cancel(self) -> None:
        self.app.theme = self.original
        self.dismiss(None)
