"""The command line equivalent to what a screen shows, so what a user finds they can script."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.display import command_line


def brief_command(query: str = "", *, event: str | None = None, flags: Sequence[str] = ()) -> str:
    """`briefing brief --filter 'country:Tajikistan disputed'`, each word shell-quoted; flags:
    those that chose the data (`BriefingApp.data_flags`)."""
    parts = ["briefing", "brief", *flags]
    if event:
        parts += ["--event", event]
    if query:
        parts += ["--filter", query]
    return command_line(parts)
