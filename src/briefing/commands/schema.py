"""`briefing schema`: the JSON Schema of the record files (and of the JSON export's records)."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from briefing.schema import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0
