"""The filter's search index gives exactly what the plain definition gives.

The definition: a bare word, casefolded, is a substring of the event's title, summary,
location, admin1, country, actor names and aliases (and admin2/admin3 when it has either),
casefolded and joined by newlines.  `SearchIndex` answers that from shared values, byte planes
and per-event leftovers; these tests hold it to the definition, written out here on its own,
on data made to hit its corners: non-ASCII and case-expanding text ("ß", "ﬁ", "İ", final
sigma), more shared values than fit one page, more actors than one plane slot, actors the
dataset does not know, newlines and NUL inside fields, and words that would match only across
two fields (which must not match, since the newline between them is part of the text).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import search_index as index_mod
from briefing.compare import is_disputed
from briefing.dataset import Dataset
from briefing.filters import Hits, Query, Term
from briefing.records import Actor, ActorRole, Event, Figure

TRICKY = ["Straße", "STRASSE", "ﬁeld", "FIELD", "İstanbul", "ΣΟΦΟΣ", "σοφος", "Dāʿish", "Имарат", "таджикистан",
          "قال مسؤولون", "Ħal Far", "ǅemal", "🙂 ok", "x\x00y", "two\nlines", "tab\there", "ﬃ", "ŉ", "Ǆ"]
WORDS = ["kunduz", "clash", "border", "post", "iraq", "tajik", "attack", "herat", "ninewa", "al", "is"]


_TEXTS: dict[int, tuple[Dataset, list[str]]] = {}


def reference_text(ds: Dataset, e: Event) -> str:
    names = {a.id: " ".join((a.name, *a.aliases)) for a in ds.actors}
    parts = [e.title, e.summary or "", e.location or "", e.admin1 or "", e.country]
    parts += [names.get(ar.actor, ar.actor) for ar in e.actors]
    if e.admin2 or e.admin3:
        parts += [e.admin2 or "", e.admin3 or ""]
    return "\n".join(parts).casefold()


def reference_texts(ds: Dataset) -> list[str]:
    if id(ds) not in _TEXTS or _TEXTS[id(ds)][0] is not ds:
        _TEXTS[id(ds)] = (ds, [reference_text(ds, e) for e in ds.events])
    return _TEXTS[id(ds)][1]


def reference(ds: Dataset, words: list[tuple[str, bool]], disputed: bool | None = None) -> list[int]:
    out = []
    for i, (e, text) in enumerate(zip(ds.events, reference_texts(ds))):
        if all((w.casefold() in text) != neg for w, neg in words):
            if disputed is None or is_disputed(e.figures) == disputed:
                out.append(i)
    return out


def query(words: list[tuple[str, bool]], disputed: bool | None = None) -> Query:
    terms = [Term(None, (w,), neg) for w, neg in words]
    if disputed is not None:
        terms.append(Term("disputed", (), not disputed))
    return Query(tuple(terms))


def phrase(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS + TRICKY) for _ in range(rng.randint(1, 3)))


def make_dataset(seed: int, events: int = 1500, actors: int = 320) -> Dataset:
    """Events whose parts recur (summaries, places, actors: shared values, over several pages)
    or not (titles), with up to 8 actors each, some unknown to the dataset."""
    rng = random.Random(seed)
    cast = [Actor(f"a{i}", f"{phrase(rng)} {i}", "armed-group", aliases=tuple(phrase(rng) for _ in range(rng.randint(0, 2))))
            for i in range(actors)]
    summaries = [f"{phrase(rng)} s{i}" for i in range(700)]
    places = [(f"{phrase(rng)} p{i}", rng.choice(TRICKY + WORDS)) for i in range(400)]
    evs = []
    for i in range(events):
        loc, adm1 = rng.choice(places)
        who = [ActorRole(rng.choice(cast).id if rng.random() < 0.9 else f"ghost-{rng.randint(0, 30)}", "perpetrator")
               for _ in range(rng.choice([0, 1, 2, 2, 3, 5, 8]))]
        evs.append(Event(
            id=f"e{i}", title=f"{phrase(rng)} t{i}", date=f"20{10 + i % 10}-01-{1 + i % 28:02d}",
            country=rng.choice(["Iraq", "Syria", "Tajikistan", "Straße-land", "ΣΟΦΙΑ"]), type="battles",
            location=loc if rng.random() < 0.9 else None, admin1=adm1 if rng.random() < 0.9 else None,
            admin2=rng.choice([None, None, "Kunduz district", phrase(rng)]), admin3=rng.choice([None, "", "ǅ3"]),
            summary=rng.choice(summaries) if rng.random() < 0.8 else (None if rng.random() < 0.5 else phrase(rng)),
            actors=tuple(who), figures=disputed_figures(i) if i % 7 == 0 else ()))
    return Dataset([], cast, evs)


def disputed_figures(i: int) -> tuple[Figure, ...]:
    """Two claims of the same count that disagree, on every other event given figures."""
    return (Figure("killed", "civilians", "a0", "s1", value=3), Figure("killed", "civilians", "a1", "s1", value=3 + i % 2))


def needles(ds: Dataset, rng: random.Random, count: int) -> list[str]:
    """Pieces of the events' texts (some holding a newline), pieces of two adjacent fields
    glued without it, case-expanded spellings, and a few that occur nowhere."""
    out = ["ss", "SS", "ß", "fi", "ﬁ", "FFI", "i̇", "İ", "σ", "ς", "Σ", "ŉ", "ʼn", "\x00", "x\x00y", "\n", "e\nl",
           "zzqq", "🙂", "dž", "Ǆ", " ", "-"]
    for _ in range(count):
        text = rng.choice(reference_texts(ds))
        k = rng.randint(1, 8)
        j = rng.randrange(max(1, len(text) - k))
        out.append(text[j:j + k])
        parts = text.split("\n")
        if len(parts) > 1:  # the end of one field and the start of the next, no newline between
            p = rng.randrange(len(parts) - 1)
            out.append(parts[p][-3:] + parts[p + 1][:3])
        out.append(rng.choice(TRICKY).upper())
    return [n for n in out if n]


@pytest.fixture(params=[None, 200, 0], ids=["default-cap", "cap-200-one-slot", "nothing-shared"])
def shared_cap(request, monkeypatch):
    if request.param is not None:
        monkeypatch.setattr(index_mod, "MAX_SHARED", request.param)
    if request.param == 200:  # an event's second actor in a page goes to its own text
        monkeypatch.setattr(index_mod, "MAX_SLOTS", 1)
    return request.param


def test_index_uses_shared_values_pages_and_slots(shared_cap) -> None:
    ds = make_dataset(1)
    index = ds.search_index()
    if shared_cap is None:  # the generated data is meant to reach the corners
        assert len(index.values) > 2 * index_mod.PAGE
        assert any(len(planes) > 2 for _start, _stop, planes in index.planes)  # actor slots
    elif shared_cap == 200:
        assert len(index.values) == 200 and all(len(planes) == 1 for _start, _stop, planes in index.planes)
    elif shared_cap == 0:
        assert index.values == [] and index.planes == []
    for i, (e, text) in enumerate(zip(ds.events, reference_texts(ds))):
        assert ds.haystack(e) == text
        assert ds.position(e) == i


def test_single_words_match_the_definition(shared_cap) -> None:
    ds = make_dataset(2)
    rng = random.Random(3)
    for needle in needles(ds, rng, 150):
        expected = reference(ds, [(needle, False)])
        assert query([(needle, False)]).indices(ds) == expected, repr(needle)
        assert query([(needle, True)]).indices(ds) == reference(ds, [(needle, True)]), repr(needle)


def test_combined_terms_and_narrowing_match_the_definition(shared_cap) -> None:
    ds = make_dataset(4)
    rng = random.Random(5)
    pool = needles(ds, rng, 60)
    for _ in range(120):
        words = [(rng.choice(pool), rng.random() < 0.3) for _ in range(rng.randint(1, 3))]
        disputed = rng.choice([None, None, True, False])
        expected = reference(ds, words, disputed)
        q = query(words, disputed)
        full = q.indices(ds)
        assert full == expected, (words, disputed)
        # Narrowing: from the result of the first word alone, as a mask or a plain list.
        first = query(words[:1]).indices(ds)
        assert q.narrows(query(words[:1]))
        assert q.indices(ds, first) == expected
        assert q.indices(ds, list(first)) == expected
        assert q.indices(ds, first, query(words[:1])) == expected  # the first word not tested again
        assert q.indices(ds, list(first), query(words[:1])) == expected
        assert q.apply(ds) == [ds.events[i] for i in expected]


def test_typing_a_word_letter_by_letter_narrows_to_the_same_answer() -> None:
    ds = make_dataset(6)
    for typed in ["kunduz", "straße", "STRASSE", "таджикистан", "ﬁeld", "σοφος"]:
        previous = None
        for k in range(1, len(typed) + 1):
            q = query([(typed[:k], False), ("is", True)])
            hits = q.indices(ds, *previous) if previous else q.indices(ds)
            assert hits == reference(ds, [(typed[:k], False), ("is", True)]), typed[:k]
            assert isinstance(hits, Hits) and hits.take(ds.events) == [ds.events[i] for i in hits]
            assert q.indices(ds, hits, q) == hits  # the same query again: nothing left to test
            previous = (hits, q)


def test_matcher_matches_the_definition_for_one_event_and_for_many() -> None:
    ds = make_dataset(7, events=1300)
    for needle in ["ss", "kunduz", "σ", "e\nl", "zzqq"]:
        expected = reference(ds, [(needle, False)])
        one = query([(needle, False)]).matcher(ds)  # a few calls: each event's text built
        sample = expected[:5] + [i for i in range(len(ds.events)) if i not in expected][:5]
        assert [one(ds.events[i]) for i in sample] == [i in expected for i in sample], repr(needle)
        many = query([(needle, False)]).matcher(ds)  # past 1000 calls it looks the word up in all at once
        assert [i for i, e in enumerate(ds.events) if many(e)] == expected, repr(needle)


def test_field_terms_after_words() -> None:
    ds = make_dataset(8)
    q = Query((Term(None, ("is",)), Term("country", ("Iraq",)), Term(None, ("al",), True)))
    expected = [i for i in reference(ds, [("is", False), ("al", True)]) if ds.events[i].country == "Iraq"]
    assert q.indices(ds) == expected
    within = query([("is", False)]).indices(ds)
    assert q.indices(ds, within) == expected


ALPHABET = "aAsSßẞﬁfiIİıσςΣ\n\x00 -é́ǅ"


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(st.text(ALPHABET, max_size=6), st.sampled_from(["", "ss", "SS", "ß", "σς", "fi"]),
                            st.lists(st.integers(0, 5), max_size=4)), min_size=1, max_size=25),
    names=st.lists(st.text(ALPHABET, min_size=1, max_size=5), min_size=6, max_size=6),
    needle=st.text(ALPHABET, min_size=1, max_size=4),
    cap=st.sampled_from([0, 1, 3, 2040]),
    negated=st.booleans(),
)
def test_random_small_datasets(rows, names, needle, cap, negated) -> None:
    cast = [Actor(f"a{i}", names[i], "armed-group") for i in range(5)]  # a5: not in the dataset
    evs = [Event(id=f"e{i}", title=title, date="2020-01-01", country="C", type="battles", summary=summary,
                 location=title[::-1] or None, actors=tuple(ActorRole(f"a{k}", "perpetrator") for k in who))
           for i, (title, summary, who) in enumerate(rows)]
    old = index_mod.MAX_SHARED
    index_mod.MAX_SHARED = cap
    try:
        ds = Dataset([], cast, evs)
        assert query([(needle, negated)]).indices(ds) == reference(ds, [(needle, negated)])
    finally:
        index_mod.MAX_SHARED = old
