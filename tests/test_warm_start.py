"""A start on files the store already holds only reads it.

Every `briefing`, `brief` and `export` on unchanged files used to write the store twice
(recording again, with the same token, that the files loaded), which made the last connection's
close checkpoint the log into the file and sync it: most of the wall time of a small load, a
second writer where there need be none (a TUI and a brief started side by side), and a store
that changes on every read.  The store must come out of a warm start byte for byte as it went in.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from briefing import cli, store, stored
from briefing.devtools import synth
from briefing.loader import load_dataset
from briefing.store import store_folder, store_path
from briefing.stored import load
from briefing.tui.run import _first_page
from briefing.view import StoredDataset


def _state(db: Path) -> tuple[bytes, int, bool]:
    return db.read_bytes(), db.stat().st_mtime_ns, Path(f"{db}-wal").exists()


def test_a_warm_start_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "data"
    for path in synth.write_toml(synth.World(40, seed=5, actors=8, sources=5), root):
        # settled before the first start: a file still new then is hashed, and a start past
        # its 2 s drops the hash (a write, as the hashed-while-new test below asks), which a
        # loaded machine reached between the starts below
        os.utime(path, ns=(time.time_ns() - 3600 * 10**9,) * 2)
    with redirect_stdout(io.StringIO()):
        assert cli.main(["brief", "--data", str(root)]) == 0  # the first start builds the store
    folder = store_folder()
    assert folder is not None
    db = Path(store_path(folder, str(root)))
    before = _state(db)
    assert not before[2]  # nothing left in a log either

    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["brief", "--data", str(root)]) == 0
        assert cli.main(["export", "--data", str(root), "--format", "jsonl"]) == 0
    assert out.getvalue().count("\n") > 40  # they did load the events
    load_dataset(root)
    load(str(root))
    page, ds, _rest = _first_page(argparse.Namespace(data=str(root), skip_invalid=False))
    assert ds is not None and len(ds.events) == 40  # the TUI's start, from the store

    assert _state(db) == before


def test_one_folder_named_two_ways_is_one_warm_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA s13: `--data s20k` and `--data /tmp/…/s20k` (the `$ briefing …` line writes that)
    were two sets of files to the store: each start after a switch imported all again (7–12 s
    at 20k rows).  Any spelling of the folder is one set of files: the store stays as it was."""
    root = tmp_path / "data"
    for path in synth.write_toml(synth.World(40, seed=5, actors=8, sources=5), root):
        os.utime(path, ns=(time.time_ns() - 3600 * 10**9,) * 2)  # settled (as above)
    monkeypatch.chdir(tmp_path)
    with redirect_stdout(io.StringIO()):
        assert cli.main(["brief", "--data", "data"]) == 0  # the first start builds the store
    folder = store_folder()
    assert folder is not None
    db = Path(store_path(folder, str(root)))
    before = _state(db)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(root, target_is_directory=True)  # (regression pass: `..` and a link)
    with redirect_stdout(io.StringIO()):
        for spelling in (str(root), "./data/", "data", str(tmp_path) + "//data", "sub/../data", "link"):
            assert cli.main(["brief", "--data", spelling]) == 0
    assert _state(db) == before


def test_a_changed_file_is_still_recorded(tmp_path: Path) -> None:
    """The other side: after an edit the store does change (the new file, its new token)."""
    root = tmp_path / "data"
    files = synth.write_toml(synth.World(40, seed=5, actors=8, sources=5), root)
    load_dataset(root)
    folder = store_folder()
    assert folder is not None
    db = Path(store_path(folder, str(root)))
    before = _state(db)
    event_file = next(p for p in files if "event" in p.name)
    event_file.write_text(event_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(event_file, ns=(0, 0))
    load_dataset(root)
    assert _state(db)[:2] != before[:2]


HOLD = """
import os, sys
from briefing.stored import open_view
ds = open_view(sys.argv[1])
print(len(ds.events), flush=True)
sys.stdin.read()
os._exit(0)  # as the TUI leaves (cli.entry): no connection closed
"""


def test_a_log_left_by_an_import_beside_an_open_session_is_folded_in_once_it_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TUI open on a view keeps reading its snapshot; a re-import meanwhile (the weekly export
    replaced, a brief run in another pane) cannot fold its log back into the store past it.
    Left there, the log (~640 MB at 100k events) was read by every later start (a brief 3x as
    slow) until the next import; now the first start after the session has gone folds it in."""
    monkeypatch.setattr(stored, "VIEW_MIN", 100)
    monkeypatch.setattr(store, "LOG_LIMIT", 0, raising=False)  # this log is a few MB, not hundreds
    root = tmp_path / "data"
    synth.write_toml(synth.World(200, seed=3, actors=20, sources=10), root)
    export = synth.write_acled(synth.World(900, seed=4, actors=20), root / "acled.csv", "mixed")
    first = len(load(str(root)).events)
    folder = store_folder()
    assert folder is not None
    wal = Path(store_path(folder, str(root)) + "-wal")

    session = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert session.stdout is not None and int(session.stdout.readline()) == first
        synth.write_acled(synth.World(800, seed=5, actors=20), export, "mixed")  # this week's export
        again = len(load(str(root)).events)  # the view rewritten (dropped at once: no reader here)
        assert again < first
        assert wal.exists() and wal.stat().st_size > 0  # held back by the session's snapshot
    finally:
        session.communicate("")
    gc.collect()  # the views this test opened, closed (a view and its index refer to each other)
    later = stored.open_view(str(root))
    assert later is not None and len(later.events) == again
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_file_hashed_while_it_was_new_is_not_hashed_on_every_later_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export imported right after it was copied in (changed within the last 2 s) gets a
    content hash, since its stamps alone cannot prove it unchanged yet.  Once it has settled,
    a later start that finds the hash equal drops it: from then on a change shows in the
    stamps.  A view's start kept it forever, and hashed the whole export on every start (2.5 s
    for a brief of a 70 MB export; a 424 MB one would take far longer)."""
    monkeypatch.setattr(stored, "VIEW_MIN", 100)
    root = tmp_path / "data"
    synth.write_acled(synth.World(900, seed=4, actors=20), root / "acled.csv", "mixed")
    # "Just written", however long the import takes on a loaded machine (over 2 s, the file
    # had settled before the store stamped it, and there was no hash to drop).
    monkeypatch.setattr(store, "RACY_NS", 3600 * 10**9)
    assert isinstance(load(str(root)), StoredDataset)
    hashed: list[int] = []
    real = store._digest

    def spy(fd: int) -> str:
        hashed.append(fd)
        return real(fd)

    monkeypatch.setattr(store, "_digest", spy)
    monkeypatch.setattr(store, "RACY_NS", 0)  # as if the 2 s had passed
    first = stored.open_view(str(root))
    assert first is not None and len(hashed) == 1  # just written: proved by its content once
    for _ in range(2):
        assert stored.open_view(str(root)) is not None
    assert len(hashed) == 1  # then by its stamps


FINGERPRINT = "from briefing.store import fingerprint; print(fingerprint())"


def test_the_code_fingerprint_sees_an_edit_to_any_module(tmp_path: Path) -> None:
    """The fingerprint is made from every module's stamps, not their text (a read of every
    module on every start), and still sees an edit that keeps the size and sets the mtime back:
    the ctime moves, which only the clock sets.  A store from other code is then rebuilt."""
    import shutil

    package = Path(store.__file__).parent
    copy = tmp_path / "src"
    shutil.copytree(package, copy / "briefing", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(copy)}

    def fingerprint() -> str:
        return subprocess.run(
            [sys.executable, "-c", FINGERPRINT], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    first = fingerprint()
    assert fingerprint() == first  # nothing changed, nothing seen
    for module in ("export/stix.py", "vocab.py"):  # deep in the tree, and one nothing imports here
        path = copy / "briefing" / module
        st = path.stat()
        text = path.read_text(encoding="utf-8")
        head, rest = text.split("\n", 1)  # one letter of the docstring's first line changed
        path.write_text(head.replace("e", "E", 1) + "\n" + rest, encoding="utf-8")
        assert path.read_text(encoding="utf-8") != text
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
        assert path.stat().st_size == st.st_size
        changed = fingerprint()
        assert changed != first, module
        first = changed
