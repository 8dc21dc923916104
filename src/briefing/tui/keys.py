"""Every key the TUI binds, in one table: the bindings, the footer and the help screen read it.

Each binding has a stable `id` (Textual keymaps use it to rebind a key), a short footer
label and a sentence for the help screen.  Widgets and screens take their `BINDINGS` from
here by scope, so the help screen cannot list a key that is not bound, and a test checks
the reverse.
"""

# No postponed annotations: NamedTuple would compile a ForwardRef for each (see records.py).
from typing import NamedTuple

from textual.binding import Binding, BindingType

MOVE = Binding.Group("move")
ENDS = Binding.Group("top/end", compact=True)
PAGE = Binding.Group("page", compact=True)

# The key bar's order of choice when the line is too short for every key (the help lists them
# all): the lower rank first, ties in the table's order; the bar then draws the keys it chose in
# the table's order.  What a user cannot guess comes before what anyone tries first: at 80
# columns the event list keeps trends, export and the copy key and lets j/k (the arrows work),
# enter and sort go.  An id not listed ranks DEFAULT_RANK: the screen's own keys (back, tab,
# filter, a dialog's choose and cancel).
FOOTER_RANK: dict[str, int] = {
    "help": 0,
    "quit": 0,
    "trends": 2,
    "export": 2,
    "copy-command": 2,
    "events": 3,
    "actors": 3,
    "sources": 3,
    "cursor-down": 4,
    "cursor-up": 4,
    "open": 4,
    "sort": 4,
    "theme": 5,
    "prev-pane": 5,
    "top": 5,
    "bottom": 5,
    "page-down": 5,
    "page-up": 5,
    "changes": 5,  # with a sync ledger in the data: `LEDGER_RANK`
}
DEFAULT_RANK = 1
# What changed (`w`) earns its place in the bar where a sync ledger gives it something to
# show: there (`MainScreen.footer_rank`) it ranks with trends; without one (the bundled data),
# with the keys that give way first.
LEDGER_RANK: dict[str, int] = {"changes": 2}
#: the key that opens the screen you are on (`e` on the event list): it does little there
HERE_RANK = 5


class Key(NamedTuple):  # a NamedTuple, not a dataclass: cheaper to define on every start
    id: str
    keys: str  # Textual key names, comma-separated
    action: str
    label: str  # footer
    help: str  # help screen
    show: bool = True
    priority: bool = False
    display: str | None = None  # how the help screen writes the keys
    group: Binding.Group | None = None
    footer: str | None = None  # how the footer writes the key, when not Textual's default

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            priority=self.priority,
            id=self.id,
            group=self.group,
            key_display=self.footer,
        )


SCOPES: dict[str, str] = {
    "app": "Anywhere",
    "screen": "Every screen",
    "main": "Event list screen",
    "event": "Event screen (enter on an event)",
    "trends": "Trends screen (t)",
    "lists": "Actors and sources lists",
    "list": "Lists (events, actors, sources, links)",
    "reading": "Reading pane (detail text)",
    "figures": "Figures table in an event or actor (tab focuses it)",
    "filter": "Filter input",
    "picker": "Theme picker",
    "export": "Export dialog",
}

# `Y` on the event list and on an event's own screen alike
COPY_CLAIMS = Key(
    "copy-claims",
    "Y",
    "copy_claims",
    "copy claims",
    "Copy its killed claims, each with who claimed it and the source (OSC 52)",
    show=False,
)

KEYS: dict[str, tuple[Key, ...]] = {
    "app": (
        Key("help", "question_mark", "show_help", "help", "This help: every key", display="?"),
        Key("events", "e", "show_events", "events", "The event list (where you left it; again: the list itself)"),
        Key("actors", "a", "show_actors", "actors", "The actors list (likewise)"),
        Key("sources", "s", "show_sources", "sources", "The sources list, with each source's rating (likewise)"),
        Key(
            "trends",
            "t",
            "show_trends",
            "trends",
            "Trends for the current filter (on an actor's or a source's screen, of it): timeline, change, "
            "tables by country, admin1, actor, type, source",
        ),
        Key(
            "theme",
            "T",
            "pick_theme",
            "theme",
            "Pick a theme (previewed as you move; also in the command palette)",
            display="T",
        ),
        Key(
            "quit",
            "q",
            "quit",
            "quit",
            "Quit briefing, from any screen (ctrl+q quits from anywhere, a text input too)",
            display="q",
        ),
        Key(
            "palette",
            "ctrl+p",
            "command_palette",
            "jump",
            "Command palette: jump to any event, actor or source by name or alias",
            priority=True,
            display="ctrl+p",
            show=False,
        ),
    ),
    "screen": (
        Key("back", "escape", "back", "back", "Back to the previous screen", display="escape"),
        Key(
            "next-pane",
            "tab",
            "next_pane",
            "pane",
            "Next pane (list, detail text, figures table, actors, sources, related)",
            display="tab",
        ),
        Key("prev-pane", "shift+tab", "prev_pane", "prev pane", "Previous pane", display="shift+tab"),
        # The status line is cut at 80 columns: copying it off the screen gives a broken command.
        Key(
            "copy-command",
            "c",
            "copy_command",
            "copy cmd",
            "Copy the command on the status line, whole (the line may be cut), to the clipboard (OSC 52)",
        ),
        # `/` away from a list: the event list's filter, not a key ignored (the filter typed
        # next ran as commands: `iraq` opened the actors and quit)
        Key(
            "filter-events",
            "slash",
            "app.filter_events",
            "filter",
            "Back to the event list with its filter open (on the lists, / filters the list)",
            display="/",
            show=False,
        ),
    ),
    "main": (
        Key(
            "filter", "slash", "open_filter", "filter", "Filter the events (the list narrows as you type)", display="/"
        ),
        Key("sort", "o", "cycle_sort", "sort", "Order the list: date, killed, country, title (each press the next)"),
        Key("export", "x", "export", "export", "Export the events shown: pick a format, then a new file"),
        Key(
            "changes",
            "w",
            "show_changes",
            "changes",
            "What changed: the syncs' changes to the events shown, removals too, newest first"
            " (enter opens an entry's event, a removed one too; escape goes back)",
        ),
        Key(
            "copy-id",
            "y",
            "copy_id",
            "copy id",
            "Copy the highlighted event's id to the clipboard (OSC 52)",
            show=False,
        ),
        COPY_CLAIMS,
    ),
    "event": (  # the same ids as the list's: a `[keys]` rebinding moves both
        Key("copy-id", "y", "copy_id", "copy id", "Copy the event's id to the clipboard (OSC 52)", show=False),
        COPY_CLAIMS,
    ),
    "lists": (
        Key(
            "list-filter",
            "slash",
            "open_filter",
            "filter",
            "Narrow the list to names, aliases, ids or kinds holding the text",
            display="/",
        ),
    ),
    "list": (
        Key("cursor-down", "j,down", "cursor_down", "down", "Move down", display="j  down", group=MOVE, footer="j"),
        Key("cursor-up", "k,up", "cursor_up", "up", "Move up", display="k  up", group=MOVE, footer="k"),
        Key("top", "g,home", "top", "top", "First row", display="g  home", group=ENDS),
        Key("bottom", "G,end", "bottom", "bottom", "Last row", display="G  end", group=ENDS),
        Key(
            "page-down",
            "pagedown,space",
            "page_down",
            "page down",
            "One page down",
            group=PAGE,
            footer="PgDn",
            display="pagedown  space",
        ),
        Key("page-up", "pageup", "page_up", "page up", "One page up", group=PAGE, footer="PgUp"),
        Key("open", "enter", "open", "open", "Open the selected event, actor, source or link", display="enter"),
    ),
    "reading": (
        Key("cursor-down", "j,down", "scroll_down", "down", "Scroll down", display="j  down", group=MOVE, footer="j"),
        Key("cursor-up", "k,up", "scroll_up", "up", "Scroll up", display="k  up", group=MOVE, footer="k"),
        Key("top", "g,home", "scroll_home", "top", "Top", display="g  home", group=ENDS),
        Key("bottom", "G,end", "scroll_end", "bottom", "Bottom", display="G  end", group=ENDS),
        Key(
            "page-down",
            "pagedown,space",
            "page_down",
            "page down",
            "One page down",
            group=PAGE,
            footer="PgDn",
            display="pagedown  space",
        ),
        Key("page-up", "pageup", "page_up", "page up", "One page up", group=PAGE, footer="PgUp"),
    ),
    "filter": (
        Key("filter-done", "escape", "done", "done", "Close the input and keep the filter", display="escape"),
        Key("filter-apply", "enter", "apply", "apply", "Apply now and close the input", display="enter"),
        Key("filter-clear", "ctrl+u", "clear", "clear", "Clear the filter text", display="ctrl+u"),
    ),
    "picker": (
        Key("cursor-down", "j,down", "cursor_down", "down", "Next theme (previewed)", display="j  down", group=MOVE),
        Key("cursor-up", "k,up", "cursor_up", "up", "Previous theme (previewed)", display="k  up", group=MOVE),
        Key("picker-choose", "enter", "choose", "choose", "Use this theme", display="enter"),
        Key("picker-cancel", "escape", "cancel", "cancel", "Keep the theme you had", display="escape"),
        Key("quit", "q", "app.quit", "quit", "Quit briefing (a modal dialog does not see the app's keys)", display="q"),
    ),
    # In the file name, j and k are letters (the input takes them first).  Enter is bound
    # here, not by the list's or the input's own enter (the dialog turns those off), so the
    # key bar shows it and a keymap can rebind it.  Not a priority binding: one runs before
    # the keys ahead of it in a burst (`j j enter`, a pasted name and enter) have arrived.
    "export": (
        Key("cursor-down", "j,down", "cursor_down", "down", "Next format", display="j  down", group=MOVE, footer="j"),
        Key("cursor-up", "k,up", "cursor_up", "up", "Previous format", display="k  up", group=MOVE, footer="k"),
        Key(
            "export-choose",
            "enter",
            "choose",
            "choose",
            "Use this format; the file name proposed is selected (typing replaces it, arrows edit it)",
            display="enter",
        ),
        Key(
            "export-write",
            "enter",
            "write",
            "write",
            "In the file name: write the file (never over an existing one)",
            display="enter",
        ),
        Key("export-cancel", "escape", "cancel", "cancel", "Close without exporting", display="escape"),
        Key(
            "quit",
            "q",
            "app.quit",
            "quit",
            "Quit briefing (in the file name a letter is typed: ctrl+q quits)",
            display="q",
        ),
    ),
    # Bound by FiguresView: the same ids as the lists' keys (a keymap moves both), but here
    # they walk the claims and enter opens the claim's source.
    "figures": (
        Key("cursor-down", "j,down", "cursor_down", "down", "Next claim", display="j  down", group=MOVE, footer="j"),
        Key("cursor-up", "k,up", "cursor_up", "up", "Previous claim", display="k  up", group=MOVE, footer="k"),
        Key("top", "g,home", "top", "top", "First claim", display="g  home", group=ENDS),
        Key("bottom", "G,end", "bottom", "bottom", "Last claim", display="G  end", group=ENDS),
        Key("open", "enter", "open", "source", "Open the selected claim's source", display="enter"),
    ),
    # Bound by TrendsScreen (its frequency table leaves enter to it); tab and shift+tab keep
    # the screen's ids, so a keymap that moves the pane keys moves these too.
    "trends": (
        Key(
            "trends-narrow",
            "enter",
            "narrow",
            "narrow",
            "Add the row to the filter and go back to the event list, narrowed to it",
            display="enter",
        ),
        Key(
            "next-pane",
            "tab",
            "next_pane",
            "table",
            "The next table: country, admin1, actor, type, source",
            display="tab",
        ),
        Key("prev-pane", "shift+tab", "prev_pane", "back a table", "The previous table", display="shift+tab"),
    ),
}


def bindings(*scopes: str, only: tuple[str, ...] | None = None) -> list[BindingType]:
    out: list[BindingType] = []
    for scope in scopes:
        for k in KEYS[scope]:
            if only is None or k.id in only:
                out.append(k.binding())
    return out


def key_display(k: Key) -> str:
    return k.display or "  ".join(k.keys.split(","))


def first_key(binding_id: str, keymap: dict[str, str] | None = None) -> str:
    """The first key of a binding as a hint names it, the user's keymap first (`b` for a
    `picker-cancel = "b"`): a hint that says `escape` where escape does nothing misleads."""
    keys = (keymap or {}).get(binding_id) or next(k.keys for ks in KEYS.values() for k in ks if k.id == binding_id)
    return keys.split(",")[0].strip()


def user_keymap() -> dict[str, str]:
    """The `[keys]` table of the user's config file: binding id -> keys, as Textual's
    `App.set_keymap` takes it (`help = "f1"`, `quit = "q,ctrl+q"`).

    Raises `briefing.themes.ThemeError` (a config error, reported in one line at start, exit 2)
    for an id no binding has or a value that is not a string of key names."""
    import os

    from briefing.datadir import config_dir
    from briefing.themes import ThemeError
    from briefing.tomlread import TOMLDecodeError, load_config

    path = os.path.join(config_dir(), "config.toml")
    try:
        doc = load_config(path)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, TOMLDecodeError) as exc:
        raise ThemeError(f"{path}: cannot read the config file: {exc}") from None
    table = doc.get("keys", {})
    if not isinstance(table, dict):
        raise ThemeError(f'{path}: keys: must be a table ([keys]) of binding id = "keys"')
    known = {k.id for entries in KEYS.values() for k in entries}
    keymap: dict[str, str] = {}
    for binding_id, value in table.items():
        if binding_id not in known:
            raise ThemeError(
                f"{path}: [keys] {binding_id!r}: no key has this id; ids are listed on the help screen (?)"
            )
        if (
            not isinstance(value, str)
            or not value.strip()
            or any(not part.strip() or any(c.isspace() for c in part.strip()) for part in value.split(","))
        ):
            raise ThemeError(
                f'{path}: [keys] {binding_id}: expected key names such as "f1" or "q,ctrl+q", got {value!r}'
            )
        parts = [part.strip() for part in value.split(",")]
        for part in parts:
            if not _is_key(part):
                sent = f" (a terminal sends it as {_SENT_AS[part]})" if part in _SENT_AS else ""
                raise ThemeError(
                    f"{path}: [keys] {binding_id}: {part!r} is not a key{sent}; keys are names such as "
                    '"f1", "q", "T", "?", "ctrl+q", "shift+tab", "escape"'
                )
            if part.casefold() == "ctrl+q" and binding_id != "quit":  # Textual's quit, in every input: help names it
                raise ThemeError(f"{path}: [keys] {binding_id}: {part!r} is kept for quitting from anywhere")
        keymap[binding_id] = ",".join(parts)
    clash = _clash(keymap)
    if clash:
        raise ThemeError(f"{path}: [keys] {clash}")
    return keymap


def key_said(binding_id: str, keymap: dict[str, str] | None = None) -> str:
    """`first_key` as a message says it: the character a key types (`/`, not `slash`), else its
    name (messages said "press /" after `/` was rebound, QA s17)."""
    from textual.keys import format_key

    return format_key(first_key(binding_id, keymap))


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# keys a terminal sends as another: ctrl+i is a tab, ctrl+m an enter
_SENT_AS = {"ctrl+i": "tab", "ctrl+m": "enter"}


def _char(key: str) -> str | None:
    """The character a key without modifiers types (`x`, `question_mark`, `space`), or None."""
    import unicodedata

    if len(key) == 1:
        return key
    try:
        return unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return None


def _is_key(name: str) -> bool:
    """Whether Textual can send name: modifiers joined by `+` (each once) before one character
    or a key's name (`f1`, `escape`, `pageup`, or a printable character's Unicode name such as
    `question_mark`).  Textual binds any string; a misspelt one (`ctrl+`, `ctrl+qq`, `esc`) is a
    key that never comes."""
    from textual.keys import KEY_NAME_REPLACEMENTS, Keys

    if len(name) == 1:
        return not name.isspace()
    *mods, key = name.split("+")
    if any(m not in _MODIFIERS for m in mods) or len(set(mods)) < len(mods) or not key or name in _SENT_AS:
        return False
    named = {k.value.rsplit("+", 1)[-1] for k in Keys} | set(KEY_NAME_REPLACEMENTS.values())  # `slash`, `minus`
    if len(key) == 1 or key in named:
        return True
    char = _char(key)
    return char is not None and char.isprintable()


def _typed(key: str) -> bool:
    """Whether a text input takes the key as a character it types (so a binding never sees it)."""
    if key == "space":
        return True
    char = None if "+" in key[1:] else _char(key)
    return char is not None and char.isprintable()


# Which scopes' bindings are in force at once: a dialog's alone (the app's keys do not reach a
# modal dialog: the picker has its own `quit`); else the app's, every screen's (`screen`), the
# screen's own and the focused widget's.  A priority binding (the palette's) is in force everywhere.
_SCREENS = frozenset({"main", "event", "trends", "lists"})
_DIALOGS = frozenset({"picker", "export"})
# bindings that run while a text is typed (the filter's input, the export dialog's file name)
_WHILE_TYPING = frozenset({"filter-done", "filter-apply", "filter-clear", "export-write", "export-cancel"})


def _together(a: str, b: str) -> bool:
    if a == b:
        return True
    if a in _DIALOGS or b in _DIALOGS:
        return False
    return bool({a, b} & {"app", "screen"}) or (a in _SCREENS) != (b in _SCREENS)  # a screen's beside a widget's


def _scopes_and_keys(keymap: dict[str, str]) -> dict[str, tuple[set[str], set[str]]]:
    """Each binding id's (scopes, keys) with keymap applied (its keys in place of the table's)."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for scope, entries in KEYS.items():
        for k in entries:
            keys = keymap.get(k.id, k.keys)
            out.setdefault(k.id, (set(), {part.strip() for part in keys.split(",")}))[0].add(scope)
    return out


def _clash(keymap: dict[str, str]) -> str | None:
    """What is wrong with keymap's keys where they land: `help: 'q' is also the key of quit`
    when it gives a binding a key another keeps where both are in force at once (`_together`),
    unless the table itself has the two share a key: one idea in two places, the focused
    widget's taking it first (`escape` leaves the filter, else goes back; `enter` opens the
    list's row or narrows the Trends table), which a keymap may move to another key (`ctrl+g`
    for both); a character given to a binding that runs while a text is typed, which the text
    would take."""
    if not keymap:
        return None
    default, mine = _scopes_and_keys({}), _scopes_and_keys(keymap)
    everywhere = {k.id for entries in KEYS.values() for k in entries if k.priority}
    for bid in keymap:
        scopes, keys = mine[bid]
        if bid in _WHILE_TYPING:
            for key in sorted(keys - default[bid][1]):
                if _typed(key):
                    return f"{bid}: {key!r} would be typed into the text; give it a key such as ctrl+x or f2"
        for other, (oscopes, okeys) in mine.items():
            if other == bid or default[bid][1] & default[other][1]:  # not in force together, or shared by design
                continue
            if not ({bid, other} & everywhere or any(_together(a, b) for a in scopes for b in oscopes)):
                continue
            for key in sorted(keys & okeys):
                return f"{bid}: {key!r} is also the key of {other}; give {other} another key as well"
    return None
