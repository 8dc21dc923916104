"""What every subcommand does first: find the data, load it, turn flags into one query."""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from briefing.dataset import Dataset
from briefing.display import counted, flag_words, one_line
from briefing.problems import skipped_text

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.filters import Query
    from briefing.problems import Problem
    from briefing.records import Event

EXIT_BAD_INPUT = 2
EXIT_CANNOT_WRITE = 1  # the system failed us (a full disk, an I/O error), as `cli._os_error` says


class Refused(Exception):
    """Bad input: the command prints these lines to stderr and exits 2, never a traceback."""

    def __init__(self, *lines: str):
        self.lines = lines
        super().__init__("\n".join(lines))


def output_path(args: argparse.Namespace) -> Path | None:
    """`--output`'s file, None for standard output (no `--output`, or `-`).  An empty name is
    refused: `-o "$OUT"` with OUT unset must not print to the terminal and say all went well."""
    from pathlib import Path  # here: a brief, which writes to stdout, never imports pathlib

    output = getattr(args, "output", None)
    if output is None or output == "-":
        return None
    if not output.strip():
        raise Refused("--output: no file name (it is empty or blank); give a file, or - for standard output")
    if output.endswith(("/", os.sep, "/.", "/..")):  # spelt as a folder: not made a file of its name
        raise Refused(f"--output {one_line(output)}: names a folder (it ends in /); give a file name in it")
    return Path(output).expanduser()


def fail(err: Refused, status: int = EXIT_BAD_INPUT) -> int:
    from briefing.display import short

    for line in err.lines:
        print(f"briefing: {short(one_line(line))}", file=sys.stderr)
    return status


class Progress:
    """`loading [###---]  37%  1:05, ~2 min left` on stderr (a terminal) while a load takes
    more than half a second: a first import of a big ACLED export is slow, and silence,
    or a line that stands still, looks like a hang.  So once drawn, the line is drawn again
    every `tick` seconds on a thread of its own, its clock running, even while one long step
    gives the bar nothing new to say.  The time left is the pace so far carried to the end
    (the bar's parts are weighted by their measured times: `stored._READ`...), said once there
    is a pace to go by.

    `poll`, when given, is asked on each tick for (done, total, what): an export counts the
    events it has read (`export.Tally`) and calls the bar once, to start it; `what` follows the
    clock (`412,000 of 1,000,000 events read, pass 2`), and no time left is said, since a format
    may read its events more than once and a pass's pace says nothing of the passes to come."""

    def __init__(
        self,
        clock: Callable[[], float] | None = None,
        tick: float = 1.0,
        doing: str = "loading",
        poll: Callable[[], tuple[int, int, str]] | None = None,
    ) -> None:
        self.prefix = f"briefing: {doing} ["
        self._poll = poll
        self._what = ""
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.tick = tick
        self.drawn = False
        self._at: tuple[int, int] | None = None  # the last (done, total) drawn
        self._lock = threading.Lock()  # one writer at a time: the load's thread or the ticker
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, done: int, total: int, _partial: object = None) -> None:
        if done >= total:
            return
        with self._lock:
            if self._stop.is_set():
                return
            self._at = (done, total)
            if self._due():
                self._draw()
        if self._ticker is None:  # from the first call: a step that says nothing for long
            # (the store's page-by-page check, before the first file) still gets its line
            self._ticker = threading.Thread(target=self._keep_drawing, name="progress", daemon=True)
            self._ticker.start()

    def _due(self) -> bool:
        return self.clock() - self.start >= 0.5

    def _keep_drawing(self) -> None:
        while not self._stop.wait(self.tick):
            with self._lock:
                if self._poll is not None:
                    done, total, self._what = self._poll()
                    self._at = (done, max(1, total))
                if (self.drawn or self._due()) and not self._stop.is_set():
                    try:
                        self._draw()
                    except (OSError, ValueError):  # the terminal went away (a dropped SSH link)
                        return  # the load goes on; its own next write says what is wrong, once

    def _draw(self) -> None:
        if self._at is None:
            return
        done, total = self._at
        spent = self.clock() - self.start
        said = f"{100 * done // total:3d}%  {_clock(spent)}"
        if self._what:
            said += f"  {self._what}"
        elif spent >= 10 and done * 20 >= total and self._poll is None:  # 10 s and 5% in: a pace worth carrying on
            left = spent * (total - done) / done
            said += f", ~{_clock(left) if left < 120 else f'{round(left / 60)} min'} left"
        try:  # one line, or `\r` would redraw only the last of several
            columns = os.get_terminal_size(sys.stderr.fileno()).columns or 80  # 0: a size never set
        except (AttributeError, OSError, ValueError):
            columns = 80
        width = max(0, min(30, columns - len(self.prefix) - 4 - len(said)))
        bar = "#" * (width * done // total) + "-" * (width - width * done // total)
        line = f"{self.prefix}{bar}] {said}"[: max(1, columns - 1)]
        sys.stderr.write(f"\r{line}\x1b[K")
        sys.stderr.flush()
        self.drawn = True

    def clear(self) -> None:
        """The line gone, for good: what the command prints next starts on a clean line."""
        self._stop.set()
        with self._lock:
            if self.drawn:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
                self.drawn = False


def _clock(seconds: float) -> str:
    """0:07, 2:05, 1:02:09."""
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def load(args: argparse.Namespace, every: bool = False) -> Dataset:
    """The dataset named by --data / $BRIEFING_DATA / bundled; raises Refused listing the
    problems (`problem_lines`; every: each of them, as `briefing validate` does)."""
    from briefing.datadir import data_dir
    from briefing.problems import DataError
    from briefing.stored import load as load_dataset

    root = data_dir(getattr(args, "data", None))
    if not os.path.exists(root):
        raise Refused(f"{root}: no such data directory")
    skip = bool(getattr(args, "skip_invalid", False))
    progress = Progress() if sys.stderr.isatty() else None
    try:
        ds = load_dataset(root, skip_invalid=skip, progress=progress)
    except DataError as exc:
        n = len(exc.problems)
        # `validate` loads nothing to show: "nothing loaded" would read as a failure of its own (QA s14)
        then = (
            "fix them and validate again"
            if every
            else "nothing loaded (fix them, or pass --skip-invalid to load the valid records)"
        )
        raise Refused(
            *problem_lines(exc.problems, root, every),
            f"{counted(n, 'problem')} in {root}{_unread(exc.problems)}; {then}",
        ) from None
    finally:  # whatever ends the load (an interrupt too): the line goes, its thread stops
        if progress:
            progress.clear()
    if skip:
        report_skipped(ds, every)
    return ds


def _unread(problems: Sequence[Problem]) -> str:
    """`, 1 file not read (listed first: actors.toml)`: said again on the last line, where a
    long list of the references it leaves failing has scrolled the cause away."""
    from briefing.ledger import REPLACED
    from briefing.problems import show_path

    # a file refused whole, or one not opened at all (a FIFO, a broken link, unreadable): the
    # problems with no line, listed first in this order (`problem_lines`); an export replaced
    # by hand reads well and is refused (QA s13 regression pass: it was said "not read")
    whole = [p for p in problems if p.whole_file or (p.line is None and not p.record_id)]
    out = ""
    for verb, files in (
        ("not read", [p.file for p in whole if not p.message.startswith(REPLACED)]),
        ("refused", [p.file for p in whole if p.message.startswith(REPLACED)]),
    ):
        files = list(dict.fromkeys(files))
        if files:
            named = ", ".join(show_path(f) for f in files[:2]) + (", …" if len(files) > 2 else "")
            out += f", {counted(len(files), 'file')} {verb} (listed first: {named})"
    return out


def report_skipped(ds: Dataset, every: bool = False) -> None:
    """What a load that skipped the invalid records left out, on stderr: its problems
    (`problem_lines`; dangling links are reported though nothing is skipped) and how many."""
    if not (ds.skipped or ds.problems):
        return
    for line in problem_lines(ds.problems, ds.root, every):
        print(f"briefing: {one_line(line)}", file=sys.stderr)
    if ds.skipped:
        print(f"briefing: skipped {skipped_text(ds.skipped, ds.problems)}", file=sys.stderr)


SHOWN = 20  # rows' problems listed before the rest are counted


def problem_lines(problems: Sequence[Problem], root: str | None, every: bool = False) -> list[str]:
    """The problems as lines: each of a folder or a file, the first `SHOWN` of rows (unless
    every), then per file a count of the rest by field, and `overlaps`.  An export with a
    column gone wrong has a problem on every row: thousands of lines, each the same, before
    every brief, scrolling away what the brief says; `briefing validate` lists every one."""
    from briefing.display import command_line
    from briefing.problems import show_path

    validate = command_line(["briefing", "validate", *(flag_words("--data", root) if root else ())])
    # A file's problems (unread, refused whole) first: such a file is the cause of every
    # "unknown …" reference to its records.  Then the records' problems as an editor walks the
    # files, and last the references to records with problems of their own: one bad field of a
    # source is the cause of twenty "… is invalid" lines, and must not be what is left unshown.
    whole = [i for i, p in enumerate(problems) if p.line is None or p.whole_file]
    rows = sorted(
        (i for i, p in enumerate(problems) if p.line is not None and not p.whole_file),
        key=lambda i: (" is invalid (" in problems[i].message, problems[i].sort_key()),
    )
    hidden = set() if every or len(rows) <= SHOWN else set(rows[SHOWN:])
    order = whole + rows
    lines = [str(problems[i]) for i in order if i not in hidden]
    per_file: dict[str, Counter[str]] = {}
    for i in sorted(hidden):
        p = problems[i]
        per_file.setdefault(p.file, Counter())[p.field or p.kind or "other"] += 1
    for file, fields in per_file.items():
        n = sum(fields.values())
        counts = ", ".join(f"{field} {count:,}" for field, count in fields.most_common())
        lines.append(
            f"{show_path(file)}: {counted(n, 'more problem')} not shown ({counts}): `{validate}` lists every one"
        )
    return lines + overlaps(problems)


_ALSO_DEFINED = re.compile(r"duplicate event id; also defined at (.+):(?:\d+|None)")


def overlaps(problems: Iterable[Problem]) -> list[str]:
    """One line per two ACLED exports that share event ids, to follow their rows' problems.
    Last week's export left beside this week's makes every shared row a duplicate (thousands
    of lines, each true), and with --skip-invalid the first file's figures stand: the lines
    alone do not say that, nor what to do."""
    from briefing.problems import show_path

    pairs: Counter[tuple[str, str]] = Counter()
    for p in problems:
        m = _ALSO_DEFINED.fullmatch(p.message) if p.kind == "event" and p.field == "id" else None
        if m and p.file.lower().endswith(".csv") and m.group(1).lower().endswith(".csv"):
            pairs[(show_path(p.file), m.group(1))] += 1
    return [  # file names are text from outside: one_line, as `Problem` cleans them
        one_line(
            f"{later} repeats {counted(n, 'event')} of {first} (its rows stand): two exports of the "
            "same data? Keep one: `briefing sync acled NEW.csv` keeps one export up to date and lists what changed"
        )
        for (later, first), n in pairs.items()
    ]


def query_text(args: argparse.Namespace) -> str:
    """--filter and the shorthand flags as one filter-language string (ANDed)."""
    from briefing.filters import from_flags

    flags = from_flags(
        country=getattr(args, "country", ()) or (),
        actor=getattr(args, "actor", ()) or (),
        type=getattr(args, "type", ()) or (),
        tag=getattr(args, "tag", ()) or (),
        source=getattr(args, "source", ()) or (),
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
        disputed=bool(getattr(args, "disputed", False)),
        search=getattr(args, "search", ()) or (),
    )
    return " ".join(part for part in (getattr(args, "filter", "") or "", flags) if part)


def again_flags(args: argparse.Namespace, query: str) -> tuple[str, ...]:
    """The flags that chose this run's data and events, for a command it names to run next
    (`BriefData.again`): run as named, it reads the same events."""
    from briefing.datadir import named_data

    data = named_data(getattr(args, "data", None))
    compare_to = getattr(args, "compare_to", None)
    return (
        *(flag_words("--data", str(data)) if data else ()),
        *(("--skip-invalid",) if getattr(args, "skip_invalid", False) else ()),
        *(("--filter", query) if query else ()),
        *(("--compare-to", compare_to) if compare_to else ()),
    )


def select(args: argparse.Namespace, ds: Dataset) -> tuple[Query, Sequence[Event]]:
    """(query, matching events); a bad query raises Refused naming the token.  A dataset kept
    in the store (`briefing.stored`) answers with a sequence read from it as it is used: an
    export of a million events streams them, a brief reads the few it lists."""
    from briefing.filters import FilterError, parse

    text = query_text(args)
    try:
        query = parse(text)
        index = getattr(ds, "index", None)
        return query, (index.matches(query) if index is not None else query.apply(ds))
    except FilterError as exc:
        raise Refused(str(exc)) from None
