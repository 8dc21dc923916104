"""The change ledger that `briefing sync acled` keeps beside the data, and what reads it.

ACLED revises its data in place (same `event_id_cnty`, new `timestamp`), deletes duplicates
and adds old events late; replacing last week's export with this week's would lose all of
that without a trace.  A sync (`briefing.acled_sync`) instead compares the two exports row by
row and writes down, in a ledger that lives with the data, every event added, every field
revised (old and new value) and every event removed (with its old row), so that nothing an
earlier export said is lost.  This module is the reading side, kept light (the filters import
it on the brief's path):

* `revise` and `removed_events` — the loader's hooks (`acled.read_rows`): earlier fatality counts come back
  as earlier claims by ACLED, dated by the `timestamp` of the export that carried them (a
  count ACLED replaced with NA comes back `withdrawn`: no current ACLED count), and
  removed events come back, tagged `acled-removed` (hidden by default; the filter term
  `removed` shows them).
* `changed_ids` — the filter term `changed:DATE`; `entries` — `briefing changes` and the
  brief's "What changed" section.

Layout (inside the data directory, all owned by the sync):

* `acled/acled.csv` — the current merged export, which the normal loader reads as ACLED.
* `acled/ledger.jsonl` — append-only, one JSON object per change, in the order the syncs
  made them (git-friendly, human-readable):
  `{"kind": "added", "id": "acled:BEN775", "synced_at": "...", "event_date": "2023-01-20",
  "country": "Benin", "late": false}` (with `"baseline": true` when the sync had no earlier
  export; `"restored": true, "removed_at": "..."` for an event an earlier sync removed),
  `{"kind": "revised", "id": ..., "synced_at": ..., "event_date": ..., "country": ...,
  "fields": {"fatalities": [3, 7], ...}}` (the date and country of the new row; a ledger
  written before 2026-12-06 has none),
  `{"kind": "removed", "id": ..., "synced_at": ..., "row": {<every column of the old row>}}`.
  Column names as the loader reads them (trimmed, lower-case); values are the export's text,
  except `fatalities`: a whole number, or null for missing.
* `acled/syncs.jsonl` — one line per sync that changed something: when, which file (name
  and SHA-256), its scope, the counts, and `baseline`: true when there was no earlier export
  to compare with (the first sync of a data directory without a hand-placed
  `acled/acled.csv`).

The baseline.  A sync with no earlier export records every row as added, but those rows are
the data's starting point, not news: they are *the baseline* (`baseline_syncs`), and every
reader leaves them out of its changes the same way — `changed:DATE` does not match them, the
brief's "What changed" and `briefing changes` say them in one line, the TUI marks none of
them.  A ledger written before syncs recorded `baseline` is read by its first sync's counts:
its additions are the baseline when it added every row of its export and revised, removed,
kept or touched nothing (what a sync with no earlier export does; a hand-placed earlier
export shows as removed or kept rows, or as rows that were not added).  A ledger without its
`syncs.jsonl` has no baseline: every addition counts as a change (nothing is hidden).

Restored events.  An event ACLED removed in one export and put back in a later one is
recorded as added with `"restored": true` and `"removed_at"` (when the sync recorded its
removal): a restoration, never a late addition.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from briefing.vocab import REMOVED_TAG  # the tag the ledger puts on a removed event

if TYPE_CHECKING:
    from briefing.problems import Problem

# json is imported where a ledger is read, not here: the filters import this module on the
# way to a warm brief, which never reads a ledger.

SUBDIR = "acled"
CSV_NAME = "acled.csv"
LEDGER_NAME = "ledger.jsonl"
SYNCS_NAME = "syncs.jsonl"
OWNED = (CSV_NAME, LEDGER_NAME, SYNCS_NAME)
KINDS = ("added", "revised", "removed")


class LedgerError(ValueError):
    """A ledger line that is not an entry: names the file and line."""


def ledger_path(root: str | None) -> str | None:
    """The ledger of a data directory, when a sync has made one (and had made one when its
    reading was pinned: `pin`)."""
    if not root or not os.path.isdir(root):
        return None
    path = os.path.join(root, SUBDIR, LEDGER_NAME)
    if _pins.get(path, 0) < 0:
        return None
    return path if os.path.isfile(path) else None


# A browser shows the data as it was loaded, for as long as it runs; a sync meanwhile writes a
# new ledger beside it.  Pinned, the ledger and `syncs.jsonl` are read only as far as they
# went when the data was loaded (a sync only appends to them): the marks, the changes and
# `changed:` stay those of the data shown.  path -> bytes to read (-1: there was none).
_pins: dict[str, int] = {}


def pin(root: str | None) -> None:
    """From now on, read root's ledger as it is now (`_lines`), until `unpin`."""
    if not root:
        return
    for name in (LEDGER_NAME, SYNCS_NAME):
        path = os.path.join(root, SUBDIR, name)
        try:
            _pins[path] = os.stat(path).st_size if os.path.isfile(path) else -1
        except OSError:
            _pins[path] = -1


def unpin(root: str | None) -> None:
    if root:
        for name in (LEDGER_NAME, SYNCS_NAME):
            _pins.pop(os.path.join(root, SUBDIR, name), None)


def _lines(path: str) -> Iterator[str]:
    """The lines of a ledger file as text, as far as it is pinned (`pin`)."""
    left = _pins.get(path)
    if left is not None and left < 0:
        return
    with open(path, "rb") as fh:
        for raw in fh:
            if left is not None:
                if left <= 0:
                    return
                raw, left = raw[:left], left - len(raw)
            yield raw.decode("utf-8")


# The start of every entry a sync writes: kind, id and time without parsing the whole line.
_HEAD_PATTERN = r'^\{"kind": "(added|revised|removed)", "id": "((?:[^"\\]|\\.)*)", "synced_at": "([^"]*)"'


def _head() -> re.Pattern[str]:
    return re.compile(_HEAD_PATTERN)  # re caches it; compiled on first use, not at import


NOT_AN_ENTRY = (
    "not a ledger entry (kind added, revised or removed, an id and synced_at, a time as 2023-02-06T09:00:00Z)"
)


def taken_back(old: Any, new: Any) -> bool:
    """A fatality count's (old, new) is a withdrawal: a number taken back, NA now (unknown,
    never a revision of its size: NA is not 0)."""
    return isinstance(old, int) and not isinstance(new, int)


def is_entry(entry: Any) -> bool:
    """A parsed ledger line is an entry: a kind of `KINDS`, an id and a sync's time as syncs
    write it (the one rule the load, `changes` and the TUI's marks read lines by; QA s16: a time
    of "yesterday" was listed under `--since 2023-02-20`, the strings compared)."""
    return (
        isinstance(entry, dict)
        and entry.get("kind") in KINDS
        and isinstance(entry.get("id"), str)
        and entry["id"].startswith("acled:")
        and isinstance(entry.get("synced_at"), str)
        and is_time(entry["synced_at"])
        and _shaped(entry)
    )


def _shaped(entry: dict[str, Any]) -> bool:
    """An entry's own parts as syncs write them: a `row` an object of the export's columns, a
    revision's `fields` an object of [old, new] pairs, a count a whole number or NA (QA s17: a
    `row` written as a string stopped `changes` with an internal error; a count of `"[red]3"`
    or of infinity read as a revision)."""
    if "row" in entry and not isinstance(entry["row"], dict):
        return False
    if any(k in entry and not isinstance(entry[k], str) for k in ("event_date", "country")):
        return False  # a revision's or an addition's date and country: text (QA s18)
    fields = entry.get("fields")
    if entry["kind"] == "revised" and not isinstance(fields, dict):
        return False
    if fields is None:
        return True
    if not isinstance(fields, dict) or not all(isinstance(v, list) and len(v) == 2 for v in fields.values()):
        return False
    counts = fields.get("fatalities", (None, None))
    return all(c is None or (isinstance(c, int) and not isinstance(c, bool)) for c in counts)


@functools.lru_cache(maxsize=64)  # a sync's entries share one time: each is read once
def is_time(value: str) -> bool:
    """A sync's time as syncs write it (`acled_sync.utc_now`: `2023-02-06T09:00:00Z`), and a
    real one (QA s16: `2023-02-30T09:00:00Z` passed a pattern)."""
    import datetime as dt

    if len(value) != 20 or value[10] != "T" or value[-1] != "Z":
        return False
    try:
        dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


NOT_JSON = "not a ledger entry: not JSON (a merge-conflict marker, a line cut short?)"


def entries(path: str, since: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, entry) for each ledger entry synced on or after `since` (a date or a time)."""
    import json

    head = _head()
    for n, line in enumerate(_lines(path), 1):
        if since:
            m = head.match(line)
            if m and m.group(3) < since and is_time(m.group(3)):  # a time of another shape: checked below (QA s16)
                continue
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            raise LedgerError(f"{path}:{n}: {NOT_JSON}") from None
        if not is_entry(entry):
            raise LedgerError(f"{path}:{n}: {NOT_AN_ENTRY}")
        if since and str(entry.get("synced_at", "")) < since:
            continue
        yield n, entry


def _stat_key(path: str) -> Any:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _version(ledger: str) -> Any:
    """What a reading of the ledger depends on: its own stamp, and its `syncs.jsonl`'s (which
    syncs are the baseline), or how far it is pinned; raises OSError for a ledger that cannot be read."""
    syncs = os.path.join(os.path.dirname(ledger), SYNCS_NAME)
    if ledger in _pins:
        return ("pinned", _pins[ledger], _pins.get(syncs))
    st = os.stat(ledger)
    return (st.st_size, st.st_mtime_ns, st.st_ino, _stat_key(syncs))


_baselines: dict[str, tuple[Any, dict[str, dict[str, Any]]]] = {}


def _old_baseline(record: dict[str, Any]) -> bool:
    """A first sync recorded before syncs said `baseline`: the baseline when it added every row
    of its export and revised, removed, kept or touched nothing (see the module's docstring)."""
    rows = record.get("rows")
    return (
        isinstance(rows, int)
        and record.get("added") == rows
        and all(not record.get(k) for k in ("revised", "removed", "timestamp_only", "kept_outside_scope"))
    )


def baseline_syncs(path: str | None) -> dict[str, dict[str, Any]]:
    """synced_at -> the `syncs.jsonl` record of each sync whose additions are the baseline
    (no earlier export to compare with), for the ledger at `path`; read once per version."""
    import json

    if path is None:
        return {}
    syncs = os.path.join(os.path.dirname(path), SYNCS_NAME)
    key = ("pinned", _pins[syncs]) if syncs in _pins else _stat_key(syncs)
    if key is None or _pins.get(syncs, 0) < 0:
        return {}
    hit = _baselines.get(syncs)
    if hit and hit[0] == key:
        return hit[1]
    out: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(_lines(syncs)):
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a broken line: no baseline read from it (its additions stay changes)
        if not isinstance(record, dict) or not isinstance(record.get("synced_at"), str):
            continue
        if "baseline" in record:
            base = record["baseline"] is True
        else:  # written before syncs said so: only a first sync can be one
            base = n == 0 and _old_baseline(record)
        if base:
            out[record["synced_at"]] = record
    _baselines.clear()  # one data directory at a time
    _baselines[syncs] = (key, out)
    return out


def is_baseline(entry: dict[str, Any], baseline: dict[str, dict[str, Any]]) -> bool:
    """An addition by a sync that had no earlier export (`baseline_syncs`): not a change.  A
    sync that records `baseline` marks its additions too (`"baseline": true`), so that a later
    sync in the same second (`synced_at` is to the second) is never taken for it."""
    if entry.get("kind") != "added":
        return False
    record = baseline.get(str(entry.get("synced_at", "")))
    if record is None:
        return False
    return entry.get("baseline") is True if "baseline" in record else True


def _baseline_line(line: str, at: str, baseline: dict[str, dict[str, Any]]) -> bool:
    """`is_baseline` for an `added` line read by its head: `"baseline": true` can only be the
    entry's own key (inside a JSON string its quotes are escaped)."""
    record = baseline.get(at)
    if record is None:
        return False
    return '"baseline": true' in line if "baseline" in record else True


_changed: dict[tuple[str, str], tuple[Any, frozenset[str]]] = {}


def changed_ids(root: str | None, since: str) -> frozenset[str]:
    """Ids of the events a sync added, revised or removed on or after `since` (the filter
    term `changed:DATE`), the baseline's additions left out (`baseline_syncs`); read once per
    ledger version, only the entries' first bytes."""
    import json

    path = ledger_path(root)
    if path is None:
        return frozenset()
    base = baseline_syncs(path)
    key = _version(path)
    hit = _changed.get((path, since))
    if hit and hit[0] == key:
        return hit[1]
    ids: set[str] = set()
    head = _head()
    for line in _lines(path):
        m = head.match(line)
        if m:
            if m.group(3) >= since and not (m.group(1) == "added" and _baseline_line(line, m.group(3), base)):
                ids.add(json.loads(f'"{m.group(2)}"'))
        elif line.strip():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # no entry: the load reported it (`history_for`), naming its line
            if not is_entry(entry):
                continue  # no entry: the load reported it
            if str(entry.get("synced_at", "")) >= since and not is_baseline(entry, base):
                ids.add(entry["id"])
    _changed[(path, since)] = (key, frozenset(ids))
    return _changed[(path, since)][1]


_MOMENT = r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?"


def sync_moment(value: str, end: bool = False) -> str | None:
    """A sync's time as the ledger writes it (`2023-02-06T09:00:00Z`, UTC) from one as a user
    gives it: as `briefing changes` prints it, to the minute, or with an offset (`date
    -Iseconds`: `+00:00`); None when `value` is no time (a date is read elsewhere), ValueError
    for a time that does not exist.  `end`: a time to the minute means its last second (an
    `--until` to the minute kept out the sync run in that minute, QA s16)."""
    import datetime as dt
    import re

    m = re.fullmatch(_MOMENT, value.strip())
    if m is None:
        return None
    seconds = m[4] or ("59" if end else "00")
    zone = m[5] or "Z"
    if zone != "Z" and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    at = dt.datetime.fromisoformat(f"{m[1]}T{m[2]}:{m[3]}:{seconds}" + ("+00:00" if zone == "Z" else zone))
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check(path: str, since: str | None = None) -> None:
    """Read every entry (synced on or after `since`) of the ledger at `path`, raising
    `LedgerError` at a broken line: before a document is written from it (`briefing changes`
    wrote a JSON list cut at the broken line, QA s16) or an entry is added after it (a sync
    appended to a ledger every read refuses, and said all was well)."""
    for _ in entries(path, since):
        pass


def missing_export(root: str) -> str | None:
    """Why DIR/acled/acled.csv is a problem when it is gone while the sync history beside it
    is there (QA s16: deleted, the brief said "no events" and the next sync began a new
    baseline, that week's changes recorded nowhere); None when it is there, or there is no
    history."""
    target = os.path.join(root, SUBDIR)
    if os.path.lexists(os.path.join(target, CSV_NAME)):
        return None
    history = [name for name in (LEDGER_NAME, SYNCS_NAME) if os.path.lexists(os.path.join(target, name))]
    if not history:
        return None
    return (
        f"missing, though {SUBDIR}/{history[0]} beside it records the syncs that made it (a sync now would "
        "begin a new history, this week's changes recorded nowhere): put back the file the last sync left, "
        f"or move {SUBDIR}/{LEDGER_NAME} and {SYNCS_NAME} away to begin anew"
    )


def has_ledger(root: str | None) -> bool:
    return ledger_path(root) is not None


def timestamp_seconds(v: Any) -> int | None:
    """ACLED's `timestamp` as Unix seconds, however the export was saved: `1600000044`,
    `1600000044.0` (pandas, with an NA in the column), `1.6E+09` (a spreadsheet), milliseconds;
    None when blank or no number (the age checks then skip the row, and say so)."""
    s = "" if v is None else str(v).strip()
    if not s:
        return None
    try:
        x = float(s)
    except ValueError:
        return None
    if not x >= 0 or x == float("inf"):  # NaN, negative, infinite
        return None
    return int(x / 1000 if x > 1e11 else x)


def timestamp_date(ts: Any) -> str | None:
    """ACLED's `timestamp` (Unix seconds; some exports give a date) as an ISO date."""
    if ts is None:
        return None
    s = str(ts).strip()
    seconds = timestamp_seconds(s)
    if seconds is not None:
        import datetime as _dt

        try:
            return _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", s)
    return m.group(1) if m else None


def _later(old: Any, new: Any) -> bool:
    """Whether the row's `timestamp` moved forward (Unix seconds, or ISO dates compared as text)."""
    a, b = timestamp_seconds(old), timestamp_seconds(new)
    if a is not None and b is not None:
        return b > a
    return old is not None and new is not None and str(new).strip() > str(old).strip()


class History:
    """What a ledger adds to the ACLED export beside it: each event's fatality revisions and
    the rows of removed events."""

    def __init__(
        self,
        path: str,
        revisions: dict[str, list[tuple[str, dict[str, Any]]]],
        removed: dict[str, tuple[int, str, dict[str, Any]]],
        broken: list[tuple[int, str]] | None = None,
        replaced: bool = False,
    ) -> None:
        self.path = path
        self.revisions = revisions  # id -> [(synced_at, fields)], the revisions of fatalities
        self.removed = removed  # id -> (ledger line, synced_at, old row)
        self.broken = broken or []  # (line, why) of lines that are no entry: problems of the load
        self.replaced = replaced  # the export is not the one the last sync left (`replaced_by_hand`)


def sha256_of(path: str) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sync_log(target: str, pinned: bool = False) -> list[dict[str, Any]]:
    """The records of `target`'s `syncs.jsonl` (the folder `acled/`), one per sync in the order
    they ran; a line that is no record left out; [] with none.  `pinned`: read as far as the
    ledger beside it is pinned (`pin`: a TUI open during a sync reads the syncs it loaded)."""
    path = os.path.join(target, SYNCS_NAME)
    try:
        if pinned:
            return _records(_lines(path))
        with open(path, encoding="utf-8") as fh:
            return _records(fh)
    except OSError:
        return []


def _records(lines: Iterable[str]) -> list[dict[str, Any]]:
    import json

    out: list[dict[str, Any]] = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            out.append(record)
    return out


def replaced_by_hand(target: str) -> bool:
    """Whether DIR/acled/acled.csv is not the file the last sync left there (its SHA-256 in
    `syncs.jsonl`: `stored_sha256`, or before syncs kept it, the export's own when the sync
    kept no stored row beside it): a week's export copied over it by hand, whose changes no
    ledger holds.  False when that cannot be told (no record, or none of the hash)."""
    log = sync_log(target)
    if not log:
        return False
    last = log[-1]
    expected = last.get("stored_sha256")
    if expected is None and last.get("kept_outside_scope") == 0:
        expected = last.get("sha256")
    if not isinstance(expected, str):
        return False
    try:
        return sha256_of(os.path.join(target, CSV_NAME)) != expected
    except OSError:
        return False


def history_for(csv_path: str) -> History | None:
    """The ledger history for `DIR/acled/acled.csv`, or None for any other ACLED file."""
    if os.path.basename(csv_path) != CSV_NAME:
        return None
    path = os.path.join(os.path.dirname(csv_path), LEDGER_NAME)
    if not os.path.isfile(path):
        return None
    import json

    revisions: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    removed: dict[str, tuple[int, str, dict[str, Any]]] = {}
    broken: list[tuple[int, str]] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.startswith('{"kind": "added"') or not line.strip():
                continue  # most of a ledger; nothing the records need
            try:
                entry = json.loads(line)
            except ValueError:  # a conflict marker, a copy cut short: a removed event or an
                # earlier count may be lost with it, so the load says so (`acled.parse_file`)
                broken.append((n, NOT_JSON))
                continue
            if not is_entry(entry) or "synced_at" not in entry:  # `changes` refuses it: the load too
                broken.append((n, NOT_AN_ENTRY))
                continue
            kind, eid, at = entry["kind"], entry["id"], str(entry["synced_at"])
            if kind == "revised" and "fatalities" in (entry.get("fields") or {}):
                revisions.setdefault(eid, []).append((at, entry["fields"]))
            elif kind == "removed" and isinstance(entry.get("row"), dict):
                removed[eid] = (n, at, entry["row"])
    replaced = replaced_by_hand(os.path.dirname(csv_path))
    return History(path, revisions, removed, broken, replaced) if revisions or removed or broken or replaced else None


REPLACED = "replaced outside `briefing sync` since the last sync"


def replaced_text(csv_path: str) -> str:
    """What is said of DIR/acled/acled.csv when it is not the file the last sync left (a week's
    export copied over it): the ledger's removals and earlier counts are of the file it
    replaced.  The way out names the real folder: syncing the file as it is records it."""
    from briefing.display import command_line

    data = os.path.dirname(os.path.dirname(os.path.abspath(csv_path)))
    here = command_line(["briefing", "sync", "acled", os.path.abspath(csv_path), "--data", data])
    return (
        f"{REPLACED}: the ledger's removed events and earlier counts "
        "describe the file sync left, not this one, and what changed between the two is recorded nowhere; "
        f"sync each new export instead, and this one as it is to go on from it: {here}"
    )


SUPERSEDED_NOTE = "An earlier count by ACLED, revised in a later export (see `briefing changes`)."
WITHDRAWN_NOTE = "A count by ACLED, withdrawn in a later export (NA); see `briefing changes`."


def _next_day(day: str) -> str:
    import datetime as _dt

    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=1)).isoformat()


def revise(ev: dict[str, Any], revs: list[tuple[str, dict[str, Any]]], timestamp: str | None = None) -> None:
    """Date the event's ACLED figure and put the counts it replaced before it, dated too, so
    that every count ACLED replaced is superseded (`compare.split_revisions`: only the latest
    dated claim of one claimant in one source is current) and never reads as a second ACLED
    claim disputing the first.  `timestamp` is the row's `timestamp` as the export has it now.

    The dates, for the chain of counts v0 → v1 → … → vn that the revisions in `revs` record:
    v0 (the count before the first revision) is dated by the row's `timestamp` as it stood
    then: the revision's old timestamp when it moved, else the next old timestamp a later
    revision recorded, else `timestamp` (a revision with no new timestamp left it as it was).
    Each later count is dated by the row's new `timestamp` when the revision moved it forward,
    else by the day of the sync that saw it (ACLED's row changed without saying when, or its
    timestamp went back, a roll-back: the sync is the first we knew of it).  A count is never
    dated on or before the one it replaced: claim dates are days, so one that would be (two
    syncs in one day) is dated the next day, keeping the order the ledger recorded.

    A count ACLED withdrew: when the row has no count now (no ACLED killed figure: `NA`) and
    the last revision's new value is null, the last earlier count is marked `withdrawn` on the
    date that revision gets by the rules above, so it is superseded and the event has no
    current ACLED figure (unknown, never the old count)."""
    from briefing.acled import CODER_ID, coder_figure

    figs = ev["figures"]
    current = next((f for f in figs if f["claimed_by"] == CODER_ID and f["metric"] == "killed"), None)
    template = current or coder_figure(None)  # as `acled._Converter.row` makes it
    stamps = [fields.get("timestamp") or [None, None] for _at, fields in revs]
    # v0's date: the row's timestamp before the first revision (see the docstring).
    first = next((timestamp_date(old) for old, _new in stamps if timestamp_date(old)), None)
    dates: list[str | None] = [first or timestamp_date(timestamp)]
    for (at, _fields), (old, new) in zip(revs, stamps):
        day = timestamp_date(new) or at[:10] or None  # a timestamp in `fields` is one that moved
        before = dates[-1]
        if day is not None and before is not None and day <= before and at[:10] > before and not _later(old, new):
            day = at[:10]  # the timestamp went back (a roll-back, `sync --older`): the sync's day
        if day is not None and before is not None and day <= before:
            day = _next_day(before)  # moved forward within the day (or two syncs in one): the next
        dates.append(day)
    earlier = []
    for (_at, fields), date in zip(revs, dates):
        old = fields["fatalities"][0]
        if isinstance(old, int) and not isinstance(old, bool):
            earlier.append({**template, "value": old, "date": date, "note": SUPERSEDED_NOTE})
    if current is None and earlier and revs[-1][1]["fatalities"][1] is None:
        last = earlier[-1]  # the count ACLED had before it wrote NA (never dated after the NA)
        last.update(withdrawn=dates[-1] or last["date"], note=WITHDRAWN_NOTE)
    if current is not None:
        current["date"] = dates[-1]
    ev["figures"] = [*earlier, *figs]


def removed_events(
    hist: History,
    present: Callable[[list[str]], set[str]],
    make_event: Callable[[Callable[[str], str | None]], dict[str, Any]],
    problems: list[Problem],
) -> Iterator[dict[str, Any]]:
    """The loader hook (`acled.read_rows`, after the rows): the events the ledger says were
    removed and the export no longer has (`present(ids)`: those of ids it does have), tagged
    `acled-removed`, with their revised counts.  `make_event(row)` maps an old row as the
    parser maps a current one (raising `acled.RowError` for a row it cannot map)."""
    from briefing.acled import RowError
    from briefing.problems import Problem

    back = present(list(hist.removed))  # removed once, back in a later export
    for eid, (line, _at, row) in hist.removed.items():
        if eid in back:
            continue
        try:
            ev = make_event({str(k): ("" if v is None else str(v)) for k, v in row.items()}.get)
        except RowError as exc:
            problems.append(
                Problem(hist.path, line, f"removed event: {exc}", kind="event", record_id=eid, field=exc.field)
            )
            continue
        ev["tags"] = [*ev["tags"], REMOVED_TAG]
        revs = hist.revisions.get(eid)
        if revs:
            revise(ev, revs, row.get("timestamp"))
        yield ev


_index: dict[str, tuple[Any, dict[str, list[dict[str, Any]]]]] = {}
MARKS = {"added": "+", "revised": "~", "removed": "x"}


def object_history(root: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """What a STIX export keys and dates an event's objects by, from one read of the ledger
    (the lines that say it found by their first bytes, the rest not parsed; a line that is no
    JSON left out: the load reports it):

    * first dates: each ACLED event whose date a sync corrected, the day it was first given
      (ISO), from the first revision of its `event_date`; an incident's `created` stays there
      (`created` never changes between versions of an object, and ACLED corrects dates);
    * restorations: each event a sync put back after an earlier one removed it, when the
      latest such sync ran; its objects get ids of their own (revocation is final, and the
      removal's export revoked the old ones; QA s16)."""
    import json

    from briefing.acled import RowError, parse_date

    first: dict[str, str] = {}
    restored: dict[str, str] = {}
    path = ledger_path(root)
    if path is None:
        return first, restored
    for line in _lines(path):
        if line.startswith('{"kind": "revised"') and '"event_date": [' in line:  # the field, not the entry's date
            try:
                entry = json.loads(line)
                eid, old = entry["id"], entry["fields"]["event_date"][0]
                if eid not in first:
                    y, mo, d = parse_date(str(old))
                    first[eid] = f"{y:04d}-{mo:02d}-{d:02d}"
            except (ValueError, KeyError, TypeError, IndexError, RowError):
                continue  # `briefing changes` names a broken line
        elif line.startswith('{"kind": "added"') and '"restored": true' in line:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if is_entry(entry) and entry.get("restored") is True:
                restored[entry["id"]] = max(restored.get(entry["id"], ""), str(entry.get("synced_at", "")))
    return first, restored


def change_index(root: str | None) -> dict[str, list[dict[str, Any]]]:
    """Each changed event's ledger entries, oldest first, for the TUI (the mark in the list,
    the diff in the detail).  Left out: the baseline's additions (`baseline_syncs`: a sync
    with no earlier export adds every event, and a mark on every row marks nothing).  Read
    once per ledger version."""
    import json

    path = ledger_path(root)
    if path is None:
        return {}
    base = baseline_syncs(path)
    key = _version(path)
    hit = _index.get(path)
    if hit and hit[0] == key:
        return hit[1]
    out: dict[str, list[dict[str, Any]]] = {}
    head = _head()
    for line in _lines(path):
        m = head.match(line)
        if m and m.group(1) == "added" and _baseline_line(line, m.group(3), base):
            continue
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # `briefing changes` names a broken line
        if is_entry(entry):
            if is_baseline(entry, base):
                continue
            out.setdefault(entry["id"], []).append(entry)
    _index.clear()  # one data directory at a time
    _index[path] = (key, out)
    return out


def change_mark(entries: list[dict[str, Any]] | None) -> str:
    """One character for an event's changes: `x` removed, `~` revised, `+` added (not in the
    baseline; restored after a removal too), ` ` none."""
    if not entries:
        return " "
    if entries[-1]["kind"] == "removed":
        return MARKS["removed"]
    if any(e["kind"] == "revised" for e in entries):
        return MARKS["revised"]
    return MARKS["added"]


def sync_records(path: str | None) -> dict[str, dict[str, Any]]:
    """synced_at -> the `syncs.jsonl` record of every sync (its export's name, its counts), for
    the ledger at `path`, read as far as it is pinned; a broken line is left out (no record:
    the sync is still listed by its entries, without its export's name)."""
    if path is None:
        return {}
    log = sync_log(os.path.dirname(path), pinned=True)
    return {r["synced_at"]: r for r in log if isinstance(r.get("synced_at"), str)}


class SyncGroup:
    """One sync's changes as the TUI's "What changed" lists them (`sync_groups`): how many of
    each kind, and the first `cap` entries of each kind, parsed; the rest only counted."""

    __slots__ = ("at", "record", "baseline", "counts", "shown", "_marked")

    def __init__(self, at: str, record: dict[str, Any] | None) -> None:
        self.at = at
        self.record = record  # its `syncs.jsonl` line, if any
        self.baseline = 0  # additions of the baseline (`is_baseline`): counted, never listed
        self.counts: dict[str, int] = {"added": 0, "revised": 0, "removed": 0, "late": 0, "restored": 0}
        self.shown: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
        self._marked: list[dict[str, Any]] = []  # late additions and restorations, listed first

    def left(self, kind: str) -> int:
        """How many entries of `kind` are counted and not listed."""
        return self.counts[kind] - len(self.shown[kind])


def sync_groups(path: str, wanted: set[str] | frozenset[str] | None = None, cap: int = 200) -> list[SyncGroup]:
    """The ledger at `path` grouped by sync, newest first, the entries of the events in
    `wanted` (None: all): each sync's counts by kind and its first `cap` entries of each kind
    (late additions and restorations first among the added: a list cut at `cap` never leaves
    one of them unsaid); the baseline counted, not listed.  Only the entries listed are parsed;
    the others are read by their first bytes (`_head`).  A sync none of whose entries concerns
    `wanted` is left out.  A broken line is skipped: the load reports it."""
    import json

    base = baseline_syncs(path)
    records = sync_records(path)
    groups: dict[str, SyncGroup] = {}
    head = _head()
    for line in _lines(path):
        entry: dict[str, Any] | None = None
        m = head.match(line)
        if m:
            kind, raw_id, at = m.group(1), m.group(2), m.group(3)
            eid = json.loads(f'"{raw_id}"') if "\\" in raw_id else raw_id
        else:
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not is_entry(entry):
                continue
            kind, eid, at = entry["kind"], entry["id"], str(entry.get("synced_at", ""))
        if wanted is not None and eid not in wanted:
            continue
        group = groups.get(at)
        if group is None:
            group = groups[at] = SyncGroup(at, records.get(at))
        if kind == "added" and (is_baseline(entry, base) if entry is not None else _baseline_line(line, at, base)):
            group.baseline += 1
            continue
        marked = restored = False
        if kind == "added":
            # `"restored": true` can only be the entry's own key (inside a JSON string its quotes are escaped)
            restored = entry.get("restored") is True if entry is not None else '"restored": true' in line
            late = not restored and (entry.get("late") is True if entry is not None else '"late": true' in line)
            marked = restored or late
        listed = group._marked if marked else group.shown[kind]
        if len(listed) < cap:
            if entry is None:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # cut short: not counted either
                if not is_entry(entry):
                    continue
            listed.append(entry)
        group.counts[kind] += 1
        if marked:
            group.counts["restored" if restored else "late"] += 1
    out = sorted(groups.values(), key=lambda g: g.at, reverse=True)
    for group in out:
        group.shown["added"] = (group._marked + group.shown["added"])[:cap]
        group._marked = []
    return out
