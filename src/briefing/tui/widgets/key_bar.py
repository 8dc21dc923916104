"""The footer: the keys that work here, drawn as one line of text.

Textual's `Footer` builds a widget per key (a dozen widgets to style and lay out before the
first frame, and a recompose whenever focus moves); this draws the same information — the
screen's active bindings, grouped as `keys.py` groups them — as a single `Text`, keeping
whole items only, and the command palette key at the right.  When they do not all fit, the keys
are chosen by `keys.FOOTER_RANK` (the key to the screen you are on last) and drawn in the
table's order.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from briefing.tui.keys import DEFAULT_RANK, FOOTER_RANK, HERE_RANK


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
    }
    KeyBar > .key-bar--key { text-style: bold; color: $accent; }
    KeyBar > .key-bar--disabled { text-style: dim; }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--disabled"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self.refresh()

    def _rank(self, binding_id: str | None) -> int:
        if binding_id is not None and binding_id == getattr(self.screen, "own_key", None):
            return HERE_RANK
        ranked = getattr(self.screen, "footer_rank", None)  # a screen's own, for what its data offers
        rank = ranked(binding_id) if ranked is not None and binding_id is not None else None
        return rank if rank is not None else FOOTER_RANK.get(binding_id or "", DEFAULT_RANK)

    def items(self) -> tuple[list[tuple[str, str, bool, int]], tuple[str, str] | None]:
        """([(keys, description, enabled, rank)], palette (key, description) or None); a
        group's rank is its first key's."""
        app = self.app
        by_action: dict[str, list] = {}
        palette = None
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.action in ("command_palette", "app.command_palette"):
                palette = (app.get_key_display(binding), binding.description or "palette")
                continue
            if binding.show:
                by_action.setdefault(binding.action, []).append((binding, active.enabled))
        items: list[tuple[str, str, bool, int]] = []
        grouped: dict[object, int] = {}
        for pairs in by_action.values():
            binding, enabled = pairs[0]
            shown = app.get_key_display(binding)
            group = binding.group
            if group is not None:
                if group in grouped:
                    i = grouped[group]
                    keys, desc, en, rank = items[i]
                    items[i] = (f"{keys} {shown}", desc, en or enabled, rank)
                    continue
                grouped[group] = len(items)
                items.append((shown, group.description, enabled, self._rank(binding.id)))
            else:
                items.append((shown, binding.description, enabled, self._rank(binding.id)))
        return items, palette

    def render(self) -> Text:
        width = self.size.width
        items, palette = self.items()
        key_style = self.get_component_rich_style("key-bar--key")
        off_style = self.get_component_rich_style("key-bar--disabled")
        right = Text()
        if palette:
            right.append(palette[0], style=key_style)
            right.append(f" {palette[1]} ")
        room = width - right.cell_len - 1
        line = Text(" ")
        pieces: list[Text] = []
        for keys, desc, enabled, _rank in items:
            piece = Text()
            piece.append(keys, style=key_style if enabled else off_style)
            piece.append(f" {desc}", style="" if enabled else off_style)
            pieces.append(piece)
        # Choose by rank, skipping a key too long for what is left (a shorter one may fit),
        # then draw the chosen in the table's order.
        chosen: set[int] = set()
        used = line.cell_len
        for i in sorted(range(len(items)), key=lambda i: (items[i][3], i)):
            need = cell_len(pieces[i].plain) + (1 if chosen else 0)
            if used + need <= room:
                chosen.add(i)
                used += need
        for i in sorted(chosen):
            if len(line) > 1:
                line.append(" ")
            line.append_text(pieces[i])
        pad = max(1, width - line.cell_len - right.cell_len)
        line.append(" " * pad)
        line.append_text(right)
        line.no_wrap = True
        line.overflow = "crop"
        return line
