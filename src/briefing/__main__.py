from briefing.cli import entry

entry()
