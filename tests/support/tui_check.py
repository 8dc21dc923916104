"""What "shown safely" means for a Textual screen, checked on what the app would write to a terminal.

`screen_problems(app)` renders the current screen the way Textual's driver does and returns
every leak it finds: a control, C1 or bidi-override character inside the text of a segment
(record text that would reach the terminal as bytes), an OSC 8 hyperlink, or a style link.
Textual's own cursor-movement and colour sequences are control segments, not text, so they
are not leaks.
"""

from __future__ import annotations

import unicodedata

BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def bad_char(ch: str) -> bool:
    o = ord(ch)
    return o < 0x20 or 0x7F <= o < 0xA0 or ch in BIDI or 0xD800 <= o < 0xE000


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def screen_problems(app) -> list[str]:
    problems: list[str] = []
    compositor = app.screen._compositor
    for y, strip in enumerate(compositor.render_strips()):
        for seg in strip:
            if seg.control:
                continue
            leaked = sorted({f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in seg.text if bad_char(c)})
            if leaked:
                problems.append(f"line {y}: {leaked} in {seg.text[:60]!r}")
            if seg.style is not None and seg.style.link:
                problems.append(f"line {y}: a hyperlink to {seg.style.link!r} on {seg.text[:40]!r}")
    raw = compositor.render_full_update().render_segments(app.console)
    if "\x1b]" in raw:
        problems.append("an OSC sequence (title, hyperlink, clipboard) in the terminal output")
    return problems


def find_text(app, needle: str) -> tuple[int, int] | None:
    """(x, y) cell of the first occurrence of needle on screen (wide characters counted as 2)."""
    from rich.cells import cell_len

    for y, line in enumerate(screen_lines(app)):
        i = line.find(needle)
        if i >= 0:
            return cell_len(line[:i]), y
    return None
