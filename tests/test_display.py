"""The display boundary: control bytes and bidi overrides made visible, real text untouched."""

from __future__ import annotations

import pytest

from briefing.display import clean, counted, has_bidi, one_line


def test_controls_become_visible_escapes() -> None:
    assert clean("a\x1b[31mb") == "a\\x1b[31mb"
    assert clean("bell\x07 del\x7f c1\x9b") == "bell\\x07 del\\x7f c1\\x9b"
    assert clean("cr\rlf") == "cr\\x0dlf"
    assert clean("keeps\nnewline\tand tab") == "keeps\nnewline\tand tab"


def test_one_line_folds_newlines() -> None:
    assert one_line("two\nlines\tx\x1b") == "two lines x\\x1b"


def test_bidi_overrides_are_neutralised_and_flagged() -> None:
    s = "invoice\u202egpj.exe"
    assert has_bidi(s)
    assert clean(s) == "invoice\\u202egpj.exe"
    assert "\u2067" not in clean("a\u2067b")


def test_real_text_is_preserved() -> None:
    for s in ("Душанбе", "داعش خراسان", "می‌خواهم", "👩‍👩‍👧", "e\u0301", "伊斯兰国", "[bold]not markup[/bold]"):
        assert clean(s) == s
        assert not has_bidi(s)


def test_one_unsafe_set_for_the_terminal_and_the_json_writers() -> None:
    """`clean` (views) and `safe_json` (JSON, STIX and TOML writers) escape the same characters;
    the writers add only U+2028/2029, which `clean` keeps as line breaks, as it keeps newline."""
    import json

    from briefing.display import safe_json

    for cp in [*range(0x3000), *range(0xD7F0, 0xE010), 0xFEFF, 0x1F600, 0x10FFFF]:
        ch = chr(cp)
        if ch in '"\\':
            continue  # JSON syntax, not terminal safety
        by_view = clean(ch) != ch or ch in "\t\n"
        by_writer = json.dumps(ch, ensure_ascii=False) != f'"{ch}"' or safe_json(f'"{ch}"') != f'"{ch}"'
        expected = by_view or cp in (0x2028, 0x2029)
        assert by_writer == expected, hex(cp)
        if by_writer:
            assert json.loads(safe_json(json.dumps(ch, ensure_ascii=False))) == ch


def test_counts_read_as_written() -> None:
    # What a user saw: `ok: 1 events, ... 1 disputes` and `ok: 1000040 events` from validate.
    assert counted(1, "event") == "1 event"
    assert counted(0, "dispute") == "0 disputes"
    assert counted(1_000_040, "event") == "1,000,040 events"
    assert counted(2, "actor-level claim") == "2 actor-level claims"


def test_a_command_with_a_newline_in_a_word_pastes_back_whole() -> None:
    # What a user saw (QA regress 9): a folder named `new<LF>line` was written `--data 'new line'`
    # (the newline made a space, so the line stays one line), which names another folder.
    import subprocess

    from briefing.display import command_line

    said = command_line(["briefing", "brief", "--data", "new\nline\t'q'\\"])
    assert "\n" not in said and "\t" not in said, said
    assert said == "briefing brief --data $'new\\nline\\t\\'q\\'\\\\'", said
    got = subprocess.run(["bash", "-c", f"printf '%s' {said.split(' --data ')[1]}"], capture_output=True, text=True)
    assert got.stdout == "new\nline\t'q'\\"


@pytest.mark.parametrize("ch", ["\x85", "\xa0", "\xad", "\u2028", "\U000e0001", "\x1b", "\udcff"])
def test_a_command_naming_an_unprintable_character_pastes_back_as_that_name(ch: str) -> None:
    # What a user saw (QA s17): a folder named with U+00A0 (or a C1 control, a soft hyphen) was
    # written `$'…\xa0…'`, one raw byte to bash, not the character: the pasted command named
    # another folder; past U+FFFF `\u` took five digits, bash reads four.
    import os
    import subprocess

    from briefing.display import command_line

    name = f"a{ch}b"
    said = command_line(["briefing", "brief", "--data", name])
    assert said.isprintable(), said
    for locale in ("C.UTF-8", "C"):  # the bytes whatever the shell's locale
        env = {**os.environ, "LC_ALL": locale}
        got = subprocess.run(["bash", "-c", f"printf '%s' {said.split(' --data ')[1]}"], capture_output=True, env=env)
        assert got.stdout == os.fsencode(name), (locale, said, got.stdout)


def test_a_word_too_long_for_its_column_is_broken_after_a_hyphen_and_always_ends() -> None:
    """`grid.hyphen_cuts`: an id broken after its hyphens, each piece within the width; a wide
    character in a column of one cell takes a line of its own (review s15: it looped forever)."""
    from briefing.render.grid import hyphen_cuts, wrap_plain

    word = "2024-afghanistan-terrorist-groups-estimate"
    cuts = [0, *hyphen_cuts(word, 30), len(word)]
    pieces = [word[a:b] for a, b in zip(cuts, cuts[1:])]
    assert pieces == ["2024-afghanistan-terrorist-", "groups-estimate"]
    assert hyphen_cuts("漢字漢字", 1) == [1, 2, 3]
    assert wrap_plain("漢字", 1) == ["漢", "字"]
    assert hyphen_cuts("abcdef", 4) == [4]  # no hyphen: at the width


def test_a_grid_s_rule_is_written_in_what_the_stdout_can_write() -> None:
    """QA s15: with colour on an ASCII stdout the figures table's rule came out as 80 literal
    `\\u2500` escapes; it is `-` there, `─` where the encoding has it."""
    import io

    from rich.console import Console

    from briefing.render.grid import Column, Grid

    def drawn(encoding: str) -> str:
        class Out(io.StringIO):
            @property
            def encoding(self) -> str:  # type: ignore[override]
                return encoding

        out = Out()
        grid = Grid(Column("a"), Column("b"))
        grid.add_row("1", "2")
        Console(file=out, width=20, color_system="standard", force_terminal=True).print(grid)
        return out.getvalue()

    assert "─" in drawn("utf-8") and "─" not in drawn("ascii") and "----" in drawn("ascii")
