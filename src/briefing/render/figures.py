"""The figures compared: one row per metric+subject, one cell per claim, disputes marked first.

This is the heart of briefing and the one renderable every view shares, so a claim reads the
same in the TUI, the brief and `briefing brief --event`: the number with its qualifier, who
said it, the outlet that carried it (and through whom), and the Admiralty rating.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from briefing.compare import Comparison, compare, quantity
from briefing.records import Figure
from briefing.render.grid import Column, Grid
from briefing.render.text import rating, rating_style, safe, style_of
from briefing.themes import ThemeSpec

if TYPE_CHECKING:
    from briefing.dataset import Dataset

DISPUTED_MARK = "!"
LEGEND = (
    f'{DISPUTED_MARK} = the claims cannot all be true; "2 agree: ≥N" = they can, ≥N the most precise. '
    "≥ at least · > more than · ~ about (±10%) · <~ nearly (up to 10% below) · ≤ up to · < fewer than · "
    '"word (read as ≥ N)": a vague word, the least it means. superseded = revised later by the same claimant '
    "and source; withdrawn = taken back, no new number (no figure: every claim was). "
    "Rating = source reliability A-F + claim credibility 1-6 (Admiralty)."
)

LABEL_WIDTH = 15  # fits `security-forces`; claims share the rest
CLAIM_MIN = 14  # a claim cell is never narrower (nor narrower than its number)


def claim_text(
    ds: Dataset, f: Figure, theme: ThemeSpec | None = None, *, wording: bool = False, superseded: bool = False
) -> Text:
    """One claim as a small block: `≥10 Islamic State` / carrier and rating / via whom.

    Kept to three short lines so that three claims fit side by side at 80 columns; the
    original wording is optional (the full event view lists it under the table).  A claim
    revised later by the same claimant and source says so, with its date; one its claimant
    withdrew says `withdrawn`, with the date it was withdrawn.
    """
    source = ds.source(f.source)
    t = Text()
    t.append(quantity(f), style=style_of(theme, "muted" if superseded else "number"))
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
    if superseded:
        t.append("\n")
        # the claim's own date (a revision's is on its own claim): `superseded (DATE)` read as
        # the day it was superseded, as `withdrawn (DATE)` is
        said = f"withdrawn ({f.withdrawn})" if f.withdrawn else f"of {f.date}, superseded"
        t.append_text(safe(said, style_of(theme, "muted"), single_line=True))
    return t


def at_hyphens(word: str, width: int) -> str:
    """A slug too long for its column broken after its hyphens (`months-to-` /
    `external-attack`), not folded mid-word; a part longer than the column is left whole for
    the column to fold."""
    parts = word.split("-")
    lines = [parts[0]]
    for i, part in enumerate(parts[1:], 2):
        end = 0 if i == len(parts) else 1  # a line broken after this part ends with its hyphen
        if cell_len(lines[-1]) + 1 + cell_len(part) + end <= width:
            lines[-1] += "-" + part
        else:
            lines[-1] += "-"
            lines.append(part)
    return "\n".join(lines)


def row_label(c: Comparison, theme: ThemeSpec | None = None, width: int = 1000) -> Text:
    t = Text()
    style = style_of(theme, "disputed") if c.disputed else style_of(theme, "label")
    t.append(at_hyphens(c.metric, width), style=style)
    if c.subject != "total":
        t.append("\n")
        t.append(at_hyphens(c.subject, width), style=style_of(theme, "muted"))
    if c.disputed and c.consensus is None:  # its own claims disagree
        t.append("\n")
        t.append(f"spread {c.span}", style=style_of(theme, "muted"))
    if c.outnumbered:  # the dispute is (also) with the group rows below
        t.append("\n")
        t.append("groups add more", style=style_of(theme, "muted"))
    elif c.compared and not c.disputed:
        t.append("\n")
        t.append(f"{len(c.claims)} agree", style=style_of(theme, "agreed"))
        if len({quantity(f) for f in c.claims}) > 1:  # of different precision: say what they agree on
            t.append(f": {c.span}", style=style_of(theme, "agreed"))
    elif not c.claims:  # every claim withdrawn: no number, only history
        t.append("\n")
        t.append("no figure", style=style_of(theme, "muted"))
    if c.superseded:
        t.append("\n")
        t.append(f"{len(c.superseded)} superseded", style=style_of(theme, "muted"))
    return t


class Claim(NamedTuple):
    """One cell of the figures table, in the order the table shows them (the TUI selects these)."""

    comparison: Comparison
    figure: Figure
    superseded: bool


def ordered(figures: Sequence[Figure]) -> list[Comparison]:
    rows = compare(figures)
    rows.sort(key=lambda c: not c.disputed)  # stable: disputes first, reading order kept
    return rows


def claims_in_order(figures: Sequence[Figure]) -> list[Claim]:
    """Every claim the table shows, row by row: current claims, then superseded ones."""
    return [
        Claim(c, f, old)
        for c in ordered(figures)
        for f, old in [*((f, False) for f in c.claims), *((f, True) for f in c.superseded)]
    ]


def old_mark(f: Figure) -> str:
    """What follows a superseded claim's number in plain text (the Markdown brief, a copied
    claim): when it was withdrawn, or its own date."""
    return f" (withdrawn, {f.withdrawn})" if f.withdrawn else f" (superseded, {f.date})"


def superseded_flags(figures: Sequence[Figure]) -> list[bool]:
    """Whether each figure, in the record's own order, is superseded: the comparisons' own
    `superseded` (which the table and the figures CSV's column show through `claims_in_order`),
    for the exports that keep the record's order (JSON, JSONL, STIX), so that every export reads
    a revision the same way."""
    return [old for old, _disputed in claim_flags(figures)]


def claim_flags(figures: Sequence[Figure], comps: Sequence[Comparison] | None = None) -> list[tuple[bool, bool]]:
    """(superseded, disputed) for each figure in the record's own order, from one comparison of
    them (`comps`, when the caller has it): a claim's `superseded` is `superseded_flags`', its
    `disputed` its row's (the figures CSV's `disputed` column, for STIX's labels)."""
    flags = {  # the record's own objects
        id(f): (old, c.disputed)
        for c in (compare(figures) if comps is None else comps)
        for old, claims in ((False, c.claims), (True, c.superseded))
        for f in claims
    }
    return [flags.get(id(f), (False, False)) for f in figures]


class FiguresTable:
    """The comparison table, laid out for the width it is drawn at: as many claim columns as
    fit (never a claim narrower than its number), and a row with more claims than that goes on
    to further lines marked `more: 4–6 of 6`.  No claim is dropped, no number cut."""

    def __init__(
        self, ds: Dataset, figures: Sequence[Figure], theme: ThemeSpec | None = None, selected: int | None = None
    ) -> None:
        self.ds = ds
        self.theme = theme
        self.rows = ordered(figures)
        self.selected = selected

    def label_width(self, width: int) -> int:
        """The figure column: `LABEL_WIDTH`, wider for a longer metric or subject up to a
        quarter of the table, so that `months-to-external-attack` is not cut mid-word where
        the claims have room to spare (a narrow terminal still folds it)."""
        longest = max((cell_len(c.metric) for c in self.rows), default=0)
        longest = max([longest, *(cell_len(c.subject) for c in self.rows if c.subject != "total")])
        return max(LABEL_WIDTH, min(longest, width // 4))

    def columns_for(self, width: int, label: int) -> tuple[int, int]:
        """(claims per line, width of a claim column) at `width` cells, beside a figure column
        `label` wide (`label_width`)."""
        # the longest word of any claim's number: a cell may wrap "hundreds (read as ≥ 100)"
        # at its spaces, but never narrower than a number such as `~2,500–3,000`
        longest = max(
            (cell_len(w) for c in self.rows for f in (*c.claims, *c.superseded) for w in quantity(f).split()), default=0
        )
        claim = max(CLAIM_MIN, longest)
        most = max((len(c.claims) + len(c.superseded) for c in self.rows), default=1)
        room = width - (1 + 1 + label + 2)  # mark, gap, label, gap
        return max(1, min(most, (room + 1) // (claim + 2))), claim

    def table(self, width: int) -> Grid:
        """The table at `width` cells: our `Grid`, which measures a cell by its text, where Rich's
        `Table` renders every cell to measure it (most of the brief's drawing for one disputed
        event: bench/README.md, round 33).  A legacy stdout's spelling (`≥10` as `>=10`) is the
        grid's to lay out (`Grid.as_written`)."""
        theme = self.theme
        label_width = self.label_width(width)  # once: it reads every row's names
        per_line, claim_width = self.columns_for(width, label_width)
        table = Grid(
            Column("", 1, 1, 0),
            Column("figure", label_width, label_width, 0),
            *(Column(f"claim {i + 1}" if per_line > 1 else "claim", claim_width, None, 1) for i in range(per_line)),
            header_style=style_of(theme, "label"),
            rule_style=style_of(theme, "muted"),
        )
        n = 0
        for c in self.rows:
            cells = [*((f, False) for f in c.claims), *((f, True) for f in c.superseded)]
            total = len(cells)
            for start in range(0, total, per_line):
                chunk = []
                for f, old in cells[start : start + per_line]:
                    t = claim_text(self.ds, f, theme, superseded=old)
                    if self.selected == n:  # the meta lets a view find the cell's line
                        t.stylize(Style(reverse=True, meta={"claim": n}))
                    chunk.append(t)
                    n += 1
                chunk += [Text("")] * (per_line - len(chunk))
                if start == 0:
                    mark = Text(DISPUTED_MARK, style=style_of(theme, "disputed")) if c.disputed else Text("")
                    label = row_label(c, theme, label_width)
                    if total > per_line:
                        label.append("\n")
                        label.append(f"+{total - per_line} more below", style=style_of(theme, "muted"))
                else:
                    mark = Text("")
                    end = min(start + per_line, total)
                    label = Text(f"more: {start + 1}–{end}/{total}", style=style_of(theme, "muted"))
                table.add_row(mark, label, *chunk)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            yield Text("No figures recorded.", style=style_of(self.theme, "muted"))
            return
        yield self.table(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(options.max_width, 1 + LABEL_WIDTH + CLAIM_MIN + 4), options.max_width)


def figures_table(
    ds: Dataset, figures: Sequence[Figure], theme: ThemeSpec | None = None, selected: int | None = None
) -> RenderableType:
    """The comparison table for one event's (or actor's) figures; disputed rows come first."""
    return FiguresTable(ds, figures, theme, selected)
