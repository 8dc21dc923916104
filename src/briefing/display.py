"""The display boundary: every record string passes through `clean` before any view shows it.

Rich and Textual do not strip ESC or C1 bytes, and a record can come from copied web text
or an imported CSV.  So control bytes become visible escapes (`\\x1b`), bidi overrides that
could reorder a line become visible escapes too (and `has_bidi` lets a view flag them),
while the text people actually write — ZWJ/ZWNJ, combining marks, Arabic, Persian, CJK,
emoji — passes untouched.  Stored data is never changed; this is for output only.

Markup is the other half of the boundary: views build `rich.text.Text` objects from cleaned
strings (never markup strings), so `[bold]` or `[@click=app.quit]` in a record shows as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The terminal-unsafe set, defined here and nowhere else (the JSON, STIX and TOML writers use
# it through `safe_json`).  As a regex character class, so the writers scan text at C speed.
_BIDI = "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates: can reorder a line
_UNSAFE_BEYOND_C0 = (
    "\x7f-\x9f"  # DEL and the C1 controls (0x9b is a one-byte CSI)
    + _BIDI
    + "\ud800-\udfff"  # lone surrogates (from a lax decoder): no terminal can take them
)
_UNSAFE = f"[\x00-\x1f{_UNSAFE_BEYOND_C0}]"  # and C0 (tab and newline are kept by `clean`)
# U+2028/2029 break lines for `str.splitlines` and JavaScript, not for a terminal: `clean` keeps
# them as it keeps newline, `one_line` folds them, and the JSON writers escape them too so that
# their one-record-per-line layout holds.  json.dumps has already escaped C0.
_JSON_UNSAFE = f"[{_UNSAFE_BEYOND_C0}\u2028\u2029]"
# Both compiled on first use, not at import: a class over the surrogates is slow for `re` to
# compile, on the path of every start, for text that seldom holds one (bench/README.md, round 8).
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(source: str) -> re.Pattern[str]:
    got = _compiled.get(source)
    if got is None:
        got = _compiled[source] = re.compile(source)
    return got


BIDI_CONTROLS = frozenset(filter(re.compile(f"[{_BIDI}]").match, map(chr, range(0x2000, 0x2100))))


def _escape(code: int) -> str:
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _needs_escape(code: int) -> bool:
    return _pattern(_UNSAFE).match(chr(code)) is not None


class _Escapes(dict[int, str]):
    """A `str.translate` table filled on first sight of each code point.

    Building the full table up front (2,200 entries with the surrogates) would cost import
    time on the brief's critical path; this costs nothing until a string that is not
    printable shows up, and then one Python call per distinct code point, C speed after.
    """

    def __missing__(self, code: int) -> str:
        value = _escape(code) if _needs_escape(code) else chr(code)
        self[code] = value
        return value


_TABLE = _Escapes({0x09: "\t", 0x0A: "\n"})  # tab and newline are text
# Newline, tab and the Unicode line/paragraph separators that str.splitlines() also breaks on.
_ONE_LINE = _Escapes({0x09: " ", 0x0A: " ", 0x2028: " ", 0x2029: " "})


def clean(value: object) -> str:
    """Text safe to hand to a terminal: control and bidi-override characters made visible."""
    s = value if isinstance(value, str) else str(value)
    if s.isprintable():  # the common case: nothing to do, and cheap
        return s
    return s.translate(_TABLE)


def one_line(value: object) -> str:
    """`clean`, with newlines and tabs folded to spaces, for table cells and list rows."""
    s = value if isinstance(value, str) else str(value)
    if s.isprintable():
        return s
    return s.translate(_ONE_LINE)


#: a word of a message (a run without spaces) longer than this is cut in its middle (`short`)
LONGEST_WORD = 200


def short(text: str) -> str:
    """A message with each word of over `LONGEST_WORD` characters cut in its middle, saying how
    long it was: a 100,000-character argument given back whole made a "one-line" error of
    100 KB (a record's values are cut where they are quoted; a user's arguments were not)."""
    if len(text) <= LONGEST_WORD:
        return text
    return re.sub(
        rf"\S{{{LONGEST_WORD + 1},}}",
        lambda m: f"{m.group()[:80]}…{m.group()[-40:]} ({len(m.group()):,} characters)",
        text,
    )


def as_name(name: str) -> str:
    """A file or folder name as a message gives it: as it is, or, holding a newline or another
    control character, as the shell writes it (`$'x\\ny.json'`), which pastes back as the name
    (folded to a space, it named a file that does not exist)."""
    return name if name.isprintable() else _ansi_c(name)


def command_line(words: Iterable[str]) -> str:
    """A command as a user types it, each word shell-quoted, on one line with nothing a
    terminal would act on: what a view names to run next (`briefing export ...`)."""
    return " ".join(shell_words(words))


def shell_words(words: Iterable[str]) -> list[str]:
    """Each word of a command as the shell reads it back (quoted), with nothing a terminal
    would act on: `command_line`'s words, for a view that lays a command over lines."""
    import shlex  # only when a view names a command

    return [one_line(shlex.quote(w) if w.isprintable() else _ansi_c(w)) for w in words]


def _ansi_c(word: str) -> str:
    """A word holding a newline or another control character in the shell's `$'...'` quoting
    (bash, zsh, ksh): `$'new\\nline'`, one line that pastes back as the word it names (quoted
    plainly, its newline would break the line, and made a space it names another folder)."""
    out = []
    for ch in word:
        if ch in "\\'":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif not ch.isprintable():
            # `\xHH` is a raw byte to the shell: a character past ASCII is its UTF-8 bytes, as
            # the name holds it (QA s17: `\xa0` for U+00A0 named another folder; `\u` needs a
            # UTF-8 locale, and past U+FFFF bash reads four of its digits)
            out.append("".join(f"\\x{b:02x}" for b in ch.encode()))
        else:
            out.append(ch)
    return "$'" + "".join(out) + "'"


def flag_words(flag: str, value: str) -> tuple[str, ...]:
    """A flag and its value as words of a command: `--data DIR`, or `--data=-dir` when the
    value starts with `-` (as two words, argparse reads it as another flag)."""
    return (f"{flag}={value}",) if value.startswith("-") else (flag, value)


def has_bidi(value: str) -> bool:
    """True when a string holds bidi override/isolate characters, so a view can flag it."""
    return not value.isprintable() and any(ch in BIDI_CONTROLS for ch in value)


def counted(n: int, noun: str) -> str:
    """`1 event`, `2 events`, `1,000 events`: one way to say how many, in every view and
    message (a count without separators or with `1 events` reads as a slip)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def safe_json(text: str) -> str:
    """JSON text (as `json.dumps` writes it) with every unsafe character as a `\\uXXXX` escape:
    the same data when parsed, and inert on a terminal.  TOML basic strings take the same
    escapes, so `tomlwrite` uses this too."""
    if text.isascii() and "\x7f" not in text:  # the common case, checked at C speed
        return text
    return _pattern(_JSON_UNSAFE).sub(_json_escape, text)
