"""Controlled vocabularies shared by the schema, the filter language and every renderer.

Kept as plain tuples and dicts (no pydantic, no rich) so that the fast brief path and the
TUI can use them without importing validation machinery.  Closed lists are the ones where a
typo would silently change meaning (qualifiers, roles, Admiralty grades, event types); open
slugs (metrics, subjects, kinds) are documented here but validated only by shape, so an
analyst can add a metric without a code change.
"""

from __future__ import annotations

import re

# Admiralty (NATO) source reliability: belongs to the carrier (outlet, agency).
RELIABILITY: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}

# Admiralty information credibility: belongs to one piece of information (a claim).
CREDIBILITY: dict[int, str] = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}

# How a number was stated.  The symbol is what every view prints in front of the number,
# so "at least 10" reads "≥10" in the TUI, the brief and the Markdown export alike.
QUALIFIERS: dict[str, str] = {
    "exact": "",
    "at-least": "≥",
    "more-than": ">",
    "about": "~",
    "nearly": "<~",
    "up-to": "≤",
    "fewer-than": "<",
}

# Vague words a source uses instead of a number, and the number we read each as: a lower
# bound, never an estimate (ACLED's convention for tens, dozens and hundreds; the others are
# ours, by the same logic: the least the word can mean).  A claim keeps the word (`vague`) and
# stores the reading as `value` with qualifier `at-least`, so it prints "hundreds (read as ≥ 100)".
VAGUE: dict[str, int] = {
    "a few": 2,
    "many": 2,
    "several": 3,
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "tens of thousands": 10000,
}

ROLES: tuple[str, ...] = ("perpetrator", "target", "claimant", "responder", "mentioned")
# Not a role: an actor that gave a figure in an event (a claim's `claimed_by`), counted beside
# its roles there.  The `claimant` role is a claim of responsibility: a ministry that gave the
# toll of an attack did not claim it, and `claimant:` does not find it.
GAVE_FIGURES = "figures"

# A small taxonomy modelled on ACLED's six event types; slugs are what records and the
# filter language use, labels are ACLED's own wording for exports an analyst will diff.
EVENT_TYPES: dict[str, str] = {
    "battles": "Battles",
    "explosions": "Explosions/Remote violence",
    "violence-against-civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic-developments": "Strategic developments",
}

SUB_EVENT_TYPES: dict[str, dict[str, str]] = {
    "battles": {
        "armed-clash": "Armed clash",
        "government-regains-territory": "Government regains territory",
        "non-state-actor-overtakes-territory": "Non-state actor overtakes territory",
    },
    "explosions": {
        "chemical-weapon": "Chemical weapon",
        "air-drone-strike": "Air/drone strike",
        "suicide-bomb": "Suicide bomb",
        "shelling-artillery-missile": "Shelling/artillery/missile attack",
        "remote-explosive": "Remote explosive/landmine/IED",
        "grenade": "Grenade",
    },
    "violence-against-civilians": {
        "sexual-violence": "Sexual violence",
        "attack": "Attack",
        "abduction": "Abduction/forced disappearance",
    },
    "protests": {
        "excessive-force": "Excessive force against protesters",
        "protest-with-intervention": "Protest with intervention",
        "peaceful-protest": "Peaceful protest",
    },
    "riots": {"violent-demonstration": "Violent demonstration", "mob-violence": "Mob violence"},
    "strategic-developments": {
        "agreement": "Agreement",
        "arrests": "Arrests",
        "change-to-group-activity": "Change to group/activity",
        "disrupted-weapons-use": "Disrupted weapons use",
        "headquarters-established": "Headquarters or base established",
        "looting-property-destruction": "Looting/property destruction",
        "non-violent-transfer": "Non-violent transfer of territory",
        "other": "Other",
    },
}

# Short labels for narrow columns (the TUI list at 80 columns, the brief's key events).
EVENT_TYPE_SHORT: dict[str, str] = {
    "battles": "battle",
    "explosions": "explosion",
    "violence-against-civilians": "vs civilians",
    "protests": "protest",
    "riots": "riot",
    "strategic-developments": "strategic",
}

# Open vocabularies: documented, shape-checked, not closed.
METRICS_DOC: tuple[str, ...] = (
    "killed",
    "wounded",
    "detained",
    "fled",
    "projectiles",
    "fighters",
    "joined",
    "pardoned",
    "weapons-seized",
    "held",
    "groups",
)
SUBJECTS_DOC: tuple[str, ...] = (
    "total",
    "attackers",
    "security-forces",
    "civilians",
    "prisoners",
    "militants",
    "guards",
    "foreign-tourists",
    "us-military",
    "citizens",
)
SOURCE_KINDS_DOC: tuple[str, ...] = (
    "news",
    "wire",
    "government",
    "militant-claim",
    "expert",
    "reader-comment",
    "international-org",
    "blog",
    "dataset",
)
ACTOR_KINDS_DOC: tuple[str, ...] = (
    "armed-group",
    "state-agency",
    "government",
    "person",
    "international-org",
    "media",
    "military",
    "unidentified",
)
RELATION_KINDS_DOC: tuple[str, ...] = (
    "enemy",
    "affiliate",
    "member-of",
    "spokesperson-for",
    "leader-of",
    "part-of",
    "pledged-to",
    "official-of",
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Text as a slug: lowercase, each run of other characters one hyphen (`Night attack` is
    `night-attack`): how ACLED's tags and names are kept, and how a `tag:` value is read (an
    ACLED import calls it for every tag of every row)."""
    return _NOT_SLUG.sub("-", text.casefold()).strip("-")


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"

DATE_PRECISIONS: dict[int, str] = {4: "year", 7: "month", 10: "day"}

#: the tag a sync puts on an event ACLED removed (kept readable, hidden unless a filter asks
#: `removed`): here, beside the record words, so that a count of the dataset can leave it out
REMOVED_TAG = "acled-removed"
