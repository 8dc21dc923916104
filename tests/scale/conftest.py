"""Scale tests: every test gets its own empty cache directory, with the cache switched on."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    monkeypatch.delenv("BRIEFING_DATA", raising=False)
    return cache
