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
from collections.abc import Callable
from typing import TYPE_CHECKING

from briefing.records import to_row
from briefing.store import open_current, open_store

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.view import StoredDataset

VIEW_MIN = 20_000  # events: smaller sets load from the store whole in well under a second

_STORE_TABLES = ("meta", "files", "records")  # the store's own (`briefing.store`); the rest is the view's


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
        from briefing.view import StoredDataset

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
        EventIndex.fill_words(conn)
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
