"""briefing: terminal briefings on armed-group activity."""

__version__ = "0.1.0"
