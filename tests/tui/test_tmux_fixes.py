"""What a user met in a real terminal (issue 12): tmux sessions, keys sent in one burst.

Keys for items 2 (bursts) go in ONE `send-keys` call, as a paste or a laggy SSH link delivers
them; items 1 (NO_COLOR), 8 (stderr redirected), 20 (TERM=dumb) are about what the
terminal receives, read back with `capture-pane -e`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tmux_pane import TmuxPane
from tui_helpers import BUNDLED

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

PROMPT = "FIX-PROMPT$ "
BRIEFING = Path(sys.executable).with_name("briefing")


class Term(TmuxPane):
    """One private tmux server with one pane running `sh`, as a user's terminal."""

    def __init__(self, sock: Path) -> None:
        super().__init__(sock, "t")

    def run(self, command: str) -> None:
        self.literal(command)
        self.keys("Enter")

    def start_briefing(self, args: str = "", redirect: str = "") -> str:
        self.run(f'{shlex.quote(str(BRIEFING))} --data {shlex.quote(str(BUNDLED))} {args} {redirect}; echo "EXIT=$?"')
        return self.wait_for("events ·")

    def exit_status(self, timeout: float = 15) -> str:
        screen = self.wait_for(lambda s: "EXIT=" in s and s.rstrip().endswith(PROMPT.rstrip()), timeout=timeout)
        return screen


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Callable[..., Term]]:
    made: list[Term] = []

    def make(width: int = 80, height: int = 24, **env: str) -> Term:
        t = Term(tmp_path / f"tmux{len(made)}.sock")
        base = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color",
            "PS1": PROMPT,
            **env,
        }
        shell = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in base.items()) + " sh"
        t.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), shell)
        t.tmux("set-option", "-t", "t", "status", "off")
        made.append(t)
        t.wait_for(PROMPT.rstrip(), timeout=10)
        return t

    yield make
    for t in made:
        t.tmux("kill-server", check=False)


def first_row(screen: str) -> str:
    lines = screen.splitlines()
    return lines[2] if len(lines) > 2 else ""


# -- 2: keys in one burst ---------------------------------------------------------------------


def test_slash_then_text_in_one_burst_goes_into_the_filter(term) -> None:
    t = term()
    t.start_briefing()
    t.literal("/tajik")  # one send-keys: the keys arrive together
    screen = t.wait_for(lambda s: "filter /" in s and "tajik" in s)
    assert "j/k preview" not in screen and "briefing › actors" not in screen, screen
    t.keys("q")  # into the input, too
    screen = t.wait_for("tajikq")
    t.keys("Escape")
    t.wait_for(lambda s: "apply" not in s.splitlines()[-1])
    t.keys("q")
    assert "EXIT=0" in t.exit_status()


def test_slash_ctrl_u_and_text_in_one_burst(term) -> None:
    t = term()
    t.start_briefing()
    t.keys("/", "C-u", "a", "b", "c")  # one send-keys call
    screen = t.wait_for(lambda s: "filter /" in s and "abc" in s)
    assert "briefing › actors" not in screen, screen
    t.keys("Escape")
    t.wait_for(lambda s: "apply" not in s.splitlines()[-1])
    t.keys("q")
    assert "EXIT=0" in t.exit_status()


@pytest.mark.parametrize("burst", ["qt", "/quetta"])
def test_quit_followed_by_more_keys_never_crashes(term, burst: str) -> None:
    t = term()
    t.start_briefing()
    t.literal(burst)  # one burst: q and t used to quit and open the picker on a closing app
    if burst.startswith("/"):
        t.wait_for("filter / quetta")
        t.keys("Escape")  # (ESC and a letter in one burst is what a terminal sends for alt+letter)
        t.wait_for(lambda s: "apply" not in s.splitlines()[-1])
        t.literal("qt")
    screen = t.exit_status()
    assert "EXIT=0" in screen, screen
    assert "NoMatches" not in screen and "Traceback" not in screen


# -- 1: NO_COLOR --------------------------------------------------------------------------------

_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _black_on_black(ansi: str) -> int:
    """How many SGR sequences set the same explicit colour for text and background."""
    count = 0
    for m in _SGR.finditer(ansi):
        params = m.group(1)
        fg = re.search(r"(?:^|;)38;(5;\d+|2;\d+;\d+;\d+)", params)
        bg = re.search(r"(?:^|;)48;(5;\d+|2;\d+;\d+;\d+)", params)
        if fg and bg and fg.group(1) == bg.group(1):
            count += 1
    return count


@pytest.mark.parametrize("colorterm", ["", "truecolor"])
def test_no_color_draws_readable_mono(term, colorterm: str) -> None:
    t = term(NO_COLOR="1", **({"COLORTERM": colorterm} if colorterm else {}))
    t.start_briefing()
    ansi = t.screen(escapes=True)
    assert _black_on_black(ansi) == 0, ansi[:2000]
    assert not re.search(r"\x1b\[[0-9;]*(?:38|48);[25];", ansi), "NO_COLOR still sends colours"
    assert "events ·" in t.screen()
    t.keys("q")
    assert "EXIT=0" in t.exit_status()


# -- 8: stderr redirected -------------------------------------------------------------------------


def test_tui_draws_on_the_terminal_when_stderr_is_a_file(term, tmp_path: Path) -> None:
    t = term()
    log = tmp_path / "err.log"
    t.start_briefing(redirect=f"2>{shlex.quote(str(log))}")
    t.keys("q")
    assert "EXIT=0" in t.exit_status()
    assert "\x1b" not in log.read_text(errors="replace")


def test_tui_refuses_in_one_line_with_no_terminal(tmp_path: Path) -> None:
    r = subprocess.run(
        [str(BRIEFING), "--data", str(BUNDLED)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "BRIEFING_NO_CACHE": "1"},
    )
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "terminal" in r.stderr
    assert "\x1b" not in r.stdout + r.stderr


# -- 20: TERM=dumb --------------------------------------------------------------------------------


def test_term_dumb_refuses_with_a_hint(term) -> None:
    t = term(TERM="dumb")
    t.run(f'{shlex.quote(str(BRIEFING))} --data {shlex.quote(str(BUNDLED))}; echo "EXIT=$?"')
    screen = t.exit_status()
    assert "EXIT=2" in screen, screen
    assert "briefing brief" in "".join(screen.splitlines())
    assert "events ·" not in screen


# -- 4: the theme picker ----------------------------------------------------------------------------


def test_theme_picker_previews_over_the_real_screen_and_the_choice_is_kept(term, tmp_path: Path) -> None:
    t = term(width=100, height=30)
    t.start_briefing()
    t.keys("T")
    screen = t.wait_for("j/k preview")
    assert "2019-11-06" in screen or "Attack" in screen, screen  # the list is visible behind it
    t.keys("j")  # briefing-dark -> briefing-light, previewed
    time.sleep(0.5)
    t.keys("Enter")
    t.wait_for(lambda s: "j/k preview" not in s)
    t.keys("q")
    assert "EXIT=0" in t.exit_status()
    config = tmp_path / "config" / "briefing" / "config.toml"
    assert config.read_text() == 'theme = "briefing-light"\n'
    t.run("clear")
    t.start_briefing()
    t.keys("T")
    t.wait_for("j/k preview")
    t.keys("Escape")  # cancel: the theme kept is the saved one
    t.wait_for(lambda s: "j/k preview" not in s)
    t.keys("q")
    assert "EXIT=0" in t.exit_status()
    assert config.read_text() == 'theme = "briefing-light"\n'


@pytest.mark.parametrize(
    ("table", "key", "value"), [("colors", "primary", "#zz"), ("variables", "block-cursor-text-style", "blink2")]
)
def test_a_broken_user_theme_is_one_line_naming_file_and_key(
    term, tmp_path: Path, table: str, key: str, value: str
) -> None:
    folder = tmp_path / "config" / "briefing" / "themes"
    folder.mkdir(parents=True)
    theme = folder / "broken.toml"
    theme.write_text(f'name = "broken"\n[{table}]\n"{key}" = "{value}"\n')
    t = term()
    t.run(f'{shlex.quote(str(BRIEFING))} --data {shlex.quote(str(BUNDLED))}; echo "EXIT=$?"')
    screen = t.exit_status()
    joined = "".join(screen.splitlines())
    assert "EXIT=2" in screen, screen
    assert f"broken.toml: [{table}] {key}" in joined and "Traceback" not in joined


def test_a_theme_name_is_shown_escaped_in_the_picker(term, tmp_path: Path) -> None:
    folder = tmp_path / "config" / "briefing" / "themes"
    folder.mkdir(parents=True)
    (folder / "evil.toml").write_text('name = "evil\\u001b[31mred"\n[colors]\nprimary = "#ff0000"\n')
    t = term()
    t.start_briefing()
    t.keys("T")
    screen = t.wait_for("j/k preview")
    assert "evil\\x1b[31mred" in screen, screen
    t.keys("Escape")
    t.wait_for(lambda s: "j/k preview" not in s)
    t.keys("q")
    assert "EXIT=0" in t.exit_status()


# -- 5: a wider terminal shows more -----------------------------------------------------------------


def _row(screen: str, needle: str) -> str:
    return next((line for line in screen.splitlines() if needle in line), "")


def test_wider_terminal_shows_more_of_the_list(term) -> None:
    narrow = term(width=80, height=24)
    narrow_screen = narrow.start_briefing()
    wide = term(width=120, height=40)
    wide_screen = wide.start_briefing()
    for screen in (narrow_screen, wide_screen):
        assert "country" in screen.splitlines()[1], screen
    row80, row120 = _row(narrow_screen, "Crocus"), _row(wide_screen, "Crocus")
    assert "Russia" in row80 and "Russia" in row120
    assert "Attack on the Crocus City Hall concert venue" in row120, wide_screen
    assert len(row120.rstrip()) > len(row80.rstrip())
    for t in (narrow, wide):
        t.keys("q")
        assert "EXIT=0" in t.exit_status()


# -- the export dialog (`x`): the file name a person sees and types ----------------------------------


def test_export_dialog_shows_the_proposed_name_and_writes_the_typed_path(term, tmp_path: Path) -> None:
    t = term()
    t.run(f"cd {shlex.quote(str(tmp_path))}")  # the proposal is a new file in the current directory
    t.start_briefing()
    t.keys("x")
    t.wait_for("Export the")
    t.keys("j", "j", "k", "Enter")  # one burst: j/k move in the list, then enter chooses jsonl
    t.wait_for(lambda s: re.search(r"briefing-\d{8}-\d{6}\.jsonl", s) is not None)  # the name row is drawn
    target = tmp_path / "out" / "typed.jsonl"
    target.parent.mkdir()
    t.keys(str(target), "Enter")  # one burst, as a paste: replaces the proposal, shown selected
    t.wait_for(lambda s: "Export the" not in s)
    assert target.exists() and target.read_text().count("\n") >= 1
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("briefing-")]
    t.keys("q")
    assert "EXIT=0" in t.exit_status()


# -- editing keys and typing in one burst -----------------------------------------------------


@pytest.mark.parametrize(
    ("burst", "expected"),
    [(("BSpace", "x"), "abcdex"), (("BSpace", "BSpace", "y", "z"), "abcdyz"), (("C-w", "t", "u"), "tu")],
)
def test_editing_keys_and_typing_in_one_burst_apply_in_order(term, burst: tuple[str, ...], expected: str) -> None:
    """QA: `BSpace x` in one burst left `abcdef` in the filter and the export dialog's name (the
    `x` was typed before the backspace ran, which then deleted it); `C-w tu` left nothing. An
    editing key is a binding, and a binding ran only after the keys typed behind it."""
    t = term()
    t.start_briefing()
    t.keys("x")  # the export dialog's name row
    t.wait_for("json")
    t.keys("Enter")
    t.wait_for(lambda s: ".json" in s)
    t.literal("abcdef")
    t.wait_for("abcdef")
    t.keys(*burst)  # one send-keys call
    t.wait_for(lambda s: re.search(rf"\b{expected}\b", s) is not None and "abcdef" not in s, timeout=5)
    t.keys("Escape")
    t.wait_for(lambda s: "Export the" not in s)  # closed (ESC with the next keys is alt+key)
    t.literal("/abcdef")  # the filter
    t.wait_for("abcdef")
    t.keys(*burst)
    t.wait_for(lambda s: f"filter / {expected}" in s, timeout=5)


def test_a_config_theme_we_lack_is_said_at_start(term, tmp_path: Path) -> None:
    """QA (qa-regress4): `theme = "nope"` in config.toml started without a word: the run path
    loaded the theme and dropped the note that `make_app` would have shown."""
    config = tmp_path / "config" / "briefing"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('theme = "nope"\n')
    t = term(100, 30)
    t.start_briefing()
    screen = t.wait_for("no theme 'nope'")
    # the toast (right of its `▌` border, beside the list's rows) wraps the config's long path;
    # a longer temporary folder (a CI run's own TMPDIR) moves its breaks: read the toast alone
    toast = " ".join(line.rsplit("▌", 1)[1] for line in screen.splitlines() if "▌" in line)
    assert "using briefing-dark" in " ".join(toast.split()), screen
    t.keys("q")
    assert "EXIT=0" in t.exit_status()


@pytest.mark.parametrize("theme", ["high-contrast", "mono"])
def test_the_chosen_line_of_a_choice_stands_out_in_the_ansi_themes(term, theme: str) -> None:
    """QA over SSH: in high-contrast the chosen format of the export dialog (the theme picker's
    and the ctrl+p palette's line too) reached the terminal bold in its own colour beside bright
    white lines, which a terminal that draws bold as bright shows alike; in mono bold only, as
    the dialog's title.  Textual's `reverse` on the terminal's own colours was lost on the way."""
    t = term()
    t.start_briefing(f"--theme {theme}")
    t.keys("x")
    t.wait_for("JSON Lines")
    t.keys("j")
    time.sleep(0.5)
    lines = t.screen(escapes=True).splitlines()
    sgr = re.compile(r"\x1b\[([0-9;]*)m")

    def codes(text: str) -> set[str]:
        """The SGR codes sent between the dialog's left border and `text` on its line."""
        line = next(line for line in lines if text in line)
        before = line[: line.index(text)]
        return set(";".join(sgr.findall(before[before.rindex("\u2502") + 1 :])).split(";"))

    chosen, other = codes("jsonl  JSON Lines"), codes("csv    CSV")
    # bold alone is not a mark: a background, reverse or underline that the other line lacks
    marks = {"7", "4", *(str(n) for n in (*range(40, 48), *range(100, 108)))}
    assert (chosen - other) & marks, (chosen, other)
    t.keys("q")
