"""The store: identical records to a cold load, never stale, any doubt rebuilt (never a crash,
a hang or a stale number)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing import acled, loader, store
from briefing.devtools import synth
from briefing.loader import load_dataset
from briefing.problems import DataError
from scale_helpers import CURATED, CURATED_ONLY, age, age_tree, copy_sample, modules_after


def cold(root: Path, **kw):
    os.environ["BRIEFING_NO_CACHE"] = "1"
    try:
        return load_dataset(root, **kw)
    finally:
        del os.environ["BRIEFING_NO_CACHE"]


def same(a, b) -> None:
    assert a.events == b.events
    assert a.actors == b.actors
    assert a.sources == b.sources
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert (a.skipped, a.root) == (b.skipped, b.root)
    assert [type(e) for e in a.events[:3]] == [type(e) for e in b.events[:3]]


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    world = synth.World(1200, seed=7, actors=80, sources=40)
    synth.write_toml(world, root / "toml")
    synth.write_acled(synth.World(800, seed=8, actors=60), root / "toml" / "acled.csv", "mixed")
    age_tree(root)
    return root / "toml"


class Spy:
    """Counts what the loader does, to tell a warm start from a re-parse."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.parsed: list[str] = []
        self.built = 0
        parse_any, build = loader.parse_any, loader.build_dataset

        def spy_parse(p, *rest):
            self.parsed.append(Path(p).name)
            return parse_any(p, *rest)

        def spy_build(*a, **k):
            self.built += 1
            return build(*a, **k)

        read_rows = acled.read_rows  # how the store reads an ACLED export: streamed

        def spy_rows(p, *rest):
            self.parsed.append(Path(p).name)
            return read_rows(p, *rest)

        monkeypatch.setattr(loader, "parse_any", spy_parse)
        monkeypatch.setattr(acled, "read_rows", spy_rows)
        monkeypatch.setattr(loader, "build_dataset", spy_build)


def test_cold_cached_and_warm_loads_give_identical_records(synth_dir: Path, monkeypatch) -> None:
    reference = cold(synth_dir)
    assert len(reference.events) == 2000 and any(e.id.startswith("acled:") for e in reference.events)
    first = load_dataset(synth_dir)  # fills the cache
    spy = Spy(monkeypatch)
    warm = load_dataset(synth_dir)
    assert spy.parsed == [] and spy.built == 1  # read from the store: no parse; the checks run again
    same(reference, first)
    same(reference, warm)
    assert warm.counts() == reference.counts()
    # the derived indexes agree too
    some = reference.actors[5].id
    assert [e.id for e, _ in warm.events_of_actor(some)] == [e.id for e, _ in reference.events_of_actor(some)]


def test_a_warm_start_imports_neither_pydantic_nor_tomllib(synth_dir: Path, _own_cache: Path) -> None:
    env = {"XDG_CACHE_HOME": str(_own_cache)}
    code = f"from briefing.loader import load_dataset\nload_dataset({str(synth_dir)!r})"
    cold_mods = modules_after(code, env)
    assert "briefing.schema" in cold_mods and "tomli" in cold_mods  # it did parse
    warm_mods = modules_after(code, env)
    assert "pydantic" not in warm_mods and "briefing.schema" not in warm_mods
    assert "tomli" not in warm_mods and "tomllib" not in warm_mods
    assert "pathlib" not in warm_mods  # ~5 ms with urllib.parse and ipaddress, which Rich does not need


def test_a_warm_brief_does_not_import_pydantic(tmp_path: Path, _own_cache: Path) -> None:
    root = tmp_path / "data"
    root.mkdir()
    (root / "curated.toml").write_text(CURATED, encoding="utf-8")
    copy_sample(root)
    age_tree(root)
    env = {"XDG_CACHE_HOME": str(_own_cache), "COLUMNS": "100"}
    code = (
        "import contextlib, io\nfrom briefing.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['brief', '--data', {str(root)!r}, '--skip-invalid'])"
    )
    assert "pydantic" in modules_after(code, env)
    warm = modules_after(code, env)
    assert "pydantic" not in warm and "tomli" not in warm
    assert "pathlib" not in warm  # the data folder, the cache and the ACLED sniffing use os.path


def test_an_edit_shows_on_the_next_start_and_only_that_file_is_parsed(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "d"
    world = synth.World(300, seed=3, actors=30, sources=20)
    synth.write_toml(world, root)
    age_tree(root)
    load_dataset(root)
    victim = sorted(root.glob("events-*.toml"))[2]
    text = victim.read_text(encoding="utf-8")
    first_title = text.split('title = "', 1)[1].split('"', 1)[0]
    victim.write_text(text.replace(first_title, "Edited title", 1), encoding="utf-8")
    spy = Spy(monkeypatch)
    ds = load_dataset(root)
    assert spy.parsed == [victim.name]  # the other files came from their cache entries
    assert any(e.title == "Edited title" for e in ds.events)
    same(cold(root), ds)


def test_a_same_size_edit_within_the_clock_granularity_is_seen(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir()
    path = root / "curated.toml"
    path.write_text(CURATED_ONLY, encoding="utf-8")
    st = path.stat()
    assert load_dataset(root).event("border-post-2019").title == "Attack on a border post at Ishkobod"
    # Same size, and the same mtime to the nanosecond (a coarse clock, or a fast editor).
    path.write_text(CURATED_ONLY.replace("at Ishkobod", "at IshkobOD"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert load_dataset(root).event("border-post-2019").title == "Attack on a border post at IshkobOD"


def test_added_and_removed_files_are_seen(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir()
    (root / "curated.toml").write_text(CURATED_ONLY, encoding="utf-8")
    age_tree(root)
    assert len(load_dataset(root).events) == 1
    csv = copy_sample(root)
    age(csv)
    assert len(load_dataset(root, skip_invalid=True).events) == 5
    csv.unlink()
    assert len(load_dataset(root).events) == 1


def test_problems_are_the_same_from_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir()
    (root / "curated.toml").write_text(CURATED.replace("value = 20", 'value = "twenty"'), encoding="utf-8")
    copy_sample(root)
    age_tree(root)
    with pytest.raises(DataError) as first:
        load_dataset(root)
    with pytest.raises(DataError) as again:
        load_dataset(root)
    assert again.value.lines() == first.value.lines()
    with pytest.raises(DataError) as reference:
        cold(root)
    assert again.value.lines() == reference.value.lines()
    skipping = [load_dataset(root, skip_invalid=True) for _ in range(2)]
    same(cold(root, skip_invalid=True), skipping[1])
    assert skipping[1].skipped == 3


def test_a_bad_record_s_unknown_names_and_duplicate_id_are_said_from_the_store_too(tmp_path: Path) -> None:
    """A record that fails its schema still has its references and its id checked; a warm
    start read its file from the store without them, and dropped those problems."""
    root = tmp_path / "d"
    root.mkdir()
    bad = CURATED.replace("value = 20", 'value = "twenty"').replace('claimed_by = "ministry"', 'claimed_by = "nobody"')
    second = bad[bad.index("[[event]]") :].replace('actor = "is-tajikistan"', 'actor = "no-such-group"')
    (root / "curated.toml").write_text(bad + "\n" + second, encoding="utf-8")
    copy_sample(root)
    age_tree(root)
    with pytest.raises(DataError) as reference:
        cold(root)
    lines = reference.value.lines()
    assert any("unknown actor 'nobody'" in line for line in lines), lines
    assert any("unknown actor 'no-such-group'" in line for line in lines), lines
    assert any("duplicate event id" in line for line in lines), lines
    for _ in range(2):  # the first start writes the store, the second reads it
        with pytest.raises(DataError) as got:
            load_dataset(root)
        assert got.value.lines() == lines


def corrupt_everything(cache_root: Path, how: str) -> int:
    n = 0
    for p in cache_root.rglob("*"):
        if not p.is_file():
            continue
        data = p.read_bytes()
        if how == "truncate":
            p.write_bytes(data[: len(data) // 2])
        elif how == "garble":
            p.write_bytes(data[:40] + bytes(b ^ 0x5A for b in data[40:200]) + data[200:])
        elif how == "empty":
            p.write_bytes(b"")
        else:
            p.write_bytes(os.urandom(len(data)))
        n += 1
    return n


@pytest.mark.parametrize("how", ["truncate", "garble", "empty", "random"])
def test_a_corrupt_cache_is_discarded_silently_and_rebuilt(synth_dir: Path, _own_cache: Path, capsys, how) -> None:
    reference = cold(synth_dir)
    load_dataset(synth_dir)
    assert corrupt_everything(_own_cache, how) >= 1
    same(reference, load_dataset(synth_dir))
    same(reference, load_dataset(synth_dir))  # rebuilt, and good
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_a_cache_from_another_version_is_not_used(synth_dir: Path, monkeypatch) -> None:
    load_dataset(synth_dir)
    monkeypatch.setattr(store, "_fingerprint", "0.0.0/0/x")
    reference = cold(synth_dir)
    spy = Spy(monkeypatch)
    same(reference, load_dataset(synth_dir))
    assert len(spy.parsed) == len(loader.data_files(synth_dir))


def test_no_cache_writes_nothing(synth_dir: Path, _own_cache: Path) -> None:
    cold(synth_dir)
    assert not any(_own_cache.rglob("*.sqlite*"))


def test_an_unwritable_cache_dir_still_loads(synth_dir: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    same(cold(synth_dir), load_dataset(synth_dir))


def test_progress_says_how_much_is_read(synth_dir: Path) -> None:
    calls = []
    ds = load_dataset(synth_dir, progress=lambda done, total, partial: calls.append((done, total, partial)))
    assert ds.events and calls[-1] == (100, 100, None)
    assert [c[0] for c in calls] == sorted({c[0] for c in calls})  # percent, rising
    assert len(calls) > 3 and all(total == 100 and partial is None for _d, total, partial in calls)


def test_first_page_only_from_a_problem_free_store_of_the_same_files(synth_dir: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(synth_dir, root)
    age_tree(root)
    assert store.first_page(str(root)) is None  # nothing stored yet
    ds = load_dataset(root)
    page = store.first_page(str(root), 50)
    assert page is not None and page.actors == () and page.sources == ()
    assert [e.id for e in page.events] == [e.id for e in ds.events[:50]]
    assert page.events == ds.events[:50] or all(e.title == f.title for e, f in zip(page.events, ds.events))
    victim = sorted(root.glob("*.toml"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store.first_page(str(root), 50) is None  # a file changed: load it all
    load_dataset(root)
    assert store.first_page(str(root), 50) is not None
    (root / "zz-bad.toml").write_text('[[event]]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(DataError):
        load_dataset(root)
    assert store.first_page(str(root), 50) is None  # never a page of data that does not load


def test_a_store_locked_by_another_writer_is_not_waited_for(
    tmp_path: Path, _own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process importing holds the write lock: this load gives up on the store (its
    writes refused as busy, the store not taken for damaged) and answers from memory, right.
    (No clock here: review s13 found an 8 s bound that passed with a 6 s wait.)"""
    import sqlite3

    root = tmp_path / "d"
    root.mkdir()
    (root / "curated.toml").write_text(CURATED_ONLY, encoding="utf-8")
    age_tree(root)
    load_dataset(root)
    (root / "more.toml").write_text(CURATED_ONLY.replace("border-post-2019", "border-post-2020"), encoding="utf-8")
    [path] = (_own_cache / "briefing").glob("store-*.sqlite")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    failed: list[sqlite3.Error] = []
    write_failed = store.Store.write_failed

    def spy(self: store.Store, exc: sqlite3.Error) -> None:
        failed.append(exc)
        write_failed(self, exc)

    monkeypatch.setattr(store.Store, "write_failed", spy)
    try:
        with pytest.raises(DataError):  # duplicate ids across the two files: both were read
            load_dataset(root)
        assert failed and all(store._busy(exc) for exc in failed), failed
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_damaged_row_in_a_sound_store_is_parsed_again_and_the_store_rebuilt(tmp_path: Path, _own_cache: Path) -> None:
    import sqlite3

    root = tmp_path / "d"
    root.mkdir()
    (root / "curated.toml").write_text(CURATED_ONLY, encoding="utf-8")
    age_tree(root)
    reference = cold(root)
    load_dataset(root)
    [path] = (_own_cache / "briefing").glob("store-*.sqlite")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE records SET data = '[1, 2' WHERE kind = 'event'")
    conn.execute("UPDATE records SET data = '[\"x\"]' WHERE kind = 'actor'")
    conn.commit()
    conn.close()
    same(reference, load_dataset(root))
    same(reference, load_dataset(root))  # rebuilt, and good


def test_a_content_hash_is_kept_only_while_the_file_is_fresh(tmp_path: Path, _own_cache: Path, monkeypatch) -> None:
    import sqlite3

    root = tmp_path / "d"
    root.mkdir()
    path = root / "curated.toml"
    path.write_text(CURATED_ONLY, encoding="utf-8")
    monkeypatch.setattr(store, "RACY_NS", 10**18)  # every file counts as just written
    load_dataset(root)
    [db] = (_own_cache / "briefing").glob("store-*.sqlite")
    digest = lambda: sqlite3.connect(db).execute("SELECT digest FROM files").fetchone()[0]  # noqa: E731
    assert digest() is not None
    spy = Spy(monkeypatch)
    load_dataset(root)  # still fresh: the hash is checked, and kept
    assert spy.parsed == [] and digest() is not None
    monkeypatch.setattr(store, "RACY_NS", 0)  # now old: unchanged since, so the stamp alone will do
    load_dataset(root)
    assert spy.parsed == [] and digest() is None


def test_a_ledger_removal_of_an_event_the_export_still_has_is_the_same_through_the_store(
    tmp_path: Path, _own_cache: Path
) -> None:
    """The ledger's removed events come back unless the export has them (`present`): the
    store asked its table, where the last rows read (under a batch of 5,000) were not yet
    written, so such an event came back beside the row that has it, as a duplicate."""
    import csv
    import json

    root = tmp_path / "d"
    export = synth.write_acled(synth.World(300, seed=11, actors=20), root / "acled" / "acled.csv")
    with open(export, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    last = {k.strip().casefold(): v for k, v in rows[-1].items()}
    entry = {
        "kind": "removed",
        "id": "acled:" + last["event_id_cnty"],
        "synced_at": "2026-01-01T00:00:00Z",
        "row": last,
    }
    (root / "acled" / "ledger.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    age_tree(root)
    reference = cold(root)
    assert not reference.problems and len(reference.events) == len(rows)
    same(reference, load_dataset(root))


def _checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The `PRAGMA quick_check`s the store's connections run from now on."""
    seen: list[str] = []
    connect = store._connect

    def traced(path: str):
        conn = connect(path)
        conn.set_trace_callback(lambda sql: seen.append(sql) if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(store, "_connect", traced)
    return seen


def _edited(root: Path) -> None:
    victim = root / "curated.toml"
    victim.write_text(
        victim.read_text(encoding="utf-8").replace("border post at Ishkobod", "frontier post at Ishkobod", 1),
        encoding="utf-8",
    )


def _curated_root(tmp_path: Path) -> Path:
    root = tmp_path / "d"
    root.mkdir()
    (root / "curated.toml").write_text(CURATED_ONLY, encoding="utf-8")
    age_tree(root)
    return root


def test_a_store_as_this_tool_left_it_is_not_read_through_again(tmp_path: Path, _own_cache: Path, monkeypatch) -> None:
    """The check reads every page of the store (minutes for a big one out of the page cache):
    a start after an edit skips it when the store file is exactly as a run of this tool left
    it, sealed after its last write."""
    root = _curated_root(tmp_path)
    load_dataset(root)
    checks = _checks(monkeypatch)
    _edited(root)
    ds = load_dataset(root)
    assert ds.event("border-post-2019").title == "Attack on a frontier post at Ishkobod"
    assert checks == []
    _edited(root)  # and again: the run that skipped the check sealed the store it wrote
    (root / "curated.toml").write_text(CURATED_ONLY, encoding="utf-8")
    same(cold(root), load_dataset(root))
    assert checks == []


@pytest.mark.parametrize("how", ["touched", "log", "seal", "no seal"])
def test_a_store_not_as_this_tool_left_it_is_checked(tmp_path: Path, _own_cache: Path, monkeypatch, how: str) -> None:
    import sqlite3

    root = _curated_root(tmp_path)
    load_dataset(root)
    [path] = (_own_cache / "briefing").glob("store-*.sqlite")
    if how == "touched":  # written by something else (the same bytes: only its stamp says so)
        path.write_bytes(path.read_bytes())
    elif how == "log":  # a log left holding writes not yet in the file
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("PRAGMA wal_autocheckpoint=0")
        other.execute("INSERT OR REPLACE INTO meta VALUES ('x', 'y')")
        os.link(f"{path}-wal", tmp_path / "kept-wal")
        other.close()
        os.link(tmp_path / "kept-wal", f"{path}-wal")
    elif how == "seal":
        seal = Path(f"{path}.seal")
        seal.write_text(seal.read_text() + "x")
    else:
        Path(f"{path}.seal").unlink()
    checks = _checks(monkeypatch)
    _edited(root)
    same(cold(root), load_dataset(root))
    assert len(checks) == 1


def test_damage_only_the_check_finds_is_rebuilt(tmp_path: Path, _own_cache: Path) -> None:
    """A page the load never reads, damaged from outside: the stamp has moved, so the start
    after an edit checks the store, finds it, and rebuilds."""
    import sqlite3

    root = _curated_root(tmp_path)
    load_dataset(root)
    [path] = (_own_cache / "briefing").glob("store-*.sqlite")
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'records_order'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\xff" * 64)
    _edited(root)
    same(cold(root), load_dataset(root))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_curated_ids_are_looked_up_in_the_store_by_id(tmp_path: Path, _own_cache: Path, monkeypatch) -> None:
    """Beside an export, the start after a curated edit asks which curated ids the export
    also has: by id, not by reading each of the export's stored rows (26 s of a 38 s start
    at 1M out of the page cache)."""
    import sqlite3

    root = _curated_root(tmp_path)
    synth.write_acled(synth.World(9000, seed=8, actors=40), root / "acled.csv", "iso")
    age_tree(root)
    load_dataset(root)
    seen: list[str] = []
    connect = store._connect

    def traced(path: str):
        conn = connect(path)
        conn.set_trace_callback(seen.append)  # the statements, their values bound
        return conn

    monkeypatch.setattr(store, "_connect", traced)
    _edited(root)
    from briefing.stored import load as stored_load

    assert stored_load(str(root)).event("border-post-2019").title == "Attack on a frontier post at Ishkobod"
    lookups = [sql for sql in seen if "json_each" in sql and "FROM records" in sql]
    assert lookups
    [path] = (_own_cache / "briefing").glob("store-*.sqlite")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for sql in lookups:
            plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "SEARCH records USING INDEX records_id (kind=? AND id=?)" in plan, (sql[:200], plan)
    finally:
        conn.close()
