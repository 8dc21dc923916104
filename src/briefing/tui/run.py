"""`briefing` with no subcommand: load the data, resolve the theme, run the browser.

Bad input (data that does not validate, an unknown `--theme`, a filter that does not parse,
no terminal) is refused in one line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from briefing.commands.common import Refused, fail, load, query_text
    from briefing.display import one_line
    from briefing.themes import ThemeError
    from briefing.themes import load as load_theme

    try:
        spec = load_theme(getattr(args, "theme", None))
    except ThemeError as exc:
        print(f"briefing: {one_line(exc)}", file=sys.stderr)
        return 2
    try:
        ds = load(args)
        query = query_text(args)
        if query:
            from briefing.filters import FilterError, parse

            try:
                parse(query).matcher(ds)
            except FilterError as exc:
                raise Refused(str(exc)) from None
    except Refused as exc:
        return fail(exc)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("briefing: the interactive browser needs a terminal; for a pipe use `briefing brief` "
              "or `briefing export`", file=sys.stderr)
        return 2

    from briefing.tui.app import make_app

    app = make_app(ds, theme=spec, query=query, data_arg=getattr(args, "data", None))
    app.run()
    return app.return_code or 0
