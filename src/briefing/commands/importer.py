"""`briefing import acled FILE [-o PATH] [--force]`: an ACLED export as TOML records, for curation.

A data directory can hold the CSV itself (it loads directly); converting is for when an
analyst wants to edit the records: add a curated claim beside ACLED's, fix an actor, link
an event.  The rows map exactly as they do on a direct load (see `briefing.acled`), and
ACLED actor names that equal the name or an alias of an actor in the current data
directory ($BRIEFING_DATA, else the bundled data) are written as that actor's id, so the
imported events join the curated ones.

Output goes to stdout, or with `-o PATH` to a file written atomically that is never
replaced without `--force`.  Bad rows are listed on stderr
(`file.csv:LINE: event 'acled:ID': field: reason`) and left out; the exit status is then 2, though the good rows are still written.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from briefing.commands.common import EXIT_CANNOT_WRITE, Refused, fail, output_path
from briefing.display import counted
from briefing.tomlwrite import toml_record, toml_value

if TYPE_CHECKING:
    from briefing.loader import ParsedFile
    from briefing.problems import Problem

KINDS = ("source", "actor", "event")


def _curated_files(args: argparse.Namespace) -> tuple[str, list[ParsedFile]]:
    """The named data directory's parsed files, to merge ACLED names into; [] if unusable, or
    when none is named (`--data`, BRIEFING_DATA): the bundled data's ids would then be written
    into records meant for the user's own folder, which does not have them (QA s13)."""
    from briefing.datadir import data_dir, named_data
    from briefing.loader import data_files, parse_any

    if named_data(getattr(args, "data", None)) is None:
        return "", []
    root = data_dir(getattr(args, "data", None))
    if not os.path.isdir(root):  # a typo would match nothing without a word (QA s13 regression pass)
        from briefing.commands.common import Refused

        raise Refused(f"{root}: no such data directory (its actors and sources are what ACLED's names are matched to)")
    try:
        paths = [p for p in data_files(root) if os.fspath(p).lower().endswith(".toml")] if os.path.exists(root) else []
    except OSError as exc:
        raise Refused(f"{root}: cannot read: {exc.strerror or exc}") from None
    files = [parse_any(p) for p in paths]
    # a file's own problems, as warnings: the folder is a list of names here, its links may
    # point at the rows being imported, so it is not refused as a load refuses it (QA s18: a
    # broken actors file matched nothing without a word)
    problems = [p for f in files for p in f.problems]
    if problems:
        from briefing.commands.common import problem_lines
        from briefing.display import as_name, command_line, one_line

        for line in problem_lines(problems, root, every=True):
            print(f"briefing: warning: {one_line(line)}", file=sys.stderr)
        print(
            f"briefing: warning: {counted(len(problems), 'problem')} in {as_name(root)}: what they hold is not "
            f"matched against (`{command_line(['briefing', 'validate', '--data', root])}` checks the folder)",
            file=sys.stderr,
        )
    return root, files


def convert(
    csv_path: Path, curated: list[ParsedFile]
) -> tuple[dict[str, list[tuple[Any, int | None, int]]], list[Problem], int, int]:
    """(records by kind, problems, skipped, number of ACLED names matched to curated actors
    and sources)."""
    from briefing.acled import parse_file
    from briefing.loader import _merge_auto

    pf = parse_file(csv_path)
    merged = _merge_auto([*curated, pf])[-1]
    matched = sum(len(pf.records[k]) - len(merged.records[k]) for k in ("actor", "source"))
    return merged.records, pf.problems, pf.skipped, matched


def write_records(out: TextIO, records: dict[str, list[Any]], source_name: str) -> None:
    """The records as TOML, under a comment naming the CSV.  The file name is data like any
    record text: it is written as an escaped TOML string, so a name holding a newline and
    `[[source]]` stays inside the comment instead of adding a record."""
    today = _dt.date.today().isoformat()
    n = len(records["event"])
    out.write(f"# {counted(n, 'event')} imported from the ACLED export {toml_value(source_name)}\n")
    out.write(f"# by `briefing import acled` on {today}. ACLED's fatalities are claims by the actor\n")
    out.write("# 'acled', carried by the source 'acled:dataset' (ACLED's own coding, which no outlet\n")
    out.write("# gave); the outlets of each row's source column are the sources its event cites.\n\n")
    for kind in KINDS:
        for rec, _line, _index in records[kind]:
            out.write(toml_record(kind, rec))
            out.write("\n")


def run(args: argparse.Namespace) -> int:
    from briefing.acled import REQUIRED, is_acled_header, looks_like_acled, missing_columns
    from briefing.display import one_line
    from briefing.export.atomic import TargetExists, target_kind, write_atomic, write_stdout

    src = Path(args.file).expanduser()
    force = bool(getattr(args, "force", False))
    path: Path | None = None
    streaming = False
    try:
        path = output_path(args)
        try:
            if not src.exists():
                raise Refused(f"{src}: no such file")
            if not src.is_file():
                raise Refused(f"{src}: not a regular file")
        except OSError as exc:  # a name too long, a folder not searchable: bad input, exit 2
            raise Refused(f"{src}: {exc.strerror or exc}") from None
        if path is not None:
            try:
                if path.resolve() == src.resolve():
                    raise Refused(f"{path}: that is the file being imported; give another output file")
                streaming = target_kind(path, force) == "stream"
            except OSError as exc:
                raise Refused(str(exc)) from None
        try:
            with src.open("rb") as fh:
                head = fh.readline(64 * 1024).decode("utf-8", "replace")
        except OSError as exc:
            raise Refused(f"{src}: cannot read: {exc.strerror or exc}") from None
        if not is_acled_header(head):
            from briefing.acled import header_trouble, sniff

            trouble = header_trouble(sniff(str(src)))  # said as the loader says it
            if trouble is not None:
                raise Refused(f"{src}:{trouble[0]}: {trouble[1]}")
            missing = missing_columns(head)
            raise Refused(
                f"{src}:1: not an ACLED export: no column {', '.join(repr(c) for c in missing)}"
                if looks_like_acled(head)  # meant as ACLED: say which column, as the loader does
                else f"{src}:1: not an ACLED export: the header lacks ACLED's columns ({', '.join(REQUIRED)})"
            )
        root, curated = _curated_files(args)
        records, problems, skipped, matched = convert(src, curated)
    except Refused as err:
        return fail(err)

    for p in problems:
        print(f"briefing: {p}", file=sys.stderr)
    n = len(records["event"])
    if not n:
        return fail(Refused(f"{src}: no row could be imported; nothing written"))
    if path is None:
        try:
            write_stdout(lambda f: write_records(f, records, src.name))
        except BrokenPipeError:
            raise
        except OSError as exc:
            return fail(Refused(f"standard output: cannot write: {exc.strerror or exc}"), EXIT_CANNOT_WRITE)
    else:
        try:
            write_atomic(path, lambda f: write_records(f, records, src.name), force=force)
        except BrokenPipeError:
            raise  # `-o /dev/stdout | head`, a FIFO's reader gone: as on standard output
        except TargetExists as exc:
            return fail(Refused(str(exc)))
        except OSError as exc:
            return fail(
                Refused(
                    f"{path}: cannot write: {exc.strerror or exc}" + ("" if streaming else "; nothing was written")
                ),
                EXIT_CANNOT_WRITE,
            )
        print(
            f"briefing: wrote {counted(n, 'event')}, {counted(len(records['actor']), 'actor')} and "
            f"{counted(len(records['source']), 'source')} to {one_line(path)}",
            file=sys.stderr,
        )
    if matched:
        print(
            f"briefing: {counted(matched, 'ACLED name')} matched actors or sources in "
            f"{one_line(str(root))} and use their ids",
            file=sys.stderr,
        )
    if skipped:
        print(f"briefing: skipped {counted(skipped, 'invalid row')}", file=sys.stderr)
        return 2
    return 0
