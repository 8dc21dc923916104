"""What a sync of ACLED data changed, as text: one line per ledger entry (`briefing changes`),
a field diff (the event detail), and the brief's "What changed" section (`--changes-since`).

The values are ACLED's text, so every one goes through the display boundary (`one_line`)
and is shortened: a revised `notes` field can be pages long, the diff only shows that it
changed and how it starts.
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


def field_diff(fields: dict[str, Any]) -> list[str]:
    """`fatalities 3 → 7`, `actor2 "" → "JNIM: …"`, one string per changed field."""
    out = []
    for name, pair in fields.items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        out.append(f"{one_line(name)} {value_text(name, old)} {ARROW} {value_text(name, new)}")
    return out


def entry_line(entry: dict[str, Any]) -> str:
    """A ledger entry as one line of plain text (`briefing changes`)."""
    kind, eid, at = entry["kind"], one_line(entry["id"]), one_line(entry.get("synced_at", ""))
    if kind == "revised":
        what = " · ".join(field_diff(entry.get("fields") or {}))
    elif kind == "added":
        what = " ".join(one_line(entry.get(k) or "") for k in ("event_date", "country")).strip()
        if entry.get("late"):
            what += " (late addition)"
    else:
        row = entry.get("row") or {}
        what = " ".join(one_line(row.get(k) or "") for k in ("event_date", "country")).strip()
    return f"{at}  {kind:<7}  {eid}  {what}".rstrip()


def json_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A ledger entry as `briefing changes --format json` gives it."""
    out = {"kind": entry["kind"], "id": entry["id"], "synced_at": entry.get("synced_at")}
    if entry["kind"] == "revised":
        out["fields"] = entry.get("fields") or {}
    elif entry["kind"] == "added":
        out["late"] = bool(entry.get("late"))
    return out


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


def what_changed(
    ds: Dataset, entries: Iterable[dict[str, Any]], since: str, theme: ThemeSpec | None, wanted: set[str] | None = None
) -> list[RenderableType]:
    """The brief's "What changed" section: the ledger entries synced since `since`, for the
    events in `wanted` (None: all) — new events, revised figures (old → new, with who said
    them), other revisions, removals, late additions."""
    from briefing.render.blocks import BLANK, Para, bullets, heading, more_line, note
    from briefing.render.text import style_of

    groups: dict[str, list[dict[str, Any]]] = {"added": [], "revised": [], "removed": []}
    for entry in entries:
        if wanted is None or entry["id"] in wanted:
            groups[entry["kind"]].append(entry)
    late = [e for e in groups["added"] if e.get("late")]
    figures = [e for e in groups["revised"] if "fatalities" in (e.get("fields") or {})]
    other = [e for e in groups["revised"] if "fatalities" not in (e.get("fields") or {})]
    out: list[RenderableType] = [heading(f"What changed (ACLED data synced since {one_line(since)})", theme)]
    if not any(groups.values()):
        out.append(note("Nothing: no sync since then added, revised or removed an event shown here.", theme))
        return out
    out.append(
        bullets(
            Text(line)
            for line in [
                f"{counted(len(groups['added']), 'new event')}"
                f" ({counted(len(late), 'late addition')}: dated before the data they joined)",
                f"{counted(len(figures), 'revised figure')}, {counted(len(other), 'other revision')}",
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

    part(
        "New events",
        groups["added"],
        lambda e: _event_line(ds, e["id"], theme, "late addition" if e.get("late") else ""),
    )
    part("Revised figures", figures, revised_figure)
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
    part(
        "Late additions",
        late,
        lambda e: _event_line(ds, e["id"], theme, f"dated {one_line(e.get('event_date') or '?')}"),
    )
    out.append(BLANK)
    out.append(
        note(
            "Earlier counts stay on each event as earlier claims by ACLED; `briefing changes` lists "
            "every change field by field.",
            theme,
        )
    )
    return out
