"""What every subcommand does first: find the data, load it, turn flags into one query."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefing.dataset import Dataset
from briefing.display import one_line

if TYPE_CHECKING:
    from briefing.filters import Query
    from briefing.records import Event

EXIT_BAD_INPUT = 2


class Refused(Exception):
    """Bad input: the command prints these lines to stderr and exits 2, never a traceback."""

    def __init__(self, *lines: str):
        self.lines = lines
        super().__init__("\n".join(lines))


def fail(err: Refused) -> int:
    for line in err.lines:
        print(f"briefing: {one_line(line)}", file=sys.stderr)
    return EXIT_BAD_INPUT


class Progress:
    """`loading 37%` on stderr (a terminal) while a load takes more than half a second: a
    first import of a big ACLED export takes a while, and silence looks like a hang."""

    def __init__(self) -> None:
        import time

        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int, _partial: object = None) -> None:
        import time

        if time.monotonic() - self.start < 0.5 or done >= total:
            return
        width = 30
        bar = "#" * (width * done // total) + "-" * (width - width * done // total)
        sys.stderr.write(f"\rbriefing: loading [{bar}] {100 * done // total:3d}%")
        sys.stderr.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.drawn = False


def load(args: argparse.Namespace) -> Dataset:
    """The dataset named by --data / $BRIEFING_DATA / bundled; raises Refused listing every problem."""
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
        if progress:
            progress.clear()
        n = len(exc.problems)
        raise Refused(
            *exc.lines(),
            f"{n} problem{'s' if n != 1 else ''} in {root}; nothing loaded "
            "(fix them, or pass --skip-invalid to load the valid records)",
        ) from None
    if progress:
        progress.clear()
    if skip and (ds.skipped or ds.problems):  # dangling links are reported though nothing is skipped
        for p in ds.problems:
            print(f"briefing: {p}", file=sys.stderr)
        if ds.skipped:
            print(f"briefing: skipped {ds.skipped} invalid record{'s' if ds.skipped != 1 else ''}", file=sys.stderr)
    return ds


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
