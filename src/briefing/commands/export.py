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
    from briefing.display import one_line
    from briefing.export.atomic import TargetExists, target_kind, write_atomic, write_stdout

    fmt = getattr(args, "format", None) or "json"
    table = getattr(args, "table", None)
    output = getattr(args, "output", None) or "-"
    force = bool(getattr(args, "force", False))
    path = None if output == "-" else Path(output).expanduser()
    streaming = False
    try:
        if table is not None and fmt != "csv":
            raise Refused(f"--table {table}: only --format csv has tables (got --format {fmt})")
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
    write = writer(fmt)
    if path is None:
        try:
            write_stdout(lambda f: write(f, ctx))
        except BrokenPipeError:
            raise  # `| head`: the reader left; the CLI ends quietly
        except OSError as exc:
            return fail(Refused(f"standard output: cannot write: {exc.strerror or exc}"))
    else:
        try:
            write_atomic(path, lambda f: write(f, ctx), force=force)
        except TargetExists as exc:  # appeared while we were writing
            return fail(Refused(str(exc)))
        except OSError as exc:
            return fail(Refused(f"{path}: cannot write: {exc.strerror or exc}"
                                + ("" if streaming else "; nothing was written")))
        except UnicodeEncodeError as exc:  # a lone surrogate in a file name or record
            return fail(Refused(f"{path}: cannot write: {exc.reason}; nothing was written"))
        n = len(events)
        print(f"briefing: wrote {n} event{'s' if n != 1 else ''} as {fmt}"
              + (f" ({ctx.table} table)" if fmt == "csv" else "") + f" to {one_line(path)}", file=sys.stderr)
    if not events:
        print(f"briefing: no events match {one_line(str(query)) or '(no filter; the dataset has no events)'}",
              file=sys.stderr)
    return 0
