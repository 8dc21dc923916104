"""Theme files (`themes/*.toml`, plus the user's own) shared by the TUI and the brief.

A theme file has Textual's colour names under `[colors]` (turned into a Textual theme by
`briefing.tui.theming`) and Rich styles under `[styles]` for the renderables the brief and
the TUI panes share.  This module stays headless: it reads TOML into plain data.

Which theme: `--theme NAME`, else `theme = "..."` in `$XDG_CONFIG_HOME/briefing/config.toml`,
else `TEXTUAL_THEME`, else the default — and `NO_COLOR` (when no theme was asked for) gives `mono`.
"""

from __future__ import annotations

import os

from briefing.datadir import bundled, config_dir

DEFAULT_THEME = "briefing-dark"
MONO_THEME = "mono"

# Every style a renderable may ask for; a theme file may override any of them.
BASE_STYLES: dict[str, str] = {
    "heading": "bold",
    "title": "bold",
    "muted": "dim",
    "label": "bold",
    "disputed": "bold reverse",
    "agreed": "",
    "claim": "",
    "claimant": "italic",
    "source": "",
    "rating.good": "bold",
    "rating.fair": "",
    "rating.poor": "dim",
    "date": "",
    "country": "",
    "type": "",
    "number": "bold",
    "warning": "bold",
    "link": "underline",
}


class ThemeError(ValueError):
    """An unknown or broken theme; the message is one line and lists the valid names."""


class ThemeSpec:
    """A theme file's contents (a plain class: building a dataclass at import is measurable on
    the brief's path; see bench/README.md, "Measured costs behind the code")."""

    __slots__ = ("name", "dark", "colors", "variables", "styles", "path")

    def __init__(
        self,
        name: str,
        dark: bool = True,
        colors: dict[str, str] | None = None,
        variables: dict[str, str] | None = None,
        styles: dict[str, str] | None = None,
        path: str | None = None,
    ) -> None:
        self.name = name
        self.dark = dark
        self.colors: dict[str, str] = colors or {}
        self.variables: dict[str, str] = variables or {}
        self.styles: dict[str, str] = styles or {}
        self.path = path

    def __repr__(self) -> str:
        return f"ThemeSpec({self.name!r}, path={self.path!r})"

    def style(self, key: str) -> str:
        return self.styles.get(key, BASE_STYLES.get(key, ""))


def theme_dirs() -> list[str]:
    """Bundled themes first, then the user's, so a user theme of the same name wins."""
    return [os.fspath(bundled("themes")), os.path.join(config_dir(), "themes")]


def _read(path: str) -> ThemeSpec:
    from briefing import tomlread

    try:
        with open(path, encoding="utf-8") as fh:
            doc = tomlread.loads(fh.read())
    except (OSError, UnicodeDecodeError, tomlread.TOMLDecodeError) as exc:
        raise ThemeError(f"{path}: cannot read theme: {exc}") from None
    name = doc.get("name", os.path.splitext(os.path.basename(path))[0])
    colors = doc.get("colors", {})
    variables = doc.get("variables", {})
    styles = doc.get("styles", {})
    for key, table in (("colors", colors), ("variables", variables), ("styles", styles)):
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ThemeError(f"{path}: [{key}] must map names to strings")
    if not isinstance(name, str) or not name:
        raise ThemeError(f"{path}: name must be a non-empty string")
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    for key, value in styles.items():  # drawn as nothing, a bad style went unsaid (QA s18)
        try:
            Style.parse(value)
        except StyleSyntaxError:
            raise ThemeError(f"{path}: [styles] {key}: not a style: {value!r}") from None
    return ThemeSpec(name, bool(doc.get("dark", True)), dict(colors), dict(variables), dict(styles), str(path))


def available() -> dict[str, ThemeSpec]:
    """Every theme by name; unreadable user files are skipped here and named by `load`."""
    return _scan()[0]


def _scan() -> tuple[dict[str, ThemeSpec], list[str]]:
    """Every theme by name, and why each theme file that could not be read was not."""
    found: dict[str, ThemeSpec] = {}
    unread: list[str] = []
    for d in theme_dirs():
        try:
            names = sorted(n for n in os.listdir(d) if n.endswith(".toml"))
        except OSError:  # no such folder (no user themes), or not a folder
            continue
        for n in names:
            p = os.path.join(d, n)
            if not os.path.isfile(p):
                continue
            try:
                spec = _read(p)
            except ThemeError as exc:
                unread.append(str(exc))
                continue
            found[spec.name] = spec
    return found, unread


def configured_name() -> str | None:
    """The theme named in the user's config file, if any.  A config file that cannot be read
    (broken TOML, not UTF-8, a `theme` that is no name) raises ThemeError, reported in one line
    at start (exit 2), as the TUI's key table does for the same file: the brief ignored what
    the TUI refused (review s13)."""
    from briefing.tomlread import TOMLDecodeError, load_config

    path = os.path.join(config_dir(), "config.toml")
    if not os.path.isfile(path):
        return None
    try:
        value = load_config(path).get("theme")
    except (OSError, UnicodeDecodeError, TOMLDecodeError) as exc:
        raise ThemeError(f"{path}: cannot read the config file: {exc}") from None
    if value is not None and not isinstance(value, str):
        raise ThemeError(f'{path}: theme: give a theme\'s name in quotes (theme = "briefing-light")')
    return value


def choose(requested: str | None) -> str:
    """The theme name to use, following the documented order of precedence."""
    if requested:
        return requested
    if os.environ.get("NO_COLOR"):
        return MONO_THEME
    return configured_name() or os.environ.get("TEXTUAL_THEME") or DEFAULT_THEME


def load(requested: str | None) -> ThemeSpec:
    """The chosen theme (`load_noted` without its note)."""
    return load_noted(requested)[0]


def load_noted(requested: str | None) -> tuple[ThemeSpec, str | None]:
    """The chosen theme, and what to tell the user about the choice; an unknown `--theme`
    raises ThemeError listing the valid ones.

    Only an explicit `--theme` is strict: a stale config (a theme file since deleted) or
    `TEXTUAL_THEME` naming a theme we do not have (it may be one of Textual's own) falls back
    to the default.  The config's is the user's own typing, so that fallback is said (the TUI
    shows it as a notice); the environment's stays quiet.
    """
    from briefing.display import one_line

    themes, unread = _scan()
    name = choose(requested)
    if name in themes:
        return themes[name], None
    # a theme file that could not be read may be the one meant (QA s18: a copy with a key
    # twice was "unknown theme", its file never named)
    not_read = (
        f"; not read: {one_line(unread[0])}" + (f" (and {len(unread) - 1} more)" if len(unread) > 1 else "")
        if unread
        else ""
    )
    if requested:
        raise ThemeError(f"unknown theme {requested!r}; valid themes: {', '.join(sorted(themes))}{not_read}")
    spec = themes.get(DEFAULT_THEME) or ThemeSpec(DEFAULT_THEME)
    note = None
    if name == configured_name():
        path = os.path.join(config_dir(), "config.toml")
        note = f"{path}: no theme {name!r}; using {spec.name} (themes: {', '.join(sorted(themes))}){not_read}"
    return spec, note
