"""The store's view: a whole, checked dataset kept in the store, read back on demand.

Why: neither a first import nor a later start on a big ACLED export may hold a million
records in memory (bench/README.md, issue 10).  The store reads an export in a batch of rows at
a time (`store.Store.parsed` with lazy=True: its events stay in the store's `records` table);
what is small (the curated TOML, every actor and source) is checked in memory as ever
(`loader.build_dataset`), and what only the rows can tell is asked in SQL: an event id defined
twice across files (`_duplicates`), a curated event's `related` that names an ACLED event.  A
load of `VIEW_MIN` events or more is then written as the *view*, a chunk of events at a time in
dataset order (`_ordered`: the store's rows by its `records_order` index, the curated events
merged in, ACLED actors renamed to the curated actors they are): its events by position (one
the store holds as shown is named by its `records` row, not written again; a curated or
renamed one is a JSON row of the view's own), its actors and sources, per-actor and
per-source counts, and the filter's index (`sqlquery.IndexWriter`: the `ev*` and analysis
tables; each chunk's FTS text indexes, on a thread beside the next chunk's rows; then the
indexes and the sums).

After an edit of curated events' contents only (the exports, the actors and sources, and every
curated event's id and date as they were: `_made_of`, kept with the view), the view is patched
in place (`_patch_view`): the changed events' rows and text-index entries written again, the
sums made again; nothing moves, and the result is the view written whole (tests/test_view_patch.py
holds the two equal, table by table).

A later start whose files are exactly those the view was built from (`store.open_current`:
every file opened, stamps and racy hashes equal, the same token) opens a `StoredDataset`:
actors and sources in memory (thousands), events paged from SQLite as they are asked for,
every question the views ask (a filter, a count, the position of an id, an actor's events)
answered by SQL.

A smaller load is built in memory, the ACLED rows read back from the store.  With no trusted
store on disk (BRIEFING_NO_CACHE, a cache folder another user can write), everything is held
in memory, as said on stderr.  The view is replaced in one transaction: a reader in another
process sees the old one or the new one, never half of either; should another process change
the store meanwhile, this load is held in memory instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing.dataset import fold
from briefing.loader import remap_event
from briefing.problems import Problem, show_path
from briefing.records import Event, from_json_rows, to_row
from briefing.store import Store, open_current, row_json
from briefing.vocab import REMOVED_TAG

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.loader import ParsedFile
    from briefing.view import StoredDataset

# events: from here a load is kept as a view (written once, opened in ms, summed in SQL); a
# smaller one is read back whole on each start.  Above curated TOML (hundreds to a few thousand
# records, edited often: each edit would rewrite the view), below the smallest ACLED export
# (10k rows, a few of which may be refused); bench/README.md, "Country-sized exports".
VIEW_MIN = 8_000

# A first import's progress bar, in percent: where each part ends, from the parts' measured
# times at 100k and 1M rows (bench/README.md: round 26), so that the bar moves at a steady
# pace: reading the files, then the view's events, their index rows and text indexes, its
# indexes and sums, the word index's vocabulary, the commit (100 once the log is folded in).
_READ, _EVENTS, _SUMS, _TEXT, _COMMIT = 29, 72, 93, 94, 99
CHUNK = 5_000  # events the view is written (and its text indexed) a chunk of at a time

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


def _duplicates(
    store: Store, files: list[ParsedFile], kept: list[ParsedFile]
) -> tuple[list[Problem], set[tuple[int, int]]]:
    """Event ids defined twice where one of the definitions is left in the store: (the
    problems, the (file, idx) of the stored rows dropped).  The first definition in file
    order stands, as in `loader.build_dataset`; a curated record that loses is taken out of
    its file in `kept` (a copy of files)."""
    from briefing.loader import _Places

    order = {f.stored: i for i, f in enumerate(files) if f.stored is not None}
    conn = store.conn
    marks = ", ".join("?" * len(order))
    seen: dict[str, list[tuple[int, int, int | None, str, int | None]]] = {}  # id -> (file order, idx, line, path, fid)
    if len(order) > 1:  # within one file, the store has dropped them already
        for eid, fid, idx, line in conn.execute(
            f"SELECT id, file, idx, line FROM records WHERE kind = 'event' AND file IN ({marks}) AND id IN "
            f"(SELECT id FROM records WHERE kind = 'event' AND file IN ({marks}) GROUP BY id HAVING count(*) > 1)",
            [*order, *order],
        ):
            seen.setdefault(eid, []).append((order[fid], idx, line, files[order[fid]].path, fid))
    curated: dict[str, list[tuple[int, int, int | None]]] = {}  # id -> every (file order, index, line)
    for i, f in enumerate(files):
        for rec, line, index in f.records["event"]:
            curated.setdefault(rec.id, []).append((i, index, line))
    if curated:
        for eid, fid, idx, line in _stored_ids(conn, list(order), sorted(curated)):
            seen.setdefault(eid, []).append((order[fid], idx, line, files[order[fid]].path, fid))
    for eid, found in seen.items():
        found += [(i, index, line, files[i].path, None) for i, index, line in curated.get(eid, ())]
    problems: list[Problem] = []
    dropped: set[tuple[int, int]] = set()
    places = _Places(files, [f.records for f in files])
    for eid, found in seen.items():
        found.sort(key=lambda x: (x[0], x[1]))
        i0, index0, line0, path0, fid0 = found[0]
        if fid0 is None:
            line0 = places.record_line(path0, "event", index0, line0)
        for i, index, line, path, fid in found[1:]:
            if fid is None:
                line = places.record_line(path, "event", index, line)
                kept[i] = _without(kept[i], index)
            else:
                dropped.add((fid, index))
            problems.append(
                Problem(
                    path,
                    line,
                    f"duplicate event id; also defined at {show_path(path0)}:{line0}",
                    kind="event",
                    record_id=eid,
                    field="id",
                )
            )
    return problems, dropped


def _stored_ids(conn: sqlite3.Connection, fids: list[int], ids: list[str]) -> sqlite3.Cursor:
    """(id, file, idx, line) of the events of the stored files `fids` that have one of `ids`,
    looked up by id (`records_id`), not by reading each of the files' rows: beside a million
    stored rows, that read was most of the start after a curated edit (bench/README.md, round 14)."""
    return conn.execute(
        f"SELECT id, file, idx, line FROM records INDEXED BY records_id WHERE kind = 'event' "
        f"AND file IN ({', '.join('?' * len(fids))}) AND id IN (SELECT value FROM json_each(?))",
        [*fids, json.dumps(ids)],
    )


def _without(f: ParsedFile, index: int) -> ParsedFile:
    """A copy of a curated file without its event at that index among its [[event]] tables."""
    from briefing.loader import ParsedFile

    records = {**f.records, "event": [r for r in f.records["event"] if r[2] != index]}
    out = ParsedFile(f.path, records, f.problems, f.skipped, auto=f.auto, refs=f.refs, invalid=f.invalid)
    out.stored, out.stored_events = f.stored, f.stored_events
    return out


def _ordered(
    conn: sqlite3.Connection, files: list[ParsedFile], curated: Sequence[Event], dropped: set[tuple[int, int]]
) -> Iterator[tuple[int | None, int, Any]]:
    """Every event of the view in dataset order (newest first, then by id, as
    `Dataset` sorts them): (stored file id, its index there, its JSON row) for those left in
    the store, read in order from the store's index (on conn); (None, 0, the record) for those
    in memory, merged in."""
    import heapq

    fids = [f.stored for f in files if f.stored is not None]
    cur = conn.execute(
        f"SELECT date, id, file, idx, data FROM records INDEXED BY records_order WHERE kind = 'event' "
        f"AND file IN ({', '.join('?' * len(fids))}) ORDER BY kind DESC, date DESC, id DESC",
        fids,
    )

    def rows() -> Iterator[tuple[str, str, int | None, int, Any]]:
        while got := cur.fetchmany(5000):
            for date, eid, fid, idx, data in got:
                if (fid, idx) not in dropped:
                    yield date, eid, fid, idx, data

    kept = ((e.date, e.id, None, 0, e) for e in curated)
    for _date, _id, fid, idx, item in heapq.merge(rows(), kept, key=lambda r: (r[0], r[1]), reverse=True):
        yield fid, idx, item


class ViewJob(NamedTuple):
    """What a view is written (or patched) from: the store, the dataset held in memory (the
    curated events, every actor and source), the files as read (an export's rows left in the
    store), the stored rows dropped as duplicates, the renames per stored file, the files'
    token, and the progress bar's step(percent)."""

    store: Store
    ds: Dataset
    files: list[ParsedFile]
    dropped: set[tuple[int, int]]
    remaps: dict[int, Any]
    token: str
    step: Callable[[int], None]


def _write_view(job: ViewJob) -> bool:
    """The view, written from the store's rows and `ds` (the records held in memory: the
    curated events, every actor and source) in one transaction; False when another process
    changed the store meanwhile.  Memory stays bounded: the events pass a chunk at a time.
    step(percent) moves the load's progress bar, from `_READ` to `_COMMIT`."""
    store, ds, files, dropped, remaps, token, step = job
    from concurrent.futures import Future, ThreadPoolExecutor

    from briefing.sqlquery import EventIndex, IndexWriter

    conn = store.conn
    # Each chunk's text indexes are built on a thread of its own while this one works out the
    # next chunk's rows (SQLite indexes without holding Python's lock: the two cores share the
    # work).  Only one of them uses `conn` at a time: `settle` waits for the thread's statements
    # before this thread's next one.  The stored rows are read on a connection of their own.
    # The word index's country tokens begin with a character no text holds (`marker`): chosen
    # from the first chunk's texts, and the word index made again in the rare case that a later
    # text holds it.
    indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-index")
    pending: Future[None] | None = None
    mark: str | None = None

    def settle() -> None:
        nonlocal pending
        if pending is not None:
            done, pending = pending, None
            done.result()

    conn.execute("BEGIN IMMEDIATE")
    reader = conn
    try:
        if store.path:
            reader = _connect_reader(store.path)
        loaded = conn.execute("SELECT value FROM meta WHERE key = 'loaded'").fetchone()
        # the files changed since they were read, or another process imported them again
        if loaded is None or loaded[0] != token or not _rows_there(conn, files):
            conn.execute("ROLLBACK")
            return False
        conn.execute("DELETE FROM meta WHERE key LIKE 'view%'")
        conn.execute("DROP TABLE IF EXISTS ev_text")  # the text indexes first: their shadow tables go with them
        conn.execute("DROP TABLE IF EXISTS ev_words")
        view_tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in _STORE_TABLES and not name.startswith("sqlite_")
        ]
        for table in view_tables:
            conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        # an event the store holds as it is shown is named there, not written again (a third of
        # the store at 100k events); a curated or renamed one is written here
        conn.execute(
            "CREATE TABLE view_event (pos INTEGER PRIMARY KEY, file INTEGER, idx INTEGER, data TEXT,"
            " CHECK ((data IS NULL) = (file IS NOT NULL)))"
        )
        conn.execute("CREATE TABLE view_actor (data TEXT NOT NULL)")
        conn.execute("CREATE TABLE view_source (data TEXT NOT NULL)")
        conn.execute("CREATE TABLE view_stat (kind TEXT NOT NULL, id TEXT NOT NULL, n INTEGER NOT NULL)")
        conn.executemany("INSERT INTO view_actor VALUES (?)", ((row_json(to_row(a)),) for a in ds.actors))
        conn.executemany("INSERT INTO view_source VALUES (?)", ((row_json(to_row(s)),) for s in ds.sources))
        EventIndex.create(conn)
        writer = IndexWriter(conn, ds.haystack)
        total = max(1, sum(f.stored_events for f in files) + len(ds.events))
        countries: set[str] = set()
        claims: Counter[str] = Counter()
        figures = 0
        pos = 0
        chunk: list[tuple[int | None, int, Any]] = []

        def flush() -> None:
            nonlocal pos, figures, pending, mark
            stored = [item for fid, _idx, item in chunk if fid is not None]
            read = iter(from_json_rows(Event, stored))
            events: list[Event] = []
            rows: list[tuple[int, int | None, int | None, str | None]] = []
            row: tuple[int, int | None, int | None, str | None]
            for fid, idx, item in chunk:
                if fid is None:
                    e, row = item, (pos + len(events), None, None, row_json(to_row(item)))
                else:
                    e, row = next(read), (pos + len(events), fid, idx, None)
                    amap, smap = remaps.get(fid) or ({}, {})
                    if amap or smap:
                        renamed = remap_event(e, amap, smap)
                        if renamed is not e:
                            e, row = renamed, (pos + len(events), None, None, row_json(to_row(renamed)))
                rows.append(row)
                events.append(e)
            worked = writer.rows(pos, events)
            mark = mark or writer.marker()
            settle()
            conn.executemany("INSERT INTO view_event VALUES (?, ?, ?, ?)", rows)
            writer.write(worked)
            if events:
                pending = indexer.submit(EventIndex.index_text, conn, pos, pos + len(events), mark)
            for e in events:
                countries.add(e.country)
                figures += len(e.figures)
                _count_claims(claims, e)
            pos += len(events)
            chunk.clear()
            step(_READ + (_EVENTS - _READ) * pos // total)

        for item in _ordered(reader, files, ds.events, dropped):
            chunk.append(item)
            if len(chunk) >= CHUNK:
                flush()
        flush()
        settle()
        writer.finish(lambda share: step(_EVENTS + int((_SUMS - _EVENTS) * share)))
        final = writer.marker()  # of every text now, as `EventIndex.marker` would read it back from `ev_char`
        if mark is not None and mark != final:
            EventIndex.reindex_words(conn, final)
        EventIndex.fill_vocabulary(conn, final)
        step(_TEXT)
        for a in ds.actors:
            _count_claims(claims, a)
        _write_stats(conn, claims)
        counts = {
            "events": pos,
            "actors": len(ds.actors),
            "sources": len(ds.sources),
            "figures": figures + sum(len(a.figures) for a in ds.actors),
        }
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [*_meta_rows(ds, counts, sorted(countries), token), ("view_made_of", _made_of(files, ds, dropped, remaps))],
        )
        conn.execute("COMMIT")
        step(_COMMIT)
        return True
    except BaseException:
        indexer.shutdown(wait=True)  # its statement ends before the transaction does
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        raise
    finally:
        indexer.shutdown(wait=True)
        if reader is not conn:
            reader.close()


def _count_claims(claims: Counter[str], owner: Any, sign: int = 1) -> None:
    """The claims of an event or actor each source carries or relays, as
    `Dataset.source_claim_count` counts them (the view's per-source counts; an event ACLED
    removed has none there, as its events count leaves it out): sign -1 takes them off."""
    if REMOVED_TAG in getattr(owner, "tags", ()):
        return
    for f in owner.figures:
        claims[f.source] += sign
        if f.via and f.via != f.source:
            claims[f.via] += sign


def _write_stats(conn: sqlite3.Connection, claims: Counter[str]) -> None:
    """`view_stat`: the events per actor (from the index's roles; those ACLED removed left out,
    as `Dataset.actor_event_count`) and the claims per source (`_count_claims`; a source left
    with none is not listed)."""
    conn.execute(
        "INSERT INTO view_stat SELECT 'actor', actor, count(*) FROM ev_actor "
        "WHERE pos NOT IN (SELECT pos FROM ev WHERE removed) GROUP BY actor"  # (ev_removed: the few)
    )
    conn.executemany("INSERT INTO view_stat VALUES ('source', ?, ?)", ((k, n) for k, n in claims.items() if n))


def _meta_rows(ds: Dataset, counts: dict[str, int], countries: list[str], token: str) -> list[tuple[str, str]]:
    """The view's `meta` rows read by `view.StoredDataset`: its counts, countries and problems,
    and the token of the files it was made from."""
    return [
        ("view_counts", json.dumps(counts)),
        ("view_countries", json.dumps(countries, ensure_ascii=False)),
        ("view_problems", json.dumps([[ds.skipped], *map(list, ds.problems)], ensure_ascii=False)),
        ("view", token),
    ]


def _made_of(files: list[ParsedFile], ds: Dataset, dropped: set[tuple[int, int]], remaps: dict[int, Any]) -> str:
    """What a view is made of apart from its curated events' contents (`meta` view_made_of):
    the stored exports (their rows are named, not copied), the rows dropped as duplicates, the
    renames, every actor and source, and each curated event's id and date (which fix every
    position).  Equal for two loads: the second may patch the first's view (`_patch_view`)."""
    return json.dumps(
        [
            [f.stored for f in files if f.stored is not None],
            sorted(dropped),
            sorted([fid, sorted(a.items()), sorted(s.items())] for fid, (a, s) in remaps.items()),
            [to_row(a) for a in ds.actors],
            [to_row(s) for s in ds.sources],
            [[e.id, e.date] for e in ds.events],
        ],
        ensure_ascii=False,
    )


def _rows_there(conn: sqlite3.Connection, files: Sequence[Any]) -> bool:
    """Whether every row a lazy read left in the store is still there (asked inside the
    write's transaction): another process that imported the same files again meanwhile
    replaced them under a new file id, and a view written from the old id would hold none of
    its events (QA s18: a brief of "no events", exit 0, while a TUI started beside it)."""
    for f in files:
        if f.stored is not None:
            held = conn.execute("SELECT count(*) FROM records WHERE file=? AND kind='event'", (f.stored,))
            if held.fetchone()[0] != f.stored_events:
                return False
    return True


def _patch_view(job: ViewJob) -> bool:
    """The view brought up to date in place, when only curated events' contents changed (an
    analyst's edit of a claim, a summary, a tag: the usual save beside a big export): the
    exports, the duplicates, every actor and source and every curated event's id and date as
    when it was written (`_made_of`), so that no event moves.  The changed events' rows and
    text-index entries are written again, the counts behind short words adjusted, and the sums,
    the word index's vocabulary and the counts per actor and source made again: seconds, where
    writing the whole view takes minutes at a million events (bench/README.md, round 13).
    False, with nothing written, when that is not the case (the caller writes it whole)."""
    store, ds, files, dropped, remaps, token, step = job
    from briefing.sqlquery import EventIndex, IndexWriter

    conn = store.conn
    made_of = _made_of(files, ds, dropped, remaps)
    conn.execute("BEGIN IMMEDIATE")
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('loaded', 'view', 'view_made_of')"))
        if (
            meta.get("loaded") != token
            or "view" not in meta
            or meta.get("view_made_of") != made_of
            or not _rows_there(conn, files)
        ):
            conn.execute("ROLLBACK")
            return False
        writer: IndexWriter = IndexWriter.resume(conn, ds.haystack)
        known = len(writer.codes)  # codes are numbered from 0: a new one is numbered from here
        mark = EventIndex.marker(conn)
        gone = IndexWriter(conn, ds.haystack, tables=False)  # counts what the old texts held, to take off
        claims: Counter[str] = Counter()
        figures = 0
        changed: list[int] = []
        touched: set[str] = set()
        for e in ds.events:
            pos, old_data = conn.execute(  # None (a TypeError): a damaged view
                "SELECT v.pos, v.data FROM ev JOIN view_event AS v USING (pos) WHERE ev.id = ?", (e.id,)
            ).fetchone()
            new_data = row_json(to_row(e))
            if new_data == old_data:
                continue
            [old] = from_json_rows(Event, [old_data])
            old_hay, country, removed = conn.execute(
                "SELECT hay, country, removed FROM ev JOIN ev_hay USING (pos) WHERE pos = ?", (pos,)
            ).fetchone()
            conn.execute("INSERT INTO ev_text(ev_text, rowid, hay) VALUES ('delete', ?, ?)", (pos, old_hay))
            conn.execute(
                "INSERT INTO ev_words(ev_words, rowid, words) VALUES ('delete', ?, ?)",
                (pos, f"{old_hay}\n{mark}{country.encode('utf-8').hex()}"),
            )
            gone._count([(pos, old_hay)], [removed])
            IndexWriter.count_kind(conn, pos, -1)
            touched.update((country, fold(e.country)))  # the sums per country to make again (folded, as `ev`)
            for table in ("ev", "ev_hay", "ev_tag", "ev_actor", "ev_source", "an_ev", "an_role", "an_source"):
                conn.execute(f"DELETE FROM {table} WHERE pos = ?", (pos,))
            writer.write(writer.rows(pos, [e]))
            IndexWriter.count_kind(conn, pos, 1)
            conn.execute("UPDATE view_event SET data = ? WHERE pos = ?", (new_data, pos))
            changed.append(pos)
            figures += len(e.figures) - len(old.figures)
            _count_claims(claims, old, -1)
            _count_claims(claims, e)
        step(_EVENTS)
        # the counts behind 1-3 character words (`IndexWriter._count`): old texts off, new on
        for r in (0, 1):
            delta = Counter(writer.chars[r])
            delta.subtract(gone.chars[r])
            for ch, n in delta.items():
                if n:
                    conn.execute("INSERT OR IGNORE INTO ev_char VALUES (?, ?, 0)", (ch, r))
                    conn.execute("UPDATE ev_char SET n = n + ? WHERE ch = ? AND removed = ?", (n, ch, r))
        tails = Counter(writer.tails)
        tails.subtract(gone.tails)
        for tail, n in tails.items():
            if n:
                conn.execute("INSERT OR IGNORE INTO ev_tail VALUES (?, 0)", (tail,))
                conn.execute("UPDATE ev_tail SET n = n + ? WHERE tail = ?", (n, tail))
        conn.execute("DELETE FROM ev_char WHERE n = 0")
        conn.execute("DELETE FROM ev_kind WHERE n = 0")
        conn.execute("DELETE FROM ev_tail WHERE n = 0")
        conn.executemany("DELETE FROM ev_short WHERE pos = ?", ((p,) for p in gone.short))
        conn.executemany("INSERT INTO ev_short VALUES (?)", ((p,) for p in writer.short))
        conn.executemany("DELETE FROM ev_long WHERE pos = ?", ((p,) for p in gone.long))
        conn.executemany("INSERT INTO ev_long VALUES (?)", ((p,) for p in writer.long))
        conn.executemany(
            "INSERT INTO an_code VALUES (?, ?, ?, ?)", ((c, *k) for k, c in writer.codes.items() if c >= known)
        )
        # the text indexes: the changed events' new texts (the old ones were taken out above)
        final = EventIndex.marker(conn)
        for pos in changed:
            EventIndex.index_text(conn, pos, pos + 1, mark)
        if final != mark:  # a new text holds the marker: the word index made again with another
            EventIndex.reindex_words(conn, final)
        conn.execute("DELETE FROM ev_term")
        EventIndex.fill_vocabulary(conn, final)
        writer.sums_of(touched)
        step(_SUMS)
        stats = Counter(dict(conn.execute("SELECT id, n FROM view_stat WHERE kind = 'source'")))
        stats.update(claims)
        conn.execute("DELETE FROM view_stat")
        _write_stats(conn, stats)
        counts = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'view_counts'").fetchone()[0])
        counts["figures"] += figures
        countries = sorted({c for (c,) in conn.execute("SELECT DISTINCT a_country FROM an_ev")})
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", _meta_rows(ds, counts, countries, token))
        conn.execute("COMMIT")
        step(_COMMIT)
        return True
    except BaseException as exc:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        if isinstance(exc, (sqlite3.Error, ValueError, TypeError, KeyError)):  # a view not as expected
            return False  # (damaged): written whole
        raise


def load(
    root: str, *, skip_invalid: bool = False, progress: Callable[..., None] | None = None, view_tried: bool = False
) -> Dataset:
    """root's dataset: the store's view when it is current; else the files are read (the
    store streams an ACLED export in, `Store.parsed`) and checked, and then a set of
    `VIEW_MIN` events or more is written into the store as the view and opened from it (the
    session holds pages, never a million records), a smaller one built in memory.  Raises
    `DataError` on problems (unless skip_invalid)."""
    import gc

    from briefing.datadir import pathstr
    from briefing.loader import build_dataset, mark_loaded, read_files

    view = None if view_tried else open_view(root, skip_invalid)  # view_tried: the caller asked already
    if view is not None:
        return view
    root = pathstr(root)

    # The bar: reading the files, then (for a big set) writing the view, which takes longer.
    shown = -1

    def step(pct: int) -> None:
        nonlocal shown
        if progress is not None and pct > shown:
            shown = pct
            progress(pct, 100)

    def first(done: int, _total: int, _partial: object = None) -> None:
        step(done * _READ // 100)

    was = gc.isenabled()
    gc.disable()  # ~10^6 small acyclic objects: the collector would walk them again and again
    step(0)  # the bar's clock from now: opening the store may check every page of it first
    store, files, token = read_files(root, first if progress is not None else None, lazy=True)
    try:
        n = sum(len(f.records["event"]) + f.stored_events for f in files)
        if n < VIEW_MIN or token is None or store.path is None:
            ds = _held(store, files, token, skip_invalid=skip_invalid, root=root)
            step(100)
            return ds
        kept = list(files)
        found, dropped = _duplicates(store, files, kept)
        remaps: dict[int, Any] = {}
        fids = [f.stored for f in files if f.stored is not None]

        def in_store(ids: list[str]) -> set[str]:
            return {i for i, *_ in _stored_ids(store.conn, fids, ids)}

        ds = build_dataset(
            kept, skip_invalid=skip_invalid, root=root, stored=in_store, remaps=remaps, stored_problems=found
        )
        ds.token = token
        mark_loaded(store, ds)
        # The view patched in place when only curated events' contents changed, else (or should
        # the patched view not open: a damaged one) written whole.
        job = ViewJob(store, ds, kept, dropped, remaps, token, step)
        for write in (_patch_view, _write_view):
            try:
                written = store.writable and write(job)
            except sqlite3.Error as exc:  # a full disk, say: rolled back; this load is held in memory
                store.write_failed(exc)
                written = False
            if not written:
                continue
            store.fold()
            step(100)
            view = open_view(root, skip_invalid)
            if view is not None:
                return view
        # The view could not be written (another process changed the store meanwhile, or SQLite
        # failed): this load, held in memory after all.
        return _held(store, files, token, skip_invalid=skip_invalid, root=root)
    finally:
        store.close()
        if was:
            gc.enable()


def _held(store: Store, files: list[Any], token: str | None, *, skip_invalid: bool, root: str) -> Dataset:
    """`loader.held`; when the rows this load left in the store are gone (another process
    imported the same files again meanwhile: `StoreChanged`), the files read again, in
    memory: never a dataset short of them (QA s18: a brief of "no events", exit 0)."""
    from briefing.loader import held, read_files
    from briefing.store import StoreChanged

    try:
        return held(store, files, token, skip_invalid=skip_invalid, root=root)
    except StoreChanged:
        again, files, token = read_files(root, memory=True)
        try:
            return held(again, files, token, skip_invalid=skip_invalid, root=root)
        finally:
            again.close()
