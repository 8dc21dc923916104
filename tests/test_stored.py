"""The store's view (`briefing.stored`): a big dataset kept whole in the store and read back on
demand answers every question exactly as the dataset loaded in memory does, and is never
served once its files changed, or when it is damaged (issue 10: "Queries, not lists in memory").

`VIEW_MIN` is lowered so that a few thousand synthetic events (curated TOML and ACLED rows,
merged) make a view; the 1M-row runs are in bench/.
"""

from __future__ import annotations

import io
import os
import sqlite3
import time
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from briefing import cli, stored
from briefing.devtools import synth
from briefing.filters import Query, parse
from briefing.loader import load_dataset
from briefing.sqlquery import index_for
from briefing.store import store_folder, store_path
from briefing.stored import load, open_view
from briefing.view import StoredDataset


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(stored, "VIEW_MIN", 100)
    monkeypatch.setattr(stored, "CHUNK", 250)  # the view written, and its text indexed, in several chunks
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    base = tmp_path / "data"
    synth.write_toml(synth.World(600, seed=3, actors=40, sources=20), base)
    synth.write_acled(synth.World(900, seed=4, actors=30), base / "acled.csv", "mixed")
    return base


def memory(root: Path):
    os.environ["BRIEFING_NO_CACHE"] = "1"
    try:
        return load_dataset(root)
    finally:
        del os.environ["BRIEFING_NO_CACHE"]


def test_the_first_load_keeps_a_view_and_a_later_one_opens_it(root: Path) -> None:
    assert open_view(str(root)) is None  # nothing stored yet
    first = load(str(root))
    assert isinstance(first, StoredDataset)  # kept, then opened from the store
    again = open_view(str(root))
    assert isinstance(again, StoredDataset)


def test_the_view_answers_as_the_dataset_in_memory(root: Path) -> None:
    ref = memory(root)
    view = load(str(root))
    assert isinstance(view, StoredDataset)
    assert list(view.events) == list(ref.events)  # streamed
    assert [view.events[i] for i in (0, 1, 255, 256, len(ref.events) - 1)] == [
        ref.events[i] for i in (0, 1, 255, 256, len(ref.events) - 1)
    ]
    assert view.events[-1] == ref.events[-1] and view.events[10:20] == list(ref.events[10:20])
    assert view.actors == ref.actors and view.sources == ref.sources
    assert view.counts() == ref.counts() and view.countries() == ref.countries()
    for e in ref.events[::97]:
        assert view.event(e.id) == e and view.position(e) == ref.position(e)
    assert view.event("no-such-event") is None
    for a in ref.actors:
        assert list(view.events_of_actor(a.id)) == ref.events_of_actor(a.id), a.id
        assert view.actor_event_count(a.id) == ref.actor_event_count(a.id)
    for s in ref.sources:
        assert view.claims_carried_by(s.id) == ref.claims_carried_by(s.id), s.id
        for limit in (1, 70, 300):
            assert view.claims_carried_by(s.id, limit) == ref.claims_carried_by(s.id)[:limit], (s.id, limit)
        assert view.source_claim_count(s.id) == ref.source_claim_count(s.id)
        assert view.source_event_count(s.id) == ref.source_event_count(s.id)


QUERIES = ["", "country:Mali", "disputed", "-country:Mali since:2020-01", "type:battles", "attack", "at", "ma"]


def test_filters_and_orders_answer_as_in_memory(root: Path) -> None:
    ref = memory(root)
    view = load(str(root))
    for text in QUERIES:
        q = parse(text)
        want = q.apply(ref)
        assert q.apply(view) == want, text
        for order in ("date", "killed", "title"):
            matches = index_for(view).matches(q, order)
            expect = index_for(ref).rows(q, order=order)
            assert list(matches) == expect and len(matches) == len(expect), (text, order)
            for i in (0, len(expect) // 2, len(expect) - 1) if expect else ():
                assert matches[i] == expect[i]
                assert matches.index_of(expect[i].id) == i
        if want:
            chosen = {e.id for e in want}
            outside = [e for e in ref.events if e.id not in chosen]
            if outside:
                assert index_for(view).matches(q).index_of(outside[0].id) is None


def _age(root: Path) -> None:
    for p in root.rglob("*"):
        if p.is_file():
            st = p.stat()
            os.utime(p, ns=(st.st_atime_ns - 10**10, st.st_mtime_ns - 10**10))


def test_an_edit_is_seen_never_the_old_view(root: Path) -> None:
    _age(root)
    view = load(str(root))
    assert isinstance(view, StoredDataset)
    csv = root / "acled.csv"
    st = csv.stat()
    raw = csv.read_bytes()
    at = raw.index(b"\n") + 20  # a letter of the first data row, wherever it falls
    while not chr(raw[at]).isalpha():
        at += 1
    swapped = b"x" if raw[at : at + 1] != b"x" else b"y"
    csv.write_bytes(raw[:at] + swapped + raw[at + 1 :])
    os.utime(csv, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, mtime set back
    assert csv.stat().st_size == st.st_size and csv.stat().st_mtime_ns == st.st_mtime_ns
    assert open_view(str(root)) is None  # ctime moved: the view is not served
    fresh = load(str(root))
    assert list(fresh.events) == list(memory(root).events)
    assert list(fresh.events) != list(view.events)


def test_a_removed_file_or_a_damaged_view_is_never_served(root: Path) -> None:
    load(str(root))
    path = store_path(store_folder() or "", str(root))
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE view_actor")
    conn.commit()
    conn.close()
    assert open_view(str(root)) is None  # damaged: the usual load, which writes a new view
    assert isinstance(load(str(root)), StoredDataset)
    (root / "acled.csv").unlink()
    assert open_view(str(root)) is None
    ds = load(str(root))
    assert len(ds.events) == len(memory(root).events)


@pytest.mark.parametrize("view_min", [100, 10**6])  # the view written, or the set held in memory
def test_rows_another_process_replaced_mid_load_are_read_again_not_lost(
    root: Path, monkeypatch: pytest.MonkeyPatch, view_min: int
) -> None:
    """QA s18 (resilience, 4 times in 14): a brief doing its first import, with a TUI started
    beside it, printed "no events match (… the dataset has no events)" and exit 0. It had left
    the export's rows in the store (a lazy read); the other process imported the same files
    again meanwhile, under a new file id, so the view could not be written, and the load held
    in memory read back the rows of a file id that was gone. Such a load now reads the files
    again, in memory."""
    from briefing import loader

    monkeypatch.setattr(stored, "VIEW_MIN", view_min)
    want = len(memory(root).events)
    real = loader.read_files

    def then_another_process(*args, **kw):  # the other process's import, between the two steps
        got = real(*args, **kw)
        conn = sqlite3.connect(store_path(store_folder() or "", str(root)))
        conn.execute("DELETE FROM records WHERE file IN (SELECT id FROM files WHERE path LIKE '%.csv')")
        conn.execute("DELETE FROM files WHERE path LIKE '%.csv'")  # (its import under a new id, not yet committed)
        conn.commit()
        conn.close()
        return got

    monkeypatch.setattr(loader, "read_files", then_another_process)
    ds = load(str(root))
    assert len(ds.events) == want, (len(ds.events), want)
    monkeypatch.setattr(loader, "read_files", real)
    assert len(load(str(root)).events) == want  # and the next load, from the store, whole


def test_a_view_whose_rows_cannot_be_read_back_is_removed_and_said_not_an_internal_error(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA s18 (resilience): two damaged pages of a sealed store made every `export` fail with
    "internal error: KeyError" (exit 70), run after run, while `brief` and `validate` said all
    was well: the read path trusts a view it opened. A view that cannot give back an event it
    lists (rows lost, or SQLite's "malformed") is now removed, said in one line (exit 75, try
    again), and the next run builds it again from the data files."""
    monkeypatch.delenv("BRIEFING_DEBUG", raising=False)
    load(str(root))
    path = store_path(store_folder() or "", str(root))
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM view_event WHERE pos % 7 = 3")  # rows a damaged page took with it
    conn.commit()
    conn.close()
    out = io.StringIO()
    with redirect_stdout(out):
        rc = cli.main(["export", "--data", str(root), "--format", "csv", "-o", str(root.parent / "x.csv")])
    err = capsys.readouterr().err
    assert rc == 75 and len(err.splitlines()) == 1 and "internal error" not in err, err
    assert err.startswith(f"briefing: the store of {root} is damaged") and "run the command again" in err, err
    assert not os.path.exists(path) and not (root.parent / "x.csv").exists()
    with redirect_stdout(out):
        assert cli.main(["export", "--data", str(root), "--format", "csv", "-o", str(root.parent / "x.csv")]) == 0
    import csv

    with open(root.parent / "x.csv", newline="", encoding="utf-8") as fh:
        assert sum(1 for _ in csv.reader(fh)) == len(memory(root).events) + 1


def test_a_brief_from_the_view_says_what_the_brief_from_memory_says(root: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    def brief(*args: str) -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli.main(["brief", "--data", str(root), "--width", "120", *args]) == 0
        return out.getvalue()

    load(str(root))
    assert open_view(str(root)) is not None
    for args in ((), ("--country", "Mali"), ("--filter", "disputed")):
        from_view = brief(*args)
        monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
        from_memory = brief(*args)
        monkeypatch.delenv("BRIEFING_NO_CACHE")
        assert from_view == from_memory


def test_query_without_terms_is_every_event(root: Path) -> None:
    view = load(str(root))
    assert len(Query().apply(view)) == len(view.events)


def _one_bad_date(root: Path) -> None:
    """The export's second row given a date that is not one (aged: not a racy file)."""
    import csv as csvlib

    path = root / "acled.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csvlib.reader(fh))
    rows[2][rows[0].index("event_date")] = "not a date"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csvlib.writer(fh).writerows(rows)
    _age(root)


def test_a_load_that_skipped_bad_rows_is_kept_and_says_so_again(root: Path) -> None:
    from briefing.problems import DataError

    _one_bad_date(root)
    first = load(str(root), skip_invalid=True)
    assert isinstance(first, StoredDataset) and first.problems and first.skipped == 1
    again = open_view(str(root), skip_invalid=True)
    assert again is not None
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert "event_date" in str(again.problems[0])
    assert open_view(str(root)) is None  # not skipping: the problem is an error, as ever
    with pytest.raises(DataError):
        load(str(root))


@pytest.mark.parametrize("command", [("brief", "--width", "120"), ("export", "--format", "md")])
def test_a_brief_from_the_view_that_skipped_rows_says_how_many(root: Path, monkeypatch, command) -> None:
    """QA (tenth session): with --skip-invalid on an export big enough for the view, the brief's
    header read `skipped     left out (--skip-invalid)` (and the Markdown's too): the count was
    only in the brief made in memory.  Each from the view equals the one from memory."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _one_bad_date(root)

    def run() -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli.main([command[0], "--data", str(root), "--skip-invalid", *command[1:]]) == 0
        return out.getvalue()

    load(str(root), skip_invalid=True)
    assert open_view(str(root), skip_invalid=True) is not None
    from_view = run()
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    from_memory = run()
    assert "1 invalid record left out (--skip-invalid)" in from_memory
    assert from_view == from_memory


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "md", "stix"])
def test_exports_from_the_view_equal_exports_from_memory(root: Path, monkeypatch, fmt: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    def export(*args: str) -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli.main(["export", "--data", str(root), "--format", fmt, *args]) == 0
        return out.getvalue()

    load(str(root))
    assert open_view(str(root)) is not None
    for args in ((), ("--filter", "disputed country:Mali")):
        from_view = export(*args)
        monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
        from_memory = export(*args)
        monkeypatch.delenv("BRIEFING_NO_CACHE")
        assert from_view == from_memory and from_view


def test_an_answer_outlived_by_newer_ones_still_answers(root: Path) -> None:
    ref = memory(root)
    view = load(str(root))
    index = index_for(view)
    first = index.matches(parse("country:Mali"), "title")
    newer = [index.matches(parse(f"since:{2015 + k}"), "date") for k in range(index.KEEP_ANSWERS + 2)]
    want = index_for(ref).rows(parse("country:Mali"), order="title")
    assert list(first) == want  # its table was dropped: the query is asked again
    assert first.index_of(want[-1].id) == len(want) - 1
    assert [len(m) for m in newer] == [len(parse(f"since:{2015 + k}").apply(ref)) for k in range(len(newer))]


# -- a big export left in the store meets the records held in memory (issue 10, item 5) ----------


def _acled(root: Path) -> tuple[list[str], list[list[str]]]:
    import csv as csvlib

    with open(root / "acled.csv", encoding="utf-8", newline="") as fh:
        header, *rows = list(csvlib.reader(fh))
    return header, rows


def _curated(root: Path, event_id: str, related: str, alias: str) -> None:
    (root / "zz-extra.toml").write_text(
        f"""
[[source]]
id = "x-outlet"
name = "X Outlet"
kind = "news"
reliability = "C"

[[actor]]
id = "x-actor"
name = "X Actor"
kind = "armed-group"
aliases = [{alias!r}]

[[event]]
id = {event_id!r}
title = "A curated event"
date = "2021-03-04"
country = "Mali"
type = "battles"
sources = ["x-outlet"]
related = [{related!r}]

[[event.actors]]
actor = "x-actor"
role = "perpetrator"
""",
        encoding="utf-8",
    )


def test_curated_records_meet_the_stored_export_as_in_memory(root: Path) -> None:
    """An ACLED actor named as a curated actor's alias becomes that actor in the rows left in
    the store; a curated event may point at an ACLED event; all as the load in memory."""
    header, rows = _acled(root)
    eid, name = rows[1][header.index("event_id_cnty")], rows[1][header.index("actor1")]
    _curated(root, "x-curated-event", f"acled:{eid}", name)
    ref = memory(root)
    view = load(str(root))
    assert isinstance(view, StoredDataset)
    assert list(view.events) == list(ref.events)
    assert view.actors == ref.actors and view.sources == ref.sources and view.counts() == ref.counts()
    renamed = view.event(f"acled:{eid}")
    assert renamed is not None and "x-actor" in {ar.actor for ar in renamed.actors}
    assert view.actor_event_count("x-actor") == ref.actor_event_count("x-actor") > 1
    assert list(view.events_of_actor("x-actor")) == ref.events_of_actor("x-actor")
    assert len(parse("actor:x-actor").apply(view)) == len(parse("actor:x-actor").apply(ref))
    # The view writes out only the events it changed or that the store does not hold: the
    # curated ones and the renamed ACLED ones; every other event is its row in the store.
    changed = [e for e in ref.events if not e.id.startswith("acled:") or "x-actor" in {a.actor for a in e.actors}]
    with sqlite3.connect(store_path(store_folder() or "", str(root))) as conn:
        written = conn.execute("SELECT count(*) FROM view_event WHERE data IS NOT NULL").fetchone()[0]
    assert 600 < written == len(changed) < len(ref.events) - 500


def test_an_event_id_twice_across_files_is_refused_or_skipped_as_in_memory(root: Path) -> None:
    """Two exports that share rows, and a curated event with an ACLED row's id: each later
    definition is a problem naming its file and line, as in memory; skipping, the first stands."""
    import csv as csvlib

    from briefing.problems import DataError

    header, rows = _acled(root)
    with open(root / "acled-2.csv", "w", encoding="utf-8", newline="") as fh:
        csvlib.writer(fh).writerows([header, *rows[3:6]])
    eid = rows[10][header.index("event_id_cnty")]
    _curated(root, f"acled:{eid}", f"acled:{rows[1][header.index('event_id_cnty')]}", "no such alias")
    (root / "zz-extra-2.toml").write_text(  # the same id a third time, in another curated file
        (root / "zz-extra.toml").read_text(encoding="utf-8").split("[[event]]")[1].join(["[[event]]", ""]),
        encoding="utf-8",
    )

    def said(run):
        with pytest.raises(DataError) as got:
            run()
        return [str(p) for p in got.value.problems]

    refused = said(lambda: load(str(root)))
    assert refused == said(lambda: memory(root))
    assert len(refused) == 5 and all("duplicate" in p for p in refused)
    assert sum("acled-2.csv:" in p for p in refused) == 3
    view = load(str(root), skip_invalid=True)
    os.environ["BRIEFING_NO_CACHE"] = "1"
    try:
        ref = load_dataset(root, skip_invalid=True)
    finally:
        del os.environ["BRIEFING_NO_CACHE"]
    assert isinstance(view, StoredDataset)
    assert list(view.events) == list(ref.events) and view.skipped == ref.skipped == 5
    assert [str(p) for p in view.problems] == [str(p) for p in ref.problems]


def test_the_first_load_leaves_no_log_for_later_starts_to_read(root: Path) -> None:
    """The view passes through the WAL; left there, every later start would first read the whole
    log (hundreds of megabytes at 100k events): it is checkpointed into the store and cut.
    The files are dated a minute back: a file changed within 2 s of its import is hashed again
    and settled by the next open, a write of its own (a few KB) after the checkpoint, which a
    slow machine's load can reach within the same call."""
    past = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (past, past))
    load(str(root))
    folder = store_folder()
    assert folder is not None
    wal = store_path(folder, str(root)) + "-wal"
    assert not os.path.exists(wal) or os.path.getsize(wal) == 0


def test_a_view_that_cannot_be_written_leaves_none_and_the_load_goes_on(root: Path, monkeypatch) -> None:
    """SQLite failing halfway through the view (a full disk, say): the view is rolled back,
    nothing half-written is ever served, and this load is held in memory instead."""
    from briefing.sqlquery import IndexWriter

    def full(self: IndexWriter, *_step: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(IndexWriter, "finish", full)
    ds = load(str(root))
    assert not isinstance(ds, StoredDataset)
    assert list(ds.events) == list(memory(root).events)
    assert open_view(str(root)) is None


def test_the_bar_moves_through_every_part_of_a_first_import(root: Path) -> None:
    """A first import of a million rows takes minutes: the bar moved only while the events
    were written, then stood still through the indexes, the sums and the text index (at 1M,
    minutes without a change looks like a hang).  Now each part moves it, in its own share (the
    text indexes are built beside the events, a chunk at a time, and move it with them)."""
    seen: list[int] = []
    view = load(str(root), progress=lambda done, total, _partial=None: seen.append(100 * done // total))
    assert isinstance(view, StoredDataset)
    assert seen == sorted(set(seen)) and seen[-1] == 100  # rising, to the end
    parts = {  # the least number of moves in each (these events are one chunk of the view's)
        "reading": (0, stored._READ, 3),
        "events": (stored._READ, stored._EVENTS, 1),
        "indexes and sums": (stored._EVENTS, stored._SUMS, 5),
        "the word index's vocabulary": (stored._SUMS, stored._TEXT, 1),
    }
    for name, (lo, hi, least) in parts.items():
        assert len([p for p in seen if lo < p <= hi]) >= least, (name, seen)
    assert stored._TEXT in seen and stored._COMMIT in seen


def test_validate_of_a_view_counts_its_disputes_without_reading_every_event(root: Path, monkeypatch) -> None:
    """`briefing validate` counted disputes by reading every event back: on a million-row
    export, gigabytes.  From the view it sums the count kept per event at import instead."""
    from briefing import view

    def validate() -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli.main(["validate", "--data", str(root)]) == 0
        return out.getvalue()

    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    from_memory = validate()
    monkeypatch.delenv("BRIEFING_NO_CACHE")
    assert " 0 disputes" not in from_memory  # there is something to count
    load(str(root))
    assert open_view(str(root)) is not None

    def unread(*_a: object) -> None:
        raise AssertionError("an event was read back")

    monkeypatch.setattr(view.StoredEvents, "__iter__", unread)
    monkeypatch.setattr(view.StoredEvents, "__getitem__", unread)
    assert validate() == from_memory


def test_a_mistyped_event_id_is_matched_against_the_ids_near_it_not_every_event(root: Path, monkeypatch) -> None:
    """`brief --event` with a typo looked for close ids among every event, each read back
    from the store (bench/README.md, round 9).  From the view, the id index gives the ids
    near the one typed."""
    import contextlib

    from briefing import view

    load(str(root))
    ds = open_view(str(root))
    assert ds is not None
    real = next(e.id for e in memory(root).events if e.id.startswith("acled:"))
    typo = real + "x"

    def unread(*_a: object) -> None:
        raise AssertionError("an event was read back")

    monkeypatch.setattr(view.StoredEvents, "__iter__", unread)
    monkeypatch.setattr(view.StoredEvents, "__getitem__", unread)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli.main(["brief", "--data", str(root), "--event", typo]) == 2
    assert f"--event {typo!r}: no event has this id; did you mean " in err.getvalue()
    assert real in err.getvalue()


def test_a_source_s_first_claims_are_read_without_every_event_naming_it(root: Path, monkeypatch) -> None:
    """The source screen shows its first few hundred claims and the count: it read every event
    naming the source back (an outlet of a million-row export: tens of thousands of events)."""
    from briefing import view

    load(str(root))
    ds = open_view(str(root))
    assert ds is not None
    busiest = max(ds.sources, key=lambda s: ds.source_claim_count(s.id))
    assert ds.source_claim_count(busiest.id) > 64  # more than one chunk of events
    asked: list[int] = []
    at = view.StoredEvents.at
    monkeypatch.setattr(
        view.StoredEvents, "at", lambda self, positions: asked.append(len(positions)) or at(self, positions)
    )
    first = ds.claims_carried_by(busiest.id, 10)
    assert len(first) == 10 and sum(asked) <= 64


def _write_row(root: Path, name: str, **fields: str) -> None:
    """A CSV of one ACLED row: the first of root's export, with fields changed."""
    import csv

    with open(root / "acled.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        row = next(reader)
        columns = reader.fieldnames
    assert columns is not None
    with open(root / name, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=columns)
        out.writeheader()
        out.writerow({**row, **fields})


def test_a_later_text_holding_the_first_chunk_s_marker_is_answered_as_in_memory(root: Path, monkeypatch) -> None:
    """The text indexes are built a chunk at a time, beside the events; the word index's
    country tokens begin with a character no text holds, chosen from the first chunk's texts.
    An older event whose text holds that very character (a private-use one) comes in a later
    chunk: the word index is made again with another, and every answer stays exact."""
    from briefing.sqlquery import EventIndex

    _write_row(
        root, "old.csv", event_id_cnty="OLD1", event_date="1990-01-02", notes="marked \ue000 zqxjkv", country="Narnia"
    )
    made_again: list[str] = []
    reindex = EventIndex.reindex_words
    monkeypatch.setattr(
        EventIndex, "reindex_words", staticmethod(lambda conn, mark: (made_again.append(mark), reindex(conn, mark)))
    )
    ref = memory(root)
    view = load(str(root))
    assert isinstance(view, StoredDataset)
    assert made_again and made_again[0] != "\ue000"  # it was needed, and the new marker is another
    assert ref.events[-1].id == "acled:OLD1"  # the oldest: in the last chunk
    other = next(e for e in ref.events if " " not in e.country)  # a word of a new event's text, its country
    word = max((w for w in ref.haystack(other).split() if w.isalpha()), key=len)
    for text in [
        "zqxjkv",
        "\ue000",
        "marked",
        "country:narnia",
        "country:narnia marked",  # the word index answers a country with a word
        f"country:{other.country} {word}",
        word,
    ]:
        q = parse(text)
        assert q.apply(view) == q.apply(ref), text
        assert index_for(view).count(q) == len(q.apply(ref)), text


def test_a_failure_while_the_text_is_indexed_beside_the_events_leaves_no_view(root: Path, monkeypatch) -> None:
    """SQLite failing on the thread that indexes the text (a full disk, say) stops the view:
    it is rolled back, this load is held in memory, no thread is left behind, and the next
    load writes the view."""
    import threading

    from briefing.sqlquery import EventIndex

    calls: list[int] = []
    index_text = EventIndex.index_text

    def full(conn: sqlite3.Connection, lo: int, hi: int | None, mark: str) -> None:
        calls.append(lo)
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        index_text(conn, lo, hi, mark)

    monkeypatch.setattr(EventIndex, "index_text", staticmethod(full))
    ds = load(str(root))
    assert len(calls) == 2  # nothing more was indexed once it failed
    assert not isinstance(ds, StoredDataset)
    assert list(ds.events) == list(memory(root).events)
    assert open_view(str(root)) is None
    assert not [t for t in threading.enumerate() if t.name.startswith("briefing-index")]
    monkeypatch.setattr(EventIndex, "index_text", staticmethod(index_text))
    assert isinstance(load(str(root)), StoredDataset)


def test_the_view_matches_without_regard_to_accents(root: Path) -> None:
    """`segou` finds Ségou, `admin1:ménaka` the synthetic export's Menaka (a QA pass: 394
    events against 100, disjoint), from the view's indexes as in memory."""
    _write_row(
        root,
        "accented.csv",
        event_id_cnty="SEG1",
        location="Ségou",
        admin1="Ménaka",
        country="Côte d'Ivoire",
        actor1="Katiba Mâsina",
        notes="Attaque près de Ségou, région de Ménaka.",
    )
    _write_row(
        root,
        "plain.csv",
        event_id_cnty="SEG2",
        location="Segou",
        admin1="MENAKA",
        country="Cote d'Ivoire",
        notes="Attack near Segou, Menaka region.",
    )
    ref = memory(root)
    view = load(str(root))
    assert isinstance(view, StoredDataset)
    both = {"acled:SEG1", "acled:SEG2"}
    menaka = {e.id for e in ref.events if e.admin1 == "Menaka"}
    assert menaka  # the synthetic export's own
    expected = {
        "segou": both,
        "ségou": both,
        "SÉGOU": both,
        '"pres de segou"': {"acled:SEG1"},
        "admin1:menaka": menaka | both,
        "admin1:ménaka": menaka | both,
        'country:"cote d\'ivoire"': both,
        'country:"côte d\'ivoire" segou': both,
        'actor:"katiba masina"': {"acled:SEG1"},
        "masina": {"acled:SEG1"},
    }
    for text, ids in expected.items():
        q = parse(text)
        want = q.apply(ref)
        assert {e.id for e in want} == ids, text
        assert q.apply(view) == want, text
        assert index_for(view).count(q) == len(want), text
        assert list(index_for(view).matches(q)) == want, text
    shown = view.event("acled:SEG1")
    assert shown is not None and (shown.location, shown.admin1, shown.country) == ("Ségou", "Ménaka", "Côte d'Ivoire")


def test_the_palette_finds_an_acled_id_typed_bare_before_the_ids_it_begins(root: Path) -> None:
    """QA (tenth session): `ctrl+p AFG476 ⏎` on a big export opened acled:AFG4761 (100 killed),
    another event: the ids that hold the typed one came in date order, the exact one anywhere
    among them (or past the palette's limit).  Asked of the view's index, the event whose id
    it is comes first, with or without `acled:`."""
    view = load(str(root))
    assert isinstance(view, StoredDataset)
    ids = {e.id for e in view.events}
    prefixes = sorted(i for i in ids if i.startswith("acled:") and any(j != i and j.startswith(i) for j in ids))
    assert prefixes, "the synthetic export has ids that begin others"
    index = index_for(view)
    for eid in prefixes[:5]:
        bare = eid.removeprefix("acled:")
        assert [e.id for e in index.titled(bare, limit=1)] == [eid]
        assert [e.id for e in index.titled(eid.upper(), limit=1)] == [eid]


def test_a_log_the_disk_cannot_take_is_said_and_the_store_removed(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA s18 (resilience): a cache disk that filled while the first import folded its log
    into the store left the disk full (a 289 MB log beside an unsealed store) and said nothing,
    exit 0. A fold that fails for the disk is a write that failed: said once, the store
    removed when the run ends; the brief is still whole (held from the log, then memory)."""
    from briefing import store as store_module

    class Full:
        """The store's connection, its checkpoint refused as a full disk refuses it."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql.startswith("PRAGMA wal_checkpoint"):
                raise sqlite3.OperationalError("database or disk is full")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self._conn, name)

    real = store_module.Store.fold
    monkeypatch.setattr(store_module.Store, "fold", lambda self: real(_with(self, Full(self.conn))))

    def _with(s: store_module.Store, conn: object) -> store_module.Store:
        s.conn = conn  # type: ignore[assignment]
        return s

    ds = load(str(root))
    assert len(ds.events) == len(memory(root).events)
    err = capsys.readouterr().err
    assert "cannot write the store" in err and "database or disk is full" in err, err
    assert not os.path.exists(store_path(store_folder() or "", str(root)))


def test_a_session_that_ends_lets_go_of_the_log_a_writer_left(root: Path) -> None:
    """QA s18 (resilience): each sync while a TUI was open added a whole store to the log (554 MB
    at 100k rows, 1.1 GB after two), which the TUI's snapshot kept from folding in; quitting did
    not fold it (the process ends at once, its connections never closed). A view's session now
    closes them as it ends, and the last one out folds the log in."""
    first = load(str(root))
    assert isinstance(first, StoredDataset)
    first.close()  # (its index refers back to it: a cycle, freed only by the collector)
    ds = open_view(str(root))
    assert isinstance(ds, StoredDataset) and len(ds.events[:5]) == 5  # reading: a snapshot held
    path = store_path(store_folder() or "", str(root))
    writer = sqlite3.connect(path)
    writer.execute("CREATE TABLE ballast (x BLOB)")
    writer.executemany("INSERT INTO ballast VALUES (?)", [(os.urandom(4096),) for _ in range(500)])
    writer.commit()
    writer.close()
    assert os.path.getsize(f"{path}-wal") > 2_000_000
    ds.close()
    assert not os.path.exists(f"{path}-wal") or os.path.getsize(f"{path}-wal") == 0
