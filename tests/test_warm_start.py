"""A start on files the store already holds only reads it.

Every `briefing`, `brief` and `export` on unchanged files used to write the store twice
(recording again, with the same token, that the files loaded), which made the last connection's
close checkpoint the log into the file and sync it: most of the wall time of a small load, a
second writer where there need be none (a TUI and a brief started side by side), and a store
that changes on every read.  The store must come out of a warm start byte for byte as it went in.
"""

from __future__ import annotations

import argparse
import io
import os
from contextlib import redirect_stdout
from pathlib import Path

from briefing import cli
from briefing.devtools import synth
from briefing.loader import load_dataset
from briefing.store import store_folder, store_path
from briefing.stored import load
from briefing.tui.run import _first_page


def _state(db: Path) -> tuple[bytes, int, bool]:
    return db.read_bytes(), db.stat().st_mtime_ns, Path(f"{db}-wal").exists()


def test_a_warm_start_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "data"
    synth.write_toml(synth.World(40, seed=5, actors=8, sources=5), root)
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
