"""A borderless table that lays out rows of `Text` cheaply: the brief's workhorse.

Rich's `Table` measures every cell by rendering it, then renders it again, so a brief of a
few dozen events spent most of its time there (bench/README.md).  This grid measures a cell by its plain text and wraps only the cells that do not
fit.  On a plain console (piped output: no styles to keep) it wraps and pads the plain
strings directly and writes one segment per line.
It draws only a rule under the header (`-` on a plain console, `─` with colour), no vertical
lines, and no trailing spaces, so piped output lines up and pastes cleanly.

Cells are `rich.text.Text` (build them with `render.text.safe`); a plain `str` is taken as
literal text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

GAP = 2


def width_of(s: str) -> int:
    """Terminal cells a string takes (ASCII fast path; records are cleaned, so no controls)."""
    return len(s) if s.isascii() else cell_len(s)


def hyphen_cuts(word: str, width: int) -> list[int]:
    """Where a word wider than `width` cells is broken: after its last hyphen or slash that fits
    (an id or a slug: `2024-afghanistan-terrorist-` / `groups-estimate`, each part readable,
    where a fold at the width gave `…terrorist-gro` / `ups-…`; ACLED's
    `shelling/artillery/missile`), else at the width."""
    cuts: list[int] = []
    start = 0
    while width > 0 and width_of(word[start:]) > width:
        piece = chop_cells(word[start:], width)[0] if not word.isascii() else word[start : start + width]
        hyphen = max(piece.rfind("-"), piece.rfind("/"), piece.rfind("–"))
        # at least one character a line: a wide one in a column of one cell does not fit, and
        # cutting nothing would never end (review s15)
        cut = start + max(1, hyphen + 1 if hyphen > 0 else len(piece))
        if cut >= len(word):  # the last character, wider than the column: it stays, folded
            break
        cuts.append(cut)
        start = cut
    return cuts


def longest_piece(texts: Iterable[Text | str], floor: int, cap: int) -> int:
    """The widest piece of the texts that a line break cannot split (a word, or a part of one
    between hyphens or slashes, where `hyphen_cuts` breaks it), between `floor` and `cap`: a
    column's minimum width, so that no word of it folds mid-word while there is room (QA s15:
    `intervie`/`w` in the key events' killed column at 50–64 columns)."""
    import re

    widest = 0
    for t in texts:
        for word in (t.plain if isinstance(t, Text) else t).split():
            if word.isascii():  # as wide as it is long: most words, measured without a pattern
                if len(word) <= widest:
                    continue
                w = (
                    max(map(len, re.findall(r"[^/-]+[/-]?", word)), default=1)
                    if "-" in word or "/" in word
                    else len(word)
                )
            else:
                w = max((width_of(p) for p in re.findall(r"[^/–-]+[/–-]?", word)), default=0)
            widest = max(widest, w)
    return max(floor, min(cap, widest))


def break_long_words(text: Text, width: int) -> Text:
    """`text` with each word wider than `width` cells broken into lines (`hyphen_cuts`), its
    styles kept, so that a wrap at `width` need not fold it mid-word."""
    import re

    plain = text.plain
    cuts = [m.start() + c for m in re.finditer(r"\S+", plain) for c in hyphen_cuts(m.group(), width)]
    if not cuts:
        return text
    return Text("\n").join(text.divide(cuts))


def wrap_plain(text: str, width: int) -> list[str]:
    """Word-wrap plain text to `width` cells; a word longer than a line is folded."""
    out: list[str] = []
    for para in text.split("\n"):
        if width_of(para) <= width:
            out.append(para.rstrip())
            continue
        line, used = "", 0
        for word in para.split(" "):
            w = width_of(word)
            if line and used + 1 + w <= width:
                line += " " + word
                used += 1 + w
                continue
            if line:
                out.append(line.rstrip())
            if w > width:
                cuts = [0, *hyphen_cuts(word, width), len(word)]
                chunks = [word[a:b] for a, b in zip(cuts, cuts[1:])]
                out.extend(chunks[:-1])
                word = chunks[-1]
                w = width_of(word)
            line, used = word, w
        out.append(line.rstrip())
    return out


class Column:
    __slots__ = ("header", "min_width", "max_width", "flex", "drop")

    def __init__(
        self, header: str = "", min_width: int = 4, max_width: int | None = None, flex: int = 1, drop: int = 0
    ) -> None:
        self.header = header
        self.min_width = min_width  # never squeezed below this
        self.max_width = max_width  # never wider than this, even with room to spare
        self.flex = flex  # share of the room when the row is too wide (0: keep natural width)
        # when the others would not fit whole, left out (highest first) rather than fold a number
        # (0: always shown)
        self.drop = drop


class Grid:
    def __init__(
        self, *columns: Column, header_style: str = "", rule_style: str = "", gap: int = GAP, keep_words: int = 0
    ) -> None:
        self.gap = gap
        # a flexible column's minimum raised to its longest word, up to this many cells, when
        # every column's so raised still fits (`widths`); 0: the columns' own minimums
        self.keep_words = keep_words
        self.columns = list(columns)
        self.rows: list[list[Text]] = []
        # per row, the column whose cell runs on over the columns after it (None: none): a line
        # that must stay whole (an id a reader copies) without widening its column
        self.spans: list[int | None] = []
        self.header_style = header_style
        self.rule_style = rule_style
        self.show_header = any(c.header for c in columns)
        self.written = False  # spelt for a legacy encoding already (`as_written`)

    def add_row(self, *cells: Text | str | None, span: int | None = None) -> None:
        """A row; `span`: the index of its last cell, which then runs on over the columns after
        it (they are empty in this row) and is measured as none of them."""
        row = [c if isinstance(c, Text) else Text(c or "") for c in cells]
        row += [Text("")] * (len(self.columns) - len(row))
        self.rows.append(row)
        self.spans.append(span)

    def __len__(self) -> int:
        return len(self.rows)

    # -- layout --------------------------------------------------------------------------
    def _cells(self) -> list[int]:
        """Each column's widest cell, its header left out."""
        widths = [0] * len(self.columns)
        for row, span in zip(self.rows, self.spans):
            for i, cell in enumerate(row):
                if i == span:
                    continue
                plain = cell.plain
                w = max(map(width_of, plain.split("\n"))) if "\n" in plain else width_of(plain)
                if w > widths[i]:
                    widths[i] = w
        return widths

    def _pieces(self) -> list[int]:
        """Each column's longest word or hyphenated part (`longest_piece`), its header left out."""
        return [
            longest_piece((row[i] for row, span in zip(self.rows, self.spans) if i != span), 0, 1_000)
            for i in range(len(self.columns))
        ]

    def _natural(self, cells: list[int] | None = None) -> list[int]:
        """Each column's widest cell or header, up to its max_width (`cells`: `_cells()`)."""
        cells = self._cells() if cells is None else cells
        out = []
        for w, col in zip(cells, self.columns):
            w = max(w, width_of(col.header)) if self.show_header else w
            out.append(w if col.max_width is None else min(w, col.max_width))
        return out

    def widths(self, available: int) -> list[int]:
        """Natural widths when they fit.  Else a fixed column (flex 0) takes its widest cell or
        header word (its header wraps between words; a number never folds), the columns that
        may be dropped (`Column.drop`) are left out, highest first, while even the minimums
        would not fit (width 0: not drawn), and the room left is shared among the flexible
        ones by flex, a column that needs less than its share giving the rest back (never
        below a column's minimum)."""
        cells = self._cells()
        natural = self._natural(cells)
        if sum(natural) + self.gap * (len(natural) - 1) <= available:
            return natural
        cells = [w if c.max_width is None else min(w, c.max_width) for w, c in zip(cells, self.columns)]
        fixed = [
            max(cells[i], max((width_of(w) for w in c.header.split()), default=0) if self.show_header else 0)
            for i, c in enumerate(self.columns)
        ]
        shown = list(range(len(natural)))
        mins = [c.min_width for c in self.columns]
        words: list[int] = []  # each column's longest word, when asked (`_pieces`)
        if self.keep_words:
            # each flexible column as wide as its longest word (a claimant of one long word folded
            # with room to spare, QA s16), but only when all of them fit: raised where they do
            # not, the minimums dropped a column and cropped words (QA s16's last pass)
            words = self._pieces()
            raised = [
                max(m, min(w, self.keep_words, c.max_width or w)) if c.flex else m
                for m, w, c in zip(mins, words, self.columns)
            ]
            need = sum(fixed[i] if not c.flex else min(raised[i], natural[i]) for i, c in enumerate(self.columns))
            if need + self.gap * (len(shown) - 1) <= available:
                mins = raised

        def least() -> int:
            need = (fixed[i] if not self.columns[i].flex else min(mins[i], natural[i]) for i in shown)
            return sum(need) + self.gap * (len(shown) - 1)

        for i in sorted((i for i, c in enumerate(self.columns) if c.drop), key=lambda i: -self.columns[i].drop):
            if least() <= available:
                break
            shown.remove(i)
        widths = [0] * len(natural)
        room = available - self.gap * (len(shown) - 1)
        pool = []
        for i in shown:
            if self.columns[i].flex:
                widths[i] = natural[i]
                pool.append(i)
            else:
                widths[i] = fixed[i]
                room -= fixed[i]
        while pool:
            total_flex = sum(self.columns[i].flex for i in pool)
            settled = [i for i in pool if natural[i] <= room * self.columns[i].flex // total_flex]
            if not settled:
                for i in pool:
                    widths[i] = max(mins[i], room * self.columns[i].flex // total_flex)
                # hand out what integer division left over, widest share first
                spare = room - sum(widths[i] for i in pool)
                for i in sorted(pool, key=lambda i: -self.columns[i].flex):
                    if spare <= 0:
                        break
                    widths[i] += 1
                    spare -= 1
                break
            for i in settled:
                widths[i] = natural[i]
                room -= natural[i]
                pool.remove(i)
        # room to spare once the flexible columns have theirs: the fixed ones' headers back
        spare = available - sum(widths) - self.gap * (len(shown) - 1)
        for i in shown:
            if spare > 0 and not self.columns[i].flex and widths[i] < natural[i]:
                more = min(spare, natural[i] - widths[i])
                widths[i] += more
                spare -= more
        # Narrower than the minimums allow: take from the widest column, cell by cell, rather
        # than let the console crop text off the edge (cells then fold; nothing is lost).
        excess = sum(widths) + self.gap * (len(shown) - 1) - available
        # first from columns still above their minimum, then from those still wider than their
        # longest word (a cut there folds no word), widest first; then from the widest, a
        # flexible one before a fixed one (a place, a date) of its width
        if excess > 0 and not words:
            words = self._pieces()
        while excess > 0:
            # a column of 3 cells or fewer is not cut further: it was never a candidate (one of 2
            # cells wider than its one-cell word was chosen, and the loop ended with the line
            # still too long, cropped: letters lost, QA s16)
            candidates = [k for k in shown if widths[k] > 3]
            if not candidates:
                break
            i = max(
                candidates,
                key=lambda k: (widths[k] > mins[k], widths[k] > words[k], widths[k], self.columns[k].flex > 0),
            )
            widths[i] -= 1
            excess -= 1
        return widths

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        natural = self.as_written(console.encoding)._natural()
        gaps = self.gap * (len(natural) - 1)
        least = sum(min(c.min_width, w) for c, w in zip(self.columns, natural)) + gaps
        return Measurement(least, sum(natural) + gaps).clamp(max_width=options.max_width)

    def as_written(self, encoding: str) -> Grid:
        """The grid as a stdout in a legacy encoding writes it: each cell spelt first
        (`render.console.spelt`: `≥32` as `>=32`), so the columns are laid out for what is
        drawn, not for signs the terminal never gets."""
        from briefing.render.console import spelt, utf

        if self.written or utf(encoding):
            return self
        out = Grid(
            *self.columns,
            header_style=self.header_style,
            rule_style=self.rule_style,
            gap=self.gap,
            keep_words=self.keep_words,
        )
        out.columns = [
            Column(spelt(c.header, encoding), c.min_width, c.max_width, c.flex, c.drop) for c in self.columns
        ]
        out.rows = [[as_written(cell, encoding) for cell in row] for row in self.rows]
        out.spans = list(self.spans)
        out.written = True
        return out

    # -- rendering -----------------------------------------------------------------------
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = self.as_written(console.encoding)
        if grid is not self:
            yield from grid.__rich_console__(console, options)
            return
        widths = self.widths(options.max_width)
        if console.color_system is None:
            yield from self._plain(widths, options.max_width)
            return
        from rich.style import Style

        shown = [i for i, w in enumerate(widths) if w]
        if self.show_header:
            header = [Text(self.columns[i].header, style=self.header_style) for i in shown]
            yield from self._row(console, header, [widths[i] for i in shown])
            from briefing.render.console import utf

            # a box-drawing rule only where the stdout can write it (QA s15: 80 `\u2500` on ASCII)
            line = "─" if utf(console.encoding) else "-"
            rule = line * min(sum(widths) + self.gap * (len(shown) - 1), options.max_width)
            yield Segment(rule, Style.parse(self.rule_style) if self.rule_style else None)
            yield Segment.line()
        for row, span in zip(self.rows, self.spans):
            cols = self._spanned(shown, widths, span)
            yield from self._row(console, [row[i] for i, _ in cols], [w for _, w in cols])

    def _spanned(self, shown: list[int], widths: Sequence[int], span: int | None) -> list[tuple[int, int]]:
        """(column, width) of a row's cells: each shown column, or up to `span` and then that
        cell over the rest of the shown columns and their gaps."""
        if span is None or not (rest := [i for i in shown if i >= span]):
            return [(i, widths[i]) for i in shown]
        # from the span's column, or the first shown after it when it is left out (its text kept)
        return [(i, widths[i]) for i in shown if i < span] + [
            (span, sum(widths[i] for i in rest) + self.gap * (len(rest) - 1))
        ]

    def _plain(self, widths: Sequence[int], max_width: int) -> Iterable[Segment]:
        """No styles to keep: wrap and pad plain strings, one segment per line."""
        lines: list[str] = []
        shown = [i for i, w in enumerate(widths) if w]
        rows = [
            [(row[i].plain, w) for i, w in self._spanned(shown, widths, span)]
            for row, span in zip(self.rows, self.spans)
        ]
        if self.show_header:
            rows.insert(0, [(self.columns[i].header, widths[i]) for i in shown])
        rule = sum(widths[i] for i in shown) + self.gap * (len(shown) - 1)
        for n, row in enumerate(rows):
            cells = [[p] if "\n" not in p and width_of(p) <= w else wrap_plain(p, w) for p, w in row]
            for k in range(max(len(c) for c in cells)):
                parts = []
                for c, (_, w) in zip(cells, row):
                    s = c[k] if k < len(c) else ""
                    parts.append(s + " " * (w - width_of(s) + self.gap))
                lines.append("".join(parts).rstrip())
            if n == 0 and self.show_header:
                lines.append("-" * min(rule, max_width))
        if lines:
            yield Segment("\n".join(lines) + "\n")

    def _row(self, console: Console, row: Sequence[Text], widths: Sequence[int]) -> Iterable[Segment]:
        cells: list[list[Text]] = []
        for cell, width in zip(row, widths):
            plain = cell.plain
            if "\n" not in plain and width_of(plain) <= width:
                cells.append([cell])
            else:
                cells.append(list(break_long_words(cell, width).wrap(console, width, overflow="fold")))
        height = max(len(c) for c in cells)
        for n in range(height):
            last = max((i for i, c in enumerate(cells) if n < len(c) and c[n].plain), default=-1)
            pad = 0
            for i in range(last + 1):
                if pad:
                    yield Segment(" " * pad)
                line = cells[i][n] if n < len(cells[i]) else None
                used = 0
                if line is not None and line.plain:
                    if line.plain[-1:].isspace():
                        line = line.copy()
                        line.rstrip()
                    used = line.cell_len
                    if line.style:  # Text.render ignores the base style of a span-less Text
                        styled = Text()
                        styled.append_text(line)
                        line = styled
                    yield from line.render(console, "")
                pad = widths[i] - used + self.gap
            yield Segment.line()


def as_written(text: Text, encoding: str) -> Text:
    """Text as a stdout in `encoding` writes it (`render.console.spelt`), its styles kept: each
    run of one style spelt alone.  A table lays its columns out for this, not for `≥`."""
    from rich.text import Span

    from briefing.render.console import spelt

    plain = text.plain
    if spelt(plain, encoding) == plain:
        return text
    out = Text(style=text.style, end=text.end)
    cuts = sorted({i for s in text.spans for i in (s.start, s.end) if 0 < i < len(plain)})
    for piece in text.divide(cuts):
        written = spelt(piece.plain, encoding)
        out.append_text(Text(written, style=piece.style, spans=[Span(0, len(written), s.style) for s in piece.spans]))
    return out


def cell(text: Text, *more: Text) -> Text:
    """A cell of several lines: the first text, then each further text on a line of its own."""
    out = Text()
    out.append_text(text)  # the pieces keep their own styles (as spans), none leaks into the next
    for t in more:
        if t.plain:
            out.append("\n")
            out.append_text(t)
    return out
