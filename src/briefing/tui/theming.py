"""Theme files (`briefing.themes.ThemeSpec`) as Textual themes.

A theme file's `[colors]` are Textual's base colour names; `[variables]` override any of
Textual's derived variables; `[styles]` stay with the spec and style the Rich renderables
the panes share with the brief (the figures table, list rows).  A theme whose colours are
all ANSI names (`ansi_default`, `ansi_bright_yellow`, ...) becomes an *ANSI* Textual theme,
so a 16-colour terminal gets exactly the colours asked for and `mono` gets none at all.
"""

from __future__ import annotations

from textual.theme import Theme

from briefing.themes import ThemeError, ThemeSpec

_BASE_COLORS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "warning",
    "error",
    "success",
    "boost",
)

# Variables every ANSI theme needs: Textual's ANSI defaults use magenta and blue for the
# cursor, borders and scrollbars, which a 16-colour theme may not want.
_ANSI_DEFAULTS: dict[str, str] = {
    "block-cursor-text-style": "bold reverse",
    "block-cursor-foreground": "ansi_default",
    "block-cursor-background": "ansi_default",
    "block-cursor-blurred-text-style": "underline",
    "block-cursor-blurred-foreground": "ansi_default",
    "block-cursor-blurred-background": "ansi_default",
    "input-selection-background": "ansi_default",
    "input-selection-foreground": "ansi_default",
}

# Only for a theme with no colour at all: emphasis by reverse/bold/underline only.  The cursor
# is underlined as well as reversed: Textual's option lists (an event's actors and sources)
# draw `reverse` by swapping the two colours, which are both the terminal's default here, so
# their cursor row showed only bold among bold names (QA s17).
_MONO_DEFAULTS: dict[str, str] = {
    **_ANSI_DEFAULTS,
    "block-cursor-text-style": "bold reverse underline",
    "border": "ansi_default",
    "border-blurred": "ansi_default",
    "scrollbar": "ansi_default",
    "scrollbar-hover": "ansi_default",
    "scrollbar-active": "ansi_default",
    "scrollbar-background": "ansi_default",
    "scrollbar-background-hover": "ansi_default",
    "scrollbar-background-active": "ansi_default",
    "footer-key-foreground": "ansi_default",
    "footer-description-foreground": "ansi_default",
    "link-color": "ansi_default",
    "link-background-hover": "ansi_default",
    "link-color-hover": "ansi_default",
    "screen-selection-background": "ansi_default",
    "screen-selection-foreground": "ansi_default",
}


def is_ansi(spec: ThemeSpec) -> bool:
    return bool(spec.colors) and all(v.startswith("ansi_") for v in spec.colors.values())


def is_mono(spec: ThemeSpec) -> bool:
    return bool(spec.colors) and all(v == "ansi_default" for v in spec.colors.values())


def to_textual(spec: ThemeSpec) -> Theme:
    """The Textual theme for a spec (unknown colour keys are ignored, not fatal)."""
    colors = {k: v for k, v in spec.colors.items() if k in _BASE_COLORS}
    ansi = is_ansi(spec)
    variables: dict[str, str] = {}
    if is_mono(spec):
        variables.update(_MONO_DEFAULTS)
    elif ansi:
        variables.update(_ANSI_DEFAULTS)
    if ansi:  # Textual's own CSS asks for these in ANSI mode
        variables["ansi-background"] = spec.colors.get("background", "ansi_default")
        variables["ansi-foreground"] = spec.colors.get("foreground", "ansi_default")
    variables.update(spec.variables)
    primary = colors.pop("primary", "ansi_default" if ansi else "#5fafff")
    return Theme(
        name=spec.name,
        primary=primary,
        dark=spec.dark,
        ansi=ansi,
        variables=variables,
        **colors,  # type: ignore[arg-type]  # only _BASE_COLORS keys, Theme's str colour fields
    )


def _parses(prop: str, value: str) -> bool:
    """Does `prop: value` parse as Textual CSS (through a variable, as the theme applies it)?"""
    from textual.css.stylesheet import Stylesheet

    sheet = Stylesheet(variables={"probe": value})
    sheet.add_source(f"Probe {{ {prop}: $probe; }}", read_from=("theme", ""))
    try:
        sheet.parse()
    except Exception:  # noqa: BLE001 - Textual raises several kinds for a bad value
        return False
    return True


def check(spec: ThemeSpec) -> None:
    """Raise ThemeError (one line: file, table and key) for a value Textual cannot use.

    A bad colour or variable used to surface as a crash when the theme was applied, or when
    the picker merely highlighted it."""
    from textual.color import Color, ColorParseError

    where = spec.path or spec.name
    for key, value in spec.colors.items():
        if key not in _BASE_COLORS:
            continue
        try:
            Color.parse(value)
        except ColorParseError:
            raise ThemeError(f"{where}: [colors] {key}: not a colour: {value!r}") from None
    for key, value in spec.variables.items():
        prop = "text-style" if key.endswith("text-style") else "color"
        if not (_parses(prop, value) or (prop == "color" and _parses("background", value))):
            raise ThemeError(f"{where}: [variables] {key}: not a valid value: {value!r}")


def check_user_themes() -> None:
    """At start: every theme file in the user's folder is checked (ThemeError on the first bad
    one), so a broken theme is reported once, in one line, rather than offered and failing."""
    import os

    from briefing.themes import _read, theme_dirs

    folder = theme_dirs()[-1]
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    except OSError:
        return
    for n in names:
        path = os.path.join(folder, n)
        if os.path.isfile(path):
            check(_read(path))


def save_choice(name: str) -> str:
    """Write `theme = NAME` into the user's config file (created if missing; every other line
    kept as it was), atomically; returns the file's path.  Raises OSError."""
    import os
    import re

    from briefing.datadir import config_dir
    from briefing.export.atomic import write_atomic
    from briefing.tomlwrite import toml_value

    path = os.path.join(config_dir(), "config.toml")
    try:
        with open(path, encoding="utf-8-sig") as fh:  # a BOM dropped: it would sit before a moved line
            lines = fh.read().splitlines()
    except FileNotFoundError:
        lines = []
    line = f"theme = {toml_value(name)}"
    for i, old in enumerate(lines):
        stripped = old.strip()
        if stripped.startswith("["):  # top-level keys end at the first table
            lines.insert(0, line)
            break
        if stripped.split("=", 1)[0].strip() == "theme":
            # its comment kept (QA s18: the README's example comments this line)
            kept = re.match(r"""\s*theme\s*=\s*(?:"(?:[^"\\]|\\.)*"|'[^']*')(\s*#.*)$""", old)
            lines[i] = line + (kept.group(1) if kept else "")
            break
    else:
        lines.insert(0, line)
    os.makedirs(config_dir(), exist_ok=True)
    write_atomic(path, lambda f: f.write("\n".join(lines) + "\n"), force=True)
    return path
