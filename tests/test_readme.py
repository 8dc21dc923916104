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
