"""Figure comparison: every claim kept, disputes found, spans printed as an analyst reads them."""

from __future__ import annotations

from briefing.compare import compare, headline, is_disputed, quantity
from briefing.records import Figure


def fig(value=None, q="exact", by="a", src="s", metric="killed", subject="total", low=None, high=None) -> Figure:
    return Figure(metric=metric, subject=subject, claimed_by=by, source=src, value=value, low=low, high=high, qualifier=q)


def test_quantity_reads_with_its_qualifier() -> None:
    assert quantity(fig(17)) == "17"
    assert quantity(fig(10, "at-least")) == "≥10"
    assert quantity(fig(20, "more-than")) == ">20"
    assert quantity(fig(100, "about")) == "~100"
    assert quantity(fig(1000, "more-than")) == ">1,000"
    assert quantity(fig(low=2500, high=3000, q="about")) == "~2,500–3,000"


def test_conflicting_claims_are_kept_side_by_side_never_merged() -> None:
    claims = [
        fig(10, "at-least", by="isis", subject="security-forces"),
        fig(2, by="ministry", subject="security-forces"),
        fig(17, by="authorities"),
    ]
    rows = compare(claims)
    assert [(r.metric, r.subject) for r in rows] == [("killed", "total"), ("killed", "security-forces")]
    sf = rows[1]
    assert sf.disputed
    assert [f.claimed_by for f in sf.claims] == ["ministry", "isis"]  # lowest first, both kept
    assert sf.span == "2–≥10"
    assert (sf.low, sf.high) == (2, None)  # open-ended: "at least" has no ceiling
    assert not rows[0].disputed and rows[0].span == "17"


def test_same_number_from_two_claimants_agrees_rather_than_disputes() -> None:
    [row] = compare([fig(17, by="a"), fig(17, by="b")])
    assert not row.disputed
    assert row.claimants == ("a", "b")


def test_different_qualifier_is_a_dispute() -> None:
    [row] = compare([fig(20, "more-than", by="isis"), fig(32, "at-least", by="authorities")])
    assert row.disputed
    assert row.span == ">20–≥32"


def test_headline_prefers_the_total_and_never_sums_subjects() -> None:
    figures = [fig(15, subject="attackers"), fig(2, subject="security-forces"), fig(10, "at-least", subject="security-forces")]
    h = headline(figures)
    assert h is not None and h.subject == "security-forces"  # most claims, not 15+2
    assert headline([*figures, fig(17)]).span == "17"
    assert headline([fig(5, metric="detained")]) is None


def test_is_disputed_matches_compare() -> None:
    a = [fig(4, metric="detained", by="mvd"), fig(5, metric="detained", by="guards")]
    assert is_disputed(a) and any(r.disputed for r in compare(a))
    b = [fig(4, metric="detained"), fig(5, metric="fled")]
    assert not is_disputed(b) and not any(r.disputed for r in compare(b))


def test_span_of_range_claims_is_unambiguous() -> None:
    [row] = compare([fig(low=200, high=999, q="about", by="a"), fig(1000, "more-than", by="b")])
    assert row.span == "~200–999 to >1,000"


def test_headline_without_total_prefers_the_larger_of_equally_attested_subjects() -> None:
    h = headline([fig(13, subject="us-military"), fig(169, "at-least", subject="afghans")])
    assert h is not None and h.span == "≥169"
