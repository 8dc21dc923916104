"""The figures table in the TUI takes focus; a selected claim shows its wording, note, claim date,
claimant, source and carrier chain; enter opens its source (issue 11: the TUI showed none of
that, and the table could not be focused)."""

from __future__ import annotations

from briefing.tui.screens.source import SourceScreen
from briefing.tui.widgets.figures_view import FiguresView
from snapshot_apps import build
from tui_helpers import BORDER_POST, aio, screen_text


async def _open_border_post(pilot) -> FiguresView:
    await pilot.pause()
    pilot.app.open_record("event", BORDER_POST)
    await pilot.pause()
    await pilot.pause()
    await pilot.press("tab")  # from the reading pane to the figures table
    await pilot.pause()
    view = pilot.app.focused
    assert isinstance(view, FiguresView), type(view)
    assert "enter: open its source" in screen_text(pilot.app)  # the selected claim, in full, in view
    return view


@aio
async def test_the_figures_table_takes_focus_and_shows_a_claim_in_full() -> None:
    app = build("mono")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _open_border_post(pilot)
        # disputes come first, lowest claim first: security forces, 2 per the government
        first = view.current
        assert first is not None and first.figure.subject == "security-forces"
        await pilot.press("j", "j")  # the third claim: the IS claim of at least 10
        await pilot.pause()
        claim = view.current.figure
        assert (claim.value, claim.qualifier, claim.claimed_by) == (10, "at-least", "isis")
        text = screen_text(app)
        assert "“at least 10 guards”" in text  # wording
        assert "soldiers of the caliphate" in text  # note
        assert "2019-11-08" in text  # claim date
        assert "Islamic State → IS social media → Unnamed site, AFP-based F4" in text  # carrier chain
        assert "disputed" in text
        await pilot.press("k")
        await pilot.pause()
        assert view.current.figure.claimed_by == "tj-government"  # the report's unattributed 2 (QA s17)
        await pilot.press("G")  # the last claim, far down the table: scrolled into view, in full below
        await pilot.pause()
        last = view.current.figure
        text = screen_text(app)
        assert f"“{last.wording}”" in text and "5 Tajik Interior" in text
        await pilot.press("tab")  # leaving the table puts the panel away
        await pilot.pause()
        assert "enter: open its source" not in screen_text(app)


@aio
async def test_enter_on_a_claim_opens_its_source() -> None:
    app = build("mono")
    async with app.run_test(size=(100, 40)) as pilot:
        view = await _open_border_post(pilot)
        await pilot.press("G")  # the last claim
        await pilot.pause()
        source = view.current.figure.source
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source.id == source


@aio
async def test_an_actors_figures_are_focusable_too() -> None:
    app = build("mono")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.open_record("actor", "iskp")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        view = app.focused
        assert isinstance(view, FiguresView)
        assert "between 2,500 and 3,000 fighters" in screen_text(app)


@aio
async def test_an_actor_profile_lists_its_sources_and_says_a_figure_is_no_role() -> None:
    # What a user saw: ISKP's profile cites four articles in the data, and none was on its
    # screen; Salaam Times' timeline said `claimant` for events where it only gave a figure,
    # and `claimant:salaam-times` (the role) finds none of them.
    from briefing.tui.widgets.link_list import LinkList

    app = build("mono")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.open_record("actor", "iskp")
        await pilot.pause()
        await pilot.pause()
        links = app.screen.query_one("#ac-sources", LinkList)
        assert [rid for _kind, rid in links.targets] == list(app.ds.actor("iskp").sources)
        app.open_record("actor", "salaam-times")
        await pilot.pause()
        await pilot.pause()
        timeline = app.screen.query_one("#ac-timeline", LinkList)
        rows = [str(timeline.get_option_at_index(i).prompt) for i in range(timeline.option_count)]
        assert rows and all(" figures " in r and "claimant" not in r for r in rows), rows


@aio
async def test_the_detail_says_what_the_lists_killed_number_is(bundled_ds) -> None:
    """QA: the list showed `≥182` for the Kabul airport attack, a number no one claimed (13 US
    troops and ≥169 Afghans, summed), and the detail showed no 182 anywhere."""
    from briefing.tui.app import make_app
    from briefing.tui.screens.event_detail import EventDetailScreen

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        app.open_record("event", "2021-08-kabul-evacuation-attack")
        await pilot.pause(0.3)
        assert isinstance(app.screen, EventDetailScreen)
        shown = screen_text(app)
        # the list's `13+≥169`, said in words: the parts, and what they add up to
        assert "killed  13+≥169 per Unnamed outlet, Azizi interview  (no total was claimed: us-" in shown, shown
        app.open_record("event", BORDER_POST)
        await pilot.pause(0.3)
        shown = screen_text(app)
        # who said it (QA s15: a bare `killed 17`)
        assert "killed  17 per Tajik government" in shown and "no total was claimed" not in shown, shown


@aio
async def test_the_detail_says_a_total_runs_up_to_its_groups_claims() -> None:
    """The list shows `5–10` for a total of 5 beside 10 civilians; the detail says where the 10
    comes from, as it does for a sum."""
    from briefing.dataset import Dataset
    from briefing.records import Actor, Event, Figure, Source
    from briefing.tui.app import make_app

    figures = (Figure("killed", "total", "a", "s", value=5), Figure("killed", "civilians", "b", "s", value=10))
    ds = Dataset(
        [Source("s", "S", "news", "B")],
        [Actor("a", "Police", "state"), Actor("b", "Rights group", "other")],
        [Event("e", "T", "2020-01-02", "X", "battles", figures=figures)],
    )
    app = make_app(ds, theme="briefing-dark")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.open_record("event", "e")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert (
            "killed  5–10 per Police; Rights group  (5 claimed in all; its groups add up to more: civilians)" in shown
        ), shown
        assert "groups add more" in shown


@aio
async def test_a_wrapped_detail_field_keeps_its_indent(bundled_ds) -> None:
    """QA: a long date note or place wrapped back to the first column, under the labels, so
    the Details block no longer read as label / value; the brief indents them."""
    from briefing.tui.app import make_app

    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(80, 90)) as pilot:
        await pilot.pause()
        app.open_record("event", BORDER_POST)
        await pilot.pause(0.3)
        lines = [line.removeprefix("▌ ") for line in screen_text(app).splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("date    2019-11-06"))
        block = lines[start : next(i for i in range(start, len(lines)) if lines[i].startswith("type "))]
        assert len(block) > 4, block  # the note and the place wrap at 80 columns
        for line in block:
            assert line.startswith(("date ", "place ", " " * 8)), block


@aio
async def test_the_selected_claim_stays_in_view_above_its_panel_on_a_small_terminal(bundled_ds) -> None:
    """QA: at 60x20, tab into the border post's figures and `j j`: the selected claim's row was
    scrolled under the claim panel (it was centred in the whole pane, which the panel covers
    the lower part of), so the user moved through claims without seeing the row."""
    from briefing.tui.app import make_app
    from briefing.tui.widgets.figures_view import ClaimPanel, FiguresView

    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.open_record("event", BORDER_POST)
        await pilot.pause(0.3)
        view = app.screen.query_one(FiguresView)
        view.focus()
        await pilot.pause()
        pane, panel = view.parent, app.screen.query_one(ClaimPanel)
        console = app.console
        for _ in range(5):
            await pilot.press("j")
            await pilot.pause()
            lines = console.render_lines(view._table(True), console.options.update(width=view.content_size.width))
            ys = [
                i
                for i, line in enumerate(lines)
                if any(s.style and s.style.meta.get("claim") == view.selected for s in line)
            ]
            top = pane.region.y + view.virtual_region.y - round(pane.scroll_offset.y)
            # every line of the selected cell (number, claimant, source), not only its first
            assert pane.region.y <= top + ys[0] and top + ys[-1] < panel.region.y, (
                view.selected,
                ys,
                top,
                panel.region,
            )


@aio
async def test_an_actor_timeline_s_titles_line_up_past_its_widest_roles() -> None:
    # What a user saw (QA regress 8): "perpetrator, figures" (20 characters) overflowed the
    # 11-wide roles column and pushed its title out of line; the legend still said "figure".
    from briefing.tui.widgets.link_list import LinkList

    app = build("mono")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_record("actor", "tj-government")
        await pilot.pause()
        await pilot.pause()
        timeline = app.screen.query_one("#ac-timeline", LinkList)
        rows = [str(timeline.get_option_at_index(i).prompt) for i in range(timeline.option_count)]
        titled = [(r, e.title) for r in rows for e in app.ds.events if e.title in r]
        assert any(", figures" in r for r, _ in titled), rows
        assert len({r.index(title) for r, title in titled}) == 1, rows
        # (QA regress 9) not "no role": `target, figures` had one
        title = app.screen.query_one("#ac-timeline-title")
        title.scroll_visible(animate=False, immediate=True)  # below the activity at 30 rows
        await pilot.pause()
        assert "figures: it gave figures there)" in screen_text(app)


@aio
async def test_a_long_timeline_title_wraps_under_itself_not_under_the_date() -> None:
    """QA s12: at 80 columns a wrapped timeline title went on at the row's first column, under
    the date, which made a long timeline hard to scan."""
    from briefing.tui.app import make_app
    from briefing.tui.widgets.link_list import LinkList
    from tui_helpers import BUNDLED, load

    app = make_app(load(BUNDLED), theme="mono")
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        app.open_record("actor", "iskp")
        await pilot.pause()
        app.screen.query_one("#ac-timeline", LinkList).scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        at = next(i for i, x in enumerate(lines) if "ISKP created by disaffected Taliban" in x)
        title_column = lines[at].index("ISKP created")
        follow = lines[at + 1]
        assert follow[title_column:].strip() and not follow[2:title_column].strip(), (lines[at], follow)


def test_the_claim_panel_names_the_claims_a_claim_cannot_be_true_with() -> None:
    """QA s14: every claim of a disputed row read "disputed: other claims cannot all be true
    with it", also "dozens (≥12)", which fits both 14 and ≥15 (those two are what conflict).
    The panel names the claims the selected one cannot be true with, or says it fits them all."""
    from rich.console import Console

    from briefing.dataset import Dataset
    from briefing.records import Actor, Event, Figure, Source
    from briefing.render.figures import claims_in_order
    from briefing.tui.widgets.figures_view import claim_detail

    figures = (
        Figure("killed", "total", "isis", "tv", value=12, qualifier="at-least", vague="dozens"),
        Figure("killed", "total", "mvd", "tv", value=14),
        Figure("killed", "total", "tv-actor", "tv", value=15, qualifier="at-least"),
    )
    actors = [Actor("isis", "Islamic State", "armed-group"), Actor("mvd", "Interior Ministry", "government")]
    actors.append(Actor("tv-actor", "Local TV", "media"))
    ds = Dataset(
        [Source("tv", "Local TV", "news", "C")],
        actors,
        [Event("e", "E", "2024-03-10", "X", "battles", figures=figures)],
    )
    said = {}
    for claim in claims_in_order(figures):
        console = Console(width=200, record=True, color_system=None)
        console.print(claim_detail(ds, claim, None))
        said[claim.figure.claimed_by] = " ".join(console.export_text().split())
    assert "fits every other claim; the others disagree among themselves" in said["isis"], said["isis"]
    assert "disputed: cannot be true with ≥15 per Local TV" in said["mvd"], said["mvd"]
    assert "disputed: cannot be true with 14 per Interior Ministry" in said["tv-actor"], said["tv-actor"]


def test_a_total_its_groups_outnumber_says_so_in_the_claim_panel() -> None:
    """A total no claim of its own row conflicts with is disputed by its groups' claims: the
    panel says that, not "fits every other claim"."""
    from rich.console import Console

    from briefing.dataset import Dataset
    from briefing.records import Actor, Event, Figure, Source
    from briefing.render.figures import claims_in_order
    from briefing.tui.widgets.figures_view import claim_detail

    figures = (
        Figure("killed", "total", "mvd", "tv", value=5),
        Figure("killed", "civilians", "mvd", "tv", value=4),
        Figure("killed", "guards", "mvd", "tv", value=3),
    )
    ds = Dataset(
        [Source("tv", "Local TV", "news", "C")],
        [Actor("mvd", "Interior Ministry", "government")],
        [Event("e", "E", "2024-03-10", "X", "battles", figures=figures)],
    )
    [total] = [c for c in claims_in_order(figures) if c.figure.subject == "total"]
    console = Console(width=200, record=True, color_system=None)
    console.print(claim_detail(ds, total, None))
    text = " ".join(console.export_text().split())
    assert "disputed: the claims about its groups add up to more" in text, text
