"""The `briefing` command: argument parsing and dispatch, nothing heavy.

Every subcommand's module is imported only when that subcommand runs, so `briefing --help`
and `briefing brief` never pay for Textual and a warm brief never pays for pydantic (what
these cost: bench/README.md, "Measured costs behind the code").
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from briefing import __version__

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, minus its `import shutil` (which pulls in bz2, lzma and zlib on
    every run, help or not, since argparse builds formatters while parsers are being declared).
    The width comes from COLUMNS or the terminal, as shutil would."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        if width is None:
            try:
                width = int(os.environ["COLUMNS"])
            except (KeyError, ValueError):
                try:
                    width = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]  # None: caught
                except (AttributeError, OSError, ValueError):
                    width = 80
            width -= 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that its errors quote the user's arguments through the display
    boundary: a control character pasted into an argument is shown, not obeyed by the terminal."""

    def error(self, message: str) -> NoReturn:
        from briefing.display import clean, short

        # One line, as every other refusal: the usage block buried the reason under a screen
        # of options; `--help` is named for whoever wants them.
        if message.startswith(("argument COMMAND: invalid choice", "unrecognized arguments")) and (
            moved := self._command_option()
        ):
            message = moved  # `briefing --event X`: X was read as the command (QA s13)
        self.exit(2, f"{self.prog}: {short(clean(message))} (see `{self.prog} --help`)\n")

    def _command_option(self) -> str | None:
        """For `briefing --event X`: the first option given before any command that only a
        command takes, said with the command line that has it where it goes."""
        from briefing.display import command_line

        given: list[str] = getattr(self, "given", None) or []
        options = [
            (i, t.split("=", 1)[0])
            for i, t in enumerate(given)
            if t.startswith("-") and t != "-" and self._action(t.split("=", 1)[0]) is None
        ]
        if not options:
            return None
        # the words that are an option's value (`--data brief`: the folder `brief`), never a command
        values = {
            i + 1 for i, t in enumerate(given) if "=" not in t and (a := self._action(t)) is not None and a.nargs != 0
        }
        # the command given, if one takes it; else the first that does (declared only when named: here)
        for name, (_help, _filters, declare) in sorted(_COMMANDS.items(), key=lambda kv: kv[0] not in given):
            probe = _Parser(prog=f"briefing {name}")
            if declare is not None:
                declare(probe)
            for at, option in options:
                action = probe._action(option)  # abbreviated too, as argparse allows after the command
                if action is None:
                    continue
                valued = action.nargs != 0 and "=" not in given[at]
                taken = values | ({at + 1} if valued else set())
                # the command given, when another than the one that takes the option: no line
                # puts it right (`--table counts brief`: `export --table counts brief` fails; QA s15)
                other = next((t for i, t in enumerate(given) if t in _COMMANDS and t != name and i not in taken), None)
                if other is not None:
                    return f"{option} is an option of `briefing {name}`, not of `briefing {other}`"
                rest = list(given)
                # the command's name goes to the front, unless it is this option's value
                # (`--event brief`: the event `brief`; review s14)
                for i, t in enumerate(rest):
                    if t == name and i not in taken:
                        del rest[i]
                        break
                line = command_line(["briefing", name, *rest])
                return f"{option} is an option of `briefing {name}`, given before it: {line}"
        return None

    def _action(self, option: str) -> argparse.Action | None:
        """This parser's action for `option`, given whole or abbreviated as argparse allows
        (`--dat` for `--data`); None if it has none (or the abbreviation is ambiguous)."""
        top = self._option_string_actions
        if option in top:
            return top[option]
        near = {id(a): a for o, a in top.items() if _abbreviates(option, o)}
        return next(iter(near.values())) if len(near) == 1 else None

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        """argparse's, except that arguments no one takes are refused by the subcommand they
        were given to, so the error names its `--help` (`briefing brief --help`), which lists
        the options a user was after; the top level's does not."""
        self.given = given = list(sys.argv[1:] if args is None else args)  # `_command_option` reads it
        ns, extras = self.parse_known_args(args, namespace)
        command = getattr(ns, "command", None)
        if command in _COMMANDS and not _COMMANDS[command][1] and (option := _filter_before(ns, command, given)):
            # QA s15: `briefing --country Iraq changes` listed every change, and a `--since`
            # given before `changes` was read as its sync date
            own = _OWN.get(command, ())
            if option in own:  # its own is another thing (`changes --since`: a sync's time)
                said = f"; `briefing {command} {option}` is its own, given after it"
            elif "--filter" in own:
                said = f", which takes a filter after it: `briefing {command} --filter QUERY`"
            else:
                said = ", which takes none"
            self.error(f"{option} is a filter, given before `briefing {command}`{said}")
        if extras:
            command = getattr(ns, "command", None) or ""
            owner: argparse.ArgumentParser = self
            if command in given and extras[0] in given[given.index(command) + 1 :]:  # given after it
                for action in self._actions:
                    if isinstance(action, argparse._SubParsersAction):
                        owner = action.choices.get(command, self)
            owner.error(f"unrecognized arguments: {' '.join(extras)}")
        return ns

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """argparse's, minus its silence: it swallows OSError, so `--help > /dev/full` said
        nothing and exited 0.  Here the error reaches `main`, which says it in one line."""
        if not message:
            return
        file = file if file is not None else sys.stderr
        if file is None:
            raise OSError("standard output is closed")
        file.write(message)


def _data_options(p: argparse.ArgumentParser, bundled: bool = True, helptext: str | None = None) -> None:
    """--data and --skip-invalid; `bundled=False` for a command that writes into the data (a
    sync: never into the bundled dataset, so the folder must be named); `helptext`: what
    --data is to a command that reads no dataset of its own (`import`: no --skip-invalid
    either, which would change nothing there; QA s18)."""
    g = p.add_argument_group("data")
    g.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        type=_folder,
        help=helptext
        or (
            "data directory (default: $BRIEFING_DATA, else the bundled dataset)"
            if bundled
            else "data directory to sync into (default: $BRIEFING_DATA; one of the two is required)"
        ),
    )
    if helptext is not None:
        return
    g.add_argument(
        "--skip-invalid",
        action="store_true",
        default=argparse.SUPPRESS,
        help="load the valid records and report how many were skipped, instead of refusing",
    )


def _filter_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (combined with AND; same language as the TUI's / key)")
    g.add_argument("--filter", "-f", metavar="QUERY", default=argparse.SUPPRESS, help="a filter-language query")
    for name, meta, helptext in (
        ("country", "NAME", "event country"),
        ("actor", "ID|NAME", "an actor's id, name or alias"),
        ("type", "TYPE", "event type or sub-type (e.g. battles, armed-clash)"),
        ("tag", "TAG", "event tag"),
        ("source", "ID|NAME", "a source's id or name"),
        ("search", "TEXT", "text in title, summary, place or actor names, found inside words too (ied: verified)"),
    ):
        g.add_argument(f"--{name}", metavar=meta, action="append", default=argparse.SUPPRESS, help=helptext)
    g.add_argument(
        "--since", metavar="DATE", default=argparse.SUPPRESS, help="from this date (2019, 2019-05, 2019-11-06)"
    )
    g.add_argument("--until", metavar="DATE", default=argparse.SUPPRESS, help="up to this date")
    g.add_argument(
        "--disputed", action="store_true", default=argparse.SUPPRESS, help="only events with disputed figures"
    )


def _theme_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--theme",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="a theme from themes/*.toml or $XDG_CONFIG_HOME/briefing/themes (~/.config/briefing/themes); "
        "NO_COLOR gives mono",
    )


def _declare_brief(brief: argparse.ArgumentParser) -> None:
    _data_options(brief)
    _filter_options(brief)
    _theme_option(brief)
    brief.add_argument(
        "--width",
        type=int,
        metavar="N",
        default=argparse.SUPPRESS,
        help="line width, 40 to 1000 (default: COLUMNS, else the terminal's, also when piped; 100 with no terminal)",
    )
    brief.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=argparse.SUPPRESS,
        help="colour: auto (only on a terminal; honours NO_COLOR and FORCE_COLOR), always, never",
    )
    brief.add_argument("--event", metavar="ID", default=argparse.SUPPRESS, help="one event in full")
    brief.add_argument(
        "--compare-to",
        choices=("previous", "year"),
        default=argparse.SUPPRESS,
        help="the baseline for change: the previous period of equal length (default) or the same dates a year earlier",
    )
    brief.add_argument(
        "--ascii",
        action="store_true",
        default=argparse.SUPPRESS,
        help="draw the timeline and sparklines with ASCII, not block characters",
    )
    brief.add_argument(
        "--changes-since",
        metavar="WHEN",
        default=argparse.SUPPRESS,
        help="add a 'What changed' section: what syncs of ACLED data changed since WHEN "
        "(a date, or a sync's time as `briefing changes` lists it)",
    )


def _declare_export(export: argparse.ArgumentParser) -> None:
    _data_options(export)
    _filter_options(export)
    export.add_argument(
        "--format",
        type=lambda v: "md" if v == "markdown" else v,  # the word the README and --help use (QA s13)
        choices=("json", "jsonl", "csv", "md", "stix"),
        default=argparse.SUPPRESS,
        help="output format (default: json; md is Markdown, also spelled markdown)",
    )
    export.add_argument(
        "--table",
        choices=("events", "figures", "actors", "timeline", "counts"),
        default=argparse.SUPPRESS,
        help="which table: events, figures, actors (--format csv; default: events), or the "
        "analysis: timeline, counts (--format csv or json)",
    )
    export.add_argument(
        "--by",
        choices=("country", "admin1", "actor", "type", "source"),
        default=argparse.SUPPRESS,
        help="for --table counts: count by this (default: country)",
    )
    export.add_argument(
        "--compare-to",
        choices=("previous", "year"),
        default=argparse.SUPPRESS,
        help="for --format md and --table timeline/counts: the baseline for change (default: previous)",
    )
    export.add_argument(
        "--claims",
        choices=("all", "disputed"),
        default=argparse.SUPPRESS,
        help="for --table figures and --format stix: every claim (default), or only the disputed "
        "ones (the rows marked ! in the TUI: claims that cannot all be true)",
    )
    _output_options(export)


def _output_options(parser: argparse.ArgumentParser) -> None:
    """`-o PATH` and `--force`, as every command that writes a document has them."""
    parser.add_argument(
        "--output", "-o", metavar="PATH", default=argparse.SUPPRESS, help="write here (default: stdout; - is stdout)"
    )
    parser.add_argument(
        "--force", action="store_true", default=argparse.SUPPRESS, help="overwrite an existing output file"
    )


def _declare_import(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("importer", choices=("acled",), help="the external format")
    imp.add_argument("file", metavar="FILE", help="the file to import")
    _data_options(  # its actors name the data directory's where they match (README)
        imp,
        helptext="the data directory whose actors and sources ACLED's names are matched to "
        "(default: $BRIEFING_DATA; with neither, nothing is matched)",
    )
    imp.add_argument(
        "--output", "-o", metavar="PATH", default=argparse.SUPPRESS, help="write TOML records here (default: stdout)"
    )
    imp.add_argument(
        "--force", action="store_true", default=argparse.SUPPRESS, help="overwrite an existing output file"
    )


def _declare_sync(syn: argparse.ArgumentParser) -> None:
    syn.add_argument("importer", choices=("acled",), help="the external format")
    syn.add_argument("file", metavar="FILE", help="the newer export")
    syn.add_argument(
        "--older",
        action="store_true",
        default=argparse.SUPPRESS,
        help="take an export whose rows are older than the stored ones (a roll-back; refused without it)",
    )
    syn.add_argument(
        "--no-store",
        action="store_true",
        default=argparse.SUPPRESS,
        help="do not make the store for the synced data now (the next read makes it: at a million rows, minutes)",
    )
    _data_options(syn, bundled=False)


def _declare_changes(changes: argparse.ArgumentParser) -> None:
    _data_options(changes)
    changes.add_argument(
        "--since",
        metavar="WHEN",
        default=argparse.SUPPRESS,
        help="only changes synced on or after: a date, or a sync's time as listed (2023-02-06T09:00:00Z)",
    )
    changes.add_argument(
        "--until", metavar="WHEN", default=argparse.SUPPRESS, help="only changes synced on or before (a date or a time)"
    )
    changes.add_argument(
        "--filter",
        "-f",
        metavar="QUERY",
        default=argparse.SUPPRESS,
        help="only the changes of the events a filter selects (and of the removed ones it would select)",
    )
    changes.add_argument("--format", choices=("text", "json", "csv"), default=argparse.SUPPRESS, help="default: text")
    _output_options(changes)


EXIT_HELP = (
    "exit status: 0 done; 2 bad input or a refusal (broken data, a bad filter,\n"
    "  a file that exists); 1 when the system fails a write (a full disk, an I/O\n"
    "  error); 130 interrupted (ctrl-c), 143 ended (SIGTERM); 70 an internal error\n"
    "  (a bug: please report it, with BRIEFING_DEBUG=1)"
)

# Each subcommand: its one-line help, whether its help ends with the filter language, and what
# declares its arguments.  Keeping ACLED current (briefing.ledger): sync an export, list what changed.
_COMMANDS: dict[str, tuple[str, bool, Callable[[argparse.ArgumentParser], None] | None]] = {
    "brief": ("a formatted brief on stdout (plain text when piped)", True, _declare_brief),
    "export": ("JSON, JSONL, CSV, Markdown or STIX 2.1 for scripts", True, _declare_export),
    "validate": ("check a data directory and report every problem", False, _data_options),
    "schema": ("print the JSON Schema of the record files", False, None),
    "import": ("convert external data to record files", False, _declare_import),
    "sync": ("merge a newer ACLED export, recording every change in a ledger", False, _declare_sync),
    "changes": ("list the change ledger that syncs keep", False, _declare_changes),
}


# the top level's filters (`_filter_options`): their dests, each with the option that sets it
_FILTER_DESTS = {
    "filter": "--filter",
    **{name: f"--{name}" for name in ("country", "actor", "type", "tag", "source", "search", "since", "until")},
    "disputed": "--disputed",
}


# a command's own options of a filter's name (`changes --since`: the day of a sync, not an
# event's; `changes --filter`: the events whose changes to list)
_OWN = {"changes": ("--since", "--until", "--filter")}


def _filter_before(ns: argparse.Namespace, command: str, given: Sequence[str]) -> str | None:
    """The filter a command that takes none was given before it (`--country Iraq changes`), read
    from what argparse parsed: such a command declares no filter, so a filter's dest in the
    namespace is the top level's; but a command's own option of a filter's name (`changes
    --since`, its sync date) counts only when given before the command."""
    for dest, option in _FILTER_DESTS.items():
        if not hasattr(ns, dest):
            continue
        if option in _OWN.get(command, ()):  # its own, unless given before the command
            at = len(given) - 1 - given[::-1].index(command) if command in given else len(given)
            if not any(_given_as(t, option) for t in given[:at]):
                continue
        return option
    return None


def _given_as(token: str, option: str) -> bool:
    """Whether an argument `token` gives `option`: whole, abbreviated, or `-f` for `--filter`."""
    name = token.split("=", 1)[0]
    return _abbreviates(name, option) or (
        option == "--filter" and token.startswith("-f") and not token.startswith("--")
    )


def _abbreviates(token: str, option: str) -> bool:
    """Whether `token` is `option` or a prefix argparse takes for it (`--coun`)."""
    return token.startswith("--") and len(token) > 2 and option.startswith(token)


def _folder(value: str) -> str:
    """`--data DIR`: an empty or blank value (`--data "$DATA"` with DATA unset) is refused,
    never read as "the default": a script would brief the bundled data and say all went well."""
    if not value.strip():
        raise argparse.ArgumentTypeError("no folder name (it is empty or blank); leave --data out for the default")
    return value


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given the arguments about to be parsed, only the subcommands
    they name get their own arguments declared (the parser is built on every start, and declaring
    all of them was most of its cost: bench/README.md, round 8).  A name that is really an
    option's value (`--data export brief`) only declares one subcommand more."""
    from briefing.filters import SUMMARY as FILTER_SUMMARY

    parser = _Parser(
        prog="briefing",
        description="Terminal briefings on armed-group activity, with every conflicting figure kept as a claim. "
        "With no command, opens the interactive browser.",
        epilog=FILTER_SUMMARY + "\n\n" + EXIT_HELP,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    _data_options(parser)
    _filter_options(parser)
    _theme_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = None if argv is None else set(argv)
    for name, (helptext, filters, declare) in _COMMANDS.items():
        p = sub.add_parser(
            name,
            help=helptext,
            description=helptext[0].upper() + helptext[1:] + ".",
            epilog=(FILTER_SUMMARY + "\n\n" if filters else "") + EXIT_HELP,
            formatter_class=_Formatter,
        )
        if declare is not None and (named is None or name in named):
            declare(p)
    return parser


# Options whose value is a filter: a value may start with `-` (`-f '-tag:statement'`, the
# README's own example), which argparse would otherwise take for an option.
_FILTER_VALUE_OPTIONS = frozenset({"--filter", "-f", "--country", "--actor", "--type", "--tag", "--source", "--search"})


_SHORT = frozenset({"-f", "-o"})  # the short options that take a value


def _attach_filter_values(argv: Sequence[str]) -> list[str]:
    """`-f -tag:x` as `-f=-tag:x`-style single arguments, which argparse reads as the value.
    A value of `--` is kept apart (`--search=--` as `--search --`): argparse takes `--` out of
    any value it is given, leaving a list (then a crash) or nothing (every event), and apart it
    reads as the end of the options: "expected one argument"."""
    out: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.extend(args[i:])
            break
        option, eq, value = arg.partition("=")
        if (eq and value == "--" and option.startswith("--")) or (arg[:2] in _SHORT and arg[2:] == "--"):
            out.extend((option if eq else arg[:2], "--"))  # `--search=--`, `-f--`
            i += 1
            continue
        if arg in _FILTER_VALUE_OPTIONS and i + 1 < len(args) and args[i + 1].startswith("-") and args[i + 1] != "--":
            out.append(f"{arg}={args[i + 1]}" if arg.startswith("--") else arg + args[i + 1])
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    try:
        given = _attach_filter_values(sys.argv[1:] if argv is None else argv)
        args = build_parser(given).parse_args(given)
    except BrokenPipeError:
        return _reader_left()
    except OSError as exc:
        return _os_error(exc)
    command = getattr(args, "command", None) or "tui"
    if sys.stdout is None and command in ("brief", "validate", "schema"):  # `briefing brief >&-`
        return _os_error(OSError("standard output is closed"))
    try:
        if command == "validate":
            from briefing.commands.validate import run
        elif command == "schema":
            from briefing.commands.schema import run
        elif command == "brief":
            from briefing.commands.brief import run
        elif command == "export":
            from briefing.commands.export import run
        elif command == "import":
            from briefing.commands.importer import run
        elif command == "sync":
            from briefing.commands.sync import run
        elif command == "changes":
            from briefing.commands.changes import run
        else:
            from briefing.tui.run import run
        return run(args)
    except KeyboardInterrupt:
        _interrupted(command, args)
        return 130
    except BrokenPipeError:
        return _reader_left()
    except OSError as exc:
        return _os_error(exc)
    except Exception as exc:  # never a traceback for a user; BRIEFING_DEBUG=1 shows it
        if os.environ.get("BRIEFING_DEBUG"):
            raise
        from briefing.display import one_line

        if _store_damaged(exc, args):
            return 75  # EX_TEMPFAIL: run again

        print(
            f"briefing: internal error: {type(exc).__name__}: {one_line(exc)} (set BRIEFING_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 70


def _interrupted(command: str, args: argparse.Namespace) -> None:
    """What an interrupt left of a file the command was writing (`-o FILE`: written whole or not
    at all, so nothing), said as a full disk says it (QA s18: the bar went, and not a word)."""
    output = getattr(args, "output", None)
    if command in ("export", "import", "changes") and output and output != "-":
        from briefing.display import one_line

        try:
            print(f"briefing: interrupted: {one_line(output)}: nothing was written", file=sys.stderr)
        except (OSError, ValueError):
            pass


def _store_damaged(exc: Exception, args: argparse.Namespace) -> bool:
    """A store found damaged while a command read it (a page lost: `store.damaged`): removed,
    and said in one line, so that the next run builds it again from the data files (QA s18:
    every export failed with an internal error, run after run, the store never rebuilt)."""
    if "briefing.store" not in sys.modules:
        return False
    from briefing.datadir import data_dir
    from briefing.display import one_line
    from briefing.store import damaged, remove_damaged

    if not damaged(exc):
        return False
    root = data_dir(getattr(args, "data", None))
    removed = remove_damaged(root)
    if removed is None:
        return False
    print(
        f"briefing: the store of {one_line(root)} is damaged ({one_line(exc)}): removed; "
        "run the command again, and it is built again from the data files",
        file=sys.stderr,
    )
    return True


def _reader_left() -> int:
    """`briefing brief | head`: the reader left; say nothing, as other Unix tools do."""
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
    except OSError:
        pass
    return 0


# Errors only a write gives: one with no file name is our standard output's (the files we write
# are named in their errors), and is said as `export` says it.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _os_error(exc: OSError) -> int:
    """A full disk, a closed stdout, an I/O error: the system's words in one line, exit 1."""
    from briefing.display import one_line, short

    where = f"{one_line(exc.filename)}: " if exc.filename else ""
    if not exc.filename and exc.errno in _WRITE_ERRNOS:  # a write to no file we named: stdout
        where = "standard output: cannot write: "
    try:
        print(short(f"briefing: {where}{one_line(exc.strerror or exc)}"), file=sys.stderr)
    except (OSError, AttributeError):  # stderr is gone too: the status is all that is left
        pass
    return 1


def entry() -> None:
    """The console script: `main`, then out at once.

    Once the output is flushed nothing is left to do, yet a normal interpreter exit would
    still tear down every module and object it loaded (a measurable share of a brief).
    `os._exit` skips that; `main` itself returns normally, for tests and for callers that
    embed it.  Files we write are closed (and renamed into place) before `main` returns.
    """
    import gc

    # No cyclic garbage collection while starting: at start-up the collector only walks the
    # thousands of objects that imports create and that live as long as the process (how much
    # that costs: bench/README.md).  Memory is still freed
    # by reference counting; the TUI turns collection back on after its first frame (see
    # tui/app.py), and batch commands end soon after their work.
    gc.disable()
    try:
        rc = main()
    except SystemExit as exc:  # argparse after --help, --version or a usage error
        rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:  # `briefing brief | head`: the reader left, as in main
            pass
        except (OSError, ValueError) as exc:  # `--help > /dev/full`: say so, and fail
            if rc == 0:
                rc = 1
            if stream in (sys.stdout, sys.__stdout__):
                _say_lost_output(exc)
    os._exit(rc)


def _say_lost_output(exc: Exception) -> None:
    """One line on stderr when stdout's last bytes could not be written (best effort)."""
    reason = getattr(exc, "strerror", None) or str(exc)
    try:
        os.write(2, f"briefing: standard output: cannot write: {reason}\n".encode("utf-8", "replace"))
    except OSError:
        pass
