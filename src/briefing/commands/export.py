"""`briefing export`: JSON, JSONL, CSV, Markdown or STIX 2.1 of the filtered events, for scripts.

Same filters as `brief` (so the same flags select the same events).  Output goes to stdout,
or with `--output PATH` to a file written atomically; an existing file is replaced only with
`--force` (otherwise exit 2, file untouched).

`--table timeline` and `--table counts --by country|admin1|actor|type|source` (CSV or JSON)
write the analysis the brief opens with (see `export/tables.py`); `--compare-to` picks its
baseline as in the brief.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefing.commands.common import EXIT_CANNOT_WRITE, Refused, again_flags, fail, load, output_path, select
from briefing.display import counted

if TYPE_CHECKING:
    from briefing.export import Context


def run(args: argparse.Namespace) -> int:
    from briefing.display import as_name, one_line, short
    from briefing.export import Context, writer
    from briefing.export.atomic import TargetExists, target_kind, write_atomic, write_stdout

    fmt = getattr(args, "format", None) or "json"
    table = getattr(args, "table", None)
    force = bool(getattr(args, "force", False))
    path: Path | None = None
    by = getattr(args, "by", None)
    analysed = table in ("timeline", "counts")
    streaming = False
    try:
        path = output_path(args)
        if analysed and fmt not in ("csv", "json"):
            raise Refused(f"--table {table}: only --format csv or json (got --format {fmt})")
        if table is not None and not analysed and fmt != "csv":
            raise Refused(f"--table {table}: only --format csv has tables (got --format {fmt})")
        if by is not None and table != "counts":
            raise Refused(f"--by {by}: only with --table counts")
        compare_to = getattr(args, "compare_to", None)
        if compare_to is not None and not analysed and fmt != "md":
            raise Refused(f"--compare-to {compare_to}: only with --format md or --table timeline or counts")
        claims = getattr(args, "claims", None) or "all"
        if claims != "all" and not (table == "figures" or (fmt == "stix" and table is None)):
            raise Refused(f"--claims {claims}: only with --table figures (--format csv) or --format stix")
        if path is not None:
            try:
                streaming = target_kind(path, force) == "stream"
            except OSError as exc:
                raise Refused(str(exc)) from None
        ds = load(args)
        query, events = select(args, ds)
    except Refused as err:
        return fail(err)

    ctx = Context(ds, events, str(query), table or "events")
    ctx.disputed_only = claims == "disputed"
    ctx.again = again_flags(args, str(query))
    if analysed or fmt == "md":  # the trends (a table's, the brief's), worked out here to refuse a bad period
        from briefing.analysis import PeriodError, for_query

        try:
            ctx.trends = for_query(ds, query, events, getattr(args, "compare_to", None) or "previous")
        except PeriodError as exc:
            return fail(Refused(str(exc)))
    write: Callable[[TextIO, Context], None]
    if analysed:
        from briefing.export import tables

        trends = ctx.trends  # None: no event selected, no period (an empty table, not an error)
        assert table is not None  # analysed: "timeline" or "counts"

        def write_table(out: TextIO, ctx: Context) -> None:
            tables.write(out, ctx, fmt, trends, table, by or "country")

        write = write_table
    else:
        write = writer(fmt)
    if not analysed and fmt != "md" and _watched(path, streaming):
        # a bar on the terminal while a big export is written elsewhere: a big export is not
        # quick, and a silent terminal looks like a hang (not the tables or the Markdown
        # brief: they are worked out before a byte is written, in short passes)
        write = _with_bar(write, ctx)
    if path is None:
        try:
            write_stdout(lambda f: write(f, ctx))
        except BrokenPipeError:
            raise  # `| head`: the reader left; the CLI ends quietly
        except OSError as exc:
            return fail(Refused(f"standard output: cannot write: {exc.strerror or exc}"), EXIT_CANNOT_WRITE)
    else:
        try:
            write_atomic(path, lambda f: write(f, ctx), force=force)
        except BrokenPipeError:
            raise  # `-o /dev/stdout | head`, a FIFO's reader gone: as on standard output
        except TargetExists as exc:  # appeared while we were writing
            return fail(Refused(str(exc)))
        except OSError as exc:
            return fail(
                Refused(
                    f"{path}: cannot write: {exc.strerror or exc}" + ("" if streaming else "; nothing was written")
                ),
                EXIT_CANNOT_WRITE,
            )
        except UnicodeEncodeError as exc:  # a lone surrogate in a file name or record
            return fail(Refused(f"{path}: cannot write: {exc.reason}; nothing was written"))
        n = len(events)
        what = ctx.wrote or counted(n, "event")  # each format says what it wrote
        print(
            f"briefing: wrote {what}"
            + ("" if fmt == "stix" else f" as {fmt}")  # STIX's own words say the format
            + (f" ({ctx.table} table)" if fmt == "csv" or analysed else "")
            + f" to {as_name(str(path))}",
            file=sys.stderr,
        )
    from briefing.filters import empty_hint, match_notes, no_filter_text

    hint = "; ".join(match_notes(query, ds)) if events else empty_hint(query, ds)
    if not events:
        print(
            short(
                f"briefing: no events match {one_line(str(query)) or no_filter_text(ds)}"
                + (f" ({one_line(hint)})" if hint else "")
            ),
            file=sys.stderr,
        )
    elif hint:  # a misspelt country beside a good one, removed events a `changed:` leaves out
        print(short(f"briefing: note: {one_line(hint)}"), file=sys.stderr)
    return 0


def _watched(path: Path | None, streaming: bool) -> bool:
    """Whether a person watches a terminal on stderr while the export is written to a file
    (`-o FILE`, `> x.json`).  Not into a pipe: its reader may be drawing on that terminal too
    (`| less`: the bar sat over the pager's last line, stuck while the pager waited)."""
    if not sys.stderr.isatty():
        return False
    if path is None:
        import os
        import stat

        try:
            return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
        except (AttributeError, OSError, ValueError):  # no descriptor (a test's StringIO)
            return False
    return not streaming


def _with_bar(write: Callable[[TextIO, Context], None], ctx: Context) -> Callable[[TextIO, Context], None]:
    """`write`, with a bar on stderr saying how many of the events it has read, and in which
    pass (JSON of a selection reads them twice); the line goes when the writing ends, however
    it ends, before a word is said of it."""
    from briefing.commands.common import Progress
    from briefing.export import Tally

    tally = Tally(ctx.events)
    ctx.events = tally

    def read() -> tuple[int, int, str]:
        again = f", pass {tally.passes}" if tally.passes > 1 else ""
        return tally.read, len(tally), f"{tally.read:,} of {len(tally):,} events read{again}"

    def written(out: TextIO, ctx: Context) -> None:
        import signal
        import threading

        def ended(_signum: int, _frame: object) -> None:
            raise SystemExit(143)  # `kill`: the line and the unfinished file go, as on ctrl-c

        bar = Progress(doing="exporting", poll=read)
        bar(0, len(tally))
        before = signal.signal(signal.SIGTERM, ended) if threading.current_thread() is threading.main_thread() else None
        try:
            write(out, ctx)
        finally:
            bar.clear()
            if before is not None:
                signal.signal(signal.SIGTERM, before)

    return written
