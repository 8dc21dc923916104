"""The command line equivalent to what a screen shows, so what a user finds they can script."""

from __future__ import annotations

from briefing.display import command_line


def brief_command(query: str = "", *, event: str | None = None, data: str | None = None) -> str:
    """`briefing brief --filter 'country:Tajikistan disputed'`, each word shell-quoted."""
    parts = ["briefing", "brief"]
    if data:
        parts += ["--data", data]
    if event:
        parts += ["--event", event]
    if query:
        parts += ["--filter", query]
    return command_line(parts)
