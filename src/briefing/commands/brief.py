"""`briefing brief`: a brief on stdout an analyst can paste into a daily report.

The fast path: Rich's console, table and text, the records, and nothing else that is heavy —
no Textual, no rich.markdown, and no pydantic from this module (the loader's parsing still
needs pydantic until a warm cache skips it).  `python bench/bench_brief.py` measures it.

The brief opens with the analysis (`briefing.analysis`): the period is the filter's dates
(`since:`/`until:`), else the selection's span in whole months; `--compare-to previous|year`
picks the baseline the change is measured against; `--ascii` draws the chart without block
characters (also chosen when stdout's encoding cannot show them).

`--actor` is the shared filter flag ("events involving this actor"); in a brief it also opens
with that actor's full profile.  `--event ID` shows one event in full.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from briefing.commands.common import Refused, again_flags, fail, load, select

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.themes import ThemeSpec


def _theme(args: argparse.Namespace, plain: bool = False) -> ThemeSpec | None:
    """The theme; on a plain console styles are never drawn, so none is read unless asked for
    (an explicit `--theme` is still checked, so a typo is an error everywhere)."""
    if plain and getattr(args, "theme", None) is None:
        return None
    from briefing.themes import ThemeError, load_noted

    try:
        spec, note = load_noted(getattr(args, "theme", None))
    except ThemeError as exc:
        raise Refused(str(exc)) from None
    if note:  # the config's theme gone: said as the TUI says it (QA s18)
        from briefing.display import one_line

        print(f"briefing: warning: {one_line(note)}", file=sys.stderr)
    return spec


def _width(args: argparse.Namespace) -> int | None:
    from briefing.render.console import MAX_WIDTH, MIN_WIDTH

    width = getattr(args, "width", None)
    if width is not None and not MIN_WIDTH <= width <= MAX_WIDTH:
        raise Refused(f"--width {width}: give a width from {MIN_WIDTH} to {MAX_WIDTH} columns")
    return width


def unknown_event(ds: Dataset, event_id: str) -> Refused:
    import difflib

    close = difflib.get_close_matches(event_id, ds.ids_near(event_id), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `briefing export --format jsonl` lists the ids"
    return Refused(f"--event {event_id!r}: no event has this id{hint}")


def run(args: argparse.Namespace) -> int:
    from briefing.render.console import make_console

    try:
        width = _width(args)
        console = make_console(getattr(args, "color", None) or "auto", width)
        theme = _theme(args, plain=console.color_system is None)
        changes_since = getattr(args, "changes_since", None)
        if changes_since:
            from briefing.commands.changes import since_arg

            since_arg(changes_since, "--changes-since")
        ds = load(args)
        query, events = select(args, ds)
        event_id = getattr(args, "event", None)
        event = None
        if event_id is not None:
            event = ds.event(event_id)
            if event is None:
                raise unknown_event(ds, event_id)
    except Refused as err:
        return fail(err)

    from rich.console import Group

    if event is not None:
        from briefing.render.event import event_detail

        console.print(event_detail(ds, event, theme))
        console.file.flush()
        return 0
    if not events:
        from briefing.display import one_line, short
        from briefing.filters import empty_hint, no_filter_text

        shown = str(query) if query else no_filter_text(ds)
        hint = empty_hint(query, ds)
        said = short(f"no events match {one_line(shown)}" + (f" ({one_line(hint)})" if hint else ""))
        print(said)
        if not sys.stdout.isatty():  # as `export` says it: a script need not parse the brief (QA s16)
            print(f"briefing: {said}", file=sys.stderr)  # (not twice on one terminal)
        return 0

    from briefing.filters import unknown_countries

    if note := unknown_countries(query, ds):  # a misspelt country beside a good one
        from briefing.display import one_line, short

        print(short(f"briefing: note: {one_line(note)}"), file=sys.stderr)
    from briefing.filters import removed_hidden, removed_left_out
    from briefing.render.brief import brief
    from briefing.render.trends import blocks_ok
    from briefing.summary import gather, only_actors, profile_actors

    data = gather(ds, events, str(query), profiles=profile_actors(ds, query), selection=query)
    data.again = again_flags(args, str(query))
    data.profiles_listed = only_actors(query)
    data.removed_also = removed_left_out(query, ds)
    data.removed_hidden = removed_hidden(query, ds)
    from briefing.analysis import PeriodError, for_query

    try:
        trends = for_query(ds, query, events, getattr(args, "compare_to", None) or "previous")
    except PeriodError as exc:
        return fail(Refused(str(exc)))
    ascii = bool(getattr(args, "ascii", False)) or not blocks_ok(console.file)
    parts = brief(ds, data, theme, trends, ascii=ascii)
    if changes_since:  # "What changed" (briefing.render.changes), after the rest
        from briefing.commands.changes import changes_section

        try:
            parts += changes_section(ds, query, events, changes_since, theme)
        except Refused as err:  # a ledger line that is no entry (loaded with --skip-invalid)
            return fail(err)
    console.print(Group(*parts), crop=False)  # a command note runs past the width whole (`Whole`)
    console.file.flush()
    return 0
