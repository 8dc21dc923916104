"""`briefing changes [--since DATE] [--format text|json]`: the change ledger that syncs keep.

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


def since_arg(value: str | None, flag: str = "--since") -> str | None:
    """A date flag (2023, 2023-02, 2023-02-06) as the first day it means; Refused otherwise."""
    if value is None:
        return None
    import datetime as dt
    import re

    from briefing.records import date_low

    parts = [int(p) for p in value.split("-")] if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) else None
    try:
        if parts is None:
            raise ValueError
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise Refused(f"{flag} {value!r}: expected a date such as 2023, 2023-02 or 2023-02-06") from None
    return date_low(value)


def changes_section(
    ds: Dataset, query: Query, events: Iterable[Event], since: str, theme: ThemeSpec | None
) -> list[RenderableType]:
    """The brief's "What changed" section for the events a brief shows (with a filter, the
    events it selects, and the removed ones it would select)."""
    from briefing.filters import Query, Term
    from briefing.ledger import LedgerError, baseline_syncs, entries, ledger_path
    from briefing.render.changes import what_changed

    path = ledger_path(ds.root)
    found: list[dict[str, Any]] = []
    if path is not None:
        try:
            found = [entry for _line, entry in entries(path, since_arg(since, "--changes-since"))]
        except LedgerError as exc:
            raise Refused(str(exc)) from None
    wanted = None
    if query and found:  # the ids of the events shown, and of the removed ones the filter selects
        with_removed = Query((*query.terms, Term("removed", ())))
        index = getattr(ds, "index", None)
        if index is not None:  # kept in the store: its index has the ids; no event is read back
            wanted = index.ids(query) | index.ids(with_removed)
        else:
            wanted = {e.id for e in events} | {e.id for e in with_removed.apply(ds)}
    return what_changed(ds, found, since, theme, wanted, baseline_syncs(path), ledger=path is not None)


def run(args: argparse.Namespace) -> int:
    from briefing.datadir import data_dir
    from briefing.display import one_line, safe_json
    from briefing.ledger import (
        CSV_NAME,
        LedgerError,
        baseline_syncs,
        entries,
        is_baseline,
        ledger_path,
        replaced_by_hand,
        replaced_text,
    )
    from briefing.render.changes import baseline_line, entry_line, json_entry
    from briefing.render.console import is_utf, spell_signs

    fmt = getattr(args, "format", None) or "text"
    try:
        since = since_arg(getattr(args, "since", None))
        root = data_dir(getattr(args, "data", None))
        path = ledger_path(root)
        out = sys.stdout
        spell_signs(out)  # `34 → 41` on an ASCII stdout: `34 -> 41`, not a crash
        ascii_json = not is_utf(out)  # JSON's own escapes then, the same data
        if path is None:
            if fmt == "json":
                out.write("[]\n")
            else:
                print(
                    f"no changes recorded: {root} has no sync ledger (`briefing sync acled FILE --data DIR` starts one)"
                )
            return 0
        csv = os.path.join(os.path.dirname(path), CSV_NAME)
        if replaced_by_hand(os.path.dirname(path)):  # what changed since is in no ledger: said (QA s13)
            print(f"briefing: warning: {one_line(csv)}: {one_line(replaced_text(csv))}", file=sys.stderr)
        base = baseline_syncs(path)
        first = True
        pending: list[Any] = []  # [synced_at, additions] of the baseline being counted (text)

        def flush() -> None:
            if pending:
                out.write(baseline_line(pending[0], pending[1], base[pending[0]]) + "\n")
                pending.clear()

        if fmt == "json":
            out.write("[")
        for _line, entry in entries(path, since):
            in_base = is_baseline(entry, base)
            if fmt == "json":
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
        elif first:  # not a word on an empty answer: read as a command that did nothing
            print(f"no changes recorded since {since}" if since else "no changes recorded: the ledger is empty")
        return 0
    except Refused as err:
        return fail(err)
    except LedgerError as exc:
        return fail(Refused(str(exc)))
