"""`briefing sync acled`: merge a newer ACLED export into the data directory, recording
every change in the ledger (`briefing.ledger` describes the layout and the entries).

Scope: an export covers the countries it has rows for, over the days from its earliest to
its latest `event_date`.  A stored event outside the new export's scope is kept as it was
and counted apart ("outside this export's scope"), never called removed; a new event in a
country the stored data did not cover is added and counted as outside the previous scope.
An added event is *late* when its country was covered before and it is dated before the
previous data's newest event.  A row whose only change is its `timestamp` is updated
without a ledger entry (nothing a reader sees changed); fields are compared by what the loader
reads in them (`read_as`), so an export that writes the same values another way (ACLED's
`16 July 2022` for `2022-07-16`, say) is no revision either.  The first sync records every row
as added, and says in `syncs.jsonl` (`"baseline": true`) that it had no earlier export to
compare with: those additions are the baseline, not changes (`briefing.ledger`); an
`acled/acled.csv` put there by hand, without a ledger, is the previous export, and a first
sync against it records real additions (`"baseline": false`).  An added event the ledger
says an earlier sync removed is *restored* (`"restored": true`, `"removed_at"`), never late.

Safety: everything is written into a hidden staging directory beside `acled/`
(`.acled.sync-*`, which the loader skips as it skips every dot-name), fsynced, and then
swapped with `acled/` in one `renameat2(RENAME_EXCHANGE)` call, so an interrupted sync
(SIGINT, SIGKILL, a full disk) leaves `acled/` exactly as it was; a staging directory left
by a killed sync is removed by the next one.  Headers are checked before anything is
written.  Memory stays bounded: row hashes and keys go to a temporary SQLite database in the
staging directory, and only the rows that differ are ever held whole (and those in SQLite
too, until compared).
"""

from __future__ import annotations

import csv
import ctypes
import datetime as _dt
import errno
import hashlib
import heapq
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from briefing.acled import MISSING as _MISSING, blank_row
from briefing.ledger import (
    CSV_NAME,
    LEDGER_NAME,
    OWNED,
    SUBDIR,
    SYNCS_NAME,
    LedgerError,
    replaced_by_hand,
    sha256_of,
    taken_back,
    timestamp_seconds,
)

if TYPE_CHECKING:
    from _csv import Writer

STAGING_PREFIX = ".acled.sync-"


class SyncRefused(Exception):
    """Bad input: one line naming the file (and line or column) per problem; nothing was written."""

    def __init__(self, *lines: str):
        self.lines = lines
        super().__init__("\n".join(lines))


SHOWN_PROBLEMS = 20  # bad rows listed by a refused sync; the rest are counted


# -- reading exports --------------------------------------------------------------------


def _csv_limit() -> None:
    from briefing.acled import MAX_TEXT

    csv.field_size_limit(max(csv.field_size_limit(), 8 * MAX_TEXT))


@dataclass
class Header:
    raw: list[str]
    names: list[str]  # stripped, casefolded (as acled.parse_file reads them)
    newline: str  # the line ending the file uses, for rows appended to it

    def index(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.names)}


def _open(path: str) -> IO[str]:
    return open(path, encoding="utf-8-sig", newline="")


def read_header(path: str) -> Header:
    """An export's header, checked to be ACLED's; raises SyncRefused naming the column."""
    from briefing.acled import REQUIRED

    _csv_limit()
    try:
        with open(path, "rb") as fh:
            first = fh.readline(1024 * 1024)
        newline = "\r\n" if first.endswith(b"\r\n") else "\n"
        if b"\x00" in first:  # as the rows' check says it (`_rows`), not as a column gone missing
            raise SyncRefused(f"{path}:1: NUL byte in a CSV file: nothing synced")
        with _open(path) as fh:
            row = next(csv.reader(fh), None)
    except FileNotFoundError:
        raise SyncRefused(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SyncRefused(f"{path}: is a directory; give an ACLED export (.csv)") from None
    except UnicodeDecodeError:
        raise SyncRefused(f"{path}:1: not an ACLED export: the header is not UTF-8 text") from None
    except (csv.Error, OSError) as exc:
        raise SyncRefused(f"{path}:1: not an ACLED export: {exc}") from None
    from briefing.acled import delimiter, header_trouble, sniff

    trouble = header_trouble(sniff(path))  # UTF-16, a title line above: said as the loader says it
    if trouble is not None:
        raise SyncRefused(f"{path}:{trouble[0]}: {trouble[1]}")
    if not row:
        raise SyncRefused(f"{path}:1: not an ACLED export: the file is empty")

    sep = delimiter(first.decode("utf-8", "replace"))
    if sep != ",":  # the stored export gains rows by appending: one dialect, ACLED's own
        raise SyncRefused(
            f"{path}:1: the fields are separated by {sep!r}, as a spreadsheet saves CSV in some locales: "
            "sync takes ACLED's own comma-separated export (download it again; it loads as it is from the data folder)"
        )
    names = [c.strip().casefold() for c in row]
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        if n in seen:
            raise SyncRefused(f"{path}:1: column {row[i].strip()!r} appears twice (columns {seen[n] + 1} and {i + 1})")
        seen[n] = i
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise SyncRefused(f"{path}:1: not an ACLED export: no column {missing[0]!r}")
    return Header(row, names, newline)


def check_same_columns(path: str, new: Header, old: Header) -> None:
    """Refuse an export whose columns differ from the stored one's (renamed, missing, new),
    saying the two ways forward (QA s13: the refusal gave none): the same columns again, or
    a new data folder, whose first sync takes the new export as its baseline."""
    old_set, new_set = set(old.names), set(new.names)
    gone = [n for n in old.names if n not in new_set]
    extra = [n for n in new.names if n not in old_set]
    way = (
        "export it again with the stored export's columns (ACLED's export tool: the same fields), "
        "or sync it into a new data folder, which takes it as its baseline"
    )
    if gone and extra:
        raise SyncRefused(
            f"{path}:1: column {gone[0]!r} is missing (renamed to {extra[0]!r}?); "
            f"the stored export has it, so the two cannot be compared: {way}"
        )
    if gone:
        raise SyncRefused(f"{path}:1: column {gone[0]!r} is missing; the stored export has it: {way}")
    if extra:
        raise SyncRefused(f"{path}:1: column {extra[0]!r} is new; the stored export has no such column: {way}")


def _rows(path: str, width: int) -> Iterator[tuple[int, int, list[str]]]:
    """(physical line, byte offset, row) for each data row; SyncRefused for a broken or
    ragged row.  The offsets let the rows that differ be read again without a second pass."""
    from briefing.acled import text_line

    pos = 0

    def lines(fb: IO[bytes]) -> Iterator[str]:
        nonlocal pos
        for n, b in enumerate(fb, 1):
            pos += len(b)
            if n == 1 and b.startswith(b"\xef\xbb\xbf"):
                b = b[3:]
            if b"\x00" in b:  # the loader refuses the whole file for one: never merged
                raise SyncRefused(f"{path}:{n}: NUL byte in a CSV file: nothing synced")
            yield text_line(b)

    with open(path, "rb") as fb:
        reader = csv.reader(lines(fb))
        start = 1
        try:
            next(reader, None)
            start, off = reader.line_num + 1, pos
            for row in reader:
                line, start = start, reader.line_num + 1
                at, off = off, pos
                if blank_row(row):
                    continue
                if len(row) != width:
                    raise SyncRefused(f"{path}:{line}: row has {len(row)} fields, the header has {width}")
                yield line, at, row
        except csv.Error as exc:
            raise SyncRefused(f"{path}:{start}: CSV: {exc}") from None
        except UnicodeDecodeError:
            raise SyncRefused(f"{path}:{start}: not UTF-8 text") from None


class _Appender:
    """Rows appended to the merged export, the file opened only when there is one to add."""

    def __init__(self, path: str, ends_nl: bool, newline: str):
        self.path, self.ends_nl, self.newline = path, ends_nl, newline
        self.fh: IO[str] | None = None
        self.writer: Writer | None = None

    def __enter__(self) -> _Appender:
        return self

    def writerow(self, row: list[str]) -> None:
        if self.writer is None:
            self.fh = fh = open(self.path, "a", encoding="utf-8", newline="")  # noqa: SIM115 - closed in __exit__
            if not self.ends_nl:
                fh.write(self.newline)
            self.writer = csv.writer(fh, lineterminator=self.newline)
        self.writer.writerow(row)

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()


class _At:
    """Rows read back by byte offset (from `_rows`), without parsing the rest of the file."""

    def __init__(self, path: str):
        self.fb = open(path, "rb")  # noqa: SIM115 - closed by close()

    def row(self, off: int) -> list[str]:
        self.fb.seek(off)
        from briefing.acled import text_line

        readline = self.fb.readline
        return next(csv.reader(iter(lambda: text_line(readline()), "")))

    def close(self) -> None:
        self.fb.close()


def _missing(v: str) -> bool:
    return v.strip().casefold() in _MISSING


def fatalities_value(v: str | None) -> Any:
    """`fatalities` as the ledger keeps it: a whole number, None for missing, else the text."""
    if v is None or _missing(v):
        return None
    from briefing.acled import whole_count

    n = whole_count(v)
    return v if n is None else n


def _value(col: str, v: str) -> Any:
    """A changed field's value as the ledger keeps it: a count as a number, a whole number
    as ACLED writes it (`1700000000`, not pandas' `1700000000.0`), the rest as written."""
    if col == "fatalities":
        return fatalities_value(v)
    if col in _WHOLE_COLUMNS:
        from briefing.acled import whole_text

        return whole_text(v) if v.strip() else v
    return v


# The columns the loader (`acled._Converter.row`) reads as trimmed text, and the ones it reads
# case-insensitively (looked up in ACLED's vocabularies).
_TEXT_COLUMNS = frozenset(
    {"country", "location", "admin1", "admin2", "admin3", "notes", "actor1", "actor2", "source_scale"}
)
_FOLDED_COLUMNS = frozenset({"event_type", "sub_event_type", "disorder_type", "civilian_targeting"})
_LIST_COLUMNS = frozenset({"assoc_actor_1", "assoc_actor_2", "tags", "source"})  # `;`-separated, as read
# Whole numbers and codes, which pandas writes `2016.0` when the column has an NA
_WHOLE_COLUMNS = frozenset(
    {"year", "iso", "geo_precision", "interaction", "timestamp", "time_precision", "inter1", "inter2"}
)


def read_as(col: str, v: str) -> Any:
    """What the loader makes of field `col`'s text `v`, so that two exports that write one value
    two ways (`16 July 2022` and `2022-07-16`, `05` and `5`, `1.50` and `1.5`, ` Kidal` and
    `Kidal`, `NA` and nothing) compare equal: a difference a reader cannot see is no revision.
    Text the loader would refuse, and the columns it does not read, compare as written."""
    from briefing.acled import INTER_KINDS, RowError, parse_date, split_list, whole_text

    if col == "fatalities":
        return fatalities_value(v)
    if col in _WHOLE_COLUMNS and not _missing(v) and v.strip().casefold() != "nan":
        v = whole_text(v)
    if col in _LIST_COLUMNS:
        return tuple(split_list(v))
    if (
        col not in _TEXT_COLUMNS
        and col not in _FOLDED_COLUMNS
        and col not in ("event_date", "latitude", "longitude", "inter1", "inter2", "time_precision")
    ):
        return v
    if v.strip().casefold() == "nan":
        return v  # an error in a number column, not a missing value: kept as written
    if _missing(v):
        return "1" if col == "time_precision" else None
    s = v.strip()
    if col == "event_date":
        try:
            return parse_date(s)
        except RowError:
            return v
    if col in ("latitude", "longitude"):
        try:
            return float(s)
        except ValueError:
            return v
    if col in ("inter1", "inter2"):
        return None if s == "0" else INTER_KINDS.get(s.casefold(), s)
    if col in _FOLDED_COLUMNS:
        return s.casefold()
    return s


def _day(path: str, line: int, raw: str, eid: str) -> int:
    """`event_date` as yyyymmdd; SyncRefused naming the row as the importer's `RowError` does:
    `file.csv:LINE: event 'acled:ID': event_date: reason`."""
    from briefing.acled import RowError, parse_date
    from briefing.display import clean

    where = f"{path}:{line}: event {clean(repr('acled:' + eid))}: event_date"
    if _missing(raw):
        raise SyncRefused(f"{where}: required field is missing")
    try:
        y, m, d = parse_date(raw)
    except RowError as exc:
        raise SyncRefused(f"{where}: {exc}") from None
    return y * 10000 + m * 100 + d


def _iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


# -- the work database ------------------------------------------------------------------


def load_table(
    db_path: str, table: str, path: str, order: list[str], progress: Callable[[float], None] | None = None
) -> int:
    """Hash every row of an export into table `table` of a new SQLite file; the row count.
    progress(share of the file's bytes read), if given, is called every few thousand rows.

    Columns: n (row number), id, h (Python's hash of the row's values in `order`: 64 bits,
    computed in C; both exports are hashed in this one process, so with one hash seed), c (country, casefolded), d (event_date as yyyymmdd), line, off (byte
    offset of the row, to read it back), t (ACLED's `timestamp`, NULL when there is none).
    Refuses a duplicate id naming both lines."""
    from operator import itemgetter

    header = read_header(path)
    ix = header.index()
    values = itemgetter(*[ix[n] for n in order])
    i_id, i_date, i_country = ix["event_id_cnty"], ix["event_date"], ix["country"]
    i_ts = ix.get("timestamp")
    width = len(header.names)
    countries: dict[str, str] = {}  # the text as in the export -> casefolded key
    names: dict[str, str] = {}  # key -> the name as first written
    days: dict[str, int] = {}  # event_date text -> yyyymmdd (a few thousand distinct dates)
    n = 0
    size = max(1, os.path.getsize(path))

    def rows() -> Iterator[tuple[int, str, int, str, int, int, int, int | None]]:
        nonlocal n
        for line, off, row in _rows(path, width):
            eid = row[i_id].strip()
            if len(eid) <= 4 and eid.casefold() in _MISSING:
                raise SyncRefused(f"{path}:{line}: event_id_cnty: required field is missing")
            raw = row[i_date]
            day = days.get(raw)
            if day is None:
                try:
                    day = days[raw] = _day(path, line, raw, eid)
                except SyncRefused:
                    if table != "new":  # the stored export's dates were read when it was synced
                        raise
                    day = 0  # listed with the new export's other bad rows (`_check_rows`), before any use
            text = row[i_country]
            c = countries.get(text)
            if c is None:
                c = countries[text] = text.strip().casefold()
                names.setdefault(c, text.strip())
            n += 1
            if progress is not None and not n % 5000:
                progress(off / size)
            yield (
                n,
                eid,
                hash(values(row)),
                c,
                day,
                line,
                off,
                timestamp_seconds(row[i_ts]) if i_ts is not None else None,
            )

    db = sqlite3.connect(db_path, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", "cache_size=-32768"):
            db.execute(f"PRAGMA {pragma}")
        db.execute(
            f"CREATE TABLE {table} (n INTEGER PRIMARY KEY, id TEXT NOT NULL, h INTEGER NOT NULL,"
            " c TEXT NOT NULL, d INTEGER NOT NULL, line INTEGER NOT NULL, off INTEGER NOT NULL, t INTEGER)"
        )
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
        db.execute(f"CREATE TABLE {table}_countries (c TEXT PRIMARY KEY, name TEXT NOT NULL)")
        db.executemany(f"INSERT INTO {table}_countries VALUES (?, ?)", names.items())
        db.execute("COMMIT")
        try:
            db.execute(f"CREATE UNIQUE INDEX {table}_id ON {table}(id)")
        except sqlite3.IntegrityError:
            db.execute(f"CREATE INDEX {table}_id ON {table}(id)")
            dup = db.execute(
                f"SELECT a.id, a.line, b.line FROM {table} a JOIN {table} b ON a.id = b.id"
                " AND a.n < b.n ORDER BY b.n LIMIT 1"
            ).fetchone()
            raise SyncRefused(f"{path}:{dup[2]}: event_id_cnty: duplicate {dup[0]!r}; also on line {dup[1]}") from None
    finally:
        db.close()
    return n


def _load_all(
    jobs: list[tuple[str, str, str]], order: list[str], progress: Callable[[float], None] | None = None
) -> dict[str, int]:
    """Load each (db file, table, export) here, in this process.  (Two child processes, one
    an export, were faster at 1M, bench/README.md; they were removed: a `python -c` child puts
    the working directory first on its import path.)  progress(share of all the exports' bytes
    read), if given, moves through them in turn.  Raises SyncRefused or OSError as `load_table`."""
    sizes = [max(1, os.path.getsize(path)) for _db, _table, path in jobs]
    total, before = sum(sizes), 0
    counts = {}
    for (db, table, path), size in zip(jobs, sizes):

        def part(share: float, before: int = before, size: int = size) -> None:
            if progress is not None:
                progress((before + share * size) / total)

        counts[table] = load_table(db, table, path, order, part)
        before += size
    return counts


# -- the sync ---------------------------------------------------------------------------


@dataclass
class Revision:
    id: str
    old: Any
    new: Any

    @property
    def size(self) -> int | None:
        """How far the count moved; None when either side is no number (NA: unknown, never 0,
        so a withdrawal of 300 is no revision of size 300)."""
        if isinstance(self.new, int) and isinstance(self.old, int):
            return abs(self.new - self.old)
        return None


def _keep(heap: list[tuple[int, int, Revision]], n: int, item: tuple[int, int, Revision]) -> None:
    """The n highest items seen, in a heap."""
    if len(heap) < n:
        heapq.heappush(heap, item)
    else:
        heapq.heappushpop(heap, item)


@dataclass
class Summary:
    synced_at: str
    first: bool
    rows: int = 0
    added: int = 0
    late: int = 0  # added events dated before the previous data's newest (restored ones aside)
    restored: int = 0  # added events an earlier sync recorded as removed (ACLED put them back)
    revised: int = 0
    removed: int = 0
    touched: int = 0  # rows whose only change was ACLED's timestamp
    outside_previous_scope: int = 0  # added events in countries the stored data did not cover
    kept_outside_scope: int = 0  # stored events outside this export's scope, kept as they were
    removed_after: int = 0  # removed events ACLED changed after every row of the export (`_removed_after`)
    unchecked: int = 0  # changed rows with no timestamp to tell their age by, on either side
    replaced: bool = False  # acled/acled.csv was not the file the last sync left (`ledger.replaced_by_hand`)
    new_countries: list[str] = field(default_factory=list)
    largest: list[Revision] = field(default_factory=list)  # the ten largest fatality revisions (numbers both sides)
    withdrawn: int = 0  # fatality counts ACLED took back (a number, now NA)
    largest_withdrawn: list[Revision] = field(default_factory=list)  # the three highest of those
    given: int = 0  # fatality counts where there was none (NA, now a number)
    written: bool = False

    @property
    def changes(self) -> int:
        return self.added + self.revised + self.removed


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def acled_dir(data_dir: str) -> str:
    return os.path.join(data_dir, SUBDIR)


def _check_layout(data_dir: str, export: str) -> None:
    """The data directory's ACLED data must be `acled/` alone, holding only the sync's files."""
    from briefing.acled import sniff

    target = acled_dir(data_dir)
    if os.path.exists(target) and not os.path.isdir(target):
        raise SyncRefused(f"{target}: exists and is not a directory; the sync keeps its data there")
    for dirpath, dirnames, filenames in os.walk(data_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            if os.path.abspath(dirpath) == os.path.abspath(target):
                if name not in OWNED:
                    raise SyncRefused(
                        f"{path}: the sync owns {target}/; move this file elsewhere in the data directory"
                    )
                continue
            if os.path.exists(export) and os.path.samefile(path, export):
                raise SyncRefused(
                    f"{export}: the export is inside the data directory, where the loader would read it "
                    "as data too; sync it from somewhere else"
                )
            if name.lower().endswith(".csv") and sniff(path):
                raise SyncRefused(
                    f"{path}: an ACLED export outside {SUBDIR}/; to sync into it, move it to "
                    f"{os.path.join(target, CSV_NAME)} (the sync then compares against it)"
                )
        if os.path.abspath(dirpath) == os.path.abspath(target):
            if dirnames:
                raise SyncRefused(f"{os.path.join(target, dirnames[0])}: the sync owns {target}/; move this folder out")


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2(src: str, dst: str, flags: int) -> bool:
    """Linux renameat2(2); False where the C library or the filesystem does not offer it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), dst)


def _swap_in(staging: str, target: str) -> None:
    """Make `staging` the new `target` in one step; afterwards the old data is at `staging`."""
    if not os.path.exists(target):
        if not _renameat2(staging, target, _RENAME_NOREPLACE):
            os.rename(staging, target)  # a directory renamed onto a free name: atomic too
        return
    if _renameat2(staging, target, _RENAME_EXCHANGE):
        return
    # No RENAME_EXCHANGE (not Linux, or a filesystem without it): two renames, with a short
    # window in which `target` is missing (the old data is then at `aside`).
    aside = staging + ".old"
    os.rename(target, aside)
    os.rename(staging, target)
    os.rename(aside, staging)


def _keep_access(staging: str, target: str) -> None:
    """The new `acled/` and each file in it as the old ones were: mode (setgid too) and group,
    so that a sync neither opens a folder the desk closed nor shuts its analysts out (QA s18:
    `2750 root:users` became `0755 root:root`, and `0700` under cron's umask 077). A new
    file takes the folder's group and its read and write bits; a group this user may not give
    is left as it is."""
    import stat

    try:
        folder = os.stat(target)
    except FileNotFoundError:
        return  # the first sync: the umask's modes
    for name in os.listdir(staging):
        path = os.path.join(staging, name)
        try:
            old = os.stat(os.path.join(target, name))
        except FileNotFoundError:
            old = None
        # a new file (the first sync's ledger beside a hand-placed export): the folder's read and
        # write bits, so that a group that may read the folder may read it (QA s18: 0600 under
        # umask 077 in a 2750 folder, the analysts' load refused)
        mode = stat.S_IMODE(old.st_mode) if old is not None else stat.S_IMODE(folder.st_mode) & 0o666
        _give(path, mode, old.st_gid if old is not None else folder.st_gid)
    _give(staging, stat.S_IMODE(folder.st_mode), folder.st_gid)


def _give(path: str, mode: int | None, gid: int) -> None:
    try:
        os.chown(path, -1, gid)
    except PermissionError:
        pass
    if mode is not None:
        os.chmod(path, mode)  # after chown, which clears a setgid bit


def _lock(data_dir: str) -> int:
    """An exclusive lock on the data directory itself (no lock file left behind)."""
    import fcntl

    fd = os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise SyncRefused(f"{data_dir}: another sync is running on this data directory") from None
    return fd


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def sync(
    data_dir: str,
    export: str,
    *,
    now: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    older: bool = False,
) -> Summary:
    """Merge `export` into `data_dir`'s ACLED data, recording every change in the ledger.
    progress(done, total), if given, is called as the work goes (what a terminal's bar shows:
    a sync of a million rows takes tens of seconds).

    Raises SyncRefused (nothing written) for input that is not an ACLED export, whose columns
    differ from the stored export's, or (unless `older`) whose rows are older than the stored
    ones; OSError (nothing changed) when the disk fails."""
    export = os.fspath(export)
    data_dir = os.fspath(data_dir)
    if not os.path.isdir(data_dir):
        raise SyncRefused(f"{data_dir}: no such data directory (create it first)")
    lock = _lock(data_dir)
    try:
        new_header = read_header(export)
        target = acled_dir(data_dir)
        stored = os.path.join(target, CSV_NAME)
        _check_history(data_dir, target)
        old_header = read_header(stored) if os.path.exists(stored) else None
        if old_header is not None:
            check_same_columns(export, new_header, old_header)
        _check_layout(data_dir, export)
        if os.path.isdir(target) and not os.access(target, os.W_OK):  # its files would be swapped out all the same
            raise SyncRefused(f"{target}: not writable: a read-only folder is not replaced (make it writable to sync)")
        for name in os.listdir(data_dir):  # left by a killed sync (we hold the lock: none is running)
            if name.startswith(STAGING_PREFIX):
                shutil.rmtree(os.path.join(data_dir, name), ignore_errors=True)
        staging = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)  # mkdtemp makes it private; `acled/` gets a normal folder's mode
        try:
            at = _after_last(target, now or utc_now())
            summary = _sync_into(staging, target, export, new_header, old_header, at, progress, older)
            if summary.written:
                for name in os.listdir(staging):
                    if name not in OWNED:
                        os.unlink(os.path.join(staging, name))
                _keep_access(staging, target)
                _fsync_dir(staging)
                _swap_in(staging, target)
                _fsync_dir(data_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        os.close(lock)
    return summary


def _after_last(target: str, now: str) -> str:
    """The sync's time: `now`, or a second after the last sync's when that is not earlier (two
    syncs run back to back shared a second, the ledger's only mark of a sync: the TUI's What
    changed made them one, and `--since` could not tell them apart; QA s16).  A clock set back
    leaves the times in the order the syncs ran."""
    import datetime as dt

    from briefing.ledger import sync_log

    last = max((str(r.get("synced_at", "")) for r in sync_log(target)), default="")
    if now > last:
        return now
    try:
        then = dt.datetime.strptime(last, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return now
    return (then + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_history(data_dir: str, target: str) -> None:
    """Refuse (nothing written) a sync whose history the reads would refuse (QA s16): the
    export the last sync left gone from beside its ledger (a sync would begin a new history,
    this week's changes recorded nowhere), or a ledger with a broken line (the entries would
    go after it, and every read would still refuse the folder while each sync said all was
    well)."""
    from briefing.ledger import check, missing_export

    if why := missing_export(data_dir):
        raise SyncRefused(f"{os.path.join(target, CSV_NAME)}: {why}; nothing synced")
    ledger = os.path.join(target, LEDGER_NAME)
    if os.path.exists(ledger):
        try:
            check(ledger)
        except LedgerError as exc:
            raise SyncRefused(f"{exc}; nothing synced (mend or remove that line, then sync again)") from None


def _copy_export(src: str, dst: str) -> tuple[str, bool]:
    """Copy the export byte for byte; (its SHA-256, whether it ends with a newline)."""
    digest = hashlib.sha256()
    last = b"\n"
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        while True:
            chunk = fi.read(1 << 20)
            if not chunk:
                break
            digest.update(chunk)
            fo.write(chunk)
            last = chunk[-1:]
    return digest.hexdigest(), last == b"\n"


# The bar's share (in thousandths) at the end of each part of a sync, from their measured
# times: hashing the exports' rows is most of it; then the comparisons and the copy.
_HASHED, _COPIED, _COMPARED = 750, 830, 960


def _sync_into(
    staging: str,
    target: str,
    export: str,
    new_h: Header,
    old_h: Header | None,
    now: str,
    progress: Callable[[int, int], None] | None = None,
    older: bool = False,
) -> Summary:
    def step(done: int) -> None:
        if progress is not None:
            progress(done, 1000)

    stored = os.path.join(target, CSV_NAME)
    summary = Summary(synced_at=now, first=old_h is None)
    order = new_h.names  # compare by column name, whatever the order in each file
    jobs = [(os.path.join(staging, ".new.sqlite"), "new", export)]
    if old_h is not None:
        jobs.append((os.path.join(staging, ".old.sqlite"), "old", stored))
    summary.replaced = old_h is not None and replaced_by_hand(target)
    summary.rows = _load_all(jobs, order, None if progress is None else lambda share: step(int(_HASHED * share)))["new"]
    if not summary.rows:  # a failed download, more likely than an ACLED week with nothing in it
        raise SyncRefused(f"{export}: no rows after the header (an export cut short?): nothing synced")
    step(_HASHED)
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for path, table, _export in jobs:
            db.execute(f"ATTACH DATABASE ? AS {table}_db", (path,))
        if old_h is None:  # the first sync: nothing before it
            db.execute(
                "CREATE TEMP TABLE old (n INTEGER PRIMARY KEY, id TEXT, h INTEGER, c TEXT, d INTEGER,"
                " line INTEGER, off INTEGER, t INTEGER)"
            )
            db.execute("CREATE TEMP TABLE old_countries (c TEXT PRIMARY KEY, name TEXT)")
        names = dict(db.execute("SELECT c, name FROM old_countries"))
        names.update(db.execute("SELECT c, name FROM new_countries"))
        new_c = {c for (c,) in db.execute("SELECT DISTINCT c FROM new")}
        old_c = {c for (c,) in db.execute("SELECT DISTINCT c FROM old")}
        lo, hi = db.execute("SELECT min(d), max(d) FROM new").fetchone()
        old_max = db.execute("SELECT max(d) FROM old").fetchone()[0]
        summary.new_countries = sorted(names[c] for c in new_c - old_c) if old_h is not None else []

        # Old rows that are not in the new export: removed (in scope) or kept (outside it).
        gone = db.execute(
            "SELECT off, c, d FROM old WHERE NOT EXISTS (SELECT 1 FROM new WHERE new.id = old.id) ORDER BY n"
        )

        _check_rows(db, export, new_h)
        if old_h is not None and not older:
            summary.unchecked = _check_not_older(db, export)
            summary.removed_after = _removed_after(db)
        csv_out = os.path.join(staging, CSV_NAME)
        sha, ends_nl = _copy_export(export, csv_out)
        step(_COPIED)
        ledger_out = os.path.join(staging, LEDGER_NAME)
        old_ledger = os.path.join(target, LEDGER_NAME)
        if os.path.exists(old_ledger):
            shutil.copyfile(old_ledger, ledger_out)
        syncs_out = os.path.join(staging, SYNCS_NAME)
        if os.path.exists(os.path.join(target, SYNCS_NAME)):
            shutil.copyfile(os.path.join(target, SYNCS_NAME), syncs_out)

        removed_lines: list[str] = []  # few (ACLED deletes duplicates); written after the revisions
        old_rows = _At(stored) if old_h is not None else None
        try:
            if old_rows is not None and old_h is not None:
                # Kept rows (outside the new scope) go after the new export's; removed ones to the ledger.
                old_ix = old_h.index()
                new_ix = [old_ix[n] for n in new_h.names]
                i_id = old_ix["event_id_cnty"]
                with _Appender(csv_out, ends_nl, new_h.newline) as out:
                    for off, c, d in gone:
                        row = old_rows.row(off)
                        if c in new_c and lo <= d <= hi:
                            removed_lines.append(
                                _dump(
                                    {
                                        "kind": "removed",
                                        "id": "acled:" + row[i_id].strip(),
                                        "synced_at": now,
                                        "row": {name: _value(name, row[i]) for name, i in old_ix.items()},
                                    }
                                )
                            )
                        else:
                            summary.kept_outside_scope += 1
                            out.writerow([row[i] for i in new_ix])
            summary.removed = len(removed_lines)

            restorable = _removed_ids(ledger_out)  # removed by an earlier sync: back if added now
            with open(ledger_out, "a", encoding="utf-8", newline="\n") as ledger:
                added = db.execute(
                    "SELECT new.id, new.d, new.c FROM new WHERE NOT EXISTS "
                    "(SELECT 1 FROM old WHERE old.id = new.id) ORDER BY new.n"
                )
                for eid, d, c in added:
                    removed_at = restorable.get("acled:" + eid)
                    late = removed_at is None and old_h is not None and c in old_c and d < old_max
                    summary.added += 1
                    summary.late += late
                    summary.outside_previous_scope += old_h is not None and c not in old_c
                    entry = {
                        "kind": "added",
                        "id": "acled:" + eid,
                        "synced_at": now,
                        "event_date": _iso(d),
                        "country": names[c],
                        "late": late,
                    }
                    if removed_at is not None:
                        summary.restored += 1
                        entry.update(restored=True, removed_at=removed_at)
                    if old_h is None:  # nothing earlier to compare with: the baseline (`ledger`)
                        entry["baseline"] = True
                    ledger.write(_dump(entry))
                if old_rows is not None and old_h is not None:
                    differ = db.execute(
                        "SELECT old.off, new.off, new.d, new.c FROM old JOIN new ON old.id = new.id"
                        " WHERE old.h != new.h ORDER BY new.n"
                    )
                    _revisions(differ, old_rows, old_h, export, new_h, now, ledger, summary, names)
                ledger.writelines(removed_lines)
                step(_COMPARED)
                ledger.flush()
                os.fsync(ledger.fileno())
        finally:
            if old_rows is not None:
                old_rows.close()
        if summary.changes == 0 and summary.touched == 0 and not summary.first and not summary.replaced:
            return summary  # the same data again: nothing to record, nothing to write
        # the file this sync leaves, as the next one will find it: the export, and any stored
        # rows outside its scope after it
        stored_sha = sha if not summary.kept_outside_scope else sha256_of(csv_out)
        with open(syncs_out, "a", encoding="utf-8", newline="\n") as fh:
            dates = (_iso(lo), _iso(hi)) if lo is not None else (None, None)
            fh.write(
                _dump(
                    {
                        "synced_at": now,
                        "export": os.path.basename(export),
                        "sha256": sha,
                        "rows": summary.rows,
                        "baseline": summary.first,
                        "countries": sorted(names[c] for c in new_c),
                        "from": dates[0],
                        "to": dates[1],
                        "added": summary.added,
                        "late": summary.late,
                        "restored": summary.restored,
                        "revised": summary.revised,
                        "removed": summary.removed,
                        "timestamp_only": summary.touched,
                        "outside_previous_scope": summary.outside_previous_scope,
                        "kept_outside_scope": summary.kept_outside_scope,
                        "stored_sha256": stored_sha,
                        **({"replaced_by_hand": True} if summary.replaced else {}),
                    }
                )
            )
            fh.flush()
            os.fsync(fh.fileno())
        with open(csv_out, "rb+") as fb:
            os.fsync(fb.fileno())
        summary.written = True
        return summary
    finally:
        db.close()


def _check_rows(db: sqlite3.Connection, export: str, new_h: Header) -> None:
    """Every row the sync would add or revise, read as the loader reads it
    (`acled._Converter.row`); SyncRefused listing each bad one (`file.csv:LINE: event
    'acled:ID': field: reason`, as the importer says it) before anything is written.  Merged,
    such a row left a folder that no command could load, and the ledger took it for ACLED's
    revision.  A row the previous export held unchanged was read when that export loaded."""
    from briefing.acled import RowError, _Converter
    from briefing.problems import Problem

    conv = _Converter(export)
    names = new_h.names
    problems: list[str] = []
    bad = 0
    rows = _At(export)
    try:
        changed = db.execute(
            "SELECT new.off, new.line FROM new WHERE NOT EXISTS "
            "(SELECT 1 FROM old WHERE old.id = new.id AND old.h = new.h) ORDER BY new.n"
        )
        for off, line in changed:
            try:
                conv.row(dict(zip(names, rows.row(off))).get, line)
            except RowError as exc:
                bad += 1
                if len(problems) < SHOWN_PROBLEMS:
                    kind = "event" if exc.record_id else None
                    problems.append(
                        str(Problem(export, line, str(exc), kind=kind, record_id=exc.record_id, field=exc.field))
                    )
    finally:
        rows.close()
    if bad:
        from briefing.problems import show_path

        named = show_path(export)  # as each problem line names it
        more = [f"{named}: {bad - len(problems):,} more bad rows not shown"] if bad > len(problems) else []
        raise SyncRefused(
            *problems,
            *more,
            f"{named}: {bad:,} row{'s' if bad != 1 else ''} the loader would refuse: nothing synced (fix them in the export)",
        )


def _check_not_older(db: sqlite3.Connection, export: str) -> int:
    """SyncRefused when a row the new export shares with the stored one has an earlier
    `timestamp` (ACLED's last change to a row, which only moves forward): last week's file
    synced over this week's was taken as ACLED's news, every revision rolled back and the new
    events "removed".  Else how many changed rows had no timestamp, on either side, to check."""
    from briefing.problems import Problem

    problems: list[str] = []
    changed = db.execute(
        "SELECT new.line, new.id, new.t, old.t FROM old JOIN new ON old.id = new.id"
        " WHERE old.h != new.h AND (new.t < old.t OR new.t IS NULL OR old.t IS NULL) ORDER BY new.n"
    )
    bad = unchecked = 0
    for line, eid, now, was in changed:
        if now is None or was is None:
            unchecked += 1
            continue
        bad += 1
        if len(problems) < SHOWN_PROBLEMS:
            why = f"{now} is before {was}, the stored export's"
            problems.append(str(Problem(export, line, why, "event", "acled:" + eid, "timestamp")))
    if bad:
        more = [f"{export}: {bad - len(problems):,} more not shown"] if bad > len(problems) else []
        raise SyncRefused(
            *problems,
            *more,
            f"{export}: {bad:,} row{'s' if bad != 1 else ''} older than the stored export's: an older export? "
            "nothing synced (--older takes it, rolling those rows back)",
        )
    return unchecked


def _removed_after(db: sqlite3.Connection) -> int:
    """How many of the events this sync removes ACLED changed after every row of the new
    export: the mark of an older export that lacks only the newer events (no shared row went
    back in time).  Said, not refused: a quiet week in which ACLED only deleted rows looks the
    same, and a removal is undone by syncing the newer export again (`restored`)."""
    newest = db.execute("SELECT max(t) FROM new").fetchone()[0]
    if newest is None:
        return 0
    lo, hi = db.execute("SELECT min(d), max(d) FROM new").fetchone()
    return int(
        db.execute(
            "SELECT count(*) FROM old WHERE old.t > ? AND old.d BETWEEN ? AND ?"
            " AND old.c IN (SELECT DISTINCT c FROM new) AND NOT EXISTS (SELECT 1 FROM new WHERE new.id = old.id)",
            (newest, lo, hi),
        ).fetchone()[0]
    )


def _removed_ids(ledger_path: str) -> dict[str, str]:
    """id -> when the latest sync that removed it ran, for every event the ledger records as
    removed (a few: ACLED deletes duplicates); only the `removed` lines are parsed."""
    out: dict[str, str] = {}
    if not os.path.exists(ledger_path):
        return out
    with open(ledger_path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith('{"kind": "removed"'):
                try:
                    entry = json.loads(line)
                    out[str(entry["id"])] = str(entry["synced_at"])
                except (ValueError, KeyError, TypeError):
                    continue  # `briefing changes` names a broken line
    return out


def _revisions(
    pairs: Iterator[tuple[int, int, int, str]],
    old_rows: _At,
    old_h: Header,
    export: str,
    new_h: Header,
    now: str,
    ledger: IO[str],
    summary: Summary,
    names: dict[str, str],
) -> None:
    """Compare the rows whose hashes differ, field by field, in the new export's order, each
    field by what the loader reads in it (`read_as`): a row that only writes the same values
    another way gets no ledger entry, and one with a real change records only that change,
    with the event's date and country as an addition has them (a spreadsheet of the changes
    sorts and filters every kind by them: QA s17)."""
    cols = new_h.names
    old_ix = old_h.index()
    old_order = [old_ix[c] for c in cols]
    i_id = new_h.index()["event_id_cnty"]
    largest: list[tuple[int, int, Revision]] = []
    withdrawn: list[tuple[int, int, Revision]] = []
    new_rows = _At(export)
    try:
        for k, (old_off, new_off, day, country) in enumerate(pairs):
            row, old_row = new_rows.row(new_off), old_rows.row(old_off)
            old = [old_row[i] for i in old_order]
            changed = {
                c: [_value(c, o), _value(c, v)]
                for c, o, v in zip(cols, old, row)
                if o != v and read_as(c, o) != read_as(c, v)
            }
            if not changed:
                continue  # the same values written another way (`read_as`): nothing changed
            if set(changed) <= {"timestamp"}:
                summary.touched += 1
                continue
            eid = row[i_id].strip()
            summary.revised += 1
            ledger.write(
                _dump(
                    {
                        "kind": "revised",
                        "id": "acled:" + eid,
                        "synced_at": now,
                        "event_date": _iso(day),
                        "country": names[country],
                        "fields": changed,
                    }
                )
            )
            fat = changed.get("fatalities")
            if fat is not None:
                rev = Revision("acled:" + eid, fat[0], fat[1])
                size = rev.size
                if size is not None:
                    _keep(largest, 10, (size, -k, rev))
                elif taken_back(rev.old, rev.new):  # a number, now NA: counted apart
                    summary.withdrawn += 1
                    _keep(withdrawn, 3, (rev.old, -k, rev))
                elif isinstance(rev.new, int):
                    summary.given += 1
    finally:
        new_rows.close()
    summary.largest = [r for _s, _k, r in sorted(largest, key=lambda t: (-t[0], -t[1]))]
    summary.largest_withdrawn = [r for _s, _k, r in sorted(withdrawn, key=lambda t: (-t[0], -t[1]))]
