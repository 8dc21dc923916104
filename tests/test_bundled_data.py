"""The curated dataset: complete, valid, and keeping the seeds' disagreements as separate claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.compare import compare
from briefing.loader import load_dataset
from testkit import BUNDLED, REPO

SEEDS = ("000_4176fb2b23319c2e", "001_3c4ca54a119a5776", "002_714efa6a3321b4cf",
         "003_2846cc05296581e9", "004_553ed75f100d1ea2")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(BUNDLED)


def claims(ds, event_id: str, metric: str, subject: str) -> list[tuple[str, str, str]]:
    from briefing.compare import quantity

    [row] = [c for c in compare(ds.event(event_id).figures) if (c.metric, c.subject) == (metric, subject)]
    return [(quantity(f), f.claimed_by, f.source) for f in row.claims]


def test_dataset_size_matches_the_seeds(ds) -> None:
    c = ds.counts()
    assert 25 <= c["events"] <= 45
    assert c["actors"] >= 25
    assert c["sources"] >= 10


def test_every_seed_article_has_a_source_record(ds) -> None:
    seeds = {s.seed for s in ds.sources if s.seed}
    assert seeds == set(SEEDS)
    shared = REPO.parent / "shared" / "seeds"
    if shared.is_dir():  # beside the repository in CI and in a developer's workspace
        assert {p.stem for p in shared.glob("*.txt")} == set(SEEDS)


def test_every_source_is_graded_and_says_why(ds) -> None:
    for s in ds.sources:
        assert s.reliability in "ABCDEF"
        assert s.reliability_note, s.id


def test_reader_comments_are_sources_of_their_own(ds) -> None:
    comments = [s for s in ds.sources if s.kind == "reader-comment"]
    assert len(comments) == 2
    assert all(s.reliability in "EF" for s in comments)


def test_border_post_keeps_both_sides_of_the_dispute(ds) -> None:
    rows = {(c.metric, c.subject): c for c in compare(ds.event("2019-11-06-border-post").figures)}
    assert "17" in [q for q, _, _ in claims(ds, "2019-11-06-border-post", "killed", "total")]
    sf = claims(ds, "2019-11-06-border-post", "killed", "security-forces")
    assert ("≥10", "isis") in [(q, who) for q, who, _ in sf]
    assert any(q == "2" and who in ("tj-interior-ministry", "tj-government") for q, who, _ in sf)
    assert rows[("killed", "security-forces")].disputed
    assert rows[("killed", "security-forces")].span == "2–≥10"
    detained = [q for q, _, _ in claims(ds, "2019-11-06-border-post", "detained", "attackers")]
    assert "4" in detained and "5" in detained


def test_other_disagreements_in_the_seeds_are_separate_claims(ds) -> None:
    riot = [q for q, _, _ in claims(ds, "2019-05-vakhdat-prison-riot", "killed", "total")]
    assert set(riot) == {"≥32", ">20"}
    joined = [q for q, _, _ in claims(ds, "2019-11-tajiks-joined-is", "joined", "citizens")]
    assert set(joined) == {">1,000", "~200–999"}


def test_inferred_years_are_explained(ds) -> None:
    for event_id in ("2022-05-07-rocket-claim-tajikistan", "2019-11-06-border-post", "2019-05-vakhdat-prison-riot"):
        assert ds.event(event_id).date_note, event_id
    assert ds.event("2019-05-vakhdat-prison-riot").date_precision == "month"


def test_aliases_resolve_to_one_actor(ds) -> None:
    for alias in ("ISIS", "ISIL", "Daesh", "IS"):
        assert ds.actors_by_name(alias) == ["isis"], alias
    for alias in ("ISIS-K", "IS-K", "ISKP", "Daesh-Khorasan"):
        assert ds.actors_by_name(alias) == ["iskp"], alias
    assert ds.actors_by_name("Rakhmon") == ds.actors_by_name("Rahmon") != []
