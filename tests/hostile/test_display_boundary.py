"""The display boundary on every catalogued hostile string, and the fixtures that carry them."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from briefing.display import clean, has_bidi, one_line
from briefing.loader import load_dataset
from briefing.render.text import safe
from hostile_cases import BIDI, CASES, FORBIDDEN_OUTPUT, PRESERVED

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def assert_terminal_safe(out: str) -> None:
    for ch in FORBIDDEN_OUTPUT + BIDI:
        assert ch not in out, f"{ch!r} reached the output"
    for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)):
        assert chr(c) not in out, f"control {c:#x} reached the output"


@pytest.mark.parametrize("name", list(CASES))
def test_clean_and_one_line_are_terminal_safe(name: str) -> None:
    s = CASES[name]
    assert_terminal_safe(clean(s).replace("\n", "").replace("\t", ""))
    assert_terminal_safe(one_line(s))
    assert "\n" not in one_line(s) and "\t" not in one_line(s)


@pytest.mark.parametrize("name", PRESERVED)
def test_real_text_and_markup_pass_unchanged(name: str) -> None:
    assert clean(CASES[name]) == CASES[name]
    assert one_line(CASES[name]) == CASES[name]


def test_escapes_are_visible_and_reversible_enough_to_read() -> None:
    assert clean(CASES["osc8-link"]) == "\\x1b]8;;http://evil.example/\\x1b\\click me\\x1b]8;;\\x1b\\"
    assert clean(CASES["c1-csi"]) == "\\x9b31mC1 red\\x9b0m"
    assert clean(CASES["cr"]) == "innocent text\\x0dEVIL"
    assert clean(CASES["backspace"]) == "safe\\x08\\x08\\x08\\x08EVIL"
    assert clean(CASES["bidi-rlo"]) == "invoice\\u202egpj.exe"
    assert clean("a\ud800b") == "a\\ud800b"  # a lone surrogate could not even be encoded
    assert one_line("a\u2028b\u2029c") == "a b c"


def test_bidi_is_flagged() -> None:
    for name in ("bidi-rlo", "bidi-lro", "bidi-embed", "bidi-isolate", "bidi-unterminated"):
        assert has_bidi(CASES[name])
    for name in PRESERVED:
        assert not has_bidi(CASES[name])


@pytest.mark.parametrize("name", list(CASES))
def test_safe_text_never_interprets_markup_or_emits_escapes(name: str) -> None:
    buf = io.StringIO()
    console = Console(file=buf, width=80, color_system="truecolor", force_terminal=True, emoji=True)
    console.print(safe(CASES[name], "bold"))
    console.print(safe(CASES[name], single_line=True), overflow="ellipsis")
    out = buf.getvalue()
    # only Rich's own SGR codes may appear: strip them, and nothing of the record's may remain
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert_terminal_safe(plain.replace("\n", ""))
    assert "]8;" not in out.replace("\\x1b]8;", "")  # no hyperlink built


def test_markup_stays_literal_in_rich_text() -> None:
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(safe(CASES["markup-link"]), safe(CASES["markup-click"]))
    assert buf.getvalue() == "[link=http://evil.example]link[/link] [@click=app.quit]click to quit[/]\n"


def test_fixture_carries_every_case() -> None:
    ds = load_dataset(FIXTURES / "hostile")
    titles = {e.title for e in ds.events}
    names = {a.name for a in ds.actors}
    sources = {s.name for s in ds.sources}
    for name, s in CASES.items():
        assert s in titles and s in names and s in sources, name
    assert len(ds.events) == len(CASES) + 1


def test_fixture_files_are_what_make_py_writes(tmp_path: Path) -> None:
    code = (
        "import sys; sys.argv=['x']; from pathlib import Path; import runpy; "
        f"m = runpy.run_path({str(FIXTURES / 'make.py')!r}); root = Path({str(tmp_path)!r}); "
        "m['hostile_dir'](root / 'hostile'); m['invalid_dir'](root / 'invalid'); "
        "m['acled_dirs'](root / 'acled', root / 'acled-invalid')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    for sub in ("hostile", "invalid", "acled", "acled-invalid"):
        committed = sorted(p.relative_to(FIXTURES / sub) for p in (FIXTURES / sub).rglob("*") if p.is_file())
        fresh_root = tmp_path / sub
        fresh = sorted(p.relative_to(fresh_root) for p in fresh_root.rglob("*") if p.is_file())
        assert committed == fresh, sub
        for rel in committed:
            assert (FIXTURES / sub / rel).read_bytes() == (fresh_root / rel).read_bytes(), rel


def test_coloured_brief_writes_only_its_own_colour_codes() -> None:
    import contextlib
    import re

    from briefing import cli

    for args in (
        ["brief", "--color", "always"],
        ["brief", "--color", "always", "--event", "ev-everything"],
        ["brief", "--color", "always", "--actor", "actor-osc8-link"],
    ):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main([*args, "--data", str(FIXTURES / "hostile")]) == 0
        text = out.getvalue()
        assert "\x1b[" in text  # coloured indeed
        assert "\x1b]" not in text  # no OSC: no title, no hyperlink, no clipboard
        assert_terminal_safe(re.sub(r"\x1b\[[0-9;]*m", "", text).replace("\n", "").replace("\t", ""))
