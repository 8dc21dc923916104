"""Figure comparison: claims as intervals, disputes only where claims cannot both hold,
revisions apart from disputes, totals that add up."""

from __future__ import annotations

from hypothesis import given, strategies as st

from briefing.compare import (
    compare,
    conflict,
    disputed_rows,
    event_total,
    interval,
    is_disputed,
    overlap,
    quantity,
    sum_totals,
)
from briefing.records import Figure
from briefing.vocab import QUALIFIERS, VAGUE


def fig(
    value=None,
    q="exact",
    by="a",
    src="s",
    metric="killed",
    subject="total",
    low=None,
    high=None,
    date=None,
    vague=None,
    best=None,
) -> Figure:
    return Figure(
        metric=metric,
        subject=subject,
        claimed_by=by,
        source=src,
        value=value,
        low=low,
        high=high,
        qualifier=q,
        date=date,
        vague=vague,
        best=best,
    )


def test_quantity_reads_with_its_qualifier() -> None:
    assert quantity(fig(17)) == "17"
    assert quantity(fig(10, "at-least")) == "≥10"
    assert quantity(fig(20, "more-than")) == ">20"
    assert quantity(fig(100, "about")) == "~100"
    assert quantity(fig(1000, "more-than")) == ">1,000"
    assert quantity(fig(low=2500, high=3000, q="about")) == "~2,500–3,000"
    assert quantity(fig(low=10, high=20, best=15)) == "10–20 (best 15)"


def test_interval_rules() -> None:
    assert interval(fig(17)) == (17, 17)
    assert interval(fig(17, "at-least")) == (17, None)
    assert interval(fig(20, "more-than")) == (21, None)
    assert interval(fig(100, "nearly")) == (90, 100)
    assert interval(fig(6000, "nearly")) == (5400, 6000)
    assert interval(fig(20, "about")) == (18, 22)
    assert interval(fig(5, "up-to")) == (0, 5)
    assert interval(fig(5, "fewer-than")) == (0, 4)
    assert interval(fig(low=12, high=18)) == (12, 18)
    assert interval(fig(100, "at-least", vague="hundreds")) == (100, None)


def test_real_disputes_are_kept_side_by_side_never_merged() -> None:
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
    assert row.agreement == "2 agree"


def test_border_post_17_and_at_least_17_agree_with_17_as_consensus() -> None:
    # What a user saw: `17–≥17 !` in the list for two claims that can both be true.
    [row] = compare([fig(17, by="gov", src="afp"), fig(17, "at-least", by="gov", src="repost")])
    assert not row.disputed
    assert row.span == "17"
    assert row.consensus == (17, 17)
    assert not is_disputed(row.claims)


def test_vakhdat_more_than_20_and_at_least_32_agree() -> None:
    # The record's own note calls these consistent; the old code flagged them.
    [row] = compare([fig(20, "more-than", by="isis"), fig(32, "at-least", by="report")])
    assert not row.disputed
    assert row.span == "≥32"  # the narrowest of the two
    assert row.consensus == (32, None)


def test_real_disputes_stay_disputed() -> None:
    assert is_disputed([fig(2, subject="sf"), fig(10, "at-least", by="isis", subject="sf")])
    assert is_disputed([fig(4, metric="detained"), fig(5, metric="detained", by="guards")])
    assert not is_disputed([fig(4, metric="detained"), fig(5, metric="fled")])


def test_revisions_by_the_same_claimant_and_source_are_superseded_not_disputed() -> None:
    old = fig(3, by="acled", src="acled", date="2023-01-30")
    new = fig(7, by="acled", src="acled", date="2023-02-06")
    [row] = compare([new, old])
    assert not row.disputed
    assert row.claims == (new,)
    assert row.superseded == (old,)
    assert not is_disputed([old, new])
    t = event_total([old, new])
    assert t is not None and (t.low, t.high) == (7, 7)
    # another claimant's different number is still a dispute with the current figure
    assert is_disputed([old, new, fig(3, by="ministry", src="news")])
    # undated claims are never taken for revisions
    assert is_disputed([fig(3, by="acled", src="acled"), fig(7, by="acled", src="acled")])


def test_vague_words_read_as_a_lower_bound_and_shown_with_the_word() -> None:
    hundreds = fig(100, "at-least", vague="hundreds", metric="joined")
    assert quantity(hundreds) == "hundreds (read as ≥ 100)"
    [row] = compare([hundreds, fig(1000, "more-than", metric="joined", by="gov")])
    assert not row.disputed  # "hundreds" and "more than 1,000" can both be true
    assert VAGUE == {**VAGUE, "tens": 10, "dozens": 12, "hundreds": 100}  # ACLED's readings


def test_total_claim_is_the_headline() -> None:
    figures = [fig(15, subject="attackers"), fig(2, subject="security-forces"), fig(17)]
    t = event_total(figures)
    assert t is not None and not t.derived and (t.low, t.high) == (17, 17) and str(t) == "17"


def test_no_total_sums_disjoint_subjects_marked_derived() -> None:
    # Kabul evacuation attack: the old headline showed `≥169`, dropping the 13 US dead.
    t = event_total([fig(13, subject="us-military"), fig(169, "at-least", subject="afghans")])
    assert t is not None and t.derived
    assert (t.low, t.high) == (182, None)
    assert t.number == "≥182"
    assert "us-military" in str(t) and "afghans" in str(t)
    closed = event_total([fig(15, subject="attackers"), fig(2, subject="security-forces")])
    assert closed is not None and (closed.low, closed.high) == (17, 17) and closed.derived
    assert event_total([fig(5, metric="detained")]) is None


def test_nearly_100_counts_near_100_not_from_zero() -> None:
    # Kerman: "nearly 100" counted as 0–100, making the brief's low total ~99 too low.
    t = event_total([fig(100, "nearly")])
    assert t is not None and t.low >= 90 and t.high == 100
    assert t.number == "<~100"


def test_disputed_total_counts_as_the_hull_of_its_claims() -> None:
    t = event_total([fig(2, subject="sf"), fig(10, "at-least", by="isis", subject="sf"), fig(15, subject="att")])
    assert t is not None and (t.low, t.high) == (17, None)


def test_totals_over_events_count_unknown_apart() -> None:
    totals = sum_totals([event_total([fig(17)]), None, event_total([fig(100, "nearly")]), None])
    assert (totals.low, totals.high, totals.events, totals.unknown) == (107, 117, 2, 2)
    assert totals.text() == "107–117 killed across 2 events; 2 events with no figure"
    open_ = sum_totals([event_total([fig(17, "at-least")])])
    assert open_.text() == "at least 17 killed across 1 event (1 of them open-ended: no upper bound)"


def test_span_of_range_claims_is_unambiguous() -> None:
    [row] = compare([fig(low=200, high=300, by="a"), fig(1000, "more-than", by="b")])
    assert row.disputed and row.span == "200–300 to >1,000"


# ---- properties of the interval rules ---------------------------------------------------------

counts = st.integers(min_value=0, max_value=10**6)


@st.composite
def claims(draw) -> Figure:
    if draw(st.booleans()):
        lo = draw(counts)
        hi = draw(st.integers(min_value=lo, max_value=lo + 10**5))
        return fig(low=lo, high=hi, q=draw(st.sampled_from(["exact", "about"])), by=draw(st.text("ab", max_size=2)))
    return fig(draw(counts), draw(st.sampled_from(sorted(QUALIFIERS))), by=draw(st.text("ab", max_size=2)))


def _contains(outer: tuple, inner: tuple) -> bool:
    return outer[0] <= inner[0] and (outer[1] is None or (inner[1] is not None and inner[1] <= outer[1]))


@given(claims())
def test_a_claim_never_conflicts_with_itself(a: Figure) -> None:
    assert not conflict(a, a)
    assert not is_disputed([a, a._replace(claimed_by="other")])


@given(claims(), claims())
def test_conflict_is_symmetric(a: Figure, b: Figure) -> None:
    assert conflict(a, b) == conflict(b, a)
    assert is_disputed([a, b._replace(claimed_by="x")]) == is_disputed([b._replace(claimed_by="x"), a])


@given(claims(), claims())
def test_a_claim_never_conflicts_with_a_wider_claim_that_contains_it(a: Figure, b: Figure) -> None:
    if _contains(interval(b), interval(a)):
        assert not conflict(a, b)
        [row] = compare([a, b._replace(claimed_by="x")])
        assert not row.disputed and row.consensus == interval(a)


@given(st.lists(claims(), min_size=1, max_size=6))
def test_disputed_means_some_pair_conflicts(fs: list[Figure]) -> None:
    fs = [f._replace(claimed_by=f"c{i}") for i, f in enumerate(fs)]
    pairwise = any(conflict(a, b) for a in fs for b in fs)
    assert is_disputed(fs) == pairwise == compare(fs)[0].disputed


@given(claims(), claims())
def test_overlap_lies_in_both(a: Figure, b: Figure) -> None:
    both = overlap(interval(a), interval(b))
    if both is not None:
        assert _contains(interval(a), both) and _contains(interval(b), both)


def test_an_agreed_number_is_credited_only_to_who_said_it() -> None:
    # What a user saw: `≥32 per Islamic State; Unnamed site, AFP-based` when the group said `>20`.
    [row] = compare([fig(20, "more-than", by="isis"), fig(32, "at-least", by="report")])
    assert row.sayers == ("report",)
    assert row.others == (("isis", ">20"),)
    total = event_total(row.claims)
    assert total is not None and total.claimants == ("report",)
    assert total.others == (("isis", ">20"),)


def test_a_claimant_giving_the_agreed_number_in_any_of_its_claims_is_credited() -> None:
    [row] = compare([fig(17, by="gov", src="afp"), fig(17, "at-least", by="gov", src="repost"), fig(17, by="b")])
    assert row.sayers == ("b", "gov")  # in the order of the claims
    assert row.others == ()


def test_a_disputed_span_names_every_claimant() -> None:
    [row] = compare([fig(2, by="gov"), fig(10, "at-least", by="isis")])
    assert row.disputed and row.span == "2–≥10"
    assert row.sayers == ("gov", "isis")
    assert row.others == ()


def test_a_sum_credits_each_group_to_who_gave_it() -> None:
    total = event_total(
        [
            fig(13, by="us", subject="us-military"),
            fig(169, "at-least", by="af", subject="afghans"),
            fig(100, "more-than", by="isis", subject="afghans"),
        ]
    )
    assert total is not None and total.derived
    assert total.claimants == ("us", "af")
    assert total.others == (("isis", ">100 afghans"),)


def test_a_group_claim_above_the_total_claim_is_a_dispute() -> None:
    """QA: a total of 5 killed (A) beside 10 civilians killed (B) showed 5, no `!`: disputes
    were looked for only within one subject. A group cannot outnumber the total it is part of
    (subjects are disjoint groups of the total: the README's curation rule), so the two cannot
    both be true; the total's row carries the `!`."""
    figures = [fig(5, by="a"), fig(10, by="b", subject="civilians")]
    assert is_disputed(figures)
    rows = {c.subject: c for c in compare(figures)}
    assert rows["total"].disputed and not rows["civilians"].disputed
    total = event_total(figures)
    assert total is not None and total.disputed
    # QA: the brief counts a disputed event "with its whole range"; it counted 5, as though no
    # one had said 10. The range runs to what the groups claim (each a number a source gave).
    assert (total.low, total.high) == (5, 10) and total.number == "5–10"
    assert total.claimants == ("a", "b") and total.subject == "total", "who said 5 and who said 10"
    dozens = event_total([fig(10, by="a"), fig(12, "at-least", by="b", subject="civilians")])
    assert dozens is not None and (dozens.low, dozens.high, dozens.number) == (10, None, "10 to ≥12")
    # QA: "fewer than 5" beside 5 civilians read `0–5`, a 0 no one said
    fewer = event_total([fig(5, "fewer-than", by="a"), fig(5, by="b", subject="civilians")])
    assert fewer is not None and fewer.number == "<5 to 5"
    # a total within its groups' reach keeps its own number
    kept = event_total([fig(17, by="gov"), fig(15, by="gov", subject="attackers")])
    assert kept is not None and (kept.low, kept.high, kept.number) == (17, 17, "17")
    # groups that fit inside the total, or a total with no upper bound, are no dispute
    fits = [fig(17, by="gov"), fig(15, by="gov", subject="attackers"), fig(2, by="b", subject="security-forces")]
    assert not is_disputed(fits) and not any(c.disputed for c in compare(fits))
    assert not is_disputed([fig(5, "at-least", by="a"), fig(10, by="b", subject="civilians")])
    # the groups together: 15 attackers and 4 guards are more than a total of 17
    over = [fig(17, by="gov"), fig(15, by="gov", subject="attackers"), fig(4, by="b", subject="security-forces")]
    assert is_disputed(over) and compare(over)[0].disputed
    # another metric's groups are not the killed total's
    assert not is_disputed([fig(5, by="a"), fig(10, by="b", subject="civilians", metric="injured")])


def test_a_disputed_total_its_groups_outnumber_counts_up_to_them() -> None:
    """QA: totals of 5 (police) and 8 (IS) beside 20 civilians (police) counted as 5–8: a total
    already disputed was never held against its groups, so a claim of 20 killed was dropped
    from every number, and "where sources disagree" left the civilians row out."""
    figures = [fig(5, by="police"), fig(8, by="isis"), fig(20, by="police", subject="civilians")]
    rows = {c.subject: c for c in compare(figures)}
    assert rows["total"].disputed and rows["total"].outnumbered
    total = event_total(figures)
    assert total is not None and (total.low, total.high) == (5, 20)
    assert [c.subject for c in disputed_rows(compare(figures))] == ["total", "civilians"]
    # a disputed group counts at its least: 3 or 10 civilians beside a total of 5 is shown (the
    # metric's rows together) but the total is not outnumbered (README, "Disputes")
    mixed = [fig(5, by="police"), fig(3, by="police", subject="civilians"), fig(10, by="isis", subject="civilians")]
    assert not compare(mixed)[0].outnumbered and event_total(mixed) == event_total(mixed[:1])
    assert [c.subject for c in disputed_rows(compare(mixed))] == ["total", "civilians"]


def test_a_total_its_groups_say_more_than_counts_at_least_them() -> None:
    """QA (seed 000, the Kunduz raid): "many" ISIS members killed (the Taliban, read as at
    least 2) beside 3 perpetrators killed (Mujahid) counted as `≥2`: the brief's "Deaths: ≥2",
    the CSV's killed_low 2, a 2022 timeline short by one, where the claims say at least 3 died
    (a group is part of the total: the curation rule).  The total's floor is now its groups'
    (`raised`), written with the total claim's own number beside them; not a dispute."""
    figures = [fig(2, "at-least", by="taliban"), fig(3, by="mujahid", subject="perpetrators")]
    assert not is_disputed(figures)
    total = event_total(figures)
    assert total is not None and total.raised and not total.derived and not total.disputed
    assert (total.low, total.high, total.number) == (3, None, "≥3")
    assert total.stated() == "≥3 (≥2 in all, 3 perpetrators)"
    assert total.claimants == ("taliban", "mujahid") and total.rank == 3
    # a closed total its groups fit in: its floor rises, its top stays
    ranged = event_total([fig(low=5, high=10, by="a"), fig(7, by="b", subject="civilians")])
    assert ranged is not None and ranged.raised and (ranged.low, ranged.high, ranged.number) == (7, 10, "7–10")
    # a total at or above its groups keeps its own number, alone
    for kept in ([fig(17, by="gov"), fig(15, by="gov", subject="attackers")], [fig(5, "at-least", by="a")]):
        t = event_total(kept)
        assert t is not None and not t.raised and len(t.parts) == 1
    assert sum_totals([total]).low == 3


def test_a_disputed_span_is_open_when_a_claim_leaves_the_top_open() -> None:
    """Review s13: claims 2, "at least 10" and 20 were shown `2–20`, a closed range, while the
    comparison's interval and the brief's deaths line say no upper bound ("at least 10"
    allows 100).  The span's ends are the claims at the ends of the hull: `2–≥10`."""
    figures = [fig(2), fig(10, "at-least", by="group"), fig(20, by="other")]
    [row] = compare(figures)
    assert row.disputed and row.interval == (2, None)
    assert row.span == "2–≥10", row.span
    assert [f.value for f in row.claims] == [2, 10, 20]  # every claim kept, in order of its number


def test_a_span_starts_at_the_lowest_number_claimed_not_at_an_up_to_claim_s_zero() -> None:
    """QA s13 regression pass: with the hull's lowest low as its start, `up to 16` beside 4 and
    `at least 16` read `≤16–≥16` (the 4 gone), and `<29` beside 10 and `~28` read `<29 to ~28`,
    high to low.  The span starts at the lowest number a claim states."""
    [row] = compare([fig(4, by="a"), fig(16, "up-to", by="b"), fig(16, "at-least", by="c")])
    assert row.disputed and row.span == "4–≥16", row.span
    [row] = compare([fig(10, by="a"), fig(29, "fewer-than", by="b"), fig(28, "about", by="c")])
    assert row.disputed and row.span.startswith("10"), row.span
