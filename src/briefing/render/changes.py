"""What a sync of ACLED data changed, as text: one line per ledger entry (`briefing changes`),
a field diff (the event detail), and the brief's "What changed" section (`--changes-since`).

The baseline (the additions of a sync that had no earlier export to compare with,
`ledger.baseline_syncs`) is said in one line, never counted as new events; a restored event
(removed by an earlier export, back in a later one) is said as `restored (removed DATE)`,
never as a late addition (`added_note`, which all three use).

The values are ACLED's text, so every one goes through the display boundary (`one_line`)
and is shortened: a revised `notes` field can be pages long, the diff shows both sides from
just before where they first differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text

from briefing.display import counted, one_line
from briefing.themes import ThemeSpec

if TYPE_CHECKING:
    from briefing.dataset import Dataset

ARROW = "→"
MAX_VALUE = 48
SHOWN = 10  # entries per list in the brief's section


def value_text(field: str, v: Any) -> str:
    """One side of a change: `NA` for a missing count, quoted and shortened text otherwise."""
    if v is None:
        return "NA"
    if field == "fatalities" and isinstance(v, int):
        return f"{v:,}"
    s = one_line(v)
    if len(s) > MAX_VALUE:
        s = s[: MAX_VALUE - 1] + "…"
    return f'"{s}"'


CONTEXT = 16  # characters kept before the first difference of two long texts


def _around_change(old: str, new: str) -> tuple[str, str]:
    """Two long texts shown from a little before where they first differ, each cut to
    `MAX_VALUE`: an edit at the end of a long note (ACLED edits by appending) showed the same
    first 48 characters on both sides, and read as no change."""
    # a line break shown as ⏎: made a space by `one_line`, a break turned into a space read as no change
    a, b = one_line(old.replace("\n", "⏎")), one_line(new.replace("\n", "⏎"))
    same = 0
    for x, y in zip(a, b):
        if x != y:
            break
        same += 1
    start = max(0, same - CONTEXT)

    def cut(s: str) -> str:
        part = ("…" if start else "") + s[start:]
        return f'"{part[: MAX_VALUE - 1] + "…" if len(part) > MAX_VALUE else part}"'

    return cut(a), cut(b)


def old_new(pair: Any) -> tuple[Any, Any]:
    """A revised field's (old, new) as the ledger keeps it: `[old, new]`, or a new value alone."""
    if not isinstance(pair, list):
        return None, pair
    old, new = (pair + [None, None])[:2]
    return old, new


def field_diff(fields: dict[str, Any]) -> list[str]:
    """`fatalities 3 → 7`, `actor2 "" → "JNIM: …"`, one string per changed field, the count
    first (the rest in the export's column order: a toll revised with the notes was cut off a
    line of the TUI's What changed, and off its fold, QA s17); two long texts from just before
    where they differ (`_around_change`)."""
    out = []
    for name, pair in sorted(fields.items(), key=lambda item: item[0] != "fatalities"):
        old, new = old_new(pair)
        if name == "timestamp" and (dates := _stamp_dates(old, new)):  # QA s15: 10-digit seconds on every line
            shown_old, shown_new = dates
        elif isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > MAX_VALUE:
            shown_old, shown_new = _around_change(old, new)
        else:
            shown_old, shown_new = value_text(name, old), value_text(name, new)
        out.append(f"{one_line(name)} {shown_old} {ARROW} {shown_new}")
    return out


def _stamp_dates(old: Any, new: Any) -> tuple[str, str] | None:
    """ACLED's revision stamps (Unix seconds) as the days they say; the time of day too (UTC)
    when both fall on one day (review s15: `2023-01-30 → 2023-01-30` read as no change); a
    stamp that reads as no date is shown as it was (None: neither does)."""
    import time

    from briefing.ledger import timestamp_date, timestamp_seconds

    days = timestamp_date(old), timestamp_date(new)
    if days[0] is None and days[1] is None:
        return None
    if days[0] == days[1]:
        before, after = (
            time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(timestamp_seconds(v) or 0)) for v in (old, new)
        )
        return before, after
    return days[0] or value_text("timestamp", old), days[1] or value_text("timestamp", new)


def added_note(entry: dict[str, Any]) -> str:
    """What an addition was beyond new: `restored (removed 2023-02-06)` for an event an earlier
    export removed and this one put back, `late addition` for one dated before the data it
    joined, else empty."""
    if entry.get("restored"):
        when = one_line(str(entry.get("removed_at") or ""))[:10]
        return f"restored (removed {when})" if when else "restored (removed earlier)"
    return "late addition" if entry.get("late") else ""


def baseline_line(at: str, events: int, record: dict[str, Any]) -> str:
    """The baseline as one line of `briefing changes`: the first sync's additions, which had
    nothing earlier to compare with (`ledger.baseline_syncs`)."""
    return f"{one_line(at)}  {baseline_body(events, record)}"


def baseline_body(events: int, record: dict[str, Any]) -> str:
    """`baseline_line` without the sync's time: the TUI's "What changed" says it once, in the
    heading of the sync the line sits under."""
    export = one_line(str(record.get("export") or ""))
    what = f"the first sync{', of ' + export if export else ''}: nothing earlier to compare with"
    return f"baseline  {counted(events, 'event')} ({what}; `--format json` lists them)"


def entry_line(entry: dict[str, Any]) -> str:
    """A ledger entry as one line of plain text (`briefing changes`)."""
    return f"{one_line(entry.get('synced_at', ''))}  {entry_body(entry)}"


def entry_body(entry: dict[str, Any]) -> str:
    """`entry_line` without the sync's time (kind, id, what changed): the TUI's "What changed"
    lists a sync's entries under one heading that gives the time."""
    kind, eid = entry["kind"], one_line(entry["id"])
    if kind == "revised":
        what = " · ".join(field_diff(entry.get("fields") or {}))
    elif kind == "added":
        what = " ".join(one_line(entry.get(k) or "") for k in ("event_date", "country")).strip()
        if entry.get("restored"):
            what += f": {added_note(entry)}"
        elif entry.get("late"):
            what += " (late addition)"
    else:
        row = entry.get("row") or {}
        what = " ".join(one_line(row.get(k) or "") for k in ("event_date", "country")).strip()
    return f"{kind:<7}  {eid}  {what}".rstrip()


def sync_heading(
    at: str, record: dict[str, Any] | None, counts: dict[str, int], baseline: int = 0, compact: bool = False
) -> str:
    """A sync as the TUI's "What changed" heads its entries: its time (as `--since` takes it),
    what it changed of the events in view (`3 added (1 late), 1 revised`: a kind it did not
    change left out), the baseline's additions said apart, never counted as added; then its
    export's name, last, where a narrow screen cuts (QA s16: `0 remo…` at 80 columns)."""
    from briefing.ledger import MARKS

    export = one_line(str((record or {}).get("export") or ""))
    parts = []
    marks = [f"{counts[k]:,} {k}" for k in ("late", "restored") if counts.get(k)]
    if counts.get("added"):
        added = f"+{counts['added']:,}" if compact else f"{counts['added']:,} added"
        parts.append(added + (f" ({', '.join(marks)})" if marks else ""))
    for k in ("revised", "removed"):
        if counts.get(k):  # `compact`: the list's own marks, where a narrow screen cut the words (QA s16)
            parts.append(f"{MARKS[k]}{counts[k]:,}" if compact else f"{counts[k]:,} {k}")
    if baseline:
        parts.append(f"the baseline, {counted(baseline, 'event')}")
    said = (" " if compact else ", ").join(parts) or "no change"
    return f"{one_line(at)}  {said}" + (f" · {export}" if export else "")


def more_changes(left: int, kind: str, command: str) -> str:
    """What a list cut at its first entries says of the rest, and the command listing them all."""
    return f"… {left:,} more {one_line(kind)}: {one_line(command)} lists them all"


def json_entry(entry: dict[str, Any], baseline: bool = False) -> dict[str, Any]:
    """A ledger entry as `briefing changes --format json` gives it; `baseline`: an addition of
    the baseline (`ledger.baseline_syncs`), flagged so, not a change."""
    out = {"kind": entry["kind"], "id": entry["id"], "synced_at": entry.get("synced_at")}
    if entry["kind"] == "revised":
        if "event_date" in entry:  # not in a ledger written before syncs noted them
            out["event_date"], out["country"] = entry.get("event_date"), entry.get("country")
        out["fields"] = entry.get("fields") or {}
    elif entry["kind"] == "removed":
        out["row"] = entry.get("row")  # the values it had: the ledger keeps the removed row
    elif entry["kind"] == "added":
        out["event_date"], out["country"] = entry.get("event_date"), entry.get("country")
        out["late"] = bool(entry.get("late"))
        if baseline:
            out["baseline"] = True
        if entry.get("restored"):
            out["restored"] = True
            out["removed_at"] = entry.get("removed_at")
    return out


CSV_COLUMNS = (
    "synced_at",
    "kind",
    "id",
    "event_date",
    "country",
    "field",
    "old",
    "new",
    "late",
    "restored",
    "baseline",
)


def csv_rows(entry: dict[str, Any], baseline: bool = False) -> list[list[Any]]:
    """A ledger entry as `briefing changes --format csv` writes it (`CSV_COLUMNS`): a revision a
    row per field changed (old and new as the ledger keeps them: `NA` stays `NA`, never 0); an
    addition or removal one row; each with its event's date and country (a removal's from the row
    it had; a revision's, as the sync saw the new row, empty in a ledger written before)."""
    kind, eid, at = entry["kind"], entry["id"], entry.get("synced_at")
    if kind == "revised":
        rows = []
        for name, pair in (entry.get("fields") or {}).items():
            old, new = old_new(pair)
            if name == "fatalities":  # a count the export left NA: `NA`, as the text says it (QA s16)
                old, new = ("NA" if v is None else v for v in (old, new))
            rows.append(
                [at, kind, eid, entry.get("event_date"), entry.get("country"), name, old, new, None, None, None]
            )
        return rows
    row = (entry.get("row") or {}) if kind == "removed" else entry
    late = bool(entry.get("late")) if kind == "added" else None
    restored = bool(entry.get("restored")) if kind == "added" else None
    return [[at, kind, eid, row.get("event_date"), row.get("country"), None, None, None, late, restored, baseline]]


def _event_line(ds: Dataset, eid: str, theme: ThemeSpec | None, extra: str = "", below: bool = False) -> Text:
    from briefing.render.text import safe, style_of

    muted = style_of(theme, "muted")
    e = ds.event(eid)
    line = Text()
    if e is not None:
        line.append_text(safe(e.date, style_of(theme, "date"), single_line=True))
        line.append("  ")
        line.append_text(safe(e.title, style_of(theme, "title"), single_line=True))
        line.append("  ")
    line.append_text(safe(f"({eid})", muted, single_line=True))
    if extra:
        line.append("\n    " if below else "  ")
        line.append_text(safe(extra, single_line=True))
    return line


def change_lines(entries: list[dict[str, Any]], date_style: Any = "") -> list[Text]:
    """An event's ledger entries (`ledger.change_index`), a line each: when, and what the
    sync changed (the event detail's "Changes (ACLED syncs)", in the brief and the TUI)."""
    from briefing.render.text import safe

    lines = []
    for entry in entries:
        line = Text(str(entry.get("synced_at", ""))[:10], style=date_style)
        kind = entry["kind"]
        if kind == "revised":
            line.append("  revised: ")
            line.append_text(safe(" · ".join(field_diff(entry.get("fields") or {}))))
        elif kind == "removed":
            line.append("  removed by ACLED (kept here; the filter `removed` lists such events)")
        elif entry.get("restored"):
            line.append_text(safe("  added: " + added_note(entry)))
        else:
            line.append("  added" + (" late: dated before the data it joined" if entry.get("late") else ""))
        lines.append(line)
    return lines


def what_changed(
    ds: Dataset,
    entries: Iterable[dict[str, Any]],
    since: str,
    theme: ThemeSpec | None,
    wanted: set[str] | None = None,
    baseline: dict[str, dict[str, Any]] | None = None,
    ledger: bool = True,
) -> list[RenderableType]:
    """The brief's "What changed" section: the ledger entries synced since `since`, for the
    events in `wanted` (None: all) — the baseline in one line (the additions of a sync in
    `baseline`, `ledger.baseline_syncs`: not new), new events, revised figures (old → new,
    with who said them), other revisions, removals; a late addition or a restoration is marked
    among the new events.  With no ledger at all (ledger=False) it says that nothing was
    recorded, not that nothing changed: an export replaced by hand is read again, its changes
    known to no one."""
    from briefing.ledger import is_baseline, taken_back
    from briefing.render.blocks import BLANK, Para, bullets, heading, more_line, note
    from briefing.render.text import style_of

    groups: dict[str, list[dict[str, Any]]] = {"added": [], "revised": [], "removed": []}
    first: dict[str, int] = {}  # synced_at of a baseline sync -> its additions shown here
    for order, entry in enumerate(entries):
        entry = {**entry, "_order": order}  # the ledger's order: which of an event's entries is its last
        if wanted is None or entry["id"] in wanted:
            if baseline and is_baseline(entry, baseline):
                at = str(entry.get("synced_at", ""))
                first[at] = first.get(at, 0) + 1
                continue
            groups[entry["kind"]].append(entry)
    # an event added or removed more than once in the window (removed, restored, removed again)
    # is counted and listed once, as it last was: "2 removed by ACLED" counted ledger lines where
    # one event was removed twice (QA s16)
    last = {e["id"]: e for e in sorted(groups["added"] + groups["removed"], key=lambda e: e["_order"])}
    for kind in ("added", "removed"):  # restored, then removed again: removed, not also new (QA s16)
        groups[kind] = [e for e in groups[kind] if last[e["id"]] is e]
    restored = [e for e in groups["added"] if e.get("restored")]
    late = [e for e in groups["added"] if e.get("late") and not e.get("restored")]
    figures = [e for e in groups["revised"] if "fatalities" in (e.get("fields") or {})]
    other = [e for e in groups["revised"] if "fatalities" not in (e.get("fields") or {})]
    # a number, now NA: taken back, unknown (never a revision of its size: NA is not 0), listed
    # apart as the sync's summary lists it (QA s12)
    withdrawn = [e for e in figures if taken_back(*e["fields"]["fatalities"])]
    figures = [e for e in figures if not taken_back(*e["fields"]["fatalities"])]
    out: list[RenderableType] = [heading(f"What changed (ACLED data synced since {one_line(since)})", theme)]
    if not ledger:
        out.append(
            note(
                "Not recorded: this data has no sync ledger, so what changed between exports is not known "
                "(`briefing sync acled FILE --data DIR` records each change from then on).",
                theme,
            )
        )
        return out
    if not any(groups.values()) and not first:
        out.append(note("Nothing: no sync since then added, revised or removed an event shown here.", theme))
        return out
    both = _with_others(figures + withdrawn)
    added = f" ({counted(len(late), 'late addition')}: dated before the data they joined"
    added += f"; {len(restored):,} restored: removed by an earlier export)" if restored else ")"
    out.append(
        bullets(
            Text(line)
            for line in [
                *(
                    f"{one_line(at[:10])}: first sync, {counted(n, 'event')} (the baseline: nothing earlier to "
                    "compare with, not counted as new)"
                    for at, n in first.items()
                ),
                f"{counted(len(groups['added']), 'new event')}{added}",
                f"{counted(len(figures), 'revised figure')}"
                + (f", {len(withdrawn):,} withdrawn (a number, now NA: unknown)" if withdrawn else "")
                + (f" ({both:,} with other fields revised too)" if both else "")
                + f", {counted(len(other), 'other revision')}",
                f"{len(groups['removed']):,} removed by ACLED (kept readable: filter `removed`)",
            ]
        )
    )

    def part(title: str, items: Sequence[dict[str, Any]], line: Callable[[dict[str, Any]], Text]) -> None:
        if not items:
            return
        out.append(BLANK)
        out.append(Para(Text(title, style=style_of(theme, "label"))))
        for entry in items[:SHOWN]:
            out.append(Para(line(entry)))
        if len(items) > SHOWN:
            out.append(more_line(len(items) - SHOWN, title.lower(), theme, "`briefing changes` lists them all"))

    def revised_figure(entry: dict[str, Any]) -> Text:
        old, new = entry["fields"]["fatalities"]
        stamps = entry["fields"].get("timestamp") or [None, None]
        from briefing.ledger import timestamp_date

        when = [timestamp_date(stamps[0]), timestamp_date(stamps[1]) or entry.get("synced_at", "")[:10]]
        said = (
            f"killed {value_text('fatalities', old)} (ACLED{', ' + when[0] if when[0] else ''}) {ARROW} "
            f"{value_text('fatalities', new)} (ACLED, {when[1]})"
        )
        return _event_line(ds, entry["id"], theme, said, below=True)

    def change_size(entry: dict[str, Any]) -> tuple[int, int, str]:
        """Largest change first (the ten shown are the ten that matter, as in the sync's
        summary; the ledger holds them in the export's row order): a count given where there
        was none before any number; the highest withdrawn first."""
        old, new = entry["fields"]["fatalities"]
        if not isinstance(new, int):
            return (0, -old if isinstance(old, int) else 0, entry["id"])
        if not isinstance(old, int):
            return (0, 0, entry["id"])
        return (1, -abs(new - old), entry["id"])

    # a late addition or a restoration first, marked: with no part of their own (they were listed
    # twice), a list cut at its first ten would leave them unsaid (review s15)
    marked = sorted(groups["added"], key=lambda e: not (e.get("late") or e.get("restored")))
    part("New events", marked, lambda e: _event_line(ds, e["id"], theme, added_note(e)))
    part("Revised figures", sorted(figures, key=change_size), revised_figure)
    part("Withdrawn figures (a number, now NA: unknown, not zero)", sorted(withdrawn, key=change_size), revised_figure)
    part(
        "Other revisions",
        other,
        lambda e: _event_line(
            ds,
            e["id"],
            theme,
            "revised: " + ", ".join(one_line(k) for k in (e.get("fields") or {}) if k != "timestamp"),
        ),
    )
    part("Removed", groups["removed"], lambda e: _event_line(ds, e["id"], theme, "removed by ACLED"))
    # a late addition is one of the new events, marked there with its date: a part of its own
    # listed each of them twice (QA s15)
    out.append(BLANK)
    out.append(
        note(
            "Earlier counts stay on each event as earlier claims by ACLED; `briefing changes` lists "
            "every change field by field.",
            theme,
        )
    )
    return out


def _with_others(entries: Sequence[dict[str, Any]]) -> int:
    """How many of the revisions of a count revised another field a reader sees too (the place,
    the notes, an actor): counted among the figures, they were said nowhere else (the "0 other
    revisions" of QA s17's regression pass, where the same rows' admin1 and notes had changed)."""
    return sum(bool(set(e.get("fields") or {}) - {"fatalities", "timestamp"}) for e in entries)
