"""Themes as Textual themes, the theme order (--theme, config, TEXTUAL_THEME, NO_COLOR), and `run`'s refusals."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from briefing import themes
from briefing.themes import ThemeError
from briefing.tui import run as tui_run
from briefing.tui.app import make_app
from briefing.tui.theming import is_ansi, is_mono, to_textual
from tui_helpers import aio, screen_text


def test_bundled_themes_convert() -> None:
    specs = themes.available()
    assert {"briefing-dark", "briefing-light", "high-contrast", "mono"} <= set(specs)
    for spec in specs.values():
        theme = to_textual(spec)
        assert theme.name == spec.name
        theme.to_color_system().generate()  # every colour parses
    mono = to_textual(specs["mono"])
    assert is_mono(specs["mono"]) and mono.ansi
    colors = mono.to_color_system().generate()
    for var in ("block-cursor-background", "border", "footer-key-foreground", "scrollbar"):
        assert colors[var] == "ansi_default", var  # no colour at all: reverse and bold do the work
    assert "reverse" in colors["block-cursor-text-style"]
    assert is_ansi(specs["high-contrast"]) and not is_ansi(specs["briefing-dark"])


# xterm's 16 colours, as a 16-colour terminal draws the numbers Rich downgrades a theme's colours to
XTERM_16 = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
    (255, 255, 255),
]  # fmt: skip


@pytest.mark.parametrize("name", ["briefing-dark", "briefing-light"])
def test_a_themes_text_is_readable_in_16_colours(name: str) -> None:
    """QA: on the light theme in 16 colours every claimant's name and the key bar's letters were
    yellow on white (1.7:1), and `2 agree` green on white (2.2:1): the claimant, the fact the tool
    exists to show, could not be read. Each text colour, downgraded as Rich does for a 16-colour
    terminal (bold as its bright twin, as many terminals draw it), against the background: >= 3:1."""
    from rich.color import Color, ColorSystem
    from test_highlight_contrast import contrast

    spec = themes.available()[name]

    def ansi(value: str) -> int:
        n = Color.parse(value).downgrade(ColorSystem.STANDARD).number
        assert n is not None
        return n

    bg = XTERM_16[ansi(spec.colors["background"])]
    texts = [(k, v) for k, v in spec.colors.items() if k not in ("background", "surface", "panel")]
    texts += list(spec.styles.items())
    low = []
    for key, value in texts:
        words = value.split()
        colour = next((w for w in words if w.startswith("#")), None)
        if colour is None:
            continue
        n = ansi(colour)
        drawn = [n, n + 8] if "bold" in words and n < 8 else [n]
        worst = min(contrast(XTERM_16[d], bg) for d in drawn)
        if worst < 3:
            low.append(f"{key} {value}: {worst:.2f}")
    assert not low, low


@aio
@pytest.mark.parametrize("name", ["briefing-dark", "briefing-light", "high-contrast", "mono"])
async def test_each_theme_runs(bundled_ds, name: str) -> None:
    app = make_app(bundled_ds, theme=name)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == name and app.spec.name == name
        await pilot.press("enter")
        await pilot.pause()
        assert "Figures compared" in screen_text(app)


def test_theme_order(monkeypatch: pytest.MonkeyPatch, bundled_ds, tmp_path: Path) -> None:
    assert make_app(bundled_ds).spec.name == themes.DEFAULT_THEME
    monkeypatch.setenv("TEXTUAL_THEME", "briefing-light")
    assert make_app(bundled_ds).spec.name == "briefing-light"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "briefing").mkdir()
    (tmp_path / "briefing" / "config.toml").write_text('theme = "high-contrast"\n')
    assert make_app(bundled_ds).spec.name == "high-contrast"  # config beats TEXTUAL_THEME
    assert make_app(bundled_ds, theme="briefing-dark").spec.name == "briefing-dark"  # --theme beats all
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("TEXTUAL_THEME")
    (tmp_path / "briefing" / "config.toml").unlink()
    assert make_app(bundled_ds).spec.name == "mono"
    with pytest.raises(ThemeError):
        make_app(bundled_ds, theme="no-such-theme")


def test_user_theme_from_config_dir(monkeypatch: pytest.MonkeyPatch, bundled_ds, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "briefing" / "themes").mkdir(parents=True)
    (tmp_path / "briefing" / "themes" / "night.toml").write_text(
        'name = "night"\n[colors]\nprimary = "#ff0000"\nbackground = "#000000"\n[styles]\ndisputed = "bold red"\n'
    )
    app = make_app(bundled_ds, theme="night")
    assert app.spec.name == "night" and "night" in app.available_themes


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(command=None, **kw)


def test_run_unknown_theme_is_one_line_listing_valid_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert tui_run.run(_args(theme="nope")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown theme 'nope'" in err
    for name in ("briefing-dark", "briefing-light", "high-contrast", "mono"):
        assert name in err


def test_run_refuses_bad_data_in_one_line_each(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert tui_run.run(_args(data=str(tmp_path / "missing"))) == 2
    err = capsys.readouterr().err
    assert "no such data directory" in err and "Traceback" not in err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "events.toml").write_text(
        '[[event]]\nid = "x"\ntitle = "t"\ndate = "2019-13-01"\ncountry = "X"\ntype = "battles"\n'
    )
    assert tui_run.run(_args(data=str(bad))) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefing: ") and "Traceback" not in err
    assert all(line.startswith("briefing: ") for line in err.splitlines())


def test_run_refuses_a_bad_filter_and_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    assert tui_run.run(_args(filter="colour:red")) == 2
    assert "unknown field 'colour'" in capsys.readouterr().err
    # under pytest stdout is not a terminal
    assert tui_run.run(_args()) == 2
    assert "needs a terminal" in capsys.readouterr().err


def test_ssh_without_a_terminal_is_told_to_ask_for_one(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA over SSH: `ssh host briefing` (no -t) was told to pipe into `briefing brief`."""
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    monkeypatch.delenv("SSH_TTY", raising=False)
    assert tui_run.run(_args()) == 2
    assert "`ssh -t host briefing`" in capsys.readouterr().err


def test_animations_off_over_ssh(monkeypatch: pytest.MonkeyPatch, fixture_ds) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    assert make_app(fixture_ds, theme="mono").animation_level == "none"


@aio
async def test_a_filter_error_is_readable_in_16_colours_on_the_dark_theme(bundled_ds) -> None:
    """QA: in 16 colours the filter's error (bright red) sat on the bars' grey (bright black):
    about 1:1 in luminance, told apart by hue alone. Checked as the selected claim's panel is:
    the text's colour against the background it is drawn on, each downgraded as Rich does."""
    from rich.color import Color, ColorSystem
    from test_highlight_contrast import contrast

    from briefing.tui.widgets.figures_view import ClaimPanel

    def drawn(widget, fg=None) -> float:
        """The text (its own colour, or `fg`: a style a renderable inside it uses) on the widget's background."""
        bg = widget.background_colors[1]
        fg = (
            Color.parse(fg)
            if fg
            else Color.from_rgb(widget.styles.color.r, widget.styles.color.g, widget.styles.color.b)
        )
        n = [
            fg.downgrade(ColorSystem.STANDARD).number,
            Color.from_rgb(bg.r, bg.g, bg.b).downgrade(ColorSystem.STANDARD).number,
        ]
        bold = [n[0], n[0] + 8] if n[0] is not None and n[0] < 8 else [n[0]]
        return min(contrast(XTERM_16[f], XTERM_16[n[1]]) for f in bold)

    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"typ:x")
        await pilot.pause(0.5)
        assert drawn(app.screen.query_one("#filter-error")) >= 3
        await pilot.press("escape")
        app.open_record("event", "2019-11-06-border-post")
        await pilot.pause(0.3)
        await pilot.press("tab")
        await pilot.pause()
        disputed = next(w for w in themes.available()["briefing-dark"].styles["disputed"].split() if w.startswith("#"))
        assert drawn(app.screen.query_one(ClaimPanel), disputed) >= 3  # "disputed: …" in the panel
