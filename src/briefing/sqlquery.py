"""The filter language compiled to SQL, over an index of a dataset's events in SQLite.

Why: a list that asks for the rows it draws, the match count and the position of an id
needs a query engine, not a Python list of every match.  The meaning of the filter language
is `filters.Query.matcher` (the reference implementation, the oracle): `tests/test_sqlquery.py`
holds this compiler to it with hypothesis on generated data.

Text search (a bare word) uses an FTS5 index with the `trigram` tokenizer, case-sensitive,
over the same casefolded search text the reference uses (`Dataset.haystack`), so a word is
found exactly where the reference's substring test finds it.  The index keeps no positions
(`detail=none`): against positions (`detail=full`, phrase queries) it builds in a third of
the time at a quarter of the size, for slower answers to common words (numbers in
bench/README.md).  A word of 3 characters or more is asked as the `AND` of its trigrams
(`MATCH`: the index's own lists, no text read) and, from 4 characters, each event found is
checked with `instr()` on its text (holding every trigram of a word is not holding the
word).  `MATCH` + `instr` replaced `GLOB '*word*'` on the index, which checks each event
through the index's content lookup, several times slower (bench/README.md).  Of a query's words,
the longest goes to the index and the others are checked against the text of the events it
leaves.  FTS5 stops reading a text at a NUL character, so the few events whose text holds
one are always scanned too, and a word holding one is only scanned for.

Words of 1–2 characters (decided for issue 10): they mean what they mean everywhere else, a
substring of the search text (the filter language does not change with a word's length;
`a` matches nearly every event).  What changes is how they are answered, since a trigram
index cannot look them up:
* alone (and in the date order), the count is read, not scanned: a character's from
  `ev_char` (per character, the events whose text holds it, built with the index by
  `fill_words`), a pair's from the trigram index (the events holding a trigram that starts
  with the pair, an `OR` of those the index holds, plus those whose text ends with the pair
  and has it nowhere else: `ev_tail`), 3 characters from its one trigram
  (`quick_count`).  The list's pages are then read in order with a LIMIT (`Matches`): such a
  word matches most events, so a page is found after a few thousand texts read; a rare one
  (a pair few texts hold) is still a scan of every text for its first page.  A text under 3
  characters or holding a NUL is not in the trigram index whole; where there is one, only
  single characters are counted this way;
* with other terms, they are checked with `instr()` on the events the other terms leave;
* a table of pairs (like `ev_char`) was measured and not kept: counting the pairs of every
  text in Python at import costs several times what the characters cost, for counts the
  trigram index gives already (bench/README.md has both).

`changed:DATE` asks the sync ledger (`briefing.ledger.changed_ids`) for its ids; `removed`
and the default hiding of the events ACLED removed (unless a query names `removed`) read the
`acled-removed` tag, as `filters.Query.matcher` does.

Orders are `briefing.sorting`'s, by name: `date` (the dataset's order: newest first, then
id), `killed` (the top of `compare.event_total`, none last), `country`, `title`
(casefolded), each then by the dataset's order.  Answers may be asked from worker threads
(the TUI filters off its UI thread): one lock serialises them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any, overload

from briefing.filters import FilterError, Query, Term, _type_matches
from briefing.ledger import REMOVED_TAG, changed_ids, has_ledger
from briefing.records import Event, date_high, date_low

ORDERS = {"date": "pos", "killed": "killed IS NULL, killed DESC, pos", "country": "country, pos", "title": "title, pos"}

_TABLES = """
CREATE TABLE ev (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, country TEXT NOT NULL, type TEXT NOT NULL,
                 sub_type TEXT, lo TEXT NOT NULL, hi TEXT NOT NULL, disputed INTEGER NOT NULL,
                 killed INTEGER, title TEXT NOT NULL, hay TEXT NOT NULL, nul INTEGER NOT NULL,
                 admin1 TEXT, removed INTEGER NOT NULL);
CREATE TABLE ev_tag (pos INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE ev_actor (pos INTEGER NOT NULL, actor TEXT NOT NULL);
CREATE TABLE ev_source (pos INTEGER NOT NULL, source TEXT NOT NULL);
CREATE VIRTUAL TABLE ev_text USING fts5(hay, content='ev', content_rowid='pos',
                                        tokenize='trigram case_sensitive 1', detail=none);
"""
_INDEXES = """
CREATE UNIQUE INDEX ev_id ON ev(id);
CREATE INDEX ev_nul ON ev(pos) WHERE nul;
CREATE INDEX ev_killed ON ev(killed IS NULL, killed DESC, pos);
CREATE INDEX ev_title ON ev(title, pos);
CREATE INDEX ev_country ON ev(country, pos);
CREATE INDEX ev_tag_i ON ev_tag(tag, pos);
CREATE INDEX ev_actor_i ON ev_actor(actor, pos);
CREATE INDEX ev_source_i ON ev_source(source, pos);
"""

# -- what the analysis reads (`briefing.trend_queries`): tables of their own, joined on `pos` ----
# an_ev: per event, the display country/admin1 (ev keeps them casefolded, for filtering) and the
#   type (so that a query without a filter need not read `ev`); the raw date; its first and last day as day numbers (`date.toordinal()`: a_lod, a_hid, the real last
#   day: ev.hi says "-31" for any month) and month numbers (year * 12 + month - 1: a_lom, a_him);
#   deaths as `analysis.event_deaths` gives them (a_dlo NULL: no figure; a_dhi NULL: open-ended
#   or no figure), a_derived (the total is a sum of groups) and a_ndisp (disputed comparisons)
#   for the brief's bottom line, the number of claims, the key-event rank, whether the id is
#   ACLED's.
# an_role: the (actor, role) pairs of an event, as numbers (an_code: grouping numbers sorts
#   faster than grouping text): listed = 1 for its `actors` (the Trends table by actor), 0 for a
#   figure's claimant only (the brief's "claimant" role); k_ord / a_ord: where the pair / the
#   actor comes first in the event (ties keep the order first met, as in Python).
# an_source: the sources the Trends table counts (cited and carrying a claim; not `via`).
# an_ev_long: the few events of several days (dated to a month or a year).
# an_cube, an_pairs, an_first, an_roles, an_srcs: sums made once per (filter) country, for a query
#   with no filter or with only `country:` (and dates by whole months): per unit of a frequency
#   table (dim 0 the timeline, then country, admin1, type) and first and last month, the
#   events, deaths (as `trend_queries._DEATHS`), ACLED ids and the first position met; per
#   (actor, role) pair, listed or a claimant's only, and first and last month (an_pairs: the
#   table by actor, whose sums per month are nearly as many as the events' roles, so they are
#   kept apart from an_cube's few thousand) the same, its actor, where the pair and where its
#   actor is first met (k_met, a_met) and its first day; from an_pairs, per actor its first day
#   (an_first) and per pair its events, as `summary.gather` counts them (an_roles); the sources.
# an_code: the numbers of actors (kind 'a'), (actor, role) pairs ('r') and sources ('s').
# an_day: per first day, the positions of its events; an_meta `ordered` = 1 when first days
#   never rise with the position (newest first), so a run of days is a run of positions.
_ANALYSIS_TABLES = """
CREATE TABLE an_ev (pos INTEGER PRIMARY KEY, a_country TEXT NOT NULL, a_admin1 TEXT, a_type TEXT NOT NULL,
                    a_date TEXT NOT NULL,
                    a_lod INTEGER NOT NULL, a_hid INTEGER NOT NULL, a_lom INTEGER NOT NULL,
                    a_him INTEGER NOT NULL, a_dlo INTEGER, a_dhi INTEGER, a_derived INTEGER NOT NULL,
                    a_ndisp INTEGER NOT NULL, a_claims INTEGER NOT NULL, a_rank INTEGER NOT NULL,
                    a_acled INTEGER NOT NULL);
CREATE TABLE an_role (pos INTEGER NOT NULL, r_pair INTEGER NOT NULL, r_actor INTEGER NOT NULL,
                      r_listed INTEGER NOT NULL, r_kord INTEGER, r_aord INTEGER NOT NULL,
                      PRIMARY KEY (pos, r_pair)) WITHOUT ROWID;
CREATE TABLE an_source (pos INTEGER NOT NULL, s_source INTEGER NOT NULL, s_ord INTEGER NOT NULL,
                        PRIMARY KEY (pos, s_source)) WITHOUT ROWID;
CREATE TABLE an_code (code INTEGER PRIMARY KEY, kind TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT);
CREATE INDEX an_ev_long ON an_ev(pos) WHERE a_hid > a_lod;
CREATE TABLE an_cube (dim INTEGER NOT NULL, cf TEXT NOT NULL, k1 NOT NULL, k2 NOT NULL, lom INTEGER NOT NULL,
                      him INTEGER NOT NULL, n INTEGER NOT NULL, wf INTEGER NOT NULL, lo INTEGER NOT NULL,
                      hi INTEGER NOT NULL, open INTEGER NOT NULL, acled INTEGER NOT NULL, met INTEGER NOT NULL,
                      PRIMARY KEY (dim, cf, k1, k2, lom, him)) WITHOUT ROWID;
CREATE TABLE an_pairs (cf TEXT NOT NULL, listed INTEGER NOT NULL, pair INTEGER NOT NULL, lom INTEGER NOT NULL,
                       him INTEGER NOT NULL, actor INTEGER NOT NULL, n INTEGER NOT NULL, wf INTEGER NOT NULL,
                       lo INTEGER NOT NULL, hi INTEGER NOT NULL, open INTEGER NOT NULL, k_met INTEGER,
                       a_met INTEGER NOT NULL, lod INTEGER NOT NULL,
                       PRIMARY KEY (cf, listed, pair, lom, him)) WITHOUT ROWID;
CREATE TABLE an_first (cf TEXT NOT NULL, actor INTEGER NOT NULL, lod INTEGER NOT NULL, met INTEGER NOT NULL,
                       PRIMARY KEY (cf, actor)) WITHOUT ROWID;
CREATE TABLE an_roles (cf TEXT NOT NULL, pair INTEGER NOT NULL, n INTEGER NOT NULL, met INTEGER NOT NULL,
                       PRIMARY KEY (cf, pair)) WITHOUT ROWID;
CREATE TABLE an_srcs (cf TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (cf, source)) WITHOUT ROWID;
CREATE TABLE an_day (day INTEGER PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE TABLE an_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
"""

# The sums per country (`IndexWriter.finish`, after every event's rows), in order; a module's
# constant so that bench/bench_trends.py can time each.
_DEATHS = "count(*), count(a_dlo), coalesce(sum(a_dlo), 0), coalesce(sum(a_dhi), 0), count(a_dlo) - count(a_dhi)"
_SUMS = (
    *(
        f"INSERT INTO an_cube SELECT {dim}, country, {keys}, a_lom, a_him, {_DEATHS}, sum(a_acled), "
        "min(pos * 1048576) FROM ev JOIN an_ev USING (pos) GROUP BY 2, 3, 4, 5, 6"
        for dim, keys in (
            (0, "'', ''"),
            (1, "a_country, ''"),
            (2, "a_country, coalesce(a_admin1, '')"),
            (3, "a_type, ''"),
            # by actor: an_pairs, below; by source: summed from the events when asked (the
            # brief has no table by source; the Trends screen works it out on a thread)
        )
    ),
    # every event's roles grouped once (the costly GROUP BY: bench/README.md, bench_trends.py);
    # an_first and an_roles are sums of those sums, not two more passes over the roles
    "INSERT INTO an_pairs SELECT country, r_listed, r_pair, a_lom, a_him, r_actor, "
    f"{_DEATHS}, min(pos * 1048576 + r_kord), min(pos * 1048576 + r_aord), min(a_lod) "
    "FROM ev JOIN an_ev USING (pos) JOIN an_role USING (pos) GROUP BY 1, 2, 3, 4, 5",
    "INSERT INTO an_first SELECT cf, actor, min(lod), min(k_met) FROM an_pairs WHERE listed = 1 GROUP BY 1, 2",
    "INSERT INTO an_roles SELECT cf, pair, sum(n), min(a_met) FROM an_pairs GROUP BY 1, 2",
    "INSERT INTO an_srcs SELECT DISTINCT country, source FROM ev JOIN ev_source USING (pos)",
)


class EventIndex:
    """A dataset's events in SQLite (in memory unless given a connection), queried with the
    filter language.  Answers are positions in `dataset.events` or the events themselves."""

    def __init__(self, dataset: Any, *, text_index: bool = True) -> None:
        """An index of `dataset` built now, in memory (the store's view builds its own with
        `create` and `fill`, and opens it with `attach`).  `text_index=False`: the FTS index is
        left for `build_text_index` (the TUI builds it in the background, after the rest); until
        it is complete, bare words are scanned."""
        self._start(dataset, sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None), False)
        with self.lock:
            self.conn.execute("BEGIN")
            self.create(self.conn)
            self.fill(self.conn, dataset)
            self.fill_words(self.conn)
            self.conn.execute("COMMIT")
        if text_index:
            self.build_text_index()

    @classmethod
    def attach(cls, dataset: Any, conn: sqlite3.Connection, *, text_ready: bool) -> EventIndex:
        """The index already held in `conn`'s tables (the store's view), for `dataset`."""
        self = cls.__new__(cls)
        self._start(dataset, conn, text_ready)
        return self

    def _start(self, dataset: Any, conn: sqlite3.Connection, text_ready: bool) -> None:
        self.ds = dataset
        self.conn = conn
        self.text_ready = text_ready
        self.lock = threading.Lock()  # one question at a time on the connection
        self._text_lock = threading.Lock()
        self._answers: list[str] = []  # temporary tables of `Matches`, oldest first
        self._made = 0
        self._chars: list[str] | None = None  # every character of the search texts (`ev_char`)
        self._odd: bool | None = None  # some text the trigram index does not hold whole
        self._trigram_seen: dict[str, bool] = {}  # trigrams looked up: whether the index holds them

    def build_text_index(self, chunk: int = 5000) -> None:
        """Fill the FTS index a chunk of events at a time, letting queries in between (they
        scan until it is complete): the slowest part of the build, ~2/3 of it at 100k events."""
        with self._text_lock:
            if self.text_ready:
                return
            for lo in range(0, len(self.ds.events), chunk):
                with self.lock:
                    self.fill_text(self.conn, lo, lo + chunk)
            self.text_ready = True

    @staticmethod
    def fill_text(conn: sqlite3.Connection, lo: int = 0, hi: int | None = None) -> None:
        """Index the search text of the events at positions lo to hi (all by default)."""
        conn.execute(
            "INSERT INTO ev_text(rowid, hay) SELECT pos, hay FROM ev WHERE pos >= ? AND pos < ?",
            (lo, (1 << 62) if hi is None else hi),
        )

    @staticmethod
    def create(conn: sqlite3.Connection) -> None:
        """The index's tables, empty (statement by statement: `executescript` would commit the
        caller's transaction)."""
        for statement in _TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)

    @staticmethod
    def fill(conn: sqlite3.Connection, ds: Any) -> None:
        """Every event of `ds` into the tables, then their indexes; the caller holds the transaction."""
        writer = IndexWriter(conn, ds.haystack)
        events = ds.events
        for lo in range(0, len(events), 10_000):
            writer.add(lo, events[lo : lo + 10_000])
        writer.finish()

    @staticmethod
    def fill_words(conn: sqlite3.Connection, chunk: int = 20_000) -> None:
        """What counts a 1–3 character word without reading the events it matches
        (`quick_count`), from the search text already in `ev`, read a chunk at a time (memory
        stays bounded): per character, the number of events whose text holds it, those ACLED
        removed counted apart (`ev_char`); per pair of characters, the events whose text has it
        only as its last two characters (`ev_tail`: every other place of a pair is the start of
        a trigram, so a pair's count is the events holding a trigram that starts with it, plus
        these); the events with under 3 characters of text, which the trigram index holds
        nothing of (`ev_short`); an index of the removed events, to take their matches off a
        count.  The caller holds the transaction."""
        conn.execute(
            "CREATE TABLE ev_char (ch TEXT NOT NULL, removed INTEGER NOT NULL, n INTEGER NOT NULL, "
            "PRIMARY KEY (ch, removed)) WITHOUT ROWID"
        )
        conn.execute("CREATE TABLE ev_tail (tail TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        conn.execute("CREATE TABLE ev_short (pos INTEGER PRIMARY KEY)")
        conn.execute("CREATE INDEX ev_removed ON ev(pos) WHERE removed")
        counts = (Counter[str](), Counter[str]())
        tails = Counter[str]()
        last = -1
        while rows := conn.execute(
            "SELECT pos, hay, removed FROM ev WHERE pos > ? ORDER BY pos LIMIT ?", (last, chunk)
        ).fetchall():
            last = rows[-1][0]
            for removed in (0, 1):
                counts[removed].update(chain.from_iterable(set(hay) for _, hay, r in rows if r == removed))
            conn.executemany("INSERT INTO ev_short VALUES (?)", ((pos,) for pos, hay, _ in rows if len(hay) < 3))
            tails.update(hay[-2:] for _, hay, _ in rows if len(hay) >= 3 and hay.find(hay[-2:]) == len(hay) - 2)
        conn.executemany(
            "INSERT INTO ev_char VALUES (?, ?, ?)", ((ch, r, n) for r in (0, 1) for ch, n in counts[r].items())
        )
        conn.executemany("INSERT INTO ev_tail VALUES (?, ?)", tails.items())

    # -- compiling -----------------------------------------------------------------------------
    def where(self, query: Query, *, scan_words: bool = False) -> tuple[str, list[Any]]:
        """(SQL condition over `ev`, its parameters); raises FilterError as `Query.matcher`.
        scan_words: every bare word checked on the text (`instr`), none asked of the text
        index: for a common word, read in order with a LIMIT, the first matches come sooner."""
        parts: list[str] = []
        params: list[Any] = []
        # One word goes to the text index, the longest (likely the rarest) of those it can
        # answer; the other words are checked on the events it leaves: two indexed words would
        # each gather every match of their own before the two lists meet.
        words = [t for t in query.terms if t.field is None and not t.negated]
        indexed = max(words, key=lambda t: len(t.values[0]), default=None)
        if indexed is not None and not scan_words and self._narrower_term(query, indexed):
            indexed = None
        for t in query.terms:
            sql, args = self._term(t, indexed, scan_words)
            parts.append(f"NOT ({sql})" if t.negated else f"({sql})")
            params += args
        if self._hides_removed(query):
            parts.append("removed = 0")
        return (" AND ".join(parts) or "1"), params

    _OWN_INDEX = {"country": ("ev", "country"), "tag": ("ev_tag", "tag"), "actor": ("ev_actor", "actor"),
                  "source": ("ev_source", "source")}  # fmt: skip

    def _narrower_term(self, query: Query, word: Term) -> bool:
        """Whether a term with an index of its own (country, tag, actor, source) leaves fewer
        events than the text index holds for the word: then the word is checked on those
        events' texts, not asked of the text index, which would gather every event of its own
        (`country:mali att` in the synthetic 1M export: 83,777 events against 369,548 holding
        `att`).  Both are counted from their indexes, the word's no further than the term's."""
        expr = _trigrams(word.values[0].casefold())
        if expr is None or not self.text_ready:
            return False
        least = None
        try:
            for t in query.terms:
                if t.negated or t.field not in self._OWN_INDEX:
                    continue
                table, column = self._OWN_INDEX[t.field]
                _, args = self._term(t, None)
                with self.lock:
                    n: int = self.conn.execute(
                        f"SELECT count(*) FROM {table} WHERE {column} IN ({_marks(args)})", args
                    ).fetchone()[0]
                least = n if least is None else min(least, n)
        except FilterError:
            return False  # asked again below, in the query's order, to name the first bad term
        if least is None:
            return False
        with self.lock:
            held: int = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM ev_text WHERE ev_text MATCH ? LIMIT ?)", (expr, least + 1)
            ).fetchone()[0]
        return held > least

    def _hides_removed(self, query: Query) -> bool:
        """As filters._hides_removed: removed events are left out unless the query names them."""
        return not any(t.field == "removed" for t in query.terms) and has_ledger(getattr(self.ds, "root", None))

    def _term(self, t: Term, indexed: Term | None, scan_words: bool = False) -> tuple[str, list[Any]]:
        f = t.field
        if f is None:
            needle = t.values[0].casefold()
            raw = needle.encode("utf-8", "surrogatepass")
            scan = "instr(CAST(hay AS BLOB), ?) > 0"  # bytes: a NUL does not end the text
            expr = _trigrams(needle)
            if expr is None or not self.text_ready or t is not indexed or scan_words:
                return scan, [raw]
            # FTS5 stops reading a text at a NUL: events holding one are scanned as well
            fts = f"pos IN (SELECT rowid FROM ev_text WHERE ev_text MATCH ? UNION ALL SELECT pos FROM ev WHERE nul AND {scan})"
            if len(needle) == 3:  # one trigram: the index's answer is the answer
                return fts, [expr, raw]
            return f"{fts} AND {scan}", [expr, raw, raw]  # all its trigrams, not always the word
        if f == "disputed":
            return "disputed = 1", []
        if f == "removed":
            return "removed = 1", []
        if f == "changed":
            changed = sorted(changed_ids(getattr(self.ds, "root", None), date_low(t.values[0])))
            return "id IN (SELECT value FROM json_each(?))", [json.dumps(changed)]
        vals = [v.casefold() for v in t.values]
        if f == "country":
            return f"country IN ({_marks(vals)})", vals
        if f == "admin1":
            return f"coalesce(admin1 IN ({_marks(vals)}), 0)", vals
        if f == "tag":
            return f"pos IN (SELECT pos FROM ev_tag WHERE tag IN ({_marks(vals)}))", vals
        if f == "type":
            slugs: set[str] = set()
            for v in t.values:
                slugs |= _type_matches(v)
            s = sorted(slugs)
            return f"type IN ({_marks(s)}) OR coalesce(sub_type IN ({_marks(s)}), 0)", s + s
        if f == "since":
            return "hi >= ?", [date_low(t.values[0])]
        if f == "until":
            return "lo <= ?", [date_high(t.values[0])]
        if f == "actor":
            ids: set[str] = set()
            for v in t.values:
                found = self.ds.actors_by_name(v)
                if not found:
                    raise FilterError(str(t), f"no actor has the id, name or alias {v!r}")
                ids.update(found)
            a = sorted(ids)
            return f"pos IN (SELECT pos FROM ev_actor WHERE actor IN ({_marks(a)}))", a
        if f == "source":
            sids: set[str] = set()
            for typed, v in zip(t.values, vals):  # casefolded, like the ids and names they meet
                found = [s.id for s in self.ds.sources if v in (s.id.casefold(), s.name.casefold())]
                if not found:
                    raise FilterError(str(t), f"no source has the id or name {typed!r}")
                sids.update(found)
            s = sorted(sids)
            return f"pos IN (SELECT pos FROM ev_source WHERE source IN ({_marks(s)}))", s
        raise FilterError(str(t), f"unknown field {f!r}")  # pragma: no cover - parse() rejects these

    # -- asking ----------------------------------------------------------------------------------
    def count(self, query: Query) -> int:
        where, params = self.where(query)
        with self.lock:
            n: int = self.conn.execute(f"SELECT count(*) FROM ev WHERE {where}", params).fetchone()[0]
        return n

    def positions(
        self,
        query: Query,
        offset: int = 0,
        limit: int | None = None,
        order: str = "date",
        *,
        scan_words: bool = False,
        from_end: bool = False,
    ) -> list[int]:
        """The matches ranked offset to offset+limit; from_end: counted from the last match
        (newest last), in the date order only."""
        where, params = self.where(query, scan_words=scan_words)
        by = ORDERS[order]
        if from_end:
            if order != "date":
                raise ValueError("from_end: only in the date order")
            by = "pos DESC"
        sql = f"SELECT pos FROM ev WHERE {where} ORDER BY {by} LIMIT ? OFFSET ?"
        with self.lock:
            return [p for (p,) in self.conn.execute(sql, [*params, -1 if limit is None else limit, offset])]

    def rows(self, query: Query, offset: int = 0, limit: int | None = None, order: str = "date") -> list[Event]:
        events = self.ds.events
        return [events[p] for p in self.positions(query, offset, limit, order)]

    def position(self, query: Query, event_id: str, order: str = "date", *, scan_words: bool = False) -> int | None:
        """Where the event is among the matches in this order, or None when it does not match."""
        where, params = self.where(query, scan_words=scan_words)
        if order == "date":  # positions are in this order: count the matches before it
            with self.lock:
                got = self.conn.execute(
                    f"SELECT pos FROM ev WHERE id = ? AND ({where})", [event_id, *params]
                ).fetchone()
                if got is None:
                    return None
                n: int = self.conn.execute(
                    f"SELECT count(*) FROM ev WHERE pos < ? AND ({where})", [got[0], *params]
                ).fetchone()[0]
            return n
        sql = (
            f"SELECT n FROM (SELECT id, row_number() OVER (ORDER BY {ORDERS[order]}) - 1 AS n "
            f"FROM ev WHERE {where}) WHERE id = ?"
        )
        with self.lock:
            row = self.conn.execute(sql, [*params, event_id]).fetchone()
        return None if row is None else row[0]

    def quick_count(self, query: Query, order: str = "date") -> int | None:
        """The number of matches of a query that is one word of 1–3 characters, in the
        dataset's order, found without reading the events it matches; None for any other
        query (or when the text index is not complete).  A character is looked up in
        `ev_char`; a pair of characters is the number of events holding a trigram that starts
        with it (`OR` of them, as the index counts them) and of those whose text has it only
        at its end (`ev_tail`); three are one trigram.  Exact
        only where every text is in the trigram index whole (no NUL, 3 characters or more),
        so not used elsewhere; the matches among the removed events are taken off when the
        query hides those (found by reading the removed events' texts: ACLED removes few)."""
        terms = query.terms
        if order != "date" or len(terms) != 1 or terms[0].field is not None or terms[0].negated:
            return None
        needle = terms[0].values[0].casefold()
        if not 1 <= len(needle) <= 3 or not _utf8(needle):
            return None
        hide = self._hides_removed(query)
        with self.lock:
            if len(needle) == 1:
                n: int = self.conn.execute(
                    "SELECT coalesce(sum(n), 0) FROM ev_char WHERE ch = ? AND removed <= ?", (needle, int(not hide))
                ).fetchone()[0]
                return n
            if not self.text_ready or "\x00" in needle or self._has_odd():
                return None
            n = 0
            if len(needle) == 3:
                expr = _trigrams(needle)
            else:  # the trigrams the index holds that start with the pair, and the texts it ends
                grams = (needle + c for c in self._alphabet())
                expr = " OR ".join(_quoted(g) for g in grams if self._indexed(g))
                n = self.conn.execute("SELECT coalesce(sum(n), 0) FROM ev_tail WHERE tail = ?", (needle,)).fetchone()[0]
            if expr:
                n += self.conn.execute("SELECT count(*) FROM ev_text WHERE ev_text MATCH ?", (expr,)).fetchone()[0]
            if hide:
                n -= self.conn.execute(
                    "SELECT count(*) FROM ev WHERE removed AND instr(CAST(hay AS BLOB), ?) > 0",
                    (needle.encode("utf-8"),),
                ).fetchone()[0]
        return n

    def _alphabet(self) -> list[str]:
        if self._chars is None:
            self._chars = [c for (c,) in self.conn.execute("SELECT DISTINCT ch FROM ev_char")]
        return self._chars

    def _indexed(self, trigram: str) -> bool:
        """Whether some text holds the trigram (a `MATCH` of every candidate costs the index a
        pass over each for every event it holds: most of them hold none)."""
        known = self._trigram_seen.get(trigram)
        if known is None:
            known = self._trigram_seen[trigram] = bool(
                self.conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM ev_text WHERE ev_text MATCH ?)", (_quoted(trigram),)
                ).fetchone()[0]
            )
        return known

    def _has_odd(self) -> bool:
        if self._odd is None:
            self._odd = bool(
                self.conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM ev WHERE nul) OR EXISTS (SELECT 1 FROM ev_short)"
                ).fetchone()[0]
            )
        return self._odd

    KEEP_ANSWERS = 8  # temporary tables of answers kept (`Matches`); older ones are dropped

    def materialize(self, query: Query, order: str) -> tuple[str, int]:
        """Run a query once into a temporary table of its matches in `order` (rowid = rank
        from 1): (the table's name, the number of matches)."""
        where, params = self.where(query)
        with self.lock:
            tables = self._answers
            self._made += 1
            name = f"temp.answer_{self._made}"
            self.conn.execute(f"CREATE TABLE {name} (rank INTEGER PRIMARY KEY, pos INTEGER NOT NULL)")
            n = self.conn.execute(
                f"INSERT INTO {name} (pos) SELECT pos FROM ev WHERE {where} ORDER BY {ORDERS[order]}", params
            ).rowcount
            tables.append(name)
            while len(tables) > self.KEEP_ANSWERS:
                self.conn.execute(f"DROP TABLE IF EXISTS {tables.pop(0)}")
        return name, n

    def ranked(self, table: str, start: int, limit: int) -> list[int] | None:
        """Positions of the matches ranked start to start+limit in an answer table; None when
        the table has been dropped."""
        with self.lock:
            if table not in self._answers:
                return None
            return [
                p
                for (p,) in self.conn.execute(
                    f"SELECT pos FROM {table} WHERE rank > ? AND rank <= ? ORDER BY rank", (start, start + limit)
                )
            ]

    def rank_of(self, table: str, event_id: str) -> int | None | bool:
        """Where an event is in an answer table (None: not in it); False when the table is gone."""
        with self.lock:
            if table not in self._answers:
                return False
            got = self.conn.execute(
                f"SELECT rank - 1 FROM {table} WHERE pos = (SELECT pos FROM ev WHERE id = ?)", (event_id,)
            ).fetchone()
        return None if got is None else int(got[0])

    def titled(self, text: str, limit: int) -> list[Event]:
        """Up to `limit` events whose title or id holds `text` (casefolded), newest first: the
        command palette's "jump to" on a dataset too big to list in memory."""
        needle = text.casefold()
        with self.lock:
            got = [
                p
                for (p,) in self.conn.execute(
                    "SELECT pos FROM ev WHERE instr(title, ?) > 0 OR instr(lower(id), ?) > 0 ORDER BY pos LIMIT ?",
                    (needle, needle, limit),
                )
            ]
        events = self.ds.events
        at = getattr(events, "at", None)
        return list(at(got)) if at is not None else [events[p] for p in got]

    def matches(self, query: Query, order: str = "date") -> Matches:
        """The events a query matches, in an order, as a sequence that asks for them as drawn."""
        return Matches(self, query, order)


class Matches(Sequence[Event]):
    """A query's answer as a list that holds only its length and the pages asked for: the
    event list draws a screenful of a million matches without fetching the other rows.

    A query with terms is run once, into a temporary table of its matches in order (its
    rowid is the rank): the count, every page, where an id is and the whole answer are then
    read from that table, not by running the query again (a common word among a million
    events costs its query once, not once for the count, once for each page and once for the
    highlight).  Without terms the index's own order is paged directly.

    Except a word of 1–3 characters in the date order (what the first keystrokes of a word
    ask): its count comes from `EventIndex.quick_count` without reading its matches, and its
    pages are read in order with a LIMIT, from the start or, nearer the end, from the end
    (`G`); a common word fills a page after a few thousand texts read.  A page far from both
    ends runs the query into its table then, once."""

    PAGE = 512
    NEAR = 4 * PAGE  # matches skipped, at most, to read a page without its table

    def __init__(self, index: EventIndex, query: Query, order: str) -> None:
        self.engine, self.query, self.order = index, query, order
        self._table: str | None = None
        self._lazy = False  # counted, not run: pages read from the query itself
        self._scan = False  # and its word read from the text, not the text index
        quick = index.quick_count(query, order) if query.terms else None
        if quick is not None:
            self._len, self._lazy = quick, True
            # a common word (1 event in 32 or more): reading in order finds a page in a few
            # thousand events, sooner than the text index gathers all of them
            self._scan = quick * 32 >= len(index.ds.events)
        elif query.terms:
            self._table, self._len = index.materialize(query, order)
        else:
            self._len = index.count(query)
        self._pages: dict[int, list[int]] = {}
        self._where: dict[str, int | None] = {}
        self._read: set[int] = set()  # pages whose events were read in one query
        if self._len:
            self.position_at(0)  # the first screenful, asked where the count was (off the UI thread)

    def __len__(self) -> int:
        return self._len

    def _positions(self, start: int, limit: int) -> list[int]:
        if self._lazy:
            end = min(start + limit, self._len)
            engine, q, scan = self.engine, self.query, self._scan
            if start <= self.NEAR:
                return engine.positions(q, start, end - start, self.order, scan_words=scan)
            if self._len - end <= self.NEAR:
                back = engine.positions(q, self._len - end, end - start, self.order, scan_words=scan, from_end=True)
                return back[::-1]
            self._table, _ = engine.materialize(q, self.order)  # far from both ends: run it once
            self._lazy = False
        if self._table is not None:
            got = self.engine.ranked(self._table, start, limit)
            if got is not None:
                return got
            self._table = None  # dropped (many newer answers since): ask the query itself
        return self.engine.positions(self.query, start, limit, self.order)

    def position_at(self, i: int) -> int:
        """The dataset position of the i-th match."""
        if not 0 <= i < self._len:
            raise IndexError(i)
        page = self._pages.get(i // self.PAGE)
        if page is None:
            if len(self._pages) > 64:
                self._pages.clear()
                self._read.clear()
            page = self._pages[i // self.PAGE] = self._positions((i // self.PAGE) * self.PAGE, self.PAGE)
        return page[i % self.PAGE]

    @overload
    def __getitem__(self, i: int) -> Event: ...

    @overload
    def __getitem__(self, i: slice) -> list[Event]: ...

    def __getitem__(self, i: int | slice) -> Event | list[Event]:
        events: Sequence[Event] = self.engine.ds.events
        if isinstance(i, slice):
            return [events[self.position_at(k)] for k in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        pos = self.position_at(i)
        at = getattr(events, "at", None)  # events kept in the store: read a page's in one query
        if at is not None and i // self.PAGE not in self._read:
            self._read.add(i // self.PAGE)
            at(self._pages[i // self.PAGE])
        return events[pos]

    def __iter__(self) -> Iterator[Event]:
        """Every match in order, read a few thousand at a time (the positions asked once:
        paging by OFFSET would cost the square of the count)."""
        events = self.engine.ds.events
        at = getattr(events, "at", None)
        positions = self._positions(0, self._len)
        for start in range(0, len(positions), 5000):
            chunk = positions[start : start + 5000]
            yield from (at(chunk) if at is not None else [events[p] for p in chunk])

    def index_of(self, event_id: str) -> int | None:
        """Where the event is among the matches, or None when it is not one of them (kept:
        the filter's worker asks for the highlighted event, the list asks again when drawn)."""
        if event_id not in self._where:
            found = self.engine.rank_of(self._table, event_id) if self._table is not None else False
            if found is False:
                found = self.engine.position(self.query, event_id, self.order, scan_words=self._scan)
            self._where[event_id] = found
        return self._where[event_id]


class IndexWriter:
    """Fills an `EventIndex`'s tables (and the analysis tables, `_ANALYSIS_TABLES`) a chunk of
    events at a time, in dataset order, so that a writer streaming a million events from the
    store (`briefing.stored`) never holds them all; `finish` adds the indexes and the sums.
    The caller has made the tables (`EventIndex.create`) and holds the transaction."""

    def __init__(self, conn: sqlite3.Connection, haystack: Any) -> None:
        self.conn, self.haystack = conn, haystack
        self.codes: dict[tuple[str, str, str | None], int] = {}
        for statement in _ANALYSIS_TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)

    def code(self, kind: str, k1: str, k2: str | None = None) -> int:
        codes = self.codes
        c = codes.get((kind, k1, k2))
        if c is None:
            c = codes[(kind, k1, k2)] = len(codes)
        return c

    def add(self, first: int, events: Sequence[Event]) -> None:
        """The events at positions first, first + 1, ... into the tables (one pass over each
        event: its total and its comparisons are worked out once, for both kinds of table)."""
        from briefing.analysis import ACLED_PREFIX, parse_high, parse_low
        from briefing.compare import compare, total_of

        haystack, code = self.haystack, self.code
        evs: list[tuple[Any, ...]] = []
        tags: list[tuple[int, str]] = []
        actors: list[tuple[int, str]] = []
        sources: list[tuple[int, str]] = []
        rows: list[tuple[Any, ...]] = []
        roles: list[tuple[Any, ...]] = []
        srcs: list[tuple[Any, ...]] = []
        for pos, e in enumerate(events, first):
            figures = e.figures
            comps = compare(figures) if figures else []  # once: the total, the disputes
            total = total_of([c for c in comps if c.metric == "killed"]) if comps else None
            if total is None:
                lo = hi = killed = None
                rank = -1
            else:
                lo, hi = total.low, total.high
                rank = killed = lo if hi is None else hi  # `sorting.killed_order`
            hay = haystack(e)
            evs.append(
                (
                    pos,
                    e.id,
                    e.country.casefold(),
                    e.type,
                    e.sub_type,
                    date_low(e.date),
                    date_high(e.date),
                    # `compare.is_disputed`: a dispute among more than one claim
                    int(any(c.disputed and len(c.claims) + len(c.superseded) > 1 for c in comps)),
                    killed,
                    e.title.casefold(),
                    hay,
                    int("\x00" in hay),
                    e.admin1.casefold() if e.admin1 is not None else None,
                    int(REMOVED_TAG in e.tags),
                )
            )
            tags.extend((pos, t) for t in {x.casefold() for x in e.tags})
            actors.extend((pos, a) for a in {*(ar.actor for ar in e.actors), *(f.claimed_by for f in figures)})
            sources.extend(
                (pos, s) for s in {*e.sources, *(f.source for f in figures), *(f.via for f in figures if f.via)}
            )
            # the analysis tables: what `trend_queries` needs to compute `analysis.Trends` and
            # the brief's lists without reading every event back
            pairs: dict[tuple[str, str], int | None] = {}
            for ar in e.actors:
                pairs.setdefault((ar.actor, ar.role), len(pairs))
            firsts: dict[str, int] = {}  # `summary.roles_in`'s order: actors, then claimants
            for ar in e.actors:
                firsts.setdefault(ar.actor, len(firsts))
            for f in figures:
                firsts.setdefault(f.claimed_by, len(firsts))
                pairs.setdefault((f.claimed_by, "claimant"), None)
            roles.extend(
                (pos, code("r", a, r), code("a", a), int(k is not None), k, firsts[a]) for (a, r), k in pairs.items()
            )
            cited = dict.fromkeys(e.sources)
            for f in figures:
                cited.setdefault(f.source)
            srcs.extend((pos, code("s", s), i) for i, s in enumerate(cited))
            first_day, last_day = parse_low(e.date), parse_high(e.date)
            rows.append(
                (
                    pos,
                    e.country,
                    e.admin1,
                    e.type,
                    e.date,
                    first_day.toordinal(),
                    last_day.toordinal(),
                    first_day.year * 12 + first_day.month - 1,
                    last_day.year * 12 + last_day.month - 1,
                    lo,
                    hi,
                    int(bool(total and total.derived)),
                    sum(c.disputed for c in comps),
                    len(figures),
                    rank,
                    int(e.id.startswith(ACLED_PREFIX)),
                )
            )
        conn = self.conn
        conn.executemany("INSERT INTO ev VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", evs)
        conn.executemany("INSERT INTO ev_tag VALUES (?, ?)", tags)
        conn.executemany("INSERT INTO ev_actor VALUES (?, ?)", actors)
        conn.executemany("INSERT INTO ev_source VALUES (?, ?)", sources)
        conn.executemany("INSERT INTO an_ev VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO an_role VALUES (?, ?, ?, ?, ?, ?)", roles)
        conn.executemany("INSERT INTO an_source VALUES (?, ?, ?)", srcs)

    def finish(self) -> None:
        """The indexes, then the sums made once (`an_code`, `an_day`, `an_cube`, ...)."""
        conn, codes = self.conn, self.codes
        for statement in _INDEXES.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.executemany("INSERT INTO an_code VALUES (?, ?, ?, ?)", ((c, *k) for k, c in codes.items()))
        conn.execute("INSERT INTO an_day SELECT a_lod, min(pos), max(pos) FROM an_ev GROUP BY a_lod")
        crossed = conn.execute(
            "SELECT count(*) FROM (SELECT first, lag(last) OVER (ORDER BY day DESC) AS before FROM an_day) "
            "WHERE first <= before"
        ).fetchone()[0]
        conn.execute("INSERT INTO an_meta VALUES ('ordered', ?)", (int(crossed == 0),))
        for statement in _SUMS:
            conn.execute(statement)


def _trigrams(needle: str) -> str | None:
    """An FTS5 query for the events whose text holds every trigram of `needle` (each a quoted
    string: no character of it is query syntax); None when the index cannot answer it (under 3
    characters, a NUL, text that is not UTF-8)."""
    if len(needle) < 3 or "\x00" in needle or not _utf8(needle):
        return None
    grams = dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2))
    return " AND ".join(map(_quoted, grams))


def _quoted(text: str) -> str:
    """text as an FTS5 string: every character of it taken as text, none as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: SQLite cannot be given it as text
        return False
    return True


def _marks(values: list[Any]) -> str:
    return ", ".join("?" * len(values))


_built: list[tuple[Any, EventIndex]] = []  # the indexes of the last two datasets asked about
_building = threading.Lock()


def index_for(dataset: Any) -> EventIndex:
    """The EventIndex of a dataset, built on first use (its text index left to
    `build_text_index`) and kept while the dataset is one of the last two asked about (the
    TUI's, and the one it replaces as the rest of a file loads).  Worker threads may ask at
    once: the second waits for the first's build."""
    stored = getattr(dataset, "index", None)
    if stored is not None:  # the store's view keeps its index on disk (`briefing.stored`)
        return stored  # type: ignore[no-any-return]
    with _building:
        for ds, index in _built:
            if ds is dataset:
                return index
        index = EventIndex(dataset, text_index=False)
        _built[:] = [*_built[-1:], (dataset, index)]
        return index
