"""The command palette's "jump to": any event by title or id, any actor by name, alias or id,
any source by name or id.

Matching is a case-insensitive substring test first (exact, then prefix, then anywhere),
which stays quick at 100k events; on small datasets a fuzzy match fills in.  Every prompt
is built as `rich.text.Text` / `Content` from cleaned record text — Textual's own
`Matcher.highlight` parses its candidate as markup, so it is not used here.
"""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from briefing.display import one_line
from briefing.tui.app_ref import briefing_app
from briefing.vocab import REMOVED_TAG

MAX_HITS = 60
FUZZY_LIMIT = 5000  # candidates; above this only substring matches are tried


class _Candidate:
    __slots__ = ("kind", "id", "name", "keys", "folded", "detail")

    def __init__(self, kind: str, rid: str, name: str, keys: tuple[str, ...], detail: str) -> None:
        self.kind = kind
        self.id = rid
        self.name = one_line(name)
        self.keys = tuple(one_line(k) for k in keys)
        self.folded = tuple(k.casefold() for k in self.keys)
        self.detail = one_line(detail)


def candidates(ds) -> list[_Candidate]:
    out = [_Candidate("actor", a.id, a.name, (a.name, *a.aliases, a.id), f"actor · {a.kind}") for a in ds.actors]
    out += [
        _Candidate("source", s.id, s.name, (s.name, s.id), f"source · {s.kind} · rated {s.reliability}")
        for s in ds.sources
    ]
    if getattr(ds, "index", None) is None:  # kept in the store: events are asked of its index
        out += [_event(e) for e in ds.events]
    return out


def _event(e) -> _Candidate:
    gone = " · removed by ACLED" if REMOVED_TAG in e.tags else ""  # not read as live (QA s17)
    return _Candidate("event", e.id, e.title, (e.title, e.id), f"event · {e.date} · {e.country}{gone}")


def stored_events(ds, q: str) -> list[_Candidate]:
    """The events of a dataset kept in the store whose title or id holds q (asked of its index,
    in a worker thread: a scan of every title)."""
    index = getattr(ds, "index", None)
    if index is None:
        return []
    return [_event(e) for e in index.titled(q, limit=10 * MAX_HITS)]


def _score(folded: str, q: str) -> tuple[float, int]:
    """(score, offset) of q in a casefolded key; score 0 when absent.  A match that is a whole
    word of the key ranks above one that runs on into more letters: `AFG476` finds
    `acled:AFG476` before `acled:AFG4761` (QA: ACLED's own ids, copied without `acled:`)."""
    if folded == q:
        return 1.0, 0
    pos = folded.find(q)
    if pos < 0:
        return 0.0, -1
    end = pos + len(q)
    whole = 0.05 if end == len(folded) or not folded[end].isalnum() else 0.0
    if pos == 0:
        return 0.9 + whole, 0
    start_of_word = not folded[pos - 1].isalnum()
    return (0.8 if start_of_word else 0.6) + whole - min(pos, 100) / 1000, pos


def prompt(c: _Candidate, key_index: int = 0, span: tuple[int, int] | None = None, offsets=()) -> Text:
    """`actor  Islamic State (alias: ISIS)` with the matched letters emphasised."""
    t = Text(f"{c.kind:<7}", style="dim")  # "source" and a space
    key = c.keys[key_index]
    if key_index == 0:
        start = len(t)
        t.append(key)
    else:
        t.append(c.name)
        t.append("  (")
        label = "id" if key == c.id else "alias"
        t.append(f"{label}: ")
        start = len(t)
        t.append(key)
        t.append(")")
    if span:
        t.stylize("bold underline", start + span[0], start + span[1])
    for off in offsets:
        t.stylize("bold underline", start + off, start + off + 1)
    return t


class JumpProvider(Provider):
    """Jump to any event, actor or source."""

    async def startup(self) -> None:
        self._candidates = candidates(briefing_app(self).ds)

    def _open(self, kind: str, rid: str) -> None:
        briefing_app(self).open_record(kind, rid, from_palette=True)

    async def discover(self) -> Hits:
        for c in self._candidates[:40]:
            yield DiscoveryHit(
                prompt(c),
                partial(self._open, c.kind, c.id),
                text=c.name,
                help=Content(c.detail),  # type: ignore[arg-type]  # Content: shown as is (Textual takes it; hint says str)
            )

    async def search(self, query: str) -> Hits:
        q = one_line(query).casefold().strip()
        if not q:
            return
        found: list[tuple[float, _Candidate, int, tuple[int, int] | None, tuple[int, ...]]] = []
        extra = await asyncio.to_thread(stored_events, briefing_app(self).ds, q)
        for c in [*self._candidates, *extra]:
            best = (0.0, 0, -1)
            for i, key in enumerate(c.folded):
                score, pos = _score(key, q)
                if score > best[0]:
                    best = (score, i, pos)
            if best[0]:
                found.append((best[0], c, best[1], (best[2], best[2] + len(q)), ()))
        if not found and len(self._candidates) <= FUZZY_LIMIT:
            matcher = self.matcher(query)
            for c in self._candidates:
                for i, key in enumerate(c.keys):
                    score, offsets = matcher.fuzzy_search.match(query, key)
                    if score > 0:
                        found.append((score * 0.5, c, i, None, tuple(offsets)))
                        break
        found.sort(key=lambda h: -h[0])
        for score, c, i, span, offsets in found[:MAX_HITS]:
            yield Hit(
                score,
                prompt(c, i, span, offsets),
                partial(self._open, c.kind, c.id),
                text=c.name,
                help=Content(c.detail),  # type: ignore[arg-type]  # Content: shown as is (Textual takes it; hint says str)
            )
