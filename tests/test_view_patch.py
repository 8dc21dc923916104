"""A view patched in place after an edit of curated events equals a view written whole.

An analyst curates claims beside a big ACLED export: a one-line edit of a curated file made
the next start write the whole view again (17 s beside a 100k export, minutes at 1M:
bench/README.md, round 13).  When only curated events' contents changed (no event added,
removed or re-dated; the exports, actors and sources as they were), `stored._patch_view`
rewrites those events' rows instead.  The oracle is the view written whole from the same
files in a fresh store: every table, the text indexes' answers, and what the commands print.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from briefing import cli, stored
from briefing.devtools import synth

REPO = Path(__file__).resolve().parents[1]
BORDER = "events/2019-11-border-post.toml"

# table -> (columns that hold an_code numbers); every other table is compared as it is
CODED = {
    "an_role": ("r_pair", "r_actor"),
    "an_source": ("s_source",),
    "an_pairs": ("pair", "actor"),
    "an_first": ("actor",),
    "an_roles": ("pair",),
}
SKIPPED = {"meta", "files", "records", "an_code", "ev_term"}  # the store's own; codes; ids of terms


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    codes = {c: (kind, k1, k2) for c, kind, k1, k2 in conn.execute("SELECT code, kind, k1, k2 FROM an_code")}
    out: dict[str, list[tuple[object, ...]]] = {}
    names = [
        n
        for (n, sql) in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if n not in SKIPPED and not n.startswith(("sqlite_", "ev_text", "ev_words", "ev_term_text"))
    ]
    for name in names:
        cols = [c[1] for c in conn.execute(f'PRAGMA table_info("{name}")')]
        rows = []
        for row in conn.execute(f'SELECT * FROM "{name}"'):
            rows.append(tuple(codes[v] if c in CODED.get(name, ()) else v for c, v in zip(cols, row)))
        out[name] = sorted(rows, key=repr)
    out["ev_term"] = sorted(conn.execute("SELECT term, n FROM ev_term"))
    out["meta"] = sorted(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'view%' AND key != 'view'"))
    probes = ["bor", "der", "taj", "ʃʃʃ", "kka", "ost", "isl", "quo", "qyx", "yxw"]
    for probe in probes:  # the text indexes, by what they answer
        out[f"ev_text {probe}"] = [r for (r,) in conn.execute("SELECT rowid FROM ev_text(?) ORDER BY rowid", (probe,))]
    for word in ("border", "tajik", "ʃʃʃ", "quokka", "gunmen", "qyxw"):
        out[f"ev_words {word}"] = [
            r for (r,) in conn.execute("SELECT rowid FROM ev_words(?) ORDER BY rowid", (f'"{word}"',))
        ]
    conn.close()
    return out


def _store(cache: Path) -> Path:
    [path] = (cache / "briefing").glob("store-*.sqlite")
    return path


def _said(root: Path, *args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main([*args, "--data", str(root)]) == 0
    return out.getvalue()


COMMANDS = [
    ("brief", "--width", "120"),
    ("brief", "--width", "120", "--country", "Tajikistan"),
    ("brief", "--width", "120", "--search", "border"),
    ("brief", "--width", "120", "--disputed"),
    ("export", "--format", "jsonl", "--filter", "quokka"),
    ("export", "--format", "jsonl", "--search", "masked"),
    ("export", "--format", "csv", "--table", "figures", "--country", "Tajikistan"),
    ("export", "--format", "json", "--filter", "ʃʃʃ"),
]


@pytest.fixture(scope="module")
def acled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("acled") / "acled.csv"
    synth.write_acled(synth.World(9_000, seed=4, actors=20), path, "mixed")
    return path


EDITS = {
    # a claim's number: the totals, the disputes, the sums move
    "a figure": lambda t: t.replace("value = 17\n", "value = 18\n", 1),
    # a word gone, new words and a character no text held: the word and trigram indexes, the
    # short-word counts
    "the text": lambda t: t.replace("Masked qyxw gunmen attacked", "Masked quokka ʃʃʃ gunmen attacked", 1),
    # a character that is the word index's marker: its country tokens are made again
    "the marker": lambda t: t.replace("Masked qyxw gunmen", "Masked \ue000 gunmen", 1),
    # tags and an actor's role: new (actor, role) numbers
    "tags and roles": lambda t: t.replace('"cross-border"]', '"cross-border", "quokka"]', 1).replace(
        'actor = "iskp"\nrole = "mentioned"', 'actor = "iskp"\nrole = "perpetrator"', 1
    ),
    # who carries a claim, and through whom: the counts per source
    "a claim's source": lambda t: t.replace(
        'source = "report-2019-11-tajik-border-clash-afp"\nvia = "is-social-media"\n', 'source = "is-social-media"\n', 1
    ),
    # the country: the sums of the one it left and of the one it joined
    "the country": lambda t: t.replace('country = "Tajikistan"', 'country = "Uzbekistan"', 1),
    # the sub-type: the number of events per kind (`ev_kind`) of the one it left and joined
    "the sub-type": lambda t: t.replace('sub_type = "armed-clash"', 'sub_type = "government-regains-territory"', 1),
    # the date: events move, so the view is written whole (and must still be right)
    "the date": lambda t: t.replace('date = "2019-11-06"', 'date = "2019-11-07"', 1),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_view_patched_after_a_curated_edit_equals_one_written_whole(
    tmp_path: Path, acled: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    root = tmp_path / "data"
    shutil.copytree(REPO / "data", root)
    shutil.copy(acled, root / "acled.csv")
    path = root / BORDER  # a word no other text holds (no synthetic syllable has a q, x or y), to take out
    path.write_text(path.read_text(encoding="utf-8").replace("Masked gunmen", "Masked qyxw gunmen", 1), "utf-8")
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "kept"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stored.load(str(root))  # the view, written whole
    before = [_said(root, *c) for c in COMMANDS]
    text = path.read_text(encoding="utf-8")
    edited = EDITS[edit](text)
    assert edited != text
    path.write_text(edited, encoding="utf-8")

    whole = []
    real = stored._write_view
    monkeypatch.setattr(stored, "_write_view", lambda *a, **k: whole.append(1) or real(*a, **k))
    stored.load(str(root))
    assert whole == ([1] if edit == "the date" else [])  # patched in place, but for a moved event
    patched = _tables(_store(tmp_path / "kept"))
    said = [_said(root, *c) for c in COMMANDS]

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    stored.load(str(root))
    assert whole[-1:] == [1]
    fresh = _tables(_store(tmp_path / "fresh"))
    assert patched.keys() == fresh.keys()
    for name in fresh:
        assert patched[name] == fresh[name], name
    assert said == [_said(root, *c) for c in COMMANDS]
    assert said != before  # the edit shows


def _rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _revised(rows: list[list[str]]) -> list[list[str]]:
    fatal = rows[0].index("fatalities")
    out = [rows[0]]
    for i, row in enumerate(rows[1:]):
        if i % 200 == 0 and row[fatal].isdigit():
            row = [*row[:fatal], str(int(row[fatal]) + 10), *row[fatal + 1 :]]
        out.append(row)
    return out


EXPORT_EDITS = {
    # ACLED's weekly export, copied over last week's: counts revised
    "counts revised": _revised,
    # the same rows in another order (a re-export, a spreadsheet's sort)
    "rows reordered": lambda rows: [rows[0], rows[2], rows[1], *rows[3:]],
    # a week's new rows
    "rows added": lambda rows: rows + [[f"NEW{r[0]}", *r[1:]] for r in rows[1:101]],
}


@pytest.mark.parametrize("edit", list(EXPORT_EDITS))
def test_a_view_is_never_patched_over_an_export_read_again(
    tmp_path: Path, acled: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    """An export read again is a new file of the store's: the view is written whole.  Its
    `files` row had the number of the row it replaced (SQLite hands out the highest number
    again), and the view's `made_of` names an export by that number, so the view was patched
    as if only curated events had changed: last week's sums, counts and positions were served
    with this week's rows (another event's record under an id), run after run."""
    import csv

    root = tmp_path / "data"
    root.mkdir()
    path = root / "acled.csv"
    shutil.copy(acled, path)
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "kept"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    rows = _rows(path)
    commands = [
        ("brief", "--width", "120"),
        ("brief", "--event", f"acled:{rows[1][0]}"),
        ("brief", "--event", f"acled:NEW{rows[1][0]}"),
        ("export", "--format", "csv", "--table", "counts", "--by", "country"),
        ("export", "--format", "jsonl"),
        ("validate",),
    ]

    def said(*args: str) -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            cli.main([*args, "--data", str(root)])
        return out.getvalue()

    stored.load(str(root))
    before = [said(*c) for c in commands]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(EXPORT_EDITS[edit](rows))
    stored.load(str(root))
    kept = [said(*c) for c in commands]

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    fresh = [said(*c) for c in commands]
    assert kept == fresh
    # the edit shows, but for an order: the view's is by date and id, whatever the file's
    assert (kept == before) == (edit == "rows reordered")


@pytest.mark.parametrize("how", ["touched", "copied over, the same bytes", "same size, other bytes"])
def test_an_export_whose_stamps_moved_but_not_its_bytes_is_not_read_again(
    tmp_path: Path, acled: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """QA (tenth session): `touch acled.csv`, or the same export copied over it (`cp` without
    -p, a weekly download of an export that had not changed), cost a whole first import (15 s
    at 15k rows, minutes at 1M) and wrote the view again.  The content proves it the same: its
    new stamps are kept, its rows are not read again and the view is patched; other bytes of
    the same size are an export read again, as ever."""
    import os

    root = tmp_path / "data"
    root.mkdir()
    path = root / "acled.csv"
    shutil.copy(acled, path)
    old = path.stat()
    os.utime(path, ns=(old.st_atime_ns - 10**10, old.st_mtime_ns - 10**10))
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "kept"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stored.load(str(root))
    store = _store(tmp_path / "kept")
    ids = lambda: sqlite3.connect(store).execute("SELECT id FROM files").fetchall()  # noqa: E731
    before = ids()
    if how == "touched":
        os.utime(path)
    elif how == "copied over, the same bytes":
        copy = root / ".acled.csv.new"
        shutil.copyfile(acled, copy)
        os.replace(copy, path)
    else:
        text = path.read_bytes()
        i = text.index(b",2020-")  # a date's year: 2020 -> 2021, the same size
        path.write_bytes(text[:i] + b",2021-" + text[i + 6 :])
    written = []
    real = stored._write_view
    monkeypatch.setattr(stored, "_write_view", lambda job: written.append(1) or real(job))
    kept = stored.load(str(root))
    assert type(kept).__name__ == "StoredDataset"
    if how == "same size, other bytes":
        assert ids() != before and written
    else:
        assert ids() == before and not written
    said = [_said(root, *c) for c in (("brief", "--width", "120"), ("export", "--format", "jsonl"))]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    assert said == [_said(root, *c) for c in (("brief", "--width", "120"), ("export", "--format", "jsonl"))]
