"""The README's "Over SSH" advice names settings that exist: Textual reads each variable it
documents, with the defaults it states, and briefing turns animations off over SSH."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text("utf-8")
    start = text.index("## Over SSH")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_documented_variables_are_the_ones_textual_reads() -> None:
    import textual.constants as constants

    src = inspect.getsource(constants)
    doc = section()
    for name, default in (
        ("ESCDELAY", "100"),
        ("TEXTUAL_FPS", "60"),
        ("TEXTUAL_ANIMATIONS", None),
        ("TEXTUAL_COLOR_SYSTEM", None),
    ):
        assert f"`{name}`" in doc
        m = re.search(rf'\("{name}",\s*([^,)]+)', src)
        assert m, f"Textual no longer reads {name}"
        if default is not None:
            assert m.group(1).strip().strip('"') == default, (name, m.group(1))
    assert constants.ESCAPE_DELAY > 0 and constants.MAX_FPS >= 1


def test_animations_are_off_over_ssh_unless_asked_for(monkeypatch) -> None:
    from briefing.loader import load_dataset
    from briefing.tui.app import make_app
    from testkit import BUNDLED

    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    ds = load_dataset(BUNDLED)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    assert make_app(ds).animation_level == "none"
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    assert make_app(ds).animation_level == "full"  # the user's choice wins
    monkeypatch.delenv("SSH_CONNECTION")
    monkeypatch.delenv("TEXTUAL_ANIMATIONS")
    assert make_app(ds).animation_level == "full"
