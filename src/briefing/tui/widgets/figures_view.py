"""The figures table as a focusable widget: every claim selectable, and the selected one in full.

The table is the shared `render.figures.figures_table` (what the brief prints), so a claim
reads the same everywhere; here it also takes focus (tab), j/k or the arrows move from claim to
claim in the table's reading order, the selected claim is shown reversed and spelled out
under the table (its wording, note, claim date, claimant, source and the chain of carriers it
came through), and enter opens its source.  Nothing of a claim is left to `brief --event`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from briefing.compare import quantity
from briefing.records import Figure
from briefing.render.figures import Claim, claims_in_order, figures_table
from briefing.render.text import rating, rating_label, rating_style, safe
from briefing.tui import keys
from briefing.tui.format import StyleBook
from briefing.tui.messages import OpenRecord

HINT = "tab: select a claim (j/k move, enter opens its source)"


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
    if claim.superseded:
        number.append("  (superseded by a later claim from the same claimant and source)", style=muted)
    elif claim.comparison.disputed:
        number.append("  (disputed: other claims cannot all be true with this one)",
                      style=styles.text_style("disputed"))
    line("claim", number)
    if f.wording:
        line("wording", safe(f"“{f.wording}”"))
    if f.note:
        line("note", safe(f.note, muted))
    line("date", Text(f.date or "not given", style=styles.text_style("date") if f.date else muted))
    line("claimant", safe(ds.actor_name(f.claimed_by), styles.text_style("claimant"), single_line=True))
    source = ds.source(f.source)
    code = rating(source, f.credibility)
    src = safe(ds.source_name(f.source), styles.text_style("source"), single_line=True)
    src.append("  ")
    src.append(code, style=rating_style(spec, code[0]))
    src.append_text(safe(f"  {rating_label(source, f.credibility)[len(code) + 2:]}", muted, single_line=True))
    line("source", src)
    chain = carrier_chain(ds, f)
    if len(chain) > 1 or f.via:
        via = Text()
        via.append_text(safe(ds.actor_name(f.claimed_by), styles.text_style("claimant"), single_line=True))
        for sid in chain:
            via.append(" → ", style=muted)
            via.append_text(safe(ds.source_name(sid), styles.text_style("source"), single_line=True))
        line("carried", via)
    line("", Text("enter: open the source", style=muted))
    return grid


class FiguresView(Static, can_focus=True):
    """The figures table of one event or actor; focus it to walk its claims."""

    BINDINGS = keys.bindings("list", only=("cursor-down", "cursor-up", "top", "bottom", "open"))

    DEFAULT_CSS = """
    FiguresView { height: auto; }
    FiguresView:focus { background: $boost; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.figures: tuple[Figure, ...] = ()
        self.claims: list[Claim] = []
        self.selected = 0
        self._detail_lines = 0

    def set_figures(self, figures: Sequence[Figure]) -> None:
        if tuple(figures) != self.figures:
            self.selected = 0
        self.figures = tuple(figures)
        self.claims = claims_in_order(self.figures)
        self.selected = min(self.selected, max(0, len(self.claims) - 1)) if self.claims else 0
        self.can_focus = bool(self.claims)
        self.refresh_table()

    def refresh_table(self, focused: bool | None = None) -> None:
        ds = self.app.ds
        spec = self.app.spec
        focused = (self.has_focus if focused is None else focused) and bool(self.claims)
        table = figures_table(ds, self.figures, spec, selected=self.selected if focused else None)
        if focused:
            detail = claim_detail(ds, self.claims[self.selected], spec)
            self._detail_lines = detail.row_count + 2  # rows, a wrapped line or two
            self.update(Group(table, Text(""), detail))
        else:
            self.update(table)

    def on_focus(self) -> None:
        self.refresh_table(focused=True)
        self.call_after_refresh(self._show_detail)

    def on_blur(self) -> None:
        self.refresh_table(focused=False)

    def _move(self, to: int) -> None:
        if not self.claims:
            return
        self.selected = max(0, min(len(self.claims) - 1, to))
        self.refresh_table()
        self.call_after_refresh(self._show_detail)

    def _show_detail(self) -> None:
        """Scroll the pane around so the claim spelled out under the table is in view (the
        widget may be taller than the screen)."""
        from textual.geometry import Region

        parent = self.parent
        if parent is None or not getattr(parent, "is_scrollable", False):
            return
        n = self._detail_lines + 1
        region = Region(0, max(0, self.size.height - n), self.size.width, n).translate(self.virtual_region.offset)
        parent.scroll_to_region(region, animate=False, immediate=True, force=True)

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
