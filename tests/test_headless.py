"""The core never imports Textual, and the fast paths stay light: checked in fresh interpreters."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = [
    "briefing.records", "briefing.schema", "briefing.loader", "briefing.dataset", "briefing.compare",
    "briefing.filters", "briefing.display", "briefing.themes", "briefing.vocab", "briefing.problems",
    "briefing.render.figures", "briefing.render.text", "briefing.cli", "briefing.commands.common",
]


def imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_modules_do_not_import_textual() -> None:
    mods = imported_after("\n".join(f"import {m}" for m in CORE))
    assert not any(m == "textual" or m.startswith("textual.") for m in mods)


def test_runtime_records_and_queries_do_not_import_pydantic() -> None:
    mods = imported_after("import briefing.records, briefing.dataset, briefing.filters, briefing.compare, briefing.render.figures")
    assert "pydantic" not in mods
    assert "textual" not in mods


def test_cli_parser_imports_neither_rich_nor_pydantic() -> None:
    mods = imported_after("from briefing.cli import build_parser; build_parser().parse_args(['brief'])")
    assert not {"rich", "pydantic", "textual"} & mods
    assert "shutil" not in mods  # argparse's formatter would import it (and bz2, lzma) for the width
