"""Loading a data directory: files → validated records → an immutable `Dataset`.

Two stages, so that a cache can sit between them: `parse_file` turns one file into
already-validated records (the only stage that reads TOML and checks the schema), and
`build_dataset` turns the records of all files into a `Dataset`, checking what only the
whole directory can tell (unknown ids, duplicates across files, parent cycles).  Every
problem is collected, never only the first, and each names file, line, record and field.

Paths are plain strings (`os.path`): `pathlib` is not imported on the way to a warm brief.
Any `os.PathLike` is accepted and named as `str(Path(p))` would name it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from briefing.datadir import pathstr
from briefing.problems import DataError, Problem, show_path

KINDS = ("source", "actor", "event")
MAX_FILE_BYTES = 64 * 1024 * 1024


class ParsedFile:
    """One file's records, validated, with the line each record starts on.

    `records` maps each kind to [(record, line of its header or None, its index among the
    file's [[kind]] tables)], a record being a plain dict (as `model_dump()` gives it: the schema's
    path, and ACLED rows) or a runtime record (`briefing.records`).  A kind whose records
    all passed `fastcheck.columns` is held as checked columns instead, in `cols` (kind →
    (columns, header lines or None)), compact to cache or send between processes; its runtime
    records are made from them when `records` is first read.

    A plain class: a dataclass costs about a millisecond at import, on the brief's path."""

    __slots__ = ("path", "_records", "cols", "_built", "problems", "skipped", "auto", "refs")

    def __init__(
        self,
        path: str,
        records: dict[str, list[tuple[Any, int | None, int]]] | None = None,
        problems: list[Problem] | None = None,
        skipped: int = 0,
        auto: bool = False,
        cols: dict[str, tuple[dict[str, Any], list[int | None]]] | None = None,
        refs: list[Problem] | None = None,
    ) -> None:
        self.path = path
        self._records = records if records is not None else {k: [] for k in KINDS}
        self.cols = cols if cols is not None else {}
        self._built = not self.cols
        self.problems = problems if problems is not None else []
        self.skipped = skipped
        # References read from records that failed their schema, checked by build_dataset
        # against every id (`_check_raw_references`), as problems to be worded there.
        self.refs: list[Problem] = refs if refs is not None else []
        # True for files whose actors and sources are made from the data (ACLED CSV): those
        # give way to curated records with the same name or alias (see `_merge_auto`) instead
        # of clashing as duplicates.
        self.auto = auto

    @property
    def records(self) -> dict[str, list[tuple[Any, int | None, int]]]:
        if not self._built:
            from briefing.fastcheck import records_from_columns

            for kind, (cols, lines) in self.cols.items():
                recs = records_from_columns(kind, cols)
                self._records[kind] = list(zip(recs, lines or repeat(None), range(len(recs))))
            self._built = True
        return self._records

    @records.setter
    def records(self, value: dict[str, list[tuple[Any, int | None, int]]]) -> None:
        self._records = value
        self.cols = {}
        self._built = True


def data_files(root: str | os.PathLike[str]) -> list[str]:
    """Every record file under root, in a stable order (hidden folders skipped): `*.toml`,
    and `*.csv` files whose header is ACLED's (other CSV files are left alone)."""
    root = pathstr(root)
    if os.path.isfile(root):
        return [root]
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if name.endswith(".toml"):
                out.append(pathstr(os.path.join(dirpath, name)))
            elif name.lower().endswith(".csv"):
                from briefing.acled import sniff

                path = pathstr(os.path.join(dirpath, name))
                if sniff(path):
                    out.append(path)
    return out


def parse_any(path: str | os.PathLike[str]) -> ParsedFile:
    """One data file of either kind: an ACLED CSV export, else TOML records."""
    path = os.fspath(path)
    if os.path.splitext(path)[1].lower() == ".csv":
        from briefing.acled import parse_file as parse_csv

        return parse_csv(path)
    return parse_file(path)


PARALLEL_BYTES = 4 * 1024 * 1024  # below this, starting a worker process costs more than it saves
PART_BYTES = 4 * 1024 * 1024  # shared with workers, a TOML file is read in parts about this big


def parse_all(paths: list[Any], progress=None) -> list[ParsedFile]:
    """`parse_any` for each path, in order; on several CPUs and many megabytes, shared with
    worker processes (cold loads of large TOML directories are CPU-bound).
    progress(done, total) is called as files finish.  Never raises for bad content."""
    paths = [os.fspath(p) for p in paths]
    sizes = []
    for p in paths:
        try:
            sizes.append(os.stat(p).st_size)
        except OSError:
            sizes.append(0)
    cpus = os.cpu_count() or 1
    if cpus > 1 and sum(sizes) >= PARALLEL_BYTES and not os.environ.get("BRIEFING_NO_PARALLEL"):
        try:
            shared = _parse_parallel(paths, sizes, cpus - 1, progress)
            if shared is not None:
                return shared
        except Exception:  # noqa: BLE001 - no processes here (sandbox, no /dev/shm): do it in-process
            pass
    out = []
    for i, p in enumerate(paths):
        out.append(parse_any(p))
        if progress:
            progress(i + 1, len(paths))
    return out


def _parts(path: str, size: int) -> int:
    if not path.endswith(".toml") or size > MAX_FILE_BYTES or not hasattr(os, "pread"):
        return 1
    return max(1, round(size / PART_BYTES))


def _parse_parallel(paths: list[str], sizes: list[int], children: int, progress) -> list[ParsedFile] | None:
    """Files shared between this process and up to `children` child interpreters.

    The work comes in units: a file, or a part of a big TOML file (`parse_part`), biggest
    first.  Every process takes the next unit nobody has taken (an exclusive create of
    `<unit>.claim` in a private temporary directory), so the work evens out however long
    each takes.  Children are plain `python -c` processes, not multiprocessing: nothing
    re-imports the caller's __main__ (a CLI entry point, a test runner), and a thread may
    call this safely.  A child writes each result there as marshal data (`cache.file_payload`)
    and prints its number; between its own units this process turns what children
    delivered into records.  A file whose parts do not all stand alone, and whatever a child
    fails to deliver, is parsed here, whole, afterwards.
    """
    import json
    import marshal
    import subprocess
    import sys
    import tempfile

    from briefing.cache import file_from_payload

    units = [(i, j, n) for i in range(len(paths)) for n in [_parts(paths[i], sizes[i])] for j in range(n)]
    units.sort(key=lambda u: -sizes[u[0]] / u[2])
    children = min(children, len(units) - 1)
    if children < 1:
        return None
    got: dict[int, list[Any]] = {}  # file -> its parts' results (None: that part cannot stand alone)
    results: list[ParsedFile | None] = [None] * len(paths)
    done = 0

    def deliver(unit: int, result: Any) -> None:
        nonlocal done
        i, j, n = units[unit]
        if n == 1:
            results[i] = result
        else:
            parts = got.setdefault(i, [False] * n)
            parts[j] = result
            if any(r is False for r in parts):
                return
            results[i] = _joined(paths[i], parts)
        if results[i] is not None:
            done += 1
            if progress:
                progress(done, len(paths))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    with tempfile.TemporaryDirectory(prefix="briefing-parse-") as tmp:
        job = json.dumps({"dir": tmp, "units": [[k, paths[i], j, n] for k, (i, j, n) in enumerate(units)]}).encode()
        procs = []
        for _ in range(children):
            child = subprocess.Popen(
                [sys.executable, "-c", "from briefing.loader import _parse_worker; _parse_worker()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            )
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(job)
            child.stdin.close()
            os.set_blocking(child.stdout.fileno(), False)
            procs.append([child, b"", True])

        def collect(block: bool) -> None:
            import select

            while True:
                live = [entry for entry in procs if entry[2]]
                if not live:
                    return
                if block:
                    select.select([entry[0].stdout for entry in live], [], [], 1.0)
                read = False
                for entry in live:
                    try:
                        chunk = os.read(entry[0].stdout.fileno(), 65536)
                    except BlockingIOError:
                        continue
                    read = True
                    if not chunk:
                        entry[2] = False
                        continue
                    entry[1] += chunk
                    *lines, entry[1] = entry[1].split(b"\n")
                    for line in lines:
                        k = int(line)
                        try:
                            with open(os.path.join(tmp, f"{k}.bin"), "rb") as fh:
                                payload = marshal.load(fh)
                            if units[k][2] == 1:
                                result = file_from_payload(payload)
                            else:
                                result = None if payload is None else (payload[0], file_from_payload(payload[1]))
                            if result is not None:
                                (result[1] if isinstance(result, tuple) else result).records  # noqa: B018 - records now, while a child works
                        except Exception:  # noqa: BLE001 - parsed again below
                            continue
                        deliver(k, result)
                if not block and not read:
                    return

        for k, (i, j, n) in enumerate(units):
            if not _claim(tmp, k):
                continue
            if n == 1:
                deliver(k, parse_any(paths[i]))
            else:
                result = parse_part(paths[i], j, n)
                if result is not None:
                    result[1].records  # noqa: B018
                deliver(k, result)
            collect(block=False)
        collect(block=True)
        for entry in procs:
            entry[0].wait()
    for i, r in enumerate(results):
        if r is None:
            results[i] = parse_any(paths[i])
            done += 1
            if progress:
                progress(done, len(paths))
    return results  # type: ignore[return-value]


def _claim(tmp: str, k: int) -> bool:
    try:
        os.close(os.open(os.path.join(tmp, f"{k}.claim"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


def _parse_worker() -> None:
    """Child side of `_parse_parallel`: parse the units nobody has claimed, write each, say which."""
    import gc
    import json
    import marshal
    import sys

    from briefing.cache import file_payload

    gc.disable()
    job = json.loads(sys.stdin.read())
    tmp = job["dir"]
    for k, path, j, n in job["units"]:
        if not _claim(tmp, k):
            continue
        try:
            if n == 1:
                data = marshal.dumps(file_payload(parse_any(path)))
            else:
                part = parse_part(path, j, n)
                data = marshal.dumps(None if part is None else (part[0], file_payload(part[1])))
        except ValueError:  # something marshal cannot write: the parent parses this one
            continue
        final = os.path.join(tmp, f"{k}.bin")
        with open(final + ".tmp", "wb") as fh:
            fh.write(data)
        os.replace(final + ".tmp", final)
        sys.stdout.write(f"{k}\n")
        sys.stdout.flush()


_WINDOW = 1 << 20  # a part starts at a top-level header within this much of its place


def _cut(fd: int, start: int, size: int) -> int | None:
    """Where the first line `[[name]]` (a top-level table) at or after start begins; size
    if start is at the end; None if there is none within `_WINDOW` bytes."""
    if start >= size:
        return size
    start = max(start, 1)
    window = os.pread(fd, _WINDOW, start - 1)  # from the newline before start
    pos = window.find(b"\n[[")
    while pos != -1:
        end = window.find(b"]]", pos)
        if end == -1:
            return None
        name = window[pos + 3 : end]
        if b"." not in name and b"\n" not in name:
            return start - 1 + pos + 1
        pos = window.find(b"\n[[", pos + 1)
    return size if start - 1 + len(window) >= size else None


def parse_part(path: str, j: int, n: int) -> tuple[Any, ParsedFile] | None:
    """Part j of n of a TOML file as (which file and cut, its records), or None when the
    part does not stand alone as plain valid records — no root keys, every kind read by the
    fast reader and passing `fastcheck.columns` — or the file changed: then the whole file
    is to be parsed.  Part j runs from the first top-level header (`[[name]]` starting a
    line) at or after j/n of the file to the next part's start; the text before such a
    header leaves nothing open that the text after it could add to but arrays of tables,
    which `_joined` joins in order.  Only the part (and the bytes around its ends) is read."""
    from briefing import fasttoml

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        size = st.st_size
        if not stat.S_ISREG(st.st_mode) or size > MAX_FILE_BYTES:
            return None
        base = 3 if os.pread(fd, 3, 0) == b"\xef\xbb\xbf" else 0
        begin = base if j == 0 else _cut(fd, base + j * (size - base) // n, size)
        end = _cut(fd, base + (j + 1) * (size - base) // n, size) if j + 1 < n else size
        if begin is None or end is None:
            return None
        piece = os.pread(fd, end - begin, begin) if end > begin else b""
        again = os.fstat(fd)
        if len(piece) != end - begin or (again.st_size, again.st_mtime_ns) != (size, st.st_mtime_ns):
            return None
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        reading = fasttoml.read(None, piece)
    except (ValueError, RecursionError):
        return None
    if not reading.flat or not set(reading.keys) <= set(KINDS):
        return None
    result = ParsedFile(path)
    for kind in reading.keys:
        cols = reading.columns(kind)
        if cols is None:
            return None
        result.cols[kind] = (cols, None)
    result._built = not result.cols
    return (size, st.st_mtime_ns, st.st_ino, n), result


def _joined(path: str, parts: list[Any]) -> ParsedFile | None:
    """The file's records from its parts, or None (parse it whole) when some part does not
    stand alone or the parts were read from different versions of the file."""
    if any(p is None for p in parts) or len({tuple(p[0]) for p in parts}) != 1:
        return None
    files = [p[1] for p in parts]
    kinds = list(dict.fromkeys(k for f in files for k in f.cols))
    out = ParsedFile(path, cols={k: (_joined_columns([f.cols[k][0] for f in files if k in f.cols]), None) for k in kinds})
    if all(f._built for f in files):
        for k in kinds:
            recs = list(chain.from_iterable(map(itemgetter(0), f._records[k]) for f in files))
            out._records[k] = list(zip(recs, repeat(None), range(len(recs))))
        out._built = True
    return out


def _joined_columns(pieces: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, first in pieces[0].items():
        if isinstance(first, tuple):  # a list of sub-records: (their columns, count per record)
            out[name] = (_joined_columns([p[name][0] for p in pieces]), list(chain.from_iterable(p[name][1] for p in pieces)))
        else:
            out[name] = list(chain.from_iterable(p[name] for p in pieces))
    return out


def _loc_str(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _error_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid"))
    kind = err.get("type", "")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see `briefing schema`)"
    if kind == "missing":
        return "required field is missing"
    inp = err.get("input")
    if kind not in ("value_error", "assertion_error") and isinstance(inp, (str, int, float, bool)):
        shown = repr(inp)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        msg += f" (got {shown})"
    return msg[:1].lower() + msg[1:] if msg[:2] != msg[:2].upper() else msg


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_TWICE = re.compile(r"^Cannot (?:declare|mutate immutable namespace) \((.*?),?\)(?: twice)?$")
_LONG_NUMBER = re.compile(r"\d[\d_]{99,}")


def _toml_message(msg: str, text: str, line: int | None) -> str:
    """tomllib's message, with duplicate keys and tables said plainly."""
    if msg == "Cannot overwrite a value":
        lines = text.splitlines()
        key = lines[line - 1].split("=", 1)[0].strip() if line and line <= len(lines) and "=" in lines[line - 1] else ""
        named = f" {key!r}" if key and len(key) <= 80 else ""
        return f"duplicate key{named}: a key can be set only once in a table (TOML)"
    m = _TOML_TWICE.match(msg)
    if m:
        name = ".".join(part.strip().strip("'\"") for part in m.group(1).split(","))
        return f"duplicate key or table {name!r}: it is already defined above (TOML)"
    return f"TOML syntax: {msg}"


def _huge_number_line(text: str) -> int | None:
    m = _LONG_NUMBER.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def read_text(path: str | os.PathLike[str], limit: int, problems: list[Problem]) -> str | None:
    """A data file's text (BOM dropped), or None with the reason added to problems.

    Shared by the TOML and ACLED readers: a FIFO would block and /dev/zero would never end,
    so only regular files are read, and the read itself is bounded since a file may grow
    between stat and read."""
    got = _read(os.fspath(path), limit, problems)
    return got[1] if got is not None else None


def _read(path: str, limit: int, problems: list[Problem], decode: bool = True) -> tuple[bytes, str | None] | None:
    """`read_text`, with the bytes the text was decoded from (BOM dropped too); with
    decode=False the text is None (see `_not_utf8` for the problem to give if it fails)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(path, None, "not a regular file"))
            return None
        if st.st_size > limit:
            problems.append(Problem(path, None, f"file is {st.st_size} bytes, over the {limit}-byte limit"))
            return None
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            problems.append(Problem(path, None, f"file is over the {limit}-byte limit"))
            return None
    except OSError as exc:
        problems.append(Problem(path, None, f"cannot read: {exc.strerror or exc}"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not decode:
        return raw, None
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(_not_utf8(path, raw, exc))
        return None


def _not_utf8(path: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    line = raw[: exc.start].count(b"\n") + 1
    return Problem(path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})")


def parse_file(path: str | os.PathLike[str]) -> ParsedFile:
    """Parse and validate one TOML file; never raises for bad content.

    Each kind's records are checked a column at a time (`fastcheck.columns`); only a kind
    with some record that check does not accept goes through the pydantic models, which
    word every error (and are not even imported for a directory of valid files).  Records
    so checked keep no header line: `build_dataset` finds it if a message needs it."""
    from briefing import fasttoml

    path = os.fspath(path)
    result = ParsedFile(path)
    problems = result.problems
    got = _read(path, MAX_FILE_BYTES, problems, decode=False)
    if got is None:
        return result
    raw = got[0]
    try:
        # tomllib's result and errors, faster on plain record files (and a canonical one is
        # not even decoded: its JSON reader checks the UTF-8)
        reading = fasttoml.read(None, raw)
    except UnicodeDecodeError as exc:
        problems.append(_not_utf8(path, raw, exc))
        return result
    except (ValueError, RecursionError) as exc:
        problems.append(_unreadable(path, raw.decode("utf-8"), exc))
        return result

    locator = None
    for key in reading.keys:
        if key not in KINDS:
            problems.append(
                Problem(path, None, f"unknown table {key!r}: a data file holds [[source]], [[actor]] and [[event]]")
            )
            continue
        cols = reading.columns(key)
        if cols is not None:
            result.cols[key] = (cols, None)
            result._built = False
            continue
        value = reading.value(key)
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            problems.append(Problem(path, None, f"{key!r} must be an array of tables: write [[{key}]]"))
            continue
        if locator is None:
            from briefing.tomlpos import TomlLocator

            locator = TomlLocator(reading.text)
        _validate(result, key, value, reading.starts, locator)
    return result


def _unreadable(path: str, text: str, exc: BaseException) -> Problem:
    """The problem for a file TOML cannot read (tomllib's message, made plainer)."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    if isinstance(exc, tomllib.TOMLDecodeError):
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = col = None
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            msg = _TOML_POS.sub("", msg).strip()
        return Problem(path, line, _toml_message(msg, text, line), column=col)
    if isinstance(exc, ValueError):  # tomllib lets int() refuse a number of thousands of digits
        return Problem(path, _huge_number_line(text), "number has too many digits to read")
    return Problem(path, None, "TOML nesting is too deep to read")


def _validate(result: ParsedFile, key: str, value: list[dict[str, Any]], starts, locator) -> None:
    """One kind's records through the pydantic model: valid ones as dumped dicts, every
    error of the others as a problem."""
    from pydantic import ValidationError

    from briefing.schema import MODELS

    path = result.path
    problems = result.problems
    record_line = (lambda kind, i: starts[kind][i]) if starts is not None else locator.record_line
    model = MODELS[key]
    for index, rec in enumerate(value):
        record_id = rec.get("id") if isinstance(rec.get("id"), str) else None
        try:
            obj = model.model_validate(rec)
        except ValidationError as exc:
            result.skipped += 1
            for err in exc.errors():
                loc = err.get("loc", ())
                problems.append(
                    Problem(
                        path,
                        locator.field_line(key, index, loc),
                        _error_message(err),
                        kind=key,
                        record_id=record_id,
                        field=_loc_str(loc) or None,
                    )
                )
            # Its references are still checked (by build_dataset, which knows every id), so
            # a misspelled field does not hide an unknown actor until it is fixed.
            wrong = {tuple(err.get("loc", ())) for err in exc.errors()}  # already said
            for loc, ref_kind, ref_id in _raw_references(key, rec):
                if loc in wrong:
                    continue
                result.refs.append(Problem(path, locator.field_line(key, index, loc), f"{ref_kind}\0{ref_id}",
                                           kind=key, record_id=record_id, field=_loc_str(loc)))
            continue
        except RecursionError:
            result.skipped += 1
            problems.append(Problem(path, record_line(key, index), "record nests too deeply", kind=key, record_id=record_id))
            continue
        result._records[key].append((obj.model_dump(), record_line(key, index), index))


class _Places:
    """Where each record came from, for messages that point at a record or a field found
    wrong later: the file is read again then (records checked as columns keep no line)."""

    def __init__(self, files: list[ParsedFile], records: list[dict[str, list[tuple[Any, int | None, int]]]]) -> None:
        self._files, self._records = files, records
        self._where: dict[tuple[str, str], tuple[str, int, int | None]] | None = None
        self._locators: dict[str, Any] = {}

    @property
    def where(self) -> dict[tuple[str, str], tuple[str, int, int | None]]:
        """(kind, id) → (file, index among the file's [[kind]] tables, line or None), first wins."""
        if self._where is None:
            self._where = {}
            for f, recs in zip(self._files, self._records):
                for kind in KINDS:
                    for rec, line, index in recs[kind]:
                        self._where.setdefault((kind, rec.id), (f.path, index, line))
        return self._where

    def _locator(self, path: str) -> Any:
        if path not in self._locators:
            self._locators[path] = None
            if path.endswith(".toml"):
                try:
                    from briefing.tomlpos import TomlLocator

                    with open(path, encoding="utf-8-sig") as fh:
                        self._locators[path] = TomlLocator(fh.read())
                except (OSError, UnicodeDecodeError):
                    pass
        return self._locators[path]

    def record_line(self, path: str, kind: str, index: int, line: int | None) -> int | None:
        if line is None:
            loc = self._locator(path)
            if loc is not None:
                line = loc.record_line(kind, index)
        return line

    def line(self, kind: str, rid: str, loc: tuple[str | int, ...]) -> int | None:
        path, index, line = self.where[(kind, rid)]
        line = self.record_line(path, kind, index, line)
        if not loc:
            return line
        loc_ = self._locator(path)
        if loc_ is None:
            return line
        return loc_.field_line(kind, index, loc) or line


def _references(kind: str, rec: Any) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(field path, referenced kind, referenced id) for every id a record points at."""

    def figures(prefix: tuple[str | int, ...], figs: tuple[Any, ...]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
        for i, f in enumerate(figs):
            yield (*prefix, i, "claimed_by"), "actor", f.claimed_by
            yield (*prefix, i, "source"), "source", f.source
            if f.via:
                yield (*prefix, i, "via"), "source", f.via

    if kind == "source":
        for i, s in enumerate(rec.via):
            yield ("via", i), "source", s
    elif kind == "actor":
        if rec.parent:
            yield ("parent",), "actor", rec.parent
        for i, r in enumerate(rec.relations):
            yield ("relations", i, "actor"), "actor", r.actor
        for i, s in enumerate(rec.sources):
            yield ("sources", i), "source", s
        yield from figures(("figures",), rec.figures)
    else:
        for i, a in enumerate(rec.actors):
            yield ("actors", i, "actor"), "actor", a.actor
        for i, s in enumerate(rec.sources):
            yield ("sources", i), "source", s
        for i, r in enumerate(rec.related):
            yield ("related", i), "event", r
        yield from figures(("figures",), rec.figures)


def _raw_references(kind: str, rec: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """`_references` for a record as written (it failed its schema): the ids that can be read."""
    def strings(field: str) -> Iterator[tuple[int, str]]:
        v = rec.get(field)
        if isinstance(v, list):
            yield from ((i, x) for i, x in enumerate(v) if isinstance(x, str))

    def tables(field: str) -> Iterator[tuple[int, dict[str, Any]]]:
        v = rec.get(field)
        if isinstance(v, list):
            yield from ((i, x) for i, x in enumerate(v) if isinstance(x, dict))

    def figures() -> Iterator[tuple[tuple[str | int, ...], str, str]]:
        for i, f in tables("figures"):
            for name, ref_kind in (("claimed_by", "actor"), ("source", "source"), ("via", "source")):
                if isinstance(f.get(name), str):
                    yield ("figures", i, name), ref_kind, f[name]

    if kind == "source":
        yield from ((("via", i), "source", s) for i, s in strings("via"))
        return
    if kind == "actor":
        if isinstance(rec.get("parent"), str):
            yield ("parent",), "actor", rec["parent"]
        yield from ((("relations", i, "actor"), "actor", r["actor"]) for i, r in tables("relations")
                    if isinstance(r.get("actor"), str))
    else:
        yield from ((("actors", i, "actor"), "actor", a["actor"]) for i, a in tables("actors")
                    if isinstance(a.get("actor"), str))
        yield from ((("related", i), "event", r) for i, r in strings("related"))
    yield from ((("sources", i), "source", s) for i, s in strings("sources"))
    yield from figures()


def _check_raw_references(files: list[ParsedFile], chosen: dict[str, dict[str, Any]]) -> list[Problem]:
    """Each file's `refs` (message "KIND\0ID") that name no record, as "unknown KIND 'ID'"."""
    out: list[Problem] = []
    for f in files:
        for p in f.refs:
            ref_kind, _, ref_id = p.message.partition("\0")
            if ref_id not in chosen.get(ref_kind, ()):
                out.append(p._replace(message=f"unknown {ref_kind} {ref_id!r}"))
    return out


def _field(rec: Any, name: str) -> Any:
    return rec[name] if type(rec) is dict else getattr(rec, name)


def _merge_auto(files: list[ParsedFile]) -> list[ParsedFile]:
    """Fold the actors and sources made from ACLED rows into the curated ones.

    An ACLED actor whose name equals (casefolded) the id, name or an alias of exactly one
    curated actor becomes that actor — so `actor:iskp` finds ACLED rows coded "Islamic State
    Khorasan Province" only when the curated record lists that name; a name that matches two
    curated actors is left alone.  Sources likewise by id or name.  The same name in several
    exports is one record; two names that made one id are told apart by a hash suffix.
    Events are rewritten to the final ids; the parsed files (perhaps cached) are not touched.
    """
    import hashlib

    names: dict[str, dict[str, set[str]]] = {"actor": {}, "source": {}}
    taken: dict[str, set[str]] = {"actor": set(), "source": set()}
    for f in files:
        if f.auto:
            continue
        for kind in ("actor", "source"):
            for rec, _line, _index in f.records[kind]:
                rid, name = _field(rec, "id"), _field(rec, "name")
                taken[kind].add(rid)
                keys = {rid, name, *(_field(rec, "aliases") or ())} if kind == "actor" else {rid, name}
                for key in keys:
                    names[kind].setdefault(key.casefold(), set()).add(rid)
    final: dict[str, dict[str, str]] = {"actor": {}, "source": {}}  # casefolded name -> id
    out: list[ParsedFile] = []
    for f in files:
        if not f.auto:
            out.append(f)
            continue
        maps: dict[str, dict[str, str]] = {"actor": {}, "source": {}}
        records = dict(f.records)
        for kind in ("actor", "source"):
            kept = []
            for rec, line, index in f.records[kind]:
                old_id, key = rec["id"], rec["name"].casefold()
                hits = names[kind].get(key) or names[kind].get(old_id.casefold())
                if hits and len(hits) == 1:
                    maps[kind][old_id] = next(iter(hits))
                    continue
                if key in final[kind]:
                    maps[kind][old_id] = final[kind][key]
                    continue
                rid = old_id
                n = 0
                while rid in taken[kind]:
                    n += 1
                    rid = f"{old_id}-{hashlib.sha1(f'{key}#{n}'.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
                taken[kind].add(rid)
                final[kind][key] = rid
                maps[kind][old_id] = rid
                kept.append(({**rec, "id": rid} if rid != old_id else rec, line, index))
            records[kind] = kept
        amap = {k: v for k, v in maps["actor"].items() if k != v}
        smap = {k: v for k, v in maps["source"].items() if k != v}
        if smap:
            records["source"] = [
                ({**rec, "via": [smap.get(v, v) for v in rec["via"]]} if any(v in smap for v in rec["via"]) else rec, line, i)
                for rec, line, i in records["source"]
            ]
        if amap or smap:
            events = []
            for rec, line, index in f.records["event"]:
                if (any(a["actor"] in amap for a in rec["actors"]) or any(s in smap for s in rec["sources"])
                        or any(g["claimed_by"] in amap or g["source"] in smap or g["via"] in smap for g in rec["figures"])):
                    roles: list[dict[str, Any]] = []
                    for a in rec["actors"]:
                        r = {"actor": amap.get(a["actor"], a["actor"]), "role": a["role"]}
                        if r not in roles:  # two ACLED names, one curated actor
                            roles.append(r)
                    srcs: list[str] = []
                    for s_ in rec["sources"]:
                        s_ = smap.get(s_, s_)
                        if s_ not in srcs:
                            srcs.append(s_)
                    figs = [{**g, "claimed_by": amap.get(g["claimed_by"], g["claimed_by"]),
                             "source": smap.get(g["source"], g["source"]),
                             "via": smap.get(g["via"], g["via"]) if g["via"] else g["via"]} for g in rec["figures"]]
                    rec = {**rec, "actors": roles, "sources": srcs, "figures": figs}
                events.append((rec, line, index))
            records["event"] = events
        out.append(ParsedFile(f.path, records, f.problems, f.skipped, auto=True))
    return out


def _all_resolve(chosen: dict[str, dict[str, Any]]) -> bool:
    """Whether every id any record points at exists (what `_references` walks, but in C)."""
    from itertools import chain
    from operator import attrgetter

    sources, actors, events = chosen["source"], chosen["actor"], chosen["event"]
    flat = chain.from_iterable
    figs = [*flat(map(attrgetter("figures"), actors.values())), *flat(map(attrgetter("figures"), events.values()))]
    actor_refs = set(map(attrgetter("claimed_by"), figs))
    actor_refs.update(map(attrgetter("actor"), flat(map(attrgetter("actors"), events.values()))))
    actor_refs.update(map(attrgetter("actor"), flat(map(attrgetter("relations"), actors.values()))))
    actor_refs.update(map(attrgetter("parent"), actors.values()))
    source_refs = set(map(attrgetter("source"), figs))
    source_refs.update(map(attrgetter("via"), figs))
    source_refs.update(flat(map(attrgetter("via"), sources.values())))
    source_refs.update(flat(map(attrgetter("sources"), actors.values())))
    source_refs.update(flat(map(attrgetter("sources"), events.values())))
    actor_refs.discard(None)
    source_refs.discard(None)
    related = set(flat(map(attrgetter("related"), events.values())))
    return actor_refs <= actors.keys() and source_refs <= sources.keys() and related <= events.keys()


def _runtime(f: ParsedFile) -> dict[str, list[tuple[Any, int | None, int]]]:
    """A file's records by kind as runtime records (dicts converted; the file is not changed)."""
    from briefing.records import actor_from_dict, event_from_dict, source_from_dict

    convert = {"source": source_from_dict, "actor": actor_from_dict, "event": event_from_dict}
    recs = f.records
    out = {}
    for kind in KINDS:
        lst = recs[kind]
        if lst and kind not in f.cols and type(lst[0][0]) is dict:  # a kind's records are all alike
            conv = convert[kind]
            lst = [(conv(r), line, index) for r, line, index in lst]
        out[kind] = lst
    return out


def build_dataset(files: list[ParsedFile], *, skip_invalid: bool = False, root: str | None = None):
    """All files' records → a `Dataset`; raises `DataError` listing every problem (unless skipping)."""
    from operator import attrgetter, itemgetter

    from briefing.dataset import Dataset

    if any(f.auto for f in files):
        files = _merge_auto(files)
    problems: list[Problem] = [p for f in files for p in f.problems]
    skipped = sum(f.skipped for f in files)
    records = [_runtime(f) for f in files]
    places = _Places(files, records)
    chosen: dict[str, dict[str, Any]] = {k: {} for k in KINDS}
    first_rec = itemgetter(0)
    for kind in KINDS:
        into = chosen[kind]
        total = 0
        for recs in records:
            lst = recs[kind]
            total += len(lst)
            into.update(zip(map(attrgetter("id"), map(first_rec, lst)), map(first_rec, lst)))
        if len(into) == total:
            continue
        # Some id twice: the first definition stands, each later one is a problem.
        into.clear()
        where: dict[str, tuple[str, int, int | None]] = {}
        for f, recs in zip(files, records):
            for rec, line, index in recs[kind]:
                rid = rec.id
                if rid in where:
                    first_path, first_index, first_line = where[rid]
                    first_line = places.record_line(first_path, kind, first_index, first_line)
                    problems.append(
                        Problem(
                            f.path, places.record_line(f.path, kind, index, line),
                            f"duplicate {kind} id; also defined at {show_path(first_path)}:{first_line}",
                            kind=kind, record_id=rid, field="id",
                        )
                    )
                    skipped += 1
                    continue
                where[rid] = (f.path, index, line)
                into[rid] = rec

    problems += _check_raw_references(files, chosen)

    # Referential integrity; with --skip-invalid a record pointing nowhere is dropped, and
    # dropping it may orphan others, so repeat until nothing changes.  (First a quick pass
    # that only asks whether every id resolves: the usual answer, and then the careful
    # pass that words each problem has nothing to find.)
    bad: set[tuple[str, str]] = set()
    unlinked: set[tuple[str, str]] = set()  # (event, related id) dropped under --skip-invalid
    if not _all_resolve(chosen):
        while True:
            found = False
            for kind in KINDS:
                for rid, rec in chosen[kind].items():
                    if (kind, rid) in bad:
                        continue
                    for loc, ref_kind, ref_id in _references(kind, rec):
                        if ref_id not in chosen[ref_kind]:
                            why = f"unknown {ref_kind} {ref_id!r}"
                        elif skip_invalid and (ref_kind, ref_id) in bad:
                            why = f"{ref_kind} {ref_id!r} was skipped as invalid"
                        else:
                            continue
                        if skip_invalid and loc[0] == "related":
                            # A link to a missing event: the link goes, the event stays.
                            if (rid, ref_id) in unlinked:
                                continue
                            unlinked.add((rid, ref_id))
                            why += "; the link is dropped, the event kept"
                        path = places.where[(kind, rid)][0]
                        problems.append(
                            Problem(path, places.line(kind, rid, loc), why, kind=kind, record_id=rid, field=_loc_str(loc))
                        )
                        if loc[0] != "related" or not skip_invalid:
                            bad.add((kind, rid))
                            found = True
            if not found or not skip_invalid:
                break

    # Parent cycles: IS → ISKP → IS would make every profile loop forever.
    actors = chosen["actor"]
    for rid in actors:
        seen = [rid]
        cur = actors[rid].parent
        while cur and cur in actors:
            if cur == rid:
                path = places.where[("actor", rid)][0]
                problems.append(
                    Problem(path, places.line("actor", rid, ("parent",)), "parent cycle: " + " → ".join([*seen, rid]),
                            kind="actor", record_id=rid, field="parent")
                )
                bad.add(("actor", rid))
                break
            if cur in seen:
                break
            seen.append(cur)
            cur = actors[cur].parent

    if problems and not skip_invalid:
        raise DataError(problems)
    skipped += len(bad)

    if unlinked:
        events_in = chosen["event"]
        for rid in {r for r, _ in unlinked}:
            rec = events_in[rid]
            events_in[rid] = rec._replace(related=tuple(r for r in rec.related if (rid, r) not in unlinked))

    def kept(kind: str) -> list[Any]:
        if not bad:
            return list(chosen[kind].values())
        return [r for rid, r in chosen[kind].items() if (kind, rid) not in bad]

    # Sorted as `Dataset` sorts them (newest events first, the rest by name), with C-level
    # keys: by (date, id) is by id, then stably by date (ids are unique by now).
    events = sorted(sorted(kept("event"), key=attrgetter("id"), reverse=True), key=attrgetter("date"), reverse=True)
    actor_recs = sorted(kept("actor"), key=lambda a: (a.name.casefold(), a.id))
    sources = sorted(kept("source"), key=lambda s: (s.name.casefold(), s.id))
    problems.sort(key=Problem.sort_key)
    return Dataset(sources, actor_recs, events, problems=problems, skipped=skipped, root=root, presorted=True)


def load_dataset(root: str | os.PathLike[str], *, skip_invalid: bool = False, progress=None):
    """Every file under root → a `Dataset`, through the cache (`briefing.cache`) unless
    BRIEFING_NO_CACHE is set.  progress, if given, is called as progress(done, total, partial)
    while loading: counts of work units, and — when a warm cache can give one before the rest
    is read — once, first, a `Dataset` of the newest few hundred events (sorted as the full
    one; no actors or sources yet) to draw the first screen from, within ~20 ms at 100k.
    Thread-safe to call from a worker thread."""
    import gc

    root = pathstr(root)
    paths = data_files(root)
    if not paths and not os.path.exists(root):
        raise DataError([Problem(root, None, "no such data directory")])
    # Building ~10^6 small objects: the cyclic collector would walk them all, again and
    # again, for nothing (records hold no cycles).
    was = gc.isenabled()
    gc.disable()
    try:
        if not os.environ.get("BRIEFING_NO_CACHE"):
            from briefing import cache

            ds = cache.load(root, paths, skip_invalid=skip_invalid, progress=progress)
        else:
            files = parse_all(paths, (lambda done, total: progress(done, total + 1, None)) if progress else None)
            ds = build_dataset(files, skip_invalid=skip_invalid, root=root)
            if progress:
                progress(len(paths) + 1, len(paths) + 1, None)
        if len(ds.events) >= 20_000:
            gc.freeze()  # long-lived and acyclic: keep later collections from walking them
        return ds
    finally:
        if was:
            gc.enable()
