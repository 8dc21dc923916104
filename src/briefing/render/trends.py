"""The analysis as Rich renderables for the brief: the bottom line's change, the timeline as a bar
chart, and the Where / Who frequency tables.  Sparklines and number formats here are shared
with the TUI's Trends screen, so both draw the same characters for the same numbers.

The bar chart is one line per period (label, bar, numbers), so it survives a pipe, an email and
a narrow terminal; with `--ascii`, or when the output's encoding cannot show block characters,
bars are drawn with `#` and sparklines with ASCII ramps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, NamedTuple

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text

from briefing.analysis import MONTHS, Bin, Deaths, Trends, bottom_line as analysis_bottom_line, left_out_text
from briefing.display import command_line, counted, shell_words
from briefing.records import MIN_YEAR
from briefing.render.blocks import bullets, command_note, heading, note, table
from briefing.render.grid import Column, Grid
from briefing.render.text import safe, style_of
from briefing.themes import ThemeSpec

if TYPE_CHECKING:
    from briefing.dataset import Dataset

SPARK = "▁▂▃▄▅▆▇█"
SPARK_ASCII = "_.-=+*#"
EIGHTHS = " ▏▎▍▌▋▊▉"
BAR_WIDTH = 30
SPARK_WIDTH = 24
CHART_ROWS = 36  # more periods than this: the brief's chart rolls them up (quarters, years)
TABLE_ROWS = 10
NEW_ACTORS = 12  # first-seen actors named in the Who section; the rest counted
NO_ACTORS = "No actors recorded for these events."
NONE_NEW = "No actor is first seen in this period."


def blocks_ok(out: IO[str] | None) -> bool:
    """Whether the output can show block characters (a UTF-8 pipe can; latin-1 or ASCII cannot)."""
    enc = getattr(out, "encoding", None) or "utf-8"
    try:
        (SPARK + EIGHTHS + "–≥").encode(enc)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def spark(values: Sequence[int], ascii: bool = False, width: int = SPARK_WIDTH, blank: str = " ") -> str:
    """A sparkline of counts, at most `width` characters (neighbouring periods summed to fit);
    a period with no event is `blank` (Markdown's is visible: a table cell's spaces are
    trimmed and collapsed, and the bars slid to the first period, QA s17); no room, no line."""
    if not values or width <= 0:
        return ""
    g = spark_group(len(values), width)
    if g > 1:
        values = [sum(values[a:b]) for a, b in runs(len(values), g)]
    ramp = SPARK_ASCII if ascii else SPARK
    top = max(values)
    if top == 0:
        return blank * len(values)
    out = []
    for v in values:
        if v == 0:
            out.append(blank)
        else:
            out.append(ramp[min(len(ramp) - 1, (v * len(ramp) - 1) // top)])
    return "".join(out)


def spark_group(periods: int, width: int = SPARK_WIDTH) -> int:
    """How many neighbouring periods one cell of a sparkline `width` wide sums."""
    return max(1, -(-periods // width)) if width > 0 else 1


def runs(periods: int, group: int) -> list[tuple[int, int]]:
    """(start, end) of the runs of `group` neighbouring periods that a sparkline's cells sum,
    counted from the newest: a short run, if the periods do not divide evenly, is the oldest
    (review s15: a short newest run, fewer periods summed, read as a fall)."""
    if periods <= 0:
        return []
    first = periods % group or group
    return [(0, first), *((i, i + group) for i in range(first, periods, group))]


def bar(value: int, top: int, width: int = BAR_WIDTH, ascii: bool = False) -> str:
    """A horizontal bar in eighths of a cell (`#` per whole cell in ASCII)."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * width * 8 / top))
    if ascii:
        return "#" * max(1, round(eighths / 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def share_text(share: float) -> str:
    pct = share * 100
    if pct and pct < 1:
        return "<1%"
    return f"{pct:.0f}%"


# -- the chart's rows: the timeline, rolled up when too long to read ---------------------------
class ChartRow(NamedTuple):
    label: str
    events: int
    deaths: Deaths


class Chart(NamedTuple):
    """The brief's timeline chart: what a row is (`month`, `quarter`, ...), its rows, and how
    many of the period's events are in no row (each spans several rows): the note says that
    number, not the timeline's, which summing may have made smaller."""

    per: str
    rows: list[ChartRow]
    not_placed: int


def chart_rows(t: Trends, limit: int = CHART_ROWS) -> Chart:
    """The timeline's periods, or quarters / years summed from them when there are more than
    `limit` (the export keeps every period).  An event in no period (dated to a year, in a
    chart by month) that lies wholly inside one summed row is counted in it, its deaths too:
    summing is what lets it be placed; only those still spanning several rows are left out."""
    bins: list[Bin] = t.timeline
    if len(bins) <= limit or t.unit != "month":
        return Chart(t.unit, [ChartRow(b.label(t.unit), b.events, b.deaths) for b in bins], t.not_placed)
    quarters = len({(b.start.year, (b.start.month - 1) // 3) for b in bins}) <= limit

    def key(d: date) -> str:
        return f"{d.year} Q{(d.month - 1) // 3 + 1}" if quarters else str(d.year)

    groups: dict[str, tuple[int, Deaths]] = {}
    for b in bins:
        k = key(b.start)
        n, d = groups.get(k, (0, Deaths()))
        groups[k] = (n + b.events, d.plus(b.deaths))
    left = 0
    for a in t.not_placed_spans:  # its days are within the period: its rows are among the bins'
        k = key(a.first)
        if k == key(a.last):
            n, d = groups[k]
            groups[k] = (n + a.events, d.plus(a.deaths))
        else:
            left += a.events
    rows = [ChartRow(k, n, d) for k, (n, d) in groups.items()]
    if len(rows) > limit:  # years still too many (one date far out: 1900): a run of empty ones is one row
        rows = _empty_runs(rows)
    return Chart("quarter" if quarters else "year", rows, left)


def _empty_runs(rows: list[ChartRow]) -> list[ChartRow]:
    """Rows with each run of two or more empty ones (no event) as one, labelled first–last."""
    out: list[ChartRow] = []
    run: list[ChartRow] = []
    for r in [*rows, None]:
        if r is not None and r.events == 0:
            run.append(r)
            continue
        if len(run) > 1:
            out.append(ChartRow(f"{run[0].label}–{run[-1].label}", 0, Deaths()))
        else:
            out.extend(run)
        run = []
        if r is not None:
            out.append(r)
    return out


# -- sections --------------------------------------------------------------------------------------
def bottom_line(t: Trends, disputes: str, theme: ThemeSpec | None) -> list[RenderableType]:
    lines = analysis_bottom_line(t, disputes)
    return [heading("Bottom line", theme), bullets(safe(line) for line in lines)]


def timeline(
    t: Trends, theme: ThemeSpec | None, ascii: bool = False, again: Sequence[str] = ()
) -> list[RenderableType]:
    chart = chart_rows(t)
    out: list[RenderableType] = [
        heading(timeline_title(t, chart.per), theme),
        TimelineTable(chart, theme, ascii),
        note(timeline_note(t, chart, again, None), theme),
    ]
    if every := every_month(t, chart, again):
        out.append(command_note("Every month: ", shell_words(every), theme))
    return out


class TimelineTable:
    """The timeline's table, each bar as long as the events column leaves room for: bars of a
    fixed `BAR_WIDTH` cells wrapped under their counts at 57 columns (QA s15), one period on
    two lines.  The table is laid out for the width it is drawn in, with full bars; if the
    events column gets less than they need, it is made again with bars scaled to what it got
    (the longest still the longest, every count in one column)."""

    def __init__(self, chart: Chart, theme: ThemeSpec | None, ascii: bool) -> None:
        self.chart = chart
        self.theme = theme
        self.ascii = ascii
        rows = chart.rows
        digits = max((len(f"{r.events:,}") for r in rows), default=1)
        self.count_width = max(5, digits)  # every bar starts in one column

    def grid(self, bar_width: int = BAR_WIDTH) -> Grid:
        theme, rows = self.theme, self.chart.rows
        g = table(
            theme,
            Column(self.chart.per, 7, 12, 0),
            Column("events", 6, BAR_WIDTH + 8, 0),
            Column("killed", 6, 16, 0),
            Column("no figure", 9, 10, 0),
        )
        number = style_of(theme, "number")
        muted = style_of(theme, "muted")
        top = max((r.events for r in rows), default=0)
        for r in rows:
            cell = Text(f"{r.events:>{self.count_width},} ", style=number)
            cell.append(bar(r.events, top, width=bar_width, ascii=self.ascii), style=style_of(theme, "heading"))
            g.add_row(
                Text(r.label, style=style_of(theme, "date")),
                cell,
                Text(r.deaths.span, style=number if r.deaths.with_figure else muted),
                Text(f"{r.deaths.without_figure:,}" if r.deaths.without_figure else "", style=muted),
            )
        return g

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        g = self.grid()
        room = g.as_written(console.encoding).widths(options.max_width)[1] - self.count_width - 1
        yield g if room >= BAR_WIDTH else self.grid(max(1, room))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.grid().__rich_measure__(console, options)


def timeline_title(t: Trends, per: str) -> str:
    return f"Timeline, {t.period.label()} ({_per_note(t, per)})"


def every_month(t: Trends, chart: Chart, again: Sequence[str] = ()) -> list[str] | None:
    """The command (its words) that lists every period when the chart sums them to fit, else
    None; `again`: the flags that chose the events (`BriefData.again`)."""
    if chart.per == t.unit:
        return None
    return ["briefing", "export", "--table", "timeline", *again]


def timeline_note(t: Trends, chart: Chart, again: Sequence[str] = (), cmd: Callable[[str], str] | None = str) -> str:
    """What the chart's rows leave out (the events in no row: each spans several of them) or
    sum, and how its columns count.  `cmd` marks the command it names (Markdown puts it in a
    code span); None leaves it out, for a line of its own (`timeline`)."""
    notes = []
    per = chart.per
    if chart.not_placed:
        notes.append(
            f"{counted(chart.not_placed, 'event')} dated only to a month or year spanning several "
            f"{per}s: counted in the totals, in no bar."
        )
    if (every := every_month(t, chart, again)) is not None:
        notes.append(
            f"Summed by {per} to fit (every month: {cmd(command_line(every))})." if cmd else f"Summed by {per} to fit."
        )
    notes.append(
        "killed, here and in the Where and Who tables: the range the claims allow, summed (nearly 100 allows "
        "90–100; ≥: an open-ended claim); "
        "no figure: events with no killed figure, not counted as zero."
    )
    return " ".join(notes)


def _per_note(t: Trends, per: str) -> str:
    if per == t.unit:
        return t.week_note
    return f"by {per}"


def counts_table(
    t: Trends, by: str, theme: ThemeSpec | None, ascii: bool = False, limit: int = TABLE_ROWS
) -> tuple[Grid, int]:
    """The top rows of a frequency table (name, events, share, killed, no figure, change,
    sparkline) and how many rows did not fit.  At a narrow width the trend, then the share,
    then the change are left out before a number folds (`Column.drop`)."""
    rows = t.table(by)
    g = table(
        theme,
        Column(by, 10, 40, 1),
        Column("events", 6, 8, 0),
        Column("share", 5, 5, 0, drop=2),
        Column("killed", 6, 16, 0),
        Column("no figure", 6, 9, 0),
        Column("change", 6, 22, 0, drop=1),
        Column("trend", 5, SPARK_WIDTH, 0, drop=3),
    )
    number = style_of(theme, "number")
    muted = style_of(theme, "muted")
    for r in rows[:limit]:
        if t.has_baseline:
            ch = Text(r.change.text, style=number)
            ch.append(
                f" {r.change.level}", style=muted if r.change.level == "limited change" else style_of(theme, "warning")
            )
        else:
            ch = Text("-", style=muted)
        g.add_row(
            safe(r.label, style_of(theme, "title"), single_line=True),
            Text(f"{r.events:,}", style=number),
            Text(share_text(r.share)),
            Text(r.deaths.span),
            # the events with no killed figure, as the timeline says them: not counted as zero
            Text(f"{r.deaths.without_figure:,}" if r.deaths.without_figure else "", style=number),
            ch,
            Text(spark(r.spark, ascii), style=muted),
        )
    return g, max(0, len(rows) - limit)


def where_tables(t: Trends) -> list[str]:
    """The tables the Where section shows: by country unless there is only one, by admin1."""
    return [by for by in ("country", "admin1") if by != "country" or len(t.table(by)) > 1]


def every_row(by: str, again: Sequence[str] = ()) -> list[str]:
    """The command (its words) that lists every row of a table by `by` (`again` as in `every_month`)."""
    return ["briefing", "export", "--table", "counts", "--by", by, *again]


def more_note(more: int, by: str, again: Sequence[str] = (), cmd: Callable[[str], str] = str) -> str:
    """The rows a table left out, and the command that lists them all, as Markdown says them
    (`cmd` as in `timeline_note`); the brief gives the command a line of its own (`more_rows`)."""
    return f"... and {more:,} more ({cmd(command_line(every_row(by, again)))})"


def more_rows(more: int, by: str, theme: ThemeSpec | None, again: Sequence[str] = ()) -> RenderableType:
    return command_note(f"... and {more:,} more: ", shell_words(every_row(by, again)), theme)


def where(t: Trends, theme: ThemeSpec | None, ascii: bool = False, again: Sequence[str] = ()) -> list[RenderableType]:
    out: list[RenderableType] = [heading("Where", theme)]
    grids = []
    for by in where_tables(t):
        g, more = counts_table(t, by, theme, ascii)
        out.append(g)
        grids.append(g)
        if more:
            out.append(more_rows(more, by, theme, again))
    out.append(_ChangeNote(t, grids, theme))
    return out


class _ChangeNote:
    """`change_note` under the Where tables, naming the trend column only where a table draws
    it at the console's width (QA s14: at `--width 60` it told of a column left out)."""

    def __init__(self, t: Trends, grids: Sequence[Grid], theme: ThemeSpec | None) -> None:
        self.t, self.grids, self.theme = t, grids, theme

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        drawn = any(g.as_written(console.encoding).widths(options.max_width)[-1] for g in self.grids)
        yield note(change_note(self.t, trend=drawn), self.theme)


def change_note(t: Trends, trend: bool = True) -> str:
    """How the tables' change column counts: the periods, ACLED's levels, and the events every
    row's change leaves out (in both periods), which its events column still counts; and what
    a cell of the trend column sums, where it is drawn."""
    g = spark_group(len(t.timeline))
    per = f"{g} {t.unit}s (summed to fit)" if g > 1 else t.unit
    trend_text = f"trend: events per {per} in the period." if trend else ""
    if not t.has_baseline:
        # a baseline before the first year a date may have (`since:1000`) is no period to name
        before = "nothing earlier" if t.baseline.start.year < MIN_YEAR else f"no events in {t.baseline.label()}"
        return f"change: {before} to compare with. {trend_text}".rstrip()
    left = f" {left_out_text(t.change.left_out)} of every change." if t.change.left_out else ""
    return (
        f"change: {t.period.label()} against {t.baseline.label()}, ACLED's levels (above +25% large increase, "
        "above +10% moderate, -25% to +10% limited, below -25% large decrease; 2 events or fewer before and "
        f"5 or fewer now stays limited).{left} {trend_text}"
    ).rstrip()


def who(
    ds: Dataset, t: Trends, theme: ThemeSpec | None, ascii: bool = False, again: Sequence[str] = ()
) -> list[RenderableType]:
    out: list[RenderableType] = [heading("Who", theme)]
    rows = t.table("actor")
    if not rows:
        out.append(note(NO_ACTORS, theme))
        return out
    g, more = counts_table(t, "actor", theme, ascii)
    out.append(g)
    if more:
        out.append(more_rows(more, "actor", theme, again))
    new, n_new = t.new_actors(NEW_ACTORS)
    if new:
        line = Text("First seen in this period: ", style=style_of(theme, "label"))
        for i, (aid, first) in enumerate(new):
            if i:
                line.append("; ")
            line.append_text(safe(ds.actor_name(aid), style_of(theme, "title"), single_line=True))
            line.append(f" ({date_words(first)})", style=style_of(theme, "muted"))
        if n_new > len(new):
            line.append(f"; and {n_new - len(new):,} more")
        out.append(bullets([line]))
    elif t.has_history:
        out.append(note(NONE_NEW, theme))
    return out


def date_words(iso: str) -> str:
    """An ISO date at its own precision in words: `14 Jun 2023`, `Jun 2023`, `2023`."""
    parts = iso.split("-")
    if len(parts) == 1:
        return parts[0]
    month = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return month if len(parts) == 2 else f"{int(parts[2])} {month}"
