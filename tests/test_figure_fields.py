"""The Figure fields issue 11 added: `vague` (a word instead of a number, with its reading) and
`best` (UCDP-style low/best/high).  A broken one is one line naming file, line, record and field,
like every other schema error; a good one loads through the fast path and the schema alike."""

from __future__ import annotations

from pathlib import Path

from briefing.compare import interval, quantity
from briefing.loader import load_dataset
from test_loader import problems_of


def _figure(minimal_data: Path, old: str, new: str) -> tuple[Path, int]:
    path = minimal_data / "events" / "e1.toml"
    text = path.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text)
    header = [i for i, ln in enumerate(text.splitlines()) if ln == "[[event.figures]]"][0] + 1
    return path, header


def test_vague_word_loads_with_its_reading(minimal_data: Path) -> None:
    _figure(minimal_data, "value = 2\n", 'vague = "hundreds"\nvalue = 100\nqualifier = "at-least"\n')
    f = load_dataset(minimal_data).event("e1").figures[0]
    assert (f.vague, f.value, f.qualifier) == ("hundreds", 100, "at-least")
    assert quantity(f) == "hundreds (read as ≥ 100)" and interval(f) == (100, None)


def test_vague_word_with_another_number_is_refused(minimal_data: Path) -> None:
    path, line = _figure(minimal_data, "value = 2\n", 'vague = "hundreds"\nvalue = 200\nqualifier = "at-least"\n')
    [msg] = problems_of(minimal_data)
    # (QA, own records) the field that is wrong, at its line, and what was given: it said
    # `figures[0]: vague 'hundreds' is read as …`, which read as a statement, not a fault
    line = path.read_text().splitlines().index("value = 200") + 1
    assert msg == (
        f"{path}:{line}: event 'e1': figures[0].value: a vague 'hundreds' is read as value = 100 with"
        ' qualifier "at-least" (got 200)'
    )
    _figure(minimal_data, 'value = 200\nqualifier = "at-least"\n', 'value = 100\nqualifier = "about"\n')
    text = path.read_text()
    [msg] = problems_of(minimal_data)
    at = text.splitlines().index('qualifier = "about"') + 1
    assert msg == (
        f"{path}:{at}: event 'e1': figures[0].qualifier: a vague 'hundreds' is read as value = 100 with"
        ' qualifier "at-least" (got "about")'
    )


def test_unknown_vague_word_is_refused(minimal_data: Path) -> None:
    path, _ = _figure(minimal_data, "value = 2\n", 'vague = "loads"\nvalue = 2\n')
    [msg] = problems_of(minimal_data)
    assert f"{path}:" in msg and "figures[0].vague" in msg


def test_best_estimate_inside_its_range(minimal_data: Path) -> None:
    _figure(minimal_data, "value = 2\n", "low = 2\nbest = 3\nhigh = 5\n")
    f = load_dataset(minimal_data).event("e1").figures[0]
    assert quantity(f) == "2–5 (best 3)" and interval(f) == (2, 5)


def test_best_outside_its_range_is_refused(minimal_data: Path) -> None:
    path, line = _figure(minimal_data, "value = 2\n", "low = 2\nbest = 9\nhigh = 5\n")
    assert problems_of(minimal_data) == [
        f"{path}:{line}: event 'e1': figures[0]: best goes with low and high, and lies between them"
    ]
