"""Where the data and theme files are: a checkout, an installed wheel, or the user's choice.

The wheel carries `data/` and `themes/` as `briefing/_bundled/...`; a checkout (or an
editable install) finds them at the repository root.  Either way `briefing` works from any
working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled `data` or `themes` folder, wherever this package was installed from."""
    installed = _PKG / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PKG.parent.parent / name


def data_dir(arg: str | None = None) -> Path:
    """`--data DIR`, else `BRIEFING_DATA`, else the bundled dataset."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("BRIEFING_DATA")
    if env:
        return Path(env).expanduser()
    return bundled("data")


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "briefing"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefing"
