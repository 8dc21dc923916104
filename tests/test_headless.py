"""The core never imports Textual, and the fast paths stay light: checked in fresh interpreters;
and the import contracts (`lint-imports`) hold, and catch an inversion planted in a copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

CORE = [
    "briefing.records",
    "briefing.schema",
    "briefing.loader",
    "briefing.dataset",
    "briefing.compare",
    "briefing.filters",
    "briefing.display",
    "briefing.themes",
    "briefing.vocab",
    "briefing.problems",
    "briefing.render.figures",
    "briefing.render.text",
    "briefing.cli",
    "briefing.commands.common",
    "briefing.summary",
]


def imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_modules_do_not_import_textual() -> None:
    mods = imported_after("\n".join(f"import {m}" for m in CORE))
    assert not any(m == "textual" or m.startswith("textual.") for m in mods)


def test_runtime_records_and_queries_do_not_import_pydantic() -> None:
    mods = imported_after(
        "import briefing.records, briefing.dataset, briefing.filters, briefing.compare, briefing.render.figures"
    )
    assert "pydantic" not in mods
    assert "textual" not in mods


def test_cli_parser_imports_neither_rich_nor_pydantic() -> None:
    mods = imported_after("from briefing.cli import build_parser; build_parser().parse_args(['brief'])")
    assert not {"rich", "pydantic", "textual"} & mods
    assert "shutil" not in mods  # argparse's formatter would import it (and bz2, lzma) for the width


# The import contracts in pyproject.toml (`uv run lint-imports`), checked against a copy of the
# package: the copy as it is keeps them, and the copy with one inversion planted breaks them.
REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


PLANTS = [  # (module file, an import that inverts the layer map)
    ("vocab.py", "import briefing.tui.keys"),  # the model imports the TUI
    ("render/text.py", "from briefing.commands import common"),  # rendering imports a command
    ("summary.py", "import textual"),  # the headless core imports Textual
    ("records.py", "from briefing.export import json"),  # the model imports an export
]


def lint_copy(tmp_path: Path, plants: list[tuple[str, str]] = ()) -> subprocess.CompletedProcess[str]:
    """lint-imports on a copy of src/briefing, with each (module file, line) of `plants` appended."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "briefing", src / "briefing", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for name, line in plants:
        path = src / "briefing" / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src)}  # ahead of the editable install's .pth entry
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--config", str(tmp_path / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_import_contracts_hold_on_the_tree(tmp_path: Path) -> None:
    r = lint_copy(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_planted_inversions_break_the_contracts(tmp_path: Path) -> None:
    r = lint_copy(tmp_path, PLANTS)
    assert r.returncode != 0, r.stdout
    report = r.stdout.split("Contracts:", 1)[-1]
    for name, _ in PLANTS:  # each planted importer is reported as breaking a contract
        assert "briefing." + name.removesuffix(".py").replace("/", ".") + " ->" in report, (name, r.stdout)
