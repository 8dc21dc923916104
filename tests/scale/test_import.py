"""`briefing import acled`: the same records as a direct load, written atomically, never clobbering."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefing.loader import load_dataset
from scale_helpers import CURATED, SAMPLE_CSV, copy_sample


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "BRIEFING_NO_CACHE": "1", **env},
        timeout=120,
    )


def test_imported_toml_loads_to_the_same_records_as_the_csv(tmp_path: Path) -> None:
    direct = tmp_path / "direct"
    copy_sample(direct)
    (direct / "curated.toml").write_text(CURATED, encoding="utf-8")
    converted = tmp_path / "converted"
    converted.mkdir()
    (converted / "curated.toml").write_text(CURATED, encoding="utf-8")
    out = run(
        "import", "acled", str(SAMPLE_CSV), "-o", str(converted / "acled.toml"), env={"BRIEFING_DATA": str(converted)}
    )
    assert out.returncode == 2  # two bad rows, listed, left out
    assert (
        "acled_sample.csv:6: event 'acled:AFG2004': event_type: not one of ACLED's six event types: 'Skirmishes'"
        in out.stderr
    )
    assert "skipped 2 invalid rows" in out.stderr and "wrote 4 events" in out.stderr
    assert "1 ACLED name matched actors or sources in" in out.stderr
    text = (converted / "acled.toml").read_text(encoding="utf-8")
    assert 'actor = "is-tajikistan"' in text and "[[event.figures]]" in text
    a = load_dataset(direct, skip_invalid=True)
    b = load_dataset(converted)
    assert a.events == b.events and a.actors == b.actors and a.sources == b.sources


def test_stdout_by_default_and_no_clobber_without_force(tmp_path: Path) -> None:
    env = {"BRIEFING_DATA": str(tmp_path / "empty")}
    (tmp_path / "empty").mkdir()  # a folder named must be there (a typo is refused)
    out = run("import", "acled", str(SAMPLE_CSV), env=env)
    assert out.stdout.count("[[event]]") == 4
    target = tmp_path / "out.toml"
    target.write_text("keep me", encoding="utf-8")
    out = run("import", "acled", str(SAMPLE_CSV), "-o", str(target), env=env)
    assert out.returncode == 2 and "already exists" in out.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    out = run("import", "acled", str(SAMPLE_CSV), "-o", str(target), "--force", env=env)
    assert target.read_text(encoding="utf-8").count("[[event]]") == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_not_an_acled_file_is_refused_in_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    out = run("import", "acled", str(other), env={"BRIEFING_DATA": str(tmp_path)})
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"briefing: {other}:1: not an ACLED export") and "Traceback" not in out.stderr
    out = run("import", "acled", str(tmp_path / "missing.csv"), env={"BRIEFING_DATA": str(tmp_path)})
    assert out.returncode == 2 and "no such file" in out.stderr


def test_with_no_data_folder_named_nothing_is_matched_and_the_output_loads_in_a_folder_of_its_own(
    tmp_path: Path,
) -> None:
    """QA s13: the README's `import acled export.csv -o "$(mktemp -d)/acled.toml"` matched the
    bundled data's actors and sources (`taliban`, `afp`), and the file then failed `validate`
    in the folder it was written to: unknown actor 'taliban', unknown source 'afp'."""
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATA"}
    folder = tmp_path / "mine"
    folder.mkdir()
    out = subprocess.run(
        [sys.executable, "-m", "briefing", "import", "acled", str(SAMPLE_CSV), "-o", str(folder / "acled.toml")],
        capture_output=True,
        text=True,
        env={**env, "BRIEFING_NO_CACHE": "1"},
        timeout=120,
    )
    assert out.returncode == 2 and "wrote 4 events" in out.stderr and "matched" not in out.stderr, out.stderr
    r = run("validate", "--data", str(folder), env={})
    assert r.returncode == 0, r.stderr


def test_a_data_folder_that_is_not_there_is_refused_not_matched_against_nothing(tmp_path: Path) -> None:
    """QA s13 regression pass: with `--data` the only way names are matched, a mistyped folder
    matched nothing without a word; and --help still named the bundled data as the default."""
    out = run(
        "import", "acled", str(SAMPLE_CSV), "--data", str(tmp_path / "nonexist"), "-o", str(tmp_path / "a.toml"), env={}
    )
    assert out.returncode == 2 and "no such data directory" in out.stderr, out.stderr
    assert not (tmp_path / "a.toml").exists()
    helped = run("import", "--help", env={})
    assert "bundled" not in helped.stdout and "nothing is matched" in " ".join(helped.stdout.split())


def test_an_import_offers_no_skip_invalid_and_says_what_in_its_folder_could_not_be_read(tmp_path: Path) -> None:
    """QA s18 (docs): `import --help` offered `--skip-invalid`, which changed nothing (the bad
    rows are always listed and left out, exit 2), and a `--data` folder whose file could not be
    read was matched against without a word: its actors' names then matched nothing. The
    folder is only a list of names to match (its links may point at the rows being imported),
    so a file's own problems are said as warnings; `validate` checks the folder."""
    import shutil

    from testkit import REPO

    helped = run("import", "--help", env={})
    assert "--skip-invalid" not in helped.stdout
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder)
    (folder / "actors.toml").write_text("[[actor]\nid = ", encoding="utf-8")  # broken TOML
    out = tmp_path / "a.toml"
    r = run("import", "acled", str(SAMPLE_CSV), "--data", str(folder), "-o", str(out), env={})
    assert r.returncode == 2 and out.exists() and "skipped 2 invalid rows" in r.stderr, r.stderr
    warned = [ln for ln in r.stderr.splitlines() if ln.startswith("briefing: warning: ")]
    assert len(warned) == 2 and f"{folder / 'actors.toml'}:1" in warned[0], r.stderr
    assert "not matched against" in warned[1] and "briefing validate --data" in warned[1], r.stderr
