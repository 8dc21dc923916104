"""An actor's profile: who they are, where they sit, what is claimed about them, where they appear.

After the figures claimed about it, its activity: the events it appears in, a line per role
(events, killed), the countries; the numbers the brief and Trends give for `actor:ID`, counted
on a thread for a dataset in the store.  Parent chain, affiliates, relations and the timeline
are link lists: `tab` reaches them and `enter` opens the actor or event.  The timeline shows
the newest events first; past `TIMELINE_LIMIT` a last link filters the event list by this
actor instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from briefing.analysis import Activity, activity
from briefing.display import one_line
from briefing.filters import Term
from briefing.records import Actor
from briefing.render.figures import LEGEND
from briefing.render.text import safe
from briefing.tui.app_ref import briefing_app
from briefing.tui.cmdline import brief_command
from briefing.tui.format import StyleBook
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.event_detail import field_line, source_link
from briefing.tui.widgets.figures_view import ClaimPanel, FiguresView, hint
from briefing.tui.widgets.link_list import LinkList
from briefing.tui.widgets.reading_pane import ReadingPane
from briefing.vocab import REMOVED_TAG

if TYPE_CHECKING:
    from briefing.dataset import Dataset

TIMELINE_LIMIT = 300
#: at most this many events (and not a store's view): the activity is counted before the first
#: frame, as the Trends screen does its numbers (`TrendsScreen.SYNC_LIMIT`)
SYNC_LIMIT = 20_000
#: countries named in the activity's `where` line, most events first
WHERE_LIMIT = 6


class TimelineRow:
    """A timeline link: date, roles, title, the title wrapping under itself, not back under
    the date (QA s12: at 80 columns a long timeline was hard to scan).  Its text is the row as
    one line (`str`), for whoever reads the link list's prompts."""

    def __init__(self, date: Text, roles: Text, title: Text) -> None:
        self.cells = (date, roles, title)

    def __str__(self) -> str:
        date, roles, title = self.cells
        return f"{date.plain}  {roles.plain} {title.plain}"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        date, roles, title = self.cells
        grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
        grid.add_column(width=date.cell_len + 1, no_wrap=True)
        grid.add_column(width=roles.cell_len, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(date, roles, title)
        yield grid


def actor_query(actor_id: str) -> str:
    return str(Term("actor", (actor_id,)))


class ActorScreen(BaseScreen):
    DEFAULT_CSS = """
    ActorScreen ReadingPane { height: 1fr; }
    """

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.place = "actor " + one_line(actor.id)
        self._activity: Activity | None | Literal[False] = False  # False: not counted yet

    def compose_body(self) -> ComposeResult:
        with ReadingPane(id="profile"):
            yield Static(id="ac-head")
            yield Static(Text("Figures claimed about this actor"), classes="section", id="ac-figures-title")
            yield FiguresView(id="ac-figures")
            yield ClaimPanel(id="ac-claim")
            yield Static(Text(f"{LEGEND} {hint(getattr(self.app, 'user_keys', None))}"), classes="note", id="ac-legend")
            yield Static(Text("Activity"), classes="section", id="ac-activity-title")
            yield Static(id="ac-activity")
            yield Static(Text("Summary"), classes="section", id="ac-summary-title")
            yield Static(id="ac-summary")
            yield Static(Text("Parent chain (nearest first)"), classes="section", id="ac-parents-title")
            yield LinkList(id="ac-parents")
            yield Static(Text("Affiliates and sub-groups"), classes="section", id="ac-children-title")
            yield LinkList(id="ac-children")
            yield Static(Text("Relations"), classes="section", id="ac-relations-title")
            yield LinkList(id="ac-relations")
            yield Static(Text("Sources of this profile"), classes="section", id="ac-sources-title")
            yield LinkList(id="ac-sources")
            yield Static(
                Text("Timeline (newest first, with this actor's roles; figures: it gave figures there)"),
                classes="section",
                id="ac-timeline-title",
            )
            yield LinkList(id="ac-timeline")

    def on_mount(self) -> None:
        super().on_mount()
        self.app.theme_changed_signal.subscribe(self, lambda _t: self._rerender())
        self._rerender()
        self.query_one("#profile").focus()
        ds = briefing_app(self).ds
        if len(ds.events) <= SYNC_LIMIT and getattr(ds, "index", None) is None:
            self._show_activity(activity(ds, self.actor.id))
            return
        # a big dataset: its numbers come from the store's index on a thread (seconds for an
        # actor of a million-event export), the profile readable and the keys answering meanwhile
        self.query_one("#ac-activity", Static).update(
            Text("counting this actor's events…", style=StyleBook(briefing_app(self).spec).text_style("muted"))
        )
        self.run_worker(lambda: self._activity_in_thread(ds), thread=True, exclusive=True, group="activity")

    def _activity_in_thread(self, ds: Dataset) -> None:
        found = activity(ds, self.actor.id)
        self.app.call_from_thread(self._show_activity, found)

    def _show_activity(self, found: Activity | None) -> None:
        if not self.is_attached:  # closed while counting
            return
        self._activity = found
        self._render_activity()

    def _rerender(self) -> None:
        self._render_text()
        self._render_links()
        if self._activity is not False:  # counted (a theme changed): drawn again in its colours
            self._render_activity()

    def _render_activity(self) -> None:
        """`21 events, Jan 2015–Dec 2024`, a line per role the actor holds (events, killed,
        events with no figure), then where: the numbers of `t` with `actor:ID`, so the Trends
        screen and the brief of the status line's command say the same."""
        found = self._activity
        st = StyleBook(briefing_app(self).spec)
        box = self.query_one("#ac-activity", Static)
        if not found:
            box.update(Text("No events name this actor.", style=st.text_style("muted")))
            return
        t = found.trends
        muted, number = st.text_style("muted"), st.text_style("number")
        head = Text(f"{t.count:,}", style=number)
        head.append(f" {'event' if t.count == 1 else 'events'}, {t.period.label()}")
        lines: list[RenderableType] = [head]
        width = max((len(r.key[1]) for r in found.roles), default=0)
        for r in found.roles:
            line = Text(f"  {r.key[1]:<{width}}  ", style=st.text_style("claimant"))
            line.append(f"{r.events:>7,}", style=number)
            line.append(f" {'event ' if r.events == 1 else 'events'}  ")
            if r.deaths.with_figure:
                line.append("killed ")
                line.append(r.deaths.span, style=number)
                if r.deaths.without_figure:
                    line.append(f" ({r.deaths.without_figure:,} with no figure)", style=muted)
            else:
                line.append("no killed figure", style=muted)
            lines.append(line)
        if not found.roles:  # ACLED's coder: a figure in every event, a role in none
            lines.append(Text("  (no role in these events: it gave figures in them)", style=muted))
        elif sum(r.events for r in found.roles) != t.count:
            # several roles in one event, or figures given where it holds no role
            lines.append(Text("  (an event counts once per role held there; figures only: no role)", style=muted))
        where = Text("where ", style=st.text_style("label"))
        for i, r in enumerate(found.countries[:WHERE_LIMIT]):
            if i:
                where.append(" · ", style=muted)
            where.append_text(safe(r.label, st.text_style("country"), single_line=True))
            where.append(f" {r.events:,}", style=number)
        more = len(found.countries) - WHERE_LIMIT
        if more > 0:
            where.append(f" · {more:,} more", style=muted)
        lines.append(where)
        box.update(Group(*lines))

    def own_query(self) -> str:
        return actor_query(self.actor.id)

    def command_line(self) -> str:
        return brief_command(self.own_query(), flags=briefing_app(self).data_flags)

    def _render_text(self) -> None:
        ds = briefing_app(self).ds
        spec = briefing_app(self).spec
        st = StyleBook(spec)
        a = self.actor
        lines: list[RenderableType] = [safe(a.name, st.text_style("heading"))]
        lines.append(field_line("kind", safe(a.kind, st.text_style("type")), st))
        if a.aliases:
            lines.append(field_line("aliases", safe(" · ".join(a.aliases)), st))
        if a.country:
            lines.append(field_line("country", safe(a.country, st.text_style("country")), st))
        chain = ds.parent_chain(a.id)
        if chain:
            lines.append(field_line("part of", safe(" › ".join(p.name for p in chain), single_line=True), st))
        lines.append(field_line("id", safe(a.id, st.text_style("muted")), st))
        self.query_one("#ac-head", Static).update(Group(*lines))
        has_figures = bool(a.figures)
        for wid in ("#ac-figures-title", "#ac-figures", "#ac-legend"):
            self.query_one(wid).display = has_figures
        if has_figures:
            self.query_one("#ac-figures", FiguresView).set_figures(a.figures)
        self.query_one("#ac-summary-title").display = bool(a.summary)
        self.query_one("#ac-summary").display = bool(a.summary)
        self.query_one("#ac-summary", Static).update(safe(a.summary or ""))

    def _actor_link(self, other: Actor, note: str, st: StyleBook) -> tuple[str, str, Text]:
        t = safe(other.name, st.text_style("title"), single_line=True)
        if note:
            t.append_text(safe(f"  {note}", st.text_style("claimant"), single_line=True))
        t.append_text(safe(f"  · {other.kind}", st.text_style("muted"), single_line=True))
        return ("actor", other.id, t)

    def _render_links(self) -> None:
        ds = briefing_app(self).ds
        st = StyleBook(briefing_app(self).spec)
        a = self.actor
        parents = [self._actor_link(p, f"level {i + 1}", st) for i, p in enumerate(ds.parent_chain(a.id))]
        children = [self._actor_link(c, "", st) for c in ds.children(a.id)]
        relations = []
        seen: set[tuple[str, str]] = set()
        for other, kind in ds.related_actors(a.id):
            if (other.id, kind) in seen:  # declared on both sides (enemies of each other)
                continue
            seen.add((other.id, kind))
            note = kind
            for r in a.relations:
                if r.actor == other.id and r.kind == kind and r.note:
                    note = f"{kind}: {r.note}"
            relations.append(self._actor_link(other, note, st))
        sources = [source_link(ds, sid, briefing_app(self).spec, st) for sid in a.sources]
        appearances = ds.events_of_actor(a.id)
        shown = appearances[:TIMELINE_LIMIT]
        # the roles' column as wide as its widest (`perpetrator, figures`), so the titles line up
        width = max((len(", ".join(roles)) for _e, roles in shown), default=11)
        timeline: list[tuple[str, str, RenderableType]] = []
        for e, roles in shown:
            # a figure's claimant is not a role (`claimant:` finds the role only): `figures`
            title = safe(e.title, single_line=True)
            if REMOVED_TAG in e.tags:  # listed, but not read as live (QA s17)
                title.append(" (removed by ACLED)", style=st.text_style("warning"))
            row = TimelineRow(
                Text(e.date.ljust(10), style=st.text_style("date")),
                Text(", ".join(roles).ljust(width), style=st.text_style("claimant")),
                title,
            )
            timeline.append(("event", e.id, row))
        if len(appearances) > TIMELINE_LIMIT:
            more = Text(
                f"… all {len(appearances):,} events: filter the event list by {actor_query(a.id)}",
                style=st.text_style("link"),
            )
            timeline.append(("filter", actor_query(a.id), more))
        for name, links in (
            ("parents", parents),
            ("children", children),
            ("relations", relations),
            ("sources", sources),
            ("timeline", timeline),
        ):
            n = self.query_one(f"#ac-{name}", LinkList).set_links(links)
            self.query_one(f"#ac-{name}-title").display = bool(n)
