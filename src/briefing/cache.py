"""The load cache: parsed, validated records kept as plain data in the XDG cache directory.

Two levels, both under `datadir.cache_dir()`:

* `files/` — one entry per data file: its `ParsedFile` (checked columns or plain validated
  dicts, problems, skipped count; `file_payload`) as marshal data, keyed by the file's
  resolved path, size, mtime_ns and inode.
  A start where one file changed re-parses only that file.
* `sets/` — one entry per data directory: the *built* dataset (records merged, checked and
  sorted) in a columnar layout that turns back into records fast, keyed by every file's key.
  A start where nothing changed reads only this, never tomllib, pydantic or the checks.

Every entry also carries the briefing version and a fingerprint of the code that shapes the
records (schema, vocabularies, parsers, record classes), so an upgrade never reads an old
layout.  Never stale: a file whose mtime is within two seconds of the moment it was cached
may be edited again within the filesystem's timestamp granularity, so its entry also holds
a content digest, checked on use.  Corrupt, truncated or foreign entries are discarded and
rebuilt silently; writes are atomic (temp file + `os.replace`).  `BRIEFING_NO_CACHE=1` turns
the cache off (the loader does not call this module then).

Measured on 100k events (2 cores): marshal reads the columnar snapshot faster than pickle
rebuilds objects, and records are built column-wise with `map`; the garbage collector is
paused by the loader around all of it.
"""

from __future__ import annotations

import marshal
import os
import struct
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from briefing import __version__
from briefing.problems import DataError, Problem

FORMAT = 4
MAGIC = b"briefing-cache\x00"
RACY_NS = 2_000_000_000  # mtime this close to caching time: keep a digest as well
HEAD = 300  # events in the first chunk of a snapshot: a screenful, drawn before the rest
CHUNK = 10_000  # events per later chunk (keeps any one unmarshal short, for the UI thread)
_FRAME = struct.Struct("<Q")

Progress = Callable[[int, int, Any], None]

# Modules whose code decides what a parsed record or a snapshot looks like.
_SHAPERS = ("schema", "vocab", "records", "loader", "acled", "fasttoml", "tomlpos", "cache", "dataset", "problems",
            "ledger")
_fingerprint: str | None = None


def fingerprint() -> str:
    """The briefing version plus a checksum of the modules that shape cached records."""
    global _fingerprint
    if _fingerprint is None:
        here = os.path.dirname(os.path.realpath(__file__))
        crc = 0
        for name in _SHAPERS:
            try:
                with open(os.path.join(here, f"{name}.py"), "rb") as fh:
                    crc = zlib.crc32(fh.read(), crc)
            except OSError:
                crc = zlib.crc32(name.encode(), crc)
        _fingerprint = f"{__version__}/{FORMAT}/{sys.version_info[0]}.{sys.version_info[1]}/{crc:08x}"
    return _fingerprint


def _root() -> str:
    from briefing.datadir import cache_dir

    return cache_dir()


def _entry_name(path: str) -> str:
    base = "".join(c if c.isalnum() or c in "-_." else "_" for c in os.path.basename(path.rstrip("/")))[:40]
    return f"{zlib.crc32(path.encode('utf-8', 'surrogatepass')):08x}-{len(path)}-{base}.bin"


# -- file keys ----------------------------------------------------------------------------------
def _digest(path: str) -> str | None:
    import hashlib

    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def file_key(path: str | os.PathLike[str]) -> tuple[str, int, int, int] | None:
    """(resolved path, size, mtime_ns, inode), or None when the file cannot be stat'ed."""
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except OSError:
        return None
    return (real, st.st_size, st.st_mtime_ns, st.st_ino)


def _stamp(key: tuple[str, int, int, int], now_ns: int) -> tuple[Any, ...]:
    """The key as stored: with a content digest when the file may still change unseen."""
    if now_ns - key[2] < RACY_NS:
        return (*key, _digest(key[0]))
    return (*key, None)


def _fresh(stored: Sequence[Any], key: tuple[str, int, int, int] | None) -> bool:
    if key is None or len(stored) != 5 or tuple(stored[:4]) != key:
        return False
    return stored[4] is None or stored[4] == _digest(key[0])


# -- framed files -------------------------------------------------------------------------------
def _write(path: str, frames: Sequence[bytes]) -> None:
    """Atomically replace path with MAGIC + length-prefixed frames; failures are ignored."""
    parts = [MAGIC]
    for frame in frames:
        parts += (_FRAME.pack(len(frame)), frame)
    _write_raw(path, parts)


class _Reader:
    """Frames of a cache file, read one at a time; any damage raises `_Corrupt`."""

    def __init__(self, path: str):
        self.fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        if self.fh.read(len(MAGIC)) != MAGIC:
            self.close()
            raise _Corrupt

    def frame(self) -> Any:
        head = self.fh.read(_FRAME.size)
        if len(head) != _FRAME.size:
            raise _Corrupt
        (n,) = _FRAME.unpack(head)
        data = self.fh.read(n)
        if len(data) != n:
            raise _Corrupt
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError) as exc:
            raise _Corrupt from exc

    def close(self) -> None:
        self.fh.close()


class _Corrupt(Exception):
    pass


def _discard(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# -- per-file entries ---------------------------------------------------------------------------
def _problem_tuple(p: Problem) -> tuple[Any, ...]:
    return (p.file, p.line, p.message, p.kind, p.record_id, p.field, p.column)


def file_payload(pf: Any) -> tuple[Any, ...]:
    """A `ParsedFile` as plain data for marshal: kept here, and how a worker process hands
    over what it parsed.  Kinds held as checked columns stay columns (no records made)."""
    from briefing.records import to_plain

    cols = pf.cols
    plain = pf._records if not cols else {k: v for k, v in pf._records.items() if k not in cols}
    records = {k: [(r if type(r) is dict else to_plain(r), line, index) for r, line, index in v] for k, v in plain.items()}
    return (pf.path, records, [_problem_tuple(p) for p in pf.problems], pf.skipped, pf.auto,
            {k: (c, None if lines is None else list(lines)) for k, (c, lines) in cols.items()},
            [_problem_tuple(p) for p in pf.refs])


def file_from_payload(payload: Any) -> Any:
    """The `ParsedFile` of `file_payload` (raises `_Corrupt`, TypeError or ValueError on junk)."""
    from briefing.loader import KINDS, ParsedFile

    path, records, problems, skipped, auto, cols, *more = payload  # more: the refs (issue 12), if stored
    refs = more[0] if more else []
    if not isinstance(records, dict) or not isinstance(cols, dict) or set(records) | set(cols) != set(KINDS):
        raise _Corrupt
    if any(len(c) != 2 or not isinstance(c[0], dict) for c in cols.values()):
        raise _Corrupt
    recs = {k: [tuple(r) for r in records[k]] if k in records else [] for k in KINDS}
    return ParsedFile(path, recs, [Problem(*p) for p in problems], skipped, auto=auto,
                      cols={k: (c, None if lines is None else list(lines)) for k, (c, lines) in cols.items()},
                      refs=[Problem(*p) for p in refs])


def load_file(path: str | os.PathLike[str], key: tuple[str, int, int, int] | None) -> Any | None:
    """The cached ParsedFile for path if its entry matches key, else None (a bad entry is removed)."""
    if key is None:
        return None
    entry = os.path.join(_root(), "files", _entry_name(key[0]))
    try:
        r = _Reader(entry)
    except (OSError, _Corrupt):
        if os.path.exists(entry):
            _discard(entry)
        return None
    try:
        head = r.frame()
        if not (isinstance(head, tuple) and len(head) == 2 and head[0] == fingerprint()):
            return None
        if not _fresh(head[1], key):
            return None
        pf = file_from_payload(r.frame())
        if pf.cols:
            from briefing.fastcheck import records_from_columns

            for kind, (cols, _lines) in pf.cols.items():  # a damaged entry fails here, not later
                records_from_columns(kind, cols)
        # Named as the caller names it now, exactly as a cold parse would.
        pf.path = os.fspath(path)
        pf.problems = [Problem(pf.path, *_problem_tuple(p)[1:]) for p in pf.problems]
        pf.refs = [Problem(pf.path, *_problem_tuple(p)[1:]) for p in pf.refs]
        return pf
    except (_Corrupt, TypeError, ValueError, KeyError, IndexError, AttributeError):
        _discard(entry)
        return None
    finally:
        r.close()


def store_file(pf: Any, key: tuple[str, int, int, int] | None, now_ns: int) -> None:
    if key is None:
        return
    try:
        head = marshal.dumps((fingerprint(), _stamp(key, now_ns)))
        body = marshal.dumps(file_payload(pf))
    except ValueError:  # an unmarshallable value: just do not cache this file
        return
    _write(os.path.join(_root(), "files", _entry_name(key[0])), [head, body])


# -- dataset snapshots --------------------------------------------------------------------------
# Events are stored column-wise: one list per field, nested records flattened with counts,
# repeated strings shared (marshal writes a shared object once).  Actors and sources are few:
# stored as rows.

def _interner(memo: dict[Any, Any]) -> Callable[[Any], Any]:
    def intern(v: Any) -> Any:
        if v.__class__ is str and len(v) <= 120:
            return memo.setdefault(v, v)
        return v

    return intern


# Event and figure fields whose values are shared across the snapshot (marshal writes a
# shared object once): all but the numbers (a dict would fold 1 and 1.0 together) and the
# ids (unique anyway).
_UNSHARED = frozenset({"id", "lat", "lon", "value", "low", "high", "credibility"})


def _event_chunk(events: Sequence[Any], memo: dict[Any, Any]) -> tuple[Any, ...]:
    """Events column-wise: one list per plain field; roles as indexes into a table of the
    distinct (actor, role) pairs; figures as one list per figure field; counts per event.
    All in C (attrgetter, map over dict methods)."""
    from itertools import chain, repeat
    from operator import attrgetter

    from briefing.records import Event, Figure

    share = memo.setdefault

    def column(objs: Sequence[Any], name: str) -> list[Any]:
        col = list(map(attrgetter(name), objs)) if name else list(objs)
        return col if name in _UNSHARED else list(map(share, col, col))

    plain = [n for n in Event._fields if n not in ("tags", "actors", "figures", "sources", "related")]
    cols = {n: column(events, n) for n in plain}
    # tuples of str: each str shared, then each tuple
    lists = {}
    for n in ("tags", "sources", "related"):
        tuples = list(map(attrgetter(n), events))
        lists[n] = column(list(map(tuple, map(map, repeat(share), tuples, tuples))), "")
    roles = list(chain.from_iterable(map(attrgetter("actors"), events)))
    table = {pair: i for i, pair in enumerate(dict.fromkeys(roles))}
    role_idx = list(map(table.__getitem__, roles))
    role_counts = list(map(len, map(attrgetter("actors"), events)))
    figs = list(chain.from_iterable(map(attrgetter("figures"), events)))
    fig_cols = [column(figs, n) for n in Figure._fields]
    fig_counts = list(map(len, map(attrgetter("figures"), events)))
    role_table = [(share(a, a), share(r, r)) for a, r in table]
    return (cols, lists, role_table, role_idx, role_counts, fig_cols, fig_counts)


def _grouped(flat: list[Any], counts: list[int]) -> list[tuple[Any, ...]]:
    """flat cut into consecutive tuples of the given lengths (all in C)."""
    from itertools import islice, repeat

    if sum(counts) != len(flat):
        raise _Corrupt
    it = iter(flat)
    return list(map(tuple, map(islice, repeat(it), counts)))


def _build_events(chunk: Any) -> list[Any]:
    from briefing.records import ActorRole, Event, Figure, from_columns

    cols, lists, role_table, role_idx, role_counts, fig_cols, fig_counts = chunk
    roles = [ActorRole(*p) for p in role_table]  # (actor, role) repeats a lot: one record each
    role_col = _grouped(list(map(roles.__getitem__, role_idx)), role_counts)
    if len(fig_cols) != len(Figure._fields):
        raise _Corrupt
    fig_col = _grouped(from_columns(Figure, fig_cols), fig_counts)
    columns = []
    for n in Event._fields:
        if n == "actors":
            columns.append(role_col)
        elif n == "figures":
            columns.append(fig_col)
        elif n in lists:
            columns.append(lists[n])
        else:
            columns.append(cols[n])
    n_events = len(role_counts)
    if any(len(c) != n_events for c in columns):
        raise _Corrupt
    return from_columns(Event, columns)


def _rows(records: Sequence[Any], I: Callable[[Any], Any]) -> list[tuple[Any, ...]]:  # noqa: E741
    from briefing.records import to_plain

    out = []
    for r in records:
        d = to_plain(r)
        out.append(tuple(_freeze(v, I) for v in d.values()))
    return out


def _freeze(v: Any, I: Callable[[Any], Any]) -> Any:  # noqa: E741
    if isinstance(v, list):
        return tuple(_freeze(x, I) for x in v)
    if isinstance(v, dict):
        return tuple(_freeze(x, I) for x in v.values())
    return I(v)


def _snapshot_frames(ds: Any, token: str, problems: list[tuple[Any, ...]]) -> list[bytes]:
    memo: dict[Any, Any] = {}
    I = _interner(memo)  # noqa: E741
    events = ds.events
    # The newest events first, alone, so a screenful can be drawn before anything else is
    # read (an ACLED export can carry 50k row sources); then actors and sources; then the rest.
    first = (token, len(events), problems, ds.skipped, _event_chunk(events[:HEAD], memo))
    frames = [marshal.dumps(first), marshal.dumps((_rows(ds.sources, I), _rows(ds.actors, I)))]
    for i in range(HEAD, len(events), CHUNK):
        frames.append(marshal.dumps(_event_chunk(events[i : i + CHUNK], memo)))
    return frames


def _from_rows(rows: Sequence[Sequence[Any]], kind: str) -> list[Any]:
    from briefing.records import Actor, Figure, Relation, Source

    out = []
    if kind == "source":
        n = len(Source._fields)
        for r in rows:
            if len(r) != n:
                raise _Corrupt
            out.append(Source(*r))
        return out
    names = Actor._fields
    n_rel, n_fig = len(Relation._fields), len(Figure._fields)
    for r in rows:
        if len(r) != len(names):
            raise _Corrupt
        d = dict(zip(names, r))
        if any(len(x) != n_rel for x in d["relations"]) or any(len(x) != n_fig for x in d["figures"]):
            raise _Corrupt
        d["relations"] = tuple(Relation(*x) for x in d["relations"])
        d["figures"] = tuple(Figure(*x) for x in d["figures"])
        out.append(Actor(**d))
    return out


def _snapshot_paths(root: str) -> tuple[str, str]:
    name = _entry_name(os.path.realpath(root))
    base = os.path.join(_root(), "sets")
    return os.path.join(base, name[:-4] + ".key"), os.path.join(base, name)


def _load_snapshot(root: str, paths: list[str], keys: list[Any], skip_invalid: bool,
                   progress: Progress | None) -> Any | None:
    """The dataset from the directory snapshot, or None when there is none or it is stale."""
    from briefing.dataset import Dataset

    key_path, data_path = _snapshot_paths(root)
    try:
        with open(key_path, "rb") as fh:
            raw = fh.read(1 << 24)
        head = marshal.loads(raw)
        if not (isinstance(head, tuple) and len(head) == 4 and head[0] == fingerprint()):
            return None
        _fp, stored_keys, token, skip_needed = head
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, TypeError):
        _discard(key_path)
        return None
    if skip_needed and not skip_invalid:
        return None
    if len(stored_keys) != len(keys) or not all(_fresh(s, k) for s, k in zip(stored_keys, keys)):
        return None
    try:
        r = _Reader(data_path)
    except (OSError, _Corrupt):
        _discard(key_path)
        return None
    root_s = root
    try:
        first = r.frame()
        if not (isinstance(first, tuple) and len(first) == 5 and first[0] == token):
            raise _Corrupt
        _token, n_events, problem_rows, skipped, head_chunk = first
        # Problems are stored with the index of their file, and named as the caller names it now.
        problems = [Problem(paths[p[0]] if isinstance(p[0], int) else p[0], *p[1:]) for p in problem_rows]
        events = _build_events(head_chunk)
        total = 2 + -(-max(0, n_events - HEAD) // CHUNK)
        if progress is not None:
            partial = Dataset((), (), events, problems=problems, skipped=skipped, root=root_s, presorted=True)
            progress(1, total, partial)
        src_rows, actor_rows = r.frame()
        sources = _from_rows(src_rows, "source")
        actors = _from_rows(actor_rows, "actor")
        done = 2
        if progress is not None:
            progress(done, total, None)
        while len(events) < n_events:
            events.extend(_build_events(r.frame()))
            done += 1
            if progress is not None:
                progress(done, total, None)
        if len(events) != n_events:
            raise _Corrupt
        ds = Dataset(sources, actors, events, problems=problems, skipped=skipped, root=root_s, presorted=True)
    except (_Corrupt, TypeError, ValueError, KeyError, AttributeError, IndexError):
        _discard(key_path)
        _discard(data_path)
        return None
    finally:
        r.close()
    if any(s[4] is not None for s in stored_keys):
        # Some file was cached moments after an edit, so its content is checked on every
        # start; now that its time stamp is old enough, drop the digest (a small rewrite).
        now = time.time_ns()
        if all(now - k[2] >= RACY_NS for k in keys):
            _write_raw(key_path, [marshal.dumps((fingerprint(), [(*k, None) for k in keys], token, skip_needed))])
    return ds


def _write_raw(path: str, chunks: Sequence[bytes]) -> None:
    """Atomically replace path with the chunks, readable by the user only; failures are ignored
    (a cache that cannot be written is just a slower start)."""
    tmp = None
    try:
        folder, name = os.path.split(path)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
        # private: the cache holds the analyst's records, whatever the umask
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
            fh.writelines(chunks)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _store_snapshot(root: str, ds: Any, files: list[Any], keys: list[Any], now: int) -> None:
    """Write the directory snapshot, unless some problem could read differently next time
    (a problem found across files may name another file relative to the working directory)."""
    index = {f.path: i for i, f in enumerate(files)}
    own = {p for f in files for p in f.problems}
    problem_rows = []
    for p in ds.problems:
        if p not in own or p.file not in index:
            return
        problem_rows.append((index[p.file], *_problem_tuple(p)[1:]))
    token = f"{os.getpid()}-{time.time_ns()}"
    try:
        frames = _snapshot_frames(ds, token, problem_rows)
        head = marshal.dumps((fingerprint(), [_stamp(k, now) for k in keys], token, bool(ds.problems)))
    except ValueError:
        return
    key_path, data_path = _snapshot_paths(root)
    _discard(key_path)  # never a key pointing at half-replaced data
    _write(data_path, frames)
    _write_raw(key_path, [head])


# -- the entry point ----------------------------------------------------------------------------
def load(root: str, paths: list[str], *, skip_invalid: bool = False, progress: Progress | None = None):
    """The dataset for root (whose data files are paths), from the cache where it is fresh."""
    from briefing.loader import build_dataset, parse_all

    keys = [file_key(p) for p in paths]
    if all(k is not None for k in keys):
        ds = _load_snapshot(root, paths, keys, skip_invalid, progress)
        if ds is not None:
            return ds

    now = time.time_ns()
    total = len(paths) + 1
    files = [load_file(p, key) for p, key in zip(paths, keys)]
    cached = sum(f is not None for f in files)
    if progress is not None:
        progress(cached, total, None)
    todo = [i for i, f in enumerate(files) if f is None]
    if todo:
        report = (lambda done, _n: progress(cached + done, total, None)) if progress is not None else None
        for i, pf in zip(todo, parse_all([paths[i] for i in todo], report)):
            files[i] = pf
            store_file(pf, keys[i], now)
    ds = build_dataset(files, skip_invalid=skip_invalid, root=root)  # DataError propagates
    if progress is not None:
        progress(total, total, None)
    if all(k is not None for k in keys):
        _store_snapshot(root, ds, files, keys, now)
    return ds
