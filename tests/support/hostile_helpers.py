"""Helpers shared by the hostile-input tests (kept out of conftest.py, which tests do not import)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "hostile" / "fixtures"


def load_nocache(root: Path, **kw):
    """load_dataset with the cache off: the fixtures are read, nothing is written."""
    from briefing.loader import load_dataset

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRIEFING_NO_CACHE", "1")
        return load_dataset(root, **kw)
