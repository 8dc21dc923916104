"""`briefing_app(node)`: the running `BriefingApp`, typed, for the widgets and screens.

Textual types `node.app` as its base `App`, which has none of what the browser adds (`ds`,
`spec`, `counts`, `data_arg`, `narrow_to`...).  A widget cannot import `briefing.tui.app` when
it is loaded (app -> screens -> widgets is a cycle), so the class is imported for the type
checker only and the node's app is cast to it: no run-time check, the same object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.command import Provider
from textual.dom import DOMNode

if TYPE_CHECKING:
    from briefing.tui.app import BriefingApp


def briefing_app(node: DOMNode | Provider) -> BriefingApp:
    """`node.app` (a widget's, a screen's or a command provider's), as the BriefingApp it is
    when the browser runs."""
    return cast("BriefingApp", node.app)
