"""The figures compared: one row per metric+subject, one cell per claim, disputes marked first.

This is the heart of briefing and the one renderable every view shares, so a claim reads the
same in the TUI, the brief and `briefing brief --event`: the number with its qualifier, who
said it, the outlet that carried it (and through whom), and the Admiralty rating.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from briefing.compare import Comparison, compare, quantity
from briefing.records import Figure
from briefing.render.text import rating, rating_style, safe, style_of
from briefing.themes import ThemeSpec

DISPUTED_MARK = "!"
LEGEND = (
    f"{DISPUTED_MARK} = the claims disagree. Rating = Admiralty source reliability (A-F) "
    "+ credibility of the claim (1-6)."
)


def claim_text(ds, f: Figure, theme: ThemeSpec | None = None, *, wording: bool = False) -> Text:
    """One claim as a small block: `≥10 Islamic State` / carrier and rating / via whom.

    Kept to three short lines so that three claims fit side by side at 80 columns; the
    original wording is optional (the full event view lists it under the table).
    """
    source = ds.source(f.source)
    t = Text()
    t.append(quantity(f), style=style_of(theme, "number"))
    t.append(" ")
    t.append_text(safe(ds.actor_name(f.claimed_by), style_of(theme, "claimant"), single_line=True))
    if wording and f.wording:
        t.append("\n")
        t.append_text(safe(f'"{f.wording}"', style_of(theme, "muted"), single_line=True))
    t.append("\n")
    t.append_text(safe(ds.source_name(f.source), style_of(theme, "source"), single_line=True))
    code = rating(source, f.credibility)
    t.append(" ")
    t.append(code, style=rating_style(theme, code[0]))
    if f.via:
        t.append("\n")
        t.append_text(safe("via " + ds.source_name(f.via), style_of(theme, "muted"), single_line=True))
    return t


def row_label(c: Comparison, theme: ThemeSpec | None = None) -> Text:
    t = Text()
    style = style_of(theme, "disputed") if c.disputed else style_of(theme, "label")
    t.append(c.metric, style=style)
    if c.subject != "total":
        t.append("\n")
        t.append(c.subject, style=style_of(theme, "muted"))
    if c.disputed:
        t.append("\n")
        t.append(f"spread {c.span}", style=style_of(theme, "muted"))
    elif len(c.claims) > 1:
        t.append("\n")
        t.append(f"{len(c.claims)} agree", style=style_of(theme, "agreed"))
    return t


def figures_table(ds, figures: Sequence[Figure], theme: ThemeSpec | None = None) -> RenderableType:
    """The comparison table for one event's (or actor's) figures; disputed rows come first."""
    rows = compare(figures)
    if not rows:
        return Text("No figures recorded.", style=style_of(theme, "muted"))
    rows.sort(key=lambda c: not c.disputed)  # stable: disputes first, reading order kept
    width = max(len(c.claims) for c in rows)
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("", width=1, no_wrap=True)
    table.add_column("figure", width=15)  # fits `security-forces`; claims share the rest
    for i in range(width):
        table.add_column(f"claim {i + 1}" if width > 1 else "claim", ratio=1, min_width=12)
    for c in rows:
        mark = Text(DISPUTED_MARK, style=style_of(theme, "disputed")) if c.disputed else Text("")
        cells = [claim_text(ds, f, theme) for f in c.claims]
        cells += [Text("")] * (width - len(cells))
        table.add_row(mark, row_label(c, theme), *cells)
    return table
