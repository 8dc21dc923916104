"""The figures table as a focusable widget: every claim selectable, and the selected one in full.

The table is the shared `render.figures.figures_table` (what the brief prints), so a claim
reads the same everywhere; here it also takes focus (tab), j/k or the arrows move from claim to
claim in the table's reading order, the selected claim is shown reversed and spelled out
under the table (its wording, note, claim date, claimant, source and the chain of carriers it
came through), and enter opens its source.  Nothing of a claim is left to `brief --event`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from briefing.compare import conflict, quantity
from briefing.records import Figure
from briefing.render.figures import Claim, claims_in_order, figures_table
from briefing.render.text import rating, rating_label, rating_style, safe
from briefing.tui import keys
from briefing.tui.app_ref import briefing_app
from briefing.tui.format import StyleBook
from briefing.tui.messages import OpenRecord


def hint(keymap: dict[str, str] | None) -> str:
    """How to reach and use the figures table, in the keys the user's keymap gives."""
    pane, down, up, source = (keys.first_key(k, keymap) for k in ("next-pane", "cursor-down", "cursor-up", "open"))
    return f"{pane}: select a claim ({down}/{up} move, {source} opens its source)"


def panel_title(keymap: dict[str, str] | None) -> str:
    return f"selected claim · {keys.first_key('open', keymap)}: open its source"


def carrier_chain(ds, f: Figure) -> list[str]:
    """The sources a claim passed through, nearest the claimant first: the relay (`via`), then
    the source that carried it to us, then whatever that source was itself seen through."""
    chain: list[str] = []
    for sid in (f.via, f.source):
        if sid and sid not in chain:
            chain.append(sid)
    todo = [f.source]
    while todo:
        s = ds.source(todo.pop(0))
        for v in s.via if s else ():
            if v not in chain:
                chain.append(v)
                todo.append(v)
    return chain


def claim_detail(ds, claim: Claim, spec) -> Table:
    """One claim in full, as labelled lines."""
    styles = StyleBook(spec)
    f = claim.figure
    muted = styles.text_style("muted")

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=8, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")

    def line(label: str, value: Text) -> None:
        grid.add_row(Text(label, style=styles.text_style("label")), value)

    number = Text(quantity(f), style=styles.text_style("number"))
    number.append(f"  {f.metric} · {f.subject}", style=muted)
    if f.withdrawn:
        number.append(f"  withdrawn ({f.withdrawn}) by the claimant, no other number given", style=muted)
    elif claim.superseded:
        number.append("  superseded: revised later by the same claimant and source", style=muted)
    elif claim.comparison.disputed:
        # the claims this one cannot be true with, named: in a disputed row a claim may fit
        # every other (QA s14: "dozens" beside 14 and ≥15 read as disputed itself)
        against = [g for g in claim.comparison.claims if g is not f and conflict(f, g)]
        if against:
            named = "; ".join(f"{quantity(g)} per {ds.actor_name(g.claimed_by)}" for g in against[:3])
            more = f" and {len(against) - 3} more" if len(against) > 3 else ""
            number.append_text(
                safe(f"  disputed: cannot be true with {named}{more}", styles.text_style("disputed"), single_line=True)
            )
        elif claim.comparison.outnumbered and claim.comparison.consensus is not None:
            number.append_text(
                safe("  disputed: the claims about its groups add up to more", styles.text_style("disputed"))
            )
        else:
            number.append("  fits every other claim; the others disagree among themselves", style=muted)
    line("claim", number)
    if f.wording:
        line("wording", safe(f"“{f.wording}”"))
    if f.note:
        line("note", safe(f.note, muted))
    said = safe(ds.actor_name(f.claimed_by), styles.text_style("claimant"), single_line=True)
    said.append(f", {f.date}" if f.date else ", date not given", style=styles.text_style("date") if f.date else muted)
    line("said by", said)
    # who said it, then each carrier it passed through, the one we read it in last
    source = ds.source(f.source)
    code = rating(source, f.credibility)
    via = Text()
    via.append_text(safe(ds.actor_name(f.claimed_by), styles.text_style("claimant"), single_line=True))
    for sid in carrier_chain(ds, f):
        via.append(" → ", style=muted)
        via.append_text(safe(ds.source_name(sid), styles.text_style("source"), single_line=True))
        if sid == f.source:  # the rating is the source's (and the claim's credibility)
            via.append(" ")
            via.append(code, style=rating_style(spec, code[0]))
    via.append_text(safe(f"  ({rating_label(source, f.credibility)})", muted, single_line=True))
    line("carried", via)
    return grid


class ClaimPanel(Static):
    """The selected claim in full, docked at the bottom of the reading pane while the figures
    table has focus: always in view, however far the table scrolls."""

    DEFAULT_CSS = """
    ClaimPanel {
        dock: bottom;
        height: auto;
        max-height: 60%;
        display: none;
        background: $surface;  /* not $panel: grey in 16 colours, under red "disputed" text */
        border-top: solid $primary;
        padding: 0 1;
    }
    """


class FiguresView(Static, can_focus=True):
    """The figures table of one event or actor; focus it to walk its claims."""

    BINDINGS = keys.bindings("figures")

    DEFAULT_CSS = """
    FiguresView { height: auto; }
    FiguresView:focus { background: $boost; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.figures: tuple[Figure, ...] = ()
        self.claims: list[Claim] = []
        self.selected = 0

    def set_figures(self, figures: Sequence[Figure]) -> None:
        if tuple(figures) != self.figures:
            self.selected = 0
        self.figures = tuple(figures)
        self.claims = claims_in_order(self.figures)
        self.selected = min(self.selected, max(0, len(self.claims) - 1)) if self.claims else 0
        self.can_focus = bool(self.claims)
        self.refresh_table()

    def _panel(self) -> ClaimPanel | None:
        if self.parent is None:
            return None
        panels = self.parent.query(ClaimPanel)
        return panels.first() if panels else None

    def _table(self, focused: bool) -> RenderableType:
        return figures_table(
            briefing_app(self).ds, self.figures, briefing_app(self).spec, selected=self.selected if focused else None
        )

    def refresh_table(self, focused: bool | None = None) -> None:
        focused = (self.has_focus if focused is None else focused) and bool(self.claims)
        self.update(self._table(focused))
        panel = self._panel()
        if panel is not None:
            if focused:
                panel.border_title = panel_title(getattr(self.app, "user_keys", None))
                panel.update(claim_detail(briefing_app(self).ds, self.claims[self.selected], briefing_app(self).spec))
            panel.display = focused

    def on_focus(self) -> None:
        self.refresh_table(focused=True)

    def on_blur(self) -> None:
        self.refresh_table(focused=False)

    def _move(self, to: int) -> None:
        if not self.claims:
            return
        self.selected = max(0, min(len(self.claims) - 1, to))
        self.refresh_table()
        # once the panel holds the new claim: its height, which the scroll leaves room for, changes
        self.call_after_refresh(self._scroll_to_selected)

    def _scroll_to_selected(self) -> None:
        """Scroll the pane so the selected cell is in view: its line is found by the meta the
        table puts on it (the table's height does not change with the selection)."""
        from textual.geometry import Region, Spacing

        parent = self.parent
        width = self.content_size.width
        if not isinstance(parent, Widget) or not parent.is_scrollable or width <= 0:
            return
        console = self.app.console
        lines = console.render_lines(self._table(True), console.options.update(width=width, height=None))
        ys = [
            i
            for i, line in enumerate(lines)
            if any(seg.style is not None and seg.style.meta.get("claim") == self.selected for seg in line)
        ]
        if not ys:
            return
        # the whole cell (number, claimant, source), above the claim panel docked over the
        # pane's foot: centred in the whole pane, on a small terminal it went under the panel
        region = Region(0, ys[0], width, ys[-1] - ys[0] + 1).translate(self.virtual_region.offset)
        panel = self._panel()
        below = panel.outer_size.height if panel is not None and panel.display else 0
        parent.scroll_to_region(region, animate=False, immediate=True, force=True, spacing=Spacing(1, 0, below, 0))

    def action_cursor_down(self) -> None:
        self._move(self.selected + 1)

    def action_cursor_up(self) -> None:
        self._move(self.selected - 1)

    def action_top(self) -> None:
        self._move(0)

    def action_bottom(self) -> None:
        self._move(len(self.claims) - 1)

    def action_open(self) -> None:
        if self.claims:
            self.post_message(OpenRecord("source", self.claims[self.selected].figure.source))

    @property
    def current(self) -> Claim | None:
        return self.claims[self.selected] if self.claims else None
