"""The filter's search index: every event's search text laid out so that looking a word up in
100k events is a few passes at C speed (see `SearchIndex`).  `Dataset.search_index` builds it
once, off the UI thread in the TUI; `filters.Query.indices` reads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from heapq import nlargest
from itertools import chain, compress, repeat
from operator import attrgetter, contains, itemgetter

from briefing.records import Event


def search_parts(event: Event, names: Mapping[str, str]) -> list[str]:
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
            # raw here, folded below once per event: a folded copy of each unique value (ACLED's
            # notes: 44M characters at 100k) kept alongside the joined text doubled the peak
            own_columns.append([raw if raw and raw not in alone else "" for raw in col])
        # Actors: an event may have several in one page, so a page has a plane per slot.
        raws = shared["actor"]
        code = {a: divmod(c, PAGE) for c, a in enumerate(raws)}
        first = len(self.values)
        self.values += [names.get(a, a).casefold() for a in raws]
        slots: dict[tuple[int, int], bytearray] = {}
        own_actors: list[str] = []
        for i, ids in enumerate(cast):
            mine = ""
            used: dict[int, int] = {}
            for a in ids:
                pb = code.get(a)
                slot = 0 if pb is None else used.get(pb[0], 0)
                if pb is None or slot == MAX_SLOTS:  # not shared, or one of too many in a page
                    t = names.get(a, a)
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
        # casefold maps each character on its own, so folding the joined text folds each part
        self.own = [text.casefold() for text in map("\n".join, map(partial(filter, None), zip(*own_columns)))]
        del own_columns
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
