"""`briefing validate`: load everything, report every problem, or one `ok:` line with the counts
(`valid:` with --skip-invalid when records were skipped)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from briefing.commands.common import Refused, fail, load
from briefing.display import counted

if TYPE_CHECKING:
    from briefing.dataset import Dataset


def run(args: argparse.Namespace) -> int:
    try:
        ds = load(args, every=True)
    except Refused as err:
        return fail(err)
    c = ds.counts()
    if not (c["events"] or c["actors"] or c["sources"]):  # nothing checked is not "ok"
        from briefing.datadir import data_dir

        return fail(
            Refused(
                f"{data_dir(getattr(args, 'data', None))}: no records found "
                "(record files are *.toml, or ACLED *.csv exports)"
            )
        )
    _future_note(ds, args)
    disputes = ds.disputes()
    counts = [(c["events"], "event"), (c["actors"], "actor"), (c["sources"], "source"), (c["figures"], "figure")]
    said = ", ".join(counted(n, noun) for n, noun in [*counts, (disputes, "dispute")])
    if not ds.skipped:
        print(f"ok: {said}")
        return 0
    from briefing.problems import skipped_text

    print(f"valid: {said} ({skipped_text(ds.skipped, ds.problems)} skipped)")  # not "ok": some were not
    return 2


def _future_note(ds: Dataset, args: argparse.Namespace) -> None:
    """A note (stderr; the data is still valid) when events are dated from next month on: a
    typo (`2099`), as a record cannot report what has not happened yet.  Asked as a filter
    (`since:` the first of next month), of the store's index when there is one."""
    import datetime as dt

    from briefing.commands.common import again_flags
    from briefing.display import command_line
    from briefing.filters import parse

    first = (dt.date.today().replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    query = parse(f"since:{first.isoformat()}")
    index = getattr(ds, "index", None)
    n = index.count(query) if index is not None else len(query.apply(ds))
    if n:
        lists = command_line(["briefing", "export", "--format", "jsonl", *again_flags(args, str(query))])
        print(
            f"note: {counted(n, 'event')} dated {first:%b %Y} or later, after today (a typo?): "
            f"`{lists}` lists {'it' if n == 1 else 'them'}",
            file=sys.stderr,
        )
