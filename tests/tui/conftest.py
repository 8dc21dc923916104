"""Fixtures for the TUI tests: the bundled dataset, a small fixed one, and a clean environment."""

from __future__ import annotations

import pytest
import pytest_textual_snapshot

from tui_helpers import BUNDLED, FIXTURE, load

# pytest-textual-snapshot 1.0 names its extension with syrupy 6's `_file_extension`; syrupy 7
# reads `file_extension`, so without this the SVG snapshots are written as `.raw` files.
if getattr(pytest_textual_snapshot.SVGImageExtension, "file_extension", None) != "svg":
    pytest_textual_snapshot.SVGImageExtension.file_extension = "svg"


@pytest.fixture(autouse=True)
def _tui_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user config, no colour overrides, no SSH: every test sees the same defaults."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    for name in ("NO_COLOR", "TEXTUAL_THEME", "SSH_CONNECTION", "BRIEFING_DATA"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def bundled_ds():
    return load(BUNDLED)


@pytest.fixture(scope="session")
def fixture_ds():
    return load(FIXTURE)
