"""Theme files (`briefing.themes.ThemeSpec`) as Textual themes.

A theme file's `[colors]` are Textual's base colour names; `[variables]` override any of
Textual's derived variables; `[styles]` stay with the spec and style the Rich renderables
the panes share with the brief (the figures table, list rows).  A theme whose colours are
all ANSI names (`ansi_default`, `ansi_bright_yellow`, ...) becomes an *ANSI* Textual theme,
so a 16-colour terminal gets exactly the colours asked for and `mono` gets none at all.
"""

from __future__ import annotations

from textual.theme import Theme

from briefing.themes import ThemeSpec

_BASE_COLORS = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
    "warning", "error", "success", "boost",
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

# Only for a theme with no colour at all: emphasis by reverse/bold/underline only.
_MONO_DEFAULTS: dict[str, str] = {
    **_ANSI_DEFAULTS,
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
    return Theme(name=spec.name, primary=primary, dark=spec.dark, ansi=ansi, variables=variables, **colors)
