"""The loaded records and the lookups every view needs, built once and never mutated.

Indexes are computed at construction so that a view never scans all events to answer
"which events does this actor appear in" — that matters at 100k events.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from heapq import nlargest
from itertools import chain, compress, repeat
from operator import attrgetter, contains, itemgetter
from typing import TYPE_CHECKING

from briefing.records import Actor, Event, Figure, Source

if TYPE_CHECKING:
    from briefing.problems import Problem


class Dataset:
    __slots__ = (
        "events", "actors", "sources", "problems", "skipped", "root",
        "_event", "_actor", "_source", "_actor_events", "_children", "_by_name", "_source_claims",
        "_index", "_names", "_disputed", "_pos", "_lock",
    )

    def __init__(
        self,
        sources: Sequence[Source],
        actors: Sequence[Actor],
        events: Sequence[Event],
        *,
        problems: Sequence["Problem"] = (),
        skipped: int = 0,
        root: str | None = None,
        presorted: bool = False,
    ) -> None:
        # Newest first: what an analyst opening the tool wants to see at the top.
        # `presorted`: the caller (the cache) hands over records already in this order.
        if presorted:
            self.events: tuple[Event, ...] = tuple(events)
            self.actors: tuple[Actor, ...] = tuple(actors)
            self.sources: tuple[Source, ...] = tuple(sources)
        else:
            self.events = tuple(sorted(events, key=lambda e: (e.date, e.id), reverse=True))
            self.actors = tuple(sorted(actors, key=lambda a: (a.name.casefold(), a.id)))
            self.sources = tuple(sorted(sources, key=lambda s: (s.name.casefold(), s.id)))
        self.problems = tuple(problems)
        self.skipped = skipped
        self.root = root
        self._event = {e.id: e for e in self.events}
        self._actor = {a.id: a for a in self.actors}
        self._source = {s.id: s for s in self.sources}
        self._actor_events: dict[str, list[tuple[Event, tuple[str, ...]]]] | None = None
        self._children: dict[str, list[Actor]] | None = None
        self._by_name: dict[str, list[str]] | None = None
        self._source_claims: dict[str, list[tuple[Event | Actor, Figure]]] | None = None
        self._index: SearchIndex | None = None
        self._names: dict[str, str] | None = None
        self._disputed: bytearray | None = None
        self._pos: dict[str, int] | None = None
        self._lock = threading.Lock()  # the search index may be built by a worker thread

    # -- lookups by id ----------------------------------------------------------------
    def event(self, event_id: str) -> Event | None:
        return self._event.get(event_id)

    def actor(self, actor_id: str) -> Actor | None:
        return self._actor.get(actor_id)

    def source(self, source_id: str) -> Source | None:
        return self._source.get(source_id)

    def actor_name(self, actor_id: str) -> str:
        a = self._actor.get(actor_id)
        return a.name if a else actor_id

    def source_name(self, source_id: str) -> str:
        s = self._source.get(source_id)
        return s.name if s else source_id

    # -- relations -----------------------------------------------------------------------
    def events_of_actor(self, actor_id: str) -> list[tuple[Event, tuple[str, ...]]]:
        """Events an actor appears in (newest first), with its roles in each.

        Claiming a figure counts as appearing, with the role `claimant`.
        """
        if self._actor_events is None:
            index: dict[str, dict[str, list[str]]] = {}
            for e in self.events:
                for ar in e.actors:
                    roles = index.setdefault(ar.actor, {}).setdefault(e.id, [])
                    if ar.role not in roles:
                        roles.append(ar.role)
                for f in e.figures:
                    roles = index.setdefault(f.claimed_by, {}).setdefault(e.id, [])
                    if "claimant" not in roles:
                        roles.append("claimant")
            self._actor_events = {
                aid: [(self._event[eid], tuple(r)) for eid, r in by_event.items()] for aid, by_event in index.items()
            }
        return self._actor_events.get(actor_id, [])

    def actors_of_event(self, event: Event) -> list[tuple[Actor, str]]:
        return [(self._actor[ar.actor], ar.role) for ar in event.actors if ar.actor in self._actor]

    def children(self, actor_id: str) -> list[Actor]:
        if self._children is None:
            kids: dict[str, list[Actor]] = {}
            for a in self.actors:
                if a.parent:
                    kids.setdefault(a.parent, []).append(a)
            self._children = kids
        return self._children.get(actor_id, [])

    def parent_chain(self, actor_id: str) -> list[Actor]:
        """The actor's ancestors, nearest first (cycle-safe: the loader rejects cycles anyway)."""
        chain: list[Actor] = []
        seen = {actor_id}
        cur = self._actor.get(actor_id)
        while cur and cur.parent and cur.parent not in seen and cur.parent in self._actor:
            seen.add(cur.parent)
            cur = self._actor[cur.parent]
            chain.append(cur)
        return chain

    def related_actors(self, actor_id: str) -> list[tuple[Actor, str]]:
        """Relations declared on the actor, plus the reverse of relations declared on others."""
        out: list[tuple[Actor, str]] = []
        me = self._actor.get(actor_id)
        if me:
            out += [(self._actor[r.actor], r.kind) for r in me.relations if r.actor in self._actor]
        for other in self.actors:
            if other.id == actor_id:
                continue
            for r in other.relations:
                if r.actor == actor_id:
                    out.append((other, f"{r.kind} (of this actor)" if r.kind not in ("enemy", "affiliate") else r.kind))
        return out

    def actors_by_name(self, text: str) -> list[str]:
        """Actor ids whose id, name or any alias equals text, case-insensitively."""
        if self._by_name is None:
            idx: dict[str, list[str]] = {}
            for a in self.actors:
                for key in {k.casefold() for k in (a.id, a.name, *a.aliases)}:
                    idx.setdefault(key, []).append(a.id)
            self._by_name = idx
        return self._by_name.get(text.casefold(), [])

    def claims_carried_by(self, source_id: str) -> list[tuple[Event | Actor, Figure]]:
        """Every figure a source carries (as outlet or as the `via` carrier)."""
        if self._source_claims is None:
            idx: dict[str, list[tuple[Event | Actor, Figure]]] = {}
            owners: list[Event | Actor] = [*self.events, *self.actors]
            for owner in owners:
                for f in owner.figures:
                    idx.setdefault(f.source, []).append((owner, f))
                    if f.via and f.via != f.source:
                        idx.setdefault(f.via, []).append((owner, f))
            self._source_claims = idx
        return self._source_claims.get(source_id, [])

    def events_citing(self, source_id: str) -> list[Event]:
        return [e for e in self.events if source_id in e.sources]

    def haystack(self, event: Event) -> str:
        """The casefolded text a bare filter word is looked for in: the event's title, summary,
        place names (location, admin1, country, then ACLED's admin2/admin3 when it has them)
        and its actors' names and aliases, joined by newlines.  Built on each call: the filter
        does not keep these strings but `search_index`, which answers the same question."""
        return "\n".join(_search_parts(event, self._actor_names())).casefold()

    def position(self, event: Event) -> int:
        """Where an event of this dataset is in `events`."""
        if self._pos is None:
            self._pos = {e.id: i for i, e in enumerate(self.events)}
        return self._pos[event.id]

    def _actor_names(self) -> dict[str, str]:
        names = self._names
        if names is None:
            names = self._names = {a.id: " ".join((a.name, *a.aliases)) for a in self.actors}
        return names

    def search_index(self) -> "SearchIndex":
        """The search text of every event laid out for a fast pass (see `SearchIndex`), built
        once.  Safe to call from a worker thread: a second caller waits for the first build."""
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                self._index = SearchIndex(self.events, self._actor_names())
            return self._index

    # The TUI warms the filter with this name (app.warm_search).
    search_texts = search_index

    def word_mask(self, needle: str, within: int | None = None) -> int:
        """Mask (see `SearchIndex`) of the events, among `within` (a mask; None: all), whose
        `haystack` contains `needle`, which the caller has casefolded."""
        index = self.search_index()
        if within is None:
            within = index.full
        if "\n" in needle:  # may span two parts: test the whole text, event by event
            found = [i for i in index.positions(within) if needle in self.haystack(self.events[i])]
            return index.mask_of(found)
        return index.word(needle, within)

    def word_flags(self, needle: str, cand: Sequence[int]) -> bytes:
        """For each of the positions `cand`, 1 if that event's `haystack` contains `needle`
        (casefolded by the caller), else 0: `word_mask` for a few events."""
        if "\n" in needle:
            return bytes(needle in self.haystack(self.events[i]) for i in cand)
        return self.search_index().word_flags(needle, cand)

    def disputed_flags(self) -> bytearray:
        """1 for each event (in event order) whose figures disagree, computed once."""
        flags = self._disputed
        if flags is None:
            from briefing.compare import is_disputed

            flags = bytearray(is_disputed(e.figures) for e in self.events)
            self._disputed = flags
        return flags

    # -- summary -------------------------------------------------------------------------
    def figure_count(self) -> int:
        return sum(len(e.figures) for e in self.events) + sum(len(a.figures) for a in self.actors)

    def counts(self) -> dict[str, int]:
        return {
            "events": len(self.events),
            "actors": len(self.actors),
            "sources": len(self.sources),
            "figures": self.figure_count(),
        }


# -- search ----------------------------------------------------------------------------------------
def _search_parts(event: Event, names: Mapping[str, str]) -> list[str]:
    """The parts of an event's search text, in order, not yet casefolded (see `haystack`)."""
    e = event
    parts = [e.title, e.summary or "", e.location or "", e.admin1 or "", e.country]
    parts += [names.get(ar.actor, ar.actor) for ar in e.actors]
    if e.admin2 or e.admin3:  # ACLED's districts; absent from most curated events
        parts += [e.admin2 or "", e.admin3 or ""]
    return parts


PAGE = 255  # shared values per byte plane: codes 1..255, 0 for none
MAX_SHARED = 8 * PAGE  # shared values at most: a dozen planes or so
MAX_SLOTS = 4  # planes per page of actors: an event's fifth actor in one page stays in its own text
_FIELDS = ("title", "summary", "location", "admin1", "country", "admin2", "admin3")


class SearchIndex:
    """Every event's search text (see `Dataset.haystack`), laid out so that looking a word up
    in 100k of them is a few passes at C speed rather than a substring test over each text.

    A word that holds no newline is in an event's text exactly when it is in one of the parts
    the newlines join (casefolding maps each character on its own, so the parts can be folded
    separately), and most parts recur across events: a country, a province, an actor's names,
    a stock summary.  So the parts that recur most (by occurrences times length, at most
    `MAX_SHARED`) are kept once, in `values`, and each event points to its own with one-byte
    codes in byte planes: a `bytes` of one byte per event for each field (or actor slot) and
    page of 255 values, 0 where the event has none.  What else an event's text holds (its
    title, mostly) is its `own` string.

    `word` tests the word against the shared values once, maps each plane through a 256-byte
    table of the codes that matched (`bytes.translate`), and searches the own string only of
    the events whose shared parts did not match.  Sets of events are masks: an int holding one
    byte per event, least significant first, 1 for a member, so that intersecting or joining
    two sets of 100k events is one big-int operation.
    """

    __slots__ = ("n", "values", "planes", "own", "numbers", "full", "with_own", "_last")

    def __init__(self, events: Sequence[Event], names: Mapping[str, str]) -> None:
        n = self.n = len(events)
        columns = {f: list(map(attrgetter(f), events)) for f in _FIELDS}
        cast = [tuple(dict.fromkeys(ar.actor for ar in e.actors)) for e in events]  # each actor once
        # The shared values: the parts that recur, most characters saved first.
        counts = {f: Counter(col) for f, col in columns.items()}
        counts["actor"] = Counter(chain.from_iterable(cast))
        gains = [(c * (len(names.get(raw, raw) if f == "actor" else raw) + 1), f, raw)
                 for f, counted in counts.items() for raw, c in counted.items() if raw and c > 1]
        shared: dict[str, list[str]] = {f: [] for f in counts}
        for _gain, f, raw in nlargest(MAX_SHARED, gains, key=itemgetter(0)):
            shared[f].append(raw)
        self.values: list[str] = []
        self.planes: list[tuple[int, int, list[bytes]]] = []  # (start, stop in values, planes)
        own_columns: list[list[str]] = []
        for f, col in columns.items():
            raws = shared[f]
            for k in range(0, len(raws), PAGE):
                page = raws[k:k + PAGE]
                start = len(self.values)
                self.values += [raw.casefold() for raw in page]
                byte = {raw: b for b, raw in enumerate(page, 1)}
                self.planes.append((start, len(self.values), [bytes(map(byte.get, col, repeat(0)))]))
            alone = set(raws)
            own_text = {raw: raw.casefold() for raw in counts[f] if raw and raw not in alone}
            own_columns.append(list(map(own_text.get, col, repeat(""))))
        # Actors: an event may have several in one page, so a page has a plane per slot.
        raws = shared["actor"]
        code = {a: divmod(c, PAGE) for c, a in enumerate(raws)}
        first = len(self.values)
        self.values += [names.get(a, a).casefold() for a in raws]
        slots: dict[tuple[int, int], bytearray] = {}
        folded: dict[str, str] = {}
        own_actors: list[str] = []
        for i, ids in enumerate(cast):
            mine = ""
            used: dict[int, int] = {}
            for a in ids:
                pb = code.get(a)
                slot = 0 if pb is None else used.get(pb[0], 0)
                if pb is None or slot == MAX_SLOTS:  # not shared, or one of too many in a page
                    t = folded.get(a)
                    if t is None:
                        t = folded[a] = names.get(a, a).casefold()
                    mine = f"{mine}\n{t}" if mine else t
                    continue
                page, b = pb
                used[page] = slot + 1
                plane = slots.get((page, slot))
                if plane is None:
                    plane = slots[(page, slot)] = bytearray(n)
                plane[i] = b + 1
            own_actors.append(mine)
        for page in range(0, len(raws), PAGE):
            k = page // PAGE
            self.planes.append((first + page, first + min(page + PAGE, len(raws)),
                                [bytes(slots[(k, slot)]) for slot in range(MAX_SLOTS) if (k, slot) in slots]))
        own_columns.insert(5, own_actors)  # the actors come between country and admin2, as in the text
        self.own = list(map("\n".join, map(partial(filter, None), zip(*own_columns))))
        self.numbers = list(range(n))  # shared int objects: compress() over them makes no ints
        self.full = int.from_bytes(b"\x01" * n, "little")
        self.with_own = int.from_bytes(bytes(map(bool, self.own)), "little")
        self._last: tuple[str, bytes] | None = None  # the last word looked up, which values held it

    # -- masks ----------------------------------------------------------------------------------
    def positions(self, mask: int) -> list[int]:
        """The members of a mask, in order."""
        flags = mask.to_bytes(self.n, "little")
        if mask.bit_count() * 32 > self.n:
            return list(compress(self.numbers, flags))
        out: list[int] = []  # few: jump from one to the next (memchr) instead of visiting all
        find, add = flags.find, out.append
        i = find(1)
        while i >= 0:
            add(i)
            i = find(1, i + 1)
        return out

    def mask_of(self, positions: Iterable[int]) -> int:
        flags = bytearray(self.n)
        for i in positions:
            flags[i] = 1
        return int.from_bytes(flags, "little")

    # -- lookup ---------------------------------------------------------------------------------
    def _tables(self, needle: str) -> list[tuple[bytes, list[bytes]]]:
        """For each page with a shared value holding `needle`: the translation table (1 for the
        codes of those values) and the planes it applies to."""
        last = self._last
        if last is not None and last[0] in needle:  # typing on: only what matched before can match
            before = last[1]
            maybe = list(compress(range(len(before)), before))
            flags = bytearray(len(before))
            for i in compress(maybe, map(contains, map(self.values.__getitem__, maybe), repeat(needle))):
                flags[i] = 1
            flags = bytes(flags)
        else:
            flags = bytes(map(contains, self.values, repeat(needle)))
        self._last = (needle, flags)
        tables = []
        if 1 in flags:
            for start, stop, planes in self.planes:
                chunk = flags[start:stop]
                if 1 in chunk:
                    tables.append((b"\x00" + chunk.ljust(PAGE, b"\x00"), planes))
        return tables

    def word(self, needle: str, within: int) -> int:
        """Mask of the events among `within` whose search text contains `needle` (casefolded,
        no newline: see `Dataset.word_mask` for one that has)."""
        found = 0
        for table, planes in self._tables(needle):
            for plane in planes:
                found |= int.from_bytes(plane.translate(table), "little")
        found &= within
        todo = within & ~found & self.with_own
        if not todo:
            return found
        own = self.own
        if todo.bit_count() * 5 > self.n * 3:  # most events: one straight pass over all is cheaper
            return found | (int.from_bytes(bytes(map(contains, own, repeat(needle))), "little") & todo)
        rest = self.positions(todo)
        return found | self.mask_of(compress(rest, map(contains, map(own.__getitem__, rest), repeat(needle))))

    def word_flags(self, needle: str, cand: Sequence[int]) -> bytes:
        """`word` for a few events, as a flag (0 or 1) for each of `cand`: the planes are read
        at those positions only, and no mask over all events is made."""
        found = 0
        for table, planes in self._tables(needle):
            for plane in planes:
                found |= int.from_bytes(bytes(map(plane.__getitem__, cand)).translate(table), "little")
        own = self.own
        found |= int.from_bytes(bytes(map(contains, map(own.__getitem__, cand), repeat(needle))), "little")
        return found.to_bytes(len(cand), "little")
