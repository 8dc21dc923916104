"""Rich renderables shared by the brief and the TUI panes (headless: no Textual here).

Every record string enters a renderable through `briefing.render.text.safe`, which cleans it
at the display boundary and wraps it in `rich.text.Text` so that markup in a record is shown,
never interpreted.
"""
