"""Small, cached cell formatters shared by the list rows and the detail panes."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size
from rich.style import Style

from briefing.compare import event_total, is_disputed
from briefing.records import Event
from briefing.themes import ThemeSpec
from briefing.vocab import EVENT_TYPE_SHORT, RELIABILITY

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """Exactly `width` cells: padded, or cut with an ellipsis (wide characters respected)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + ELLIPSIS


def killed_span(event: Event) -> str:
    """An event's killed total as the list shows it: `17`, `2–≥10`, `13+≥169` (a sum of groups'
    claims, `Total.terms`), or blank."""
    t = event_total(event.figures)
    return t.terms if t else ""


def fit_span(span: str, width: int) -> str:
    """A killed span in `width` cells without cutting a number: a sum of groups' claims too
    long for it (`1,000–1,300+1,100–1,400+1,500–2,500`) keeps its largest parts whole, in their
    order, and says there are more (`1,100–1,400+1,500–2,500+…`): a row must never read as 7
    where a part of 100,000 was left out; the largest part always shows, room or not."""
    if len(span) <= width or "+" not in span:
        return span
    parts = span.split("+")
    by_size = sorted(range(len(parts)), key=lambda i: -_largest(parts[i]))
    kept = {by_size[0]}
    for i in by_size[1:]:
        if len("+".join(parts[j] for j in sorted(kept | {i}))) + 2 > width:
            break
        kept.add(i)
    return "+".join(parts[j] for j in sorted(kept)) + "+…"


def _largest(part: str) -> int:
    """The largest number a part of a sum writes (`100,000–200,000`: 200,000)."""
    return max((int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", part)), default=0)


def disputed(event: Event) -> bool:
    return is_disputed(event.figures)


def type_short(event: Event) -> str:
    return EVENT_TYPE_SHORT.get(event.type, event.type)


def reliability_label(letter: str) -> str:
    return f"{letter}: {RELIABILITY.get(letter, '')}"


class StyleBook:
    """Rich styles from a theme spec, parsed once; a broken style in a user theme is ignored."""

    def __init__(self, spec: ThemeSpec | None) -> None:
        self.spec = spec
        self._cache: dict[str, Style] = {}

    def __call__(self, key: str) -> Style:
        st = self._cache.get(key)
        if st is None:
            raw = self.spec.style(key) if self.spec else ""
            try:
                st = Style.parse(raw) if raw else Style()
            except Exception:  # noqa: BLE001 - a theme's style string Rich cannot parse draws unstyled, never crashes a row
                st = Style()
            self._cache[key] = st
        return st

    def text_style(self, key: str) -> str:
        """The style as a string for `Text(..., style=)` (validated through __call__)."""
        return str(self(key)) if self(key) else ""
