"""The one place that picks the TOML reader: the standard library's `tomllib` on Python 3.11+,
its `tomli` backport on 3.10.

Import it inside the function that reads TOML, not at the top of a module: a warm start
reads no TOML and should not pay for importing the parser.
"""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads`: a document as plain dicts, lists, strings and numbers."""
    doc: dict[str, Any] = tomllib.loads(text)
    return doc
