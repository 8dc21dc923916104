"""`--format stix`: a STIX 2.1 bundle that passes the official `stix2-validator`.

Mapping (STIX 2.1 CS02 object types):
- actor of kind armed-group or unidentified -> `threat-actor`; any other actor -> `identity`
  (person: individual; agencies, governments, militaries, media, organisations: organization);
- each country -> `location` (ISO 3166-1 alpha-2 code; a country we have no code for is named
  in the incident's description instead);
- each event -> `incident` (title, and a description with date, place, type, summary and every
  claim), with the cited sources as external references;
- each figure claim -> `note` whose `object_refs` are the incident (or the actor it is about)
  and the claimant; its content says the number, qualifier, claimant, carrier and rating, and
  its labels carry the Admiralty grades in MISP's `admiralty-scale` taxonomy, and
  `briefing:superseded` on a claim the same claimant revised later in the same source (the
  figures CSV's `superseded` column, `render.figures.claim_flags`), and `briefing:withdrawn`
  as well on one its claimant withdrew (`withdrawn`: superseded, with no number after it), and
  `briefing:disputed` on a claim of a disputed row (the figures CSV's `disputed`);
- each event -> its `incident` labelled `briefing:disputed` when its claims disagree
  (`compare.is_disputed`, the `disputed` of every other export);
- relationships: incident `attributed-to` threat-actor for perpetrators and claimants of
  responsibility; incident `related-to` actor for every other role (the role in the
  description); incident `related-to` location (its country's, and a point for an event with
  lat/lon); incident `related-to` incident for `related` events both in the bundle; actor
  `located-at` location; branch
  `related-to` parent ("part of"); actor relations as `related-to` with the kind;
- one `report` for the export, referencing every object;
- in a bundle of every event (no filter), each event ACLED removed as a later version of its
  incident, notes and relationships, marked `revoked` (`removed_events`); restored by a later
  export, its objects come back under new ids (`Builder.event_key`): revocation is final.

Deterministic, and versioned as STIX 2.1 asks: ids are UUIDv5 of a stable key (type + record
ids; a claim's note keeps its id when the claim is later revised or withdrawn, or its number
corrected in place), `created` never
changes (an incident's and its notes' and relationships' is the event's date; for an ACLED
event, the first day of the month it was first given, which a later correction (the ledger's
first revision of `event_date`) or a change of ACLED's time precision does not move; an actor's or a
place's is fixed, 1970-01-01, as the earliest event naming it moves when an older event is added
late), and `modified` is the data's last change: the newest modification time of the files in
the data directory (a sync rewrites them), never before `created`.  No object is dated after
that change: an event mistyped into the future is `created` then (fixed, it takes its date).  So re-exporting unchanged
data gives an identical file, never one from the clock, and after any change every object is a
later version of itself: a consumer that keeps the latest version of each id (a TAXII server)
gets the revised tolls.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from briefing.display import counted
from briefing.records import date_low
from briefing.vocab import REMOVED_TAG

if TYPE_CHECKING:
    from briefing.dataset import Dataset
    from briefing.export import Context
    from briefing.records import Event, Figure

NAMESPACE = uuid.UUID("5d1f3c2e-7a4b-5e9f-8c6d-2b1a0f9e8d7c")  # briefing's own namespace for STIX ids
EPOCH = "1970-01-01T00:00:00.000Z"
THREAT_KINDS = frozenset({"armed-group", "unidentified"})
INDIVIDUAL_KINDS = frozenset({"person"})
ORGANIZATION_KINDS = frozenset({"state-agency", "government", "international-org", "media", "military"})
RESPONSIBLE_ROLES = ("perpetrator", "claimant")

# ISO 3166-1 alpha-2 codes for the countries an analyst of this region meets; extend as needed.
COUNTRY_CODES: dict[str, str] = {
    "afghanistan": "AF",
    "albania": "AL",
    "algeria": "DZ",
    "armenia": "AM",
    "australia": "AU",
    "austria": "AT",
    "azerbaijan": "AZ",
    "bahrain": "BH",
    "bangladesh": "BD",
    "belarus": "BY",
    "belgium": "BE",
    "benin": "BJ",
    "bosnia and herzegovina": "BA",
    "burkina faso": "BF",
    "cameroon": "CM",
    "canada": "CA",
    "central african republic": "CF",
    "chad": "TD",
    "china": "CN",
    "colombia": "CO",
    "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "denmark": "DK",
    "djibouti": "DJ",
    "egypt": "EG",
    "eritrea": "ER",
    "ethiopia": "ET",
    "finland": "FI",
    "france": "FR",
    "georgia": "GE",
    "germany": "DE",
    "greece": "GR",
    "india": "IN",
    "indonesia": "ID",
    "iran": "IR",
    "iraq": "IQ",
    "ireland": "IE",
    "israel": "IL",
    "italy": "IT",
    "japan": "JP",
    "jordan": "JO",
    "kazakhstan": "KZ",
    "kenya": "KE",
    "kosovo": "XK",
    "kuwait": "KW",
    "kyrgyzstan": "KG",
    "lebanon": "LB",
    "libya": "LY",
    "maldives": "MV",
    "mali": "ML",
    "mauritania": "MR",
    "mexico": "MX",
    "mongolia": "MN",
    "morocco": "MA",
    "mozambique": "MZ",
    "myanmar": "MM",
    "nepal": "NP",
    "netherlands": "NL",
    "niger": "NE",
    "nigeria": "NG",
    "north korea": "KP",
    "norway": "NO",
    "oman": "OM",
    "pakistan": "PK",
    "palestine": "PS",
    "philippines": "PH",
    "poland": "PL",
    "qatar": "QA",
    "russia": "RU",
    "russian federation": "RU",
    "saudi arabia": "SA",
    "senegal": "SN",
    "somalia": "SO",
    "south africa": "ZA",
    "south korea": "KR",
    "south sudan": "SS",
    "spain": "ES",
    "sri lanka": "LK",
    "sudan": "SD",
    "sweden": "SE",
    "switzerland": "CH",
    "syria": "SY",
    "tajikistan": "TJ",
    "tanzania": "TZ",
    "thailand": "TH",
    "togo": "TG",
    "tunisia": "TN",
    "turkey": "TR",
    "turkiye": "TR",
    "türkiye": "TR",
    "turkmenistan": "TM",
    "uganda": "UG",
    "ukraine": "UA",
    "united arab emirates": "AE",
    "united kingdom": "GB",
    "uk": "GB",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "uzbekistan": "UZ",
    "venezuela": "VE",
    "vietnam": "VN",
    "yemen": "YE",
}


def sid(kind: str, *key: str) -> str:
    """A deterministic STIX id: `kind--uuid5(namespace, kind + key)`."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, chr(31).join((kind, *key)))}"


def ts(date: str | None) -> str:
    """A record date (year, month or day) as a STIX timestamp at the first instant it can mean."""
    return f"{date_low(date)}T00:00:00.000Z" if date else EPOCH


def data_version(root: str | None) -> str | None:
    """The data's last change as a STIX timestamp: the newest modification time of the files
    under root that can be read (None without a root, or with none of them).  What the walk
    could not read (a broken link, a folder it may not enter) is left out, as a load with
    `--skip-invalid` leaves it: the bundle still holds the records of the files that were read."""
    import os
    from datetime import datetime, timezone

    from briefing.walk import walk

    if not root:
        return None
    paths, _problems = walk(root)
    stamps = []
    for p in paths:
        try:
            stamps.append(os.stat(p).st_mtime_ns)
        except OSError:
            continue
    if not stamps:
        return None
    newest = max(stamps)
    when = datetime.fromtimestamp(newest // 1_000_000 / 1000, tz=timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _claim_key(f: Figure) -> tuple[str, ...]:
    return (f.metric, f.subject, f.claimed_by, f.source, f.via or "")


def claim_ranks(figures: Sequence[Figure]) -> list[int]:
    """Each claim's place among the record's claims of one claimant, source and subject (a
    revision beside the count it revised): by the claim's date, then the file's order, so that
    claims moved about in the file keep their notes' ids (an undated claim first)."""
    ranks = [0] * len(figures)
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, f in enumerate(figures):
        groups.setdefault(_claim_key(f), []).append(i)
    for members in groups.values():
        for n, i in enumerate(sorted(members, key=lambda i: (figures[i].date or "", i))):
            ranks[i] = n
    return ranks


def country_code(name: str | None) -> str | None:
    if not name:
        return None
    if len(name) == 2 and name.isalpha() and name.isupper():
        return name
    return COUNTRY_CODES.get(name.strip().casefold())


class Builder:
    """Makes the bundle's objects an event at a time, each handed to `emit` once, as it is
    made (`objects`): an export of a million events never holds their objects, only every
    object's id (the report lists them all) and the actors and places (looked up again)."""

    def __init__(
        self,
        ds: Dataset,
        emit: Callable[[dict[str, Any]], Any],
        disputed_only: bool = False,
        claimed: frozenset[str] = frozenset(),
    ) -> None:
        self.ds = ds
        self.emit = emit
        self.disputed_only = disputed_only  # `--claims disputed`: a note for a disputed claim only
        self.claimed = claimed  # with it, the actors whose own claims have notes (`export.claim_actors`)
        self.ids: set[str] = set()  # every object made so far
        self.objects: dict[str, dict[str, Any]] = {}  # the actors and locations among them
        self.related: list[tuple[str, str, str]] = []  # (incident, event id, related id): `related_links`
        self.event_ids: list[str] = []  # the events made into incidents, and the newest day
        self.latest: str | None = None
        self.version = data_version(getattr(ds, "root", None))
        from briefing.ledger import object_history

        # events whose date a sync corrected, and those a sync put back after a removal
        self.first_dates, self.restored = object_history(getattr(ds, "root", None))

    # -- objects ---------------------------------------------------------------------------
    def add(self, obj: dict[str, Any]) -> str:
        oid: str = obj["id"]
        if oid not in self.ids:
            self.ids.add(oid)
            if obj["type"] in ("threat-actor", "identity", "location") and "latitude" not in obj:
                self.objects[oid] = obj  # looked up again; an event's point never is
            self.emit(obj)
        return oid

    def base(self, kind: str, oid: str, created: str) -> dict[str, Any]:
        """An object's common properties.  Nothing is dated after the data's last change: an
        event mistyped into the future (2099) would make its objects versions no later fix
        could supersede (a later export's `modified` would be older)."""
        if self.version:
            created = min(created, self.version)
        modified = max(created, self.version) if self.version else created
        return {"type": kind, "spec_version": "2.1", "id": oid, "created": created, "modified": modified}

    def location(self, country: str | None) -> str | None:
        code = country_code(country)
        if code is None:
            return None
        oid = sid("location", code)
        if oid not in self.ids:
            obj = self.base("location", oid, EPOCH)
            obj["name"] = country
            obj["country"] = code
            self.add(obj)
        return oid

    def point(self, e: Event, place: str) -> str:
        """The event's coordinates as a location of their own (its country's code beside them)."""
        oid = sid("location", f"{e.lat},{e.lon}", place)
        if oid not in self.ids:
            obj = self.base("location", oid, EPOCH)
            obj["name"] = place
            obj["latitude"] = e.lat
            obj["longitude"] = e.lon
            if code := country_code(e.country):
                obj["country"] = code
            self.add(obj)
        return oid

    def event_key(self, event_id: str) -> str:
        """What an event's objects' ids are made from: its id, and for an event ACLED removed
        and a later export put back, the sync that restored it.  The removal's bundle revoked
        the objects of the old ids, and STIX 2.1 makes revocation final ("future versions of
        the object with this id MUST NOT be created"): the same ids brought back live were
        kept hidden by a TAXII store that follows it (QA s16)."""
        at = self.restored.get(event_id)
        return event_id if at is None else f"{event_id}{chr(31)}restored {at}"

    def related_links(self) -> None:
        """`related` as incident `related-to` incident, between events the bundle holds (a link
        to one it lacks would point at nothing)."""
        held = set(self.event_ids)
        linked: set[tuple[str, str]] = set()
        for _oid, eid, other in self.related:
            pair = (min(eid, other), max(eid, other))  # one link a pair, whichever names the other
            if other in held and pair not in linked:
                linked.add(pair)
                first, second = pair
                self.relationship(
                    sid("incident", self.event_key(first)),
                    sid("incident", self.event_key(second)),
                    "related-to",
                    EPOCH,
                    f"related events ({first}, {second})",
                )

    def actor(self, actor_id: str) -> str | None:
        a = self.ds.actor(actor_id)
        if a is None:
            return None
        threat = a.kind in THREAT_KINDS
        kind = "threat-actor" if threat else "identity"
        oid = sid(kind, a.id)
        if oid in self.objects:
            return oid
        obj = self.base(kind, oid, EPOCH)
        obj["name"] = a.name
        if a.summary:
            obj["description"] = a.summary
        if threat:
            # No threat_actor_types: naming an armed group "terrorist" is a judgement the data
            # does not make; its kind travels as a label.
            if a.aliases:
                obj["aliases"] = list(a.aliases)
        else:
            obj["identity_class"] = (
                "individual"
                if a.kind in INDIVIDUAL_KINDS
                else "organization"
                if a.kind in ORGANIZATION_KINDS
                else "unknown"
            )
            if a.aliases:
                obj["description"] = (obj.get("description", "") + f" Also known as: {', '.join(a.aliases)}.").strip()
        obj["labels"] = [f"briefing:kind={a.kind}"]
        obj["external_references"] = [
            {"source_name": "briefing", "external_id": a.id, "description": "briefing actor id"}
        ]
        self.add(obj)
        loc = self.location(a.country)
        if loc:
            self.relationship(oid, loc, "located-at", obj["created"])
        return oid

    def relationship(self, source: str, target: str, kind: str, created: str, description: str | None = None) -> str:
        oid = sid("relationship", source, kind, target, description or "")
        if oid not in self.ids:
            obj = self.base("relationship", oid, created)
            obj["relationship_type"] = kind
            obj["source_ref"] = source
            obj["target_ref"] = target
            if description:
                obj["description"] = description
            self.add(obj)
        return oid

    def source_ref(self, source_id: str, role: str | None = None) -> dict[str, str]:
        from briefing.render.text import rating_label

        s = self.ds.source(source_id)
        if s is None:
            return {"source_name": source_id, "description": "source not in the dataset"}
        ref = {
            "source_name": s.name,
            "external_id": s.id,
            "description": (f"{role}; " if role else "") + f"Admiralty {rating_label(s)}",
        }
        if s.url:
            # Not the `url` property: STIX wants a hash of the page with it (validator {302}),
            # and we have none, so the address travels in the description.
            ref["description"] += f"; URL: {s.url}"
        return ref

    def claim_note(
        self,
        f: Figure,
        about: str,
        about_key: str,
        created: str,
        n: int,
        superseded: bool = False,
        disputed: bool = False,
    ) -> str:
        from briefing.compare import quantity
        from briefing.render.text import rating

        ds = self.ds
        src = ds.source(f.source)
        code = rating(src, f.credibility)
        # not its date: a claim first exported undated is dated when a sync revises it; not its
        # number: a number corrected in place is a later version of the same note (one claimant's
        # claims in one source about one thing are told apart by `n`, `claim_ranks`)
        key = (about_key, *_claim_key(f))
        oid = sid("note", *key, str(n))
        claimant = self.actor(f.claimed_by)
        what = f"{f.metric}" + ("" if f.subject == "total" else f" ({f.subject})")
        content = [
            f"{what}: {quantity(f)} ({f.qualifier}), claimed by {ds.actor_name(f.claimed_by)}; "
            f"carried by {ds.source_name(f.source)}"
            + (f" via {ds.source_name(f.via)}" if f.via else "")
            + f"; Admiralty rating {code}"
            # the claim's own day, which tells a revision from what it revised (QA s14: two notes of
            # one ministry, 12 and 14, said nothing of which came first)
            + (f"; said on {f.date}." if f.date else ".")
        ]
        if f.wording:
            content.append(f'Wording: "{f.wording}".')
        if f.note:
            content.append(f.note)
        if f.withdrawn:
            content.append(f"Withdrawn by the claimant on {f.withdrawn}.")
        obj = self.base("note", oid, created)
        obj["abstract"] = f"{what} {quantity(f)} per {ds.actor_name(f.claimed_by)}"
        obj["content"] = " ".join(content)
        obj["object_refs"] = [about] + ([claimant] if claimant and claimant != about else [])
        labels = ["briefing:claim", f"briefing:metric={f.metric}", f"briefing:qualifier={f.qualifier}"]
        if superseded:  # a machine-readable flag: without it an old count reads as a live claim
            labels.append("briefing:superseded")
        if f.withdrawn:  # superseded too (`compare.split_revisions`), and why: no number replaced it
            labels.append("briefing:withdrawn")
        if disputed:  # a claim of a row whose claims cannot all be true (the figures CSV's `disputed`)
            labels.append("briefing:disputed")
        if src is not None:
            labels.append(f'admiralty-scale:source-reliability="{src.reliability.lower()}"')
        if f.credibility:
            labels.append(f'admiralty-scale:information-credibility="{f.credibility}"')
        obj["labels"] = labels
        refs = [self.source_ref(f.source, "carrier")]
        if f.via:
            refs.append(self.source_ref(f.via, "relayed through"))
        obj["external_references"] = refs
        return self.add(obj)

    def incident(self, e: Event, selected: bool = True) -> str:
        """The event's incident, relationships and claim notes.  selected: one of the events the
        report counts and dates by (a revoked version of a removed event is not)."""
        from briefing.compare import compare, quantity
        from briefing.render.figures import claim_flags
        from briefing.summary import type_label

        ds = self.ds
        key = self.event_key(e.id)
        oid = sid("incident", key)
        if e.id.startswith("acled:"):
            # ACLED corrects a date (the ledger keeps the first) and refines its precision (a
            # day becomes its month, or back): the first date's month stays, whatever comes
            created = ts((self.first_dates.get(e.id) or e.date)[:7])
        else:
            created = ts(e.date)
        if selected:
            self.event_ids.append(e.id)
            if self.latest is None or date_low(e.date) > self.latest:
                self.latest = date_low(e.date)
        place = ", ".join(dict.fromkeys(p for p in (e.location, e.admin3, e.admin2, e.admin1, e.country) if p))
        # a day is said as a day: "(day precision)" stood beside a note that only the week is
        # known (ACLED's time precision 2, coded as a day), which the note says (QA s17)
        precision = "" if e.date_precision == "day" else f" ({e.date_precision} precision)"
        lines = [f"{e.date}{precision}. {place}. {type_label(e)}."]
        if e.date_note:
            lines.append(f"Date note: {e.date_note}")
        if e.place_note:
            lines.append(f"Place note: {e.place_note}")
        if e.summary:
            lines.append(e.summary)
        comps = compare(e.figures)
        for c in comps:
            claims = "; ".join(
                f"{quantity(f)} per {ds.actor_name(f.claimed_by)} ({ds.source_name(f.source)})" for f in c.claims
            )
            claims += "".join(
                f"; {'withdrawn' if f.withdrawn else 'superseded'}: {quantity(f)} per {ds.actor_name(f.claimed_by)}"
                f" ({f.withdrawn or f.date})"
                for f in c.superseded
            )
            lines.append(f"{c.label}{f' ({c.agreement})' if c.agreement else ''}: {claims.removeprefix('; ')}.")
        obj = self.base("incident", oid, created)
        obj["name"] = e.title
        obj["description"] = "\n".join(lines)
        labels = [f"briefing:type={e.type}"] + ([f"briefing:sub-type={e.sub_type}"] if e.sub_type else [])
        labels += [f"briefing:tag={t}" for t in e.tags]
        if any(c.disputed for c in comps):  # `compare.is_disputed`: the `disputed` of every export
            labels.append("briefing:disputed")
        obj["labels"] = labels
        refs = [{"source_name": "briefing", "external_id": e.id, "description": "briefing event id"}]
        refs += [self.source_ref(s, "cited") for s in e.sources]
        obj["external_references"] = refs
        self.add(obj)

        loc = self.location(e.country)
        if loc:
            self.relationship(oid, loc, "related-to", created, "where it happened")
        if e.lat is not None and e.lon is not None:  # the point, as the record gives it
            self.relationship(oid, self.point(e, place), "related-to", created, "where it happened (coordinates)")
        if selected:
            self.related.extend((oid, e.id, r) for r in e.related)
        for ar in e.actors:
            target = self.actor(ar.actor)
            if target is None:
                continue
            if ar.role in RESPONSIBLE_ROLES and target.startswith("threat-actor--"):
                self.relationship(oid, target, "attributed-to", created, ar.role)
            else:
                self.relationship(oid, target, "related-to", created, ar.role)
        for f, n, (old, disputed) in zip(e.figures, claim_ranks(e.figures), claim_flags(e.figures, comps)):
            if not self.disputed_only or (disputed and not old):  # a revised claim is no part of it
                self.claim_note(f, oid, key, created, n, old, disputed)
        return oid

    def actor_extras(self) -> None:
        """For the actors already in the bundle: parent links, relations among them, own figures."""
        from briefing.render.figures import claim_flags

        ds = self.ds
        for a in list(ds.actors):
            oid = sid("threat-actor" if a.kind in THREAT_KINDS else "identity", a.id)
            if oid not in self.objects:
                continue
            created = self.objects[oid]["created"]
            if a.parent:
                parent = self.actor(a.parent)
                if parent:
                    self.relationship(oid, parent, "related-to", created, "part of")
            for r in a.relations:
                ra = ds.actor(r.actor)
                other = sid("threat-actor" if (ra and ra.kind in THREAT_KINDS) else "identity", r.actor)
                if other in self.objects:
                    self.relationship(oid, other, "related-to", created, r.kind)
            if self.disputed_only and a.id not in self.claimed:
                continue
            for f, n, (old, disputed) in zip(a.figures, claim_ranks(a.figures), claim_flags(a.figures)):
                if not self.disputed_only or (disputed and not old):
                    self.claim_note(f, oid, "actor:" + a.id, created, n, old, disputed)

    def report(self, query: str) -> dict[str, Any] | None:
        if not self.ids:
            return None
        published = ts(self.latest)
        ids = sorted(self.ids)
        # a bundle of the disputed claims is another report than the whole one of the same
        # events (all of them disputed): its own id, not a version of the other's
        key = [query, *(["--claims disputed"] if self.disputed_only else []), *sorted(self.event_ids)]
        obj = self.base("report", sid("report", *key), published)
        n = len(self.event_ids)
        obj["name"] = f"briefing export: {query}" if query else "briefing export: all events"
        if self.disputed_only:
            obj["name"] += " (the disputed claims)"
        obj["description"] = (
            f"{counted(n, 'event')} selected with the filter {query!r}."
            if query
            else f"{counted(n, 'event')}, no filter."
        ) + (
            " Every figure is kept as a separate claim (a note) with its claimant and source; claims are never merged."
            if not self.disputed_only
            else " This bundle holds only the disputed claims (--claims disputed): the events with a disputed"
            " figure, and a note for each current claim of a figure whose claims cannot all be true; the agreed"
            " claims and those their claimants revised are left out (the incidents' descriptions give every claim)."
        )
        if skipped := getattr(self.ds, "skipped", 0):  # a partial bundle says so in itself
            from briefing.problems import skipped_text

            obj["description"] += (
                f" {skipped_text(skipped, self.ds.problems)} left out (--skip-invalid): the data holds records"
                " this bundle lacks."
            )
        obj["published"] = obj["created"]  # the newest event's day, never after the data's last change
        obj["report_types"] = ["threat-report"]
        obj["object_refs"] = ids
        return obj


def objects(
    ds: Dataset,
    events: Iterable[Event],
    query: str = "",
    complete: bool = False,
    revoked: Iterable[Event] = (),
    disputed_only: bool = False,
    claimed: Sequence[str] = (),
) -> Iterator[dict[str, Any]]:
    """The bundle's objects in order, made and handed out an event at a time; the report,
    which lists every other object, last.  `complete` (every event selected) adds the actors
    no event names too.  `revoked`: events ACLED removed, each a later version of its incident,
    its claims' notes and its relationships, marked `revoked` (STIX 2.1's way to say an object
    is withdrawn: a consumer that keeps the latest version of each id stops showing it).
    `disputed_only` (`--claims disputed`): the events with a disputed figure and their disputed
    claims only, no revoked versions, and of the actors' own claims those of `claimed` (the
    actors `export.claim_actors` gives: the figures CSV's), with or without an event."""
    from briefing.compare import is_disputed

    made: list[dict[str, Any]] = []
    b = Builder(ds, made.append, disputed_only, frozenset(claimed))
    for e in events:
        if disputed_only and not is_disputed(e.figures):
            continue
        b.incident(e)
        if REMOVED_TAG in e.tags:  # (`-f removed`) revoked in every bundle, as the whole one has
            _revoke(made)  # it: the same id and `modified` with two contents was two versions (QA s17)
        yield from made
        made.clear()
    for e in revoked:
        b.incident(e, selected=False)
        _revoke(made)
        yield from made
        made.clear()
    if disputed_only:  # the actors whose own disputed claims the figures CSV has: they and those
        for aid in claimed:
            a = ds.actor(aid)
            if a is not None and is_disputed(a.figures):
                b.actor(aid)
    elif complete and b.event_ids:
        for a in ds.actors:
            b.actor(a.id)
    b.actor_extras()
    b.related_links()
    yield from made
    report = b.report(query)
    if report is not None:
        yield report


def _revoke(made: list[dict[str, Any]]) -> None:
    """An event's objects as a removed event's later version: its incident, notes and
    relationships marked `revoked` (an actor or a source it names stays)."""
    for obj in made:
        if obj["type"] in ("incident", "note", "relationship"):
            obj["revoked"] = True


def removed_events(ctx: Context) -> Sequence[Event]:
    """The events ACLED removed, for a bundle of every event (no filter): revoked versions of
    them.  A filtered bundle leaves them out (which of them it would have held is not known)."""
    if ctx.query.strip():
        return ()
    from briefing.filters import parse

    return parse("removed").apply(ctx.ds)  # a few events: asked of the store's index when there is one


def bundle_id(last: dict[str, Any] | None) -> str:
    """The bundle's id, from its report's (the last object; "empty" when there is none)."""
    return sid("bundle", last["id"] if last is not None and last["type"] == "report" else "empty")


def write(out: TextIO, ctx: Context) -> None:
    """The bundle, its objects written as they are made; its id (from the report, made last)
    after them: `{"type": "bundle", "objects": [...], "id": ...}`."""
    from briefing.export import claim_actors
    from briefing.export.json import dumps, write_items

    n = incidents = 0
    last: dict[str, Any] | None = None

    def tallied() -> Iterator[dict[str, Any]]:
        nonlocal n, last, incidents
        revoked = () if ctx.disputed_only else removed_events(ctx)
        claimed = [a.id for a in claim_actors(ctx)] if ctx.disputed_only else []
        for obj in objects(ctx.ds, ctx.events, ctx.query, ctx.complete, revoked, ctx.disputed_only, claimed):
            n += 1
            incidents += obj["type"] == "incident"
            last = obj
            yield obj

    def pieces(obj: dict[str, Any]) -> Iterator[str]:
        """An object's JSON; a report's list of ids (every object's: millions at 1M events)
        a chunk of ids at a time, as `dumps` would write it whole."""
        refs = obj.get("object_refs") if obj["type"] == "report" else None
        if not refs or list(obj)[-1] != "object_refs":
            yield dumps(obj)
            return
        head = dumps({**obj, "object_refs": []})
        yield head[:-2]  # up to `[`, without `]}`
        for k in range(0, len(refs), 10_000):
            yield (", " if k else "") + dumps(refs[k : k + 10_000])[1:-1]
        yield "]}"

    out.write('{\n  "type": "bundle",\n  "objects": ')
    write_items(out, tallied(), pieces)
    out.write(f',\n  "id": {dumps(bundle_id(last))}\n}}\n')
    events = (
        f"the disputed claims of {incidents:,} of {counted(len(ctx.events), 'event')}"
        if ctx.disputed_only
        else counted(len(ctx.events), "event")
    )
    ctx.wrote = f"{events} as a STIX 2.1 bundle of {n:,} objects"
