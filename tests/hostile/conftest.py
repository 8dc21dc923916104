"""Hostile-input tests read the fixtures directly: no cache is written or read."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_nocache(root: Path, **kw):
    from briefing.loader import load_dataset

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRIEFING_NO_CACHE", "1")
        return load_dataset(root, **kw)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    monkeypatch.delenv("BRIEFING_DATA", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)


@pytest.fixture(scope="session")
def hostile_ds():
    return load_nocache(FIXTURES / "hostile")
