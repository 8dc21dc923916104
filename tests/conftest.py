"""Fixtures for the core tests (the helpers live in tests/support/), and the marks every test
gets from where it lives (`MARKS_BY_PATH`), which the quick loop selects on."""

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


TESTS = Path(__file__).resolve().parent

# (where, marks): a folder ending in "/", a file, or "file::test" (every parametrization).
# `slow` is what the quick loop (`uv run pytest -m "not slow" -n auto`) leaves out: terminals
# and ssh sessions, the 100k-event runs, and the tests measured at over ~3 s each with
# `pytest --durations=0 -n 2` (the README gives the loop's time).  CI runs everything.
MARKS_BY_PATH: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ssh/", ("ssh", "tmux", "slow")),
    ("tui/test_e2e_tmux.py", ("tmux", "slow")),
    ("scale/", ("scale", "slow")),
    ("tui/test_scale.py", ("scale", "slow")),
    ("hostile/", ("hostile",)),
    ("hostile/test_tui_hostile.py", ("slow",)),
    ("hostile/test_properties.py", ("slow",)),
    ("hostile/test_atomic_kill.py", ("slow",)),
    ("hostile/test_acled_hostile.py::test_hostile_acled_in_the_tui", ("slow",)),
    ("hostile/test_loader_limits.py::test_brief_and_export_refuse_broken_data_with_the_same_messages", ("slow",)),
    ("hostile/test_loader_limits.py::test_the_browser_in_a_real_terminal_refuses_with_the_same_messages", ("slow",)),
    ("hostile/test_loader_limits.py::test_a_hostile_file_name_is_shown_escaped", ("slow",)),
    ("tui/test_snapshots.py", ("slow",)),  # whole-screen SVG comparisons, 2-3 s each
    ("test_wheel.py", ("slow",)),
    ("test_export.py::test_stix_validates_and_maps_claims", ("slow",)),
    ("test_export.py::test_bundled_exports", ("slow",)),
    ("test_cli.py::test_output_larger_than_a_pipe_arrives_whole", ("slow",)),
    ("test_cli.py::test_reader_leaving_early_is_not_an_error", ("slow",)),
    ("tui/test_filter.py::test_bad_filter_is_reported_inline_not_a_crash", ("slow",)),
    ("tui/test_navigation.py::test_q_quits_from_any_screen", ("slow",)),
    ("tui/test_keys.py::test_palette_jumps_to_actor_by_alias_and_event_by_title", ("slow",)),
    ("tui/test_markup_safety.py::test_markup_in_palette_notification_and_header", ("slow",)),
)


def _marks_for(rel: str, name: str) -> set[str]:
    marks: set[str] = set()
    for where, names in MARKS_BY_PATH:
        if rel == where or f"{rel}::{name}" == where or (where.endswith("/") and rel.startswith(where)):
            marks.update(names)
    return marks


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            rel = item.path.relative_to(TESTS).as_posix()
        except ValueError:  # a test outside tests/ (given on the command line)
            continue
        name = getattr(item, "originalname", item.name)
        for mark in sorted(_marks_for(rel, name)):
            item.add_marker(mark)
