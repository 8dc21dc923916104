"""Messages shared across screens (kept apart so the app can import them without the widgets)."""

from __future__ import annotations

from textual.message import Message


class OpenRecord(Message):
    """Open a record: kind is `event`, `actor` or `source` (or `filter`: set the event filter)."""

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
