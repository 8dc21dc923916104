"""ACLED CSV exports as records: each row an event, its actors and ACLED's own fatality claim.

A data directory may hold ACLED exports (`*.csv` whose header has ACLED's columns) beside
the curated TOML; separated by commas as ACLED writes them, or by semicolons or tabs as a
spreadsheet may save one again (`DELIMITERS`: the header decides).  `parse_file` turns one
into the same plain, already-valid record dicts that `loader.parse_file` makes from TOML, so
the cache and `build_dataset` treat both alike.

How a row maps (column → record field):

* `event_id_cnty` → event id `acled:<id>`; `event_date` (`2019-11-06` or `06 November 2019`,
  or `06.11.2019` as a spreadsheet in a day-first locale saves it) at the precision
  `time_precision` gives.  ACLED's codebook: 1 the source gives the day; 2 only the week (or
  weekend), 3 only the month, and ACLED codes a day within it; there is no year precision.
  A date here is an ISO partial date, which cannot say "a week", so 2 keeps the coded day
  (as ACLED's own analyses do) and 3 is cut to the month; for both, `date_note` says what is
  known and the coded day.  `event_type` / `sub_event_type` → the type and sub-type slugs of
  `briefing.vocab`; `country`, `admin1`–`admin3`, `location`, `latitude`/`longitude` → the place;
  `notes` → summary; `tags` (`;`-separated), `disorder_type` and `civilian_targeting` → tags.
* `actor1`, `assoc_actor_1`, `actor2`, `assoc_actor_2` (assoc: `;`-separated) → actor records
  `acled:<name-slug>` with a kind from `inter1`/`inter2` (a code 1–8 or ACLED's text), and
  roles by event type (actor1 perpetrator and actor2 target, except in protests — actor2 is
  the responder — and strategic developments, where both are mentioned).  At build time an
  ACLED actor whose name, or else its short name before a colon (`JNIM`), equals (casefolded)
  the name or an alias of exactly one curated actor *becomes* that actor, so `actor:iskp`
  finds its ACLED rows.
* `fatalities` → ONE figure, metric `killed`, claimed by the actor `ACLED` (the coder),
  carried by the source `acled:dataset` (the coder's count, which no outlet said; the row's
  `source` outlets are the event's cited sources).  `NA` or empty means no figure:
  missing is not zero.  `3.0` reads as 3 (pandas); `1.000` is refused (`thousands`: one, or
  a thousand where the comma is the decimal mark).  A curated claim about the same event sits
  beside it, never merged.

A row that cannot be mapped becomes a `Problem` at the physical line the row starts on,
naming the row's event as a TOML record's problem names its record
(`file.csv:LINE: event 'acled:ID': field: reason`; no event when the id itself is missing or
unusable), and is counted as skipped; the other rows still load.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any

from briefing.dataset import tag_slug
from briefing.problems import UTF16_TEXT, Problem
from briefing.records import Actor, Event, Figure, Source, year_problem
from briefing.vocab import EVENT_TYPES, ID_PATTERN, SUB_EVENT_TYPES, slug

if TYPE_CHECKING:
    from briefing.loader import ParsedFile

# The columns an export must have to be read as ACLED (older and newer exports differ in the
# others: disorder_type, civilian_targeting and tags are recent, iso3 is old).
REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "country", "fatalities")
MAX_TEXT = 20_000
FIELD_LIMIT = 16 * 1024 * 1024  # the csv reader's field limit: a stated bound on one field's size
MISSING = frozenset({"", "na", "n/a", "null", "none", "nan"})

CODER_ID = "acled"
CODER_NAME = "ACLED"
DATASET_SOURCE_ID = "acled:dataset"
FIGURE_NOTE = "ACLED's coded fatalities: the most conservative estimate when reports conflict."

# inter1/inter2: the old numeric codes and the new text labels, both to one actor kind.
INTER_KINDS: dict[str, str] = {
    "1": "state-forces",
    "2": "rebel-group",
    "3": "political-militia",
    "4": "identity-militia",
    "5": "rioters",
    "6": "protesters",
    "7": "civilians",
    "8": "external-forces",
    "state forces": "state-forces",
    "rebel group": "rebel-group",
    "rebel groups": "rebel-group",
    "political militia": "political-militia",
    "political militias": "political-militia",
    "identity militia": "identity-militia",
    "identity militias": "identity-militia",
    "rioters": "rioters",
    "protesters": "protesters",
    "civilians": "civilians",
    "external/other forces": "external-forces",
    "external forces": "external-forces",
    "other forces": "external-forces",
}

_TYPES = {label.casefold(): slug for slug, label in EVENT_TYPES.items()}
_SUB_TYPES = {(slug, label.casefold()): sub for slug, subs in SUB_EVENT_TYPES.items() for sub, label in subs.items()}
# `time_precision` → what the source told ACLED of the date (ACLED's codebook).  For 2 and 3
# the source gave less than a day and ACLED coded a day within the week or month.
TIME_PRECISIONS: dict[str, str] = {"1": "day", "2": "week", "3": "month"}
# `geo_precision` → what the point stands for (ACLED's codebook): 1 the town named; 2 a place
# near a town or a part of a region, coded at a town nearby; 3 only a larger region, coded at
# its centre or capital.  Said as the place's note, so that a map of an export is not read as
# more precise than the source was.
GEO_PRECISIONS: dict[str, str | None] = {
    "1": None,
    "2": "ACLED geo precision 2: the source names a place near here or part of a region; the point is a town nearby.",
    "3": "ACLED geo precision 3: the source names only a larger region; the point is its centre or capital.",
    # no `geo_precision` (a trimmed export, an empty cell): unknown, never read as the town itself
    "": "ACLED geo precision not given: the point may stand for the town named, a place near it or a larger region.",
}
# The month names of ACLED's long dates (`28 December 2022`), in English whatever the locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = {m.casefold(): i for i, m in enumerate(MONTH_NAMES, 1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LONG_DATE = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$")
# `06.11.2019`: ACLED's date as a spreadsheet in a day-first locale saves it (day first in
# every locale that writes dots).  `06/11/2019` is not read: 6 November or 11 June by locale.
_DOT_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASH_DATE = re.compile(r"^\d{1,4}/\d{1,2}/\d{1,4}$")
_ID_OK = re.compile(ID_PATTERN)


def _defaults(cls: Any) -> dict[str, Any]:
    """Every field of a record class of `records` (where they are declared), in its order, with
    its default as `model_dump()` gives it (a list for a tuple; None for a field with none), so
    that a record from a CSV is shaped exactly like one and a new field reaches it unwritten."""
    return {f: [] if type(d) is tuple else d for f in cls._fields for d in [cls._field_defaults.get(f)]}


_EVENT_DEFAULTS = _defaults(Event)
_FIGURE_DEFAULTS = _defaults(Figure)
_ACTOR_DEFAULTS = _defaults(Actor)
_SOURCE_DEFAULTS = _defaults(Source)


# What separates the fields of an export: ACLED writes commas; a spreadsheet saving "CSV" in a
# locale whose decimal mark is the comma (German, French, Russian, ...) writes semicolons, and
# some tools write tabs.  The header decides: it is ACLED's columns in one of these only.
DELIMITERS = (",", ";", "\t")


def _header_names(first_line: str, delimiter: str) -> set[str]:
    return {c.strip().strip('"').strip().casefold() for c in first_line.lstrip("\ufeff").split(delimiter)}


def _meant_as_acled(names: set[str]) -> bool:
    return "event_id_cnty" in names or 2 * sum(c in names for c in REQUIRED) >= len(REQUIRED)


def delimiter(first_line: str) -> str:
    """The delimiter whose fields, in a CSV's first line, name ACLED's id column or at least
    half of its required columns; a comma when none does."""
    return next((d for d in DELIMITERS if _meant_as_acled(_header_names(first_line, d))), ",")


def is_acled_header(first_line: str) -> bool:
    """True when a CSV's first line names ACLED's columns (BOM, quotes and case ignored)."""
    names = _header_names(first_line, delimiter(first_line))
    return all(c in names for c in REQUIRED)


def missing_columns(first_line: str) -> list[str]:
    """ACLED's required columns a CSV's first line does not name."""
    names = _header_names(first_line, delimiter(first_line))
    return [c for c in REQUIRED if c not in names]


def looks_like_acled(first_line: str) -> bool:
    """True when a CSV's first line names ACLED's id column or at least half of its required
    columns, separated by any of `DELIMITERS`: such a file is read as ACLED, so that a missing
    or renamed required column is an error naming it rather than a file silently left out."""
    return _meant_as_acled(_header_names(first_line, delimiter(first_line)))


SNIFF_LINES = 5  # lines looked through for ACLED's header: a blank or title line may sit above it


def header_trouble(header: int) -> tuple[int, str] | None:
    """(line, what to do) when `sniff`'s answer is an export that cannot be read as it is: in
    UTF-16, or with its header below line 1 (a title line a spreadsheet or a download left
    above it); None otherwise.  The loader, `import acled` and `sync` say it alike."""
    if header == UTF16:
        return 1, UTF16_TEXT
    if header > 1:
        above = "the line" if header == 2 else f"the {header - 1} lines"
        return header, f"ACLED's header is on line {header}, not line 1: remove {above} above it"
    return None


#: `sniff`'s answer for an export saved as UTF-16 (a spreadsheet's "Unicode text"): to be
#: reported, never left out as "another CSV" (QA s12: its rows were gone, `validate` said ok)
UTF16 = -1


def sniff(path: str | os.PathLike[str]) -> int:
    """The line of a `.csv` file that is (meant as) an ACLED export's header, among its first
    `SNIFF_LINES`; 0 when none is (another CSV, left alone); `UTF16` for one in UTF-16.  Only
    line 1 is read as an export; a header below it (a blank line or a title saved above it) is
    the caller's problem to report, not a reason to leave the export out without a word.  A
    regular file only; raises OSError when it cannot be read (the caller reports it)."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return 0
        head = fh.read(2)
        if head in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 ("Unicode text" in a spreadsheet)
            text = (head + fh.read(64 * 1024)).decode("utf-16", "replace")
            return UTF16 if any(looks_like_acled(x) for x in text.splitlines()[:SNIFF_LINES]) else 0
        fh.seek(0)
        for n in range(1, SNIFF_LINES + 1):
            line = fh.readline(64 * 1024)
            if not line:
                break
            if looks_like_acled(line.decode("utf-8", "replace")):
                return n
    return 0


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _id_part(name: str, limit: int = 60) -> str:
    """An ASCII id fragment for a name: its slug, accents dropped (`armées` → `armees`); with a
    short hash of the name when letters no ASCII spells were dropped (Arabic, Cyrillic: two
    such names that share their Latin part, `… (Tajikistan)`, would otherwise share a slug,
    and which one kept it would depend on the order of the export's rows) or when it had to
    be cut, so distinct names keep distinct ids, the same in every export."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch))
    lossy = any(ch.isalnum() and not ch.isascii() for ch in folded)
    s = slug(folded.encode("ascii", "ignore").decode())
    if not s:
        return "x" + _short_hash(name.casefold())
    if lossy or len(s) > limit:
        return s[:limit].rstrip("-") + "-" + _short_hash(name.casefold())
    return s


class RowError(ValueError):
    """A row that cannot be mapped: the field at fault and why.  `record_id` is the row's event
    id (`acled:<event_id_cnty>`) once that has been read and found usable, so the problem names
    the record as a TOML record's does; None while the id itself is what is wrong."""

    def __init__(self, field: str | None, message: str, record_id: str | None = None):
        self.field = field
        self.record_id = record_id
        super().__init__(message)


def whole_count(v: str) -> int | None:
    """A count as an export writes it: `3`, or `3.0` as pandas writes an integer column that
    holds an NA (a zero fraction says nothing more); None for anything else (a real
    fraction, a sign, more than 12 digits)."""
    s = v.strip()
    whole, dot, fraction = s.partition(".")
    if dot and not (fraction and fraction.strip("0") == "" and not thousands(s)):
        return None
    return int(whole) if whole.isdigit() and whole.isascii() and len(whole) <= 12 else None


def thousands(v: str) -> bool:
    """`1.000`, `12.000`: one, twelve, or a thousand and twelve thousand, by the locale that
    wrote it (a dot groups thousands where the comma is the decimal mark), so not read."""
    whole, dot, fraction = v.strip().partition(".")
    digits = bool(dot) and len(fraction) == 3 and fraction.isdigit() and 1 <= len(whole) <= 3 and whole.isdigit()
    return digits and whole.strip("0") != ""  # `0.000` is 0 whichever mark the dot is


def whole_text(v: str) -> str:
    """A code or a count as an export writes it, the way ACLED writes it: `1.0` (pandas) is
    `1`; anything else (a name, `1.5`) stripped and otherwise as written."""
    n = whole_count(v)
    return v.strip() if n is None else str(n)


def _missing(v: str | None) -> bool:
    if not v:
        return True
    if len(v) > 4 and not v[0].isspace() and not v[-1].isspace():  # longer than any marker
        return False
    return v.strip().casefold() in MISSING


def _text(v: str | None, field: str) -> str | None:
    if _missing(v):
        return None
    v = v.strip()  # type: ignore[union-attr]  # not None: _missing(None)
    if len(v) > MAX_TEXT:
        raise RowError(field, f"text is {len(v)} characters, over the {MAX_TEXT}-character limit")
    return v


def parse_date(v: str) -> tuple[int, int, int]:
    """(year, month, day) from `2019-11-06` or `06 November 2019` (also `6-Nov-2019`), or
    `06.11.2019` (day first, as a spreadsheet saves a date in a locale that writes dots)."""
    s = v.strip()
    m = _ISO_DATE.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _DOT_DATE.match(s):
        y, mo, d = int(m.group(3)), int(m.group(2)), int(m.group(1))
    else:
        m = _LONG_DATE.match(s)
        mo_ = _MONTHS.get(m.group(2).casefold()) if m else None
        if not m or mo_ is None:
            if _SLASH_DATE.match(s):
                raise RowError(
                    "event_date",
                    f"{s[:40]!r} is a date as a spreadsheet writes it, the day and month in an order "
                    "only its locale knows: export it again from ACLED, or write it as 2019-11-06",
                )
            raise RowError("event_date", f"expected a date such as 2019-11-06 or 06 November 2019, got {s[:40]!r}")
        y, mo, d = int(m.group(3)), mo_, int(m.group(1))
    try:
        _dt.date(y, mo, d)
    except ValueError as exc:
        raise RowError("event_date", f"not a real date: {s[:40]!r} ({exc})") from None
    if why := year_problem(y):
        raise RowError("event_date", f"{s[:40]!r}: {why}")
    return y, mo, d


def blank_row(row: list[str]) -> bool:
    """A row with nothing in it: an empty line, or a spreadsheet's row of separators alone
    (`;;;;`: written below the data when cells there were ever touched), read as no row."""
    return not any(cell.strip() for cell in row)


def split_list(v: str | None) -> list[str]:
    if _missing(v):
        return []
    out: list[str] = []
    for part in v.split(";"):  # type: ignore[union-attr]  # not None: _missing(None)
        part = part.strip()
        if part and part.casefold() not in MISSING and part not in out:
            out.append(part)
    return out


def _not_nan(v: str | None, field: str) -> None:
    """NaN in a number column is an error, not a missing value (ACLED writes NA or nothing)."""
    if v is not None and v.strip().casefold() == "nan":
        raise RowError(field, f"NaN is not a number: give a number, or NA when there is none (got {v.strip()!r})")


def _coord(v: str | None, field: str, limit: float, decimal_comma: bool = False) -> float | None:
    """A latitude or longitude; `37,6` read as 37.6 in a file separated by semicolons or tabs
    (`decimal_comma`), as a spreadsheet writes it where the comma is the decimal mark."""
    _not_nan(v, field)
    if _missing(v):
        return None
    said = v.strip()  # type: ignore[union-attr]  # not None: _missing(None)
    if decimal_comma and said.count(",") == 1 and "." not in said:
        said = said.replace(",", ".")
    try:
        x = float(said)
    except ValueError:
        raise RowError(field, f"expected a number, got {v.strip()[:40]!r}") from None  # type: ignore[union-attr]  # not None: _missing(None)
    if not math.isfinite(x):
        raise RowError(field, f"must be a finite number, got {v.strip()[:40]!r}")  # type: ignore[union-attr]  # not None: _missing(None)
    if not -limit <= x <= limit:
        raise RowError(field, f"must be between -{limit:g} and {limit:g}, got {v.strip()[:40]!r}")  # type: ignore[union-attr]  # not None: _missing(None)
    return x


class _Registry:
    """Actors and sources created from one file's rows, one per distinct (casefolded) name."""

    def __init__(self, prefix: str, used: set[str]):
        self.prefix = prefix
        self.by_name: dict[str, str] = {}
        self.used = used

    def ident(self, name: str) -> tuple[str, bool]:
        """(id, whether it is new) for a name."""
        key = name.casefold()
        rid = self.by_name.get(key)
        if rid is not None:
            return rid, False
        rid = self.prefix + _id_part(name)
        if rid in self.used:  # two names, one slug ("Foo (Bar)" and "Foo Bar"): tell them apart
            rid = f"{rid}-{_short_hash(key)}"
        self.used.add(rid)
        self.by_name[key] = rid
        return rid, True


def _actor_record(rid: str, name: str, kind: str) -> dict[str, Any]:
    return {**_ACTOR_DEFAULTS, "id": rid, "name": name, "kind": kind, "aliases": _aliases(name)}


def _aliases(name: str) -> list[str]:
    """`JNIM` for `JNIM: Group for Support of Islam and Muslims`: ACLED writes an acronym or
    short name before a colon, and that is what an analyst types (`actor:jnim`)."""
    head, colon, rest = name.partition(":")
    head = head.strip()
    if colon and head and rest.strip() and len(head) <= 80:
        return [head]
    return []


def _source_record(rid: str, name: str, kind: str, reliability_note: str | None, via: list[str]) -> dict[str, Any]:
    return {
        **_SOURCE_DEFAULTS,
        "id": rid,
        "name": name,
        "kind": kind,
        "reliability": "F",
        "reliability_note": reliability_note,
        "via": via,
    }


def coder_figure(value: int | None, note: str | None = None) -> dict[str, Any]:
    """ACLED's count of an event's dead as a figure record: claimed by the coder, carried by
    ACLED's dataset (the row's own, and each earlier count a sync's ledger brings back)."""
    return {
        **_FIGURE_DEFAULTS,
        "metric": "killed",
        "subject": "total",
        "value": value,
        "claimed_by": CODER_ID,
        "source": DATASET_SOURCE_ID,
        "note": note,
    }


def coder_actor() -> dict[str, Any]:
    rec = _actor_record(CODER_ID, CODER_NAME, "dataset-coder")
    rec["summary"] = (
        "Armed Conflict Location & Event Data: codes political violence and protest events "
        "from reports. Claims its fatality counts from imported ACLED rows."
    )
    return rec


def dataset_source() -> dict[str, Any]:
    return _source_record(
        DATASET_SOURCE_ID,
        "ACLED (Armed Conflict Location & Event Data)",
        "dataset",
        "Not graded here: add a curated source with id 'acled:dataset' to grade it.",
        [],
    )


def _roles(etype: str) -> tuple[str, str]:
    if etype == "protests":
        return "mentioned", "responder"
    if etype == "strategic-developments":
        return "mentioned", "mentioned"
    return "perpetrator", "target"


class _Converter:
    def __init__(self, path: str, decimal_comma: bool = False):
        self.path = path
        self.decimal_comma = decimal_comma  # a file separated by `;` or tabs: `37,6` is 37.6
        used: set[str] = {CODER_ID, DATASET_SOURCE_ID}
        self.actors = _Registry("acled:", used)
        self.sources = _Registry("acled:src:", used)
        self.actor_recs: list[tuple[dict[str, Any], int | None]] = []  # line None: a removed row
        self.source_recs: list[tuple[dict[str, Any], int | None]] = []
        self.need_coder = False

    def actor(self, name: str, kind: str, line: int | None) -> str:
        rid, new = self.actors.ident(name)
        if new:
            self.actor_recs.append((_actor_record(rid, name, kind), line))
        return rid

    def source(self, text: str, line: int | None) -> str:
        """The outlet's record, made on its first row.  Not its `source_scale`: that is a row's
        (how that event was sourced), and one outlet's rows give several (QA: the first row's
        "New media" read as the outlet's, where 2,452 rows gave five)."""
        rid, new = self.sources.ident(text)
        if new:
            note = "Not graded: named in ACLED's source column."
            self.source_recs.append((_source_record(rid, text, "acled-source", note, [DATASET_SOURCE_ID]), line))
        return rid

    def row(self, get: Callable[[str], Any], line: int | None) -> dict[str, Any]:
        """One CSV row (get(column) → raw text or None) → an event dict; raises RowError, which
        names the row's event id once the id is known to be good (the id is read first)."""
        eid = get("event_id_cnty")
        if _missing(eid):
            raise RowError("event_id_cnty", "required field is missing")
        eid = eid.strip()
        rid = "acled:" + eid
        if not _ID_OK.match(rid) or len(rid) > 200:
            raise RowError("event_id_cnty", f"not usable as an id (letters, digits, . _ : - only): {eid[:40]!r}")
        try:
            return self._event(get, line, rid)
        except RowError as exc:
            exc.record_id = rid
            raise

    def _event(self, get: Callable[[str], Any], line: int | None, rid: str) -> dict[str, Any]:
        """The rest of `row`, for a row whose event id `rid` is good."""
        raw_date = get("event_date")
        if _missing(raw_date):
            raise RowError("event_date", "required field is missing")
        y, mo, d = parse_date(raw_date)
        prec = get("time_precision")
        prec = "1" if _missing(prec) else whole_text(prec)
        known = TIME_PRECISIONS.get(prec)
        if known is None:
            raise RowError("time_precision", f"expected 1 (day), 2 (week) or 3 (month), got {prec[:20]!r}")
        full = f"{y:04d}-{mo:02d}-{d:02d}"
        date = full[:7] if known == "month" else full  # a week is no ISO partial date: the coded day
        date_note = None
        if known != "day":
            date_note = f"ACLED time precision {prec}: only the {known} is known (coded as {full})."

        etype_raw = get("event_type")
        if _missing(etype_raw):
            raise RowError("event_type", "required field is missing")
        etype = _TYPES.get(etype_raw.strip().casefold())
        if etype is None:
            raise RowError("event_type", f"not one of ACLED's six event types: {etype_raw.strip()[:60]!r}")
        sub_raw = get("sub_event_type")
        sub = None
        if not _missing(sub_raw):
            sub = _SUB_TYPES.get((etype, sub_raw.strip().casefold()))
            if sub is None:
                raise RowError(
                    "sub_event_type", f"{sub_raw.strip()[:60]!r} is not a sub-type of {EVENT_TYPES[etype]!r}"
                )

        country = _text(get("country"), "country")
        if country is None:
            raise RowError("country", "required field is missing")
        lat = _coord(get("latitude"), "latitude", 90, self.decimal_comma)
        lon = _coord(get("longitude"), "longitude", 180, self.decimal_comma)
        if (lat is None) != (lon is None):
            raise RowError("latitude" if lat is None else "longitude", "latitude and longitude go together")
        geo = get("geo_precision")
        geo = "" if _missing(geo) else whole_text(geo)
        if not geo and lat is None:
            geo = "1"  # no point: nothing to say of its precision
        if geo not in GEO_PRECISIONS:
            raise RowError(
                "geo_precision",
                f"expected 1 (the town), 2 (near a town, or part of a region) or 3 (a larger region), got {geo[:20]!r}",
            )
        location = _text(get("location"), "location")
        admin1 = _text(get("admin1"), "admin1")
        admin2 = _text(get("admin2"), "admin2")
        admin3 = _text(get("admin3"), "admin3")
        summary = _text(get("notes"), "notes")

        # Actors (validate every field before creating any record, so a bad row leaves nothing).
        kinds = []
        for col in ("inter1", "inter2"):
            code = get(col)
            if _missing(code) or whole_text(code) == "0":
                kinds.append("unidentified")
                continue
            kind = INTER_KINDS.get(whole_text(code).casefold())
            if kind is None:
                raise RowError(col, f"not an ACLED actor type (1-8 or its name): {code.strip()[:40]!r}")
            kinds.append(kind)
        names: list[tuple[str, str, str]] = []  # (name, kind, role)
        role1, role2 = _roles(etype)
        for col, assoc, kind, role in (
            ("actor1", "assoc_actor_1", kinds[0], role1),
            ("actor2", "assoc_actor_2", kinds[1], role2),
        ):
            main = _text(get(col), col)
            if main:
                names.append((main, kind, role))
            for other in split_list(get(assoc)):
                if len(other) > MAX_TEXT:
                    raise RowError(assoc, "name is too long")
                names.append((other, "unidentified", role))

        fat_raw = get("fatalities")
        _not_nan(fat_raw, "fatalities")
        fatalities = None
        if not _missing(fat_raw):
            fatalities = whole_count(fat_raw)
            if fatalities is None:
                said = fat_raw.strip()[:40]
                if thousands(said):
                    raise RowError(
                        "fatalities",
                        f"{said!r} is {said.partition('.')[0]} or {said.replace('.', '')} by the locale that wrote "
                        "it (a dot groups thousands where the comma is the decimal mark): write the whole number",
                    )
                raise RowError("fatalities", f"expected a whole number of 0 or more, or NA, got {said!r}")

        tags: list[str] = []
        for t in (*split_list(get("tags")), *split_list(get("disorder_type")), get("civilian_targeting") or ""):
            if _missing(t):
                continue
            ts = tag_slug(t)  # as a `tag:` value is read: accents folded, no letter dropped
            if ts and ts not in tags:
                tags.append(ts)

        _text(get("source"), "source")  # the length rule, for the whole field
        _text(get("source_scale"), "source_scale")  # checked as every text is; a row's, not an outlet's

        # Build: every field is good, so a bad row leaves no actor or source behind.
        actors: list[dict[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for name, kind, role in names:
            aid = self.actor(name, kind, line)
            if (aid, role) not in seen:
                seen.add((aid, role))
                actors.append({"actor": aid, "role": role})
        # ACLED's `source` is a `;`-separated list of outlets: each is a source record of its
        # own ("Banouto" is one source across all rows), cited by the event.  The fatality
        # figure is ACLED's own coding (the most conservative of the reports): no outlet said
        # that number, so it is carried by the dataset, whose grade a curated
        # `acled:dataset` source sets, not by an outlet with the outlet's grade.
        sources = [self.source(outlet, line) for outlet in split_list(get("source"))]
        figures = []
        if fatalities is not None:
            self.need_coder = True
            figures.append(coder_figure(fatalities, FIGURE_NOTE))

        label = SUB_EVENT_TYPES[etype][sub] if sub else EVENT_TYPES[etype]
        place = location or admin3 or admin2 or admin1 or country
        title = f"{label} in {place}"
        if names:
            title += f": {names[0][0]}"
            second = next((n for n, _k, r in names[1:] if r != names[0][2]), None)
            if second:
                title += f" / {second}"
        if len(title) > 300:
            title = title[:299] + "…"

        ev = dict(_EVENT_DEFAULTS)
        ev.update(
            id=rid,
            title=title,
            date=date,
            country=country,
            type=etype,
            sub_type=sub,
            date_note=date_note,
            location=location,
            admin1=admin1,
            admin2=admin2,
            admin3=admin3,
            lat=lat,
            lon=lon,
            place_note=GEO_PRECISIONS[geo],
            summary=summary,
            tags=tags,
            actors=actors,
            figures=figures,
            sources=sources,
            related=[],
        )
        return ev


class FileRefused(Exception):
    """The whole file is refused (not UTF-8, a NUL byte): no row of it loads."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem

    def whole(self) -> Problem:
        """The problem as reported: it says that no row of the file is loaded."""
        from briefing.problems import WHOLE_FILE

        return self.problem._replace(message=self.problem.message + WHOLE_FILE)


def duplicate_problem(path: str, line: int | None, event_id: str, first_line: int | None) -> Problem:
    """The problem for a row whose event id an earlier row of the same file has."""
    return Problem(path, line, f"duplicate {event_id[6:]!r}; also on line {first_line}", field="event_id_cnty")


def text_line(raw: bytes) -> str:
    """One line of a CSV file as the reader takes it: a CRLF end read as LF.  A line break
    inside a quoted field is then LF whichever way the file was saved (R's `write.csv` on
    Windows, `unix2dos`): the same note either way, never a revision, and no CR on screen."""
    if raw.endswith(b"\r\n"):
        raw = raw[:-2] + b"\n"
    return raw.decode("utf-8")


def _lines(fh: Any, path: str, counted: list[int]) -> Iterator[str]:
    """A CSV file's lines as text, one at a time (the file is never held whole); counted[0]
    holds the bytes read so far.  Raises FileRefused for a NUL byte or bytes that are not UTF-8."""
    n = 0
    for raw in fh:
        n += 1
        counted[0] += len(raw)
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\x00" in raw:
            raise FileRefused(Problem(path, n, "NUL byte in a CSV file"))
        try:
            yield text_line(raw)
        except UnicodeDecodeError as exc:
            from briefing.loader import not_utf8_text

            raise FileRefused(Problem(path, n, not_utf8_text(raw, exc.start))) from None


def read_rows(
    path: str,
    result: ParsedFile,
    present: Callable[[list[str]], set[str]],
    progress: Callable[[float], None] | None = None,
) -> Iterator[tuple[dict[str, Any], int | None]]:
    """Stream one ACLED CSV: yield (event dict, line) for each row that maps, reading the file
    a line at a time (memory stays bounded whatever its size).  What cannot be read goes into
    result.problems (counted in result.skipped); when the rows are done, the actors and
    sources made from them are set on result.  Duplicate ids are the consumer's to find (the
    store finds them in SQL, `parse_file` in a dict).  The sync's ledger beside
    DIR/acled/acled.csv adds revised counts to the rows and the removed events at the end,
    those of which `present(ids)` (the ids among them the consumer kept) does not hold.
    Raises FileRefused (no row of the file loads) for a NUL byte, bytes that are not UTF-8, or
    a header that is not ACLED's (empty, a column missing or twice): with `--skip-invalid` the
    whole file is then skipped, and said to be, not left out with no count."""
    import stat

    problems = result.problems
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        problems.append(Problem(path, None, f"cannot read: {exc.strerror or exc}"))
        return
    with open(fd, "rb", closefd=True) as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(path, None, "not a regular file"))
            return
        size = max(1, st.st_size)
        counted = [0]
        # A field longer than MAX_TEXT is reported by its row's check; one longer than
        # FIELD_LIMIT makes the reader raise for that row, which is reported: later rows still load.
        csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
        lines = _lines(fh, path, counted)
        first = next(lines, "")
        sep = delimiter(first)
        reader = csv.reader(chain((first,), lines) if first else lines, delimiter=sep)
        try:
            header = next(reader)
        except StopIteration:
            raise FileRefused(Problem(path, 1, "empty file: expected ACLED's header line")) from None
        except csv.Error as exc:
            raise FileRefused(Problem(path, 1, f"CSV: {exc}")) from None
        names = [name.strip().casefold() for name in header]
        cols = {name: i for i, name in enumerate(names)}
        twice = sorted({n for n in names if n and names.count(n) > 1})
        if twice:  # which of two `fatalities` columns is the real one? Not for us to guess.
            raise FileRefused(
                Problem(
                    path,
                    1,
                    f"column {', '.join(repr(n) for n in twice)} appears more than once in the header: keep one",
                )
            )
        missing = [c for c in REQUIRED if c not in cols]
        if missing:
            raise FileRefused(
                Problem(
                    path,
                    1,
                    f"not an ACLED export: no column {', '.join(repr(c) for c in missing)} "
                    f"(ACLED's required columns: {', '.join(REQUIRED)})",
                )
            )
        from briefing.ledger import history_for

        hist = history_for(path)
        revisions = hist.revisions if hist is not None else {}
        width = len(header)
        conv = _Converter(path, decimal_comma=sep != ",")
        start = reader.line_num + 1
        count = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(Problem(path, start, f"CSV: {exc}"))
                result.skipped += 1
                start = reader.line_num + 1
                continue  # the rest of that row is dropped with it; the reader goes on at the next line
            line, start = start, reader.line_num + 1
            if blank_row(row):
                continue
            if len(row) != width:
                problems.append(Problem(path, line, f"row has {len(row)} fields, the header has {width}"))
                result.skipped += 1
                continue
            get = dict(zip(names, row)).get  # column → raw text; None for a column the export lacks
            try:
                ev = conv.row(get, line)
            except RowError as exc:  # `file.csv:LINE: event 'acled:ID': field: reason`, as for TOML
                kind = "event" if exc.record_id else None
                problems.append(Problem(path, line, str(exc), kind=kind, record_id=exc.record_id, field=exc.field))
                result.skipped += 1
                continue
            revs = revisions.get(ev["id"])
            if revs:
                from briefing.ledger import revise

                revise(ev, revs, get("timestamp"))
            yield ev, line
            count += 1
            if progress is not None and not count % 5000:
                progress(counted[0] / size)
    if hist is not None:
        from briefing.ledger import removed_events

        for n, why in hist.broken:  # its removal or earlier count is lost: never without a word
            problems.append(Problem(hist.path, n, why))
            result.skipped += 1
        if hist.replaced:  # its events gone since the last sync are in no ledger: never without a word
            from briefing.ledger import replaced_text

            problems.append(Problem(path, None, replaced_text(path)))
        yield from ((ev, None) for ev in removed_events(hist, present, lambda get: conv.row(get, None), problems))
    result.records["actor"] = [(rec, line, i) for i, (rec, line) in enumerate(conv.actor_recs)]
    if conv.need_coder:
        result.records["actor"].append((coder_actor(), None, len(result.records["actor"])))
    result.records["source"] = [(rec, line, i) for i, (rec, line) in enumerate(conv.source_recs)]
    result.records["source"].append((dataset_source(), None, len(result.records["source"])))


def parse_file(path: str | os.PathLike[str], progress: Callable[[float], None] | None = None) -> ParsedFile:
    """Read one ACLED CSV into a `loader.ParsedFile` (marked `auto`), every row in memory;
    never raises for bad content.  progress(fraction read), if given, is called every few
    thousand rows.  (The store streams big files instead: `store.Store.parsed`.)"""
    from briefing.loader import ParsedFile

    path = os.fspath(path)
    result = ParsedFile(path, auto=True)
    events = result.records["event"]
    seen_ids: dict[str, int | None] = {}
    try:
        for ev, line in read_rows(path, result, lambda ids: {i for i in ids if i in seen_ids}, progress):
            first = seen_ids.get(ev["id"], -1)
            if first != -1:
                result.problems.append(duplicate_problem(path, line, ev["id"], first))
                result.skipped += 1
                continue
            seen_ids[ev["id"]] = line
            events.append((ev, line, len(events)))
    except FileRefused as exc:  # every row goes: those read so far and the one at fault, at least
        return ParsedFile(path, problems=[exc.whole()], skipped=len(events) + 1, auto=True)
    return result
