"""Loading a data directory: files → validated plain records → an immutable `Dataset`.

Two stages, so that a cache can sit between them: `parse_file` turns one file into plain,
already-validated dicts (the only stage that needs tomllib and pydantic), and
`build_dataset` turns the plain dicts of all files into records and checks what only the
whole directory can tell (unknown ids, duplicates across files, parent cycles).  Every
problem is collected, never only the first, and each names file, line, record and field.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from briefing.problems import DataError, Problem, show_path

KINDS = ("source", "actor", "event")
MAX_FILE_BYTES = 64 * 1024 * 1024


class ParsedFile:
    """One file's records as plain dicts (validated), with the line each record starts on.

    A plain class: a dataclass costs about a millisecond at import, on the brief's path."""

    __slots__ = ("path", "records", "problems", "skipped", "auto")

    def __init__(
        self,
        path: str,
        records: dict[str, list[tuple[dict[str, Any], int | None, int]]] | None = None,
        problems: list[Problem] | None = None,
        skipped: int = 0,
        auto: bool = False,
    ) -> None:
        self.path = path
        # kind -> [(record, line of its header, its index among the file's [[kind]] tables)]
        self.records = records if records is not None else {k: [] for k in KINDS}
        self.problems = problems if problems is not None else []
        self.skipped = skipped
        # True for files whose actors and sources are made from the data (ACLED CSV): those
        # give way to curated records with the same name or alias (see `_merge_auto`) instead
        # of clashing as duplicates.
        self.auto = auto


def data_files(root: Path) -> list[Path]:
    """Every record file under root, in a stable order (hidden folders skipped): `*.toml`,
    and `*.csv` files whose header is ACLED's (other CSV files are left alone)."""
    if root.is_file():
        return [root]
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if name.endswith(".toml"):
                out.append(Path(dirpath) / name)
            elif name.lower().endswith(".csv"):
                from briefing.acled import sniff

                if sniff(Path(dirpath) / name):
                    out.append(Path(dirpath) / name)
    return out


def parse_any(path: Path) -> ParsedFile:
    """One data file of either kind: an ACLED CSV export, else TOML records."""
    if path.suffix.lower() == ".csv":
        from briefing.acled import parse_file as parse_csv

        return parse_csv(path)
    return parse_file(path)


PARALLEL_BYTES = 8 * 1024 * 1024  # below this, starting worker processes costs more than it saves


def parse_all(paths: list[Path], progress=None) -> list[ParsedFile]:
    """`parse_any` for each path, in order; on several CPUs and many megabytes, in worker
    processes (cold loads of large TOML directories are CPU-bound: tomllib, pydantic).
    progress(done, total) is called as files finish.  Never raises for bad content."""
    sizes = []
    for p in paths:
        try:
            sizes.append(p.stat().st_size)
        except OSError:
            sizes.append(0)
    cpus = os.cpu_count() or 1
    if len(paths) > 1 and cpus > 1 and sum(sizes) >= PARALLEL_BYTES and not os.environ.get("BRIEFING_NO_PARALLEL"):
        try:
            return _parse_parallel(paths, sizes, min(cpus, len(paths)), progress)
        except Exception:  # noqa: BLE001 - no processes here (sandbox, no /dev/shm): do it in-process
            pass
    out = []
    for i, p in enumerate(paths):
        out.append(parse_any(p))
        if progress:
            progress(i + 1, len(paths))
    return out


def _parse_parallel(paths: list[Path], sizes: list[int], workers: int, progress) -> list[ParsedFile]:
    """Files shared out by size between this process and workers-1 child interpreters.

    Children are plain `python -c` processes, not multiprocessing: nothing re-imports the
    caller's __main__ (a CLI entry point, a test runner), and a thread may call this safely.
    Each child pickles every ParsedFile into a private temporary directory and prints its
    index; whatever a child fails to deliver is parsed here afterwards.
    """
    import json
    import pickle
    import subprocess
    import sys
    import tempfile

    groups: list[list[int]] = [[] for _ in range(workers)]
    load = [0] * workers
    for i in sorted(range(len(paths)), key=lambda i: -sizes[i]):
        k = load.index(min(load))
        groups[k].append(i)
        load[k] += sizes[i]
    results: list[ParsedFile | None] = [None] * len(paths)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(paths))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    with tempfile.TemporaryDirectory(prefix="briefing-parse-") as tmp:
        children = []
        for group in groups[1:]:
            if not group:
                continue
            child = subprocess.Popen(
                [sys.executable, "-c", "from briefing.loader import _parse_worker; _parse_worker()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            )
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(json.dumps({"dir": tmp, "files": [[i, str(paths[i])] for i in group]}).encode())
            child.stdin.close()
            os.set_blocking(child.stdout.fileno(), False)
            children.append([child, b""])

        def collect(block: bool) -> None:
            for entry in children:
                child = entry[0]
                while True:
                    try:
                        chunk = os.read(child.stdout.fileno(), 65536)
                    except BlockingIOError:
                        if not block:
                            break
                        import select

                        select.select([child.stdout], [], [], 1.0)
                        continue
                    if not chunk:
                        break
                    entry[1] += chunk
                    *lines, entry[1] = entry[1].split(b"\n")
                    for line in lines:
                        i = int(line)
                        try:
                            with open(os.path.join(tmp, f"{i}.pickle"), "rb") as fh:
                                results[i] = pickle.load(fh)
                            tick()
                        except Exception:  # noqa: BLE001 - parsed again below
                            pass

        for i in groups[0]:
            results[i] = parse_any(paths[i])
            tick()
            collect(block=False)
        collect(block=True)
        for entry in children:
            entry[0].wait()
    for i, r in enumerate(results):
        if r is None:
            results[i] = parse_any(paths[i])
            tick()
    return results  # type: ignore[return-value]


def _parse_worker() -> None:
    """Child side of `_parse_parallel`: parse the files named on stdin, pickle each, say which."""
    import gc
    import json
    import pickle
    import sys

    gc.disable()
    job = json.loads(sys.stdin.read())
    for i, path in job["files"]:
        pf = parse_any(Path(path))
        final = os.path.join(job["dir"], f"{i}.pickle")
        with open(final + ".tmp", "wb") as fh:
            pickle.dump(pf, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(final + ".tmp", final)
        sys.stdout.write(f"{i}\n")
        sys.stdout.flush()


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


def read_text(path: Path, limit: int, problems: list[Problem]) -> str | None:
    """A data file's text (BOM dropped), or None with the reason added to problems.

    Shared by the TOML and ACLED readers: a FIFO would block and /dev/zero would never end,
    so only regular files are read, and the read itself is bounded since a file may grow
    between stat and read."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(str(path), None, "not a regular file"))
            return None
        if st.st_size > limit:
            problems.append(Problem(str(path), None, f"file is {st.st_size} bytes, over the {limit}-byte limit"))
            return None
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            problems.append(Problem(str(path), None, f"file is over the {limit}-byte limit"))
            return None
    except OSError as exc:
        problems.append(Problem(str(path), None, f"cannot read: {exc.strerror or exc}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(str(path), line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"))
        return None
    return text[1:] if text.startswith("\ufeff") else text


def parse_file(path: Path) -> ParsedFile:
    """Parse and validate one TOML file; never raises for bad content."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    from pydantic import ValidationError

    from briefing import fasttoml
    from briefing.schema import MODELS
    from briefing.tomlpos import TomlLocator

    result = ParsedFile(str(path))
    problems = result.problems
    text = read_text(path, MAX_FILE_BYTES, problems)
    if text is None:
        return result
    try:
        # tomllib's result and errors, faster on plain record files, and where each
        # [[kind]] header is (else the locator finds them)
        doc, starts = fasttoml.loads_located(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = col = None
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            msg = _TOML_POS.sub("", msg).strip()
        problems.append(Problem(str(path), line, _toml_message(msg, text, line), column=col))
        return result
    except ValueError:  # tomllib lets int() refuse a number of thousands of digits
        problems.append(Problem(str(path), _huge_number_line(text), "number has too many digits to read"))
        return result
    except RecursionError:
        problems.append(Problem(str(path), None, "TOML nesting is too deep to read"))
        return result

    locator = TomlLocator(text)
    record_line = (lambda kind, i: starts[kind][i]) if starts is not None else locator.record_line
    for key, value in doc.items():
        if key not in KINDS:
            problems.append(
                Problem(str(path), None, f"unknown table {key!r}: a data file holds [[source]], [[actor]] and [[event]]")
            )
            continue
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            problems.append(Problem(str(path), None, f"{key!r} must be an array of tables: write [[{key}]]"))
            continue
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
                            str(path),
                            locator.field_line(key, index, loc),
                            _error_message(err),
                            kind=key,
                            record_id=record_id,
                            field=_loc_str(loc) or None,
                        )
                    )
                continue
            except RecursionError:
                result.skipped += 1
                problems.append(Problem(str(path), record_line(key, index), "record nests too deeply", kind=key, record_id=record_id))
                continue
            result.records[key].append((obj.model_dump(), record_line(key, index), index))
    return result


class _Places:
    """Where each record came from, for messages that point at a field found wrong later."""

    def __init__(self) -> None:
        self.where: dict[tuple[str, str], tuple[str, int, int | None]] = {}
        self._locators: dict[str, Any] = {}

    def line(self, kind: str, rid: str, loc: tuple[str | int, ...]) -> int | None:
        path, index, line = self.where[(kind, rid)]
        if not loc:
            return line
        if path not in self._locators:
            try:
                from briefing.tomlpos import TomlLocator

                self._locators[path] = TomlLocator(Path(path).read_text("utf-8-sig"))
            except (OSError, UnicodeDecodeError):
                self._locators[path] = None
        loc_ = self._locators[path]
        if loc_ is None or not path.endswith(".toml"):
            return line
        return loc_.field_line(kind, index, loc) or line


def _references(kind: str, rec: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(field path, referenced kind, referenced id) for every id a record points at."""

    def figures(prefix: tuple[str | int, ...], figs: list[dict[str, Any]]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
        for i, f in enumerate(figs or ()):
            yield (*prefix, i, "claimed_by"), "actor", f["claimed_by"]
            yield (*prefix, i, "source"), "source", f["source"]
            if f.get("via"):
                yield (*prefix, i, "via"), "source", f["via"]

    if kind == "source":
        for i, s in enumerate(rec.get("via") or ()):
            yield ("via", i), "source", s
    elif kind == "actor":
        if rec.get("parent"):
            yield ("parent",), "actor", rec["parent"]
        for i, r in enumerate(rec.get("relations") or ()):
            yield ("relations", i, "actor"), "actor", r["actor"]
        for i, s in enumerate(rec.get("sources") or ()):
            yield ("sources", i), "source", s
        yield from figures(("figures",), rec.get("figures"))
    else:
        for i, a in enumerate(rec.get("actors") or ()):
            yield ("actors", i, "actor"), "actor", a["actor"]
        for i, s in enumerate(rec.get("sources") or ()):
            yield ("sources", i), "source", s
        for i, r in enumerate(rec.get("related") or ()):
            yield ("related", i), "event", r
        yield from figures(("figures",), rec.get("figures"))


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
                taken[kind].add(rec["id"])
                keys = {rec["id"], rec["name"], *(rec.get("aliases") or ())} if kind == "actor" else {rec["id"], rec["name"]}
                for key in keys:
                    names[kind].setdefault(key.casefold(), set()).add(rec["id"])
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


def _all_resolve(chosen: dict[str, dict[str, dict[str, Any]]]) -> bool:
    """Whether every id any record points at exists (what `_references` walks, but fast)."""
    sources, actors, events = chosen["source"], chosen["actor"], chosen["event"]

    def figures_ok(figs: list[dict[str, Any]] | None) -> bool:
        for f in figs or ():
            if f["claimed_by"] not in actors or f["source"] not in sources or (f.get("via") and f["via"] not in sources):
                return False
        return True

    for rec in sources.values():
        for s in rec.get("via") or ():
            if s not in sources:
                return False
    for rec in actors.values():
        if rec.get("parent") and rec["parent"] not in actors:
            return False
        for r in rec.get("relations") or ():
            if r["actor"] not in actors:
                return False
        for s in rec.get("sources") or ():
            if s not in sources:
                return False
        if not figures_ok(rec.get("figures")):
            return False
    for rec in events.values():
        for a in rec.get("actors") or ():
            if a["actor"] not in actors:
                return False
        for s in rec.get("sources") or ():
            if s not in sources:
                return False
        for r in rec.get("related") or ():
            if r not in events:
                return False
        if not figures_ok(rec.get("figures")):
            return False
    return True


def build_dataset(files: list[ParsedFile], *, skip_invalid: bool = False, root: str | None = None):
    """All files' records → a `Dataset`; raises `DataError` listing every problem (unless skipping)."""
    from briefing.dataset import Dataset
    from briefing.records import actor_from_dict, event_from_dict, source_from_dict

    if any(f.auto for f in files):
        files = _merge_auto(files)
    problems: list[Problem] = [p for f in files for p in f.problems]
    skipped = sum(f.skipped for f in files)
    places = _Places()
    chosen: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in KINDS}
    for f in files:
        for kind in KINDS:
            for rec, line, index in f.records[kind]:
                rid = rec["id"]
                if (kind, rid) in places.where:
                    first_path, _, first_line = places.where[(kind, rid)]
                    problems.append(
                        Problem(
                            f.path, line, f"duplicate {kind} id; also defined at {show_path(first_path)}:{first_line}",
                            kind=kind, record_id=rid, field="id",
                        )
                    )
                    skipped += 1
                    continue
                places.where[(kind, rid)] = (f.path, index, line)
                chosen[kind][rid] = rec

    # Referential integrity; with --skip-invalid a record pointing nowhere is dropped, and
    # dropping it may orphan others, so repeat until nothing changes.  (First a quick pass
    # that only asks whether every id resolves: the usual answer, and then the careful
    # pass that words each problem has nothing to find.)
    bad: set[tuple[str, str]] = set()
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
                        path = places.where[(kind, rid)][0]
                        problems.append(
                            Problem(path, places.line(kind, rid, loc), why, kind=kind, record_id=rid, field=_loc_str(loc))
                        )
                        bad.add((kind, rid))
                        found = True
            if not found or not skip_invalid:
                break

    # Parent cycles: IS → ISKP → IS would make every profile loop forever.
    actors = chosen["actor"]
    for rid in actors:
        seen = [rid]
        cur = actors[rid].get("parent")
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
            cur = actors[cur].get("parent")

    if problems and not skip_invalid:
        raise DataError(problems)
    skipped += len(bad)
    sources = [source_from_dict(r) for rid, r in chosen["source"].items() if ("source", rid) not in bad]
    actor_recs = [actor_from_dict(r) for rid, r in chosen["actor"].items() if ("actor", rid) not in bad]
    events = [event_from_dict(r) for rid, r in chosen["event"].items() if ("event", rid) not in bad]
    problems.sort(key=Problem.sort_key)
    return Dataset(sources, actor_recs, events, problems=problems, skipped=skipped, root=root)


def load_dataset(root: Path, *, skip_invalid: bool = False, progress=None):
    """Every file under root → a `Dataset`, through the cache (`briefing.cache`) unless
    BRIEFING_NO_CACHE is set.  progress, if given, is called as progress(done, total, partial)
    while loading: counts of work units, and — when a warm cache can give one before the rest
    is read — once, first, a `Dataset` of the newest few hundred events (sorted as the full
    one; no actors or sources yet) to draw the first screen from, within ~20 ms at 100k.
    Thread-safe to call from a worker thread."""
    import gc

    paths = data_files(root)
    if not paths and not root.exists():
        raise DataError([Problem(str(root), None, "no such data directory")])
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
            ds = build_dataset(files, skip_invalid=skip_invalid, root=str(root))
            if progress:
                progress(len(paths) + 1, len(paths) + 1, None)
        if len(ds.events) >= 20_000:
            gc.freeze()  # long-lived and acyclic: keep later collections from walking them
        return ds
    finally:
        if was:
            gc.enable()
