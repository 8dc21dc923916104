"""Hostile-input tests read the fixtures directly: no cache is written or read."""

from __future__ import annotations

import pytest

from hostile_helpers import FIXTURES, load_nocache


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    monkeypatch.delenv("BRIEFING_DATA", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)


@pytest.fixture(scope="session")
def hostile_ds():
    return load_nocache(FIXTURES / "hostile")
