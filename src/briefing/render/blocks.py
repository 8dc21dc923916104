"""Small layout pieces shared by the brief, the event detail and the actor profile.

They read the same in colour and in plain text: a heading is styled when the console has
colours and underlined with ASCII dashes when it has none (piped output), and tables (a
`Grid`) have no vertical rules, so a brief pasted into a report or an email still lines up.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from briefing.render.grid import Column, Grid, wrap_plain
from briefing.render.text import safe, style_of
from briefing.themes import ThemeSpec


class Heading:
    """A section heading: styled on a colour console, underlined with `rule` characters on a plain one."""

    def __init__(self, text: Text | str, style: str = "", rule: str = "-", space: bool = True) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        self.style = style
        self.rule = rule
        self.space = space

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.color_system is None:  # plain: the text, underlined; no styles to resolve
            lines = wrap_plain(self.text.plain, options.max_width)
            rule = self.rule * max(1, min(max(map(len, lines)), options.max_width))
            yield Segment(("\n" if self.space else "") + "\n".join(lines) + "\n" + rule + "\n")
            return
        title = self.text.copy()
        title.stylize(self.style)
        if self.space:
            yield Text("")
        yield title

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


class Para:
    """A paragraph of `Text`: wrapped by Rich on a colour console, and as a plain string (much
    cheaper, same words per line) on a plain one."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.color_system is None:
            yield Segment("\n".join(wrap_plain(self.text.plain, options.max_width)) + "\n")
        else:
            yield self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


class CommandNote:
    """A note that ends in a command to paste: `lead`, then the command's words, folded only
    between shell words, each folded line ending in ` \\` (the shell's line continuation).
    Folded as prose, a brief broke the line between an option and its value, or inside a
    quoted path, and the lines pasted ran a broken command (QA s16).  A word longer than the
    width is drawn whole past it (the brief prints uncropped): cut, it would name something
    else."""

    INDENT = "    "

    def __init__(self, lead: str, words: list[str], style: str = "") -> None:
        self.lead = lead
        self.words = words
        self.style = style

    def lines(self, width: int) -> list[str]:
        """The note laid out in `width` columns: the lead, then the command's words filled in,
        an option kept with its value where the two fit on a line."""
        out: list[str] = []
        line, started = self.lead, False  # started: a word of the command on a line above or this one
        units = self._units(width - len(self.INDENT) - 2)
        for i, unit in enumerate(units):
            after = 2 if i < len(units) - 1 else 0  # room for the " \\" of a line that goes on
            if line.strip() and cell_len(line) + cell_len(unit) + after > width:
                out.append(line.rstrip() + (" \\" if started else ""))
                line = self.INDENT if started else "  "
            line += unit + " "
            started = True
        out.append(line.rstrip())
        return out

    def _units(self, room: int) -> list[str]:
        """The words, an option and its value as one where the two fit in `room` columns."""
        units: list[str] = []
        words = iter(self.words)
        for word in words:
            units.append(word)
            if word.startswith("--") and "=" not in word:
                value = next(words, None)
                if value is not None and not value.startswith("-") and cell_len(word) + cell_len(value) < room:
                    units[-1] += " " + value
                elif value is not None:
                    units.append(value)
        return units

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = "\n".join(self.lines(options.max_width)) + "\n"
        if console.color_system is None:
            yield Segment(text)
            return
        style = console.get_style(self.style)
        for line in text.splitlines():
            yield Segment(line, style)
            yield Segment.line()


def command_note(lead: str, words: list[str], theme: ThemeSpec | None) -> CommandNote:
    """`lead`, then a command (`display.shell_words`), muted, folded only where it pastes back."""
    return CommandNote(lead, words, style_of(theme, "muted"))


def heading(
    text: Text | str, theme: ThemeSpec | None, rule: str = "-", *, key: str = "heading", space: bool = True
) -> Heading:
    return Heading(text, style_of(theme, key), rule, space)


def table(theme: ThemeSpec | None, *columns: Column) -> Grid:
    """A borderless table with a header rule: aligned columns that survive copy and paste."""
    return Grid(*columns, header_style=style_of(theme, "label"), rule_style=style_of(theme, "muted"))


def fields(rows: Iterable[tuple[str, Text | str | None]], theme: ThemeSpec | None) -> Grid:
    """`label  value` lines, aligned; rows whose value is empty are left out."""
    grid = Grid(Column(min_width=4, flex=0), Column(min_width=10))
    label_style = style_of(theme, "label")
    for label, value in rows:
        if value is None or value == "" or (isinstance(value, Text) and not value.plain):
            continue
        grid.add_row(Text(label, style=label_style), value if isinstance(value, Text) else safe(value))
    return grid


BLANK = Para(Text(""))


def more_line(n: int, what: str, theme: ThemeSpec | None, hint: str = "narrow the filter to see them") -> Para:
    return Para(Text(f"... and {n:,} more {what} ({hint})", style=style_of(theme, "muted")))


def note(text: str, theme: ThemeSpec | None) -> Para:
    """A muted line of our own words (legends, hints)."""
    return Para(Text(text, style=style_of(theme, "muted")))


def bullets(items: Iterable[Text], mark: str = "-") -> Grid:
    """A list with a hanging indent, so a wrapped item still reads as one."""
    grid = Grid(Column(min_width=1, flex=0), Column(min_width=10), gap=1)
    for item in items:
        grid.add_row(Text(mark), item)
    return grid
