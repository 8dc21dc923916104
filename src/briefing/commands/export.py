"""`briefing export`: JSON, JSONL, CSV, Markdown or STIX 2.1 of the filtered events, for scripts.

Same filters as `brief` (so the same flags select the same events).  Output goes to stdout,
or with `--output PATH` to a file written atomically; an existing file is replaced only with
`--force` (otherwise exit 2, file untouched).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefing.commands.common import Refused, fail, load, select


def run(args: argparse.Namespace) -> int:
    from briefing.export import Context, writer
    from briefing.export.atomic import TargetExists, check_target, write_atomic

    fmt = getattr(args, "format", None) or "json"
    table = getattr(args, "table", None)
    output = getattr(args, "output", None) or "-"
    force = bool(getattr(args, "force", False))
    path = None if output == "-" else Path(output).expanduser()
    try:
        if table is not None and fmt != "csv":
            raise Refused(f"--table {table}: only --format csv has tables (got --format {fmt})")
        if path is not None:
            try:
                check_target(path, force)
            except OSError as exc:
                raise Refused(str(exc)) from None
        ds = load(args)
        query, events = select(args, ds)
    except Refused as err:
        return fail(err)

    ctx = Context(ds, events, str(query), table or "events")
    write = writer(fmt)
    if path is None:
        write(sys.stdout, ctx)
        sys.stdout.flush()
    else:
        try:
            write_atomic(path, lambda f: write(f, ctx), force=force)
        except TargetExists as exc:  # appeared while we were writing
            return fail(Refused(str(exc)))
        except OSError as exc:
            return fail(Refused(f"{path}: cannot write: {exc.strerror or exc}; nothing was written"))
        n = len(events)
        what = ctx.wrote or f"{n} event{'s' if n != 1 else ''}"  # each format says what it wrote
        print(f"briefing: wrote {what} as {fmt}"
              + (f" ({ctx.table} table)" if fmt == "csv" else "") + f" to {path}", file=sys.stderr)
    if not events:
        from briefing.display import one_line

        print(f"briefing: no events match {one_line(str(query)) or '(no filter; the dataset has no events)'}",
              file=sys.stderr)
    return 0
