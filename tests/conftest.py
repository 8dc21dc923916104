"""Fixtures for the core tests; the helpers they use live in testkit.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit import MINIMAL_ACTORS, MINIMAL_EVENT, MINIMAL_SOURCES, write_tree


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    """A small valid data directory with one disputed event."""
    return write_tree(
        tmp_path / "data",
        {"sources.toml": MINIMAL_SOURCES, "actors.toml": MINIMAL_ACTORS, "events/e1.toml": MINIMAL_EVENT},
    )
