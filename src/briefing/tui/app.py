"""The Textual app and `make_app`, the one factory the CLI and every test build it with.

Three modes, each with its own screen stack: `events` (the list, then whatever was opened
from it), `actors` and `sources`; `e`, `a` and `s` switch between them without losing your
place, `escape` goes back within one.  Record screens are pushed by `open_record`, which is
what list rows, detail links and the command palette all call.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from briefing import themes
from briefing.dataset import Dataset
from briefing.display import command_line, flag_words, one_line
from briefing.problems import skipped_text, uncounted_files
from briefing.themes import ThemeSpec
from briefing.tui import keys
from briefing.tui.commands import JumpProvider
from briefing.tui.messages import OpenRecord
from briefing.tui.theming import to_textual

# Actions that move the keyboard to a widget or screen that does not exist yet (it is mounted,
# then focused, a few messages later), or close the app: keys that arrive behind them in the
# same burst (a paste, fast typing, a laggy SSH link) wait until the keyboard has moved, so
# `/tajik` types "tajik" into the filter instead of running `t` (theme) and `a` (actors), on
# the list and away from it (`app.filter_events`: QA s18, `/iraq` on Trends quit); a
# record opened (`open`, `narrow` back to the list) goes on the screen stack before the `t`
# typed behind its enter opens Trends, and a name typed behind the export's `choose` goes
# into the name, not to the format list (whose `q` quits); What changed (`show_changes`) goes on
# the stack before the `j` or enter typed behind its `w` reach the list.  A screen shown lets go of keys
# held behind those (`OPENERS`, `BaseScreen.on_screen_resume`), and only of those: the main
# screen appearing at launch must not let go of `iraq` typed behind `/` before the filter
# is open; the export's name, focused, lets them go too.
OPENERS = frozenset({"open", "narrow", "choose", "show_changes"})
HOLD_AFTER = frozenset({"open_filter", "app.filter_events", "pick_theme", "export", "quit", "app.quit"}) | OPENERS


def _after_escape(key: str) -> events.Key | None:
    """The key that followed an Escape, when a terminal reader took the two for alt+key (a
    printable character, or Enter); None for any other key."""
    if not key.startswith("alt+"):
        return None
    rest = key[4:]
    if rest == "enter":
        return events.Key("enter", "\r")
    if len(rest) == 1 and rest.isprintable():
        return events.Key(rest, rest)
    return None


# In an input, keys that close it: the keys behind them go to the list again, once the
# filter is applied or the export's file written (`release_keys`), not into the text.
INPUT_CLOSERS = frozenset({"done", "apply", "write"})
# Keys held longer than this are let go anyway (the action did not open anything).
HOLD_LIMIT = 1.0
# What an Escape is given to act on (close a dialog, the palette) before the key that came
# with it goes to whatever has the keyboard then.
ESCAPE_SETTLES = 0.1
FILES_EVERY = 5.0  # seconds between looks at the data files' stamps (`check_files`)


class BriefingApp(App[int]):
    TITLE = "briefing"
    BINDINGS = keys.bindings("app")
    DEFAULT_MODE = "events"
    COMMANDS = App.COMMANDS | {JumpProvider}
    NOTIFICATION_TIMEOUT = 4

    CSS = """
    Screen { background: $background; }
    ThemePicker { background: transparent; }  /* the preview is the real screen behind it */
    Footer { background: $panel; }
    /* toasts above the status line and the key bar, not over them: the line `c` copies was
       hidden for the toast's 5 s, when the user reads what was copied (QA s13) */
    ToastRack { margin-bottom: 2; }
    Footer.-compact FooterLabel { margin: 0 1 0 0; }
    Footer.-compact KeyGroup.-compact { margin: 0; padding-left: 0; }
    /* The chosen line of a choice (export formats, themes, the ctrl+p palette): in an ANSI theme
       Textual's `reverse` on the terminal's own colours drew it bold only, like its neighbours */
    ChoiceList:ansi > .option-list--option-highlighted,
    CommandList:ansi > .option-list--option-highlighted {
        color: $background; background: $foreground; text-style: bold;
    }
    .-theme-mono ChoiceList > .option-list--option-highlighted,
    .-theme-mono CommandList > .option-list--option-highlighted {
        color: ansi_default; background: ansi_default; text-style: bold underline;
    }
    """

    def __init__(
        self,
        dataset: Dataset,
        *,
        spec: ThemeSpec,
        specs: dict[str, ThemeSpec] | None = None,
        query: str = "",
        data_arg: str | None = None,
        skip_invalid: bool = False,
        loader: Callable[[Callable[..., None]], Dataset] | None = None,
    ) -> None:
        from briefing.tui.terminal import driver_class

        super().__init__(driver_class=driver_class())  # draws on stdout when stderr is a file
        self.ds = dataset
        # loader: the app starts on `dataset` (the cache's first page) and calls
        # loader(progress) in a worker thread for the whole dataset, swapped in when done.
        self._loader = loader
        self.load_progress: tuple[int, int] | None = (0, 1) if loader is not None else None
        self.load_error: list[str] | None = None
        self.theme_note: str | None = None  # `themes.load_noted`'s: set by `make_app`
        self.counts = _counts(dataset)
        self.countries = dataset.countries()
        self._pinned = _pin_ledger(None, dataset)
        self.data_arg = data_arg
        # the flags that chose the data, for the commands the screens name (`$ briefing …`): run
        # as shown, they read the same data (without --skip-invalid, data with a bad record
        # is refused)
        data_words = flag_words("--data", data_arg) if data_arg else ()
        self.data_flags: tuple[str, ...] = (*data_words, *(("--skip-invalid",) if skip_invalid else ()))
        self.validate_command = command_line(["briefing", "validate", *data_words])  # what lists the skipped
        self.export_folder: str | None = None  # where the last export went: the next is proposed there
        self.initial_query = query
        # Only the theme in use is read into Textual now; the others when the picker opens.
        self.specs: dict[str, ThemeSpec] = {}
        self._all_specs_loaded = False
        for s in (specs or {}).values():
            self._add_spec(s)
        self._add_spec(spec)
        self.spec = spec
        self._set_first_theme(spec.name)
        if os.environ.get("SSH_CONNECTION") and not os.environ.get("TEXTUAL_ANIMATIONS"):
            self.animation_level = "none"  # every animation frame is bytes down a slow link
        try:  # the user's [keys] (checked at start by tui.run; here a bad table is ignored)
            self.user_keys = keys.user_keymap()
        except ValueError:
            self.user_keys = {}
        if self.user_keys:
            self.set_keymap(self.user_keys)
        self._held: list[events.Key] | None = None
        self._held_for: str | None = None  # the action the held keys wait for
        self._hold_timer: Timer | None = None
        self._files_timer: Timer | None = None
        self._files_said = False  # the files changed on disk, and the user was told
        self.add_mode("events", self._events_screen)
        self.add_mode("actors", self._actors_screen)
        self.add_mode("sources", self._sources_screen)

    def _set_first_theme(self, name: str) -> None:
        """The theme, in place before anything is styled.  Set the usual way, its watcher would
        queue a restyle of a screen not yet drawn: one more parse of all CSS and a restyle of
        every widget before the first frame.  What the watcher does
        that still matters at this point (the theme's variables, its classes, the ANSI colour
        filter) is done here; a theme picked later goes through the watcher as usual.  The
        snapshot tests hold the result to what the watcher gave."""
        self.set_reactive(BriefingApp.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())  # nothing is parsed yet
        theme = self.current_theme
        self.update_classes(
            {f"-theme-{theme.name}": True, "-dark-mode": theme.dark, "-light-mode": not theme.dark}, update=False
        )
        refresh_filter = getattr(self, "_refresh_truecolor_filter", None)
        if refresh_filter is not None:
            refresh_filter(self.ansi_theme)
        self._fit_no_color_filter()

    def _fit_no_color_filter(self) -> None:
        """With NO_COLOR, Textual adds its own filter, chosen before any theme is set: for a
        truecolour theme, `Monochrome` (greys).  Our NO_COLOR theme is `mono`, an ANSI theme of
        terminal-default colours only, which Monochrome turned into black on black.  An ANSI
        theme gets Textual's `NoColor` filter instead (the terminal's own colours); the filter
        is re-fitted whenever the theme changes."""
        if not getattr(self, "no_color", False):
            return
        from textual.filter import Monochrome, NoColor

        ansi = self.native_ansi_color
        self._filters = [
            (NoColor() if ansi else Monochrome()) if isinstance(f, (Monochrome, NoColor)) else f for f in self._filters
        ]

    # Screens are imported when first shown: the first frame pays only for the event list.
    def _events_screen(self) -> Screen:
        from briefing.tui.screens.main import MainScreen

        return self._styled_now(MainScreen(self.initial_query))

    def _styled_now(self, screen: Screen) -> Screen:
        """A mode's new screen is styled from the current stylesheet as it mounts, yet Textual
        takes it for stale (its CSS counter starts at -1) and first re-parses and re-applies
        all CSS: a third of the CSS work before the first frame.  Marked current, it is
        simply styled as it mounts (the snapshot tests check the result)."""
        if hasattr(screen, "_css_update_count"):
            screen._css_update_count = self._css_update_count
        return screen

    def _actors_screen(self) -> Screen:
        from briefing.tui.screens.actors import ActorsScreen

        return self._styled_now(ActorsScreen())

    def _sources_screen(self) -> Screen:
        from briefing.tui.screens.sources import SourcesScreen

        return self._styled_now(SourcesScreen())

    def on_mount(self) -> None:
        if not self.is_headless:
            # `kill`, a supervisor, `timeout`: end as q does, the terminal given back (left to
            # the default action, the shell stayed on the alternate screen, mouse reporting on)
            import asyncio
            import signal

            asyncio.get_running_loop().add_signal_handler(
                signal.SIGTERM, lambda: self.exit(return_code=128 + signal.SIGTERM)
            )
        if self._loader is None:
            self.warm_search(self.ds)
        if self.theme_note:  # the config names a theme we do not have: said, not a refusal to start
            self.notify(self.theme_note, severity="warning", timeout=8, markup=False)
        skipped = getattr(self.ds, "skipped", 0)
        if skipped:  # --skip-invalid: say so where the user is looking, not only on stderr
            self.notify(
                f"{skipped_text(skipped, self.ds.problems)} skipped; `{self.validate_command}` lists them",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def on_unmount(self) -> None:
        _pin_ledger(self._pinned, None)

    def on_ready(self) -> None:
        if self._loader is not None:  # the first frame is drawn before the load competes with it
            self.call_after_refresh(self._start_loading)
        else:
            self.call_after_refresh(self._start_up_done)

    def _start_up_done(self) -> None:
        """First frame drawn, data loaded: the cyclic collector that the console entry paused
        for start-up (cli.entry) comes back.  What exists now lives as long as the app, so it
        is frozen out of later collections, which then walk only what the session creates.
        From now on the files are looked at every `FILES_EVERY` seconds (`check_files`)."""
        import gc

        if not gc.isenabled():  # paused by cli.entry; tests and embedders keep their own setting
            gc.freeze()
            gc.enable()
        if self._files_timer is None:
            self._files_timer = self.set_interval(FILES_EVERY, self.check_files)

    # -- the files on disk --------------------------------------------------------------------
    def check_files(self) -> None:
        """Whether the files under the data directory are still those the data on screen was
        loaded from (their stamps against the dataset's token), asked off the UI thread: a
        re-import in another pane changes nothing here (a view reads its snapshot), so the
        user is told, once, that a restart shows the new data."""
        token, root = getattr(self.ds, "token", None), getattr(self.ds, "root", None)
        if self._files_said or not token or not root:
            return

        def look() -> None:
            from briefing.store import files_token

            now = files_token(root)
            if now is not None and now != token:
                self._to_ui(self._say_files_changed)

        self.run_worker(look, thread=True, exclusive=True, group="files", name="files")

    def _say_files_changed(self) -> None:
        if self._files_said:
            return
        self._files_said = True
        self.counts = {**self.counts, "stale": 1}  # the header says so once the notice is gone
        for screen in self.screen_stack:
            update = getattr(screen, "update_header", None)
            if update is not None and screen.is_mounted:
                update()
        self.notify(
            "The data files changed on disk since they were loaded; what is shown is as it was. "
            "Restart briefing to see the new data.",
            severity="warning",
            timeout=30,
            markup=False,
        )

    def warm_search(self, ds: Dataset) -> None:
        """Build the filter's SQLite index (`briefing.sqlquery`) off the UI thread, so the
        first keystroke in the filter does not pay for it (a keystroke meanwhile waits for it
        in its own worker, never on the UI thread)."""

        def build() -> None:
            from briefing.sqlquery import index_for

            index = index_for(ds)
            ds.position(ds.events[0]) if ds.events else None  # the id -> position map the list uses
            index.build_text_index()

        self.run_worker(build, thread=True, group="warm-search", name="warm-search")

    def action_command_palette(self) -> None:
        """Our palette (`screens.palette`): an Enter typed with the search waits for its answer."""
        from textual.command import CommandPalette

        from briefing.tui.screens.palette import Palette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]  # App[int]
            self.push_screen(Palette(id="--command-palette"))

    # -- keys that arrive in a burst ------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if event.key == "ctrl+j" and not self._binds("ctrl+j"):
            # A line feed is an Enter: keys typed before the terminal was made raw had their
            # Enter turned into one by the tty (ICRNL), and readline takes ctrl+j so too.
            event = events.Key("enter", "\r")
        if (after := _after_escape(event.key)) is not None and not self._binds(event.key):
            # Escape and a key that arrive together (a burst, a slow link) reach us as alt+key:
            # the Escape first, then the key once the Escape has been acted on.  An Escape that
            # closes an input holds what follows until the input lets go (`INPUT_CLOSERS`);
            # any other is given `ESCAPE_SETTLES` (it runs on its screen's queue, not here).
            await self._key(events.Key("escape", "\x1b"))
            if self._held is not None:
                self._held.append(after)
            else:
                self._held, self._held_for = [after], "escape"
                self._hold_timer = self.set_timer(ESCAPE_SETTLES, self.release_keys)
            return
        await self._key(event)

    async def _key(self, event: events.Key) -> None:
        """A key as it arrives: held behind an action that must finish first (HOLD_AFTER), or
        acted on now, holding the keys after it when it is such an action."""
        if self._held is not None:
            if self._held_for == "write" and self._cancels(event.key):
                # the export's escape closes its dialog while the file is written (minutes at a
                # million events); its cancel lets the keys held behind enter go to the list
                await super().on_event(event)
                return
            self._held.append(event)
            return
        hold = self._holds_keys(event.key)
        if hold is not None:  # set before the action runs: it may let the keys go at once
            self._held, self._held_for = [], hold
            self._hold_timer = self.set_timer(HOLD_LIMIT, self.release_keys)
        await super().on_event(event)

    def _binding(self, key: str) -> ActiveBinding | None:
        """What the screen binds this key to, if anything (None with no screen yet, or one closing)."""
        try:
            return self.screen.active_bindings.get(key)
        except Exception:  # noqa: BLE001 - no screen yet, or one closing
            return None

    def _binds(self, key: str) -> bool:
        """Whether the screen binds this key itself (a `[keys]` table may bind ctrl+j)."""
        return self._binding(key) is not None

    def _cancels(self, key: str) -> bool:
        active = self._binding(key)
        return active is not None and active.enabled and active.binding.action == "cancel"

    def _holds_keys(self, key: str) -> str | None:
        """The action this key runs, when the next keys must wait for it (HOLD_AFTER)."""
        active = self._binding(key)
        if active is None or not active.enabled:
            return None
        action = active.binding.action
        if isinstance(self.focused, Input):  # typed into the input, unless it closes the input
            return action if action in INPUT_CLOSERS else None
        return action if action in HOLD_AFTER else None

    def keep_holding(self) -> None:
        """The held keys wait past the hold's limit: for an answer that may take longer (a
        filter applied on a big dataset), whose caller lets them go (`release_keys`)."""
        if self._held is not None and self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None

    def release_opened(self) -> None:
        """`release_keys` when the keys are held behind an action that opens a screen
        (`OPENERS`): a screen appearing for another reason leaves them held."""
        if self._held is not None and self._held_for in OPENERS:
            self.release_keys()

    def release_keys(self) -> None:
        """Let held keys go to where the keyboard is now (call once focus has moved).

        Focus moves through `call_later`, so this queues behind it; the keys are posted again in
        the order they came, ahead of any that arrive later."""
        self.call_later(self._replay_keys)

    def _replay_keys(self) -> None:
        held, self._held = self._held, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if self._exit:  # quitting: keys for a closing app go nowhere
            return
        for key in held or ():
            self.post_message(events.Key(key.key, key.character))

    # -- background loading ----------------------------------------------------------------------
    def _start_loading(self) -> None:
        self.run_worker(self._load, thread=True, exclusive=True, group="load", name="load", exit_on_error=False)

    def _to_ui(self, callback, *args) -> None:
        """call_from_thread, unless the app has stopped meanwhile (quit while loading)."""
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:
            pass  # the app is no longer running: nothing to show it in

    def _load(self) -> None:
        """In a worker thread: the whole dataset, progress marshalled to the UI (at most ~10 a second)."""
        last = [0.0]

        def progress(done: int, total: int, partial: object = None) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.1 and done < total:
                last[0] = now
                self._to_ui(self._progress, done, total)

        assert self._loader is not None  # only started with a loader
        try:
            ds = self._loader(progress)
        except Exception as exc:  # noqa: BLE001 - reported on stderr after the app exits
            if not self.is_running:
                return
            from briefing.problems import DataError

            lines = exc.lines() if isinstance(exc, DataError) else [f"loading failed: {exc}"]
            self._to_ui(self._load_failed, list(lines))
            return
        self._to_ui(self._loaded, ds)

    def _progress(self, done: int, total: int) -> None:
        if self.load_progress is not None:
            self.load_progress = (done, total)
            self._refresh_header()

    def _load_failed(self, lines: list[str]) -> None:
        self.load_error = lines
        self.exit(return_code=2)

    def _loaded(self, ds: Dataset) -> None:
        """Swap in the whole dataset: counts, the event list through the filter in force."""
        self.ds = ds
        self._pinned = _pin_ledger(self._pinned, ds)
        self.counts = {**_counts(ds), **({"stale": 1} if self._files_said else {})}
        self.countries = ds.countries()
        self.load_progress = None
        main = self.main_screen
        if main is not None and main.is_mounted:
            main.dataset_replaced()
        self._refresh_header()
        self.warm_search(ds)
        self._start_up_done()

    def _refresh_header(self) -> None:
        from textual.app import ScreenStackError

        try:
            current = self.screen
        except ScreenStackError:  # shutting down
            return
        for screen in (current, self.main_screen):
            update = getattr(screen, "update_header", None)
            if update is not None and screen is not None and screen.is_mounted:
                update()

    # -- themes ----------------------------------------------------------------------------------
    def _add_spec(self, spec: ThemeSpec) -> None:
        self.specs[spec.name] = spec
        self.register_theme(to_textual(spec))

    def all_specs(self) -> dict[str, ThemeSpec]:
        """Every usable theme (bundled and the user's), registered with Textual on first use;
        one Textual could not apply is left out (start-up has reported it)."""
        from briefing.themes import ThemeError
        from briefing.tui.theming import check

        if not self._all_specs_loaded:
            self._all_specs_loaded = True
            for name, spec in themes.available().items():
                if name not in self.specs:
                    try:
                        check(spec)
                    except ThemeError:
                        continue
                    self._add_spec(spec)
        return self.specs

    def watch_theme(self, name: str) -> None:
        spec = self.specs.get(name)
        if spec is None:  # one of Textual's own themes, picked from its palette
            spec = ThemeSpec(name, dark=self.current_theme.dark)
        self.spec = spec
        self._fit_no_color_filter()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for cmd in super().get_system_commands(screen):
            if "theme" in cmd.title.casefold():
                yield SystemCommand("Theme", "Pick a theme (previewed as you move)", self.action_pick_theme)
            elif cmd.title == "Keys":  # Textual's side panel, which escape did not close: our help instead
                yield SystemCommand("Keys", "Every key, and how to rebind it (the ? key)", self.action_show_help)
            else:
                yield cmd

    # -- screenshot (palette) ---------------------------------------------------------------------
    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """An SVG of the screen, saved where the user keeps downloads (XDG), else in the
        current directory, and the notification says where, or why it could not be saved.
        Textual's own aimed at ~/Downloads and failed without a word when it was missing."""
        from textual.app import generate_datetime_filename  # type: ignore[attr-defined]  # not in textual.app's API

        from briefing.export.atomic import write_atomic

        name = filename or generate_datetime_filename(self.title, ".svg", time_format)
        folder = path or screenshot_dir()
        target = os.path.join(folder, name)
        try:
            svg = self.export_screenshot()
            write_atomic(target, lambda f: f.write(svg))
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.notify(
                f"Screenshot not saved: {one_line(target)}: {one_line(reason)}",
                severity="error",
                markup=False,
                timeout=8,
            )
            return None
        self.notify(f"Screenshot saved to {one_line(target)}", markup=False, timeout=8)
        return target

    # -- actions ---------------------------------------------------------------------------------
    def action_show_help(self) -> None:
        from briefing.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())

    def action_pick_theme(self) -> None:
        from briefing.tui.screens.theme_picker import ThemePicker

        if not isinstance(self.screen, ThemePicker):
            self.push_screen(ThemePicker(sorted(self.all_specs()), self.theme), self._theme_chosen)

    def _theme_chosen(self, name: str | None) -> None:
        """Keep the picked theme for the next start: `theme = ...` in the config file."""
        if not name:
            return
        try:
            from briefing.tui.theming import save_choice

            path = save_choice(name)
        except OSError as exc:
            self.notify(
                f"Theme {one_line(name)} for now; could not save it: {one_line(exc.strerror or exc)}",
                severity="warning",
                markup=False,
            )
            return
        self.notify(f"Theme {one_line(name)} saved in {one_line(path)}", markup=False)

    def _show_mode(self, mode: str) -> None:
        """Switch to a mode where you left it; asked again from inside it, back to its list."""
        if self.current_mode == mode:
            while len(self.screen_stack) > 1:
                self.pop_screen()
        else:
            self.switch_mode(mode)

    def action_show_events(self) -> None:
        self._show_mode("events")

    def _still_loading(self) -> bool:
        # The first page has no actors or sources: their lists wait for the whole dataset.
        if self.load_progress is None:
            return False
        self.notify("Still loading; actors and sources in a moment", markup=False)
        return True

    def action_show_actors(self) -> None:
        if not self._still_loading():
            self._show_mode("actors")

    def action_show_sources(self) -> None:
        if not self._still_loading():
            self._show_mode("sources")

    def action_show_trends(self) -> None:
        """Trends for the event list's filter in force (see screens/trends.py); on an actor's or
        a source's screen, of what it shows (QA s18: the list's old filter, where the status
        line named the actor's)."""
        from briefing.tui.screens.base import BaseScreen
        from briefing.tui.screens.trends import TrendsScreen

        if isinstance(self.screen, TrendsScreen) or self._still_loading():
            return
        own = self.screen.own_query() if isinstance(self.screen, BaseScreen) else None
        if own is not None:
            self.push_screen(TrendsScreen(own))
            return
        main = self.main_screen
        if main is not None and main.filter_error is not None:  # as `x` refuses: no events shown
            self.notify(
                "The filter is invalid: no events shown, no trends (/ to fix it)", severity="warning", markup=False
            )
            self.release_keys()
            return
        self.push_screen(TrendsScreen(main.query_text if main is not None else ""))

    async def action_filter_events(self) -> None:
        """`/` on a screen with no list to filter (an event, an actor, a source, Trends): back
        to the event list, its filter open, as `/` there does."""
        from briefing.tui.screens.trends import TrendsScreen

        if isinstance(self.screen, TrendsScreen):  # opened from any mode: leave no Trends behind
            await self.pop_screen()
        if self.current_mode != "events":
            await self.switch_mode("events")
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        main = self.main_screen
        if main is not None:
            await main.action_open_filter()

    def narrow_to(self, query: str) -> None:
        """Back to the event list, filtered by `query` (a row picked in Trends)."""
        from briefing.tui.screens.trends import TrendsScreen

        main = self.main_screen
        if isinstance(self.screen, TrendsScreen):  # opened from any mode: leave no Trends behind
            self.pop_screen()
        self._show_mode("events")  # in the events mode already: back down to the list
        if main is not None:
            main.set_filter(query)

    def go_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "events":
            self.switch_mode("events")

    # -- navigation ------------------------------------------------------------------------------
    @property
    def main_screen(self):
        from briefing.tui.screens.main import MainScreen

        for s in self._screen_stacks.get("events", []):
            if isinstance(s, MainScreen):
                return s
        return None

    def open_record(self, kind: str, record_id: str, *, from_palette: bool = False) -> None:
        """Open an event, actor or source on the current stack; `filter` sets the event filter."""
        ds = self.ds
        if kind == "event":
            from briefing.tui.screens.event_detail import EventDetailScreen

            event = ds.event(record_id)
            if event is None:
                self.notify(f"No event with id {one_line(record_id)}", severity="warning", markup=False)
                return
            self.push_screen(EventDetailScreen(event))
            main = self.main_screen
            if from_palette and main is not None and main.query_text and not _matches(main.query_text, ds, event):
                self.notify(
                    f"“{one_line(event.title)}” is outside the current filter ({one_line(main.query_text)})",
                    markup=False,
                )
        elif kind == "actor":
            from briefing.tui.screens.actor import ActorScreen

            actor = ds.actor(record_id)
            if actor is None:
                self.notify(f"No actor with id {one_line(record_id)}", severity="warning", markup=False)
                return
            self.push_screen(ActorScreen(actor))
        elif kind == "source":
            from briefing.tui.screens.source import SourceScreen

            source = ds.source(record_id)
            if source is None:
                self.notify(f"No source with id {one_line(record_id)}", severity="warning", markup=False)
                return
            self.push_screen(SourceScreen(source))
        elif kind == "filter":
            self.switch_mode("events")
            while len(self.screen_stack) > 1:
                self.pop_screen()
            main = self.main_screen
            if main is not None:
                main.set_filter(record_id)

    def on_open_record(self, message: OpenRecord) -> None:  # from any LinkList, bubbled up
        self.open_record(message.kind, message.record_id)


def screenshot_dir() -> str:
    """The user's download folder as XDG names it (XDG_DOWNLOAD_DIR, or user-dirs.dirs), or
    ~/Downloads, when it exists; else the current directory."""
    home = os.path.expanduser("~")
    candidates = [os.environ.get("XDG_DOWNLOAD_DIR", "")]
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    try:
        with open(os.path.join(config, "user-dirs.dirs"), encoding="utf-8") as fh:
            for line in fh:
                key, _, value = line.strip().partition("=")
                if key == "XDG_DOWNLOAD_DIR":
                    candidates.append(value.strip('"').replace("$HOME", home))
    except OSError:
        pass
    candidates.append(os.path.join(home, "Downloads"))
    for folder in candidates:
        if folder and os.path.isdir(folder):
            return folder
    return os.getcwd()


def _pin_ledger(pinned: str | None, ds: Dataset | None) -> str | None:
    """The sync ledger read as it was when ds was loaded, for as long as the app shows it
    (`ledger.pin`: a sync in another shell meanwhile changes no mark, diff or `changed:`
    here); the root pinned before, let go.  The root now pinned."""
    from briefing.ledger import pin, unpin

    unpin(pinned)
    root = getattr(ds, "root", None) if ds is not None else None
    pin(root)
    return root


def _counts(ds: Dataset) -> dict[str, int]:
    """The header's counts, with the records a load that skipped the invalid ones left out."""
    # "≥12 skipped" when an export refused whole was not read to its end
    return {**ds.counts(), "skipped": ds.skipped, "skipped_floor": uncounted_files(ds.problems) if ds.skipped else 0}


def _matches(query: str, ds: Dataset, event) -> bool:
    from briefing.filters import FilterError, parse

    try:
        return parse(query).matcher(ds)(event)
    except FilterError:
        return True


def make_app(
    dataset: Dataset,
    *,
    theme: str | ThemeSpec | None = None,
    theme_note: str | None = None,
    query: str = "",
    data_arg: str | None = None,
    skip_invalid: bool = False,
    loader: Callable[[Callable[..., None]], Dataset] | None = None,
) -> BriefingApp:
    """The app for a dataset.  theme: a spec, a name (unknown: ThemeError listing valid
    names), or None for the usual order (config, TEXTUAL_THEME, NO_COLOR gives mono).
    theme_note: what to say of a spec's choice (`themes.load_noted`), when theme is a spec.
    loader: see BriefingApp (`dataset` is then the first page, the rest loads behind it)."""
    spec, note = (theme, theme_note) if isinstance(theme, ThemeSpec) else themes.load_noted(theme)
    app = BriefingApp(dataset, spec=spec, query=query, data_arg=data_arg, skip_invalid=skip_invalid, loader=loader)
    app.theme_note = note
    return app
