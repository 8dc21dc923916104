"""The display boundary: control bytes and bidi overrides made visible, real text untouched."""

from __future__ import annotations

from briefing.display import clean, has_bidi, one_line


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
