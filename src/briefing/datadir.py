"""Where the data and theme files are: a checkout, an installed wheel, or the user's choice.

The wheel carries `data/` and `themes/` as `briefing/_bundled/...`; a checkout (or an
editable install) finds them at the repository root.  Either way `briefing` works from any
working directory.

Paths are plain `str` (`os.path`), not `pathlib.Path`: importing pathlib brings
urllib.parse and ipaddress along, on the way to a warm `briefing brief` that is
benchmarked against importing Rich.  They are spelt as `str(Path(p))` would spell them
(`pathstr`), so messages name files exactly as before.
"""

from __future__ import annotations

import os

_PKG = os.path.dirname(os.path.realpath(__file__))


def pathstr(path: str | os.PathLike[str]) -> str:
    """A path as `str(pathlib.Path(path))` spells it: repeated slashes and `.` parts dropped,
    no trailing slash (`..` kept: that is not a spelling question)."""
    p = os.fspath(path)
    if os.sep != "/" or (os.altsep and os.altsep in p):  # pragma: no cover - Windows
        from pathlib import Path

        return str(Path(p))
    if "//" not in p and "/." not in p and not p.startswith("./") and not p.endswith("/") and p != ".":
        return p if p else "."
    parts = [x for x in p.split("/") if x and x != "."]
    root = "//" if p.startswith("//") and not p.startswith("///") else "/" if p.startswith("/") else ""
    return root + "/".join(parts) or "."


def bundled(name: str) -> str:
    """The bundled `data` or `themes` folder, wherever this package was installed from."""
    installed = os.path.join(_PKG, "_bundled", name)
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(os.path.dirname(_PKG)), name)


def data_dir(arg: str | None = None) -> str:
    """`--data DIR`, else `BRIEFING_DATA`, else the bundled dataset."""
    if arg:
        return pathstr(os.path.expanduser(arg))
    env = os.environ.get("BRIEFING_DATA", "")
    if env.strip():  # blank: unset (`BRIEFING_DATA=' '` named a folder called " ")
        return pathstr(os.path.expanduser(env))
    return bundled("data")


def named_data(arg: str | None = None) -> str | None:
    """The data folder as a command to run again must name it (`--data DIR`): the one given,
    else `BRIEFING_DATA`'s (a command copied from the TUI into a script or another shell must
    not fall back on the bundled data without a word); None for the bundled data."""
    if arg:
        return arg
    env = os.environ.get("BRIEFING_DATA", "")
    # as an absolute path: pasted in another folder, `--data s20k` would name another folder;
    # as `data_dir` reads it, end spaces kept (QA s17: read from `…/sp `, named `…/sp`)
    return os.path.abspath(os.path.expanduser(env)) if env.strip() else None


def config_dir() -> str:
    """`$XDG_CONFIG_HOME/briefing`; a relative XDG_CONFIG_HOME is ignored, as the XDG spec says
    (the working directory's files would set the keys and the theme)."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".config")
    return pathstr(os.path.join(base, "briefing"))


def cache_dir() -> str:
    """`$XDG_CACHE_HOME/briefing`; a relative XDG_CACHE_HOME is ignored, as the XDG spec says
    (it would put the cache wherever the command happens to run)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return pathstr(os.path.join(base, "briefing"))
