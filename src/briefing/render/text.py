"""Small builders that turn record strings into safe, styled `Text`."""

from __future__ import annotations

from rich.text import Text

from briefing.display import clean, one_line
from briefing.records import Source
from briefing.themes import BASE_STYLES, ThemeSpec
from briefing.vocab import CREDIBILITY, RELIABILITY


def style_of(theme: ThemeSpec | None, key: str) -> str:
    return theme.style(key) if theme else BASE_STYLES.get(key, "")


def safe(value: object, style: str = "", *, single_line: bool = False) -> Text:
    """A record string as Text: cleaned of control bytes, never parsed as markup."""
    return Text(one_line(value) if single_line else clean(value), style=style)


def rating(source: Source | None, credibility: int | None = None) -> str:
    """Admiralty code as analysts write it: `B2`; `F` alone when credibility is not graded."""
    letter = source.reliability if source else "F"
    return f"{letter}{credibility}" if credibility else letter


def rating_style(theme: ThemeSpec | None, letter: str) -> str:
    key = "rating.good" if letter in "AB" else "rating.fair" if letter == "C" else "rating.poor"
    return style_of(theme, key)


def rating_label(source: Source | None, credibility: int | None = None) -> str:
    """`B2: usually reliable, probably true` — the words behind the code, for help and exports."""
    letter = source.reliability if source else "F"
    words = RELIABILITY.get(letter, "")
    if credibility:
        words += f", {CREDIBILITY.get(credibility, '')}"
    return f"{rating(source, credibility)}: {words}"
