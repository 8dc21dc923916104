"""The one filter language shared by the TUI, `briefing brief` and `briefing export`.

    country:Tajikistan actor:iskp type:battle since:2019-01 until:2020-12 tag:border disputed "border post"

Terms are ANDed; `-` in front negates a term; a comma inside a value means "any of"
(`country:Tajikistan,Uzbekistan`).  Fields: country, admin1 (the first-level region), actor
(id, name or alias; in any role, or claiming a figure), the roles `perpetrator`, `target`,
`claimant`, `responder` and `mentioned` (an actor the event lists in that role:
`perpetrator:iskp`, the unit of the Trends table by actor), type (event type or sub-type
slug, a prefix of one, or ACLED's label),
tag, source (id or name), since and until (year, year-month or full date; a month-precision
event overlaps the days it covers), `disputed`, `changed:DATE` (events a sync of ACLED data
added, revised or removed on or after DATE; `changed:since-DATE` reads the same) and `removed`
(events ACLED removed, which every query leaves out unless it names `removed`; see
`briefing.ledger`), and bare words or quoted phrases matched in title, summary, place and actor
names.  Words and the names and labels a term names (country, admin1, actor, source, tag) match
without regard to case or accents (`dataset.fold`: `segou` finds `Ségou`).  A query prints back as a canonical string, which is how the TUI shows the command line
for what is on screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from briefing.compare import is_disputed
from briefing.dataset import fold, tag_slug
from briefing.records import Actor, Event, date_high, date_low
from briefing.vocab import EVENT_TYPES, REMOVED_TAG, ROLES, SUB_EVENT_TYPES

if TYPE_CHECKING:
    from briefing.dataset import Dataset

FIELDS = ("country", "admin1", "actor", *ROLES, "type", "tag", "source", "since", "until", "changed")
#: the language in a few lines, with an example of every field: the CLI's `--help` and the
#: TUI's help screen print it, so neither leaves a field out
SUMMARY = """\
filter language (one string; terms are ANDed; - negates; a comma means
"any of"):
  country:Tajikistan  admin1:Kunduz  actor:iskp  type:battles  tag:border
  source:afp  perpetrator:iskp  target:tj-border-guards  (an actor in one
  role; also claimant:, responder:, mentioned:)
  since:2019-01  until:2020-12  disputed  "border post"  -tag:statement
  changed:2023-02-01 (what ACLED syncs changed since)
  removed (events ACLED removed)
"""  # lines of at most 73 characters: the help screen's panel at 80 columns (QA s18)
FLAGS = ("disputed", "removed")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")  # ASCII digits: `\d` takes "２０１９"
# Bounds on the work one query can ask for (a 2,000-term paste froze the TUI for seconds):
# repeated terms are dropped, and past these a query is refused, saying so.
MAX_TERMS = 100
MAX_VALUES = 1000  # comma-separated values in one term


class FilterError(ValueError):
    """A filter that cannot be understood; says which token and why, in one line."""

    def __init__(self, token: str, why: str, column: int | None = None):
        self.token = token
        self.why = why
        self.column = column
        super().__init__(f"filter: {_as_typed(token)}: {why}" if token else f"filter: {why}")


def _as_typed(token: str) -> str:
    """A term in quotes as the user typed it (`'actor:"a\\"b'`, where repr doubled each
    backslash); one holding a character a terminal would act on, escaped as repr does."""
    return f"'{token}'" if token.isprintable() else repr(token)


class Term(NamedTuple):
    field: str | None  # None: free text; "disputed": the flag
    values: tuple[str, ...]
    negated: bool = False

    def __str__(self) -> str:
        neg = "-" if self.negated else ""
        if self.field is None:
            return neg + _quote(self.values[0], bare_ok=True)
        if self.field in FLAGS:
            return neg + self.field
        return f"{neg}{self.field}:" + ",".join(_quote(v) for v in self.values)


def _quote(value: str, bare_ok: bool = False) -> str:
    """A value as the parser reads it back: quoted unless bare means the same.  Free text
    (`bare_ok`) that spells a flag (`"disputed"`) or an operator `parse` refuses (`"OR"`) stays
    quoted, or it would become the flag or be refused."""
    if (
        value
        and not re.search(r'[\s",:\\]', value)
        and not value.startswith("-")
        and not (bare_ok and (value.lower() in FLAGS or value in ("OR", "AND")))
    ):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tokens(text: str) -> list[tuple[str, int, bool, bool]]:
    """(token with quotes removed, column, whether it is a phrase, whether a `-` negates it).

    Quotes may wrap a whole token (a phrase, `-"a:b"` a negated one) or only a value
    (`actor:"Islamic State"`); commas outside quotes become NUL so that a quoted comma stays
    literal."""
    out: list[tuple[str, int, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated_phrase = text.startswith('-"', i)
        if negated_phrase:
            i += 1
        buf: list[str] = []
        while i < n and not text[i].isspace():
            ch = text[i]
            if ch == '"':
                i += 1
                while i < n and text[i] != '"':
                    if text[i] == "\\" and i + 1 < n:
                        i += 1
                    buf.append(text[i])
                    i += 1
                if i >= n:
                    raise FilterError(text[start:], "unterminated quote", start + 1)
                i += 1
                continue
            buf.append("\x00" if ch == "," else ch)  # mark unquoted commas as separators
            i += 1
        out.append(("".join(buf), start + 1, negated_phrase or text[start] == '"', negated_phrase))
    return out


def parse(text: str) -> Query:
    """Parse a filter string; raises FilterError naming the offending token."""
    terms: list[Term] = []
    dates: dict[str, tuple[str, int]] = {}  # since / until in force (ANDed: the narrowest) -> (date, column)
    for raw, col, phrase, negated in _tokens(text or ""):
        shown = raw.replace("\x00", ",")
        body = raw
        if not phrase and body.startswith("-") and len(body) > 1:
            negated, body = True, body[1:]
        field, sep, value = body.partition(":")
        if sep and not phrase:
            key = field.lower()
            if key not in FIELDS:
                raise FilterError(
                    shown,
                    f"unknown field {field!r}; fields are {', '.join(FIELDS)} (and the words 'disputed', 'removed')",
                    col,
                )
            values = tuple(v.strip() for v in value.split("\x00") if v.strip())
            if not values:
                raise FilterError(shown, f"{key}: needs a value", col)
            if len(values) > MAX_VALUES:
                raise FilterError(
                    shown[:40] + "…", f"{key}: {len(values)} values; at most {MAX_VALUES} in one term", col
                )
            if key == "changed":  # `changed:since-DATE` is `changed:DATE`
                values = tuple(v[6:] if v.lower().startswith("since-") else v for v in values)
                if len(values) == 1 and "T" in values[0].upper():  # a sync's time, as `changes` lists it (QA s16)
                    from briefing.ledger import sync_moment

                    try:
                        at = sync_moment(values[0])
                    except ValueError:
                        at = None
                    if at is None:
                        raise FilterError(shown, f"changed: no such time {values[0]!r}", col)
                    terms.append(Term(key, (at,), negated))
                    continue
            if key in ("since", "until", "changed"):
                if len(values) != 1 or not _DATE.match(values[0]):
                    raise FilterError(
                        shown, f"{key}: expected a date such as 2019, 2019-05 or 2019-11-06" + _readings(values), col
                    )
                _check_date(shown, values[0], col)
                if key != "changed" and not negated:
                    _narrowest(dates, key, values[0], col)
            if key == "type":
                for v in values:
                    if not type_slugs(v):
                        raise FilterError(
                            shown, f"unknown type {v!r}; types are {', '.join(EVENT_TYPES)} or a sub-type", col
                        )
            terms.append(Term(key, values, negated))
            continue
        word = body.replace("\x00", ",")
        if not phrase:
            # What a user of search engines types, and what would quietly search for the word:
            # `a OR b` matched the events holding all three; `-` or `,` alone, nearly everything.
            if word == "OR":
                raise FilterError(
                    shown,
                    "not an operator: every term must match; for either of two values list them "
                    '(country:iran,tajikistan); to search the word, quote it ("OR")',
                    col,
                )
            if word == "AND":
                raise FilterError(shown, 'not needed: every term must match; to search the word, quote it ("AND")', col)
            if raw and all(ch.isascii() and not ch.isalnum() for ch in word):
                raise FilterError(shown, "nothing to search for: punctuation alone matches nearly everything", col)
        if not phrase and word.lower() in FLAGS:
            terms.append(Term(word.lower(), (), negated))
        elif word:
            terms.append(Term(None, (word,), negated))
    _check_range(dates)
    terms = list(dict.fromkeys(terms))  # a repeated term changes nothing: test it once
    if len(terms) > MAX_TERMS:
        raise FilterError("", f"{len(terms)} different terms; at most {MAX_TERMS} in one filter")
    return Query(tuple(terms))


def _readings(values: tuple[str, ...]) -> str:
    """What a date in another notation may mean, said beside the refusal: `06/11/2019` is 6
    November or 11 June (only its writer's locale knew); `13/11/2019`, `06.11.2019`,
    `2019/11/13` and `2019-11-6` one day each."""
    from datetime import date

    m = (
        re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})", values[0])
        if len(values) == 1
        else None
    )
    if m is None:
        return ""
    if m[4]:
        pairs = [(int(m[4]), int(m[5]), int(m[6]))]
    elif "." in values[0]:  # day first, in every locale that writes dots (as `acled` reads them)
        pairs = [(int(m[3]), int(m[2]), int(m[1]))]
    else:
        pairs = [(int(m[3]), int(m[2]), int(m[1])), (int(m[3]), int(m[1]), int(m[2]))]
    found = []
    for y, mo, d in pairs:
        try:
            found.append(date(y, mo, d).isoformat())
        except ValueError:
            continue
    found = list(dict.fromkeys(found))
    if len(found) == 2:
        return f" ({values[0]} reads as {found[0]} or {found[1]}: write the one meant)"
    return f"; did you mean {found[0]}?" if found else ""


def _check_date(token: str, value: str, col: int) -> None:
    import datetime as dt

    from briefing.records import year_problem

    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise FilterError(token, f"not a real date: {exc}", col) from None
    if why := year_problem(parts[0]):
        raise FilterError(token, why, col)


def _narrowest(dates: dict[str, tuple[str, int]], key: str, value: str, col: int) -> None:
    """Keep the `since:` / `until:` that bounds the range, as ANDed terms mean (the latest
    since, the earliest until: `analysis.split_dates`' rule)."""
    if key == "since":
        had = dates.get(key)
        if had is None or date_low(value) > date_low(had[0]):
            dates[key] = (value, col)
    elif key == "until":
        had = dates.get(key)
        if had is None or date_high(value) < date_high(had[0]):
            dates[key] = (value, col)


def _check_range(dates: dict[str, tuple[str, int]]) -> None:
    """A `since:` after the `until:` is a typo (the dates swapped), not a question: no date is
    in both, so it would answer "no events match" as if nothing had happened then.  Refused here,
    in the one parser, so the brief, the exports, the `--since/--until` flags and the TUI's
    filter bar all say so alike.  Each end at its own precision: `since:2019-06-15
    until:2019-06` has days in both."""
    since, until = dates.get("since"), dates.get("until")
    if since is None or until is None or date_low(since[0]) <= date_high(until[0]):
        return
    raise FilterError(
        f"since:{since[0]} until:{until[0]}",
        f"since {since[0]} is after until {until[0]}: no date is in both (swapped?)",
        max(since[1], until[1]),
    )


def type_slugs(value: str) -> set[str]:
    """Type and sub-type slugs a `type:` value stands for (exact slug, prefix, or ACLED label)."""
    v = value.casefold()
    hits: set[str] = set()
    for kind, label in EVENT_TYPES.items():
        if kind == v or kind.startswith(v) or label.casefold() == v:
            hits.add(kind)
        for sub, sub_label in SUB_EVENT_TYPES[kind].items():
            if sub == v or sub.startswith(v) or sub_label.casefold() == v:
                hits.add(sub)
    return hits


def from_flags(
    *,
    country: Sequence[str] = (),
    actor: Sequence[str] = (),
    type: Sequence[str] = (),
    tag: Sequence[str] = (),
    source: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    disputed: bool = False,
    search: Sequence[str] = (),
) -> str:
    """Shorthand CLI flags as a filter string, so flags and `--filter` mean exactly the same."""
    terms: list[Term | str] = []  # a str: a term as typed
    for name, values in (("country", country), ("actor", actor), ("type", type), ("tag", tag), ("source", source)):
        for v in values:
            alternatives = _alternatives(v)
            # a quote left open: the term as typed, which `parse` refuses as it refuses `-f`'s
            terms.append(Term(name, alternatives) if alternatives is not None else f"{name}:{v}")
    if since:
        terms.append(Term("since", (since,)))
    if until:
        terms.append(Term("until", (until,)))
    if disputed:
        terms.append(Term("disputed", ()))
    for s in search:
        terms.append(Term(None, (s,)))
    return " ".join(str(t) for t in terms)


def _alternatives(value: str) -> tuple[str, ...] | None:
    """A flag's value read as its term's (`--country Tajikistan,Iran` is `country:Tajikistan,Iran`):
    a comma outside double quotes separates values, "any of"; a quoted part keeps its commas
    (`--actor '"Smith, J"'`) and takes the filter's escapes (`\\"` a quote, `\\\\` a backslash).
    No values at all makes a term `parse` refuses, naming it; None: a quote is left open."""
    parts: list[str] = []
    buf: list[str] = []
    quoted = escaped = False
    for ch in value:
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if quoted:
        return None
    parts.append("".join(buf))
    return tuple(p.strip() for p in parts if p.strip())


class Query(NamedTuple):
    terms: tuple[Term, ...] = ()

    def __str__(self) -> str:
        return " ".join(str(t) for t in self.terms)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matcher(self, dataset: Dataset) -> Callable[[Event], bool]:
        """Compile against a dataset: resolves actor names once, so matching is cheap per event.

        Raises FilterError when an actor or source named in the query does not exist.
        """
        tests: list[Callable[[Event], bool]] = []
        for t in self.terms:
            test = _compile_term(t, dataset)
            tests.append(_negate(test) if t.negated else test)
        if _hides_removed(self, dataset):
            tests.append(lambda e: REMOVED_TAG not in e.tags)
        if not tests:
            return lambda e: True
        if len(tests) == 1:
            return tests[0]
        return lambda e: all(t(e) for t in tests)

    def apply(self, dataset: Dataset, events: Iterable[Event] | None = None) -> list[Event]:
        """The events (all of the dataset's unless given) this query matches, in their order:
        the reference the SQL version (`briefing.sqlquery`) is held to.  A dataset kept in the
        store (`briefing.stored`) answers from its index instead of reading every event."""
        index = getattr(dataset, "index", None)
        if events is None and index is not None:
            return list(index.matches(self))
        match = self.matcher(dataset)
        return [e for e in (dataset.events if events is None else events) if match(e)]


# The last dataset asked about, and its events less the removed ones.
_kept: tuple[Dataset | None, Sequence[Event]] = (None, ())


def _hides_removed(query: Query, ds: Dataset) -> bool:
    """Whether a query leaves out the events ACLED removed: yes, unless it names `removed`
    (or there is no sync ledger in the data directory)."""
    if any(t.field == "removed" for t in query.terms):
        return False
    from briefing.ledger import has_ledger

    return has_ledger(getattr(ds, "root", None))


def removed_hidden(query: Query, ds: Dataset) -> int:
    """How many events ACLED removed a query leaves out because it does not name `removed`
    (0 when it names it, or there is no ledger): what a count of "all" the events must not
    hold without a word (QA s16: `8 selected of 9` with no filter)."""
    if not _hides_removed(query, ds):
        return 0
    return _count(Query((Term("removed", ()),)), ds)


def removed_left_out(query: Query, ds: Dataset) -> int:
    """How many events ACLED removed a query asking what changed (`changed:`) also matches:
    a removal is one of the changes `changed:` names, but the removed events stay out unless
    the query names `removed`, so the brief and the TUI say how many (QA s15: "60 shown" was
    read as the answer where the sync had changed 75).  0 for any other query."""
    if not any(t.field == "changed" and not t.negated for t in query.terms) or not _hides_removed(query, ds):
        return 0
    # the term added as a term, not by parsing the text again (review s15: a query of the most
    # terms a filter may have was refused with one more), and counted, not read
    return _count(Query((*query.terms, Term("removed", ()))), ds)


def _count(query: Query, ds: Dataset) -> int:
    """How many events `query` matches, counted in a view's index, not read (a dataset in
    memory is read)."""
    index = getattr(ds, "index", None)
    if index is not None:
        return int(index.count(query))
    match = query.matcher(ds)
    return sum(1 for e in ds.events if match(e))


def removed_text(n: int) -> str:
    """What the brief, the Markdown and the export's note say of the removed events a
    `changed:` leaves out (`removed_left_out`): one wording everywhere."""
    from briefing.display import counted

    return f"{counted(n, 'event')} ACLED removed also changed then: add `removed` to the filter to list them"


def _negate(test: Callable[[Event], bool]) -> Callable[[Event], bool]:
    return lambda e: not test(e)


def default_events(ds: Dataset) -> Sequence[Event]:
    """What a query with no terms shows: every event, less those ACLED removed (`removed`)."""
    if not _hides_removed(Query(), ds):
        return ds.events
    index = getattr(ds, "index", None)
    if index is not None:  # kept in the store: the index answers without reading every event
        return index.matches(Query())  # type: ignore[no-any-return]
    global _kept
    if _kept[0] is not ds:
        _kept = (ds, [e for e in ds.events if REMOVED_TAG not in e.tags])
    return _kept[1]


def changed_since(t: Term) -> str:
    """A `changed:` term's bound as the ledger's times compare with it: a sync's time as it is
    (`2023-02-06T09:00:00Z`), a date as its first day."""
    value = t.values[0]
    return value if "T" in value else date_low(value)


def _compile_term(t: Term, ds: Dataset) -> Callable[[Event], bool]:
    f = t.field
    if f is None:
        needle = fold(t.values[0])
        return lambda e: needle in ds.haystack(e)
    if f == "disputed":
        return lambda e: is_disputed(e.figures)
    if f == "removed":
        return lambda e: REMOVED_TAG in e.tags
    if f == "changed":
        from briefing.ledger import changed_ids

        changed = changed_ids(ds.root, changed_since(t))
        return lambda e: e.id in changed
    vals = term_values(t)
    if f == "country":
        wanted = set(vals)
        return lambda e: fold(e.country) in wanted
    if f == "admin1":
        wanted = set(vals)
        return lambda e: e.admin1 is not None and fold(e.admin1) in wanted
    if f == "tag":
        wanted = set(vals)
        return lambda e: any(fold(tag) in wanted for tag in e.tags)
    if f == "type":
        slugs: set[str] = set()
        for v in t.values:
            slugs |= type_slugs(v)
        return lambda e: e.type in slugs or (e.sub_type in slugs if e.sub_type else False)
    if f == "since":
        lo = date_low(t.values[0])
        return lambda e: date_high(e.date) >= lo
    if f == "until":
        hi = date_high(t.values[0])
        return lambda e: date_low(e.date) <= hi
    if f == "actor":
        ids = actor_ids(t, ds)
        return lambda e: any(ar.actor in ids for ar in e.actors) or any(fg.claimed_by in ids for fg in e.figures)
    if f in ROLES:
        ids = actor_ids(t, ds)
        return lambda e: any(ar.role == f and ar.actor in ids for ar in e.actors)
    if f == "source":
        sids = source_ids(t, ds)
        return lambda e: (
            any(s in sids for s in e.sources) or any(fg.source in sids or fg.via in sids for fg in e.figures)
        )
    raise FilterError(str(t), f"unknown field {f!r}")  # pragma: no cover - parse() rejects these


def term_values(t: Term) -> list[str]:
    """A term's values as the data holds them: names and labels without regard to case or
    accents (`fold`); a tag as the slug every tag is (`"night attack"`: `night-attack`)."""
    vals = [fold(v) for v in t.values]
    return [_tag_value(v) for v in vals] if t.field == "tag" else vals


def _tag_value(v: str) -> str:
    """A tag value as a slug, a leading `-` kept: `--tag -statement` is the tag `-statement`,
    which no tag can be (a flag's value is never negated), not `statement`, the tag the user
    meant to leave out."""
    return ("-" if v.lstrip().startswith("-") else "") + tag_slug(v)


def actor_ids(t: Term, ds: Dataset) -> set[str]:
    """The ids an actor term (`actor:`, or a role's) names, by id, name or alias; raises
    FilterError for a value that names no actor."""
    ids: set[str] = set()
    for v in t.values:
        found = ds.actors_by_name(v)
        if not found:
            like = actors_like(ds, v)
            hint = f"; did you mean {' or '.join(repr(n) for n in like[:3])}?" if like else ""
            more = f" ({len(like):,} names hold it)" if len(like) > 3 else ""
            raise FilterError(str(t), f"no actor has the id, name or alias {v!r}{hint}{more}")
        ids.update(found)
    return ids


def actors_like(ds: Dataset, text: str) -> list[str]:
    """The names of the actors a name that names none may have meant, for its error: those
    whose name or alias holds it (ACLED's `Military Forces of Uzbekistan (Uzbekistan)` for
    `military forces of uzbekistan`), else the closest spellings."""
    want = fold(text)
    names = [_typable(a) for a in ds.actors if any(want in fold(n) for n in (a.name, *a.aliases))]
    if names or not want:
        return sorted(names, key=len)
    import difflib

    # ids and aliases too (QA s17: `actor:iskpp`, one letter from the alias `iskp`, got no hint)
    pool = {fold(k): _typable(a) for a in ds.actors for k in (a.id, a.name, *a.aliases)}
    return list(dict.fromkeys(pool[k] for k in difflib.get_close_matches(want, list(pool), n=6, cutoff=0.75)))[:3]


def _typable(actor: Actor) -> str:
    """What a suggestion names an actor by: its name, or its id when the name holds a character
    no one can type back (the escaped name the message shows matches nothing, QA s17)."""
    return actor.name if actor.name.isprintable() else actor.id


def unknown_countries(query: Query, ds: Dataset) -> str:
    """What to say of the countries a filter names that no event has, each with the nearest one
    there is (a misspelling being the usual cause): `no event has the country 'Tajikstan'; did
    you mean 'Tajikistan'?`.  Said beside an empty result, or as a note beside matches.  Not an
    error (a misspelt actor is one): a script asking week after week for a country that has no
    events yet gets an empty result, not a failure.  Empty when there is nothing to say."""
    known: dict[str, str] | None = None
    said: list[str] = []
    for t in query.terms:
        if t.field != "country":
            continue
        if known is None:
            known = {fold(c): c for c in ds.countries()}
        for typed in t.values:
            v = fold(typed)
            if v not in known:
                from difflib import get_close_matches

                near = get_close_matches(v, known, 1, 0.75)
                said.append(
                    f"no event has the country {typed!r}" + (f"; did you mean {known[near[0]]!r}?" if near else "")
                )
    return "; ".join(said)


def no_filter_text(ds: Dataset) -> str:
    """What an empty result with no filter says of the data: no events, or none valid when the
    load skipped some (QA s14: "the dataset has no events" of a folder whose one event was
    skipped as invalid)."""
    from briefing.display import counted

    if ds.skipped:
        return f"(no filter; the dataset has no valid events: {counted(ds.skipped, 'invalid record')} skipped)"
    return "(no filter; the dataset has no events)"


def empty_hint(query: Query, ds: Dataset) -> str:
    """Why a filter may have matched nothing: a misspelt country, the removed events a
    `changed:` leaves out (`match_notes`), or a word that is a tag (words are looked for in titles, summaries, places and actor names, not
    in tags: `ambush` found nothing where 9,517 events are tagged so).  Empty when there is
    nothing to say."""
    said = match_notes(query, ds)
    words = False
    for t in query.terms:
        if t.field is None and not t.negated:
            tag = tag_slug(t.values[0])
            if tag and _has_tag(ds, tag):
                said.append(f"{t.values[0]!r} is a tag: tag:{tag} finds the events tagged so")
            elif "," in t.values[0]:  # QA s13: `Kunduz,Takhar` was taken for "either word"
                said.append(f"a comma means 'any of' in a field's values only (country:a,b), not in {t.values[0]!r}")
            else:
                words = True
        elif t.field == "tag" and not t.negated:
            for v in t.values:
                if v.lstrip().startswith("-") and _has_tag(ds, tag := tag_slug(v)):
                    said.append(f"no tag starts with '-': to leave out tag:{tag}, write -f -tag:{tag}")
    # QA s13: `Vahdat` found nothing where the text says `Vakhdat`; said only of words alone
    # (beside `since:2025` the word may be right and the dates empty: the regression pass)
    if words and not any(said) and all(t.field is None for t in query.terms):
        said.append(
            "a word is looked for as typed, another spelling of it finds nothing; "
            "the TUI's ctrl+p finds titles by near spelling"
        )
    return "; ".join(x for x in said if x)


def match_notes(query: Query, ds: Dataset) -> list[str]:
    """What a result is told beside its count, found or not: a misspelt country beside a good one
    (`unknown_countries`), the removed events a `changed:` leaves out (`removed_left_out`)."""
    removed = removed_left_out(query, ds)
    return [x for x in (unknown_countries(query, ds), removed_text(removed) if removed else "") if x]


def _has_tag(ds: Dataset, tag: str) -> bool:
    index = getattr(ds, "index", None)
    if index is not None:  # kept in the store: asked of its index, no event read
        with index.lock:
            return index.conn.execute("SELECT 1 FROM ev_tag WHERE tag = ? LIMIT 1", (tag,)).fetchone() is not None
    return any(tag in e.tags for e in ds.events)


def source_ids(t: Term, ds: Dataset) -> set[str]:
    """The ids a `source:` term names, by id or name (folded, as typed and as held); raises
    FilterError for a value that names no source."""
    sids: set[str] = set()
    for typed in t.values:
        v = fold(typed)
        found = [s.id for s in ds.sources if v in (fold(s.id), fold(s.name))]
        if not found:
            like = sources_like(ds, typed)
            hint = f"; did you mean {' or '.join(repr(i) for i in like[:3])}?" if like else ""
            raise FilterError(str(t), f"no source has the id or name {typed!r}{hint}")
        sids.update(found)
    return sids


def sources_like(ds: Dataset, text: str) -> list[str]:
    """The ids of the sources a value that names none may have meant, for its error: those
    whose id or name holds it (`source:ACLED` for `acled:dataset`, "ACLED (Armed Conflict
    Location & Event Data)", QA s17), shortest first, else the closest spellings."""
    want = fold(text)
    if not want:
        return []
    held = [s.id for s in ds.sources if want in fold(s.id) or want in fold(s.name)]
    if held:
        return sorted(held, key=len)
    import difflib

    pool = {fold(k): s.id for s in ds.sources for k in (s.id, s.name)}
    return list(dict.fromkeys(pool[k] for k in difflib.get_close_matches(want, list(pool), n=6, cutoff=0.75)))


def select(dataset: Dataset, text: str = "") -> list[Event]:
    """Events matching a filter string (the one-call form the CLI uses)."""
    return parse(text).apply(dataset)
