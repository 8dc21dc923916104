"""The interactive browser (`briefing` with no subcommand), built on Textual.

`briefing.tui.app.make_app` is the one factory the CLI and every test use.  Nothing here is
imported by the other subcommands, so `briefing brief` never pays for Textual.
"""
