"""The apps the snapshot tests photograph: the bundled data through `make_app`, like the CLI."""

from __future__ import annotations

from briefing.tui.app import BriefingApp, make_app
from tui_helpers import BUNDLED, load

_DS = None


def bundled():
    global _DS
    if _DS is None:
        _DS = load(BUNDLED)
    return _DS


def build(theme: str) -> BriefingApp:
    return make_app(bundled(), theme=theme)
