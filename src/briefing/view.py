"""The store's view as a dataset: events paged from SQLite, questions answered in SQL.

Kept apart from `briefing.stored` (which decides whether there is a view and writes it) so that
a start on a small dataset, which has no view, does not pay for defining these classes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from briefing.dataset import Dataset, disputed_among
from briefing.problems import Problem
from briefing.records import Actor, Event, Figure, Source, from_json_rows, from_rows
from briefing.store import StoreDamaged
from briefing.vocab import GAVE_FIGURES

if TYPE_CHECKING:
    from briefing.sqlquery import EventIndex

PAGE = 256  # events read back at a time
# An event's JSON row: the view's own (a curated or renamed event), else the store's row of the
# file it came from, named by the view (`stored._write_view`)
_EVENTS = (
    "SELECT v.pos, coalesce(v.data, r.data) FROM view_event AS v"
    " LEFT JOIN records AS r ON r.file = v.file AND r.kind = 'event' AND r.idx = v.idx"
)


class StoredEvents(Sequence[Event]):
    """The view's events in dataset order, read as asked for and kept for a while: a screenful
    of neighbours at a time (`__getitem__`), or exactly the positions a query gave (`at`)."""

    lazy = True  # `Dataset` keeps it as it is
    KEEP = 100_000  # events kept before the cache starts over

    def __init__(self, conn: sqlite3.Connection, n: int) -> None:
        self._conn = conn
        self._n = n
        self._lock = threading.Lock()
        self._kept: dict[int, Event] = {}
        self._memo: dict[Any, Any] = {}

    def __len__(self) -> int:
        return self._n

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _fetch(self, sql: str, arg: Any) -> None:
        with self._lock:
            rows = self._conn.execute(sql, arg).fetchall()
        if len(self._kept) + len(rows) > self.KEEP:
            self._kept.clear()
            self._memo.clear()
        events = from_rows(Event, json.loads("[" + ",".join([d for _p, d in rows]) + "]"), self._memo)
        self._kept.update(zip([p for p, _d in rows], events))

    def read(self, positions: list[int]) -> list[Event]:
        """The events at these positions, in that order, read in one query and not kept: a
        pass over many (an export) must not fill the cache the screen's pages live in."""
        with self._lock:
            rows = self._conn.execute(
                f"{_EVENTS} WHERE v.pos IN (SELECT value FROM json_each(?))", (json.dumps(positions),)
            ).fetchall()
        found = dict(zip([p for p, _d in rows], from_json_rows(Event, [d for _p, d in rows])))
        if len(found) < len(set(positions)):  # a row the view lists is gone: a damaged page
            raise StoreDamaged(f"event {next(p for p in positions if p not in found)} of the view is missing")
        return [found[p] for p in positions]

    @overload
    def __getitem__(self, i: int) -> Event: ...

    @overload
    def __getitem__(self, i: slice) -> list[Event]: ...

    def __getitem__(self, i: int | slice) -> Event | list[Event]:
        if isinstance(i, slice):
            return self.at(list(range(*i.indices(self._n))))
        if i < 0:
            i += self._n
        got = self._kept.get(i)
        if got is None:
            if not 0 <= i < self._n:
                raise IndexError(i)
            lo = i - i % PAGE
            self._fetch(f"{_EVENTS} WHERE v.pos >= ? AND v.pos < ?", (lo, lo + PAGE))
            got = self._kept.get(i)
            if got is None:  # a row the view lists is gone: a damaged page
                raise StoreDamaged(f"event {i} of the view is missing")
        return got

    def at(self, positions: list[int]) -> list[Event]:
        """The events at these positions, read in one query for those not kept."""
        missing = [p for p in positions if p not in self._kept]
        for k in range(0, len(missing), 10_000):
            self._fetch(
                f"{_EVENTS} WHERE v.pos IN (SELECT value FROM json_each(?))", (json.dumps(missing[k : k + 10_000]),)
            )
        kept = self._kept
        return [kept[p] if p in kept else self[p] for p in positions]

    def __iter__(self) -> Iterator[Event]:
        """Every event in order, streamed: an export of a million events never holds them all."""
        for lo in range(0, self._n, 5000):
            with self._lock:
                rows = self._conn.execute(
                    f"{_EVENTS} WHERE v.pos >= ? AND v.pos < ? ORDER BY v.pos", (lo, lo + 5000)
                ).fetchall()
            yield from from_json_rows(Event, [d for _p, d in rows])


class ActorEvents(Sequence[tuple[Event, tuple[str, ...]]]):
    """An actor's events (newest first) with its roles in each, read as asked for."""

    def __init__(self, events: StoredEvents, actor_id: str, positions: list[int]) -> None:
        self._events, self._actor, self._positions = events, actor_id, positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, i: int) -> tuple[Event, tuple[str, ...]]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[Event, tuple[str, ...]]]: ...

    def __getitem__(self, i: int | slice) -> tuple[Event, tuple[str, ...]] | list[tuple[Event, tuple[str, ...]]]:
        if isinstance(i, slice):
            return [self._with_roles(e) for e in self._events.at(self._positions[i])]
        return self._with_roles(self._events[self._positions[i]])

    def _with_roles(self, e: Event) -> tuple[Event, tuple[str, ...]]:
        roles: list[str] = []
        for ar in e.actors:  # as Dataset.events_of_actor words them
            if ar.actor == self._actor and ar.role not in roles:
                roles.append(ar.role)
        if any(f.claimed_by == self._actor for f in e.figures):
            roles.append(GAVE_FIGURES)
        return e, tuple(roles)


class StoredDataset(Dataset):
    """A `Dataset` whose events stay in the store: see the module docstring."""

    __slots__ = ("index", "_conn", "_stats", "_countries", "_counts")

    def __init__(self, conn: sqlite3.Connection, ui_conn: sqlite3.Connection, root: str, token: str) -> None:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'view%'"))
        memo: dict[Any, Any] = {}
        actors = from_rows(
            Actor, [json.loads(d) for (d,) in conn.execute("SELECT data FROM view_actor ORDER BY rowid")], memo
        )
        sources = from_rows(
            Source, [json.loads(d) for (d,) in conn.execute("SELECT data FROM view_source ORDER BY rowid")], memo
        )
        counts = json.loads(meta["view_counts"])
        events = StoredEvents(ui_conn, counts["events"])
        skipped, *problems = json.loads(meta["view_problems"])  # what a load that skipped them reported
        super().__init__(
            sources,
            actors,
            events,
            root=root,
            presorted=True,
            problems=[Problem(*p) for p in problems],
            skipped=skipped[0],
        )
        self.token = token
        self._conn = conn
        self._counts: dict[str, int] = counts
        self._countries: list[str] = json.loads(meta["view_countries"])
        self._stats: dict[tuple[str, str], int] | None = None
        from briefing.sqlquery import EventIndex  # the filter's engine: only a view needs it at start

        self.index: EventIndex = EventIndex.attach(self, conn, text_ready=True)

    def close(self) -> None:
        """End this session's hold on the store: its connections closed, the last one out folds
        the log in (QA s18: a TUI open across a sync kept its snapshot, the sync's whole store in
        the log, 554 MB at 100k rows; the process ends at once, so quitting never closed them)."""
        with self.index.lock:  # a worker's statement finishes first
            self.events.close()  # type: ignore[attr-defined]  # StoredEvents
            self._conn.close()

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def figure_count(self) -> int:
        return self._counts["figures"]

    def countries(self) -> list[str]:
        return list(self._countries)

    def ids_near(self, event_id: str, n: int = 2_000) -> list[str]:
        """The n ids on either side of `event_id` in sorted order, from the id index: a typo
        after the part typed right (the usual case: a digit of `acled:MLI12345`) lands among
        them.  Not every id: a million events, each read back, is what a big store exists to avoid."""
        with self.index.lock:
            after = self._conn.execute("SELECT id FROM ev WHERE id >= ? ORDER BY id LIMIT ?", (event_id, n))
            ids = [i for (i,) in after]
            before = self._conn.execute("SELECT id FROM ev WHERE id < ? ORDER BY id DESC LIMIT ?", (event_id, n))
            ids += [i for (i,) in before]
        return ids

    def disputes(self) -> int:
        """The events' disputes as the import counted them (`an_ev.a_ndisp`), not by reading
        every event back (a million of them would take gigabytes); the actors' in memory."""
        with self.index.lock:
            (n,) = self._conn.execute("SELECT coalesce(sum(a_ndisp), 0) FROM an_ev").fetchone()
        return int(n) + disputed_among(a.figures for a in self.actors)

    def _positions(self, sql: str, args: tuple[Any, ...]) -> list[int]:
        with self.index.lock:
            return [p for (p,) in self._conn.execute(sql, args)]

    def _position_of(self, event_id: str) -> int | None:
        got = self._positions("SELECT pos FROM ev WHERE id = ?", (event_id,))
        return got[0] if got else None

    def event(self, event_id: str) -> Event | None:
        pos = self._position_of(event_id)
        return None if pos is None else self.events[pos]

    def position(self, event: Event) -> int:
        pos = self._position_of(event.id)
        if pos is None:
            raise KeyError(event.id)
        return pos

    def events_of_actor(self, actor_id: str) -> ActorEvents:  # type: ignore[override]
        positions = self._positions("SELECT pos FROM ev_actor WHERE actor = ? ORDER BY pos", (actor_id,))
        assert isinstance(self.events, StoredEvents)
        return ActorEvents(self.events, actor_id, positions)

    def _source_positions(self, source_id: str) -> list[int]:
        """The positions of the events that name the source anywhere (cited, or carrying a
        claim), newest first."""
        return self._positions("SELECT pos FROM ev_source WHERE source = ? ORDER BY pos", (source_id,))

    def claims_carried_by(self, source_id: str, limit: int | None = None) -> list[tuple[Event | Actor, Figure]]:
        """As `Dataset.claims_carried_by`; with a limit, the events naming the source are read a
        chunk at a time until it is reached (an outlet of a big export is named by tens of
        thousands of events, and a screen shows a few hundred claims)."""
        out: list[tuple[Event | Actor, Figure]] = []

        def carried(owners: Sequence[Event | Actor]) -> None:
            for owner in owners:
                out.extend((owner, f) for f in owner.figures if source_id in (f.source, f.via))

        positions = self._source_positions(source_id)
        assert isinstance(self.events, StoredEvents)
        step = max(1, len(positions)) if limit is None else max(64, limit)  # no limit: one query
        for start in range(0, len(positions), step):
            carried(self.events.at(positions[start : start + step]))
            if limit is not None and len(out) >= limit:
                return out[:limit]
        carried(self.actors)
        return out[:limit]

    def _stat(self, kind: str, rid: str) -> int:
        if self._stats is None:
            with self.index.lock:
                self._stats = {(k, i): n for k, i, n in self._conn.execute("SELECT kind, id, n FROM view_stat")}
        return self._stats.get((kind, rid), 0)

    def actor_event_count(self, actor_id: str) -> int:
        return self._stat("actor", actor_id)

    def source_claim_count(self, source_id: str) -> int:
        return self._stat("source", source_id)

    def source_event_count(self, source_id: str) -> int:
        """As `Dataset.source_event_count`, counted on the index (`ev_source_i`) when asked: a
        screenful of the sources list asks a screenful of counts."""
        with self.index.lock:
            n: int = self._conn.execute(
                "SELECT count(*) FROM ev_source WHERE source = ? AND pos NOT IN (SELECT pos FROM ev WHERE removed)",
                (source_id,),
            ).fetchone()[0]
        return n
