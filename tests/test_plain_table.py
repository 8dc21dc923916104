"""The plain-console road for tables (`render.plain_table`) writes exactly what Rich writes.

Rich's own drawing is the reference: each table is printed both ways on a colourless console
and the two strings must be identical, trailing spaces included, at many widths.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from briefing.render.figures import FiguresTable, PlainFast, figures_table
from briefing.render.plain_table import plain_lines


def _both(table: Table, width: int, *, ours_expected: bool = True) -> tuple[str, str]:
    probe = Console(color_system=None, width=width, file=io.StringIO(), legacy_windows=False)
    assert (plain_lines(table, probe, probe.options) is not None) == ours_expected  # the road under test is taken
    out = []
    for renderable in (table, PlainFast(table)):
        console = Console(color_system=None, width=width, file=io.StringIO(), legacy_windows=False)
        console.print(renderable)
        out.append(console.file.getvalue())  # type: ignore[attr-defined]
    return out[0], out[1]


WORDS = st.sampled_from([
    "17", "≥10", "~100", "Islamic", "State", "Tajik", "authorities", "Ministry", "of", "Interior",
    "security-forces", "B2", "F6", "via", "AFP", "Agence", "France-Presse", "Amaq", "border",
    "Ишкобод", "Хуросон", "داعش", "خراسان", "国家", "安全", "🇹🇯", "👨‍👩‍👧", "é", "ṩ",
    "averyveryverylongwordthatwillnotfitanywhere", "a", "",
])


@st.composite
def cell_text(draw) -> Text:
    lines = draw(st.lists(st.lists(WORDS, max_size=8).map(" ".join), min_size=0, max_size=4))
    return Text("\n".join(lines))


@st.composite
def tables(draw) -> Table:
    """Tables shaped like `figures_table` (and some variations the plain road also takes)."""
    claims = draw(st.integers(1, 4))
    table = Table(
        box=draw(st.sampled_from([box.SIMPLE_HEAD, box.SIMPLE, box.MINIMAL, box.ASCII2])),
        expand=draw(st.booleans()),
        show_edge=False,
        pad_edge=draw(st.booleans()),
        padding=(0, draw(st.integers(0, 2))),
        show_header=draw(st.booleans()),
    )
    table.add_column("", width=1, no_wrap=True)
    table.add_column("figure", width=draw(st.sampled_from([None, 15])))
    for i in range(claims):
        table.add_column(f"claim {i + 1}", ratio=draw(st.sampled_from([None, 1])), min_width=draw(st.sampled_from([None, 12])),
                         justify=draw(st.sampled_from(["left", "right", "center"])),
                         overflow=draw(st.sampled_from(["fold", "ellipsis", "crop"])))
    for _ in range(draw(st.integers(0, 4))):
        table.add_row(Text(draw(st.sampled_from(["", "!"]))), draw(cell_text()), *[draw(cell_text()) for _ in range(claims)])
    return table


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.integers(20, 200))
def test_same_text_as_rich(table: Table, width: int) -> None:
    rich_text, ours = _both(table, width)
    assert ours == rich_text


def test_bundled_figure_tables_at_every_width() -> None:
    from briefing.datadir import data_dir
    from briefing.loader import load_dataset

    ds = load_dataset(data_dir())
    events = [e for e in ds.events if e.figures]
    assert len(events) > 10
    for e in events:
        t = figures_table(ds, e.figures)
        assert isinstance(t, FiguresTable)
        for width in range(40, 161, 3):
            rich_text, ours = _both(t.table(width), width)
            assert ours == rich_text, (e.id, width)


def test_tables_it_does_not_draw_go_to_rich() -> None:
    titled = Table(title="a title")
    titled.add_column("x")
    titled.add_row("1")
    footer = Table(show_footer=True, box=box.SIMPLE)
    footer.add_column("x", footer="sum")
    lined = Table(show_lines=True, box=box.SIMPLE)
    lined.add_column("x")
    console = Console(color_system=None, width=80, file=io.StringIO())
    for t in (titled, footer, lined):
        assert plain_lines(t, console, console.options) is None
        rich_text, ours = _both(t, 60, ours_expected=False)
        assert ours == rich_text
