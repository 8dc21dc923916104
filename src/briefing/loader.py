"""Loading a data directory: files → validated records → an immutable `Dataset`.

Two stages, so that the store can sit between them: `parse_file` turns one file into
already-validated records (tomllib reads it, the pydantic models of `briefing.schema` check
it), and `build_dataset` turns the records of all files into a `Dataset`, checking what
only the whole directory can tell (unknown ids, duplicates across files, parent cycles).
Every problem is collected, never only the first, and each names file, line, record and
field.  Which files there are is `briefing.walk`'s business; which of them need parsing
again is `briefing.store`'s.

Paths are plain strings (`os.path`): `pathlib` is not imported on the way to a warm brief.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from briefing.problems import UTF16_TEXT, WHOLE_FILE, DataError, Problem, show_path

if TYPE_CHECKING:
    from briefing.dataset import Dataset

KINDS = ("source", "actor", "event")
MAX_FILE_BYTES = 64 * 1024 * 1024


class ParsedFile:
    """One file's records, validated, with the line each record starts on.

    `records` maps each kind to [(record, line of its header or None, its index among the
    file's [[kind]] tables)], a record being a plain dict (as `model_dump()` gives it, and
    ACLED rows) or a runtime record (`briefing.records`).  `auto` marks files whose actors
    and sources are made from the data (ACLED CSV): those give way to curated records with
    the same name or alias (see `_merge_auto`) instead of clashing as duplicates."""

    __slots__ = ("path", "records", "problems", "skipped", "auto", "refs", "invalid", "stored", "stored_events")

    def __init__(
        self,
        path: str,
        records: dict[str, list[tuple[Any, int | None, int]]] | None = None,
        problems: list[Problem] | None = None,
        skipped: int = 0,
        auto: bool = False,
        refs: list[Problem] | None = None,
        invalid: list[tuple[str, str, int]] | None = None,
    ) -> None:
        self.path = path
        self.records = records if records is not None else {k: [] for k in KINDS}
        self.problems = problems if problems is not None else []
        self.skipped = skipped
        # References read from records that failed their schema, checked by build_dataset
        # against every id (`_check_raw_references`), as problems to be worded there.
        self.refs: list[Problem] = refs if refs is not None else []
        # (kind, id, index among the file's [[kind]] tables) of the records that failed their
        # schema: their ids still count in the duplicate check (`build_dataset`), so a second
        # definition is not hidden until its other problem is fixed.
        self.invalid: list[tuple[str, str, int]] = invalid if invalid is not None else []
        # True for files whose actors and sources are made from the data (ACLED CSV): those
        # give way to curated records with the same name or alias (see `_merge_auto`) instead
        # of clashing as duplicates.
        self.auto = auto
        # The store's id of this file when its events were left in the store (`Store.parsed`
        # with lazy=True: a big export is never held whole), and how many there are.
        self.stored: int | None = None
        self.stored_events = 0


def data_files(root: str | os.PathLike[str]) -> list[str]:
    """Every record file under root, in a stable order (see `briefing.walk`, which also
    says what it could not read: use it where that matters, as `load_dataset` does)."""
    from briefing.walk import walk

    return walk(root)[0]


def parse_any(path: str | os.PathLike[str], progress: Any = None) -> ParsedFile:
    """One data file of either kind: an ACLED CSV export, else TOML records.  progress
    (fraction read) is called while a big CSV is read."""
    path = os.fspath(path)
    if os.path.splitext(path)[1].lower() == ".csv":
        from briefing.acled import parse_file as parse_csv

        return parse_csv(path, progress)
    return parse_file(path)


def _loc_str(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _near_field(kind: str, loc: Sequence[str | int]) -> str | None:
    """The field a misspelt key most likely meant (`claimed-by`: `claimed_by`), among the
    fields of the record or sub-record it sits in (`[[event.actor]]`: an event's `actors`)."""
    from difflib import get_close_matches

    from briefing.schema import MODELS

    model: Any = MODELS.get(kind)
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        model = (
            next((a for a in getattr(info.annotation, "__args__", ()) if hasattr(a, "model_fields")), None)
            if info
            else None
        )
    if model is None or not loc:
        return None
    name, known = str(loc[-1]), list(model.model_fields)
    if name.replace("-", "_") in known:
        return name.replace("-", "_")
    near = get_close_matches(name, known, 1, 0.75)
    return near[0] if near else None


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|–|—|to)\s*(\d+)\s*$")


def _error_message(err: Mapping[str, Any], record_kind: str = "") -> str:
    msg = str(err.get("msg", "invalid"))
    kind = err.get("type", "")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "extra_forbidden":
        near = _near_field(record_kind, err.get("loc") or ())
        return (
            f"unknown field; did you mean {near!r}?"
            if near
            else "unknown field (check the spelling; see `briefing schema`)"
        )
    if kind == "missing":
        return "required field is missing"
    inp = err.get("input")
    field = next((x for x in reversed(err.get("loc") or ()) if isinstance(x, str)), "")
    if field == "value" and kind in ("int_type", "int_parsing") and isinstance(inp, str):
        # what a writer first tries for a range or a word (QA s14): said how it is written
        from briefing.vocab import VAGUE

        word = " ".join(inp.split()).casefold()
        if m := _RANGE.match(inp):  # the ends in order, whichever way round they were typed (QA s15)
            low, high = sorted((int(m[1]), int(m[2])))
            msg = f"a whole number; a range is written low = {low} and high = {high}"
        elif word in VAGUE:  # all three fields, so that one round puts it right (QA s15)
            msg = f'a whole number; a word is written vague = "{word}", value = {VAGUE[word]}, qualifier = "at-least"'
    if field == "via" and kind == "string_type" and isinstance(inp, list):
        return "one source id, not a list (a claim has one relay; a source's via is a list)"
    if kind == "string_too_short" and isinstance(inp, str) and not inp.strip():
        # "at least 1 character (got '   ')" of a value with three (QA s12): the rule in words
        return "blank (only spaces)" if inp else "empty"
    if kind == "string_pattern_mismatch":  # the rule in words, not as a regular expression
        from briefing.vocab import ID_PATTERN, SLUG_PATTERN

        msg = {
            SLUG_PATTERN: "lowercase letters, digits and hyphens, starting with a letter or digit",
            ID_PATTERN: "letters, digits and . _ : -, starting with a letter or digit",
        }.get(str(err.get("ctx", {}).get("pattern")), msg)
    if kind not in ("value_error", "assertion_error") and isinstance(inp, (str, int, float, bool)):
        shown = ("true" if inp else "false") if isinstance(inp, bool) else repr(inp)  # as TOML writes it
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
    if msg == "Illegal character '\\n'" and line and line <= len(lines := text.splitlines()):
        before = lines[line - 1].replace("\\\\", "").replace('\\"', "")
        if before.count('"') % 2 or before.count("'") % 2:
            return "TOML syntax: the string begun on this line is not closed (a closing quote is missing)"
    return f"TOML syntax: {msg}"


def _huge_number_line(text: str) -> int | None:
    m = _LONG_NUMBER.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


NOT_REGULAR = "not a regular file"  # a FIFO, device or socket named *.toml: never opened
_RECORD_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*(?:event|actor|source)[ \t]*\]\]", re.MULTILINE)
# A record's header, or its id's line (`id = "x"`): what a file TOML cannot read was meant to
# define, read from its lines (`_meant`).
_HEADER_OR_ID = re.compile(
    r"^[ \t]*(?:\[\[[ \t]*(?P<kind>event|actor|source)[ \t]*\]\]|\[|id[ \t]*=[ \t]*\"(?P<id>[^\"\\]*)\")", re.MULTILINE
)


def _meant(text: str) -> list[tuple[str, str, int]]:
    """The (kind, id, index) of the records a file that TOML cannot read was meant to define:
    each `[[kind]]` header's first `id = "..."` before the next table.  References to them then
    say the record is there but invalid (its file's problem is listed), not unknown."""
    out: list[tuple[str, str, int]] = []
    counts = dict.fromkeys(KINDS, 0)
    kind: str | None = None
    for m in _HEADER_OR_ID.finditer(text):
        if m.group("kind"):
            kind = m.group("kind")
            counts[kind] += 1
        elif m.group("id") is not None and kind is not None:
            out.append((kind, m.group("id"), counts[kind] - 1))
            kind = None
        else:  # another table: its keys are not the record's
            kind = None
    return out


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
        # O_NONBLOCK: should a FIFO take the file's place after the walk, opening it does not
        # wait for a writer; fstat then says what was opened, and only a regular file is read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", closefd=True) as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                problems.append(Problem(path, None, NOT_REGULAR))
                return None
            if st.st_size > limit:
                problems.append(Problem(path, None, f"file is {st.st_size} bytes, over the {limit}-byte limit"))
                return None
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
    return Problem(path, line, not_utf8_text(raw, exc.start))


def not_utf8_text(raw: bytes, at: int) -> str:
    """`not UTF-8 text (byte 0xe9)`; a file that starts with UTF-16's byte-order mark (what
    Windows tools save as "Unicode") is named as such, with what to do."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return UTF16_TEXT
    return f"not UTF-8 text (byte 0x{raw[at]:02x})"


def _toml() -> Any:
    """The TOML reader (`briefing.tomlread` picks it)."""
    from briefing import tomlread

    return tomlread.tomllib


def parse_file(path: str | os.PathLike[str]) -> ParsedFile:
    """Parse and validate one TOML file with tomli/tomllib and the pydantic models; never raises
    for bad content.  Valid records keep no header line: `build_dataset` finds it if a
    message needs it (finding every header costs more than the rare message needs)."""
    tomllib = _toml()
    path = os.fspath(path)
    result = ParsedFile(path)
    problems = result.problems
    text = read_text(path, MAX_FILE_BYTES, problems)
    if text is None:  # unreadable, not UTF-8, too big: every record of it is lost, one at least
        if problems and problems[-1].message != NOT_REGULAR:  # a FIFO or device holds no records
            problems[-1] = problems[-1]._replace(message=problems[-1].message + WHOLE_FILE)
            result.skipped += 1
        return result
    try:
        doc = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:  # TOMLDecodeError is a ValueError
        p = _unreadable(path, text, exc)
        problems.append(p._replace(message=p.message + WHOLE_FILE))
        # every record of the file is lost: counted by its headers, so that `--skip-invalid`
        # says how many went (at least one: the file was meant to hold some)
        result.skipped += max(1, len(_RECORD_HEADER.findall(text)))
        result.invalid.extend(_meant(text))
        return result
    from briefing.tomlpos import TomlLocator

    locator = TomlLocator(text)
    for key, value in doc.items():
        if key not in KINDS:
            holds = "a data file holds [[source]], [[actor]] and [[event]]"
            if isinstance(value, (dict, list)):
                from difflib import get_close_matches

                # a record's own list written at the top (QA s14: `[[figures]]` for `[[event.figures]]`)
                held = {"figures": "event.figures", "figure": "event.figures", "actors": "event.actors"}.get(key)
                near = [held] if held else get_close_matches(key, KINDS, 1, 0.6)
                said = f"unknown table [[{key}]]: {holds}" + (f"; did you mean [[{near[0]}]]?" if near else "")
            else:
                said = f"{key!r} is a key outside any table: {holds}"
            problems.append(Problem(path, locator.top_line(key), said))
            continue
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            problems.append(
                Problem(path, locator.top_line(key), f"{key!r} must be an array of tables: write [[{key}]]")
            )
            continue
        _validate(result, key, value, locator)
    return result


def _unreadable(path: str, text: str, exc: BaseException) -> Problem:
    """The problem for a file TOML cannot read (tomllib's message, made plainer)."""
    if isinstance(exc, _toml().TOMLDecodeError):
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = col = None
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            msg = _TOML_POS.sub("", msg).strip()
        elif msg.endswith("(at end of document)"):  # `x = [` on the last line: name that line
            line = max(1, len(text.rstrip("\r\n").splitlines()))
        return Problem(path, line, _toml_message(msg, text, line), column=col)
    if isinstance(exc, ValueError):  # tomllib lets int() refuse a number of thousands of digits
        return Problem(path, _huge_number_line(text), "number has too many digits to read")
    return Problem(path, None, "TOML nesting is too deep to read")


def _validate(result: ParsedFile, key: str, value: list[dict[str, Any]], locator: Any) -> None:
    """One kind's records through the pydantic model: valid ones as dumped dicts, every
    error of the others as a problem."""
    from pydantic import ValidationError

    from briefing.schema import MODELS

    path = result.path
    problems = result.problems
    model = MODELS[key]
    for index, rec in enumerate(value):
        record_id = rec.get("id") if isinstance(rec.get("id"), str) else None
        try:
            obj = model.model_validate(rec)
        except ValidationError as exc:
            result.skipped += 1
            if record_id is not None:
                result.invalid.append((key, record_id, index))
            for err in exc.errors():
                loc = err.get("loc", ())
                problems.append(
                    Problem(
                        path,
                        locator.field_line(key, index, loc),
                        _error_message(err, key),
                        kind=key,
                        record_id=record_id,
                        field=_loc_str(loc) or None,
                    )
                )
            # Its references are still checked (by build_dataset, which knows every id), so
            # a misspelled field does not hide an unknown actor until it is fixed.
            wrong = {tuple(err.get("loc", ())) for err in exc.errors()}  # already said
            for loc, ref_kind, ref_id in _raw_references(key, rec):
                if loc in wrong or (isinstance(loc[-1], int) and loc[:-1] in wrong):  # it, or its list
                    continue
                result.refs.append(
                    Problem(
                        path,
                        locator.field_line(key, index, loc),
                        f"{ref_kind}\0{ref_id}",
                        kind=key,
                        record_id=record_id,
                        field=_loc_str(loc),
                    )
                )
            continue
        except RecursionError:
            result.skipped += 1
            if record_id is not None:
                result.invalid.append((key, record_id, index))
            problems.append(
                Problem(path, locator.record_line(key, index), "record nests too deeply", kind=key, record_id=record_id)
            )
            continue
        result.records[key].append((obj.model_dump(), None, index))


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

    def figures(
        prefix: tuple[str | int, ...], figs: tuple[Any, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
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
        yield from (
            (("relations", i, "actor"), "actor", r["actor"])
            for i, r in tables("relations")
            if isinstance(r.get("actor"), str)
        )
    else:
        yield from (
            (("actors", i, "actor"), "actor", a["actor"])
            for i, a in tables("actors")
            if isinstance(a.get("actor"), str)
        )
        yield from ((("related", i), "event", r) for i, r in strings("related"))
    yield from ((("sources", i), "source", s) for i, s in strings("sources"))
    yield from figures()


NEAR_LIMIT = 5_000  # ids looked through for a near one (an ACLED export holds many more actors)


class _Near:
    """`unknown actor 'Ministry'; did you mean 'ministry'?`: the id that an id, a name or an
    alias equals without regard to case, else the one closest in spelling (among a curated
    set's: not the many thousands of an ACLED export's, where a near one is more likely another
    actor than the one meant).  Each kind's spellings are gathered once, for every unknown
    reference of a load."""

    def __init__(self, chosen: Mapping[str, Mapping[str, Any]]) -> None:
        self._chosen = chosen
        self._spelt: dict[str, dict[str, str]] = {}

    def _name(self, kind: str, rid: str) -> str | None:
        """The record's name, cut to a line's share, said beside a suggested id."""
        rec = self._chosen.get(kind, {}).get(rid)
        name = (rec if type(rec) is dict else rec._asdict()).get("name") if rec is not None else None
        if not isinstance(name, str):
            return None
        return name if len(name) <= 60 else name[:59] + "…"

    def _spellings(self, kind: str) -> dict[str, str]:
        """Each id, name and alias of `kind`, casefolded -> the id (empty past `NEAR_LIMIT`)."""
        if kind not in self._spelt:
            known = self._chosen.get(kind, {})
            spelt: dict[str, str] = {}
            if len(known) <= NEAR_LIMIT:
                for rec_id, rec in known.items():
                    fields = rec if type(rec) is dict else rec._asdict()
                    for text in (rec_id, fields.get("name"), *(fields.get("aliases") or ())):
                        if isinstance(text, str):
                            spelt.setdefault(text.casefold(), rec_id)
            self._spelt[kind] = spelt
        return self._spelt[kind]

    def unknown(self, kind: str, rid: str) -> str:
        said = f"unknown {kind} {rid!r}"
        spelt = self._spellings(kind)
        if not spelt:
            return said
        near = spelt.get(rid.casefold())
        if near is None:
            from difflib import get_close_matches

            close = get_close_matches(rid.casefold(), list(spelt), 1, 0.75)
            near = spelt[close[0]] if close else None
        if near is None:
            return said
        # its name too: a near id may be another record (`ru-interior-ministry` for a renamed
        # `tj-interior-ministry`), which its name shows (QA s14)
        name = self._name(kind, near)
        return f"{said}; did you mean {near!r}" + (f" ({name})?" if name and name != near else "?")


def _unresolved(ref_kind: str, ref_id: str, invalid: set[tuple[str, str]], near: _Near) -> str:
    """What a reference to no valid record says: that the record is there but failed its own
    checks (its problem the cause), or that it is unknown (`did you mean`)."""
    if (ref_kind, ref_id) in invalid:
        return f"{ref_kind} {ref_id!r} is invalid (its own problem is listed)"
    return near.unknown(ref_kind, ref_id)


def _check_raw_references(
    files: list[ParsedFile], chosen: dict[str, dict[str, Any]], invalid: set[tuple[str, str]], near: _Near
) -> list[Problem]:
    """Each file's `refs` (message "KIND\0ID") that name no valid record, worded by
    `_unresolved` (invalid: the records the files hold that failed their checks)."""
    out: list[Problem] = []
    for f in files:
        for p in f.refs:
            ref_kind, _, ref_id = p.message.partition("\0")
            if ref_id not in chosen.get(ref_kind, ()):
                out.append(p._replace(message=_unresolved(ref_kind, ref_id, invalid, near)))
    return out


def _field(rec: Any, name: str) -> Any:
    return rec[name] if type(rec) is dict else getattr(rec, name)


def _with(rec: Any, **changes: Any) -> Any:
    """A copy of a record (plain dict or runtime record) with some fields changed."""
    return {**rec, **changes} if type(rec) is dict else rec._replace(**changes)


def _merge_auto(
    files: list[ParsedFile], remaps: dict[int, tuple[dict[str, str], dict[str, str]]] | None = None
) -> list[ParsedFile]:
    """Fold the actors and sources made from ACLED rows into the curated ones.

    An ACLED actor whose name equals (casefolded) the id, name or an alias of exactly one
    curated actor becomes that actor — so `actor:iskp` finds ACLED rows coded "Islamic State
    Khorasan Province" only when the curated record lists that name; else its short name (what
    ACLED writes before a colon: `JNIM` of `JNIM: Group for Support of Islam and Muslims`)
    when that names exactly one (QA s13: a curated `jnim` with the alias "JNIM" was left apart
    from its 9 ACLED events).  A name that matches two curated actors is left alone.  Sources likewise by id or name.  The same name in several
    exports is one record; two names that made one id are told apart by a hash suffix.
    Events are rewritten to the final ids; the parsed files (perhaps stored) are not touched.
    Records may be plain dicts (the importer's) or runtime records (the store's).  `remaps`,
    if given, gets each file's (actor map, source map) by its store id when its events were
    left in the store (`ParsedFile.stored`): those are rewritten as they are read back.
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
                old_id, key = _field(rec, "id"), _field(rec, "name").casefold()
                hits = names[kind].get(key) or names[kind].get(old_id.casefold())
                if not hits and kind == "actor":  # by the short name before ACLED's colon
                    short = [names["actor"].get(a.casefold(), set()) for a in _field(rec, "aliases") or ()]
                    hits = set().union(*short) if short else None
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
                kept.append((_with(rec, id=rid) if rid != old_id else rec, line, index))
            records[kind] = kept
        amap = {k: v for k, v in maps["actor"].items() if k != v}
        smap = {k: v for k, v in maps["source"].items() if k != v}
        if smap:
            records["source"] = [
                (
                    _with(rec, via=type(_field(rec, "via"))(smap.get(v, v) for v in _field(rec, "via")))
                    if any(v in smap for v in _field(rec, "via"))
                    else rec,
                    line,
                    i,
                )
                for rec, line, i in records["source"]
            ]
        if amap or smap:
            records["event"] = [(remap_event(rec, amap, smap), line, index) for rec, line, index in f.records["event"]]
        merged = ParsedFile(f.path, records, f.problems, f.skipped, auto=True)
        merged.stored, merged.stored_events = f.stored, f.stored_events
        if remaps is not None and f.stored is not None:
            remaps[f.stored] = (amap, smap)
        out.append(merged)
    return out


def remap_event(rec: Any, amap: dict[str, str], smap: dict[str, str]) -> Any:
    """An ACLED event with its actors and sources renamed to the ids they merged into
    (`_merge_auto`); the record itself when it names none of them."""
    from briefing.records import ActorRole

    actors, sources, figures = _field(rec, "actors"), _field(rec, "sources"), _field(rec, "figures")
    if not (
        any(_field(a, "actor") in amap for a in actors)
        or any(s in smap for s in sources)
        or any(
            _field(g, "claimed_by") in amap or _field(g, "source") in smap or _field(g, "via") in smap for g in figures
        )
    ):
        return rec
    plain = type(rec) is dict
    roles: list[Any] = []
    for a in actors:
        aid = _field(a, "actor")
        r = ({"actor": amap.get(aid, aid), "role": a["role"]}) if plain else ActorRole(amap.get(aid, aid), a.role)
        if r not in roles:  # two ACLED names, one curated actor
            roles.append(r)
    srcs: list[str] = []
    for s_ in sources:
        s_ = smap.get(s_, s_)
        if s_ not in srcs:
            srcs.append(s_)
    figs = [
        _with(
            g,
            claimed_by=amap.get(_field(g, "claimed_by"), _field(g, "claimed_by")),
            source=smap.get(_field(g, "source"), _field(g, "source")),
            via=smap.get(_field(g, "via"), _field(g, "via")) if _field(g, "via") else _field(g, "via"),
        )
        for g in figures
    ]
    if plain:
        return {**rec, "actors": roles, "sources": srcs, "figures": figs}
    return rec._replace(actors=tuple(roles), sources=tuple(srcs), figures=tuple(figs))


def _all_resolve(chosen: dict[str, dict[str, Any]], elsewhere: set[str]) -> bool:
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
    related -= events.keys()
    return actor_refs <= actors.keys() and source_refs <= sources.keys() and related <= elsewhere


def _runtime(f: ParsedFile) -> dict[str, list[tuple[Any, int | None, int]]]:
    """A file's records by kind as runtime records (dicts converted; the file is not changed)."""
    from briefing.records import actor_from_dict, event_from_dict, source_from_dict

    convert = {"source": source_from_dict, "actor": actor_from_dict, "event": event_from_dict}
    recs = f.records
    out = {}
    for kind in KINDS:
        lst = recs[kind]
        if lst and type(lst[0][0]) is dict:  # a kind's records are all alike
            conv = convert[kind]
            lst = [(conv(r), line, index) for r, line, index in lst]
        out[kind] = lst
    return out


def build_dataset(
    files: list[ParsedFile],
    *,
    skip_invalid: bool = False,
    root: str | None = None,
    stored: Callable[[list[str]], set[str]] | None = None,
    remaps: dict[int, tuple[dict[str, str], dict[str, str]]] | None = None,
    stored_problems: Sequence[Problem] = (),
) -> Dataset:
    """All files' records → a `Dataset`; raises `DataError` listing every problem (unless skipping).

    For a load whose big exports stay in the store (`briefing.stored`): `stored(ids)` says
    which of these event ids the store holds (a curated `related` may point at one), `remaps`
    gets the renames their events need (`_merge_auto`), and `stored_problems` holds the problems found
    among them in SQL (duplicate ids), each a record skipped; the `Dataset` then holds the
    records in memory only."""
    from operator import attrgetter, itemgetter

    from briefing.dataset import Dataset

    if any(f.auto for f in files):
        files = _merge_auto(files, remaps)
    problems: list[Problem] = [*stored_problems, *(p for f in files for p in f.problems)]
    skipped = sum(f.skipped for f in files) + len(stored_problems)
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
        unread = [(i, rid, index) for i, f in enumerate(files) for k, rid, index in f.invalid if k == kind]
        if (
            len(into) == total
            and not any(rid in into for _i, rid, _x in unread)
            and len(unread) == len({rid for _i, rid, _x in unread})
        ):
            continue
        # Some id twice (a record that failed its schema counting too): the first definition
        # stands, each later one is a problem.
        into.clear()
        defs: list[tuple[int, int, str, Any, int | None]] = [
            (i, index, rec.id, rec, line) for i, recs in enumerate(records) for rec, line, index in recs[kind]
        ]
        defs += [(i, index, rid, None, None) for i, rid, index in unread]
        defs.sort(key=itemgetter(0, 1))
        where: dict[str, tuple[str, int, int | None]] = {}
        for i, index, rid, rec, line in defs:
            path = files[i].path
            if rid in where:
                first_path, first_index, first_line = where[rid]
                first_line = places.record_line(first_path, kind, first_index, first_line)
                problems.append(
                    Problem(
                        path,
                        places.record_line(path, kind, index, line),
                        f"duplicate {kind} id; also defined at {show_path(first_path)}:{first_line}",
                        kind=kind,
                        record_id=rid,
                        field="id",
                    )
                )
                skipped += rec is not None  # one that failed its schema is counted already
                continue
            where[rid] = (path, index, line)
            if rec is not None:
                into[rid] = rec

    failed = {(kind, rid) for f in files for kind, rid, _index in f.invalid}  # its checks, or its file unread
    near = _Near(chosen)  # an unknown id's `did you mean`, its spellings gathered once a load
    problems += _check_raw_references(files, chosen, failed, near)
    elsewhere: set[str] = set()  # related events held in the store, not in memory
    if stored is not None:
        linked = {r for rec in chosen["event"].values() for r in rec.related if r not in chosen["event"]}
        elsewhere = stored(sorted(linked)) if linked else set()

    # Referential integrity; with --skip-invalid a record pointing nowhere is dropped, and
    # dropping it may orphan others, so repeat until nothing changes.  (First a quick pass
    # that only asks whether every id resolves: the usual answer, and then the careful
    # pass that words each problem has nothing to find.)
    bad: set[tuple[str, str]] = set()
    # the records that failed their own checks (a reference to one says so, not "unknown")
    invalid = {(p.kind, p.record_id) for p in problems if p.kind and p.record_id}
    invalid |= failed
    unlinked: set[tuple[str, str]] = set()  # (event, related id) dropped under --skip-invalid
    # Parent cycles: IS → ISKP → IS would make every profile loop forever.
    actors = chosen["actor"]
    for rid in actors:
        seen = [rid]
        cur = actors[rid].parent
        while cur and cur in actors:
            if cur == rid:
                path = places.where[("actor", rid)][0]
                problems.append(
                    Problem(
                        path,
                        places.line("actor", rid, ("parent",)),
                        "parent cycle: " + " → ".join([*seen, rid]),
                        kind="actor",
                        record_id=rid,
                        field="parent",
                    )
                )
                bad.add(("actor", rid))
                break
            if cur in seen:
                break
            seen.append(cur)
            cur = actors[cur].parent

    # A curated alias or name that is another actor's id (as `actor:` reads them, without regard to case
    # or accents): `actor:ID` would name both actors.  Not an ACLED actor's alias (`JNIM` from
    # `JNIM: Group for …`): that it names a curated `jnim` too is what it is for.
    from briefing.dataset import fold

    # The same of a curated actor's name (QA s12: an actor named "Taliban" beside the actor
    # `taliban`: the Taliban's screen counted the other's events as its own).
    curated = [(rid, a) for rid, a in actors.items() if not rid.startswith("acled:")]
    folded_ids = {fold(rid): rid for rid in actors}
    for rid, a in curated:
        named: list[tuple[tuple[str | int, ...], str]] = [(("name",), a.name)]
        named += [(("aliases", i), alias) for i, alias in enumerate(a.aliases)]
        for loc, alias in named:
            other = folded_ids.get(fold(alias))
            if other is not None and other != rid:
                problems.append(
                    Problem(
                        places.where[("actor", rid)][0],
                        places.line("actor", rid, loc),
                        f"{alias!r} is the id of another actor, {other!r} (actor:{alias} would name both)",
                        kind="actor",
                        record_id=rid,
                        field="name" if len(loc) == 1 else f"aliases[{loc[1]}]",
                    )
                )
                bad.add(("actor", rid))

    # (the actors those checks left out are `bad` already: the records naming them go too)
    if bad or not _all_resolve(chosen, elsewhere):
        while True:
            found = False
            for kind in KINDS:
                for rid, rec in chosen[kind].items():
                    if (kind, rid) in bad:
                        continue
                    for loc, ref_kind, ref_id in _references(kind, rec):
                        if ref_id not in chosen[ref_kind] and ref_id not in (elsewhere if ref_kind == "event" else ()):
                            # one bad field of a source made every record citing it "unknown
                            # source": say it is there but invalid, its own problem the cause
                            why = _unresolved(ref_kind, ref_id, invalid, near)
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
                            Problem(
                                path, places.line(kind, rid, loc), why, kind=kind, record_id=rid, field=_loc_str(loc)
                            )
                        )
                        if loc[0] != "related" or not skip_invalid:
                            bad.add((kind, rid))
                            found = True
            if not found or not skip_invalid:
                break

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


def read_files(
    root: str | os.PathLike[str], progress: Callable[..., None] | None = None, lazy: bool = False, memory: bool = False
) -> tuple[Any, list[ParsedFile], str | None]:
    """(the open store, every file under root parsed, the token of the files read or None
    when some could not be read); what the walk could not read stands as a file of its own
    with one skipped item.  lazy: an ACLED export's events stay in the store (`Store.parsed`);
    memory: a store in memory, whatever the cache folder.  The caller closes the store.
    Raises `DataError` when root does not exist."""
    from briefing.datadir import pathstr
    from briefing.store import open_store
    from briefing.walk import walk

    root = pathstr(root)
    paths, walk_problems = walk(root)
    if not paths and walk_problems and walk_problems[0].message == "no such data directory":
        raise DataError(walk_problems)
    store = open_store(root, memory)
    try:
        files = store.parsed(paths, progress, lazy)
    except BaseException:
        store.close()
        raise
    # reported like any other problem, refused unless skipping, never "ok"
    files += [ParsedFile(p.file, problems=[p], skipped=1) for p in walk_problems]
    return store, files, store.token() if not walk_problems else None


def mark_loaded(store: Any, ds: Dataset) -> None:
    """Tell the store that ds's files built a dataset (without a problem, or skipping some)."""
    if ds.token is not None:
        store.mark_valid(ds.token, "valid" if not ds.problems else "loaded")
        if not ds.problems:
            store.mark_valid(ds.token, "loaded")


def held(store: Any, files: list[ParsedFile], token: str | None, *, skip_invalid: bool, root: str) -> Dataset:
    """The files' dataset built in memory, the events the store holds for them read back
    first (`Store.load_events`); the store told it loaded (`mark_loaded`).  Raises `DataError`
    listing every problem (unless skip_invalid).  The caller keeps the collector off."""
    import gc

    for f in files:
        store.load_events(f)
    ds = build_dataset(files, skip_invalid=skip_invalid, root=root)
    ds.token = token
    mark_loaded(store, ds)
    if len(ds.events) >= 20_000:
        gc.freeze()  # long-lived and acyclic: keep later collections from walking them
    return ds


def load_dataset(
    root: str | os.PathLike[str], *, skip_invalid: bool = False, progress: Callable[..., None] | None = None
) -> Dataset:
    """Every record file under root → a `Dataset` held in memory, through the store
    (`briefing.store`; in memory only when BRIEFING_NO_CACHE is set or the cache folder
    cannot be trusted).  progress, if given, is called as progress(percent done, 100, None)
    as files are read (by bytes; within a big ACLED export, every few thousand rows).
    Raises `DataError` listing every problem (unless skip_invalid).  Thread-safe to call
    from a worker thread (each call opens its own connection).  (`briefing.stored.load`
    keeps a big set in the store instead.)"""
    import gc

    from briefing.datadir import pathstr

    # Building ~10^6 small objects: the cyclic collector would walk them all, again and
    # again, for nothing (records hold no cycles).
    was = gc.isenabled()
    gc.disable()
    store, files, token = read_files(root, progress)
    try:
        return held(store, files, token, skip_invalid=skip_invalid, root=pathstr(root))
    finally:
        store.close()
        if was:
            gc.enable()
