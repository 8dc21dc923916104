"""The store's view: a whole, checked dataset kept in the store, read back on demand.

Why: a later start on a big ACLED export must not rebuild a million records in memory before
the first frame (bench/README.md, issue 10).  After a load that found no problem, a dataset of
`VIEW_MIN` events or more is written into the store as it was built (merged, sorted, checked):
its events one JSON row per position, its actors and sources, per-actor and per-source counts,
and the filter's index (`sqlquery.EventIndex`: the `ev*` tables and the FTS text index).  A
later start whose files are exactly those the view was built from (`store.open_current`: every
file opened, stamps and racy hashes equal, the same token) opens a `StoredDataset`: actors and
sources in memory (thousands), events paged from SQLite as they are asked for, every question
the views ask (a filter, a count, the position of an id, an actor's events) answered by SQL.

Anything else — no trusted store, a changed or unreadable file, a problem, a smaller dataset —
goes the usual way (`loader.load_dataset`), which proves the files again, and writes a new view.
The view is replaced in one transaction: a reader in another process sees the old one or the
new one, never half of either.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from briefing.dataset import Dataset
from briefing.problems import Problem
from briefing.records import Actor, Event, Figure, Source, from_rows, to_row
from briefing.store import open_current, open_store

if TYPE_CHECKING:
    from briefing.sqlquery import EventIndex

VIEW_MIN = 20_000  # events: smaller sets load from the store whole in well under a second
PAGE = 256  # events read back at a time

_STORE_TABLES = ("meta", "files", "records")  # the store's own (`briefing.store`); the rest is the view's


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

    def _fetch(self, sql: str, arg: Any) -> None:
        with self._lock:
            rows = self._conn.execute(sql, arg).fetchall()
        if len(self._kept) + len(rows) > self.KEEP:
            self._kept.clear()
            self._memo.clear()
        events = from_rows(Event, json.loads("[" + ",".join([d for _p, d in rows]) + "]"), self._memo)
        self._kept.update(zip([p for p, _d in rows], events))

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
            self._fetch("SELECT pos, data FROM view_event WHERE pos >= ? AND pos < ?", (lo, lo + PAGE))
            got = self._kept[i]
        return got

    def at(self, positions: list[int]) -> list[Event]:
        """The events at these positions, read in one query for those not kept."""
        missing = [p for p in positions if p not in self._kept]
        for k in range(0, len(missing), 10_000):
            self._fetch(
                "SELECT pos, data FROM view_event WHERE pos IN (SELECT value FROM json_each(?))",
                (json.dumps(missing[k : k + 10_000]),),
            )
        kept = self._kept
        return [kept[p] if p in kept else self[p] for p in positions]

    def __iter__(self) -> Iterator[Event]:
        """Every event in order, streamed: an export of a million events never holds them all."""
        for lo in range(0, self._n, 5000):
            with self._lock:
                rows = self._conn.execute(
                    "SELECT data FROM view_event WHERE pos >= ? AND pos < ? ORDER BY pos", (lo, lo + 5000)
                ).fetchall()
            memo: dict[Any, Any] = {}
            yield from from_rows(Event, json.loads("[" + ",".join([d for (d,) in rows]) + "]"), memo)


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
            return [self[k] for k in range(*i.indices(len(self)))]
        e = self._events[self._positions[i]]
        roles: list[str] = []
        for ar in e.actors:  # as Dataset.events_of_actor words them
            if ar.actor == self._actor and ar.role not in roles:
                roles.append(ar.role)
        if any(f.claimed_by == self._actor for f in e.figures) and "claimant" not in roles:
            roles.append("claimant")
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

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def figure_count(self) -> int:
        return self._counts["figures"]

    def countries(self) -> list[str]:
        return list(self._countries)

    def _positions(self, sql: str, args: tuple[Any, ...]) -> list[int]:
        with self.index.lock:
            return [p for (p,) in self._conn.execute(sql, args)]

    def event(self, event_id: str) -> Event | None:
        got = self._positions("SELECT pos FROM ev WHERE id = ?", (event_id,))
        return self.events[got[0]] if got else None

    def position(self, event: Event) -> int:
        got = self._positions("SELECT pos FROM ev WHERE id = ?", (event.id,))
        if not got:
            raise KeyError(event.id)
        return got[0]

    def events_of_actor(self, actor_id: str) -> ActorEvents:  # type: ignore[override]
        positions = self._positions("SELECT pos FROM ev_actor WHERE actor = ? ORDER BY pos", (actor_id,))
        assert isinstance(self.events, StoredEvents)
        return ActorEvents(self.events, actor_id, positions)

    def events_citing(self, source_id: str) -> list[Event]:
        positions = self._positions("SELECT pos FROM ev_source WHERE source = ? ORDER BY pos", (source_id,))
        return [e for e in map(self.events.__getitem__, positions) if source_id in e.sources]

    def claims_carried_by(self, source_id: str) -> list[tuple[Event | Actor, Figure]]:
        out: list[tuple[Event | Actor, Figure]] = []
        positions = self._positions("SELECT pos FROM ev_source WHERE source = ? ORDER BY pos", (source_id,))
        owners: list[Event | Actor] = [*map(self.events.__getitem__, positions), *self.actors]
        for owner in owners:
            out += [(owner, f) for f in owner.figures if source_id in (f.source, f.via)]
        return out

    def _stat(self, kind: str, rid: str) -> int:
        if self._stats is None:
            with self.index.lock:
                self._stats = {(k, i): n for k, i, n in self._conn.execute("SELECT kind, id, n FROM view_stat")}
        return self._stats.get((kind, rid), 0)

    def actor_event_count(self, actor_id: str) -> int:
        return self._stat("actor", actor_id)

    def source_claim_count(self, source_id: str) -> int:
        return self._stat("source", source_id)


def _connect_reader(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only=ON")
    return conn


def open_view(root: str, skip_invalid: bool = False) -> StoredDataset | None:
    """The view of root's data, when the store holds one built from exactly its files as they
    are now (and without a problem, unless skipping what is invalid: then its problems come
    with it, to be reported again); None otherwise (load the usual way)."""
    got = open_current(root, "loaded" if skip_invalid else "valid", holding="view")
    if got is None:
        return None
    store, token = got
    reader = None
    try:
        # Both connections read one snapshot for as long as the dataset lives (WAL keeps it):
        # another process that writes a new view meanwhile changes nothing this session sees.
        for conn in (store.conn, reader := _connect_reader(store.path or "")):
            conn.execute("BEGIN")
            row = conn.execute("SELECT value FROM meta WHERE key = 'view'").fetchone()
            if row is None or row[0] != token:
                raise ValueError("no view of these files")
        return StoredDataset(store.conn, reader, root, token)
    except (sqlite3.Error, ValueError, KeyError, TypeError):  # damaged: the usual load rebuilds
        store.close()
        if reader is not None:
            reader.close()
        return None


def save_view(ds: Dataset, progress: Callable[..., None] | None = None) -> bool:
    """Write `ds` (a problem-free load: `ds.token` set) into its store as the view; False when
    there is no store on disk to keep it in, or another process changed the store meanwhile.
    progress, if given, is called as progress(percent done, 100, None) as the steps finish."""
    step = progress or (lambda _done, _total, _partial=None: None)
    if ds.token is None or ds.root is None:
        return False
    store = open_store(ds.root)
    conn = store.conn
    try:
        if store.path is None:
            return False
        conn.execute("BEGIN IMMEDIATE")
        loaded = conn.execute("SELECT value FROM meta WHERE key = 'loaded'").fetchone()
        if loaded is None or loaded[0] != ds.token:  # the files changed since ds was loaded
            conn.execute("ROLLBACK")
            return False
        conn.execute("DELETE FROM meta WHERE key LIKE 'view%'")
        conn.execute("DROP TABLE IF EXISTS ev_text")  # the text index first: its shadow tables go with it
        view_tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in _STORE_TABLES and not name.startswith("sqlite_")
        ]
        for table in view_tables:
            conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        conn.execute("CREATE TABLE view_event (pos INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        conn.execute("CREATE TABLE view_actor (data TEXT NOT NULL)")
        conn.execute("CREATE TABLE view_source (data TEXT NOT NULL)")
        conn.execute("CREATE TABLE view_stat (kind TEXT NOT NULL, id TEXT NOT NULL, n INTEGER NOT NULL)")
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
        step(0, 100)
        conn.executemany(
            "INSERT INTO view_event VALUES (?, ?)", ((i, dumps(to_row(e))) for i, e in enumerate(ds.events))
        )
        conn.executemany("INSERT INTO view_actor VALUES (?)", ((dumps(to_row(a)),) for a in ds.actors))
        conn.executemany("INSERT INTO view_source VALUES (?)", ((dumps(to_row(s)),) for s in ds.sources))
        step(25, 100)
        from briefing.sqlquery import EventIndex

        EventIndex.create(conn)
        EventIndex.fill(conn, ds)
        step(65, 100)
        EventIndex.fill_text(conn)
        stats = [("actor", a.id, ds.actor_event_count(a.id)) for a in ds.actors]
        stats += [("source", s.id, ds.source_claim_count(s.id)) for s in ds.sources]
        conn.executemany("INSERT INTO view_stat VALUES (?, ?, ?)", stats)
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("view_counts", json.dumps(ds.counts())),
                ("view_countries", json.dumps(ds.countries(), ensure_ascii=False)),
                ("view_problems", json.dumps([[ds.skipped], *map(list, ds.problems)], ensure_ascii=False)),
                ("view", ds.token),
            ],
        )
        conn.execute("COMMIT")
        step(100, 100)
        return True
    except sqlite3.Error:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        return False
    finally:
        store.close()


def load(
    root: str, *, skip_invalid: bool = False, progress: Callable[..., None] | None = None, view_tried: bool = False
) -> Dataset:
    """root's dataset: the store's view when it is current, else loaded (`loader.load_dataset`,
    which raises `DataError` on problems) and, when big enough, kept as the view and opened
    from it (the session then holds pages, not a million records)."""
    from briefing.loader import load_dataset

    view = None if view_tried else open_view(root, skip_invalid)  # view_tried: the caller asked already
    if view is not None:
        return view
    # The bar: reading and checking the files, then (for a big set) keeping the view, which
    # takes about as long.
    first = second = None
    if progress is not None:
        first = lambda done, total, _p=None: progress(done // 2, total)  # noqa: E731
        second = lambda done, total, _p=None: progress(50 + done // 2, total)  # noqa: E731
    ds = load_dataset(root, skip_invalid=skip_invalid, progress=first)
    if ds.token is None or len(ds.events) < VIEW_MIN:
        if progress is not None:
            progress(100, 100)
        return ds
    if save_view(ds, second):
        view = open_view(root, skip_invalid)
        if view is not None:
            return view
    return ds
