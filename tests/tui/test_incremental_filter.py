"""Typing narrows the previous result instead of filtering everything again: same answer."""

from __future__ import annotations

import pytest

from briefing.filters import parse
from briefing.tui.app import make_app
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.event_list import EventList
from tui_helpers import aio

# Each sequence is typed one character at a time; some keystrokes narrow, some widen or break.
SEQUENCES = [
    "border post",
    "tajik disputed",
    "country:Tajikistan border",
    "-border kill",
    "isk -disputed",
    "ab abc",
    '"border post" x',
    "border actor:nobody border",
]


def prefixes(text: str) -> list[str]:
    return [text[: i + 1] for i in range(len(text))]


def full_pass(ds, text: str) -> list:
    return [e for e in ds.events if parse(text).matcher(ds)(e)]


@pytest.mark.parametrize("typed", SEQUENCES)
def test_indices_equal_apply_and_matcher(bundled_ds, typed: str) -> None:
    ds = bundled_ds
    for text in prefixes(typed):
        try:
            q = parse(text)
            expected = full_pass(ds, text)
        except Exception:  # an unterminated quote or unknown actor midway: not a query
            continue
        assert [ds.events[i] for i in q.indices(ds)] == expected, text
        assert q.apply(ds) == expected, text


def test_narrows_only_when_it_is_safe() -> None:
    p = parse
    assert p("kunduz").narrows(p("kun"))
    assert p("KUNDUZ clash").narrows(p("kunduz"))
    assert p("kunduz disputed").narrows(p("kunduz"))
    assert p("kunduz").narrows(p("kunduz"))
    assert p("anything").narrows(p(""))
    assert not p("kun").narrows(p("kunduz"))  # shorter: wider
    assert not p("-kunduz").narrows(p("-kun"))  # a longer excluded word excludes less
    assert not p("country:a,b").narrows(p("country:a"))
    assert not p("clash").narrows(p("kunduz"))
    assert not p("clash kunduz").narrows(p("kunduz"))


@pytest.mark.parametrize("typed", SEQUENCES)
def test_narrowing_within_previous_result_equals_a_full_pass(bundled_ds, typed: str) -> None:
    ds = bundled_ds
    previous = None
    for text in prefixes(typed) + prefixes(typed)[::-1]:  # type it, then delete it
        try:
            q = parse(text)
            full = q.indices(ds)
        except Exception:
            continue
        if previous is not None and q.narrows(previous[0]):
            assert q.indices(ds, previous[1]) == full, text
        previous = (q, full)


@aio
async def test_tui_typing_and_deleting_gives_full_pass_results(bundled_ds) -> None:
    app = make_app(bundled_ds, theme="mono")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main: MainScreen = app.screen
        lst = main.query_one(EventList)
        for typed in SEQUENCES:
            for text in prefixes(typed) + prefixes(typed)[::-1] + [""]:
                ok = main.apply_filter(text)
                if ok:
                    expected = full_pass(bundled_ds, text) if text.strip() else list(bundled_ds.events)
                    assert list(lst.events) == expected, text
