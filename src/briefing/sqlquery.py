"""The filter language compiled to SQL, over an index of a dataset's events in SQLite.

Why: a list that asks for the rows it draws, the match count and the position of an id
needs a query engine, not a Python list of every match.  The meaning of the filter language
is `filters.Query.matcher` (the reference implementation, the oracle): `tests/test_sqlquery.py`
holds this compiler to it with hypothesis on generated data.

Text search (a bare word) means a substring of the same folded search text the reference
uses (`Dataset.haystack`: `dataset.fold`, without regard to case or accents, as the word is),
answered from two FTS5 indexes of it (decided for issue
10, round 5; numbers in bench/README.md, "The text index at 1M"):

* a word index (`ev_words`, `unicode61` with nothing folded or stripped: no diacritics
  removed, letters, digits, marks, private-use characters and `-` as token characters;
  contentless, `detail=none`) and its vocabulary (`ev_term`, each term with its number of
  events).  For a word made only of characters the tokenizer keeps as they are
  (`_word_chars`: asked of SQLite itself, for the characters the texts hold), "the text
  holds the word" is exactly "one of the text's tokens holds it" (extend the occurrence to
  its maximal run of token characters: that run is a token).  So the word is the `OR` of the
  vocabulary terms that hold it (found with the vocabulary's own trigram index,
  `ev_term_text`: a real export's notes name far more distinct words than a synthetic one,
  too many to read through at each keystroke; bench/README.md, "A real vocabulary"), several
  words and `country:` terms are `AND`ed in one `MATCH` (each event's country is a token of
  its own, `_country_token`), and no text is read to confirm.
  A query the word index answers alone (its bare words and `country:` terms, in the date
  order) is counted and paged from the index (the lists are in position order: a page is a
  `LIMIT`, where an event is is a count below its position), not run into a table.  Used for
  words of 4 characters or more, and of 2 or more beside such a word or a `country:` term
  (`_word_plan`); a word that more than `_WORD_TERMS` terms hold is left to the trigram index.
  It builds in a small part of the trigram index's time and size, and answers a common word
  (`iraq`, `country:mali attack`) without reading the texts the trigram index's answer had to
  be confirmed on: the cost that kept those keystrokes far over the target at 1M.
  FTS5 keeps the first 32,768 bytes of a token: the events whose text is longer than that
  (`ev_long`) are checked on their text.
* the trigram index (`ev_text`, `trigram`, case-sensitive, `detail=none`) for the rest: a
  word holding a separator (a space inside quotes, `(`, `.`, ...) or a character the word
  index changes, and the words of 1–3 characters below.  Such a word is asked as the `AND` of
  its trigrams (`MATCH`: the index's own lists, no text read) and, from 4 characters, each
  event found is checked with `instr()` on its text (holding every trigram of a word is not
  holding the word).  Of a query's words, the longest goes to the index and the others are
  checked against the text of the events it leaves.  FTS5 stops reading a text at a NUL
  character, so the few events whose text holds one are always scanned too, and a word
  holding one is only scanned for.  The trigram index stays: it counts a pair of characters
  (`al`, `ir`) faster than the word index's `OR` of every term holding the pair (measured:
  bench/README.md), and answers the words with separators, which the word index could only
  narrow down to texts to read.

Words of 1–2 characters (decided for issue 10): they mean what they mean everywhere else, a
substring of the search text (the filter language does not change with a word's length;
`a` matches nearly every event).  What changes is how they are answered, since a trigram
index cannot look them up:
* alone (and in the date order), the count is read, not scanned: a character's from
  `ev_char` (per character, the events whose text holds it, counted as the index is
  built: `IndexWriter._count`), a pair's from the trigram index (the events holding a trigram that starts
  with the pair, an `OR` of those the index holds, plus those whose text ends with the pair
  and has it nowhere else: `ev_tail`), 3 characters from its one trigram
  (`quick_count`).  The list's pages are then read in order with a LIMIT (`Matches`): such a
  word matches most events, so a page is found after a few thousand texts read; a rare one
  (a pair few texts hold) is still a scan of every text for its first page.  A text under 3
  characters or holding a NUL is not in the trigram index whole; where there is one, only
  single characters are counted this way;
* with other terms, they are checked with `instr()` on the events the other terms leave
  (2 characters beside an anchor: the word index, above), and a character every text holds
  (`ev_char`) is no condition at all; a word whose count is bounded both ways by the same
  number (its rarest character's events, its commonest vocabulary term's) is counted from
  those (`_bounded`: `co` in the synthetic exports, in every event);
* a table of pairs (like `ev_char`) was measured and not kept: counting the pairs of every
  text in Python at import costs several times what the characters cost, for counts the
  trigram index gives already (bench/README.md has both).

`changed:DATE` asks the sync ledger (`briefing.ledger.changed_ids`) for its ids; `removed`
and the default hiding of the events ACLED removed (unless a query names `removed`) read the
`acled-removed` tag, as `filters.Query.matcher` does.

Orders are `briefing.sorting`'s, by name: `date` (the dataset's order: newest first, then
id), `killed` (`compare.Total.rank` of `event_total`, none last), `country` (folded, as the
`country:` term matches it), `title` (casefolded), each then by the dataset's order.  Answers may be asked from worker threads
(the TUI filters off its UI thread): one lock serialises them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from itertools import chain
from typing import Any, NamedTuple, overload

from briefing.dataset import fold
from briefing.filters import FilterError, Query, Term, actor_ids, changed_since, source_ids, term_values, type_slugs
from briefing.ledger import changed_ids, has_ledger
from briefing.records import LONGEST, Event, date_high, date_low
from briefing.store import memory_db
from briefing.vocab import GAVE_FIGURES, REMOVED_TAG, ROLES

ORDERS = {"date": "pos", "killed": "killed IS NULL, killed DESC, pos", "country": "country, pos", "title": "title, pos"}

# ev holds what the filter's fields ask, narrow rows read fast; the search text (`ev_hay`, the
# text indexes' content) is a table of its own, asked by position.  ev_source is kept by position
# (the sources of a selection: the brief's list) and indexed by source (the `source:` filter);
# ev_tag and ev_actor are only asked by tag and by actor.
_TABLES = """
CREATE TABLE ev (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, country TEXT NOT NULL, type TEXT NOT NULL,
                 sub_type TEXT, lo TEXT NOT NULL, hi TEXT NOT NULL, disputed INTEGER NOT NULL,
                 killed INTEGER, title TEXT NOT NULL, nul INTEGER NOT NULL,
                 admin1 TEXT, removed INTEGER NOT NULL);
CREATE TABLE ev_hay (pos INTEGER PRIMARY KEY, hay TEXT NOT NULL);
CREATE TABLE ev_tag (pos INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE ev_actor (pos INTEGER NOT NULL, actor TEXT NOT NULL);
CREATE TABLE ev_source (pos INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (pos, source)) WITHOUT ROWID;
CREATE VIRTUAL TABLE ev_text USING fts5(hay, content='ev_hay', content_rowid='pos',
                                        tokenize='trigram case_sensitive 1', detail=none);
CREATE VIRTUAL TABLE ev_words USING fts5(words, content='', tokenize="{tokenizer}", detail=none);
CREATE TABLE ev_term (id INTEGER PRIMARY KEY, term TEXT NOT NULL, n INTEGER NOT NULL);
CREATE VIRTUAL TABLE ev_term_text USING fts5(term, content='ev_term', content_rowid='id',
                                             tokenize='trigram case_sensitive 1', detail=none);
"""

# The word index's tokenizer: a token is a run of letters, digits, marks, private-use
# characters and `-` (so `al-shabaab` is one token); nothing is folded or stripped that a
# folded text holds (`EventIndex._word_chars` asks SQLite which characters are so, for the
# texts at hand).  FTS5 keeps the first 32,768 bytes of a longer token: texts that long are
# checked on their text (`ev_long`).
_WORDS_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*' tokenchars '-'"
_TABLES = _TABLES.replace("{tokenizer}", _WORDS_TOKENIZER)
_LONG_TEXT = 32_768  # bytes
# the word index's rows of the events at positions ? to ?: the text, then its country's token
# (`_country_token`: the marker, then the hex digits of the folded name's UTF-8 bytes)
_WORD_ROWS = (
    "INSERT INTO ev_words(rowid, words) SELECT pos, hay || char(10) || ? || lower(hex(country)) "
    "FROM ev JOIN ev_hay USING (pos) WHERE pos >= ? AND pos < ?"
)
_HAY = "(SELECT hay FROM ev_hay WHERE ev_hay.pos = ev.pos)"  # an event's search text, in a condition over `ev`
_WORD_TERMS = 200  # most vocabulary terms a word is asked as (an OR of more costs more than it saves)
# vocabulary terms read through to find those holding a word of 1-2 characters (its trigram
# index, `ev_term_text`, finds them for longer words); a bigger vocabulary leaves such a word
# to the other indexes (a real export's notes name 10^5 to 10^6 distinct words: bench/README.md)
_SCAN_TERMS = 50_000
# ev_kind: the number of events per (country, type, sub-type, disputed, removed), the columns
# those filter terms ask: a query made only of such terms is counted from it with its own
# condition (`EventIndex._kind_count`), not by reading the events it matches (a common type is
# a large share of a big export: bench/README.md, round 15).
_KIND = "country, type, sub_type, disputed, removed"
_KIND_FIELDS = frozenset({"country", "type", "disputed", "removed"})
_KIND_TABLE = (
    "CREATE TABLE ev_kind (country TEXT NOT NULL, type TEXT NOT NULL, sub_type TEXT, "
    "disputed INTEGER NOT NULL, removed INTEGER NOT NULL, n INTEGER NOT NULL)"
)
_INDEXES = """
CREATE UNIQUE INDEX ev_id ON ev(id);
CREATE INDEX ev_nul ON ev(pos) WHERE nul;
CREATE INDEX ev_killed ON ev(killed IS NULL, killed DESC, pos);
CREATE INDEX ev_title ON ev(title, pos);
CREATE INDEX ev_country ON ev(country, pos);
CREATE INDEX ev_admin1 ON ev(admin1, pos) WHERE admin1 IS NOT NULL;
CREATE INDEX ev_tag_i ON ev_tag(tag, pos);
CREATE INDEX ev_actor_i ON ev_actor(actor, pos);
CREATE INDEX ev_source_i ON ev_source(source, pos);
"""

# -- what the analysis reads (`briefing.trend_queries`): tables of their own, joined on `pos` ----
# an_ev: per event, the display country/admin1 (ev keeps them folded, `dataset.fold`, for filtering) and the
#   type (so that a query without a filter need not read `ev`); the raw date; its first and last day as day numbers (`date.toordinal()`: a_lod, a_hid, the real last
#   day: ev.hi says "-31" for any month) and month numbers (year * 12 + month - 1: a_lom, a_him);
#   deaths as `analysis.event_deaths` gives them (a_dlo NULL: no figure; a_dhi NULL: open-ended
#   or no figure), a_derived (the total is a sum of groups), a_ndisp (disputed comparisons) and
#   a_ncmp (comparisons of two claims or more: none in ACLED's rows) for the brief's bottom line, the number of claims, the key-event rank, whether the id is
#   ACLED's.
# an_role: the (actor, role) pairs of an event, as numbers (an_code: grouping numbers sorts
#   faster than grouping text): listed = 1 for its `actors` (the Trends table by actor), 0 for a
#   figure's claimant (`vocab.GAVE_FIGURES`, not a role); k_ord / a_ord: where the pair / the
#   actor comes first in the event (ties keep the order first met, as in Python).
# an_source: the sources the Trends table counts (those `source:` finds an event by: cited, carrying a
#   claim, relaying one as its `via`).
# an_ev_long: the few events of several days (dated to a month or a year).
# an_cube, an_pairs, an_first, an_roles, an_srcs, an_bottom: sums made once per (filter) country, for a query
#   with no filter or with only `country:` (and dates by whole months): per unit of a frequency
#   table (dim 0 the timeline, then country, admin1, type) and first and last month, the
#   events, deaths (`DEATHS`), ACLED ids and the first position met; per
#   (actor, role) pair, listed or a claimant's only, and first and last month (an_pairs: the
#   table by actor, whose sums per month are nearly as many as the events' roles, so they are
#   kept apart from an_cube's few thousand) the same, its actor, where the pair and where its
#   actor is first met (k_met, a_met) and its first day; from an_pairs, per actor its first day
#   (an_first) and per pair its events, as `summary.gather` counts them (an_roles); the sources;
#   per display country the brief's bottom line and dates (an_bottom: `BOTTOM`).
# an_code: the numbers of actors (kind 'a'), (actor, role) pairs ('r') and sources ('s').
# an_day: per first day, the positions of its events; an_meta `ordered` = 1 when first days
#   never rise with the position (newest first), so a run of days is a run of positions.
_ANALYSIS_TABLES = """
CREATE TABLE an_ev (pos INTEGER PRIMARY KEY, a_country TEXT NOT NULL, a_admin1 TEXT, a_type TEXT NOT NULL,
                    a_date TEXT NOT NULL,
                    a_lod INTEGER NOT NULL, a_hid INTEGER NOT NULL, a_lom INTEGER NOT NULL,
                    a_him INTEGER NOT NULL, a_dlo INTEGER, a_dhi INTEGER, a_derived INTEGER NOT NULL,
                    a_ndisp INTEGER NOT NULL, a_claims INTEGER NOT NULL, a_rank INTEGER NOT NULL,
                    a_acled INTEGER NOT NULL, a_ncmp INTEGER NOT NULL);
CREATE TABLE an_role (pos INTEGER NOT NULL, r_pair INTEGER NOT NULL, r_actor INTEGER NOT NULL,
                      r_listed INTEGER NOT NULL, r_kord INTEGER, r_aord INTEGER NOT NULL,
                      PRIMARY KEY (pos, r_pair)) WITHOUT ROWID;
CREATE TABLE an_source (pos INTEGER NOT NULL, s_source INTEGER NOT NULL, s_ord INTEGER NOT NULL,
                        PRIMARY KEY (pos, s_source)) WITHOUT ROWID;
CREATE TABLE an_code (code INTEGER PRIMARY KEY, kind TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT);
CREATE INDEX an_ev_long ON an_ev(pos) WHERE a_hid > a_lod;
CREATE TABLE an_cube (dim INTEGER NOT NULL, cf TEXT NOT NULL, kt TEXT NOT NULL, k1 NOT NULL, k2 NOT NULL,
                      lom INTEGER NOT NULL, him INTEGER NOT NULL, n INTEGER NOT NULL, wf INTEGER NOT NULL,
                      lo INTEGER NOT NULL, hi INTEGER NOT NULL, open INTEGER NOT NULL, acled INTEGER NOT NULL,
                      met INTEGER NOT NULL, PRIMARY KEY (dim, kt, cf, k1, k2, lom, him)) WITHOUT ROWID;
CREATE TABLE an_pairs (cf TEXT NOT NULL, kt TEXT NOT NULL, listed INTEGER NOT NULL, pair INTEGER NOT NULL,
                       lom INTEGER NOT NULL, him INTEGER NOT NULL, actor INTEGER NOT NULL, n INTEGER NOT NULL,
                       wf INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, open INTEGER NOT NULL,
                       k_met INTEGER, a_met INTEGER NOT NULL, lod INTEGER NOT NULL,
                       PRIMARY KEY (kt, cf, listed, pair, lom, him)) WITHOUT ROWID;
CREATE TABLE an_first (cf TEXT NOT NULL, kt TEXT NOT NULL, actor INTEGER NOT NULL, lod INTEGER NOT NULL,
                       met INTEGER NOT NULL, PRIMARY KEY (kt, cf, actor)) WITHOUT ROWID;
CREATE TABLE an_roles (cf TEXT NOT NULL, kt TEXT NOT NULL, pair INTEGER NOT NULL, n INTEGER NOT NULL,
                       met INTEGER NOT NULL, PRIMARY KEY (kt, cf, pair)) WITHOUT ROWID;
CREATE TABLE an_srcs (cf TEXT NOT NULL, kt TEXT NOT NULL, source TEXT NOT NULL,
                      PRIMARY KEY (kt, cf, source)) WITHOUT ROWID;
CREATE TABLE an_bottom (cf TEXT NOT NULL, kt TEXT NOT NULL, country TEXT NOT NULL, n INTEGER NOT NULL,
                        wf INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, open INTEGER NOT NULL,
                        derived INTEGER NOT NULL, ndisp INTEGER NOT NULL, nevents INTEGER NOT NULL,
                        minpos INTEGER NOT NULL, minlod INTEGER NOT NULL, maxhim INTEGER NOT NULL,
                        ncmp INTEGER NOT NULL, PRIMARY KEY (kt, cf, country)) WITHOUT ROWID;
CREATE TABLE an_day (day INTEGER PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE TABLE an_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
"""

# The sums' key beside the country (`kt`, first in their keys): the event's type and sub-type,
# so that a selection by `type:` (a type or a sub-type) is summed from its own rows.  Both are
# vocabulary slugs (letters and `-`), so char(31) joins them unambiguously; `ev_kind` makes the
# same key.  `kt` '' (no kind's key is empty) holds every kind's sums added up per country:
# what a selection by country alone, or of everything, reads (as many rows as before kinds).
KIND_KEY = "type || char(31) || coalesce(sub_type, '')"
EVERY_KIND = "''"
# deaths of the rows of a group: events, with a figure, low, high, open-ended ones (the sums
# below and `trend_queries`' questions)
DEATHS = "count(*), count(a_dlo), coalesce(sum(a_dlo), 0), coalesce(sum(a_dhi), 0), count(a_dlo) - count(a_dhi)"
# the same of a group's rows, named (the cube's cells), and of rows of such sums (a sum of cells)
DEATHS_NAMED = (
    "count(*) AS n, count(a_dlo) AS wf, coalesce(sum(a_dlo), 0) AS lo, coalesce(sum(a_dhi), 0) AS hi, "
    "count(a_dlo) - count(a_dhi) AS open"
)
DEATHS_SUMMED = "sum(n), sum(wf), sum(lo), sum(hi), sum(open)"
# the brief's bottom line, its countries and its dates, per country (`trend_queries.gather_index`)
BOTTOM = (
    f"{DEATHS}, sum(a_derived), sum(a_ndisp), count(CASE WHEN a_ndisp > 0 THEN 1 END), "
    f"min(pos), min(a_lod * {1 << 32} + pos), max(a_him), sum(a_ncmp)"
)
# the same beyond the deaths, of the cube's cells (whose last month is one of their keys), and
# of rows of those cells
BOTTOM_NAMED = (
    "sum(a_derived) AS derived, sum(a_ndisp) AS ndisp, count(CASE WHEN a_ndisp > 0 THEN 1 END) AS nevents, "
    f"min(pos) AS minpos, min(a_lod * {1 << 32} + pos) AS minlod, sum(a_ncmp) AS ncmp"
)
BOTTOM_SUMMED = "sum(derived), sum(ndisp), sum(nevents), min(minpos), min(minlod), max(him), sum(ncmp)"
# The sums per country (`IndexWriter.finish`, after every event's rows), in order, each with
# `@EV@` / `@CF@` where the events' (ev.country) / the sums' (cf) countries may be narrowed
# (`_sums`: a view patched in place makes those of the countries its edit touched again).
_SUM_TEMPLATES = (
    # the cube's finest cells (per country, kind, display country, admin1, type and months) in
    # one pass over the events, each dimension then summed from those few cells, rather than
    # four passes over the events (bench/README.md, round 26)
    "CREATE TEMP TABLE an_cells AS SELECT country AS cf, "
    f"{KIND_KEY} AS kt, a_country AS c1, coalesce(a_admin1, '') AS c2, a_type AS ty, a_lom AS lom, a_him AS him, "
    f"{DEATHS_NAMED}, sum(a_acled) AS acled, min(pos * 1048576) AS met, {BOTTOM_NAMED} "
    "FROM ev JOIN an_ev USING (pos) @EV@ GROUP BY 2, 1, 3, 4, 5, 6, 7",
    *(
        f"INSERT INTO an_cube SELECT {dim}, cf, kt, {keys}, lom, him, {DEATHS_SUMMED}, sum(acled), min(met) "
        "FROM temp.an_cells GROUP BY 3, 2, 4, 5, 6, 7"
        for dim, keys in (
            (0, "'', ''"),
            (1, "c1, ''"),
            (2, "c1, c2"),
            (3, "ty, ''"),
            # by actor: an_pairs, below; by source: summed from the events when asked (the
            # brief has no table by source; the Trends screen works it out on a thread)
        )
    ),
    f"INSERT INTO an_bottom SELECT cf, kt, c1, {DEATHS_SUMMED}, {BOTTOM_SUMMED} FROM temp.an_cells GROUP BY 2, 1, 3",
    "DROP TABLE temp.an_cells",
    # every event's roles grouped once (the costly GROUP BY: bench/README.md, bench_trends.py);
    # an_first and an_roles are sums of those sums, not two more passes over the roles
    f"INSERT INTO an_pairs SELECT country, {KIND_KEY}, r_listed, r_pair, a_lom, a_him, r_actor, "
    f"{DEATHS}, min(pos * 1048576 + r_kord), min(pos * 1048576 + r_aord), min(a_lod) "
    "FROM ev JOIN an_ev USING (pos) JOIN an_role USING (pos) @EV@ GROUP BY 2, 1, 3, 4, 5, 6",
    # the sources by their numbers (an_source), named once made distinct: grouping numbers
    # sorts faster than grouping names
    f"INSERT INTO an_srcs SELECT cf, kt, k1 FROM (SELECT DISTINCT country AS cf, {KIND_KEY} AS kt, s_source "
    "FROM ev JOIN an_source USING (pos) @EV@) JOIN an_code ON code = s_source",
    # every kind added up per country (kt ''), from the sums per kind: sums and least values
    f"INSERT INTO an_cube SELECT dim, cf, '', k1, k2, lom, him, {DEATHS_SUMMED}, "
    "sum(acled), min(met) FROM an_cube WHERE kt <> '' @CF@ GROUP BY dim, cf, k1, k2, lom, him",
    f"INSERT INTO an_pairs SELECT cf, '', listed, pair, lom, him, min(actor), {DEATHS_SUMMED}, "
    "min(k_met), min(a_met), min(lod) FROM an_pairs WHERE kt <> '' @CF@ "
    "GROUP BY cf, listed, pair, lom, him",
    "INSERT INTO an_srcs SELECT DISTINCT cf, '', source FROM an_srcs WHERE kt <> '' @CF@",
    f"INSERT INTO an_bottom SELECT cf, '', country, {DEATHS_SUMMED}, sum(derived), sum(ndisp), sum(nevents), "
    "min(minpos), min(minlod), max(maxhim), sum(ncmp) FROM an_bottom WHERE kt <> '' @CF@ GROUP BY cf, country",
    # of both (per kind, every kind): sums of an_pairs' sums, not two more passes over the roles
    "INSERT INTO an_first SELECT cf, kt, actor, min(lod), min(k_met) FROM an_pairs WHERE listed = 1 @CF@ "
    "GROUP BY kt, cf, actor",
    "INSERT INTO an_roles SELECT cf, kt, pair, sum(n), min(a_met) FROM an_pairs WHERE 1 @CF@ GROUP BY kt, cf, pair",
)
SUMMED = ("an_cube", "an_pairs", "an_first", "an_roles", "an_srcs", "an_bottom")  # each has its country as cf


def _sums(within: str | None = None) -> tuple[str, ...]:
    """The sums' statements: of every country, or of those in the table `within` (its `cf`).
    The events ACLED removed are left out: a data directory that has them has a sync ledger,
    which hides them unless a query names `removed` (`trend_queries.cube_cells`)."""
    ev = "WHERE NOT ev.removed" + (f" AND ev.country IN (SELECT cf FROM {within})" if within else "")
    cf = f"AND cf IN (SELECT cf FROM {within})" if within else ""
    return tuple(" ".join(t.replace("@EV@", ev).replace("@CF@", cf).split()) for t in _SUM_TEMPLATES)


# a module's constant so that bench/bench_trends.py can time each
_SUMS = _sums()


class EventIndex:
    """A dataset's events in SQLite (in memory unless given a connection), queried with the
    filter language.  Answers are positions in `dataset.events` or the events themselves."""

    def __init__(self, dataset: Any, *, text_index: bool = True) -> None:
        """An index of `dataset` built now, in memory (the store's view builds its own with
        `create` and `fill`, and opens it with `attach`).  `text_index=False`: the FTS index is
        left for `build_text_index` (the TUI builds it in the background, after the rest); until
        it is complete, bare words are scanned."""
        self._start(dataset, memory_db(), False)
        with self.lock:
            self.conn.execute("BEGIN")
            self.create(self.conn)
            self.fill(self.conn, dataset)
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
        self._selections: dict[tuple[Any, ...], str] = {}  # `selection`: its temporary tables, oldest first
        self._made = 0
        self._chars: list[str] | None = None  # every character of the search texts (`ev_char`)
        self._odd: bool | None = None  # some text the trigram index does not hold whole
        self._trigram_seen: dict[str, bool] = {}  # trigrams looked up: whether the index holds them
        self._words_of: tuple[frozenset[str], str | None, bool] | None = None  # `_word_chars`
        self._terms: dict[str, list[str] | None] = {}  # word -> the vocabulary terms holding it
        self._vocab_n: int | None = None  # the number of vocabulary terms
        self._everywhere: set[str] | None = None  # the characters every text holds
        self._date_bounds: dict[tuple[str, str], int | None] = {}  # (since/until, day) -> `_date_bound`
        self._ordered: bool | None = None  # `ordered`

    def build_text_index(self, chunk: int = 5000) -> None:
        """Fill the FTS indexes a chunk of events at a time, letting queries in between (they
        scan until it is complete): the slowest part of the build, ~2/3 of it at 100k events."""
        with self._text_lock:
            if self.text_ready:
                return
            n = len(self.ds.events)
            for lo in range(0, max(n, 1), chunk):
                with self.lock:
                    self.fill_text(self.conn, lo, lo + chunk if lo + chunk < n else None)
            self.text_ready = True

    @staticmethod
    def fill_text(conn: sqlite3.Connection, lo: int = 0, hi: int | None = None) -> None:
        """Index the search text of the events at positions lo to hi (all from lo when hi is
        None) in both text indexes (`index_text`); with the last events (hi None), the word
        index's vocabulary (`fill_vocabulary`).  `IndexWriter.finish` has run (the alphabet:
        `ev_char`)."""
        mark = EventIndex.marker(conn)
        EventIndex.index_text(conn, lo, hi, mark)
        if hi is None:
            EventIndex.fill_vocabulary(conn, mark)

    @staticmethod
    def marker(conn: sqlite3.Connection) -> str:
        """The character that begins a country's token in the word index (`_marker`), from
        the alphabet of the texts (`ev_char`)."""
        return _marker({ch for (ch,) in conn.execute("SELECT DISTINCT ch FROM ev_char")})

    @staticmethod
    def index_text(conn: sqlite3.Connection, lo: int, hi: int | None, mark: str) -> None:
        """The search text of the events at positions lo to hi (all from lo when hi is None)
        into the trigram index (`ev_text`) and the word index (`ev_words`: the text, then a
        token naming the event's country, `_country_token`, which begins with mark).  Two
        statements, which SQLite runs without holding Python's lock: a view's writer runs
        them on a thread of its own (`briefing.stored`)."""
        end = (1 << 62) if hi is None else hi
        conn.execute(
            "INSERT INTO ev_text(rowid, hay) SELECT pos, hay FROM ev_hay WHERE pos >= ? AND pos < ?", (lo, end)
        )
        conn.execute(_WORD_ROWS, (mark, lo, end))

    @staticmethod
    def fill_vocabulary(conn: sqlite3.Connection, mark: str) -> None:
        """The word index's vocabulary (`ev_term`: each term and the number of events holding
        it, the country tokens, which begin with mark, left out), once every event's text is
        in the word index; a word's terms are looked up in it."""
        conn.execute("CREATE VIRTUAL TABLE temp.ev_words_vocab USING fts5vocab(main, ev_words, row)")
        conn.execute(  # the country tokens are not words of the texts
            "INSERT INTO ev_term (term, n) SELECT term, doc FROM temp.ev_words_vocab WHERE term < ? OR term >= ?",
            (mark, chr(ord(mark) + 1)),
        )
        conn.execute("DROP TABLE temp.ev_words_vocab")
        conn.execute("INSERT INTO ev_term_text(ev_term_text) VALUES ('rebuild')")

    @staticmethod
    def reindex_words(conn: sqlite3.Connection, mark: str) -> None:
        """The word index emptied and filled again with mark (a view's writer chose its
        marker from its first texts, and a later text holds it)."""
        conn.execute("INSERT INTO ev_words(ev_words) VALUES ('delete-all')")
        conn.execute(_WORD_ROWS, (mark, 0, 1 << 62))

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

    # -- compiling -----------------------------------------------------------------------------
    def where(
        self, query: Query, *, scan_words: bool = False, within: tuple[int, int] | None = None
    ) -> tuple[str, list[Any]]:
        """(SQL condition over `ev`, its parameters); raises FilterError as `Query.matcher`.
        scan_words: every bare word checked on the text (`instr`), none asked of an index:
        for a common word, read in order with a LIMIT, the first matches come sooner.
        within: the caller's run of positions (first, last), met with the dates' own."""
        parts: list[str] = []
        params: list[Any] = []
        # the run of positions the dates leave: asked first, and inside the subqueries of the
        # terms with an index of their own (a tag's events, an actor's, a word's), which SQLite
        # would otherwise gather whole before meeting the run
        span = self._span(query, within)
        if span is not None:
            parts.append(_run(span)[5:])
        plan = None if scan_words else self._word_plan(query, span)
        done: set[int] = set()
        indexed = None
        if plan is not None:  # the words the word index answers, in one condition
            parts.append(f"({plan.sql})")
            params += plan.params
            done = plan.words
        else:
            # One word goes to the trigram index, the longest (likely the rarest) of those it
            # can answer; the other words are checked on the events it leaves: two indexed
            # words would each gather every match of their own before the two lists meet.
            words = [t for t in query.terms if t.field is None and not t.negated]
            indexed = max(words, key=lambda t: len(t.values[0]), default=None)
            if indexed is not None and not scan_words and self._narrower_term(query, indexed):
                indexed = None
        for i, t in enumerate(query.terms):
            if i in done:
                continue
            sql, args = self._term(t, indexed, scan_words, span)
            parts.append(f"NOT ({sql})" if t.negated else f"({sql})")
            params += args
        if self._hides_removed(query):
            parts.append("removed = 0")
        return (" AND ".join(parts) or "1"), params

    # -- the word index -----------------------------------------------------------------------
    def _word_chars(self) -> tuple[frozenset[str], str | None, bool]:
        """(the characters of the texts that the word index keeps as they are, the marker of
        its country tokens (None if SQLite would not keep it so), whether some text is too
        long for it to hold whole).  Asked of SQLite once: each character of the texts is
        tokenized alone in a scratch table; a character is kept when it comes back as itself
        and no other character comes back as it.  A word made of such characters is in a
        text exactly when it is in one of the text's tokens (extend the occurrence to its
        maximal run of token characters: that run is a token, stored unchanged)."""
        with self.lock:
            if self._words_of is None:
                alphabet = self._alphabet()
                mark = _marker(set(alphabet))
                chars = [c for c in alphabet if c != "\x00" and _utf8(c)] + [mark]
                conn = self.conn
                conn.execute(f'CREATE VIRTUAL TABLE temp.word_probe USING fts5(t, tokenize="{_WORDS_TOKENIZER}")')
                conn.execute("CREATE VIRTUAL TABLE temp.word_probe_v USING fts5vocab(temp, word_probe, instance)")
                try:
                    conn.executemany("INSERT INTO temp.word_probe(rowid, t) VALUES (?, ?)", enumerate(chars))
                    came: dict[int, list[str]] = {}
                    for doc, term in conn.execute("SELECT doc, term FROM temp.word_probe_v"):
                        came.setdefault(doc, []).append(term)
                finally:
                    conn.execute("DROP TABLE temp.word_probe_v")
                    conn.execute("DROP TABLE temp.word_probe")
                token = {c: (came[i][0] if len(came.get(i, ())) == 1 else None) for i, c in enumerate(chars)}
                made = Counter(token.values())
                kept = frozenset(c for c in chars if token[c] == c and made[c] == 1)
                long = bool(conn.execute("SELECT EXISTS (SELECT 1 FROM ev_long)").fetchone()[0])
                self._words_of = (kept - {mark}, mark if mark in kept else None, long)
            return self._words_of

    def _vocabulary(self, word: str) -> list[str] | None:
        """The word index's terms that hold `word` (kept); None when more than `_WORD_TERMS`
        do (a word so common in the vocabulary is left to the trigram index or to its text),
        or when it is too short for the vocabulary's own index and the vocabulary too big to
        read through."""
        found = self._terms.get(word, False)
        if found is False:
            with self.lock:
                got = self._holding(word, "t.term", _WORD_TERMS + 1)
            found = None if got is None or len(got) > _WORD_TERMS else [t for (t,) in got]
            if len(self._terms) > 512:
                self._terms.clear()
            self._terms[word] = found
        return found  # type: ignore[return-value]

    def _holding(self, word: str, columns: str, limit: int = -1) -> list[tuple[Any, ...]] | None:
        """`columns` of the vocabulary terms that hold `word` (at most `limit`): looked up in
        the vocabulary's trigram index (its candidates checked with `instr`), or, for a word
        under 3 characters, read through, unless the vocabulary is bigger than `_SCAN_TERMS`
        (then None).  The caller holds the lock."""
        expr = _trigrams(word)
        if expr is not None:
            return self.conn.execute(
                f"SELECT {columns} FROM ev_term_text JOIN ev_term AS t ON t.id = ev_term_text.rowid "
                "WHERE ev_term_text MATCH ? AND instr(t.term, ?) > 0 LIMIT ?",
                (expr, word, limit),
            ).fetchall()
        if self._vocabulary_size() > _SCAN_TERMS:
            return None
        return self.conn.execute(
            f"SELECT {columns} FROM ev_term AS t WHERE instr(t.term, ?) > 0 LIMIT ?", (word, limit)
        ).fetchall()

    def _vocabulary_size(self) -> int:
        if self._vocab_n is None:
            self._vocab_n = self.conn.execute("SELECT coalesce(max(id), 0) FROM ev_term").fetchone()[0]
        return self._vocab_n

    def _word_plan(self, query: Query, span: _Span | None = None) -> _WordPlan | None:
        """The bare words of a query that the word index answers, as one condition, or None.
        A word qualifies when each of its characters is kept whole by the index
        (`_word_chars`) and it is 4 characters or more, or 2 or more beside an anchor (such
        a word, or a `country:` term, whose event lists the FTS `AND` meets first); 1 and 3
        characters alone are counted from `ev_char` and the trigram index (`quick_count`).
        Each word is the `OR` of the vocabulary terms that hold it, the words are `AND`ed,
        with each `country:` term's country tokens: exact, no text read.  The events whose
        text is too long for the index to hold whole (`ev_long`) are checked on their text."""
        if not self.text_ready:
            return None
        kept, mark, long = self._word_chars()
        terms = query.terms
        words = {i: fold(t.values[0]) for i, t in enumerate(terms) if t.field is None and not t.negated}
        words = {i: w for i, w in words.items() if len(w) >= 2 and all(c in kept for c in w)}
        countries = [
            t
            for t in terms
            if mark is not None and t.field == "country" and not t.negated and all(map(_utf8, t.values))
        ]
        chosen: dict[int, list[str]] = {}
        for short in (False, True):  # the anchoring words first, then those they anchor
            if short and not (countries or chosen):
                break
            for i, w in words.items():
                if (len(w) < 4) == short and (found := self._vocabulary(w)) is not None:
                    chosen[i] = found
        if not chosen:
            return None
        groups = [" OR ".join(map(_quoted, found)) for found in chosen.values()]
        if all(groups):
            for t in countries:
                groups.append(" OR ".join(_quoted(_country_token(str(mark), fold(v))) for v in t.values))
            expr: str | None = " AND ".join(f"({g})" for g in groups)
        else:
            expr = None  # a word no term holds: no event of the index holds it
        picked = [words[i] for i in chosen]
        sources: list[str] = []
        params: list[Any] = []
        if expr is not None:
            sources.append(f"SELECT rowid FROM ev_words WHERE ev_words MATCH ?{_run(span, 'rowid')}")
            params.append(expr)
        if long:
            sources.append(
                "SELECT pos FROM ev_long JOIN ev USING (pos) WHERE "
                + " AND ".join(f"instr(CAST({_HAY} AS BLOB), ?) > 0" for _ in picked)
            )
            params += [_bytes(w) for w in picked]
        sql = f"pos IN ({' UNION ALL '.join(sources)})" if sources else "0"
        covered = set(chosen) | {i for i, t in enumerate(terms) if any(t is c for c in countries)}
        covered |= {  # a character every text holds: no condition (`_term`)
            i
            for i, t in enumerate(terms)
            if t.field is None and not t.negated and len(c := fold(t.values[0])) == 1 and self._in_every_text(c)
        }
        whole = len(covered) == len(terms) and expr is not None and not long
        return _WordPlan(sql, params, set(chosen), expr if whole else None)

    def word_answer(self, query: Query, order: str = "date") -> tuple[str, bool] | None:
        """(the FTS query, whether removed events are left out) of a query the word index
        answers alone (its bare words and `country:` terms, in the date order): its count,
        pages and places are then read from the index, not from `ev`; None otherwise."""
        if order != "date" or not query.terms:
            return None
        plan = self._word_plan(query)
        if plan is None or plan.whole is None:
            return None
        return plan.whole, self._hides_removed(query)

    @staticmethod
    def _word_from(hide: bool) -> str:
        return "FROM ev_words WHERE ev_words MATCH ?" + (
            " AND rowid NOT IN (SELECT pos FROM ev WHERE removed)" if hide else ""
        )

    def word_count(self, answer: tuple[str, bool]) -> int:
        with self.lock:
            n: int = self.conn.execute(f"SELECT count(*) {self._word_from(answer[1])}", (answer[0],)).fetchone()[0]
        return n

    def word_positions(self, answer: tuple[str, bool], offset: int, limit: int, from_end: bool = False) -> list[int]:
        """The matches ranked offset to offset+limit (from the last one, from_end), in the
        index's own order of positions."""
        sql = f"SELECT rowid {self._word_from(answer[1])} ORDER BY rowid {'DESC' if from_end else ''} LIMIT ? OFFSET ?"
        with self.lock:
            return [p for (p,) in self.conn.execute(sql, (answer[0], limit, offset))]

    def word_rank(self, answer: tuple[str, bool], event_id: str) -> int | None:
        """Where the event is among the matches (those before it, counted), or None."""
        base = self._word_from(answer[1])
        with self.lock:
            got = self.conn.execute("SELECT pos FROM ev WHERE id = ?", (event_id,)).fetchone()
            if (
                got is None
                or not self.conn.execute(
                    f"SELECT EXISTS (SELECT 1 {base} AND rowid = ?)", (answer[0], got[0])
                ).fetchone()[0]
            ):
                return None
            n: int = self.conn.execute(f"SELECT count(*) {base} AND rowid < ?", (answer[0], got[0])).fetchone()[0]
        return n

    _OWN_INDEX = {"country": ("ev", "country"), "tag": ("ev_tag", "tag"), "actor": ("ev_actor", "actor"),
                  "source": ("ev_source", "source")}  # fmt: skip

    def _narrower_term(self, query: Query, word: Term) -> bool:
        """Whether a term with an index of its own (country, tag, actor, source) leaves fewer
        events than the text index holds for the word: then the word is checked on those
        events' texts, not asked of the text index, which would gather every event of its own
        (`country:mali att` in the synthetic 1M export: 83,777 events against 369,548 holding
        `att`).  Both are counted from their indexes, the word's no further than the term's."""
        expr = _trigrams(fold(word.values[0]))
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

    def _term(
        self, t: Term, indexed: Term | None, scan_words: bool = False, span: _Span | None = None
    ) -> tuple[str, list[Any]]:
        """A term's condition; `span`, the query's run of positions (`_span`), narrows the
        subqueries of the terms with an index of their own."""
        within = _run(span)
        f = t.field
        if f is None:
            needle = fold(t.values[0])
            raw = needle.encode("utf-8", "surrogatepass")
            scan = f"instr(CAST({_HAY} AS BLOB), ?) > 0"  # bytes: a NUL does not end the text
            if len(needle) == 1 and self._in_every_text(needle):
                return "1", []
            expr = _trigrams(needle)
            if expr is None or not self.text_ready or t is not indexed or scan_words:
                return scan, [raw]
            # FTS5 stops reading a text at a NUL: events holding one are scanned as well
            fts = (
                f"pos IN (SELECT rowid FROM ev_text WHERE ev_text MATCH ?{_run(span, 'rowid')} "
                f"UNION ALL SELECT pos FROM ev WHERE nul AND {scan})"
            )
            if len(needle) == 3:  # one trigram: the index's answer is the answer
                return fts, [expr, raw]
            return f"{fts} AND {scan}", [expr, raw, raw]  # all its trigrams, not always the word
        if f == "disputed":
            return "disputed = 1", []
        if f == "removed":
            return "removed = 1", []
        if f == "changed":
            changed = sorted(changed_ids(getattr(self.ds, "root", None), changed_since(t)))
            return "id IN (SELECT value FROM json_each(?))", [json.dumps(changed)]
        vals = term_values(t)  # as `ev` holds them (`IndexWriter.rows`)
        if f == "country":
            return f"country IN ({_marks(vals)})", vals
        if f == "admin1":  # negated, an event with no admin1 matches: NOT of NULL would not
            if t.negated:
                return f"coalesce(admin1 IN ({_marks(vals)}), 0)", vals
            return f"admin1 IN ({_marks(vals)})", vals  # `ev_admin1`
        if f == "tag":
            return f"pos IN (SELECT pos FROM ev_tag WHERE tag IN ({_marks(vals)}){within})", vals
        if f == "type":
            slugs: set[str] = set()
            for v in t.values:
                slugs |= type_slugs(v)
            s = sorted(slugs)
            return f"type IN ({_marks(s)}) OR coalesce(sub_type IN ({_marks(s)}), 0)", s + s
        if f == "since":
            return "hi >= ?", [date_low(t.values[0])]
        if f == "until":
            return "lo <= ?", [date_high(t.values[0])]
        if f == "actor":
            a = sorted(actor_ids(t, self.ds))
            return f"pos IN (SELECT pos FROM ev_actor WHERE actor IN ({_marks(a)}){within})", a
        if f in ROLES:  # the pairs the event lists (an_role.r_listed), as the Trends table counts them
            # the actor's events from its index, then each one's pairs by an_role's primary key:
            # an index on the pairs would cost every import, and the planner took it for the
            # GROUP BYs over every role, reading `ev` out of order (bench/README.md, round 9)
            a = sorted(actor_ids(t, self.ds))
            return (
                f"pos IN (SELECT pos FROM ev_actor WHERE actor IN ({_marks(a)}){within}) AND EXISTS (SELECT 1 FROM an_role "
                "AS r WHERE r.pos = ev.pos AND r.r_listed = 1 AND r.r_pair IN "
                f"(SELECT code FROM an_code WHERE kind = 'r' AND k2 = ? AND k1 IN ({_marks(a)})))",
                [*a, f, *a],
            )
        if f == "source":
            s = sorted(source_ids(t, self.ds))
            return f"pos IN (SELECT pos FROM ev_source WHERE source IN ({_marks(s)}){within})", s
        raise FilterError(str(t), f"unknown field {f!r}")  # pragma: no cover - parse() rejects these

    @property
    def ordered(self) -> bool:
        """Whether the positions are in date order, newest first (an_meta `ordered`): then the
        events of a run of first days are a run of positions (an_day).  Asked once."""
        if self._ordered is None:
            with self.lock:
                row = self.conn.execute("SELECT value FROM an_meta WHERE key = 'ordered'").fetchone()
            self._ordered = bool(row and row[0])
        return self._ordered

    def holds_removed(self) -> bool:
        """Whether some event carries the removed tag (`ev_removed`, a partial index: one look
        at it; not kept, as a view patched in place may change it)."""
        with self.lock:
            return self.conn.execute("SELECT 1 FROM ev WHERE removed LIMIT 1").fetchone() is not None

    def _span(self, query: Query, within: tuple[int, int] | None = None) -> _Span | None:
        """The run of positions a query's dates leave, within the caller's if given (None:
        every position).
        Positions are newest first (an_meta `ordered`; an_day: each first day's positions), so
        a `since:` term's matches are the first positions and an `until:` term's the last: a
        brief of last month of a global export reads that month's rows, not every event's.
        The date terms' own conditions still decide; a negated one leaves every position."""
        lo, hi = within if within is not None else (0, None)
        for t in query.terms:
            if t.field in ("since", "until") and not t.negated:
                bound = self._date_bound(t.field, (date_low if t.field == "since" else date_high)(t.values[0]))
                if bound is None:  # not in date order: no run from this term
                    continue
                if t.field == "since":
                    hi = bound if hi is None else min(hi, bound)
                else:
                    lo = max(lo, bound)
        return None if hi is None and not lo else _Span(lo, hi)

    def _date_bound(self, field: str, day: str) -> int | None:
        """For `since:` the last position whose event can reach the day (-1: none), for
        `until:` the first whose event can start by it; None when the events are not in date
        order.  Looked up once per date."""
        key = (field, day)
        if key not in self._date_bounds:
            self._date_bounds[key] = self._find_date_bound(field, day)
        return self._date_bounds[key]

    def _find_date_bound(self, field: str, day: str) -> int | None:
        try:  # `2024-02-31` (date_high of a month) is a day past the month's last: still a bound
            n = (date(int(day[:4]), int(day[5:7]), 1) + timedelta(days=int(day[8:10]) - 1)).toordinal()
        except ValueError:
            return None
        if not self.ordered:
            return None
        with self.lock:
            if field == "until":  # first day on or before the day: every position from the first such
                first = self.conn.execute("SELECT min(first) FROM an_day WHERE day <= ?", (n,)).fetchone()[0]
                return 1 << 62 if first is None else int(first)
            # last day on or after the day: an event whose first day is so, or one of several
            # days (a month, a year: an_ev_long) that starts up to a year before and reaches it
            last = self.conn.execute("SELECT max(last) FROM an_day WHERE day >= ?", (n,)).fetchone()[0]
            reach = self.conn.execute("SELECT max(last) FROM an_day WHERE day >= ?", (n - LONGEST,)).fetchone()[0]
            if reach is not None:
                long = self.conn.execute(
                    "SELECT pos FROM an_ev WHERE a_hid > a_lod AND pos <= ? AND a_hid >= ? ORDER BY pos DESC LIMIT 1",
                    (reach, n),
                ).fetchone()
                if long is not None:
                    last = max(long[0], -1 if last is None else last)
        return -1 if last is None else int(last)

    # -- asking ----------------------------------------------------------------------------------
    def _kind_count(self, query: Query) -> int | None:
        """The number of matches of a query whose every term asks only the columns of
        `ev_kind` (country, type, disputed, removed: negated or not, and the hiding of removed
        events), summed from it under the query's own condition; None for any other query."""
        if not all(t.field in _KIND_FIELDS for t in query.terms):
            return None
        where, params = self.where(query)
        with self.lock:
            n: int = self.conn.execute(f"SELECT coalesce(sum(n), 0) FROM ev_kind WHERE {where}", params).fetchone()[0]
        return n

    def count(self, query: Query) -> int:
        kind = self._kind_count(query)
        if kind is not None:
            return kind
        where, params = self.where(query)
        with self.lock:
            n: int = self.conn.execute(f"SELECT count(*) FROM ev WHERE {where}", params).fetchone()[0]
        return n

    def ids(self, query: Query) -> set[str]:
        """The ids of the events the query matches, from the index (no event read back)."""
        where, params = self.where(query)
        with self.lock:
            return {i for (i,) in self.conn.execute(f"SELECT id FROM ev WHERE {where}", params)}

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
            # within the run before it, met with the query's own dates: one run in the
            # statement (given two, SQLite reads by one's first position and the other's last)
            before, args = self.where(query, scan_words=scan_words, within=(0, got[0] - 1))
            with self.lock:
                n: int = self.conn.execute(f"SELECT count(*) FROM ev WHERE {before}", args).fetchone()[0]
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
        query hides those (found by reading the removed events' texts: ACLED removes few).
        A query of country, type, disputed and removed terms is counted from `ev_kind` when
        its pages are cheap to read in order (`Matches` reads them on the UI thread): its
        matches are 1 event in 32 or more, or a country's index finds them."""
        terms = query.terms
        if order == "date" and (kind := self._kind_count(query)) is not None:
            indexed = any(t.field == "country" and not t.negated for t in terms)
            return kind if indexed or kind * 32 >= len(self.ds.events) else None
        if order != "date" or len(terms) != 1 or terms[0].field is not None or terms[0].negated:
            return None
        needle = fold(terms[0].values[0])
        if not 1 <= len(needle) <= 3 or not _utf8(needle):
            return None
        hide = self._hides_removed(query)
        kept = self._word_chars()[0] if self.text_ready and len(needle) > 1 else frozenset()
        with self.lock:
            if len(needle) == 1:
                n: int = self.conn.execute(
                    "SELECT coalesce(sum(n), 0) FROM ev_char WHERE ch = ? AND removed <= ?", (needle, int(not hide))
                ).fetchone()[0]
                return n
            if not self.text_ready or "\x00" in needle or self._has_odd():
                return None
            n = 0
            if all(c in kept for c in needle) and (every := self._bounded(needle)) is not None:
                n, expr = every, None  # held by as many events as hold its rarest character
            elif len(needle) == 3:
                expr = _trigrams(needle)
            else:  # the trigrams the index holds that start with the pair, and the texts it ends
                grams = (needle + c for c in self._alphabet())
                expr = " OR ".join(_quoted(g) for g in grams if self._indexed(g))
                n = self.conn.execute("SELECT coalesce(sum(n), 0) FROM ev_tail WHERE tail = ?", (needle,)).fetchone()[0]
            if expr:
                n += self.conn.execute("SELECT count(*) FROM ev_text WHERE ev_text MATCH ?", (expr,)).fetchone()[0]
            if hide:
                n -= self.conn.execute(
                    f"SELECT count(*) FROM ev WHERE removed AND instr(CAST({_HAY} AS BLOB), ?) > 0",
                    (needle.encode("utf-8"),),
                ).fetchone()[0]
        return n

    def _bounded(self, word: str) -> int | None:
        """The number of events holding `word`, when two bounds meet: no more events hold it
        than hold its rarest character (`ev_char`), and no fewer than hold the commonest
        vocabulary term containing it (`ev_term`; its characters are kept whole by the word
        index).  `co` in the synthetic exports: in every event, found without the `OR` of
        its trigrams.  The caller holds the lock."""
        most = self.conn.execute(
            "SELECT min(n) FROM (SELECT sum(n) AS n FROM ev_char WHERE ch IN (SELECT value FROM json_each(?)) "
            "GROUP BY ch)",
            (json.dumps(sorted(set(word))),),
        ).fetchone()[0]
        found = self._holding(word, "max(t.n)")
        least = found[0][0] if found else None
        return least if least is not None and least == most else None

    def _in_every_text(self, ch: str) -> bool:
        """Whether every event's text holds the character (`ev_char`): a word that is such a
        character, beside other terms, is then no condition at all."""
        if self._everywhere is None:
            with self.lock:
                self._everywhere = {
                    c
                    for (c,) in self.conn.execute(
                        "SELECT ch FROM ev_char GROUP BY ch HAVING sum(n) = ?", (len(self.ds.events),)
                    )
                }
        return ch in self._everywhere

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
    KEEP_SELECTIONS = 8  # temporary tables of `selection`s kept (a brief asks 3; a stale worker may hold some)

    def selection(self, query: Query, *, within: tuple[int, int] | None = None) -> tuple[str, list[Any]]:
        """`where`, for the many statements of a brief or the Trends screen over one filter.
        A filter that asks a subquery or reads the text (a word, a tag, an actor, a source:
        `costly`) is run once into a temporary table of its positions, and each statement
        reads that table's rows: otherwise SQLite asks the subquery, or reads every text,
        again for each statement (bench/README, round 29).  Other filters are their `where`.
        within: as `where`'s (the filter gathered within the run)."""
        where, params = self.where(query, within=within)
        if not costly(where):
            return where, params
        if within is not None:  # the same filter over every position, made already: its table within the run
            whole, args = self.where(query)
            made = self._selections.get((whole, *args))
            if made is not None:
                return self.narrowed(f"pos IN {made}", within), []
        key = (where, *params)
        with self.lock:
            name = self._selections.get(key)
            if name is None:
                self._made += 1
                name = f"{_SELECTED}{self._made}"
                self.conn.execute(f"CREATE TABLE {name} (pos INTEGER PRIMARY KEY)")
                self.conn.execute(f"INSERT INTO {name} SELECT pos FROM ev WHERE {where}", params)
                self._selections[key] = name
                while len(self._selections) > self.KEEP_SELECTIONS:
                    self.conn.execute(f"DROP TABLE IF EXISTS {self._selections.pop(next(iter(self._selections)))}")
        return f"pos IN {name}", []

    @staticmethod
    def narrowed(selected: str, within: tuple[int, int]) -> str:
        """A `selection`'s condition within a run of positions: the run read from the
        table's own rows (its key), not the table probed for every position of the run."""
        run = _run(_Span(*within))
        return f"pos IN (SELECT pos FROM {selected.removeprefix('pos IN ')} WHERE 1{run}){run}"

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
        command palette's "jump to" on a dataset too big to list in memory.  The event whose id
        it is (with or without ACLED's `acled:`) comes first, however many others hold it."""
        needle = text.casefold()
        with self.lock:
            got = [
                p
                for (p,) in self.conn.execute(
                    "SELECT pos FROM ev WHERE instr(title, ?) > 0 OR instr(lower(id), ?) > 0"
                    " ORDER BY lower(id) IN (?, 'acled:' || ?) DESC, pos LIMIT ?",
                    (needle, needle, needle, needle, limit),
                )
            ]
        events = self.ds.events
        at = getattr(events, "at", None)
        return list(at(got)) if at is not None else [events[p] for p in got]

    def matches(self, query: Query, order: str = "date") -> Matches:
        """The events a query matches, in an order, as a sequence that asks for them as drawn."""
        return Matches(self, query, order)


class _WordPlan(NamedTuple):
    sql: str  # the condition over `ev` that stands for the words
    params: list[Any]
    words: set[int]  # the terms it stands for (indexes in query.terms)
    whole: str | None  # the FTS query, when it answers the whole query (`word_answer`)


class Matches(Sequence[Event]):
    """A query's answer as a list that holds only its length and the pages asked for: the
    event list draws a screenful of a million matches without fetching the other rows.

    A query with terms is run once, into a temporary table of its matches in order (its
    rowid is the rank): the count, every page, where an id is and the whole answer are then
    read from that table, not by running the query again (a common word among a million
    events costs its query once, not once for the count, once for each page and once for the
    highlight).  Without terms the index's own order is paged directly.

    Except a query the word index answers alone (`EventIndex.word_answer`): its count, pages
    and places are read from the index's lists, which are in the date order already.  And
    except a word of 1–3 characters in the date order (what the first keystrokes of a word
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
        self._words = index.word_answer(query, order)  # answered by the word index alone
        quick = index.quick_count(query, order) if query.terms and self._words is None else None
        if self._words is not None:
            self._len = index.word_count(self._words)
        elif quick is not None:
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
        if self._words is not None:  # the index's lists are in order: any page is a LIMIT
            end = min(start + limit, self._len)
            if start > self._len - end:
                back = self.engine.word_positions(self._words, self._len - end, end - start, from_end=True)
                return back[::-1]
            return self.engine.word_positions(self._words, start, end - start)
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
        read = getattr(events, "read", None)  # events kept in the store: read, not kept
        positions = self._positions(0, self._len)
        for start in range(0, len(positions), 5000):
            chunk = positions[start : start + 5000]
            yield from (read(chunk) if read is not None else [events[p] for p in chunk])

    def index_of(self, event_id: str) -> int | None:
        """Where the event is among the matches, or None when it is not one of them (kept:
        the filter's worker asks for the highlighted event, the list asks again when drawn)."""
        if event_id not in self._where and self._words is not None:
            self._where[event_id] = self.engine.word_rank(self._words, event_id)
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

    def __init__(self, conn: sqlite3.Connection, haystack: Any, *, tables: bool = True) -> None:
        """tables=False: the tables are there already (`resume`)."""
        self.conn, self.haystack = conn, haystack
        self.codes: dict[tuple[str, str, str | None], int] = {}
        # what counts a 1–3 character word without reading the events it matches (`finish`)
        self.chars = (Counter[str](), Counter[str]())  # events holding a character: kept, removed
        self.tails = Counter[str]()
        self.short: list[int] = []
        self.long: list[int] = []
        for statement in _ANALYSIS_TABLES.split(";") if tables else ():
            if statement.strip():
                conn.execute(statement)

    @classmethod
    def resume(cls, conn: sqlite3.Connection, haystack: Any) -> IndexWriter:
        """A writer over tables already filled (a view patched in place: `briefing.stored`),
        numbering actors, pairs and sources on from the codes there (`an_code`)."""
        self = cls(conn, haystack, tables=False)
        self.codes = {(kind, k1, k2): c for c, kind, k1, k2 in conn.execute("SELECT code, kind, k1, k2 FROM an_code")}
        return self

    def code(self, kind: str, k1: str, k2: str | None = None) -> int:
        codes = self.codes
        c = codes.get((kind, k1, k2))
        if c is None:
            c = codes[(kind, k1, k2)] = len(codes)
        return c

    def add(self, first: int, events: Sequence[Event]) -> None:
        """The events at positions first, first + 1, ... into the tables."""
        self.write(self.rows(first, events))

    def rows(self, first: int, events: Sequence[Event]) -> _Rows:
        """The tables' rows of the events at positions first, first + 1, ..., worked out in
        Python without touching the connection (so that SQLite may meanwhile index the chunk
        before on another thread: `briefing.stored`); one pass over each event: its total and
        its comparisons are worked out once, for both kinds of table."""
        from briefing.analysis import ACLED_PREFIX, parse_high, parse_low
        from briefing.compare import compare, total_of

        haystack, code = self.haystack, self.code
        evs: list[tuple[Any, ...]] = []
        hays: list[tuple[int, str]] = []
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
                rank = killed = total.rank  # `sorting.killed_order`
            hay = haystack(e)
            hays.append((pos, hay))
            evs.append(
                (
                    pos,
                    e.id,
                    fold(e.country),
                    e.type,
                    e.sub_type,
                    date_low(e.date),
                    date_high(e.date),
                    int(any(c.disputed for c in comps)),  # `compare.is_disputed`
                    killed,
                    e.title.casefold(),
                    int("\x00" in hay),
                    fold(e.admin1) if e.admin1 is not None else None,
                    int(REMOVED_TAG in e.tags),
                )
            )
            tags.extend((pos, t) for t in {fold(x) for x in e.tags})
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
                pairs.setdefault((f.claimed_by, GAVE_FIGURES), None)
            roles.extend(
                (pos, code("r", a, r), code("a", a), int(k is not None), k, firsts[a]) for (a, r), k in pairs.items()
            )
            cited = dict.fromkeys(e.sources)  # as `analysis._units`: cited, carrying, relaying
            for f in figures:
                cited.setdefault(f.source)
                if f.via:
                    cited.setdefault(f.via)
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
                    sum(c.compared for c in comps),
                )
            )
        self._count(hays, [ev[-1] for ev in evs])
        return _Rows(evs, hays, tags, actors, sources, rows, roles, srcs)

    def marker(self) -> str:
        """`_marker` of the texts counted so far."""
        return _marker(self.chars[0].keys() | self.chars[1].keys())

    def _count(self, hays: list[tuple[int, str]], removed: list[int]) -> None:
        """The chunk's texts into what counts a 1–3 character word without reading the events
        it matches (`quick_count`), written by `finish`: per character, the number of events
        whose text holds it, those ACLED removed counted apart (`ev_char`); per pair of
        characters, the events whose text has it only as its last two characters (`ev_tail`:
        every other place of a pair is the start of a trigram, so a pair's count is the events
        holding a trigram that starts with it, plus these); the events with under 3
        characters of text, which the trigram index holds nothing of (`ev_short`); the events
        whose text is too long for the word index to hold every token of whole (`ev_long`)."""
        for r in (0, 1):
            self.chars[r].update(chain.from_iterable(set(hay) for (_, hay), x in zip(hays, removed) if x == r))
        self.short.extend(pos for pos, hay in hays if len(hay) < 3)
        self.long.extend(pos for pos, hay in hays if len(hay) * 4 > _LONG_TEXT and len(_bytes(hay)) > _LONG_TEXT)
        self.tails.update(hay[-2:] for _, hay in hays if len(hay) >= 3 and hay.find(hay[-2:]) == len(hay) - 2)

    def write(self, rows: _Rows) -> None:
        """What `rows` worked out, into the tables (each named by its field of `_Rows`)."""
        conn = self.conn
        for table, batch in zip(_Rows._fields, rows):
            if batch:
                conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(batch[0]))})", batch)

    def finish(self, step: Callable[[float], None] | None = None) -> None:
        """The indexes, then the sums made once (`an_code`, `an_day`, `an_cube`, ...) and the
        counts of `_count` (with an index of the removed events, to take their matches off a
        count); step(share done), if given, after each of these statements (at a million
        events together they are long: a progress bar must not stand still for the whole of
        them)."""
        conn, codes = self.conn, self.codes
        conn.execute(
            "CREATE TABLE ev_char (ch TEXT NOT NULL, removed INTEGER NOT NULL, n INTEGER NOT NULL, "
            "PRIMARY KEY (ch, removed)) WITHOUT ROWID"
        )
        conn.execute("CREATE TABLE ev_tail (tail TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        conn.execute("CREATE TABLE ev_short (pos INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE ev_long (pos INTEGER PRIMARY KEY)")
        conn.execute("CREATE INDEX ev_removed ON ev(pos) WHERE removed")
        conn.executemany(
            "INSERT INTO ev_char VALUES (?, ?, ?)", ((ch, r, n) for r in (0, 1) for ch, n in self.chars[r].items())
        )
        conn.executemany("INSERT INTO ev_tail VALUES (?, ?)", self.tails.items())
        conn.executemany("INSERT INTO ev_short VALUES (?)", ((pos,) for pos in self.short))
        conn.executemany("INSERT INTO ev_long VALUES (?)", ((pos,) for pos in self.long))
        statements = [s for s in _INDEXES.split(";") if s.strip()]
        done, total = 0, len(statements) + len(_SUMS) + 2

        def did() -> None:
            nonlocal done
            done += 1
            if step is not None:
                step(done / total)

        for statement in statements:
            conn.execute(statement)
            did()
        conn.execute(_KIND_TABLE)
        conn.execute(f"INSERT INTO ev_kind SELECT {_KIND}, count(*) FROM ev GROUP BY {_KIND}")
        did()
        conn.executemany("INSERT INTO an_code VALUES (?, ?, ?, ?)", ((c, *k) for k, c in codes.items()))
        self.sums(did)

    @staticmethod
    def count_kind(conn: sqlite3.Connection, pos: int, sign: int) -> None:
        """The event at pos taken off (-1) or put on (+1) the counts of `ev_kind`: a view
        patched in place, its event's row read before it is deleted and after it is written."""
        key = conn.execute(f"SELECT {_KIND} FROM ev WHERE pos = ?", (pos,)).fetchone()
        same = " AND ".join(f"{c} IS ?" for c in _KIND.split(", "))
        if not conn.execute(f"UPDATE ev_kind SET n = n + ? WHERE {same}", (sign, *key)).rowcount:
            conn.execute("INSERT INTO ev_kind VALUES (?, ?, ?, ?, ?, ?)", (*key, sign))

    def sums_of(self, countries: set[str]) -> None:
        """The sums (`SUMMED`) of these (folded) countries made again from their events'
        rows: a view patched in place, whose edit touched only these.  No event has moved, so
        the days' positions (`an_day`, `an_meta`) stand."""
        conn = self.conn
        conn.execute("CREATE TEMP TABLE sum_cf (cf TEXT PRIMARY KEY)")
        try:
            conn.executemany("INSERT OR IGNORE INTO temp.sum_cf VALUES (?)", ((c,) for c in countries))
            for table in SUMMED:
                conn.execute(f"DELETE FROM {table} WHERE cf IN (SELECT cf FROM temp.sum_cf)")
            for statement in _sums("temp.sum_cf"):
                conn.execute(statement)
        finally:
            conn.execute("DROP TABLE temp.sum_cf")

    def sums(self, did: Callable[[], None] = lambda: None) -> None:
        """The tables summed from every event's rows, made: the days' positions and whether
        they run newest first (`an_meta`), then `_SUMS`; did() after each statement."""
        conn = self.conn
        conn.execute("INSERT INTO an_day SELECT a_lod, min(pos), max(pos) FROM an_ev GROUP BY a_lod")
        crossed = conn.execute(
            "SELECT count(*) FROM (SELECT first, lag(last) OVER (ORDER BY day DESC) AS before FROM an_day) "
            "WHERE first <= before"
        ).fetchone()[0]
        conn.execute("INSERT INTO an_meta VALUES ('ordered', ?)", (int(crossed == 0),))
        did()
        for statement in _SUMS:
            conn.execute(statement)
            did()


class _Rows(NamedTuple):
    """A chunk of events' rows for each table `IndexWriter` fills, by the table's name."""

    ev: list[tuple[Any, ...]]
    ev_hay: list[tuple[int, str]]
    ev_tag: list[tuple[int, str]]
    ev_actor: list[tuple[int, str]]
    ev_source: list[tuple[int, str]]
    an_ev: list[tuple[Any, ...]]
    an_role: list[tuple[Any, ...]]
    an_source: list[tuple[Any, ...]]


class _Span(NamedTuple):
    """A run of positions: from lo, to hi (None: to the last)."""

    lo: int
    hi: int | None


_SELECTED = "temp.selection_"  # `EventIndex.selection`'s tables


def costly(where: str) -> bool:
    """Whether a condition asks a subquery or reads the text (`EventIndex.selection`)."""
    return "SELECT" in where or "instr(" in where


def positions_only(where: str) -> bool:
    """Whether a condition reads nothing of `ev` but the position (every event, or a
    `selection`'s table): its statements need not join `ev`'s wide rows."""
    return (
        where == "1"
        or where.startswith(f"pos IN {_SELECTED}")
        or where.startswith(f"pos IN (SELECT pos FROM {_SELECTED}")
    )


def _run(span: _Span | None, column: str = "pos") -> str:
    """A run of positions as a condition to append (" AND pos ..."); "" for every position."""
    if span is None:
        return ""
    if span.hi is not None:
        return f" AND {column} BETWEEN {span.lo} AND {span.hi}"
    return f" AND {column} >= {span.lo}"


def _trigrams(needle: str) -> str | None:
    """An FTS5 query for the events whose text holds every trigram of `needle` (each a quoted
    string: no character of it is query syntax); None when the index cannot answer it (under 3
    characters, a NUL, text that is not UTF-8)."""
    if len(needle) < 3 or "\x00" in needle or not _utf8(needle):
        return None
    grams = dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2))
    return " AND ".join(map(_quoted, grams))


def _marker(alphabet: set[str]) -> str:
    """The first private-use character no text holds: it begins the tokens that name a
    country in the word index, which no word of a text can then equal or contain."""
    return next(ch for ch in map(chr, range(0xE000, 0xF900)) if ch not in alphabet)


def _country_token(mark: str, country: str) -> str:
    """The word index's token for a (folded) country, as `index_text` writes it: the
    marker, then the hex digits of its UTF-8 bytes (one token whatever the name holds)."""
    return mark + country.encode("utf-8").hex()


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


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
