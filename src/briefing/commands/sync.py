"""`briefing sync acled FILE [--data DIR]`: merge a newer ACLED export, recording what changed.

The work is `briefing.ledger.sync`; this prints its summary (counts per kind, the ten
largest fatality revisions, what fell outside the scopes) and turns refusals into one line
and exit 2.  The data directory must be named (`--data` or `$BRIEFING_DATA`): a sync never
writes into the bundled dataset.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from briefing.commands.common import Progress, Refused, fail
from briefing.display import counted, one_line

if TYPE_CHECKING:
    import sqlite3

    from briefing.acled_sync import Summary


def _data_dir(args: argparse.Namespace) -> str:
    from briefing.datadir import data_dir

    if not getattr(args, "data", None) and not os.environ.get("BRIEFING_DATA"):
        raise Refused("sync: name the data directory to sync into with --data DIR (or set BRIEFING_DATA)")
    return data_dir(getattr(args, "data", None))


def _fatal(v: object) -> str:
    return "NA" if v is None else one_line(str(v))


def report(summary: Summary, target: str, export: str) -> tuple[list[str], list[str]]:
    """The summary as lines of plain text, and its warnings apart (stderr's, with every
    command's: a full stdout must not lose them; QA s16)."""
    if not summary.written:
        return [f"no changes: {one_line(target)} already holds what {one_line(export)} says (nothing recorded)"], []
    warnings = []
    if summary.replaced:
        warnings.append(
            f"{one_line(target)}/acled.csv was replaced outside `briefing sync` since the last sync "
            "(it is not the file that sync left): what changed between the two is not in the ledger, and this "
            "sync compared the export with the file as found"
        )
    lines = [
        f"synced {one_line(export)} into {one_line(target)} at {summary.synced_at}: {counted(summary.rows, 'row')}"
        + (
            " (first sync, nothing earlier to compare with: its rows are the baseline, not changes)"
            if summary.first
            else ""
        )
    ]
    notes = []
    if summary.late:
        notes.append(f"{summary.late:,} late: dated before the previous data's newest event")
    if summary.restored:
        notes.append(f"{summary.restored:,} restored: removed by an earlier export, back in this one")
    lines.append(f"  added    {summary.added:>8,}" + (f" ({'; '.join(notes)})" if notes else ""))
    lines.append(f"  revised  {summary.revised:>8,}")
    lines.append(f"  removed  {summary.removed:>8,}")
    if summary.touched:
        lines.append(f"  {counted(summary.touched, 'row')} changed only ACLED's timestamp: updated, not recorded")
    if summary.outside_previous_scope:
        where = ", ".join(one_line(c) for c in summary.new_countries)
        lines.append(
            f"  {summary.outside_previous_scope:,} added events fall outside the previous scope "
            f"(countries not covered before: {where})"
        )
    if summary.kept_outside_scope:
        lines.append(
            f"  {summary.kept_outside_scope:,} stored events fall outside this export's scope "
            "(its countries and dates): kept as they were, not removed"
        )
    if summary.unchecked:
        warnings.append(
            f"{counted(summary.unchecked, 'changed row')} with no timestamp (blank, or no number): "
            "not checked for going back in time"
        )
    if summary.removed_after:
        warnings.append(
            f"{counted(summary.removed_after, 'removed event')} ACLED changed after every row of this "
            "export: is it an older export? Syncing the newer one again restores them"
        )
    if summary.largest:
        lines.append("largest fatality revisions:")
        for r in summary.largest:
            lines.append(f"  {one_line(r.id)}  {_fatal(r.old)} -> {_fatal(r.new)}")
    if summary.withdrawn:
        lines.append(
            f"fatality counts withdrawn (a number, now NA: unknown, not zero): {summary.withdrawn:,}"
            + ("; the highest:" if summary.withdrawn > 1 else ":")
        )
        for r in summary.largest_withdrawn:
            lines.append(f"  {one_line(r.id)}  {_fatal(r.old)} -> {_fatal(r.new)}")
    if summary.given:
        lines.append(f"fatality counts given where there was none (NA, now a number): {summary.given:,}")
    return lines, warnings


def _syncs(root: str) -> list[dict[str, Any]]:
    """The records of `root`'s `syncs.jsonl`: one more after an interrupt than before the sync
    means the sync was recorded (a sync's time alone could be the last one's)."""
    from briefing.acled_sync import acled_dir
    from briefing.ledger import sync_log

    return sync_log(acled_dir(root))


class _Terminated(Exception):
    """SIGTERM, raised where the sync is, so that its clean-up runs."""


def _terminated(_signum: int, _frame: object) -> None:
    raise _Terminated


def run(args: argparse.Namespace) -> int:
    import signal
    import sqlite3

    from briefing.acled_sync import SyncRefused, acled_dir, sync

    progress = Progress(doing="syncing") if sys.stderr.isatty() else None
    root = ""
    before = -1  # the syncs recorded before this one: more after an interrupt means it was recorded
    # `kill` (SIGTERM) ends the sync as ctrl-c does: through its clean-up, which takes the
    # staging folder away (by default the process died and left it, up to a copy of the export,
    # in the data directory until the next sync); and each says that nothing changed.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        root = _data_dir(args)
        before = len(_syncs(root))
        try:
            summary = sync(root, args.file, progress=progress, older=getattr(args, "older", False))
        finally:  # whatever ends the sync (an interrupt too): the line goes before anything is said
            if progress is not None:
                progress.clear()
    except (KeyboardInterrupt, _Terminated) as exc:
        after = _syncs(root) if before >= 0 else []
        if len(after) > before >= 0:  # the interrupt came once the new data was in place (QA s16)
            from briefing.display import command_line

            now = one_line(str(after[-1].get("synced_at", "")))  # read back from a file: data, never control bytes
            listed = command_line(["briefing", "changes", "--data", root, "--since", now])
            print(
                f"briefing: sync recorded at {now} (interrupted as it ended, its summary unsaid: {listed} lists it)",
                file=sys.stderr,
            )
            return 0
        where = f"{one_line(acled_dir(root))} is as it was" if root else "nothing was changed"
        print(f"briefing: sync interrupted: {where}", file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    except Refused as err:
        return fail(err)
    except SyncRefused as exc:
        return fail(Refused(*exc.lines))
    except (OSError, sqlite3.Error) as exc:  # a full disk, say: the staging directory is gone
        print(f"briefing: sync failed, the data directory is unchanged: {_failure(exc, root)}", file=sys.stderr)
        return 1
    lines, warnings = report(summary, acled_dir(root), args.file)
    for warning in warnings:  # on stderr, first: stdout may fail (QA s16)
        print(f"briefing: warning: {warning}", file=sys.stderr)
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # `| head`: the reader left; the CLI ends quietly
    except OSError as exc:  # `> /dev/full`: the sync is recorded all the same (QA s16)
        at = summary.synced_at if summary.written else None
        done = f"sync recorded at {at}" if at else "sync done (nothing to record)"
        print(
            f"briefing: {done}, but its summary could not be written: standard output: {one_line(exc.strerror or exc)}",
            file=sys.stderr,
        )
        return 1
    if summary.written and not getattr(args, "no_store", False):
        return _make_store(root, bool(getattr(args, "skip_invalid", False)))
    return 0


def _failure(exc: OSError | sqlite3.Error, root: str) -> str:
    """Why a sync failed, in the system's words and naming the user's file, not the staging
    folder the sync writes into (QA s18: `[Errno 28] No space left on device: '…/acled/ledger.jsonl'
    -> '…/.acled.sync-86bpllkr/ledger.jsonl'`)."""
    from briefing.acled_sync import STAGING_PREFIX

    if not isinstance(exc, OSError) or not exc.strerror:
        return one_line(exc)
    named = [f for f in (exc.filename, exc.filename2) if f and STAGING_PREFIX not in os.fspath(f)]
    where = f" ({one_line(os.fspath(named[0]))})" if named else f" (writing into {one_line(root)})"
    return f"{one_line(exc.strerror)}{where}"


def _make_store(root: str, skip_invalid: bool = False) -> int:
    """The store made for the data as the sync left it, so that the next read opens it at once:
    the export changed, so that read would import it whole (QA s16: at 100k rows the sync took
    3 s and the next brief 31 s; about 200 s at 1M).  A weekly cron job's sync is where that
    wait does no harm; the analyst's first brief of the week is not.  Nothing is made without a
    trusted store on disk (a read would then hold the data in memory anyway); a problem in the
    data is said in one line (the sync itself succeeded: every read will name the problem), and
    an interrupt leaves the making to the next read, the sync's status then the interrupt's (130
    or 143, as the README gives them: QA s18, a `timeout` saw success). The status returned."""
    from briefing.problems import DataError
    from briefing.store import store_folder
    from briefing.stored import load

    if os.environ.get("BRIEFING_NO_CACHE") or store_folder() is None:
        return 0
    progress = Progress(doing="storing") if sys.stderr.isatty() else None
    said = ""
    status = 0
    try:
        load(root, skip_invalid=skip_invalid, progress=progress)  # as the sync was told (`--skip-invalid`)
    except DataError as exc:
        from briefing.display import command_line

        listed = command_line(["briefing", "validate", "--data", root])
        said = (
            f"briefing: note: the data holds {counted(len(exc.problems), 'problem')}, so no store was made: "
            f"{listed} lists them"
        )
    except (KeyboardInterrupt, _Terminated) as exc:
        said = "briefing: the store was not made (interrupted): the next read makes it"
        status = 143 if isinstance(exc, _Terminated) else 130
    finally:
        if progress is not None:  # the bar's line goes before anything is said (QA s16)
            progress.clear()
    if said:
        print(said, file=sys.stderr)
    return status
