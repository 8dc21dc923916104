"""What a user (or an attacker) tried against the loading machinery, and what broke (issue 10).

Each test here failed on the old loader (marshal cache, worker processes, `os.walk`) and
passes on the store.  Cases that need a non-root user run a child under `setpriv` as
nobody, since the suite runs as root here (root reads anything).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.loader import load_dataset
from briefing.problems import DataError
from testkit import MINIMAL_ACTORS, MINIMAL_EVENT, MINIMAL_SOURCES, run_on_a_terminal, write_tree

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CSV = REPO / "tests" / "scale" / "fixtures" / "acled_sample.csv"
ENTRY = Path(sys.executable).with_name("briefing")  # the console script: no cwd on sys.path
NOBODY = 65534
SETPRIV = shutil.which("setpriv")


def data(root: Path) -> Path:
    return write_tree(
        root, {"sources.toml": MINIMAL_SOURCES, "actors.toml": MINIMAL_ACTORS, "events/e1.toml": MINIMAL_EVENT}
    )


def age(path: Path, seconds: float = 10.0) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns - int(seconds * 1e9), st.st_mtime_ns - int(seconds * 1e9)))


def briefing(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60, user: int | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [str(ENTRY) if ENTRY.exists() else sys.executable, *([] if ENTRY.exists() else ["-m", "briefing"]), *args]
    if user is not None:
        cmd = [SETPRIV, f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    full = {**os.environ, "COLUMNS": "100", **(env or {})}
    full.pop("BRIEFING_NO_CACHE", None)
    return subprocess.run(cmd, cwd=cwd, env=full, capture_output=True, text=True, timeout=timeout)


needs_nobody = pytest.mark.skipif(
    os.geteuid() != 0 or SETPRIV is None, reason="needs root and setpriv to run as nobody"
)


def nobody_tree(path: Path) -> Path:
    """A folder nobody owns (and the folders above it nobody may enter)."""
    path.mkdir(parents=True, exist_ok=True)
    for p in [path, *path.parents]:
        if p == Path("/"):
            break
        if p.stat().st_uid == 0 and not p.stat().st_mode & 0o001:
            os.chmod(p, p.stat().st_mode | 0o001)
    os.chown(path, NOBODY, NOBODY)
    return path


# -- code from the current directory ---------------------------------------------------------------
def test_code_in_the_current_directory_never_runs(tmp_path: Path) -> None:
    """The old cold load of >= 4 MB of TOML started `python -c` workers, which put the cwd
    first on sys.path: a `briefing/__init__.py` there ran."""
    from briefing.devtools import synth

    root = tmp_path / "data"
    synth.write_toml(synth.World(6000, seed=5, actors=60, sources=40), root)
    assert sum(p.stat().st_size for p in root.rglob("*.toml")) >= 4 * 1024 * 1024
    evil = tmp_path / "cwd"
    marker = tmp_path / "pwned"
    write_tree(
        evil,
        {
            "briefing/__init__.py": f"open({str(marker)!r}, 'w').write('ran')\n",
            "briefing.py": f"open({str(marker)!r}, 'w').write('ran')\n",
        },
    )
    out = briefing(
        "validate", "--data", str(root), cwd=evil, env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert not marker.exists()


@pytest.mark.parametrize("command", ["brief", "validate"])
def test_python_m_briefing_imports_no_module_from_the_current_directory(tmp_path: Path, command: str) -> None:
    """QA s12: `python -m briefing` puts the working directory first on the import path: a
    `json.py`, `sqlite3.py` or `rich/` in the folder it runs in was imported in place of the
    real one (the brief printed "PWNED rich" and ended in an internal error)."""
    evil = tmp_path / "cwd"
    marker = tmp_path / "pwned"
    ran = f"open({str(marker)!r}, 'a').write(__name__ + ' ')\n"
    write_tree(evil, {"json.py": ran, "sqlite3.py": ran, "rich/__init__.py": ran, "pydantic.py": ran})
    out = subprocess.run(
        [sys.executable, "-m", "briefing", command, "--data", str(Path(__file__).resolve().parents[1] / "data")],
        cwd=evil,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert not marker.exists(), marker.read_text()


def test_python_m_briefing_runs_from_a_working_directory_that_is_gone(tmp_path: Path) -> None:
    """QA s13 regression pass: `python -m briefing` in a folder deleted under it ended in a
    traceback (the check that takes the working directory off the import path asked for it)."""
    gone = tmp_path / "gone"
    gone.mkdir()
    data_dir = str(Path(__file__).resolve().parents[1] / "data")
    code = f"import os, subprocess, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
    code += (
        f"sys.exit(subprocess.run([sys.executable, '-m', 'briefing', 'validate', '--data', {data_dir!r}]).returncode)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert out.stdout.startswith("ok: 40 events"), out.stdout


# -- stale figures ------------------------------------------------------------------------------------
def test_a_same_size_edit_with_the_mtime_set_back_is_seen(tmp_path: Path) -> None:
    root = data(tmp_path / "d")
    event = root / "events" / "e1.toml"
    for p in root.rglob("*.toml"):
        age(p, 60)
    before = event.stat()
    ds = load_dataset(root)
    value = ds.events[0].figures[0].value
    text = event.read_text(encoding="utf-8")
    new = str(value + 1 if value % 10 != 9 else value - 1)
    assert len(new) == len(str(value))
    event.write_text(text.replace(f"value = {value}", f"value = {new}", 1), encoding="utf-8")
    os.utime(event, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and mtime as cached
    assert event.stat().st_size == before.st_size and event.stat().st_mtime_ns == before.st_mtime_ns
    assert load_dataset(root).events[0].figures[0].value == int(new)


@needs_nobody
def test_a_file_made_unreadable_after_loading_is_a_problem_not_served(tmp_path: Path) -> None:
    base = nobody_tree(tmp_path / "nb")
    root = data(base / "d")
    for p in [root, *root.rglob("*")]:
        os.chown(p, NOBODY, NOBODY)
        age(p, 60)  # an old file: its stamp alone is trusted (no content hash)
    code = (
        "import os, sys\n"
        "from briefing.loader import load_dataset\n"
        "from briefing.problems import DataError\n"
        f"root = {str(base / 'd')!r}\n"
        "print(len(load_dataset(root).events))\n"
        "os.chmod(os.path.join(root, 'events', 'e1.toml'), 0)\n"
        "try:\n    load_dataset(root)\nexcept DataError as e:\n    print(e.lines()[0])\nelse:\n    print('served')\n"
    )
    script = base / "t.py"
    script.write_text(code, encoding="utf-8")
    out = subprocess.run(
        [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=base,
        env={**os.environ, "HOME": str(base), "XDG_CACHE_HOME": str(base / "cache")},
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "1"
    assert lines[1].endswith("e1.toml: cannot read: Permission denied"), lines


# -- a cache folder it does not own ----------------------------------------------------------------------
@pytest.mark.parametrize("how", ["world-writable", "group-writable", "another-owner"])
def test_a_cache_folder_it_cannot_trust_is_not_used(tmp_path: Path, how: str) -> None:
    root = data(tmp_path / "d")
    cache = tmp_path / "cache"
    folder = cache / "briefing"
    folder.mkdir(parents=True)
    if how == "world-writable":
        os.chmod(folder, 0o777)
    elif how == "group-writable":
        os.chmod(folder, 0o770)
    else:
        if os.geteuid() != 0:
            pytest.skip("needs root to give the folder away")
        os.chown(folder, NOBODY, NOBODY)
    out = briefing("brief", "--data", str(root), env={"XDG_CACHE_HOME": str(cache)})
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stderr.splitlines() if str(folder) in line]
    assert len(warnings) == 1 and "not used; running from memory" in warnings[0]
    assert list(folder.iterdir()) == []  # nothing written where another user could swap it


def test_the_cache_folder_is_created_private_and_a_relative_xdg_value_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = data(tmp_path / "d")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    load_dataset(root)
    assert (tmp_path / "c" / "briefing").stat().st_mode & 0o777 == 0o700
    assert list((tmp_path / "c" / "briefing").glob("store-*.sqlite"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "rel")
    load_dataset(root)
    assert not (tmp_path / "rel").exists() and (tmp_path / "home" / ".cache" / "briefing").is_dir()


def test_a_relative_xdg_config_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA (qa-regress4): `XDG_CONFIG_HOME=rel` read `rel/briefing/config.toml` (its keys, its
    theme, its theme files) from wherever the command ran: the working directory's files."""
    from briefing.datadir import config_dir

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", "rel")
    assert config_dir() == str(tmp_path / "home" / ".config" / "briefing")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "abs"))
    assert config_dir() == str(tmp_path / "abs" / "briefing")


def test_the_store_of_a_data_folder_deleted_long_ago_is_removed_when_a_new_one_is_made(tmp_path: Path) -> None:
    """A store stays in the cache after its data folder is deleted (a 1M-row export's is
    ~4 GB): nothing ever removed it.  When a new store is made, the stores of folders gone and
    unused for 30 days are removed, and said in one line; one gone only lately (a disk not
    mounted today), or whose folder is there, is kept."""
    cache = tmp_path / "cache"
    folder = cache / "briefing"
    env = {"XDG_CACHE_HOME": str(cache)}
    roots = {name: data(tmp_path / name) for name in ("old", "lately", "there", "new")}
    for name in ("old", "lately", "there"):
        assert briefing("brief", "--data", str(roots[name]), env=env).returncode == 0
    sides = {p.read_text(): p for p in folder.glob("store-*.sqlite.root")}
    assert set(sides) == {str(roots[n].resolve()) for n in ("old", "lately", "there")}
    shutil.rmtree(roots["old"])
    shutil.rmtree(roots["lately"])
    age(sides[str(roots["old"].resolve())], 31 * 86400)
    age(sides[str(roots["lately"].resolve())], 2 * 86400)
    age(sides[str(roots["there"].resolve())], 90 * 86400)
    out = briefing("brief", "--data", str(roots["new"]), env=env)
    assert out.returncode == 0, out.stderr
    said = [line for line in out.stderr.splitlines() if "removed the stored data" in line]
    assert len(said) == 1, out.stderr
    assert said[0].startswith("briefing: removed the stored data of 1 data folder gone and unused for 30 days (")
    assert said[0].endswith(f" MB): {roots['old'].resolve()}")
    left = {p.read_text() for p in folder.glob("store-*.sqlite.root")}
    assert left == {str(roots[n].resolve()) for n in ("lately", "there", "new")}
    assert len(list(folder.glob("store-*.sqlite"))) == 3  # the old store's file went with it
    again = briefing("brief", "--data", str(roots["new"]), env=env)
    assert "removed" not in again.stderr  # said once, when it was done


def test_the_store_sweep_keeps_what_it_cannot_prove_gone_and_names_paths_as_the_shell_does(tmp_path: Path) -> None:
    """QA (regression pass): a `.root` emptied, or ending in a newline as an editor writes it,
    read as a folder gone, and the stores of folders that exist were removed; a folder named
    with a newline was said with a space, one not UTF-8 as `\\udcff`.  Now only a `.root` that
    holds one absolute path, gone from a folder that is there, removes its store; the line
    names each folder as the shell writes it."""
    cache = tmp_path / "cache"
    folder = cache / "briefing"
    env = {"XDG_CACHE_HOME": str(cache)}
    base = tmp_path / "d"
    base.mkdir()
    names = {"emptied": "emptied", "edited": "edited", "unmounted": "disk/unmounted", "nl": "nl\nline", "gone": "gone"}
    roots = {k: data(base / v) for k, v in names.items()}
    for root in roots.values():
        assert briefing("brief", "--data", os.fsdecode(root), env=env).returncode == 0
    sides = {os.fsdecode(p.read_bytes()): p for p in folder.glob("store-*.sqlite.root")}
    assert len(sides) == len(roots)
    side_of = {k: sides[str(r.resolve())] for k, r in roots.items()}
    side_of["emptied"].write_bytes(b"")
    side_of["edited"].write_bytes(os.fsencode(roots["edited"].resolve()) + b"\n")
    shutil.rmtree(base / "disk")  # the folder and the one above it: a disk not mounted today
    shutil.rmtree(roots["nl"])
    shutil.rmtree(roots["gone"])
    for side in side_of.values():
        age(side, 31 * 86400)
    out = briefing("brief", "--data", str(data(tmp_path / "new")), env=env)
    assert out.returncode == 0, out.stderr
    [said] = [line for line in out.stderr.splitlines() if "removed the stored data" in line]
    gone = f"{base.resolve()}/gone"
    nl = f"$'{base.resolve()}/nl\\nline'"  # as the shell writes it: pasted back, it names the folder
    assert said.endswith((f": {gone}, {nl}", f": {nl}, {gone}")), said
    assert said.startswith("briefing: removed the stored data of 2 data folders")
    for kept in ("emptied", "edited", "unmounted"):
        assert side_of[kept].exists() and Path(str(side_of[kept])[: -len(".root")]).exists(), kept
    for name in ("nl", "gone"):
        assert not side_of[name].exists() and not Path(str(side_of[name])[: -len(".root")]).exists(), name


def test_a_name_that_is_not_utf8_is_a_problem_not_an_internal_error(tmp_path: Path) -> None:
    """QA (regression pass, also in 267912c): a data folder named with a byte that is not UTF-8
    ended in `internal error: UnicodeEncodeError … surrogates not allowed`, exit 70 (the store
    keeps names as SQLite text).  Such a folder, or a record file so named, is a problem naming
    it, its bytes as `\\xff`; the rest of a folder loads with --skip-invalid."""
    bad = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/bad\xffname"))
    data(bad)
    out = briefing("validate", "--data", str(bad), env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert out.returncode == 2, out.stderr
    assert out.stderr.splitlines()[0].endswith(
        "bad\\xffname': the name is not UTF-8 (its bytes are shown as \\x..): rename it to read it"  # `$'…'` (QA s17)
    )
    good = data(tmp_path / "good")
    (Path(os.fsdecode(os.fsencode(str(good)) + b"/events/e\xe9.toml"))).write_text(MINIMAL_EVENT.replace("e1", "e2"))
    out = briefing("validate", "--data", str(good), env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert out.returncode == 2 and "events/e\\xe9.toml': the name is not UTF-8" in out.stderr, out.stderr
    out = briefing("validate", "--data", str(good), "--skip-invalid", env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert out.stdout.startswith("valid: 1 event"), (out.stdout, out.stderr)  # the rest read


def test_a_fifo_in_place_of_the_store_never_hangs(tmp_path: Path) -> None:
    from briefing import store

    root = data(tmp_path / "d")
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    assert briefing("brief", "--data", str(root), env=env).returncode == 0
    [path] = (cache / "briefing").glob("store-*.sqlite")
    path.unlink()
    os.mkfifo(path)
    os.mkfifo(str(path) + "-wal")
    out = briefing("brief", "--data", str(root), env=env, timeout=30)
    assert out.returncode == 0 and "not a regular file" in out.stderr
    assert path.is_file()  # rebuilt
    assert store.SCHEMA >= 1


def test_a_crafted_store_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written by other code (another fingerprint) with a planted number is not read."""
    import sqlite3

    root = data(tmp_path / "d")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    good = load_dataset(root).events[0].figures[0].value
    [path] = (tmp_path / "c" / "briefing").glob("store-*.sqlite")
    conn = sqlite3.connect(path)
    conn.execute('UPDATE records SET data = replace(data, \'"value":' + str(good) + "', '\"value\":999')")
    conn.execute("UPDATE meta SET value = 'someone-else' WHERE key = 'fingerprint'")
    conn.commit()
    conn.close()
    assert load_dataset(root).events[0].figures[0].value == good


# -- an honest walk ------------------------------------------------------------------------------------
def test_a_csv_fifo_in_the_data_folder_is_reported_never_opened(tmp_path: Path) -> None:
    root = data(tmp_path / "d")
    os.mkfifo(root / "feed.csv")
    out = briefing("validate", "--data", str(root), timeout=30)
    assert out.returncode == 2
    assert "feed.csv: a FIFO, not a regular file: not opened" in out.stderr
    ok = briefing("brief", "--data", str(root), "--skip-invalid", timeout=30)
    assert ok.returncode == 0 and "feed.csv" in ok.stderr


@needs_nobody
@pytest.mark.parametrize("which", ["sub-folder", "data-folder"])
def test_an_unreadable_folder_is_a_problem_not_zero_events(tmp_path: Path, which: str) -> None:
    base = nobody_tree(tmp_path / "nb")
    root = data(base / "d")
    for p in [root, *root.rglob("*")]:
        os.chown(p, NOBODY, NOBODY)
    blocked = root / "events" if which == "sub-folder" else root
    os.chmod(blocked, 0o300 if which == "data-folder" else 0o000)  # enterable but not listable / nothing
    out = briefing(
        "validate", "--data", str(root), user=NOBODY, env={"HOME": str(base), "XDG_CACHE_HOME": str(base / "cache")}
    )
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert f"{blocked}: cannot read folder: Permission denied" in out.stderr
    assert "ok" not in out.stdout


def test_a_symlinked_events_folder_is_followed_once_and_loops_are_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = data(tmp_path / "d")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(root / "events", elsewhere)
    os.symlink(elsewhere, root / "events")
    assert len(load_dataset(root).events) == 1
    os.symlink(root, root / "events" / "loop")
    with pytest.raises(DataError) as err:
        load_dataset(root)
    assert any("loop: link loop: already read as" in line for line in err.value.lines())
    assert len(load_dataset(root, skip_invalid=True).events) == 1
    # QA s9: inside the working directory the problem named what the link points at, not the
    # link: `d: link loop`, and a broken link as the file it is missing
    os.symlink("gone.toml", elsewhere / "current.toml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError) as err:
        load_dataset(Path("d"))
    said = [line for line in err.value.lines() if "link" in line]
    assert said == [
        "d/events/current.toml: broken link: No such file or directory",
        "d/events/loop: link loop: already read as d",
    ], said


def test_a_path_longer_than_4096_bytes_is_a_problem(tmp_path: Path) -> None:
    root = data(tmp_path / "d")
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 x 250 bytes: deeper than PATH_MAX
            os.mkdir("x" * 249, dir_fd=fd)
            nfd = os.open("x" * 249, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
        os.close(os.open("deep.toml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
    finally:
        os.close(fd)
    with pytest.raises(DataError) as err:
        load_dataset(root)
    assert any("path is longer than 4096 bytes" in line for line in err.value.lines())
    shutil.rmtree(root / ("x" * 249))


def test_record_file_names_match_in_any_case(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "d",
        {"sources.TOML": MINIMAL_SOURCES, "actors.Toml": MINIMAL_ACTORS, "events/e1.toml": MINIMAL_EVENT},
    )
    shutil.copy(SAMPLE_CSV, root / "ACLED.CSV")
    import tomllib

    ds = load_dataset(root, skip_invalid=True)
    curated = {s["id"] for s in tomllib.loads(MINIMAL_SOURCES)["source"]}
    assert curated <= {s.id for s in ds.sources}
    assert not [p for p in ds.problems if "acled" not in p.file.lower()]
    assert any(e.id.startswith("acled:") for e in ds.events)


# -- ACLED rows ------------------------------------------------------------------------------------------
HEADER = SAMPLE_CSV.read_text("utf-8-sig").splitlines()[0]
GOOD = "X1,2020-01-01,2020,1,,Riots,Mob violence,Rioters (X),,5,,,0,50,,0,R,Xland,,,,,,,1,,,,3,,1"


def test_an_oversized_field_loses_only_its_row(tmp_path: Path) -> None:
    from briefing.acled import parse_file

    cols = HEADER.split(",")
    notes = cols.index("notes")
    big = GOOD.split(",")
    big[0], big[notes] = "X2", "n" * 300_000  # over the old 160k csv field limit
    rows = [GOOD, ",".join(big), GOOD.replace("X1,", "X3,", 1)]
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    pf = parse_file(path)
    assert [str(p) for p in pf.problems] == [
        f"{path}:3: event 'acled:X2': notes: text is 300000 characters, over the 20000-character limit"
    ]
    assert [r["id"] for r, _, _ in pf.records["event"]] == ["acled:X1", "acled:X3"]


def test_a_row_refused_for_its_source_field_leaves_no_actor_behind(tmp_path: Path) -> None:
    """The source column is checked with the others, before the row's actors are made: an
    actor named only on a refused row would be listed with no event."""
    from briefing.acled import parse_file

    cols = HEADER.split(",")
    bad = GOOD.split(",")
    bad[0], bad[cols.index("actor1")], bad[cols.index("source")] = "X2", "Only Here", "s" * 20_001
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "\n" + GOOD + "\n" + ",".join(bad) + "\n", encoding="utf-8")
    pf = parse_file(path)
    assert [str(p) for p in pf.problems] == [
        f"{path}:3: event 'acled:X2': source: text is 20001 characters, over the 20000-character limit"
    ]
    assert "Only Here" not in {a["name"] for a, _, _ in pf.records["actor"]}
    assert {a["name"] for a, _, _ in pf.records["actor"]} == {"Rioters (X)", "ACLED"}


@pytest.mark.parametrize(
    "header, why",
    [
        (HEADER + ",fatalities", "column 'fatalities' appears more than once in the header: keep one"),
        (HEADER.replace("fatalities", "deaths"), "not an ACLED export: no column 'fatalities'"),
        (HEADER.replace("event_date", "date"), "not an ACLED export: no column 'event_date'"),
    ],
)
def test_a_duplicated_missing_or_renamed_column_is_an_error_naming_it(tmp_path: Path, header: str, why: str) -> None:
    root = tmp_path / "d"
    root.mkdir()
    path = root / "export.csv"
    extra = ",7" if header.endswith(",fatalities") else ""
    path.write_text(header + "\n" + GOOD + extra + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(root)
    assert err.value.lines()[0].startswith(f"{path}:1: {why}"), err.value.lines()


def test_acled_outlets_are_sources_and_actor_acronyms_are_aliases(tmp_path: Path) -> None:
    from briefing.filters import parse

    cols = HEADER.split(",")
    rows = []
    for i in range(3):
        r = GOOD.split(",")
        r[0] = f"X{i}"
        r[cols.index("actor1")] = "JNIM: Group for Support of Islam and Muslims"
        r[cols.index("source")] = "Banouto; Reuters" if i else "Banouto"
        rows.append(",".join(r))
    root = tmp_path / "d"
    root.mkdir()
    (root / "x.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ds = load_dataset(root)
    assert sorted(s.name for s in ds.sources if s.kind == "acled-source") == ["Banouto", "Reuters"]
    assert len(parse("actor:jnim").apply(ds)) == 3
    # beside a curated actor whose id is `jnim`, the ACLED alias is no clash: `actor:jnim`
    # names both, as wanted (an alias that is another curated actor's id is a problem)
    (root / "actors.toml").write_text('[[actor]]\nid = "jnim"\nname = "Curated JNIM"\nkind = "armed-group"\n')
    ds = load_dataset(root)
    assert {a.id for a in ds.actors if a.id == "jnim" or a.id.startswith("acled:jnim")} >= {"jnim"}
    assert len(parse("actor:jnim").apply(ds)) == 3


def test_an_outlet_is_not_given_the_source_scale_of_the_first_row_that_cites_it(tmp_path: Path) -> None:
    """QA (tenth session): an outlet cited by 2,452 rows read "(source scale: New media)" on its
    screen, the first row's; its rows gave five scales.  ACLED's `source_scale` is a row's
    (how that event was sourced), not the outlet's: no outlet record says one."""
    cols = HEADER.split(",")
    rows = []
    for i, scale in enumerate(["New media", "National", "Subnational"]):
        r = GOOD.split(",")
        r[0] = f"X{i}"
        r[cols.index("source")] = "Banouto"
        r[cols.index("source_scale")] = scale
        rows.append(",".join(r))
    root = tmp_path / "d"
    root.mkdir()
    (root / "x.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ds = load_dataset(root)
    [outlet] = [s for s in ds.sources if s.kind == "acled-source"]
    assert outlet.name == "Banouto"
    note = f"{outlet.reliability_note} {outlet.notes}".casefold()
    assert "scale" not in note and "new media" not in note, note


def test_a_long_load_shows_progress_on_a_terminal_and_clears_it(tmp_path: Path) -> None:
    from briefing.devtools import synth

    root = tmp_path / "d"
    root.mkdir()
    synth.write_acled(synth.World(30_000, seed=2, actors=40), root / "acled.csv", "iso")
    proc, seen = run_on_a_terminal(
        [str(ENTRY), "validate", "--data", str(root)], {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "c")}
    )
    assert proc.returncode == 0 and proc.stdout.startswith(b"ok: 30,000 events")
    assert b"briefing: loading [" in seen and b"%" in seen
    assert re.search(rb"\] +\d+%  \d+:\d\d", seen)  # and the time so far
    assert seen.rstrip(b"\r\n").endswith(b"\r\x1b[K")  # the bar is gone when the answer comes


# -- a full disk -------------------------------------------------------------------------------------
def _with_file_limit(limit: int):  # type: ignore[no-untyped-def]
    """A child whose writes stop at `limit` bytes a file, as a full disk stops them."""
    import resource
    import signal

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("where", ["the store's first page", "the export's rows", "the view"])
def test_a_store_the_disk_cannot_hold_is_said_and_removed_and_the_brief_still_whole(tmp_path: Path, where: str) -> None:
    """A first import that runs out of disk: the brief is the whole brief (held in memory),
    one line says why the store is not kept, and no store or log of it is left filling the
    disk; once there is room, the next run keeps the store, without a word."""
    from briefing.devtools import synth

    root = tmp_path / "d"
    # with no store at all, 20k rows: enough that the sorts of an index in memory outgrow
    # SQLite's page cache, which would spill them to temporary files on the same full disk
    rows = 20_000 if where == "the store's first page" else 10_000
    synth.write_acled(synth.World(rows, seed=4, actors=30), root / "acled.csv", "iso")
    args = ["brief", "--data", str(root), "--country", "Mali"]
    roomy = tmp_path / "roomy"
    whole = briefing(*args, env={"XDG_CACHE_HOME": str(roomy)})
    assert whole.returncode == 0 and whole.stderr == ""
    [kept] = (roomy / "briefing").glob("store-*.sqlite")
    size = kept.stat().st_size  # the whole store; its first part, the export's rows, is under half
    limit = {"the store's first page": 0, "the export's rows": 1_000_000}.get(where, size // 2)
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    cmd = [str(ENTRY), *args]
    full = subprocess.run(
        cmd,
        env={**os.environ, "COLUMNS": "100", **env},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_with_file_limit(limit),
    )
    assert full.returncode == 0, full.stderr

    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("generated")]

    assert body(full.stdout) == body(whole.stdout)
    said = full.stderr.splitlines()
    assert len(said) == 1 and said[0].startswith("briefing: cannot write the store "), said
    assert str(cache / "briefing") in said[0] and "running from memory" in said[0]
    assert [p.name for p in (cache / "briefing").iterdir()] == []  # nothing left taking the space
    again = briefing(*args, env=env)
    assert again.returncode == 0 and again.stderr == "" and body(again.stdout) == body(whole.stdout)
    assert list((cache / "briefing").glob("store-*.sqlite"))


@needs_nobody
def test_a_store_made_read_only_is_said_once_and_removed(tmp_path: Path) -> None:
    """QA s9: a store its user cannot write (chmod 444) was neither said nor removed: the
    forgetting of a changed file failed quietly, and every later run parsed every changed
    file again without a word (at a million rows, a whole import on each start)."""
    base = nobody_tree(tmp_path / "nb")
    root = data(base / "d")
    for p in [root, *root.rglob("*")]:
        os.chown(p, NOBODY, NOBODY)
    env = {"HOME": str(base), "XDG_CACHE_HOME": str(base / "cache")}
    first = briefing("brief", "--data", str(root), env=env, user=NOBODY, cwd=base)
    assert first.returncode == 0 and first.stderr == "", first.stderr
    [kept] = (base / "cache" / "briefing").glob("store-*.sqlite")
    kept.chmod(0o444)
    event = root / "events" / "e1.toml"
    event.write_text(event.read_text(encoding="utf-8").replace("value = ", "value = 1", 1), encoding="utf-8")
    edited = briefing("brief", "--data", str(root), env=env, user=NOBODY, cwd=base)
    assert edited.returncode == 0 and edited.stdout != first.stdout
    said = edited.stderr.splitlines()
    assert len(said) == 1 and said[0].startswith(f"briefing: cannot write the store {kept}"), said
    assert "running from memory" in said[0] and not kept.exists()
    again = briefing("brief", "--data", str(root), env=env, user=NOBODY, cwd=base)
    assert again.returncode == 0 and again.stderr == "" and kept.exists()


# -- two exports of the same data ---------------------------------------------------------------------
@pytest.mark.parametrize("skip", [False, True])
def test_two_exports_of_the_same_data_are_named_as_such_after_their_rows(tmp_path: Path, skip: bool) -> None:
    """Last week's export left beside this week's: every shared row is a duplicate (a line
    each: thousands), and with --skip-invalid the first file's figures stand.  After the
    rows, one line says what happened and what to do."""
    root = tmp_path / "d"
    root.mkdir()
    (root / "acled-week1.csv").write_bytes(SAMPLE_CSV.read_bytes())
    (root / "acled-week2.csv").write_bytes(SAMPLE_CSV.read_bytes())
    out = briefing("validate", "--data", str(root), *(["--skip-invalid"] if skip else []))
    assert out.returncode == 2
    lines = out.stderr.splitlines()
    dups = [line for line in lines if "duplicate event id" in line]
    assert len(dups) == 4  # the sample's four good rows, each once
    said = [line for line in lines if "repeats" in line]
    assert said == [
        f"briefing: {root / 'acled-week2.csv'} repeats 4 events of {root / 'acled-week1.csv'} (its rows stand): "
        "two exports of the same data? Keep one: `briefing sync acled NEW.csv` keeps one export up to date "
        "and lists what changed"
    ]
    assert lines.index(said[0]) > max(lines.index(d) for d in dups)


def test_the_note_on_two_exports_lets_no_control_byte_through() -> None:
    from briefing.commands.common import overlaps
    from briefing.problems import Problem

    said = overlaps(
        [
            Problem(
                "/d/b\x1b[2J.csv",
                2,
                "duplicate event id; also defined at /d/a\x1b]0;x\x07.csv:2",
                "event",
                "acled:X",
                "id",
            )
        ]
    )
    assert len(said) == 1 and "repeats 1 event of" in said[0]
    assert "\x1b" not in said[0] and "\x07" not in said[0]
