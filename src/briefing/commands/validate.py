"""`briefing validate`: load everything, report every problem, or one `ok:` line with the counts."""

from __future__ import annotations

import argparse

from briefing.commands.common import Refused, fail, load


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
    print(
        f"ok: {c['events']} events, {c['actors']} actors, {c['sources']} sources, "
        f"{c['figures']} figures, {disputes} disputes"
    )
    return 2 if ds.skipped else 0
