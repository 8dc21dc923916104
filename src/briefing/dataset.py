"""The loaded records and the lookups every view needs, built once and never mutated.

Indexes are computed at construction so that a view never scans all events to answer
"which events does this actor appear in" — that matters at 100k events.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

from briefing.records import Actor, Event, Figure, Source
from briefing.vocab import GAVE_FIGURES, REMOVED_TAG, slug

if TYPE_CHECKING:
    from briefing.problems import Problem


_ID = attrgetter("id")


# Apostrophes and quotation marks of other shapes, as the typed ASCII ones: text copied from
# an article writes `Taliban’s` and `“Kharijites”` where a record may write `Taliban's`.
# Guillemets (« », the quotation marks of French and Russian sources) are quotation marks too,
# and an acute accent typed for an apostrophe (`Taliban´s`) is one: mapped before NFKD, which
# would make it a space and an accent.
_QUOTES = {
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u02bc\uff07\u00b4\u2039\u203a"), ord("'")),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\uff02\u00ab\u00bb"), ord('"')),
}


class _Marks(dict[int, "int | None"]):
    """`str.translate`'s table for `fold`: a combining mark (category Mn) to None (dropped),
    any other character to itself, each worked out the first time it is met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_MARKS = _Marks(_QUOTES)  # the quotes NFKD makes (`ŉ` is `ʼn`) made ASCII too: folded text folds to itself
_NOT_ASCII = re.compile(r"([^\x00-\x7f]+)")
_RUNS: dict[str, str] = {}  # a run of non-ASCII characters -> folded (a word of a name, mostly)
_RUNS_KEPT = 4096


def _fold_run(run: str) -> str:
    folded = _RUNS.get(run)
    if folded is None:
        if len(_RUNS) >= _RUNS_KEPT:
            _RUNS.clear()
        folded = _RUNS[run] = unicodedata.normalize("NFKD", run.translate(_QUOTES)).translate(_MARKS).casefold()
    return folded


def fold(text: str) -> str:
    """Text as the filter language compares it: without regard to case or accents (`segou`,
    `Ségou`, `SÉGOU` and `se\u0301gou` are one) or to the shape of an apostrophe or quotation
    mark (`’` is `'`): Unicode NFKD, the combining marks (category Mn) dropped, the quotes
    made ASCII, then casefolded.  Both sides are folded, the records' text and what is typed:
    the search text (`Dataset.haystack`) and the names and labels a term names (country,
    admin1, actor, source, tag).  Shown text is never folded.

    Cheap, as an import calls it for every event: ASCII text (most of it) is only lowercased,
    which is what the rest comes to for it; other text is folded a run of non-ASCII characters
    at a time (a run of it is a word, met again and again: kept), its ASCII lowercased, which
    is the same (ASCII characters are starters: NFKD orders no mark across them; the rest is
    character by character), at about a third of the cost of folding it whole."""
    if text.isascii():
        return text.lower()
    parts = _NOT_ASCII.split(text)
    parts[1::2] = [_RUNS.get(run) or _fold_run(run) for run in parts[1::2]]
    return "".join(parts).encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def tag_slug(text: str) -> str:
    """A tag as every tag is kept and a `tag:` value is read, so that the two meet: the slug
    of its folded text (`manifestação` is `manifestacao`, `Crowd size=no report` is
    `crowd-size-no-report`).  Letters ASCII cannot spell (Cyrillic, Arabic) are kept as a
    short hash of the folded tag after what ASCII could spell (`x3f2a9c1d` alone): an ACLED
    tag in Tajik was dropped without a word (QA s13), and two of them must not become one."""
    folded = fold(text)
    s = slug(folded)
    if not folded.isascii() and (not s or any(ch.isalnum() and not ch.isascii() for ch in folded)):  # most: ASCII
        from hashlib import sha1

        # hashed as a slug is made, runs of what is not a letter or digit one `-` (`Kurgan Тюбе`
        # and `Kurgan-Тюбе` are one tag, as `kurgan tube` and `kurgan-tube` are); a tag of
        # symbols alone (an emoji) is hashed whole rather than dropped
        words = "-".join(w for w in re.split(r"[\W_]+", folded) if w) or folded.strip()
        if not words:
            return ""
        mark = sha1(words.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        s = f"{s[:70].rstrip('-')}-{mark}" if s else f"x{mark}"
    return s[:80].strip("-")


class Dataset:
    __slots__ = (
        "events",
        "actors",
        "sources",
        "problems",
        "skipped",
        "root",
        "_event",
        "_actor",
        "_source",
        "_actor_events",
        "_children",
        "_by_name",
        "_source_claims",
        "_names",
        "_pos",
        "token",
    )

    def __init__(
        self,
        sources: Sequence[Source],
        actors: Sequence[Actor],
        events: Sequence[Event],
        *,
        problems: Sequence[Problem] = (),
        skipped: int = 0,
        root: str | None = None,
        presorted: bool = False,
    ) -> None:
        # Newest first: what an analyst opening the tool wants to see at the top.
        # `presorted`: the caller (the cache) hands over records already in this order.
        if presorted:
            # a lazy sequence (the store's view, `briefing.stored`) is kept as it is
            self.events: Sequence[Event] = events if getattr(events, "lazy", False) else tuple(events)
            self.actors: tuple[Actor, ...] = tuple(actors)
            self.sources: tuple[Source, ...] = tuple(sources)
        else:
            self.events = tuple(sorted(events, key=lambda e: (e.date, e.id), reverse=True))
            self.actors = tuple(sorted(actors, key=lambda a: (a.name.casefold(), a.id)))
            self.sources = tuple(sorted(sources, key=lambda s: (s.name.casefold(), s.id)))
        self.problems = tuple(problems)
        self.skipped = skipped
        self.root = root
        self.token: str | None = None  # the store's token for the files this was built from, when problem-free
        # by id: actors here (few, used at once); events and sources (100k, 50k from an ACLED
        # export) on the first lookup, which a brief or a first frame may never make
        self._event: dict[str, Event] | None = None
        self._actor = dict(zip(map(_ID, self.actors), self.actors))
        self._source: dict[str, Source] | None = None
        self._actor_events: dict[str, list[tuple[Event, tuple[str, ...]]]] | None = None
        self._children: dict[str, list[Actor]] | None = None
        self._by_name: dict[str, list[str]] | None = None
        self._source_claims: dict[str, list[tuple[Event | Actor, Figure]]] | None = None
        self._names: dict[str, str] | None = None
        self._pos: dict[str, int] | None = None

    # -- lookups by id ----------------------------------------------------------------
    def event(self, event_id: str) -> Event | None:
        return self._events_by_id().get(event_id)

    def _events_by_id(self) -> dict[str, Event]:
        by_id = self._event
        if by_id is None:
            by_id = self._event = dict(zip(map(_ID, self.events), self.events))
        return by_id

    def actor(self, actor_id: str) -> Actor | None:
        return self._actor.get(actor_id)

    def source(self, source_id: str) -> Source | None:
        by_id = self._source
        if by_id is None:
            by_id = self._source = dict(zip(map(_ID, self.sources), self.sources))
        return by_id.get(source_id)

    def actor_name(self, actor_id: str) -> str:
        a = self._actor.get(actor_id)
        return a.name if a else actor_id

    def source_name(self, source_id: str) -> str:
        s = self.source(source_id)
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
                    if GAVE_FIGURES not in roles:
                        roles.append(GAVE_FIGURES)
            by_id = self._events_by_id()
            self._actor_events = {
                aid: [(by_id[eid], tuple(r)) for eid, r in by_event.items()] for aid, by_event in index.items()
            }
        return self._actor_events.get(actor_id, [])

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
        """Actor ids whose id, name or any alias equals text, without regard to case or
        accents (`fold`)."""
        if self._by_name is None:
            idx: dict[str, list[str]] = {}
            for a in self.actors:
                for key in {fold(k) for k in (a.id, a.name, *a.aliases)}:
                    idx.setdefault(key, []).append(a.id)
            self._by_name = idx
        return self._by_name.get(fold(text), [])

    def claims_carried_by(self, source_id: str, limit: int | None = None) -> list[tuple[Event | Actor, Figure]]:
        """Every figure a source carries (as outlet or as the `via` carrier), events first in
        their order, then actors; the first `limit` of them if given."""
        if self._source_claims is None:
            idx: dict[str, list[tuple[Event | Actor, Figure]]] = {}
            owners: list[Event | Actor] = [*self.events, *self.actors]
            for owner in owners:
                for f in owner.figures:
                    idx.setdefault(f.source, []).append((owner, f))
                    if f.via and f.via != f.source:
                        idx.setdefault(f.via, []).append((owner, f))
            self._source_claims = idx
        return self._source_claims.get(source_id, [])[:limit]

    def haystack(self, event: Event) -> str:
        """The folded text (`fold`) a bare filter word is looked for in: the event's title, summary,
        place names (location, admin1, country, then ACLED's admin2/admin3 when it has them)
        and its actors' names and aliases, joined by newlines.  Built on each call: the TUI's
        filter keeps them in its SQLite index (`briefing.sqlquery`), not here."""
        e, names = event, self._actor_names()
        parts = [e.title, e.summary or "", e.location or "", e.admin1 or "", e.country]
        parts += [names.get(ar.actor, ar.actor) for ar in e.actors]
        if e.admin2 or e.admin3:  # ACLED's districts; absent from most curated events
            parts += [e.admin2 or "", e.admin3 or ""]
        return fold("\n".join(parts))

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

    def countries(self) -> list[str]:
        """Every country an event names, sorted."""
        return sorted({e.country for e in self.events})

    def actor_event_count(self, actor_id: str) -> int:
        """How many events an actor appears in (`events_of_actor`), those ACLED removed left
        out as every list leaves them (QA s17: the actors list said 5 where the profile said 3)."""
        return sum(REMOVED_TAG not in e.tags for e, _ in self.events_of_actor(actor_id))

    def source_claim_count(self, source_id: str) -> int:
        """How many claims a source carries (`claims_carried_by`), those of events ACLED removed
        left out, as `source_event_count` leaves the events out (QA s17: 1,980 events beside
        2,010 claims)."""
        return sum(REMOVED_TAG not in getattr(owner, "tags", ()) for owner, _ in self.claims_carried_by(source_id))

    def source_event_count(self, source_id: str) -> int:
        """How many events name a source: cite it, or carry a claim it carries or relays (an
        ACLED outlet cites thousands of events and carries no claim: ACLED's is the count); those
        ACLED removed left out, as `actor_event_count`."""
        return sum(
            REMOVED_TAG not in e.tags
            and (source_id in e.sources or any(source_id in (f.source, f.via) for f in e.figures))
            for e in self.events
        )

    # -- summary -------------------------------------------------------------------------
    def figure_count(self) -> int:
        return sum(len(e.figures) for e in self.events) + sum(len(a.figures) for a in self.actors)

    def ids_near(self, event_id: str) -> list[str]:
        """Event ids to look through for one mistyped (`brief --event`'s "did you mean"):
        here every id, the few thousand of curated data."""
        return [e.id for e in self.events]

    def disputes(self) -> int:
        """How many comparisons (`compare.compare`: one metric and subject) have claims that
        cannot all be true, over every event's figures and every actor's."""
        return disputed_among(e.figures for e in self.events) + disputed_among(a.figures for a in self.actors)

    def counts(self) -> dict[str, int]:
        return {
            "events": len(self.events),
            "actors": len(self.actors),
            "sources": len(self.sources),
            "figures": self.figure_count(),
        }


def disputed_among(figure_lists: Iterable[Sequence[Figure]]) -> int:
    """How many comparisons (one metric and subject, `compare.compare`) of each owner's figures
    have claims that cannot all be true."""
    from briefing.compare import compare

    return sum(c.disputed for figures in figure_lists for c in compare(figures))
