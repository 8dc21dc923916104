"""`python -m briefing`: as the `briefing` command.

`-m` puts the working directory first on the import path, so a `json.py`, `sqlite3.py` or
`rich/` in the folder the tool runs in would be imported in place of the real one (the
`briefing` command, a console script, puts its own folder there instead).  The data folder
is no code: the working directory goes off the path before anything else is imported.  A
`briefing/` package in the working directory is found before this file runs; nothing here
can stop that (`python -P -m briefing`, or the `briefing` command, does)."""

import os
import sys

try:
    _here: str | None = os.getcwd()
except OSError:  # the working directory is gone: nothing can be imported from it
    _here = None
if not getattr(sys.flags, "safe_path", False) and sys.path and sys.path[0] in ("", os.curdir, _here):
    del sys.path[0]

from briefing.cli import entry

entry()
