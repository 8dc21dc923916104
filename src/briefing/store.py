"""The store: a SQLite file of the parsed, validated records of one data directory.

Why SQLite: the standard library has it, it imports quickly (bench/README.md), it needs no
server, and it checks its own pages (`PRAGMA quick_check`); WAL mode lets a TUI and a brief
read while another process writes.  The files in the data directory stay the source of
truth: the store is derived from them and thrown away on any doubt.

Trust rules, each a case that broke the old marshal cache:

* The folder is `$XDG_CACHE_HOME/briefing` (a relative XDG value is ignored, as the XDG
  spec says), created 0700.  If it is not a folder owned by this user, or group/others can
  write to it, it is not used: one line on stderr, and the run goes on from memory.
* The store file (and its `-wal`/`-shm` companions) must be regular files: anything else
  (a FIFO would hang every run) is never opened, but removed and the store rebuilt.
* A store that fails to open, fails `quick_check`, or holds another schema
  (`PRAGMA user_version`) or code fingerprint is deleted and rebuilt — never a crash or a
  hang.  The fingerprint is computed over every module of the package, so no list of
  "modules that matter" can go stale.
* The check reads every page (slow for a big store out of the page cache: bench/README.md,
  round 14), so it is
  skipped when the file is exactly as a run of this tool left it: after its writes, the run
  seals the store on close (`.seal`: the file's device, inode, size, mtime_ns and ctime_ns,
  its log empty); anything else that writes to the file moves its ctime, which only the
  clock sets.  When the check runs, the file is read in order first (`_read_in`).
* A write the disk refuses (full, an I/O error, a read-only file) is rolled back and said
  once on stderr; the store is removed (a first import that ran out of room would otherwise
  leave its log filling the disk) and the run goes on from memory, its sorts in memory too.
  A write that only meets another process's lock (it is importing the same files) is not
  an error: this run goes on from memory, without a word.
* Per source file the store keeps path, size, mtime_ns, ctime_ns and inode (chmod and
  same-size edits with mtime set back change ctime), plus a BLAKE2 hash of the content when the
  file was changed within 2 s of the import (timestamps may not tell two such edits apart).
  Any difference re-imports that file.  Every file is opened on every load, so a file that
  has become unreadable is a problem, never served from the store.  The same holds for the
  file an export's rows are read with (`companion`: the sync's ledger beside
  `acled/acled.csv`, its revised counts and removed events): kept in the export's row, and
  its change (edited, emptied, taken out, restored) re-imports the export.

What is stored per file: its records, one row each, as JSON arrays in field order
(`records.to_row`: turned back into records without a Python call per field), with the
event date and id for ordering (`records_order`); its problems and skipped count.  An ACLED
export is streamed in (`acled.read_rows`, a batch of rows at a time, in one transaction), so
memory does not grow with the file; its duplicate ids are found in SQL.  The whole-directory
checks (`loader.build_dataset`, `briefing.stored`) run on every load.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

try:  # BLAKE2 as the standard library builds it: `import hashlib` first loads OpenSSL's
    # libcrypto, a few ms of every start (bench/README.md), for hashes only this module reads
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
    from hashlib import blake2b

SCHEMA = 9  # PRAGMA user_version: bump when the tables or the row layout change
RACY_NS = 2_000_000_000  # a file changed this recently also gets a content hash
FORGET_AFTER = 30 * 86400  # the store of a data folder gone, and unused this long, is removed
_warned: set[str] = set()
_fingerprint: str | None = None


def _say_once(message: str) -> None:
    """One line on stderr per message per process: the run goes on.  On a terminal it starts
    on a cleared line: a load's progress bar (`commands.common.Progress`) may stand there."""
    if message not in _warned:
        _warned.add(message)
        from briefing.display import one_line

        clear = "\r\x1b[K" if sys.stderr.isatty() else ""
        sys.stderr.write(f"{clear}briefing: {one_line(message)}\n")
        sys.stderr.flush()


def _busy(exc: sqlite3.Error) -> bool:
    """Whether a failed statement only met another process's lock (it is importing the same
    data): not a fault of the store or its disk."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
    return "locked" in str(exc) or "busy" in str(exc)


def fingerprint() -> str:
    """The briefing version, Python version and the stamps of every module of the package
    (path, size, mtime, ctime, inode): computed, not a list kept by hand.  Any write to a module
    (an edit, a reinstall, a checkout) moves its ctime, which nothing but the clock sets; a stat
    per module is cheap enough for every start, where reading them all was not."""
    global _fingerprint
    if _fingerprint is None:
        from briefing import __version__

        pkg = os.path.dirname(os.path.realpath(__file__))
        h = blake2b(digest_size=12)
        for dirpath, dirnames, filenames in os.walk(pkg):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(".py"):
                    full = os.path.join(dirpath, name)
                    try:
                        stamp = repr(_stamp(os.stat(full)))
                    except OSError:
                        stamp = "unreadable"
                    h.update(f"{full[len(pkg) :]}\0{stamp}\0".encode("utf-8", "surrogatepass"))
        _fingerprint = f"{__version__}/{sys.version_info[0]}.{sys.version_info[1]}/{h.hexdigest()}"
    return _fingerprint


def memory_db() -> sqlite3.Connection:
    """A SQLite database in memory, its sorts and temporary tables included: with the data in
    memory already, a temporary file gains nothing, and the disk may be the very thing that is
    full (a store that could not be written is one reason a load runs from memory)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def store_folder() -> str | None:
    """The store's folder, created 0700 if need be; None (said once on stderr) when it
    cannot be made or cannot be trusted."""
    from briefing.datadir import cache_dir

    folder = cache_dir()
    try:
        os.makedirs(os.path.dirname(folder), mode=0o700, exist_ok=True)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        st = os.lstat(folder)
    except OSError as exc:
        _say_once(f"cannot use the cache folder {folder} ({exc.strerror or exc}); running from memory")
        return None
    if not stat.S_ISDIR(st.st_mode):
        why = "is not a folder"
    elif st.st_uid != os.geteuid():
        why = "is owned by another user"
    elif st.st_mode & 0o022:
        why = "is writable by group or others"
    else:
        return folder
    _say_once(f"the cache folder {folder} {why}: not used; running from memory")
    return None


def store_path(folder: str, root: str) -> str:
    real = os.path.realpath(root)
    return os.path.join(
        folder, f"store-{blake2b(real.encode('utf-8', 'surrogatepass'), digest_size=10).hexdigest()}.sqlite"
    )


_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, digest TEXT, auto INTEGER NOT NULL,
    skipped INTEGER NOT NULL, problems TEXT NOT NULL, refs TEXT NOT NULL, invalid TEXT NOT NULL,
    companion TEXT, content TEXT
);
CREATE TABLE records (
    file INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE, kind TEXT NOT NULL, idx INTEGER NOT NULL,
    line INTEGER, id TEXT NOT NULL, date TEXT, data TEXT NOT NULL
);
CREATE INDEX records_file ON records(file, kind, idx);
"""
# made again after an export's rows are written (`Store._stream`)
_RECORD_INDEXES = """
CREATE INDEX records_order ON records(kind, date, id);
CREATE INDEX records_id ON records(kind, id);
"""


def _companions(path: str) -> list[str]:
    return [path, path + "-wal", path + "-shm", path + "-journal", path + ".seal", path + ".root"]


def _mark_use(path: str, root: str) -> None:
    """Note beside a store which data folder it holds and when it was last used (its `.root`
    file: the folder's real path, and its mtime, moved at most once a day), for `_sweep`."""
    side = path + ".root"
    try:
        st = os.lstat(side)
        if stat.S_ISREG(st.st_mode) and time.time() - st.st_mtime < 86400:
            return
        if stat.S_ISREG(st.st_mode):
            os.utime(side)
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    part = f"{side}.{os.getpid()}"
    try:
        with open(part, "wb") as fh:
            fh.write(os.path.realpath(root).encode("utf-8", "surrogateescape"))
            fh.flush()
            os.fsync(fh.fileno())  # never an empty `.root` after a crash: `_sweep` would not read it
        os.replace(part, side)
    except OSError:
        try:
            os.unlink(part)
        except OSError:
            pass


def _sweep(folder: str, keep: str) -> None:
    """Remove the stores whose data folder is gone and which no run has used for
    `FORGET_AFTER` (a 1M-row export's store is ~4 GB, left behind when its folder is deleted);
    a folder only missing for a while (a disk not mounted today) keeps its store.  Asked when a
    new store is about to be made, and said in one line.  A store made before `.root` files
    were written has none and is left alone."""
    gone: list[str] = []
    freed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if not (name.startswith("store-") and name.endswith(".sqlite.root")):
            continue
        side = os.path.join(folder, name)
        path = side[: -len(".root")]
        if path == keep:
            continue
        try:
            st = os.lstat(side)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < FORGET_AFTER:
                continue
            with open(side, "rb") as fh:
                root = os.fsdecode(fh.read(1 << 16))
            # gone: an absolute path as `_mark_use` writes it, not there, in a folder that is (a
            # `.root` emptied or edited by hand, or a disk not mounted, keeps its store)
            if root != os.path.normpath(root) or not os.path.isabs(root) or root == "/" or "\0" in root:
                continue
            if os.path.lexists(root) or os.path.lexists(root.strip()) or not os.path.isdir(os.path.dirname(root)):
                continue
            size = sum(os.lstat(p).st_size for p in _companions(path) if os.path.lexists(p))
        except OSError:
            continue
        if _remove(path):
            gone.append(root)
            freed += size
    if gone:
        from briefing.display import as_name

        _say_once(
            f"removed the stored data of {len(gone)} data folder{'s' if len(gone) > 1 else ''} gone and unused "
            f"for {FORGET_AFTER // 86400} days ({freed / 1e6:,.0f} MB): " + ", ".join(map(as_name, gone))
        )


def _file_stamp(path: str) -> str | None:
    """The store file's stamp as its seal holds it, when its log holds nothing; else None."""
    try:
        before = os.stat(path)
        try:
            if os.stat(f"{path}-wal").st_size:
                return None
        except FileNotFoundError:
            pass
        after = os.stat(path)
    except OSError:
        return None
    stamps = [(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) for st in (before, after)]
    return " ".join(map(str, stamps[0])) if stamps[0] == stamps[1] else None  # not in the middle of a write


def _sealed(path: str) -> bool:
    """Whether the store file is exactly as a run of this tool left it (`_seal`)."""
    try:
        with open(f"{path}.seal", "rb") as fh:  # a regular file in our own 0700 folder (`_only_regular`)
            held = fh.read(200)
    except OSError:
        return False
    now = _file_stamp(path)
    return now is not None and held == now.encode()


def _read_in(path: str) -> None:
    """Read the store file once from start to end, so that `quick_check` finds its pages in
    the page cache.  The check visits them in b-tree order, scattered over the file, which a
    disk that reads scattered pages slowly makes many times longer than one read in order
    (bench/README.md, round 14)."""
    try:
        with open(path, "rb", buffering=0) as fh:
            chunk = bytearray(1 << 20)
            while fh.readinto(chunk):
                pass
    except OSError:
        pass  # the check reports what cannot be read


def _seal(path: str) -> None:
    """Record that the store file is as this run left it, its log empty; when it is not
    (another process holds the log), nothing: the next writer checks every page."""
    stamp = _file_stamp(path)
    if stamp is None:
        return
    part = f"{path}.seal.{os.getpid()}"
    try:
        with open(part, "wb") as fh:
            fh.write(stamp.encode())
        os.replace(part, f"{path}.seal")
    except OSError:
        try:
            os.unlink(part)
        except OSError:
            pass


def _remove(path: str) -> bool:
    ok = True
    for p in _companions(path):
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
        except OSError:
            ok = False
    return ok


def _only_regular(path: str) -> bool:
    """True when the store's files are regular files or absent; anything else is removed
    unopened (False if that fails)."""
    for p in _companions(path):
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode):
            _say_once(f"{p} is not a regular file: not opened; the store is rebuilt")
            return _remove(path)
    return True


def _connect(path: str) -> sqlite3.Connection:
    # A short busy timeout: while another process imports (it holds the write lock for the
    # length of a file), this one loads from memory rather than wait (see `Store.writable`).
    conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys=ON")
    # In WAL mode, NORMAL syncs at checkpoints, not at every commit: a power loss may undo the
    # last commits but never damages the file, and the files' stamps roll back with their
    # rows, so the next start imports those files again.  A store is derived, not kept.
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def _usable(conn: sqlite3.Connection, check: bool) -> bool:
    """Whether an opened store is sound (`quick_check`, which reads every page: only when
    check) and of this schema and code; raises sqlite3.Error on damage."""
    if check and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        return False
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
        return False
    row = conn.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
    return row is not None and row[0] == fingerprint()


PAGE_SIZE = 16384  # bytes: `_create`
BUSY_MS = 2000  # how long a connection waits for another's lock before giving up
LOG_LIMIT = 64 << 20  # bytes of WAL kept once checkpointed; a bigger log is folded in at open


def _wal(conn: sqlite3.Connection) -> None:
    """WAL, so that readers go on while a load writes; the log cut back to 64 MiB once
    checkpointed (a view of a million events passes gigabytes through it)."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA journal_size_limit={LOG_LIMIT}")


def _fold_log(conn: sqlite3.Connection, path: str) -> None:
    """Fold a big log left behind into the store file, now that nothing may hold it back.

    A load checkpoints the view it wrote, but a session open on the old view (a TUI in another
    pane) keeps reading its snapshot, and the log stays: every later start would read all of
    it (hundreds of megabytes per 100k events).  The first start after that session is gone
    folds it in, once; while it is still open, this gives up at once (no waiting on it)."""
    try:
        if os.path.getsize(f"{path}-wal") <= LOG_LIMIT:
            return
    except OSError:
        return
    try:
        conn.execute("PRAGMA busy_timeout=0")
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    except sqlite3.Error:
        pass


def _create(conn: sqlite3.Connection) -> None:
    # Pages of 16 KiB rather than 4: a store is written in bulk (gigabytes at a million events)
    # and read a run of rows at a time (bench/README.md, round 26).  Set before the first write.
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
    _wal(conn)
    conn.executescript("BEGIN;" + _TABLES + _RECORD_INDEXES + "COMMIT;")
    conn.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint(),))
    conn.execute(f"PRAGMA user_version={SCHEMA}")


def _open_file(path: str, check: bool = True) -> sqlite3.Connection | None:
    """The store at path, sound and current, else rebuilt empty; None if neither works.
    check=False skips the page-by-page check (the first page reads a few pages, and any
    damage there is an error it handles; the full load that follows checks)."""
    if not _only_regular(path):
        return None
    failed: sqlite3.Error | None = None
    for attempt in range(2):
        conn = None
        try:
            fresh = not os.path.exists(path)
            conn = _connect(path)
            if fresh:
                _create(conn)
                return conn
            full = check and not _sealed(path)
            if full:
                _read_in(path)
            if _usable(conn, full):
                _wal(conn)
                _fold_log(conn, path)
                return conn
        except sqlite3.Error as exc:
            failed = exc
        if conn is not None:
            conn.close()
        if attempt == 0 and not _remove(path):
            break
    if failed is not None and not _busy(failed):  # a full disk, say: every run would meet it
        _remove(path)
        _say_once(f"cannot write the store {path} ({failed}): running from memory")
    return None


def open_current(root: str, key: str = "valid", holding: str | None = None) -> tuple[Store, str] | None:
    """(the store, its token) when it holds a problem-free load (key="loaded": any complete
    load) of exactly the files under root as they are now (each opened, proving it readable;
    stamps and racy hashes equal); None otherwise, or when there is no trusted store on disk.
    `holding`: a meta key the store must hold, asked first (cheaper than proving the files).
    The caller closes the store."""
    if os.environ.get("BRIEFING_NO_CACHE"):
        return None
    from briefing.walk import walk

    paths, problems = walk(root)
    folder = store_folder()
    if problems or folder is None:
        return None
    path = store_path(folder, root)
    if not os.path.exists(path):
        return None
    conn = _open_file(path, check=False)  # reading damaged pages raises: the callers handle it
    if conn is None:
        return None
    _mark_use(path, root)
    store = Store(conn)
    store.path = path
    try:
        held = holding is None or conn.execute("SELECT 1 FROM meta WHERE key=?", (holding,)).fetchone() is not None
    except sqlite3.Error:
        held = False
    token = store.unchanged(paths, key) if held else None
    if token is None:
        store.close()
        return None
    return store, token


def first_page(root: str, n: int = 300) -> Any:
    """A `Dataset` of the newest n events only (no actors or sources), straight from a
    store that holds a problem-free load of exactly the files under root as they are now;
    None when there is none, or when root has no more than n events (load it whole)."""
    got = open_current(root)
    if got is None:
        return None
    store = got[0]
    try:
        events = store.first_page(n)
    finally:
        store.close()
    if events is None:
        return None
    from briefing.dataset import Dataset

    return Dataset((), (), events, root=root, presorted=True)


def open_store(root: str, memory: bool = False) -> Store:
    """The store for a data directory: on disk when the cache folder can be trusted and
    BRIEFING_NO_CACHE is unset (and not `memory`), else in memory (the same code path,
    nothing kept)."""
    conn = None
    path: str | None = None
    if not memory and not os.environ.get("BRIEFING_NO_CACHE"):
        folder = store_folder()
        if folder is not None:
            path = store_path(folder, root)
            if not os.path.exists(path):  # a new store: room for it, first
                _sweep(folder, path)
            conn = _open_file(path)
            if conn is not None:
                _mark_use(path, root)
    if conn is None:
        path = None
        conn = memory_db()
        _create(conn)
    store = Store(conn)
    store.path = path
    store.sealable = path is not None  # checked, or as this tool left it, or new
    return store


Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
# what a file's row records of it as read: its stamp, its hash (racy), its companion's state,
# and an export's whole-content hash (`content`: proves it unchanged when only its stamps moved)
Seen = tuple[Stamp, "str | None", "list[Any] | None", "str | None"]


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _racy(st: os.stat_result) -> bool:
    """Changed too recently for its stamps to prove it unchanged later: it gets a content hash."""
    return time.time_ns() - st.st_mtime_ns < RACY_NS


def _token(stamps: list[tuple[str, Any]]) -> str:
    return blake2b(repr(stamps).encode("utf-8", "surrogatepass")).hexdigest()


def companion(path: str) -> str | None:
    """The other file path's records are read from, if any: the sync's ledger beside
    DIR/acled/acled.csv, whose revised counts and removed events go into the export's rows
    (`ledger.history_for`).  The rows are only as fresh as both files."""
    from briefing.ledger import CSV_NAME, LEDGER_NAME

    return os.path.join(os.path.dirname(path), LEDGER_NAME) if os.path.basename(path) == CSV_NAME else None


def _companion_state(path: str, digest: bool = False) -> list[Any] | None:
    """What the store keeps of path's companion (`companion`): None when path has none; [] when
    there is none there now (not a regular file, as `ledger.history_for` sees it); else its
    [size, mtime_ns, ctime_ns, inode, the sync record's stamp, content hash], the hash only when
    asked for or when it changed in the last 2 s (as for the files themselves).  The sync
    record (`syncs.jsonl` beside the ledger) is read with it: whether the export was replaced
    by hand (`ledger.replaced_by_hand`) is asked of it, and a record changed alone gave a warm
    store's answer and a cold load's two different ones (QA s13 regression pass)."""
    dep = companion(path)
    if dep is None:
        return None
    try:
        st = os.stat(dep)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:  # unreadable: a state of its own, never equal to one that was read
        return ["unreadable", exc.errno]
    if not stat.S_ISREG(st.st_mode):
        return []
    try:
        from briefing.ledger import SYNCS_NAME

        try:
            syncs: Any = list(_stamp(os.stat(os.path.join(os.path.dirname(dep), SYNCS_NAME))))
        except FileNotFoundError:
            syncs = None
        if not (digest or _racy(st)):
            return [*_stamp(st), syncs, None]
        fd = os.open(dep, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            return [*_stamp(os.fstat(fd)), syncs, _digest(fd)]
        finally:
            os.close(fd)
    except OSError as exc:  # unreadable: a state of its own, never equal to one that was read
        return ["unreadable", exc.errno]


def _key(stamp: Stamp, state: list[Any] | None) -> Any:
    """A file's part of a token: its stamp, and its companion's (`_companion_state`, less the hash)."""
    return stamp if state is None else (stamp, tuple(state[:4]), state[4] if len(state) > 4 else None)


def files_token(root: str) -> str | None:
    """The token the files under root would get if loaded now (`Store.token`), from their
    stamps alone: a stat each, nothing opened or stored.  None when some could not be listed
    or stated.  A browser asks it now and then to tell whether what it shows is still the
    files' (a dataset's `token`)."""
    from briefing.walk import walk

    paths, problems = walk(root)
    if problems:
        return None
    try:
        return _token([(p, _key(_stamp(os.stat(p)), _companion_state(p))) for p in paths])
    except OSError:
        return None


def _digest(fd: int) -> str:
    h = blake2b()
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 1 << 20):
        h.update(chunk)
    return h.hexdigest()


# a stored row's JSON text: compact, the text as it is (not \u-escaped), no cycle check
row_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def _problem_row(p: Any) -> list[Any]:
    return list(p)


def _runtime(pf: Any) -> Any:
    """A parsed file's records as runtime records (`briefing.records`), as the store gives them."""
    from briefing.records import actor_from_dict, event_from_dict, source_from_dict

    convert = {"source": source_from_dict, "actor": actor_from_dict, "event": event_from_dict}
    for kind, recs in pf.records.items():
        if recs and type(recs[0][0]) is dict:
            conv = convert[kind]
            for j, (r, line, idx) in enumerate(recs):  # in place: each dict freed as it goes
                recs[j] = (conv(r), line, idx)
    return pf


def _classes() -> dict[str, Any]:
    from briefing.records import Actor, Event, Source

    return {"source": Source, "actor": Actor, "event": Event}


class StoreChanged(Exception):
    """Rows a load left in the store are gone: another process replaced them meanwhile."""


class StoreDamaged(Exception):
    """A view cannot give back a row it lists: the store file is damaged (a page lost)."""


def damaged(exc: BaseException) -> bool:
    """Whether an error says the store file is damaged: a row a view lists is missing
    (`StoreDamaged`), or SQLite found a page it cannot read ("database disk image is
    malformed", "file is not a database")."""
    if isinstance(exc, StoreDamaged):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "")  # Python 3.11+
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        w in str(exc) for w in ("malformed", "not a database")
    )


def remove_damaged(root: str) -> str | None:
    """Remove root's store, found damaged mid-run, so that the next run builds it again from
    the data files (QA s18: a damaged page failed every export, run after run); its path, or
    None when there was none to remove."""
    folder = store_folder()
    if folder is None:
        return None
    path = store_path(folder, root)
    if not os.path.exists(path):
        return None
    _remove(path)
    return path


class Store:
    """One open store.  `parsed(paths)` is the only way records come out: every path is
    opened (proving it is readable now), its stamp compared, and a file whose stamp or
    content differs is parsed again and its rows replaced in one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.writable = True  # False after a write failed (`write_failed`): stop trying
        self.damaged = False  # a stored row unreadable, or a write the disk refused: removed on close
        self.memo: dict[Any, Any] = {}  # recurring values, shared by the records read back
        self.path: str | None = None
        self.sealable = False  # opened for writing, sound: sealed on close (`_seal`)
        self.stamps: list[tuple[str, Stamp | None, bool]] = []  # (path, stamp, hashed) as last read

    def token(self) -> str | None:
        """What the last `parsed` call read, as one string: equal tokens, equal inputs.
        None when some file could not be read."""
        if any(st is None for _p, st, _hashed in self.stamps):
            return None
        return _token([(p, st) for p, st, _h in self.stamps])

    def mark_valid(self, token: str | None, key: str = "valid") -> None:
        """Record that the files of `token` built a dataset without a single problem (`valid`:
        the one case in which `first_page` may show events before the whole set is checked),
        or built one at all, skipping what was invalid (`loaded`).  Nothing is written when
        the store says so already: a start on unchanged files only reads the store (a write
        would make the last close checkpoint and sync the file, most of a small load's time)."""
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
            if row is not None and row[0] == (token or ""):
                return
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, token or ""))
        except sqlite3.Error:
            pass

    def unchanged(self, paths: list[str], key: str = "valid") -> str | None:
        """The token of the store's files when they are exactly `paths`, unchanged and
        readable now, and a load of them found no problem (`mark_valid`; with key="loaded",
        a load that skipped what was invalid); else None."""
        try:
            self.stamps = []
            rows = {
                row[0]: row
                for row in self.conn.execute(
                    "SELECT path, size, mtime_ns, ctime_ns, inode, digest, id, companion FROM files"
                )
            }
            if len(rows) != len(paths):
                return None
            settled: list[int] = []
            for path in paths:
                row = rows.get(path)
                if row is None:
                    return None
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
                try:
                    st = os.fstat(fd)
                    stamp = _stamp(st)
                    if tuple(row[1:5]) != stamp or (row[5] is not None and row[5] != _digest(fd)):
                        return None
                finally:
                    os.close(fd)
                state = self._companion_holds(path, row[6], row[7])
                if state is False:
                    return None
                if row[5] is not None and not _racy(st):
                    settled.append(row[6])  # proved by content once, settled: its stamps prove it from now on
                self.stamps.append((path, _key(stamp, state), False))
            valid = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        except (OSError, sqlite3.Error):
            return None
        for file_id in settled:
            self._settle(file_id)
        token = self.token()
        return token if valid is not None and token is not None and valid[0] == token else None

    def first_page(self, n: int) -> list[Any] | None:
        """The newest n events as records (ordered as `Dataset` orders them), when there are
        more than n; else None (load everything instead).  Ask `unchanged` first."""
        try:
            got = self.conn.execute(
                "SELECT data FROM records WHERE kind='event' ORDER BY date DESC, id DESC LIMIT ?", (n + 1,)
            ).fetchall()
        except sqlite3.Error:
            return None
        if len(got) <= n:
            return None
        from briefing.records import Event, from_row

        try:
            return [from_row(Event, json.loads(d)) for (d,) in got[:n]]
        except (ValueError, TypeError, IndexError):  # a damaged row: the full load rebuilds
            return None

    def close(self) -> None:
        self.conn.close()
        if self.damaged and self.path:
            _remove(self.path)
        elif self.sealable and self.path:
            _seal(self.path)

    def parsed(
        self, paths: list[str], progress: Callable[[int, int, Any], None] | None = None, lazy: bool = False
    ) -> list[Any]:
        """Every path's `ParsedFile`.  lazy: an ACLED export's events stay in the store (the
        file's `stored` says where, `load_events` reads them): a big export is never held whole."""
        from briefing.loader import ParsedFile, parse_any
        from briefing.problems import Problem

        known = {
            row[1]: row
            for row in self._query(
                "SELECT id, path, size, mtime_ns, ctime_ns, inode, digest, auto, skipped, problems, refs, invalid,"
                " companion, content FROM files"
            )
        }
        out = []
        self.stamps = []
        sizes = []
        for path in paths:
            try:
                sizes.append(os.stat(path).st_size)
            except OSError:
                sizes.append(0)
        total = max(1, sum(sizes))
        shown = [-1]
        base = [0]

        def report(fraction: float) -> None:
            if progress is not None:
                pct = min(100, int(100 * (base[0] + fraction * sizes[i]) / total))
                if pct != shown[0]:
                    shown[0] = pct
                    progress(pct, 100, None)

        for i, path in enumerate(paths):
            row = known.pop(path, None)
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            except OSError as exc:
                self.stamps.append((path, None, False))
                if row is not None:
                    self._forget(row[0])
                out.append(
                    ParsedFile(path, problems=[Problem(path, None, f"cannot read: {exc.strerror or exc}")], skipped=1)
                )
                continue
            try:
                st = os.fstat(fd)
                stamp = _stamp(st)
                racy = _racy(st)
                pf = None
                state: Any = False
                if row is not None and tuple(row[2:6]) == stamp and (row[6] is None or row[6] == _digest(fd)):
                    state = self._companion_holds(path, row[0], row[12])
                    if state is not False:
                        pf = self._read(row, lazy)
                elif row is not None and row[13] is not None and row[2] == st.st_size and _digest(fd) == row[13]:
                    # An export touched, or copied over with the same bytes (`cp` without -p, a
                    # download of an export that had not changed): its content proves it the
                    # same, its new stamps are kept, and its rows are not read again (minutes
                    # at a million rows); the view is patched, not written again (`stored`).
                    state = self._companion_holds(path, row[0], row[12])
                    if state is not False:
                        pf = self._read(row, lazy)
                        if pf is not None:
                            self._restamp(row[0], stamp, row[13] if racy else None)
                if pf is not None and row is not None:  # pf is only read for a known row
                    self.stamps.append((path, _key(stamp, state), row[6] is not None))
                    if row[6] is not None and not racy:  # settled: a later edit changes mtime or ctime
                        self._settle(row[0])
                else:
                    digest = _digest(fd) if racy and stat.S_ISREG(st.st_mode) else None
                    # before the rows are read: a change to the companion meanwhile is seen next time
                    state = _companion_state(path)
                    self.stamps.append((path, _key(stamp, state), digest is not None or not stat.S_ISREG(st.st_mode)))
                    if row is not None:
                        self._forget(row[0])
                    pf = None
                    if stat.S_ISREG(st.st_mode) and os.path.splitext(path)[1].lower() == ".csv":
                        content = digest or _digest(fd)  # of the bytes as they are before the rows are read
                        pf = self._stream(path, (stamp, digest, state, content), report)
                        if pf is not None and not lazy:
                            self.load_events(pf)
                    if pf is None:
                        pf = _runtime(parse_any(path, report))
                        if stat.S_ISREG(st.st_mode) and _stamp(os.stat(path)) == stamp:  # unchanged while parsed
                            self._write(path, (stamp, digest, state, None), pf)
            except OSError as exc:
                pf = ParsedFile(path, problems=[Problem(path, None, f"cannot read: {exc.strerror or exc}")], skipped=1)
            finally:
                os.close(fd)
            out.append(pf)
            report(1.0)
            base[0] += sizes[i]
        if progress is not None and shown[0] != 100:
            progress(100, 100, None)
        for row in known.values():  # files gone from the directory
            self._forget(row[0])
        return out

    # -- rows ----------------------------------------------------------------------------------
    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        try:
            yield from self.conn.execute(sql, args)
        except sqlite3.Error:
            return

    def _settle(self, file_id: int) -> None:
        if self.writable:
            try:
                self.conn.execute("UPDATE files SET digest=NULL WHERE id=?", (file_id,))
            except sqlite3.Error as exc:
                self.write_failed(exc)  # said, not left to fail quietly on every start

    def _companion_holds(self, path: str, file_id: int, kept: str | None) -> list[Any] | None | Literal[False]:
        """path's companion's state now (`_companion_state`) when it is as when path's rows were
        stored (kept): the same stamps, and the same content when it was hashed (then, once it is
        older than 2 s, its stamps prove it from now on); False when it changed."""
        try:
            was = json.loads(kept) if kept is not None else None
        except ValueError:
            return False
        if was is not None and not isinstance(was, list):
            return False
        now = _companion_state(path, digest=was is not None and bool(was) and was[-1] is not None)
        if not was or not now or len(was) != 6 or len(now) != 6:  # none, or none there now, or unreadable
            return now if now == was and (not now or len(now) == 6) else False
        if was[:5] != now[:5] or (was[5] is not None and was[5] != now[5]):
            return False
        if was[5] is not None and time.time_ns() - now[1] >= RACY_NS and self.writable:
            try:
                self.conn.execute("UPDATE files SET companion=? WHERE id=?", (row_json([*now[:5], None]), file_id))
            except sqlite3.Error as exc:
                self.write_failed(exc)
        return now

    def _restamp(self, file_id: int, stamp: Stamp, digest: str | None) -> None:
        if self.writable:
            try:
                self.conn.execute(
                    "UPDATE files SET size=?, mtime_ns=?, ctime_ns=?, inode=?, digest=? WHERE id=?",
                    (*stamp, digest, file_id),
                )
            except sqlite3.Error as exc:
                self.write_failed(exc)

    def _forget(self, file_id: int) -> None:
        if not self.writable:
            return
        try:
            self.conn.execute("DELETE FROM files WHERE id=?", (file_id,))
        except sqlite3.Error as exc:
            self.write_failed(exc)

    def _read(self, row: tuple[Any, ...], lazy: bool = False) -> Any:
        """A stored file's records, or None (and the store is not trusted again) when its
        rows cannot be read back: the file is parsed again instead.  lazy: an ACLED export's
        events are left in the store (`load_events` reads them)."""
        try:
            return self._rows(row, lazy)
        except (sqlite3.Error, ValueError, TypeError, IndexError, KeyError, AttributeError):
            self.damaged = True
            return None

    def _kind_rows(self, file_id: int, kind: str) -> list[tuple[Any, int | None, int]]:
        from briefing.records import from_rows

        out: list[tuple[Any, int | None, int]] = []
        cls = _classes()[kind]
        cur = self.conn.execute(
            "SELECT idx, line, data FROM records WHERE file=? AND kind=? ORDER BY idx", (file_id, kind)
        )
        while got := cur.fetchmany(20_000):
            # one decode per batch: json.loads costs microseconds a call before it reads a byte
            rows = json.loads("[" + ",".join([d for _i, _l, d in got]) + "]")
            recs = from_rows(cls, rows, self.memo)
            out += zip(recs, [line for _i, line, _d in got], [idx for idx, _l, _d in got])
        return out

    def _rows(self, row: tuple[Any, ...], lazy: bool) -> Any:
        from briefing.loader import KINDS, ParsedFile
        from briefing.problems import Problem

        auto = bool(row[7])
        left = lazy and auto
        records = {kind: [] if left and kind == "event" else self._kind_rows(row[0], kind) for kind in KINDS}
        problems = [Problem(*p) for p in json.loads(row[9])]
        refs = [Problem(*p) for p in json.loads(row[10])]
        invalid = [tuple(x) for x in json.loads(row[11])]
        pf = ParsedFile(row[1], records, problems, row[8], auto=auto, refs=refs, invalid=invalid)
        if left:
            pf.stored = row[0]
            pf.stored_events = self.conn.execute(
                "SELECT count(*) FROM records WHERE file=? AND kind='event'", (row[0],)
            ).fetchone()[0]
        return pf

    def load_events(self, pf: Any) -> None:
        """Read the events a lazy `parsed` left in the store into the file's records, in one
        snapshot; raises `StoreChanged` when they are no longer all there (another process
        imported the file again meanwhile, under a new id: QA s18, a brief of "no events")."""
        if pf.stored is not None:
            own = not self.conn.in_transaction
            if own:
                self.conn.execute("BEGIN")  # one snapshot: the rows counted are the rows read
            try:
                rows = self._kind_rows(pf.stored, "event")
            finally:
                if own:
                    self.conn.execute("COMMIT")
            if len(rows) != pf.stored_events:
                raise StoreChanged(pf.path)
            pf.records["event"] = rows
            pf.stored, pf.stored_events = None, 0

    def _transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """work(conn) in one write transaction, its answer; None when SQLite fails (rolled
        back, and this store is not written again: another process may hold it)."""
        if not self.writable:
            return None
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            out = work(conn)
            conn.execute("COMMIT")
            return out
        except sqlite3.Error as exc:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self.write_failed(exc)
            return None

    def fold(self) -> None:
        """The log folded into the store file now, or every later start reads it first. A disk
        that cannot take it (full) is a write that failed: said, and the store removed on close
        (QA s18: a full cache disk was left full, a 289 MB log beside an unsealed store, and
        nothing said); another process holding the log back is no fault."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error as exc:
            self.write_failed(exc)

    def write_failed(self, exc: sqlite3.Error) -> None:
        """A write failed, rolled back: write no more.  When another process only held the
        lock, that is all (it is importing the same files).  Otherwise the disk is at fault
        (full, an I/O error, a read-only file), and every run would meet it: said once, and
        the store removed on close, or a first import that ran out of room would leave its
        log, up to gigabytes, filling the disk it ran out of."""
        self.writable = False
        if self.path and not _busy(exc):
            self.damaged = True
            _say_once(f"cannot write the store {self.path} ({exc}): removed; running from memory")

    @staticmethod
    def _new_file(conn: sqlite3.Connection, path: str, seen: Seen, pf: Any) -> int:
        """The file's row, replacing any earlier one (its records go with it): its id, never one
        an earlier row had (AUTOINCREMENT): a view names the exports it was made of by their ids
        (`stored._made_of`), and an export read again under its old id was taken for the one the
        view had read, its rows patched over with last week's sums and positions."""
        stamp, digest, state, content = seen
        conn.execute("DELETE FROM files WHERE path=?", (path,))
        fid = conn.execute(
            "INSERT INTO files (path, size, mtime_ns, ctime_ns, inode, digest, auto, skipped, problems, refs, invalid,"
            " companion, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                path,
                *stamp,
                digest,
                int(pf.auto),
                pf.skipped,
                row_json([_problem_row(p) for p in pf.problems]),
                row_json([_problem_row(p) for p in pf.refs]),
                row_json(pf.invalid),
                None if state is None else row_json(state),
                content,
            ),
        ).lastrowid
        assert fid is not None  # an INSERT's row
        return fid

    def _stream(self, path: str, seen: Seen, report: Callable[[float], None]) -> Any:
        """Read an ACLED export straight into the store, a batch of rows at a time (memory
        stays bounded whatever its size), in one transaction; a `ParsedFile` whose events are
        left in the store (`stored`).  Duplicate ids within the file are found in SQL once
        the rows are in: the first row stands, each later one is a problem, as `acled.parse_file`
        does in memory.  None when the store cannot be written (the caller reads it in memory)."""
        from briefing.acled import FileRefused, duplicate_problem, read_rows
        from briefing.loader import ParsedFile
        from briefing.records import event_from_dict, to_row

        def work(conn: sqlite3.Connection) -> Any:
            pf = ParsedFile(path, auto=True)
            fid = self._new_file(conn, path, seen, pf)
            # The indexes by date and by id are made again once the rows are in: kept up row
            # by row, each row lands on a page of its own in both, and the transaction writes
            # out the same pages again and again (bench/README.md, round 16).
            conn.execute("DROP INDEX records_order")
            conn.execute("DROP INDEX records_id")
            batch: list[tuple[Any, ...]] = []
            insert = "INSERT INTO records VALUES (?, 'event', ?, ?, ?, ?, ?)"

            def present(ids: list[str]) -> set[str]:
                conn.executemany(insert, batch)  # the rows given so far, every one
                batch.clear()
                return {
                    i
                    for (i,) in conn.execute(
                        "SELECT id FROM records WHERE file=? AND kind='event' AND id IN (SELECT value FROM json_each(?))",
                        (fid, json.dumps(ids)),
                    )
                }

            n = 0
            try:
                for ev, line in read_rows(path, pf, present, report):
                    batch.append((fid, n, line, ev["id"], ev["date"], row_json(to_row(event_from_dict(ev)))))
                    n += 1
                    if len(batch) >= 5000:
                        conn.executemany(insert, batch)
                        batch.clear()
                conn.executemany(insert, batch)
            except FileRefused as exc:  # every row goes: the rows read so far and the one at fault, at least
                conn.execute("DELETE FROM records WHERE file=?", (fid,))
                pf = ParsedFile(path, problems=[exc.whole()], skipped=n + 1, auto=True)
                n = 0
            for statement in _RECORD_INDEXES.strip().split(";")[:-1]:
                conn.execute(statement)
            dups = conn.execute(
                "SELECT id, idx, line FROM records WHERE file=? AND kind='event' AND id IN "
                "(SELECT id FROM records WHERE file=? AND kind='event' GROUP BY id HAVING count(*) > 1) "
                "ORDER BY id, idx",
                (fid, fid),
            ).fetchall()
            first: dict[str, int | None] = {}
            for eid, idx, line in dups:
                if eid not in first:
                    first[eid] = line
                    continue
                pf.problems.append(duplicate_problem(path, line, eid, first[eid]))
                pf.skipped += 1
                conn.execute("DELETE FROM records WHERE file=? AND kind='event' AND idx=?", (fid, idx))
            pf = _runtime(pf)  # the actors and sources the rows made, as records
            for kind in ("actor", "source"):
                conn.executemany(
                    f"INSERT INTO records VALUES (?, '{kind}', ?, ?, ?, NULL, ?)",
                    ((fid, idx, line, rec.id, row_json(to_row(rec))) for rec, line, idx in pf.records[kind]),
                )
            conn.execute(
                "UPDATE files SET skipped=?, problems=? WHERE id=?",
                (pf.skipped, row_json([_problem_row(p) for p in pf.problems]), fid),
            )
            pf.stored = fid
            pf.stored_events = n - len(dups) + len(first)
            return pf

        return self._transaction(work)

    def _write(self, path: str, seen: Seen, pf: Any) -> None:
        from briefing.records import to_row

        def work(conn: sqlite3.Connection) -> None:
            fid = self._new_file(conn, path, seen, pf)

            def rows() -> Iterator[tuple[Any, ...]]:
                for kind, recs in pf.records.items():
                    for rec, line, idx in recs:
                        yield fid, kind, idx, line, rec.id, rec.date if kind == "event" else None, row_json(to_row(rec))

            conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", rows())

        self._transaction(work)
