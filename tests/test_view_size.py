"""Which loads are kept as the store's view, and what a view is asked in SQL.

A country export of ACLED is 10k-20k rows.  Below 20,000 events such a load used to be held in
memory on every start (every event read back and decoded, ~100 MB), and its brief and trends
worked out in Python event by event: a later `brief` of 10,000 events took ~0.9 s, against
~0.3 s from a view summed in SQL (bench/README.md, "Country-sized exports").  A view's numbers
come from the index it already holds, whatever its size; the answers are the same as in memory
(the oracle tests in test_stored.py and test_trend_queries.py hold the two ways equal).
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from briefing import analysis, cli, stored, trend_queries
from briefing.devtools import synth
from briefing.view import StoredDataset


def _brief(root: Path, *args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["brief", "--data", str(root), "--width", "100", *args]) == 0
    return out.getvalue()


def test_a_country_sized_export_is_kept_as_a_view(tmp_path: Path) -> None:
    root = tmp_path / "data"
    synth.write_acled(synth.World(10_000, seed=4, actors=30), root / "acled.csv", "mixed")
    first = stored.load(str(root))
    assert len(first.events) >= 9_000
    again = stored.open_view(str(root))  # the next start opens it: nothing read back
    assert isinstance(again, StoredDataset) and len(again.events) == len(first.events)


def test_a_small_view_is_summed_in_sql_with_the_numbers_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored, "VIEW_MIN", 100)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # the same "generated" line both ways
    root = tmp_path / "data"
    synth.write_toml(synth.World(300, seed=3, actors=20, sources=10), root)
    synth.write_acled(synth.World(900, seed=4, actors=20), root / "acled.csv", "mixed")
    assert isinstance(stored.load(str(root)), StoredDataset)
    assert len(stored.open_view(str(root)).events) < analysis.INDEX_MIN  # type: ignore[union-attr]

    asked: list[str] = []
    for name in ("gather_index", "analyse_index"):
        real = getattr(trend_queries, name)

        def spy(*a, _real=real, _name=name, **kw):  # type: ignore[no-untyped-def]
            asked.append(_name)
            return _real(*a, **kw)

        monkeypatch.setattr(trend_queries, name, spy)
    for args in ((), ("--filter", "country:Mali"), ("--filter", "since:2020-01 tag:acled")):
        got = _brief(root, *args)
        os.environ["BRIEFING_NO_CACHE"] = "1"  # the same files, held in memory, in Python
        try:
            before = len(asked)
            want = _brief(root, *args)
            assert len(asked) == before  # memory's brief is not the SQL one
        finally:
            del os.environ["BRIEFING_NO_CACHE"]
        assert got == want, args
    assert "gather_index" in asked and "analyse_index" in asked


def test_a_views_stix_export_dates_from_its_index_with_the_bytes_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A STIX export dates each actor and place it names by the first event, among all of them,
    that names it.  Over a view those dates come from its index; reading every event back
    twice for them made a filtered export of 8,286 events at 100k take 12-28 s (minutes at 1M)."""
    from briefing import view

    monkeypatch.setattr(stored, "VIEW_MIN", 100)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    root = tmp_path / "data"
    synth.write_toml(synth.World(300, seed=3, actors=20, sources=10), root)
    synth.write_acled(synth.World(900, seed=4, actors=20), root / "acled.csv", "mixed")
    assert isinstance(stored.load(str(root)), StoredDataset)

    def export(*args: str) -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli.main(["export", "--data", str(root), "--format", "stix", *args]) == 0
        return out.getvalue()

    walked: list[int] = []
    real_iter = view.StoredEvents.__iter__

    def counting_iter(self):  # type: ignore[no-untyped-def]
        walked.append(len(self))
        return real_iter(self)

    monkeypatch.setattr(view.StoredEvents, "__iter__", counting_iter)
    for args in ((), ("--filter", "country:Mali"), ("--filter", "since:2020-01 disputed")):
        walked.clear()
        got = export(*args)
        assert not walked, args  # no pass over every event of the view
        os.environ["BRIEFING_NO_CACHE"] = "1"
        try:
            want = export(*args)
        finally:
            del os.environ["BRIEFING_NO_CACHE"]
        assert got == want, args


def test_an_export_streams_past_the_events_kept_for_the_screen(tmp_path: Path) -> None:
    """An export (or any pass over every match) reads the events a chunk at a time and keeps
    none of them: it went through the cache of the screen's pages, which grew to 100,000
    events (~250 MB) before starting over, so the browser held that much after an export
    from its dialog, and a JSONL export of 100k events peaked at 250 MB against 75 MB for
    one of 7,000."""
    from briefing.filters import parse

    root = tmp_path / "data"
    synth.write_acled(synth.World(10_000, seed=4, actors=30), root / "acled.csv", "mixed")
    stored.load(str(root))
    ds = stored.open_view(str(root))
    assert isinstance(ds, StoredDataset)
    events = ds.events
    events[:40]  # a screenful, as the list asks for it
    kept = len(events._kept)
    matches = ds.index.matches(parse("since:2015"), "date")
    got = [e.id for e in matches]
    assert len(got) == len(matches) > 9_000 and len(set(got)) == len(got)
    assert [e.id for e in matches[:40]] == got[:40]
    assert len(events._kept) <= kept + 2 * matches.PAGE  # the pass kept nothing; the slice a page or two
