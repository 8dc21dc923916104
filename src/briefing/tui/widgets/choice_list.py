"""A list to choose from in a dialog (the export's formats, the themes).

Textual's `OptionList` with its own `enter` turned off: enter is the dialog's key (`choose`),
so that the key bar shows it; the list's hidden binding hid it (`j k move esc cancel q quit`).
"""

from __future__ import annotations

from textual.widgets import OptionList


class ChoiceList(OptionList):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return False if action == "select" else super().check_action(action, parameters)
