"""Fixtures for the core tests; the helpers they use live in testkit.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit import MINIMAL_ACTORS, MINIMAL_EVENT, MINIMAL_SOURCES, write_tree


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's config (a theme set there) or writes the user's cache; the
    cache still works, in a folder of the test session's own (suites may override this)."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    for name in ("BRIEFING_DATA", "NO_COLOR", "FORCE_COLOR", "TEXTUAL_THEME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    """A small valid data directory with one disputed event."""
    return write_tree(
        tmp_path / "data",
        {"sources.toml": MINIMAL_SOURCES, "actors.toml": MINIMAL_ACTORS, "events/e1.toml": MINIMAL_EVENT},
    )
