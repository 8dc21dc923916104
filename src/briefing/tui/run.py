"""`briefing` with no subcommand: load the data, resolve the theme, run the browser.

Bad input (data that does not validate, an unknown `--theme`, a filter that does not parse,
no terminal) is refused in one line on stderr with exit status 2, never a traceback.

When the store holds a problem-free load of exactly the files there are now, and more
events than a first page, the browser starts on the store's first page (`store.first_page`:
the newest few hundred events, one indexed query) and loads the rest in a worker thread, the
header saying so; those files were valid when stored and have not changed since, so nothing
can be refused after the first frame.  Otherwise (first run, edited files, BRIEFING_NO_CACHE,
a `--filter` to check against the actors) everything loads first.
"""

from __future__ import annotations

import argparse
import sys


def _first_page(args: argparse.Namespace):
    """(first page or None, whole dataset or None, loader for the rest); None, None, None on
    any trouble, so that the usual load reports it."""
    import os

    if os.environ.get("BRIEFING_NO_CACHE"):
        return None, None, None
    from briefing.datadir import data_dir
    from briefing.store import first_page
    from briefing.stored import load as load_dataset, open_view

    root = data_dir(getattr(args, "data", None))
    if not os.path.exists(root):
        return None, None, None
    skip = bool(getattr(args, "skip_invalid", False))
    view = open_view(root, skip)  # a big dataset kept whole in the store: nothing more to load
    if view is not None:
        return None, view, None
    page = first_page(root)
    if page is not None:
        return page, None, (lambda progress: load_dataset(root, skip_invalid=skip, progress=progress, view_tried=True))
    from briefing.commands.common import Progress

    progress = Progress() if sys.stderr.isatty() else None  # a first import takes a while: say so
    try:
        ds = load_dataset(root, skip_invalid=skip, progress=progress, view_tried=True)
    except Exception:  # noqa: BLE001 - the usual load below says what is wrong
        return None, None, None
    finally:
        if progress is not None:
            progress.clear()
    return None, ds, None


def run(args: argparse.Namespace) -> int:
    from briefing.commands.common import Refused, fail, load, query_text, report_skipped
    from briefing.display import one_line
    from briefing.themes import ThemeError, load_noted

    try:
        spec, theme_note = load_noted(getattr(args, "theme", None))
        from briefing.tui.theming import check, check_user_themes

        check(spec)
        check_user_themes()  # a broken user theme: one line naming file and key, exit 2
        from briefing.tui.keys import user_keymap

        user_keymap()  # likewise a bad [keys] table in the config file
    except ThemeError as exc:
        print(f"briefing: {one_line(exc)}", file=sys.stderr)
        return 2
    loader = None
    try:
        query = query_text(args)
        ds = None
        if not query:  # a query is checked against the actors, which the first page lacks
            page, ds, loader = _first_page(args)
            if page is not None:
                ds = page
            if ds is not None and getattr(args, "skip_invalid", False):
                report_skipped(ds)
        if ds is None:
            ds = load(args)
        if query:
            from briefing.filters import FilterError, parse

            try:
                parse(query).matcher(ds)
            except FilterError as exc:
                raise Refused(str(exc)) from None
    except Refused as exc:
        return fail(exc)
    from briefing.tui.terminal import refusal

    if (why := refusal()) is not None:  # no terminal, or TERM=dumb
        print(f"briefing: {why}", file=sys.stderr)
        return 2

    from briefing.datadir import named_data
    from briefing.tui.app import make_app

    app = make_app(
        ds,
        theme=spec,
        theme_note=theme_note,
        query=query,
        data_arg=named_data(getattr(args, "data", None)),
        skip_invalid=bool(getattr(args, "skip_invalid", False)),
        loader=loader,
    )
    app.run()
    close = getattr(app.ds, "close", None)  # a view's session: its hold on the store let go
    if close is not None:
        close()
    if app.load_error:
        for line in app.load_error:
            print(f"briefing: {one_line(line)}", file=sys.stderr)
        return 2
    return app.return_code or 0
