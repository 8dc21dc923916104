"""One source: its Admiralty rating and why, its notes, and every claim it carries.

Each claim is a link to the event or actor it is about.  Past `CLAIMS_LIMIT` the last link
filters the event list by this source instead.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from briefing.compare import quantity
from briefing.dataset import Dataset
from briefing.display import one_line
from briefing.filters import Term
from briefing.records import Event, Source
from briefing.render.text import rating, rating_style, safe
from briefing.tui.app_ref import briefing_app
from briefing.tui.cmdline import brief_command
from briefing.tui.format import StyleBook, reliability_label
from briefing.tui.screens.base import BaseScreen
from briefing.tui.widgets.event_detail import field_line
from briefing.tui.widgets.link_list import LinkList
from briefing.tui.widgets.reading_pane import ReadingPane

CLAIMS_LIMIT = 300
EVENTS_LIMIT = 100  # the newest events naming a source; the rest through the `source:` filter


def source_query(source_id: str) -> str:
    return str(Term("source", (source_id,)))


class SourceScreen(BaseScreen):
    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source
        self.place = "source " + one_line(source.id)

    def compose_body(self) -> ComposeResult:
        with ReadingPane(id="source"):
            yield Static(id="so-head")
            yield Static(Text("Reliability"), classes="section")
            yield Static(id="so-rating")
            yield Static(Text("Notes"), classes="section", id="so-notes-title")
            yield Static(id="so-notes")
            yield Static(
                Text("Claims it carries (enter opens the event or actor)"), classes="section", id="so-claims-title"
            )
            yield LinkList(id="so-claims")
            yield Static(
                Text("Events that name it (cited, or carrying a claim; enter opens one)"),
                classes="section",
                id="so-events-title",
            )
            yield LinkList(id="so-events")

    def on_mount(self) -> None:
        super().on_mount()
        self.app.theme_changed_signal.subscribe(self, lambda _t: self._render_source())
        self._render_source()
        self.query_one("#source").focus()

    def own_query(self) -> str:
        return source_query(self.source.id)

    def command_line(self) -> str:
        return brief_command(self.own_query(), flags=briefing_app(self).data_flags)

    def _render_source(self) -> None:
        ds = briefing_app(self).ds
        st = StyleBook(briefing_app(self).spec)
        s = self.source
        lines: list[RenderableType] = [safe(s.name, st.text_style("heading"))]
        if s.title:
            lines.append(field_line("title", safe(s.title, st.text_style("title")), st))
        lines.append(field_line("kind", safe(s.kind, st.text_style("type")), st))
        if s.published:
            lines.append(field_line("date", safe(s.published, st.text_style("date")), st))
        if s.date_note:
            lines.append(field_line("", safe(s.date_note, st.text_style("muted")), st))
        if s.url:
            lines.append(field_line("url", safe(s.url, st.text_style("link")), st))
        if s.via:
            lines.append(field_line("via", safe(", ".join(ds.source_name(v) for v in s.via), single_line=True), st))
        lines.append(field_line("id", safe(s.id, st.text_style("muted")), st))
        self.query_one("#so-head", Static).update(Group(*lines))
        code = rating(s)
        rate = Text(f" {code} ", style=rating_style(briefing_app(self).spec, code[0]))
        rate.append(" " + reliability_label(s.reliability).split(": ", 1)[1])
        parts: list[Text] = [rate]
        if s.reliability_note:
            parts.append(safe(s.reliability_note))
        self.query_one("#so-rating", Static).update(Group(*parts))
        self.query_one("#so-notes-title").display = bool(s.notes)
        self.query_one("#so-notes").display = bool(s.notes)
        self.query_one("#so-notes", Static).update(safe(s.notes or ""))
        claims = ds.claims_carried_by(s.id, CLAIMS_LIMIT)
        total = ds.source_claim_count(s.id)
        links = []
        for owner, f in claims:
            t = Text(quantity(f).rjust(7), style=st.text_style("number"))
            label = f.metric if f.subject == "total" else f"{f.metric} · {f.subject}"
            t.append_text(safe(f"  {label}", single_line=True))
            t.append_text(safe(f"  per {ds.actor_name(f.claimed_by)}", st.text_style("claimant"), single_line=True))
            # One rating per claim, as the event detail, brief and exports give it: the grade of
            # the source it was read in (`f.source`), never this screen's when it only relayed it
            # (`via`).  A claim read elsewhere shows its letter even ungraded, as it differs from the top's.
            if f.credibility or f.source != s.id:
                claim_code = rating(ds.source(f.source), f.credibility)
                t.append(f"  {claim_code}", style=rating_style(briefing_app(self).spec, claim_code[0]))
            if f.via == s.id and f.source != s.id:
                t.append_text(
                    safe(f"  (carried for {ds.source_name(f.source)})", st.text_style("muted"), single_line=True)
                )
            kind = "event" if isinstance(owner, Event) else "actor"
            name = owner.title if isinstance(owner, Event) else owner.name
            t.append_text(safe(f"  — {name}", st.text_style("muted"), single_line=True))
            links.append((kind, owner.id, t))
        if total > len(claims):
            links.append(
                (
                    "filter",
                    source_query(s.id),
                    # the filter gives events, not claims (review s13: "all N claims" led to another count)
                    Text(
                        f"… {total:,} claims in all; the events citing it: filter the event list by {source_query(s.id)}"
                    ),
                )
            )
        n = self.query_one("#so-claims", LinkList).set_links(links)
        self.query_one("#so-claims-title").display = bool(n)
        self._render_events(ds, st)

    def _render_events(self, ds: Dataset, st: StyleBook) -> None:
        """The events the `source:` filter gives, newest first: an ACLED outlet carries no
        claim (ACLED's counts are the dataset's), so its screen showed nothing of the 2,452
        events that cite it, nor how many (QA, tenth session).  Asked of the filter's index:
        a count and a page, never every event."""
        from briefing.filters import parse
        from briefing.sqlquery import index_for

        query = source_query(self.source.id)
        matches = index_for(ds).matches(parse(query))
        total = len(matches)
        links = []
        for e in matches[:EVENTS_LIMIT]:
            t = safe(e.date, st.text_style("date"), single_line=True)
            t.append_text(safe(f"  {e.title}", single_line=True))
            links.append(("event", e.id, t))
        if total > len(links):
            links.append(("filter", query, Text(f"… all {total:,} events: filter the event list by {query}")))
        n = self.query_one("#so-events", LinkList).set_links(links)
        self.query_one("#so-events-title").display = bool(n)
