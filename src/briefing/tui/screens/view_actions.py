"""What the event list's `o`, `x`, `y` and `Y` do with the events shown (the MainScreen's
actions call these; kept apart so the screen stays about layout and filtering).

Copying goes out as OSC 52, the escape sequence that asks the terminal to set the clipboard;
it works over SSH in terminals that allow it (kitty, iTerm2, WezTerm, foot, tmux with
`set-clipboard on`), but no terminal answers, so the notification says it cannot be confirmed.
"""

from __future__ import annotations

from typing import Any

from briefing.display import counted, one_line

CLIPBOARD_NOTE = "sent to the terminal's clipboard (OSC 52; whether the terminal allowed it cannot be confirmed)"


def cycle_sort(screen: Any) -> None:
    from briefing.sorting import SORTS, next_sort

    lst = screen.event_list
    by = next_sort(lst.sort_by)
    screen.resort(by)  # the main screen (the one with `o`) asks its index for the order
    if screen.wide:
        screen._update_preview()
    screen.app.notify(f"Sorted by {by}: {SORTS[by]}", markup=False, timeout=3)


def export(screen: Any) -> None:
    from briefing.tui.screens.export_dialog import ExportDialog

    events = screen.event_list.events
    if not events:
        screen.app.notify("No events shown: nothing to export", severity="warning", markup=False)
        getattr(screen.app, "release_keys", lambda: None)()
        return
    # the list's own sequence: a view's matches are read by the export's worker, a chunk at a
    # time, not copied here on the UI thread (every event shown, before the dialog is drawn)
    screen.app.push_screen(ExportDialog(screen.app.ds, events, screen.query_text))


def copy_id(screen: Any, event: Any) -> None:
    """`y`: the event's id (the list's highlighted one, or the detail's) to the clipboard."""
    if event is None:
        screen.app.notify("No event highlighted", severity="warning", markup=False)
        return
    screen.app.copy_to_clipboard(event.id)
    screen.app.notify(f"{one_line(event.id)}: {CLIPBOARD_NOTE}", markup=False, timeout=6)


def claims_text(ds: Any, event: Any) -> tuple[str, int, int]:
    """The event's killed claims, one a line, each group's current ones first, then the ones
    revised or withdrawn since, marked as the Markdown export marks them:
    `≥10 security-forces killed, per Islamic State (Amaq)`, `3 killed, per Police (AFP)
    (superseded, 2023-01-06)`; each of claims that cannot all be true starts with the list's `! `, whose
    meaning a last line says.  Record text passes the display boundary: the clipboard's text
    is pasted into terminals too.  Also how many lines are current, and how many old."""
    from briefing.compare import compare, quantity
    from briefing.render.figures import old_mark

    def line(f: Any, old: bool, disputed: bool = False) -> str:
        carried = ds.source_name(f.source)
        if f.via:
            carried += f", via {ds.source_name(f.via)}"
        subject = "" if f.subject == "total" else f" {f.subject}"
        # "killed" said on each line: pasted in a chat, "17, per …" said not what was counted (QA s13)
        said = f"{quantity(f)}{subject} killed, per {ds.actor_name(f.claimed_by)} ({carried})"
        return ("! " if disputed else "") + one_line(said + (old_mark(f) if old else ""))

    current: list[str] = []
    old: list[str] = []
    comparisons = compare(f for f in event.figures if f.metric == "killed")
    for c in comparisons:
        # claims that cannot all be true keep the list's `!` once pasted (QA s12: they read as
        # plain lines, the dispute gone), and the mark is said under them: a paste has no help
        current += [line(f, False, c.disputed) for f in c.claims]
        old += [line(f, True) for f in c.superseded]
    legend = [DISPUTED_LEGEND] if any(c.disputed for c in comparisons) else []
    return "\n".join(current + old + legend), len(current), len(old)


DISPUTED_LEGEND = "(! claims that cannot all be true)"


def copy_claims(screen: Any, event: Any) -> None:
    """`Y`: the event's killed claims, each with who claimed it and the source."""
    if event is None:
        screen.app.notify("No event highlighted", severity="warning", markup=False)
        return
    text, current, old = claims_text(screen.app.ds, event)
    if not text:
        screen.app.notify(f"{one_line(event.id)} has no killed claims to copy", markup=False)
        return
    screen.app.copy_to_clipboard(f"{one_line(event.id)}: {one_line(event.title)}\n{text}")
    what = counted(current, "current claim") + (f" and {old} superseded or withdrawn" if old else "")
    screen.app.notify(f"{what} of {one_line(event.id)}: {CLIPBOARD_NOTE}", markup=False, timeout=6)
