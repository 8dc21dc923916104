"""The README's record examples are real records: each validates against the schema."""

from __future__ import annotations

import re

import pytest

from briefing import tomlread as tomllib
from briefing.schema import MODELS
from testkit import REPO

BLOCKS = re.findall(r"```toml\n(.*?)```", (REPO / "README.md").read_text("utf-8"), re.S)


def test_readme_has_an_example_of_each_record_kind() -> None:
    kinds = {k for block in BLOCKS for k in tomllib.loads(block)}
    assert kinds == {"source", "actor", "event"}


@pytest.mark.parametrize("block", BLOCKS)
def test_readme_example_validates(block: str) -> None:
    for kind, records in tomllib.loads(block).items():
        for rec in records:
            MODELS[kind].model_validate(rec)


def test_readme_names_every_column_of_the_figures_csv() -> None:
    # What a user saw (QA s17, a data desk): the figures CSV's `date` taken for the day of the
    # claim (it is the event's; the claim's is `claim_date`), and `record_kind`, `best`,
    # `via_name` explained nowhere, where the events CSV's columns were.
    from briefing.export.csv import FIGURE_COLUMNS

    text = (REPO / "README.md").read_text(encoding="utf-8")
    paragraph = text.split("**The figures CSV**", 1)[1].split("\n\n", 1)[0]
    missing = [c for c in FIGURE_COLUMNS if f"`{c}`" not in paragraph]
    assert not missing, missing
    # in the CSV's order (QA s17, a data desk: scripts read columns by position)
    named = [c for c in re.findall(r"`([a-z_]+)`", paragraph.split("Its columns", 1)[1]) if c in FIGURE_COLUMNS]
    assert list(dict.fromkeys(named)) == list(FIGURE_COLUMNS), named
