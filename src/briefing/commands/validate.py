"""`briefing validate`: load everything, report every problem, or one `ok:` line with the counts
(`valid:` with --skip-invalid when records were skipped)."""

from __future__ import annotations

import argparse

from briefing.commands.common import Refused, fail, load
from briefing.display import counted


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
    disputes = ds.disputes()
    counts = [(c["events"], "event"), (c["actors"], "actor"), (c["sources"], "source"), (c["figures"], "figure")]
    said = ", ".join(counted(n, noun) for n, noun in [*counts, (disputes, "dispute")])
    if not ds.skipped:
        print(f"ok: {said}")
        return 0
    from briefing.problems import skipped_text

    print(f"valid: {said} ({skipped_text(ds.skipped, ds.problems)} skipped)")  # not "ok": some were not
    return 2
