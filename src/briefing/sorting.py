"""The orders an event list can be shown in, by name: what the TUI's `o` key cycles through.

Headless, so the same names can be mapped elsewhere (the SQLite store maps them to ORDER BY).
Every order is a stable sort of the newest-first list, so ties stay newest first:

- `date`: newest first (the dataset's own order: date, then id, descending);
- `killed`: most killed first, by the top of the event's total (`compare.event_total`: the
  total claim, else the sum of the groups counted; an open-ended "at least 10" counts 10);
  events with no killed figure last.  The order is shown, never the number it sorts by;
- `country`: country A–Z, without regard to case or accents (`dataset.fold`: Côte d'Ivoire
  among the C's);
- `title`: title A–Z (case-folded).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from briefing.compare import event_total
from briefing.dataset import fold
from briefing.records import Event

SORTS: dict[str, str] = {
    "date": "newest first",
    "killed": "most killed first (largest claim; none stated: last)",
    "country": "country A–Z",
    "title": "title A–Z",
}
DEFAULT = "date"


def killed_order(e: Event) -> int | None:
    """The number `killed` sorts by (`Total.rank`: the top of the event's total, or of an
    open-ended one the highest number a claim states), None when no figure says."""
    t = event_total(e.figures)
    return None if t is None else t.rank


def _killed_key(e: Event) -> tuple[int, int]:
    k = killed_order(e)
    return (1, 0) if k is None else (0, -k)


KEYS: dict[str, Callable[[Event], Any]] = {
    "killed": _killed_key,
    "country": lambda e: fold(e.country),  # as the index keeps it (`sqlquery`: `country:` matches so)
    "title": lambda e: e.title.casefold(),
}


def sort_events(events: Sequence[Event], by: str = DEFAULT) -> Sequence[Event]:
    """`events` (newest first) in the order named; `date` returns them as they are."""
    if by == DEFAULT:
        return events
    try:
        key = KEYS[by]
    except KeyError:
        raise ValueError(f"unknown sort {by!r}; sorts are {', '.join(SORTS)}") from None
    return sorted(events, key=key)


def next_sort(by: str) -> str:
    """The order after `by`, round the list."""
    names = list(SORTS)
    return names[(names.index(by) + 1) % len(names)] if by in SORTS else DEFAULT
