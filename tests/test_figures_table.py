"""The figures table at 80 and 120 columns with 1, 3, 6 and 12 claims on a row: no claim hidden,
no number cut, a visible "more" marker when a row goes on (syrupy text snapshots:
`--snapshot-update` rewrites them), and the legend every view prints."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from briefing.compare import quantity
from briefing.records import Figure, Source
from briefing.render.figures import LEGEND, figures_table

# Numbers of every shape, the long ones first: a cut number shows as "8…" or "1,…".
NUMBERS = [
    dict(value=8_000_000),
    dict(value=1_234_567, qualifier="at-least"),
    dict(low=2500, high=3000, qualifier="about"),
    dict(value=17),
    dict(value=100, qualifier="nearly"),
    dict(value=20, qualifier="more-than"),
    dict(value=100, qualifier="at-least", vague="hundreds"),
    dict(low=10, high=20, best=15),
    dict(value=5, qualifier="up-to"),
    dict(value=4),
    dict(value=250_000, qualifier="about"),
    dict(value=9, qualifier="fewer-than"),
]


class FakeDataset:
    """What the table asks of a dataset: names and the source records."""

    def actor_name(self, aid: str) -> str:
        return f"P{aid[1:]}"

    def source_name(self, sid: str) -> str:
        return f"Outlet {sid[1:]}"

    def source(self, sid: str) -> Source:
        return Source(id=sid, name=self.source_name(sid), kind="news", reliability="BCDF"[int(sid[1:]) % 4])


def claims(n: int) -> list[Figure]:
    return [
        Figure(
            metric="killed",
            subject="total",
            claimed_by=f"a{i}",
            source=f"s{i}",
            credibility=1 + i % 6,
            via=f"s{i + 20}" if i % 3 == 2 else None,
            **NUMBERS[i],
        )
        for i in range(n)
    ]


def draw(figures: list[Figure], width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(figures_table(FakeDataset(), figures))
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("n", [1, 3, 6, 12])
def test_figures_table_snapshot(snapshot, n: int, width: int) -> None:
    text = draw(claims(n), width)
    assert text == snapshot
    assert max(len(line) for line in text.splitlines()) <= width
    # every claim is drawn, its number whole, with its claimant
    flat = re.sub(r"\s+", " ", text)
    words = set(text.split())
    for f in claims(n):
        assert all(w in words for w in quantity(f).split()), quantity(f)  # each word of the number whole
    assert {int(x) for x in re.findall(r"\bP(\d+)\b", text)} == set(range(n))  # every claimant
    assert "…" not in text
    if n > 3 and width == 80:
        assert "more: " in text and "more below" in flat


def test_more_than_four_claims_are_all_drawn() -> None:
    # What a user saw: with more than four claims only the first four were drawn, with no marker;
    # with ten the numbers themselves were cut ("8…", "1,…").
    plain = [
        Figure("killed", "total", f"a{i}", f"s{i}", value=v)
        for i, v in enumerate([8_000_000, 1_234_567, 2500, 17, 100, 20, 300, 15, 5, 4])
    ]
    for width in (80, 100, 120, 160):
        text = draw(plain, width)
        for i in range(10):
            assert re.search(rf"\bP{i}\b", text), (width, i)
        assert "8,000,000" in text and "1,234,567" in text and "…" not in text


def test_superseded_claims_are_shown_and_marked() -> None:
    old = Figure("killed", "total", "a1", "s1", value=3, date="2023-01-30")
    new = Figure("killed", "total", "a1", "s1", value=7, date="2023-02-06")
    text = draw([new, old], 80)
    # QA (qa-regress3): `superseded (2023-01-30)` read as the day it was superseded; it is the
    # claim's own date
    assert "1 superseded" in text and "of 2023-01-30, superseded" in text
    assert "!" not in text.split("figure", 1)[1]  # a revision is not a dispute


def test_legend_explains_every_mark() -> None:
    for mark in ("!", "≥", ">", "~", "<~", "agree", "superseded", "withdrawn", "no figure", "read as"):
        assert mark in LEGEND


def test_the_legend_gives_no_number_of_its_own() -> None:
    # What a user saw (QA, own records): under their claims of 4 and ≥15 the legend read
    # `"2 agree: ≥32"` and `"hundreds (read as ≥ 100)"`: numbers from the bundled data, which no
    # claim on the screen gave.  Its only numbers are its rules' own: a count of claims, the
    # 10% slack of "about", the rating scales.
    import re

    assert set(re.findall(r"\d+", LEGEND)) <= {"2", "10", "1", "6"}, LEGEND
    assert LEGEND.count("\n") == 0 and len(LEGEND) <= 6 * 78, len(LEGEND)  # six lines at 80x24 (it took seven)


def test_a_long_figure_label_is_not_cut_mid_word() -> None:
    """QA: `brief --event 2022-03-mckenzie-testimony --width 150` printed `months-to-exter` /
    `nal-attack` (and `foreign-tourist` / `s`) in a figure column fixed at 15 cells while the
    claims had room to spare.  The column now takes the longest label up to a quarter of the
    width, and a label longer than that breaks after a hyphen."""
    figures = [
        Figure("months-to-external-attack", "iskp", "a1", "s1", value=12),
        Figure("killed", "foreign-tourists", "a2", "s2", value=4),
    ]
    for width in (100, 150):
        text = draw(figures, width)
        assert "months-to-external-attack" in text and "foreign-tourists" in text, text
    text = draw(figures, 80)  # a quarter of 80: broken after a hyphen, every piece whole
    lines = [line.split()[0] for line in text.splitlines() if line.strip() and line.split()[0][0] in "mafe"]
    assert "months-to-external-" in lines and "attack" in lines and "foreign-tourists" in lines, text
