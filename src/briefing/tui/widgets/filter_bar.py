"""The filter input: `/` opens it, the list narrows as you type, errors show inline.

Typing is debounced (120 ms) so a fast typist over a slow link does not filter 100k events
per key.  A query that does not parse, or names an actor no one has, is reported under the
input in one line; the list keeps the last good result meanwhile.  `escape` and `enter` both
close the input and keep the filter; `ctrl+u` clears it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from briefing.display import one_line
from briefing.tui import keys
from briefing.tui.widgets.text_input import TextInput

DEBOUNCE = 0.12


class FilterInput(TextInput):
    """Its own keys (clear, done, apply) run in order with the typing (`TextInput`)."""

    BINDINGS = keys.bindings("filter")

    def validate_value(self, value: str) -> str:
        # Pasted web text may carry ESC, C1 or bidi overrides; the input draws its value
        # as-is, so it goes through the display boundary like any record string.
        return one_line(value)

    def _on_paste(self, event: events.Paste) -> None:
        """A filter pasted over several lines (copied from a wrapped line) keeps every line, as
        terms: Textual's input kept the first line only, unsaid."""
        words = " ".join(part.strip() for part in event.text.splitlines() if part.strip())
        if words:
            super()._on_paste(events.Paste(words))  # Input's own insertion, of one line
        event.stop()
        event.prevent_default()  # else Input's handler runs again on the event, first line only

    def action_done(self) -> None:
        self.post_message(FilterBar.Close(apply=False))

    def action_apply(self) -> None:
        self.post_message(FilterBar.Close(apply=True))

    def action_clear(self) -> None:
        self.value = ""


class FilterBar(Vertical):
    DEFAULT_CSS = """
    FilterBar {
        height: auto;
        display: none;
        background: $panel;
    }
    FilterBar.-open { display: block; }
    FilterBar Horizontal { height: 1; }
    FilterBar #filter-prompt { width: auto; padding: 0 1; text-style: bold; }
    FilterBar FilterInput {
        border: none;
        height: 1;
        padding: 0;
        width: 1fr;
        background: $background;
    }
    FilterBar FilterInput:focus { border: none; }
    /* The field on $background, its example query in the hint's colour, not Textual's 38%
       grey: in 16 colours that grey landed on ANSI white, light grey on the light theme's
       white (1.26:1 on a real terminal), and the dark theme's panel is bright black. */
    FilterBar FilterInput > .input--placeholder { color: $text-muted; }
    /* on $surface, not the bar's $panel: in 16 colours the dark theme's panel is grey, and red
       on grey is told apart by hue alone */
    FilterBar #filter-error { display: none; padding: 0 1; text-style: bold; color: $error; background: $surface; }
    FilterBar #filter-error.-shown { display: block; }
    FilterBar #filter-hint { padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class Changed(Message):
        """The text to filter by (debounced)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Close(Message):
        def __init__(self, apply: bool) -> None:
            super().__init__()
            self.apply = apply

    # The event list's hint, the longest that fits the bar (`on_resize`): at 80 columns the one
    # line was cut at "-nega…", and admin1:, changed: and removed were never in it.
    EVENTS_HINTS = (
        'country: admin1: actor: type: tag: source: since: until: changed: removed  disputed  "a phrase"  '
        "-negates  a,b = any of",
        'country: admin1: actor: type: tag: source: since: until:  disputed  "a phrase"  -negates  a,b = any of',
        'country: actor: type: tag: source: since: until: disputed "a phrase" -negates a,b any',
        'country: actor: type: since: until: disputed "phrase"  -x = not x  a,b = any',
        'country: actor: type: since: until: "phrase" -x = not x',  # 60 columns (QA s12)
        "country: actor: since: until: -x = not",  # 40
    )
    EVENTS_PLACEHOLDER = 'country:Tajikistan actor:iskp since:2019 disputed "border post"'

    def __init__(self, value: str = "", *, hint: str | None = None, placeholder: str | None = None, **kw) -> None:
        super().__init__(**kw)
        self._hints = self.EVENTS_HINTS if hint is None else (hint,)
        self._hint = self._hints[-1]
        self._placeholder = self.EVENTS_PLACEHOLDER if placeholder is None else placeholder
        self._value = value
        self._timer: Timer | None = None
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(Text("filter /"), id="filter-prompt")
            yield FilterInput(self._value, placeholder=self._placeholder, id="filter-input", select_on_focus=False)
        yield Static(id="filter-error")
        yield Static(Text(self._hint), id="filter-hint")

    def on_resize(self, event: events.Resize) -> None:
        room = event.size.width - 2  # the hint's padding
        hint = next((h for h in self._hints if len(h) <= room), self._hints[-1])
        if hint != self._hint:
            self._hint = hint
            self.query_one("#filter-hint", Static).update(Text(hint))

    @property
    def input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()
        self.input.cursor_position = len(self.input.value)
        getattr(self.app, "release_keys", lambda: None)()  # keys typed right after `/` were held

    def close(self, release: bool = True) -> None:
        """release=False: the keys held behind enter wait for the filter's answer (the screen
        lets them go when it shows it), not only for the list's focus."""
        self.remove_class("-open")
        # keys typed right after escape/enter were held for the list; the screen moves the
        # focus there next (queued before the held keys are)
        if release:
            getattr(self.app, "release_keys", lambda: None)()

    def on_mount(self) -> None:
        self.show_error(self._error)

    def show_error(self, message: str | None) -> None:
        self._error = message
        found = self.query("#filter-error")
        if not found:  # not composed yet: on_mount shows it
            return
        err = found.first(Static)
        err.update(Text(one_line(message or "")))
        err.set_class(bool(message), "-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(DEBOUNCE, lambda: self.post_message(self.Changed(text)))

    def flush(self) -> None:
        """Apply the current text now (enter), cancelling any pending debounce."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.Changed(self.input.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
