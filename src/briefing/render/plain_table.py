"""Rich's `Table`, drawn as plain text by a shorter road, for consoles without colour.

A piped brief (the form an analyst pastes into a report) has no styles to keep, yet Rich
draws a table cell by cell through padding, segments, shaping and cropping: about 2 ms for a
two-row figures table, most of the brief's rendering.  Here the column widths still come
from Rich (so the layout is Rich's, at every width), each cell is still wrapped by Rich's
own `Text.wrap`, and only the assembly into lines is done with plain strings.  The output is
the same text, character for character, that Rich would write; `tests/test_plain_table.py`
holds the two side by side over generated tables and widths.

Only the features the figures table uses are drawn this way; for any other table, or a
Rich without the width calculation this relies on, `plain_lines` returns None and the
caller lets Rich draw it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.table import Table
from rich.text import Text


def _supported(table: Table) -> bool:
    top, _, bottom, _ = table.padding
    return (
        table.box is not None
        and not table.show_edge
        and not table.show_footer
        and not table.show_lines
        and not table.leading
        and not table.collapse_padding
        and table.title is None
        and table.caption is None
        and table.width is None
        and top == 0
        and bottom == 0
        and not any(row.end_section for row in table.rows)
        and all(isinstance(c, Text) for col in table.columns for c in col._cells)
        and all(isinstance(col.header, Text) or "[" not in col.header for col in table.columns)
        and hasattr(table, "_calculate_column_widths")
    )


def plain_lines(table: Table, console: Console, options: ConsoleOptions) -> list[str] | None:
    """The lines Rich would draw for `table` on a console with no colour, or None when the
    table uses something this does not draw."""
    if not table.columns or not _supported(table):
        return None
    widths = table._calculate_column_widths(console, options.update_width(options.max_width - table._extra_width))
    box = table.box.substitute(options, safe=console.safe_box if table.safe_box is None else table.safe_box)
    _, pad_right, _, pad_left = table.padding
    last_col = len(table.columns) - 1
    pads = []
    for i in range(len(table.columns)):
        left = 0 if (i == 0 and not table.pad_edge) else pad_left
        right = 0 if (i == last_col and not table.pad_edge) else pad_right
        pads.append((left, right))

    def cell_lines(text: Text, col_index: int) -> list[str]:
        column = table.columns[col_index]
        left, right = pads[col_index]
        inner = widths[col_index] - left - right
        if inner <= 0:  # Rich gives such a cell nothing to draw: blanks of the column's width
            return [" " * widths[col_index]]
        justify = text.justify or column.justify or "default"
        plain = text.plain
        if "\t" not in plain and not (text.no_wrap if text.no_wrap is not None else column.no_wrap):
            parts = plain.split("\n")
            if all(cell_len(p) <= inner for p in parts):  # nothing to wrap: lay the lines out here
                return [" " * left + _justified(p, inner, justify) + " " * right for p in parts]
        wrapped = text.wrap(
            console,
            inner,
            justify=justify,
            overflow=text.overflow or column.overflow or "fold",
            tab_size=text.tab_size or console.tab_size or 8,
            no_wrap=text.no_wrap if text.no_wrap is not None else column.no_wrap,
        )
        out = []
        for line in wrapped:
            s = line.plain
            used = cell_len(s)
            if used > inner:  # never wider than the cell, as Rich's shaping crops it
                s = _crop(s, inner)
                used = inner
            out.append(" " * left + s + " " * (inner - used) + " " * right)
        return out or [" " * widths[col_index]]

    lines: list[str] = []
    rows: list[tuple[list[Text], bool]] = []
    if table.show_header:
        # a str header would go through Rich's markup; without a `[` it reads as itself
        rows.append(([c.header if isinstance(c.header, Text) else Text(c.header) for c in table.columns], True))
    for r in range(len(table.rows)):
        rows.append(([col._cells[r] for col in table.columns], False))  # type: ignore[misc]
    for n, (cells, header) in enumerate(rows):
        rendered = [cell_lines(c, i) for i, c in enumerate(cells)]
        height = max(len(c) for c in rendered)
        for i, c in enumerate(rendered):
            blank = " " * widths[i]
            missing = height - len(c)
            if missing:
                # a header sits on the bottom of its row, a body cell on the top
                rendered[i] = [blank] * missing + c if header else c + [blank] * missing
        # Rich's dividers: the first row's, the last row's, and those between
        divider = box.head_vertical if n == 0 else (box.foot_vertical if n == len(rows) - 1 else box.mid_vertical)
        for k in range(height):
            lines.append(divider.join(c[k] for c in rendered))
        if header:
            lines.append(box.get_row(widths, "head", edge=False))
    return lines


def _justified(s: str, width: int, justify: str) -> str:
    """A line that fits, placed in `width` cells as `Text.wrap` and `Lines.justify` place it."""
    if justify in ("right", "center"):
        s = s.rstrip()
        excess = width - cell_len(s)
        before = excess if justify == "right" else excess // 2
        return " " * before + s + " " * (excess - before)
    return s + " " * (width - cell_len(s))


def _crop(s: str, width: int) -> str:
    out, used = [], 0
    for ch in s:
        w = cell_len(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)  # a wide character cut in half leaves a space
