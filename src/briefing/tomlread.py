"""The one place that picks the TOML reader: `tomli`, a dependency on every Python (the
library the standard `tomllib` was made from: its compiled wheels read the same TOML with the
same errors, faster: bench/README.md); the standard `tomllib` if tomli is missing.

Import it inside the function that reads TOML, not at the top of a module: a warm start
reads no TOML and should not pay for importing the parser.
"""

from __future__ import annotations

import sys
from typing import Any

try:
    import tomli as tomllib
except ImportError:  # pragma: no cover - tomli is a dependency
    if sys.version_info < (3, 11):
        raise
    import tomllib  # type: ignore[no-redef,import-not-found]  # the same API, the stdlib's copy; mypy checks as 3.10

TOMLDecodeError = tomllib.TOMLDecodeError

__all__ = ["TOMLDecodeError", "load_config", "loads", "tomllib"]  # `tomllib`: the chosen module, for `load(fh)`


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads`: a document as plain dicts, lists, strings and numbers."""
    doc: dict[str, Any] = tomllib.loads(text)
    return doc


def load_config(path: str) -> dict[str, Any]:
    """A small config file as plain dicts: UTF-8, a byte-order mark let pass (Notepad writes
    one, and tomli refused it as "Invalid statement (at line 1, column 1)").  Raises OSError,
    UnicodeDecodeError or TOMLDecodeError for the caller to say in one line."""
    with open(path, "rb") as fh:
        return loads(fh.read().decode("utf-8-sig"))
