"""One event in full: what happened, the figures compared, who was involved, who said so.

The figures come right after the title and a one-line date · country · type, so on an 80x24
terminal the disagreement between sources is on screen the moment the event opens; the full
facts (date note, place, tags), the summary and the links follow.  The figures
are `briefing.render.figures.figures_table`, the same renderable the brief prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from briefing.compare import event_total
from briefing.display import has_bidi
from briefing.records import Event
from briefing.render.event import date_text, place_text, removed_status, sync_changes, type_text
from briefing.render.figures import LEGEND
from briefing.render.text import rating, rating_style, safe
from briefing.tui.app_ref import briefing_app
from briefing.tui.format import StyleBook
from briefing.tui.widgets.change_block import ChangeBlock
from briefing.tui.widgets.figures_view import ClaimPanel, FiguresView, hint
from briefing.tui.widgets.link_list import LinkList
from briefing.tui.widgets.reading_pane import ReadingPane
from briefing.vocab import RELIABILITY

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.themes import ThemeSpec


def field_line(label: str, value: Text, styles: StyleBook) -> Table:
    """`label   value`, the value wrapping under itself, not back under the labels."""
    grid = Table.grid(expand=True)
    grid.add_column(width=8, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(label, style=styles.text_style("label")), value)
    return grid


def source_link(ds: Dataset, source_id: str, spec: ThemeSpec, styles: StyleBook) -> tuple[str, str, Text]:
    """A link to a source as the detail panes list them: its Admiralty grade, name and what
    the grade means (an event's sources, an actor's)."""
    s = ds.source(source_id)
    code = rating(s)
    t = Text(f" {code} ", style=rating_style(spec, code[0]))
    t.append(" ")
    t.append_text(safe(s.name if s else source_id, single_line=True))
    t.append(f"  · {RELIABILITY.get(code[0], '')}", style=styles.text_style("muted"))
    return ("source", source_id, t)


class EventDetail(ReadingPane):
    """A reading pane holding one event; `show(event)` swaps the event in place."""

    def __init__(self, event: Event | None = None, **kw) -> None:
        super().__init__(**kw)
        self.event: Event | None = event
        self._ready = False  # children exist (is_mounted is only set after on_mount returns)

    def compose(self) -> ComposeResult:
        yield Static(id="ev-head")
        yield Static(Text("Figures compared"), classes="section", id="ev-figures-title")
        yield FiguresView(id="ev-figures")
        yield ClaimPanel(id="ev-claim")
        yield Static(Text(f"{LEGEND} {hint(getattr(self.app, 'user_keys', None))}"), classes="note", id="ev-legend")
        yield Static(Text("Details"), classes="section", id="ev-facts-title")
        yield Static(id="ev-facts")
        yield ChangeBlock(id="ev-changes-block")  # what ACLED syncs changed (briefing.ledger)
        yield Static(Text("Summary"), classes="section", id="ev-summary-title")
        yield Static(id="ev-summary")
        yield Static(Text("Actors"), classes="section", id="ev-actors-title")
        yield LinkList(id="ev-actors")
        yield Static(Text("Sources"), classes="section", id="ev-sources-title")
        yield LinkList(id="ev-sources")
        yield Static(Text("Related events"), classes="section", id="ev-related-title")
        yield LinkList(id="ev-related")

    def on_mount(self) -> None:
        self._ready = True
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        self.show(self.event)

    def show(self, event: Event | None) -> None:
        self.event = event
        if not self._ready:
            return
        self._render_text()
        self._render_links()
        self.scroll_home(animate=False, immediate=True)

    def _restyle(self, _theme: object) -> None:
        self._render_text()
        self._render_links()

    # -- parts ------------------------------------------------------------------------------------
    def _render_text(self) -> None:
        spec = briefing_app(self).spec
        styles = StyleBook(spec)
        e = self.event
        head = self.query_one("#ev-head", Static)
        if e is None:
            head.update(Text("No event selected.", style=styles.text_style("muted")))
            for wid in (
                "#ev-figures-title",
                "#ev-figures",
                "#ev-legend",
                "#ev-facts-title",
                "#ev-facts",
                "#ev-summary-title",
                "#ev-summary",
            ):
                self.query_one(wid).display = False
            return
        title = safe(e.title, styles.text_style("heading"))
        if has_bidi(e.title):
            title.append("  (contains bidi controls, shown escaped)", style=styles.text_style("warning"))
        meta = Text(e.date, style=styles.text_style("date"))
        meta.append(" · ")
        meta.append_text(safe(e.country, styles.text_style("country"), single_line=True))
        meta.append(" · ")
        meta.append_text(type_text(e, spec))
        meta.no_wrap = True
        meta.overflow = "ellipsis"
        changes = sync_changes(briefing_app(self).ds, e)
        removed = removed_status(changes)
        if removed:  # under the title, as `brief --event` says it (QA s17: read as a live event)
            status = safe(f"{removed}: no longer in ACLED's export, kept here to read", styles.text_style("warning"))
            head.update(Group(title, meta, status))
        else:
            head.update(Group(title, meta))
        # The full facts come after the figures: at 80x24 the disagreement is seen first.
        lines: list[RenderableType] = []
        # the date, place and type as `brief --event` writes them (review s13: the TUI wrote
        # `Kabul, Kabul, Afghanistan` where the brief has `Kabul, Afghanistan`)
        lines.append(field_line("date", date_text(e, spec), styles))
        if e.date_note:
            lines.append(field_line("", safe(e.date_note, styles.text_style("muted")), styles))
        lines.append(field_line("place", place_text(e, spec), styles))
        if e.place_note:
            lines.append(field_line("", safe(e.place_note, styles.text_style("muted")), styles))
        lines.append(field_line("type", type_text(e, spec), styles))
        total = event_total(e.figures)
        if total is not None:  # the list's killed column: say what it is, a sum most of all
            killed = Text(total.terms, style=styles.text_style("number"))
            # who said it, as the brief's key events do (QA s15: a bare `killed 17`)
            from briefing.summary import said_by

            per = said_by(total.claimants, total.others, briefing_app(self).ds.actor_name)
            if per:
                killed.append(" per ", style=styles.text_style("muted"))
                killed.append_text(safe(per, styles.text_style("claimant"), single_line=True))
            if total.derived:
                parts = " + ".join(c.subject for c in total.parts)
                how = f"{parts}, {total.number} in all" if len(total.parts) > 1 else f"only {parts}"
                killed.append_text(
                    safe(f"  (no total was claimed: {how})", styles.text_style("muted"), single_line=True)
                )
            elif len(total.parts) > 1:  # a total its groups outnumber: where the top comes from
                groups = " + ".join(c.subject for c in total.parts[1:])
                said = f"{total.parts[0].span} claimed in all; its groups add up to more: {groups}"
                killed.append_text(safe(f"  ({said})", styles.text_style("muted"), single_line=True))
            lines.append(field_line("killed", killed, styles))
        if e.tags:
            lines.append(field_line("tags", safe(" ".join(e.tags), styles.text_style("muted")), styles))
        lines.append(field_line("id", safe(e.id, styles.text_style("muted")), styles))
        self.query_one("#ev-facts", Static).update(Group(*lines))
        self.query_one(ChangeBlock).show(changes, styles)
        has_figures = bool(e.figures)
        for wid in ("#ev-figures-title", "#ev-facts-title", "#ev-facts"):
            self.query_one(wid).display = True
        self.query_one("#ev-figures", FiguresView).set_figures(e.figures)
        self.query_one("#ev-figures").display = True
        self.query_one("#ev-legend").display = has_figures
        self.query_one("#ev-summary-title").display = bool(e.summary)
        summary = self.query_one("#ev-summary", Static)
        summary.display = bool(e.summary)
        summary.update(safe(e.summary or ""))

    def _render_links(self) -> None:
        ds = briefing_app(self).ds
        styles = StyleBook(briefing_app(self).spec)
        e = self.event
        actors: list[tuple[str, str, Text]] = []
        sources: list[tuple[str, str, Text]] = []
        related: list[tuple[str, str, Text]] = []
        if e is not None:
            for ar in e.actors:
                a = ds.actor(ar.actor)
                t = safe(a.name if a else ar.actor, styles.text_style("title"), single_line=True)
                t.append(f"  {ar.role}", style=styles.text_style("claimant"))
                if a:
                    t.append_text(safe(f"  · {a.kind}", styles.text_style("muted"), single_line=True))
                actors.append(("actor", ar.actor, t))
            sources += [source_link(ds, sid, briefing_app(self).spec, styles) for sid in e.sources]
            for rid in e.related:
                r = ds.event(rid)
                t = Text(r.date if r else "", style=styles.text_style("date"))
                t.append("  ")
                t.append_text(safe(r.title if r else rid, single_line=True))
                related.append(("event", rid, t))
        for name, links in (("actors", actors), ("sources", sources), ("related", related)):
            n = self.query_one(f"#ev-{name}", LinkList).set_links(links)
            self.query_one(f"#ev-{name}-title").display = bool(n)
