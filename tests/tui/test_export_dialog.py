"""The export dialog (`x`) at 80x24: the proposed file name is on screen and editable in place,
j/k move in the format list, and the keys the dialog lists are the keys it has.

QA saw the name row drawn as two border lines with no text row, a hidden default path, and
typed text appended to it (`<cwd>/briefing-….json/tmp/qa/out.json: cannot write`).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList

from briefing.filters import parse
from briefing.tui import keys
from briefing.tui.app import make_app
from briefing.tui.screens.export_dialog import ExportDialog
from briefing.tui.screens.help import keys_table
from tui_helpers import aio, screen_text, type_text

QUERY = "country:Tajikistan"


async def _open_format(pilot, app, *moves: str) -> Input:
    """`x`, the given moves in the format list, `enter`: the dialog's file-name input."""
    await pilot.pause()
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(app.screen, ExportDialog)
    await pilot.press(*moves, "enter")
    await pilot.pause()
    return app.screen.query_one("#export-path", Input)


async def _wait_written(pilot, app, target: Path) -> None:
    for _ in range(60):
        await pilot.pause(0.05)
        if target.exists() and not isinstance(app.screen, ExportDialog):
            return


def _key_bar(app) -> str:
    return screen_text(app).splitlines()[-1]


@aio
async def test_the_proposed_name_is_shown_and_typing_a_path_writes_exactly_that_file(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the proposal is a new file in the current directory
    want = [e.id for e in parse(QUERY).apply(bundled_ds)]
    target = tmp_path / "out" / "view.json"
    target.parent.mkdir()
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        path = await _open_format(pilot, app)
        assert path.has_focus
        assert path.content_region.height >= 1, path.region  # a text row, not two border lines
        proposed = path.value
        assert os.path.dirname(proposed) == str(tmp_path) and proposed.endswith(".json")
        assert os.path.basename(proposed) in screen_text(app)  # the user sees what enter would write
        assert (path.selection.start, path.selection.end) == (0, len(proposed))  # typing replaces it
        await type_text(pilot, str(target))
        await pilot.pause()
        assert path.value == str(target)
        assert "view.json" in screen_text(app)
        await pilot.press("enter")
        await _wait_written(pilot, app, target)
        assert [e["id"] for e in json.loads(target.read_text())["events"]] == want
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing at the proposed name


@aio
async def test_the_proposed_name_can_be_edited_in_place(bundled_ds, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        path = await _open_format(pilot, app, "down", "down")  # csv
        proposed = path.value
        assert proposed.endswith(".csv")
        await pilot.press("end", *["backspace"] * len(".csv"))
        await type_text(pilot, "-mine.csv")
        await pilot.pause()
        target = Path(proposed[: -len(".csv")] + "-mine.csv")
        assert target.name in screen_text(app)
        await pilot.press("enter")
        await _wait_written(pilot, app, target)
        assert [p.name for p in tmp_path.iterdir()] == [target.name]


@aio
async def test_j_and_k_move_in_the_format_list_and_type_in_the_name(bundled_ds, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        formats = app.screen.query_one(OptionList)
        assert formats.highlighted == 0
        await pilot.press("j", "j", "j")
        assert formats.highlighted == 3
        await pilot.press("k")
        assert formats.highlighted == 2
        await pilot.press("enter")
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input)
        assert path.has_focus and path.value.endswith(".csv")
        await pilot.press("j", "k")  # in the name they are letters
        assert path.value == "jk" and formats.highlighted == 2


@aio
async def test_the_dialog_key_bar_and_help_list_its_real_keys(bundled_ds, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    listed = {key for k in keys.KEYS["export"] for key in k.keys.split(",")}
    assert {"j", "k", "down", "up", "enter", "escape"} <= listed
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        bar = _key_bar(app)
        for word in ("j k move", "⏎ choose", "esc cancel"):
            assert word in bar, (word, bar)
        await pilot.press("enter")
        await pilot.pause()
        bar = _key_bar(app)
        assert "⏎ write" in bar and "esc cancel" in bar, bar
        assert "move" not in bar and "choose" not in bar, bar  # in the name, j and k are letters
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(keys_table("export"))
    help_text = console.export_text()
    for shown in ("j  down", "k  up", "enter", "escape"):
        assert shown in help_text, (shown, help_text)


@aio
async def test_back_in_the_list_another_format_proposes_its_name_but_keeps_a_typed_one(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        path = await _open_format(pilot, app)  # json
        await pilot.press("shift+tab", "j", "enter")  # back to the list: jsonl
        await pilot.pause()
        assert path.has_focus and path.value.endswith(".jsonl")
        await type_text(pilot, "mine.txt")
        await pilot.press("shift+tab", "j", "enter")  # csv: the typed name stays
        await pilot.pause()
        assert path.value == "mine.txt" and app.screen.fmt == "csv"


@aio
async def test_enter_again_while_writing_writes_once_and_escape_lets_the_write_finish(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large export takes seconds: a second enter used to start a second write (which then
    found the first's file and reported an error on a closed dialog); escape during the write
    closed the dialog under the thread.  One write, one notice, the app still running."""
    import threading

    from briefing.tui.screens import export_dialog

    monkeypatch.chdir(tmp_path)
    release = threading.Event()
    calls: list[str] = []
    real = export_dialog.export_events

    def slow(ds, events, query, fmt, path, *flags) -> None:
        calls.append(path)
        release.wait(5)
        real(ds, events, query, fmt, path, *flags)

    monkeypatch.setattr(export_dialog, "export_events", slow)
    target = tmp_path / "view.json"
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_format(pilot, app)
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert calls == [str(target)]
        assert "writing" in screen_text(app)
        assert "enter write" not in _key_bar(app)  # the key bar no longer offers it
        await pilot.press("escape")  # the write goes on; the dialog closes
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ExportDialog)
        release.set()
        for _ in range(60):
            await pilot.pause(0.05)
            if target.exists() and app._notifications:
                break
        assert calls == [str(target)]
        assert json.loads(target.read_text())["events"]
        notes = [n.message for n in app._notifications]
        assert any(m.startswith("Wrote ") for m in notes) and not any("exists" in m for m in notes), notes
        assert app.is_running and not isinstance(app.screen, ExportDialog)


@aio
async def test_an_empty_name_or_another_formats_extension_is_said_not_ignored(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: enter on an empty name did nothing (the last message stayed), and `q.jsonl` with the
    json format wrote a JSON document under a JSON Lines name, unsaid."""
    monkeypatch.chdir(tmp_path)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(100, 24)) as pilot:
        await _open_format(pilot, app)  # json
        await pilot.press("ctrl+u", "enter")
        await pilot.pause()
        assert "give the file a name" in screen_text(app), screen_text(app)
        await type_text(pilot, str(tmp_path / "q.jsonl"))
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ExportDialog)
        assert "q.jsonl is named for jsonl" in " ".join(screen_text(app).split()), screen_text(app)
        assert not (tmp_path / "q.jsonl").exists()
        await pilot.press("ctrl+u")
        await type_text(pilot, str(tmp_path / "reports") + "/")  # QA s12: wrote a file `reports`
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ExportDialog)
        assert "reports/ names a folder" in " ".join(screen_text(app).split()), screen_text(app)
        assert not (tmp_path / "reports").exists()


@aio
async def test_the_dialogs_fit_a_40_column_terminal(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: at 40x12 the export box (72 wide) and the theme picker (44) ran past the screen's
    right edge: no right border, the proposed file name's extension cut off."""
    from textual.containers import Vertical

    monkeypatch.chdir(tmp_path)
    app = make_app(bundled_ds, theme="briefing-dark")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        for key in ("x", "T"):
            await pilot.press(key)
            await pilot.pause()
            box = app.screen.query_one(Vertical)
            assert box.region.x >= 0 and box.region.right <= 40, (key, box.region)
            await pilot.press("escape")
            await pilot.pause()


@aio
async def test_a_name_typed_in_the_same_burst_as_enter_goes_into_the_name(
    bundled_ds, tmp_path: Path, monkeypatch
) -> None:
    # What a user saw (QA, TUI round 2): over SSH, `enter` on the format and the name's first
    # letters came in one read; the letters still went to the format list, whose `q` quits:
    # typing `iraq.csv` fast ended the session, and other letters vanished.
    from textual import events

    monkeypatch.chdir(tmp_path)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x", "j", "j")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        for key, char in [("enter", "\r"), ("i", "i"), ("r", "r"), ("a", "a"), ("q", "q"), ("full_stop", ".")]:
            app.post_message(events.Key(key, char))  # one read: nothing handled in between
        for c in "csv":
            app.post_message(events.Key(c, c))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ExportDialog)
        path = app.screen.query_one("#export-path", Input)
        assert path.has_focus and path.value == "iraq.csv", path.value
        await pilot.press("enter")
        await _wait_written(pilot, app, tmp_path / "iraq.csv")
        assert (tmp_path / "iraq.csv").read_text().startswith("id,")


@aio
async def test_keys_in_the_same_burst_after_enter_are_not_typed_into_the_name_written(
    bundled_ds, tmp_path: Path, monkeypatch
) -> None:
    """QA s9: `enter j j` in one read (a laggy link, j j to go back down the list) wrote
    `o1.jsonljj`: the dialog's enter runs once the key has bubbled up, after the input had
    typed the keys behind it.  Enter writes the name shown when it was pressed; the keys
    behind it wait, then go to the list."""
    from textual import events

    from briefing.tui.widgets.event_list import EventList

    target = tmp_path / "o1.jsonl"
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        path = await _open_format(pilot, app, "j")
        path.value = str(target)
        await pilot.pause()
        for key, char in [("enter", "\r"), ("j", "j"), ("j", "j")]:
            app.post_message(events.Key(key, char))  # one read: nothing handled in between
        await _wait_written(pilot, app, target)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert [p.name for p in tmp_path.iterdir()] == ["o1.jsonl"]
        assert not isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(EventList).cursor == 2  # the j j, on the list


@aio
async def test_a_long_export_says_how_far_it_has_got(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA (100k events): the dialog said `writing…` and nothing more for the seconds an export
    takes.  It now says how many events the format has read, twice a second."""
    import threading

    from briefing.tui.screens import export_dialog

    monkeypatch.chdir(tmp_path)
    halfway = threading.Event()
    release = threading.Event()
    real = export_dialog.export_events

    def slow(ds, events, query, fmt, path, *flags) -> None:
        class Stalled:  # reads half the events, then waits
            def __init__(self) -> None:
                self.n = len(events)

            def __len__(self) -> int:
                return self.n

            def __getitem__(self, i):
                return events[i]

            def __iter__(self):
                for i, e in enumerate(events):
                    if i == self.n // 2:
                        halfway.set()
                        release.wait(5)
                    yield e

        real(ds, Stalled(), query, fmt, path, *flags)

    monkeypatch.setattr(export_dialog, "export_events", slow)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(100, 24)) as pilot:
        await _open_format(pilot, app)
        await type_text(pilot, str(tmp_path / "half.json"))
        await pilot.press("enter")
        for _ in range(40):
            await pilot.pause(0.05)
            if halfway.is_set():
                break
        await pilot.pause(0.7)
        import re

        said = re.search(r"writing… (\d+) of (\d+) events read(, pass \d)?", " ".join(screen_text(app).split()))
        n = len(app.screen.events)
        assert said is not None and int(said[2]) == n, screen_text(app)
        # QA (regression pass): JSON of a selection reads it three times, and the count ran to
        # three times the events exported; it is now the pass under way's (here the first)
        assert n // 2 <= int(said[1]) <= n and said[3] is None, screen_text(app)
        release.set()
        for _ in range(60):
            await pilot.pause(0.05)
            if (tmp_path / "half.json").exists() and not isinstance(app.screen, ExportDialog):
                break
        assert json.loads((tmp_path / "half.json").read_text())["events"]


def test_a_tally_counts_the_pass_under_way() -> None:
    """The count the dialog shows never passes the events exported: each pass starts again at
    0 and is numbered (JSON of a selection reads the events three times)."""
    from briefing.export import Tally

    tally = Tally(list(range(5)))  # type: ignore[arg-type]
    for k in (1, 2, 3):
        seen = 0
        for _ in tally:
            seen += 1
            assert tally.read == seen and tally.passes == k
    assert (tally.read, tally.passes, len(tally), tally[2]) == (5, 3, 5, 2)


@aio
async def test_a_fifo_is_no_new_file_for_the_dialog(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA s12: the dialog streamed into a FIFO nobody read ("writing… 0 of 40"), and `q` then
    left a blank screen until ctrl-c (the app waited on the write).  The dialog writes a new
    file: a FIFO (or a terminal) at the name is refused as any existing name is."""
    monkeypatch.chdir(tmp_path)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(100, 24)) as pilot:
        path = await _open_format(pilot, app)  # json
        path.value = str(fifo)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        notes = " ".join(n.message for n in app._notifications) + screen_text(app)
        assert "already exists" in " ".join(notes.split()), notes
    assert fifo.exists() and not fifo.is_file()


@aio
async def test_a_dangling_link_is_said_to_lead_nowhere_in_the_dialog(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA s15: a link to no file was said to "already exist" in the dialog, where the CLI says
    where it leads."""
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "dl.json"
    link.symlink_to("nothere.json")
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(140, 24)) as pilot:
        path = await _open_format(pilot, app)  # json
        path.value = str(link)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        said = "".join((" ".join(n.message for n in app._notifications) + screen_text(app)).replace("│", "").split())
        assert "".join(f"{link} is a link to {tmp_path / 'nothere.json'}, which does not exist".split()) in said, said
        assert "alreadyexists" not in said
    assert not (tmp_path / "nothere.json").exists()


@aio
async def test_a_markdown_export_names_commands_that_read_the_same_events_as_the_cli_s(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA s13: the dialog's Markdown named `briefing export --table counts --by actor` with no
    filter and no data folder, where the CLI's names them with both: run as written, it
    printed tables of all the data.  The file is the CLI's, but for the time it was made."""
    import re

    from testkit import BUNDLED, run_cli

    monkeypatch.chdir(tmp_path)
    target = tmp_path / "view.md"
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY, data_arg=str(BUNDLED))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_format(pilot, app, "down", "down", "down")  # json, jsonl, csv, md
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await _wait_written(pilot, app, target)
    cli = run_cli("export", "--data", str(BUNDLED), "--format", "md", "--filter", QUERY)
    assert cli.returncode == 0, cli.stderr
    made = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?\S*")
    ours, theirs = made.sub("TIME", target.read_text()), made.sub("TIME", cli.stdout)
    assert "--filter country:Tajikistan" in ours and ours == theirs


@aio
async def test_the_next_export_is_proposed_in_the_folder_of_the_last(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA s15 (W5): over SSH the dialog proposed the current folder (a git checkout) every time,
    so each export meant typing the folder again.  After one export, the next proposal is a new
    name in the folder the last one went to; the first is still in the current folder."""
    monkeypatch.chdir(tmp_path)
    first = tmp_path / "reports" / "one.csv"
    first.parent.mkdir()
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        path = await _open_format(pilot, app, "j", "j")
        assert os.path.dirname(path.value) == str(tmp_path)
        await type_text(pilot, str(first))
        await pilot.press("enter")
        await _wait_written(pilot, app, first)
        assert first.exists()
        path = await _open_format(pilot, app)
        proposed = path.value
        assert os.path.dirname(proposed) == str(first.parent) and proposed.endswith(".json"), proposed
        assert not os.path.exists(proposed)


@aio
async def test_a_bare_name_gets_the_formats_extension_and_the_notice_its_whole_path(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a user saw (QA s17, over SSH): typing `weekly` for a CSV wrote `./weekly`, and the
    # notice said "to weekly": which folder, to `scp` it from, was left to guess.
    monkeypatch.chdir(tmp_path)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    notes: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(str(message)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_format(pilot, app)
        await type_text(pilot, "weekly")
        await pilot.press("enter")
        await _wait_written(pilot, app, tmp_path / "weekly.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weekly.json"]
    assert any(m.endswith(f" to {tmp_path / 'weekly.json'}") for m in notes), notes


@aio
async def test_a_folder_named_with_control_bytes_is_not_drawn_in_the_name_field(
    bundled_ds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a user saw (QA s17, hostile): started in a folder whose name holds ESC, C1 and
    # newline bytes, the dialog's proposed name drew them raw: the terminal acted on them.
    folder = tmp_path / "d\x1b[31mX\x9b\n\u202ey"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = make_app(bundled_ds, theme="briefing-dark", query=QUERY)
    async with app.run_test(size=(80, 24)) as pilot:
        path = await _open_format(pilot, app)
        assert path.value.isprintable() and os.sep not in path.value, path.value  # the name alone
        await pilot.press("enter")
        await _wait_written(pilot, app, folder / path.value)
    assert [p.name for p in folder.iterdir()] == [path.value]
