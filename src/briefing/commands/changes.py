"""`briefing changes [--since WHEN] [--until WHEN] [-f QUERY] [--format text|json|csv] [-o PATH]`:
the change ledger that syncs keep.  `-o` writes a file as `export -o` does: whole or not at
all, an existing file kept without `--force`.

JSON is a list of `{"kind", "id", "synced_at"}` objects, with `fields` (name → [old, new])
for a revision and `late` for an addition (`baseline: true` for an addition of the baseline,
`restored: true` and `removed_at` for an event put back after a removal); written entry by
entry, since a first sync of a large export records every row as added.  The text lists the
baseline (the additions of a sync with no earlier export, `ledger.baseline_syncs`) in one
line instead of a line per event: they are the data's starting point, not changes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from briefing.commands.common import Refused, fail

if TYPE_CHECKING:
    from rich.console import RenderableType

    from briefing.dataset import Dataset
    from briefing.filters import Query
    from briefing.records import Event
    from briefing.themes import ThemeSpec


def since_arg(value: str | None, flag: str = "--since", end: bool = False) -> str | None:
    """A date flag (2023, 2023-02, 2023-02-06) as the first day it means, or a sync's own time
    (`2023-02-06T09:00:00Z`, as `briefing changes` prints it; to the minute, or with an offset:
    `ledger.sync_moment`), to tell two syncs of one day apart (QA s15, s16); Refused otherwise.
    `end`: a time to the minute is its last second."""
    if value is None:
        return None
    import datetime as dt
    import re

    from briefing.ledger import sync_moment
    from briefing.records import date_low

    try:
        at = sync_moment(value, end)
    except ValueError:
        raise Refused(f"{flag} {value!r}: no such time") from None
    if at is not None:
        return at
    parts = [int(p) for p in value.split("-")] if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) else None
    try:
        if parts is None:
            raise ValueError
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        said = "a date such as 2023, 2023-02 or 2023-02-06 or a sync's time"
        raise Refused(f"{flag} {value!r}: expected {said}") from None
    return date_low(value)


def until_arg(value: str | None) -> str | None:
    """`--until`: the last moment it means, to compare with a sync's time (`2023-02` is up to
    the end of February; a time is itself)."""
    first = since_arg(value, "--until", end=True)
    if first is None or "T" in first:
        return first
    from briefing.records import date_high

    return date_high(value or "") + "T23:59:59Z"


def _filtered(args: argparse.Namespace) -> set[str]:
    """`--filter`: the ids of the events it selects and of the removed ones it would select
    (the data loaded as every command loads it)."""
    from briefing.commands.common import load
    from briefing.filters import FilterError, parse

    try:
        query = parse(args.filter)
        return wanted_ids(load(args), query)
    except FilterError as exc:  # as `brief` and `export` say it
        raise Refused(str(exc)) from None


def wanted_ids(ds: Dataset, query: Query, events: Iterable[Event] | None = None) -> set[str]:
    """The ids of the events a filter selects, and of the removed ones it would select: the
    changes shown for a filter (a removal is a change of an event the filter names).  From a
    view's index when there is one: no event is read back."""
    from briefing.filters import Query, Term

    with_removed = Query((*query.terms, Term("removed", ())))
    index = getattr(ds, "index", None)
    if index is not None:  # kept in the store: its index has the ids; no event is read back
        return set(index.ids(query)) | set(index.ids(with_removed))
    chosen = query.apply(ds) if events is None else events
    return {e.id for e in chosen} | {e.id for e in with_removed.apply(ds)}


def changes_section(
    ds: Dataset, query: Query, events: Iterable[Event], since: str, theme: ThemeSpec | None
) -> list[RenderableType]:
    """The brief's "What changed" section for the events a brief shows (with a filter, the
    events it selects, and the removed ones it would select)."""
    from briefing.ledger import LedgerError, baseline_syncs, entries, ledger_path
    from briefing.render.changes import what_changed

    path = ledger_path(ds.root)
    found: list[dict[str, Any]] = []
    if path is not None:
        try:
            found = [entry for _line, entry in entries(path, since_arg(since, "--changes-since"))]
        except LedgerError as exc:
            raise Refused(str(exc)) from None
    wanted = wanted_ids(ds, query, events) if query and found else None
    return what_changed(ds, found, since, theme, wanted, baseline_syncs(path), ledger=path is not None)


def run(args: argparse.Namespace) -> int:
    from briefing.commands.common import EXIT_CANNOT_WRITE, output_path
    from briefing.datadir import data_dir
    from briefing.display import as_name, counted, one_line, safe_json
    from briefing.ledger import (
        CSV_NAME,
        LedgerError,
        baseline_syncs,
        check,
        entries,
        is_baseline,
        ledger_path,
        missing_export,
        replaced_by_hand,
        replaced_text,
    )
    from briefing.render.changes import CSV_COLUMNS, baseline_line, csv_rows, entry_line, json_entry
    from briefing.render.console import is_utf, spell_signs

    fmt = getattr(args, "format", None) or "text"
    force = bool(getattr(args, "force", False))
    written = [0, 0]  # the ledger's entries written: changes, and additions of a baseline
    try:
        since = since_arg(getattr(args, "since", None))
        until = until_arg(getattr(args, "until", None))
        if since and until and since > until:  # as the filter refuses `since:2020 until:2019` (QA s16)
            raise Refused(f"--since {getattr(args, 'since', '')} is after --until {getattr(args, 'until', '')}")
        target = output_path(args)
        if target is not None:
            from briefing.export.atomic import target_kind

            try:
                target_kind(target, force)  # refused before the ledger is read: a folder, a file there
            except OSError as exc:
                raise Refused(str(exc)) from None
        root = data_dir(getattr(args, "data", None))
        if not os.path.exists(root):  # a typo in a cron line: not "no changes" (QA s16)
            raise Refused(f"{root}: no such data directory")
        if not os.path.isdir(root):  # the export given where the folder goes
            raise Refused(f"{root}: not a data directory (a file; --data names the folder the sync keeps)")
        path = ledger_path(root)
        # the data loaded for a filter only when there is a ledger to read
        wanted = _filtered(args) if path is not None and getattr(args, "filter", None) is not None else None
        csv = os.path.join(os.path.dirname(path), CSV_NAME) if path is not None else ""
        if path is not None and (gone := missing_export(root)):  # every read refuses; the ledger is still true (QA s16)
            print(f"briefing: warning: {one_line(csv)}: {one_line(gone)}", file=sys.stderr)
        elif path is not None and replaced_by_hand(
            os.path.dirname(path)
        ):  # what changed since is in no ledger (QA s13)
            print(f"briefing: warning: {one_line(csv)}: {one_line(replaced_text(csv))}", file=sys.stderr)
        base = baseline_syncs(path) if path is not None else {}
        if path is not None and target is None:  # a broken line said before a byte reaches stdout (QA s16);
            check(path, since)  # a file is written whole or not at all (`write_atomic`): no read beforehand
    except Refused as err:
        return fail(err)
    except LedgerError as exc:
        return fail(Refused(str(exc)))

    def write(out: Any) -> None:
        """The ledger's entries in `fmt` on `out`: standard output, or the file of `-o`."""
        spell_signs(out)  # `34 → 41` on an ASCII stdout: `34 -> 41`, not a crash
        ascii_json = not is_utf(out)  # JSON's own escapes then, the same data
        if path is None:
            if fmt == "json":
                out.write("[]\n")
            elif fmt == "csv":
                out.write(",".join(CSV_COLUMNS) + "\r\n")
            else:
                out.write(
                    f"no changes recorded: {root} has no sync ledger (`briefing sync acled FILE --data DIR` starts one)\n"
                )
            return
        first = True
        pending: list[Any] = []  # [synced_at, additions] of the baseline being counted (text)

        def flush() -> None:
            if pending:
                out.write(baseline_line(pending[0], pending[1], base[pending[0]]) + "\n")
                pending.clear()

        if fmt == "json":
            out.write("[")
        table = None
        if fmt == "csv":
            import csv as csv_module

            from briefing.display import clean
            from briefing.export.csv import neutralise

            table = csv_module.writer(out)
            table.writerow(CSV_COLUMNS)
        for _line, entry in entries(path, since):
            if until is not None and str(entry.get("synced_at", "")) > until:
                continue
            if wanted is not None and entry["id"] not in wanted:
                continue
            in_base = is_baseline(entry, base)
            written[in_base] += 1
            if table is not None:  # a spreadsheet's cells: never run as a formula, no control byte
                for row in csv_rows(entry, in_base):
                    table.writerow([neutralise(clean(v) if isinstance(v, str) else v) for v in row])
            elif fmt == "json":
                text = json.dumps(json_entry(entry, in_base), ensure_ascii=ascii_json)
                out.write(("\n" if first else ",\n") + safe_json(text))
            elif in_base:  # one line for the baseline, said when its run of additions ends
                at = str(entry.get("synced_at", ""))
                if pending and pending[0] != at:
                    flush()
                if not pending:
                    pending[:] = [at, 0]
                pending[1] += 1
            else:
                flush()
                out.write(entry_line(entry) + "\n")
            first = False
        flush()
        if fmt == "json":
            out.write("\n]\n" if not first else "]\n")
        elif first and fmt == "text":  # not a word on an empty answer: read as a command that did nothing
            out.write(
                (f"no changes recorded since {since}" if since else "no changes recorded: the ledger is empty") + "\n"
            )

    try:
        if target is None:
            write(sys.stdout)
            return 0
        from briefing.export.atomic import TargetExists, write_atomic

        try:
            write_atomic(target, write, force=force)
        except TargetExists as exc:  # appeared while the ledger was read
            return fail(Refused(str(exc)))
        except OSError as exc:
            return fail(
                Refused(f"{target}: cannot write: {exc.strerror or exc}; nothing was written"), EXIT_CANNOT_WRITE
            )
    except LedgerError as exc:  # a broken line met while writing: a file is then not written
        return fail(Refused(str(exc)))
    base_note = f" and a baseline of {counted(written[1], 'event')}" if written[1] else ""
    print(
        f"briefing: wrote {counted(written[0], 'change')}{base_note} as {fmt} to {as_name(str(target))}",
        file=sys.stderr,
    )
    return 0
