"""A text input whose editing keys run in order with the typing around them.

Textual's `Input` types a character as the key arrives, but runs a bound key (backspace,
ctrl+w, ctrl+u, the arrows) only once the key has bubbled up to the app, after the keys that
came behind it in the same read: `backspace x` in one burst (a laggy SSH link, a paste) typed
`x` and then deleted it, and `ctrl+u pq` typed `pq` and then cleared it.  Here the input's own
bindings run as the key arrives; the text is then what was typed, in the order it was typed.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            # run_action refuses an action check_action turns off (the export dialog's enter),
            # which then goes on to the screen's binding as before
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
