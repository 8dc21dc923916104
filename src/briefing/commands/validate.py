"""`briefing validate`: load everything, report every problem, or one `ok:` line with the counts."""

from __future__ import annotations

import argparse

from briefing.commands.common import Refused, fail, load


def run(args: argparse.Namespace) -> int:
    from briefing.compare import compare

    try:
        ds = load(args)
    except Refused as err:
        return fail(err)
    disputes = sum(c.disputed for owner in (*ds.events, *ds.actors) for c in compare(owner.figures))
    c = ds.counts()
    print(f"ok: {c['events']} events, {c['actors']} actors, {c['sources']} sources, "
          f"{c['figures']} figures, {disputes} disputes")
    return 2 if ds.skipped else 0
