"""Synthetic record sets for benchmarks and tests: `python -m briefing.devtools.synth`.

    python -m briefing.devtools.synth --events 100000 --format toml  OUT_DIR
    python -m briefing.devtools.synth --events 100000 --format acled OUT.csv

The records look like the real thing where it matters for speed and for the views: hundreds
of actors with aliases and Arabic, Persian and Cyrillic names, a parent hierarchy and
relations; sources with Admiralty ratings; events across ten years known to the day, the week
(dated by a day within it, with a note saying so, as ACLED codes it), the month or the year,
ACLED's types and sub-types, places and coordinates; and 2–3 *conflicting* figures per event
from different claimants with different qualifiers.  The same seed gives the same bytes.
`--format acled` writes the same events as an ACLED export (one row per event, ACLED's
columns; the fatalities column is the lowest claim, as ACLED codes it; `time_precision` by
ACLED's codebook, 1 day, 2 week, 3 month, and 3 for a year-dated event too: ACLED has no
coarser level, so that event loads from the CSV dated to its month).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from briefing.acled import MONTH_NAMES
from briefing.vocab import EVENT_TYPES, SUB_EVENT_TYPES

if TYPE_CHECKING:
    from briefing.dataset import Dataset

VERSION = 3  # bump when the output for a seed changes (benchmarks regenerate their data)

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# (country, ISO numeric, ACLED region, ISO3, provinces, (lat, lon) centre)
COUNTRIES = (
    (
        "Afghanistan",
        4,
        "Caspian",
        "AFG",
        ("Kunduz", "Nangarhar", "Kabul", "Helmand", "Badakhshan", "Balkh", "Kandahar", "Herat"),
        (34.5, 67.0),
    ),
    (
        "Tajikistan",
        762,
        "Caspian",
        "TJK",
        ("Khatlon", "Sughd", "Gorno-Badakhshan", "Dushanbe", "Districts of Republican Subordination"),
        (38.6, 70.8),
    ),
    ("Pakistan", 586, "Southern Asia", "PAK", ("Khyber Pakhtunkhwa", "Balochistan", "Punjab", "Sindh"), (30.3, 69.3)),
    (
        "Syria",
        760,
        "Middle East",
        "SYR",
        ("Idleb", "Aleppo", "Deir ez Zor", "Ar-Raqqa", "Homs", "Damascus"),
        (35.0, 38.5),
    ),
    (
        "Iraq",
        368,
        "Middle East",
        "IRQ",
        ("Ninewa", "Anbar", "Salah al-Din", "Diyala", "Kirkuk", "Baghdad"),
        (33.2, 43.7),
    ),
    ("Uzbekistan", 860, "Caspian", "UZB", ("Surxondaryo", "Namangan", "Andijan", "Tashkent"), (41.4, 64.6)),
    ("Kyrgyzstan", 417, "Caspian", "KGZ", ("Batken", "Osh", "Jalal-Abad", "Chuy"), (41.2, 74.8)),
    ("Iran", 364, "Middle East", "IRN", ("Kerman", "Sistan and Baluchestan", "Tehran", "Khuzestan"), (32.4, 53.7)),
    ("Russia", 643, "Europe", "RUS", ("Moscow Oblast", "Dagestan", "Chechnya", "Ingushetia"), (55.7, 37.6)),
    ("Mozambique", 508, "Eastern Africa", "MOZ", ("Cabo Delgado", "Niassa", "Nampula"), (-12.3, 39.6)),
    ("Nigeria", 566, "Western Africa", "NGA", ("Borno", "Yobe", "Adamawa", "Zamfara"), (11.8, 13.1)),
    ("Mali", 466, "Western Africa", "MLI", ("Mopti", "Gao", "Menaka", "Timbuktu"), (15.3, -1.5)),
)
PLACE_STEMS = (
    "Imam",
    "Sahib",
    "Dasht",
    "Qala",
    "Kala",
    "Pul",
    "Khan",
    "Abad",
    "Bala",
    "Nav",
    "Chah",
    "Darya",
    "Sar",
    "Tepa",
    "Bagh",
    "Shahr",
    "Kuh",
    "Rud",
    "Deh",
    "Mir",
    "Ali",
    "Gul",
    "Sang",
    "Ab",
)
LATIN_WORDS = (
    "Islamic",
    "Movement",
    "Front",
    "Brigade",
    "Jamaat",
    "Liberation",
    "Army",
    "Partisans",
    "Sons",
    "Revolutionary",
    "Council",
    "Mujahideen",
    "Shura",
    "National",
    "Popular",
    "Defence",
    "Battalion",
    "Vanguard",
    "Guardians",
    "Lions",
    "Eastern",
    "Northern",
    "Free",
    "United",
    "Khorasan",
    "Turkestan",
)
ARABIC_WORDS = (
    "جبهة",
    "كتيبة",
    "جيش",
    "أنصار",
    "لواء",
    "حركة",
    "الدولة",
    "الإسلامية",
    "المجاهدين",
    "الشام",
    "التحرير",
    "أحرار",
    "جند",
    "الفتح",
    "النصرة",
    "خراسان",
)
PERSIAN_WORDS = ("سپاه", "جنبش", "جبهه", "گروه", "مقاومت", "ملی", "آزادی", "لشکر", "طالبان", "خراسان", "فدائیان")
CYRILLIC_WORDS = (
    "Исламское",
    "движение",
    "Узбекистана",
    "Фронт",
    "Армия",
    "бригада",
    "Джамаат",
    "освобождения",
    "Кавказ",
    "Имарат",
    "Союз",
    "сопротивления",
    "Таджикистана",
    "батальон",
)
STATE_BODIES = (
    "Military Forces",
    "Police Forces",
    "Border Guards",
    "Ministry of Interior",
    "National Security Committee",
    "Special Forces",
    "Ministry of Defence",
    "Intelligence Service",
)
ACTOR_KINDS = ("armed-group", "armed-group", "armed-group", "military", "state-agency", "government", "person", "media")
SOURCE_KINDS = (
    "news",
    "news",
    "news",
    "wire",
    "government",
    "militant-claim",
    "expert",
    "reader-comment",
    "international-org",
    "blog",
)
OUTLET_WORDS = (
    "Times",
    "Herald",
    "Post",
    "Daily",
    "News",
    "Tribune",
    "Observer",
    "Voice",
    "Radio",
    "Agency",
    "Monitor",
    "Gazette",
    "Express",
    "Wire",
    "Telegraph",
    "Review",
)
CITY_WORDS = (
    "Kabul",
    "Dushanbe",
    "Tashkent",
    "Islamabad",
    "Baghdad",
    "Damascus",
    "Moscow",
    "Tehran",
    "Bamako",
    "Maputo",
    "Lagos",
    "Bishkek",
    "Almaty",
    "Doha",
    "Geneva",
    "London",
    "Paris",
)
METRICS = (("killed", 0.7), ("wounded", 0.2), ("detained", 0.06), ("fled", 0.04))
SUBJECTS = ("total", "total", "total", "security-forces", "civilians", "militants", "attackers")
QUALIFIER_MIX = (
    "exact",
    "exact",
    "exact",
    "at-least",
    "at-least",
    "about",
    "more-than",
    "up-to",
    "nearly",
    "fewer-than",
)
TAGS = (
    "border",
    "night-attack",
    "claimed",
    "disputed-claim",
    "ied",
    "checkpoint",
    "kidnapping",
    "prison",
    "drone",
    "mosque",
    "market",
    "convoy",
    "statement",
    "retaliation",
    "cross-border",
    "ambush",
)
SUMMARY_BITS = (
    "Officials said the attackers came at night and withdrew before reinforcements arrived.",
    "A spokesman for the group claimed responsibility in a statement posted online.",
    "Local elders gave a higher toll than the provincial authorities.",
    "The ministry did not say how many of the dead were civilians.",
    "Residents described hours of gunfire near the district centre.",
    "Both sides claimed to have inflicted heavy losses; neither figure could be verified.",
    "Медицинские источники сообщили о раненых среди мирных жителей.",
    "قال مسؤولون محليون إن الهجوم استهدف نقطة تفتيش.",
    "به گفته مقامات محلی، مهاجمان پس از درگیری عقب‌نشینی کردند.",
    "The figures were later revised by the interior ministry.",
    "A reader comment under the report named a different number.",
)
# What is known of an event's date → ACLED's `time_precision` (its codebook: 1 day, 2 week,
# 3 month).  ACLED has no year precision: a year-dated event is written with its coarsest.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
# Curated TOML says in `date_note` what a coarse date stands for (half the time; always for a
# week, whose date is a day and would otherwise pass for a known one).
DATE_NOTES = {
    "week": "Only the week is known; the date is a day within it.",
    "month": "Only the month is known.",
    "year": "Only the year is known.",
}
INTER_TEXT = (
    "",
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ("a" <= ch <= "z" or "0" <= ch <= "9") else "-")
    return "-".join(p for p in "".join(out).split("-") if p)


class World:
    """Actors, sources and events drawn from one seeded random generator."""

    def __init__(self, events: int, seed: int = 1, actors: int | None = None, sources: int | None = None):
        self.seed = seed
        self.rng = random.Random(seed)
        n_actors = actors if actors is not None else max(60, min(800, events // 250))
        n_sources = sources if sources is not None else max(40, min(400, events // 400))
        self.actors = [self._actor(i) for i in range(n_actors)]
        self.sources = [self._source(i) for i in range(n_sources)]
        self.n_events = events
        # A few actors do most of the fighting, as in real data.
        weights = [1.0 / (1 + i % 97) ** 0.8 for i in range(n_actors)]
        self._actor_cum = list(itertools.accumulate(weights))

    # -- actors and sources ---------------------------------------------------------------
    def _actor(self, i: int) -> dict[str, Any]:
        r = self.rng
        country = COUNTRIES[i % len(COUNTRIES)]
        script = r.random()
        kind = r.choice(ACTOR_KINDS)
        if kind in ("military", "state-agency", "government"):
            name = f"{r.choice(STATE_BODIES)} of {country[0]}"
            if r.random() < 0.3:
                name += f" ({r.randint(1990, 2015)}-{r.randint(2016, 2024)})"
        elif kind == "person":
            name = f"{r.choice(('Abu', 'Mullah', 'Sheikh', 'Commander', 'Haji'))} {r.choice(PLACE_STEMS)}{r.choice(PLACE_STEMS).lower()} al-{r.choice(PLACE_STEMS)}i"
        elif script < 0.15:
            name = " ".join(r.sample(ARABIC_WORDS, r.randint(2, 3)))
        elif script < 0.25:
            name = " ".join(r.sample(PERSIAN_WORDS, r.randint(2, 3)))
        elif script < 0.35:
            name = " ".join(r.sample(CYRILLIC_WORDS, r.randint(2, 3)))
        else:
            name = " ".join(r.sample(LATIN_WORDS, r.randint(2, 4)))
        name = f"{name} {i}" if r.random() < 0.5 else name + f" ({country[0]})"
        aliases: list[str] = []
        words = [w for w in name.replace("(", " ").replace(")", " ").split() if w[:1].isalpha()]
        if len(words) >= 2:
            aliases.append("".join(w[0] for w in words).upper() + str(i))
        if r.random() < 0.5:
            aliases.append(f"{r.choice(LATIN_WORDS)} {r.choice(LATIN_WORDS)} {i}")
        if r.random() < 0.2:
            aliases.append(" ".join(r.sample(CYRILLIC_WORDS, 2)) + f" {i}")
        if r.random() < 0.2:
            aliases.append(" ".join(r.sample(ARABIC_WORDS, 2)) + f" {i}")
        rec: dict[str, Any] = {"id": f"actor-{i:04d}", "name": name, "kind": kind}
        if aliases:
            rec["aliases"] = aliases
        if i > 10 and r.random() < 0.25:
            rec["parent"] = f"actor-{r.randrange(0, i):04d}"  # parents come first: no cycles
        rec["country"] = country[0]
        if r.random() < 0.6:
            rec["summary"] = f"{name} is active in {country[0]}. " + r.choice(SUMMARY_BITS)
        if i > 5 and r.random() < 0.3:
            rec["relations"] = [
                {"actor": f"actor-{r.randrange(0, i):04d}", "kind": r.choice(("enemy", "affiliate", "pledged-to"))}
            ]
        return rec

    def _source(self, i: int) -> dict[str, Any]:
        r = self.rng
        kind = r.choice(SOURCE_KINDS)
        if kind == "reader-comment":
            name = f"Reader comment #{i}"
        elif kind == "government":
            name = f"{r.choice(STATE_BODIES)} of {r.choice(COUNTRIES)[0]} press office"
        elif kind == "militant-claim":
            name = f"{r.choice(('Amaq', 'Al-Naba', 'Telegram channel', 'Umar Media'))} {i}"
        else:
            name = f"{r.choice(CITY_WORDS)} {r.choice(OUTLET_WORDS)}"
            if r.random() < 0.2:
                name = r.choice(("Радио ", "Новости ", "خبرگزاری ", "صحيفة ")) + name
        rec: dict[str, Any] = {
            "id": f"src-{i:04d}-{_slug(name)[:30] or 'x'}",
            "name": name,
            "kind": kind,
            "reliability": r.choice("AABBBCCCDDEFF"),
        }
        if r.random() < 0.5:
            rec["published"] = f"{r.randint(2015, 2024)}-{r.randint(1, 12):02d}"
        if r.random() < 0.3:
            rec["reliability_note"] = "Graded on its record in earlier reports."
        if r.random() < 0.3:
            rec["url"] = f"https://example.org/{_slug(name)[:20] or 'src'}/{i}"
        return rec

    # -- events -------------------------------------------------------------------------------
    def events(self) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """Yield (event record, ACLED extras) for every event: the same events on every call."""
        r = random.Random(f"{self.seed}/events")
        types = list(EVENT_TYPES)
        type_weights = (40, 25, 15, 10, 4, 6)
        n_actors = len(self.actors)
        for i in range(self.n_events):
            country, _iso, _region, iso3, provinces, (clat, clon) = COUNTRIES[r.randrange(len(COUNTRIES))]
            etype = r.choices(types, type_weights)[0]
            sub = r.choice(list(SUB_EVENT_TYPES[etype]))
            year = r.randint(2015, 2024)
            month = r.randint(1, 12)
            day = r.randint(1, 28)
            p = r.random()
            precision = "day" if p < 0.85 else ("week" if p < 0.94 else ("month" if p < 0.985 else "year"))
            # A week is no ISO partial date: it is dated by the day (ACLED's coded day within it).
            date = {"month": f"{year}-{month:02d}", "year": f"{year}"}.get(precision, f"{year}-{month:02d}-{day:02d}")
            admin1 = r.choice(provinces)
            location = (
                r.choice(PLACE_STEMS)
                + r.choice(PLACE_STEMS).lower()
                + (" " + r.choice(PLACE_STEMS) if r.random() < 0.3 else "")
            )
            lat = round(clat + r.uniform(-2, 2), 4)
            lon = round(clon + r.uniform(-2, 2), 4)
            a1, a2 = r.choices(range(n_actors), cum_weights=self._actor_cum, k=2)
            if a2 == a1:
                a2 = (a1 + 1) % n_actors
            roles = [(a1, "perpetrator"), (a2, "target")]
            if r.random() < 0.3:
                roles.append((r.randrange(n_actors), r.choice(("claimant", "responder", "mentioned"))))
            roles = list({a: (a, role) for a, role in roles}.values())
            metric = r.choices([m for m, _ in METRICS], [w for _, w in METRICS])[0]
            subject = r.choice(SUBJECTS)
            base = r.choice((0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 70, 100, 150, 300))
            n_fig = r.choice((2, 2, 3))
            claimants = [a1]  # the perpetrator claims its own number; others dispute it
            while len(claimants) < n_fig:
                c = r.randrange(n_actors)
                if c not in claimants:
                    claimants.append(c)
            srcs = r.sample(range(len(self.sources)), min(len(self.sources), r.randint(1, 3)))
            figures = []
            for k in range(n_fig):
                q = r.choice(QUALIFIER_MIX)
                fig: dict[str, Any] = {"metric": metric, "subject": subject}
                if r.random() < 0.08 and base > 2:
                    fig["low"] = base - r.randint(1, base // 2 + 1) if base > 1 else 0
                    fig["low"] = max(0, fig["low"])
                    fig["high"] = base + r.randint(1, 20)
                    q = r.choice(("exact", "about"))
                else:
                    fig["value"] = max(0, base + (0 if k == 0 else r.randint(-base // 2 - 1, base + 5)))
                    if q == "fewer-than" and fig["value"] == 0:  # allows no number: the schema refuses it
                        q = "up-to"
                fig["qualifier"] = q
                fig["claimed_by"] = self.actors[claimants[k]]["id"]
                fig["source"] = self.sources[srcs[k % len(srcs)]]["id"]
                if r.random() < 0.5:
                    fig["credibility"] = r.randint(1, 6)
                if r.random() < 0.2:
                    fig["wording"] = f"{q.replace('-', ' ')} {fig.get('value', fig.get('low'))} {metric}"
                figures.append(fig)
            sub_label = SUB_EVENT_TYPES[etype][sub]
            actor_names = [self.actors[a]["name"] for a, _ in roles]
            title = f"{sub_label} in {location}, {admin1}"
            if len(title) < 60 and r.random() < 0.7:
                title += f": {actor_names[0]}"
            summary = " ".join(r.sample(SUMMARY_BITS, r.randint(1, 3)))
            ev: dict[str, Any] = {
                "id": f"syn-{i:06d}",
                "title": title,
                "date": date,
                "country": country,
                "type": etype,
                "sub_type": sub,
                "location": location,
                "admin1": admin1,
                "lat": lat,
                "lon": lon,
                "summary": summary,
                "tags": sorted(r.sample(TAGS, r.randint(0, 3))),
                "actors": [{"actor": self.actors[a]["id"], "role": role} for a, role in roles],
                "figures": figures,
                "sources": [self.sources[s]["id"] for s in srcs],
            }
            # Drawn for every coarse date, a week's too (whose note is always written): the same
            # draws as VERSION 2 made, so every other field of every event is as it was.
            noted = precision != "day" and r.random() < 0.5
            if precision == "week" or noted:
                ev["date_note"] = DATE_NOTES[precision]
            extra = {
                "time_precision": TIME_PRECISION[precision],
                "day": day,
                "month": month,
                "year": year,
                "iso3": iso3,
                "iso": _iso,
                "region": _region,
                "geo_precision": r.randint(1, 3),
                "admin2": admin1 + " district" if r.random() < 0.8 else "",
                "roles": roles,
            }
            yield ev, extra


# -- writers ------------------------------------------------------------------------------------
def toml_record(kind: str, rec: dict[str, Any]) -> str:
    """One record as `briefing.tomlwrite` writes it, then a blank line before the next."""
    from briefing.tomlwrite import toml_record as record

    return record(kind, rec) + "\n"


def _atomic_write(path: Path, write: Callable[[TextIO], object]) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        write(fh)
    os.replace(tmp, path)


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    _atomic_write(path, lambda fh: fh.writelines(lines))


def write_toml(world: World, out: Path) -> list[Path]:
    """sources.toml, actors.toml and one events-YYYY.toml per year under out/."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, kind, recs in (("sources.toml", "source", world.sources), ("actors.toml", "actor", world.actors)):
        path = out / name
        _write_lines(path, (toml_record(kind, r) for r in recs))
        written.append(path)
    by_year: dict[str, list[str]] = {}
    for ev, _extra in world.events():
        by_year.setdefault(ev["date"][:4], []).append(toml_record("event", ev))
    for year, chunks in sorted(by_year.items()):
        path = out / f"events-{year}.toml"
        _write_lines(path, chunks)
        written.append(path)
    return written


class Lexicon:
    """A vocabulary of `size` made-up names (places, people, units), drawn by Zipf's law
    (the k-th name about 1/k as often as the first): real notes name far more distinct words
    than the synthetic sentences, and the word index's look-ups grow with its vocabulary."""

    SYLLABLES = tuple(c + v for c in "bdfghjklmnprstvz" for v in "aeiou") + ("kh", "sh", "zh", "ch")

    def __init__(self, size: int, seed: int = 1) -> None:
        r = random.Random(f"{seed}/lexicon")
        names: dict[str, None] = {}
        while len(names) < size:
            names["".join(r.choices(self.SYLLABLES, k=r.randint(2, 5)))] = None
        self.names = list(names)
        self.cum = list(itertools.accumulate(1 / k for k in range(1, size + 1)))

    def words(self, r: random.Random, k: int) -> list[str]:
        return [w.capitalize() for w in r.choices(self.names, cum_weights=self.cum, k=k)]


LEXICON_WORDS = 12  # made-up names added to each event's notes with --lexicon


def acled_rows(world: World, date_style: str = "iso", lexicon: Lexicon | None = None) -> Iterator[dict[str, Any]]:
    """The world's events as ACLED export rows (dicts keyed by ACLED_COLUMNS): the same events
    `write_toml` writes, one row each (with a lexicon, the notes name some of its words too;
    every other field is as without)."""
    r = random.Random(f"{world.seed}/acled")
    drawn = random.Random(f"{world.seed}/lexicon-draws")
    inter_codes = {
        a["id"]: (1 if a["kind"] in ("military", "state-agency", "government") else r.choice((2, 3, 4, 8)))
        for a in world.actors
    }
    names = {a["id"]: a["name"] for a in world.actors}
    source_names = {s["id"]: s["name"] for s in world.sources}
    for n, (ev, ex) in enumerate(world.events()):
        roles = [(world.actors[a]["id"], role) for a, role in ex["roles"]]
        a1 = roles[0][0]
        a2 = roles[1][0] if len(roles) > 1 else None
        assoc = [aid for aid, _ in roles[2:]]
        if date_style == "long" or (date_style == "mixed" and n % 2):
            date = f"{ex['day']:02d} {MONTH_NAMES[ex['month'] - 1]} {ex['year']}"
        else:
            date = f"{ex['year']}-{ex['month']:02d}-{ex['day']:02d}"
        kills = [f.get("value", f.get("low")) for f in ev["figures"] if f["metric"] == "killed"]
        inter1 = inter_codes[a1]
        inter2 = inter_codes[a2] if a2 else 0
        notes = f"On {date}, {ev['title']}. {ev['summary']}"
        if len(ev["figures"]) > 1:
            notes += (
                " Reports conflict: "
                + "; ".join(f"{names[f['claimed_by']]} said {f.get('value', f.get('low'))}" for f in ev["figures"])
                + "."
            )
        if n % 50 == 0:
            notes += "\nSecond paragraph, after a line break in the export."
        if lexicon is not None:
            notes += " Also named: " + " ".join(lexicon.words(drawn, LEXICON_WORDS)) + "."
        src_names = "; ".join(source_names[s] for s in ev["sources"])
        row = {
            "event_id_cnty": f"{ex['iso3']}{n + 1}",
            "event_date": date,
            "year": ex["year"],
            "time_precision": ex["time_precision"],
            "disorder_type": "Political violence"
            if ev["type"] not in ("protests", "strategic-developments")
            else "Demonstrations",
            "event_type": EVENT_TYPES[ev["type"]],
            "sub_event_type": SUB_EVENT_TYPES[ev["type"]][ev["sub_type"]],
            "actor1": names[a1],
            "assoc_actor_1": "; ".join(names[a] for a in assoc),
            "inter1": inter1 if n % 3 else INTER_TEXT[inter1],
            "actor2": names[a2] if a2 else "",
            "assoc_actor_2": "",
            "inter2": inter2 if n % 3 else INTER_TEXT[inter2],
            "interaction": inter1 * 10 + inter2,
            "civilian_targeting": "Civilian targeting" if ev["type"] == "violence-against-civilians" else "",
            "iso": ex["iso"],
            "region": ex["region"],
            "country": ev["country"],
            "admin1": ev["admin1"],
            "admin2": ex["admin2"],
            "admin3": "",
            "location": ev["location"],
            "latitude": ev["lat"],
            "longitude": ev["lon"],
            "geo_precision": ex["geo_precision"],
            "source": src_names,
            "source_scale": r.choice(
                ("National", "Subnational", "International", "Local partner-National", "New media")
            ),
            "notes": notes,
            "fatalities": min(kills) if kills else 0,
            "tags": "; ".join(t.replace("-", " ") for t in ev["tags"]),
            "timestamp": 1_600_000_000 + n,
        }
        yield row


def write_acled(world: World, out: Path, date_style: str = "iso", lexicon: int = 0) -> Path:
    if out.is_dir():
        out = out / "acled.csv"
    out.parent.mkdir(parents=True, exist_ok=True)

    def write(fh: TextIO) -> None:
        w = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(acled_rows(world, date_style, Lexicon(lexicon, world.seed) if lexicon else None))

    _atomic_write(out, write)
    return out


def dataset(events: int, seed: int = 1, actors: int | None = None) -> Dataset:
    """The world as an in-memory `Dataset` (no files, no validation): for tests and benchmarks
    that need many events fast.  The same records a load of `write_toml`'s output gives."""
    from briefing.dataset import Dataset
    from briefing.records import actor_from_dict, event_from_dict, source_from_dict

    world = World(events, seed=seed, actors=actors)
    return Dataset(
        [source_from_dict(s) for s in world.sources],
        [actor_from_dict(a) for a in world.actors],
        [event_from_dict(e) for e, _extra in world.events()],
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m briefing.devtools.synth", description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--format", choices=("toml", "acled"), default="toml")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--actors", type=int, default=None, help="number of actors (default: scales with events)")
    p.add_argument(
        "--acled-dates",
        choices=("iso", "long", "mixed"),
        default="iso",
        help="ACLED date style: 2019-11-06, 06 November 2019, or both",
    )
    p.add_argument(
        "--lexicon",
        type=int,
        default=0,
        help="ACLED notes also name words drawn from a vocabulary of this many made-up names (Zipf)",
    )
    p.add_argument("out", help="output directory (toml) or CSV file or directory (acled)")
    args = p.parse_args(argv)
    world = World(args.events, seed=args.seed, actors=args.actors)
    if args.format == "toml":
        paths = write_toml(world, Path(args.out))
        print(f"wrote {args.events} events in {len(paths)} files under {args.out}", file=sys.stderr)
    else:
        path = write_acled(world, Path(args.out), args.acled_dates, args.lexicon)
        print(f"wrote {args.events} ACLED rows to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
