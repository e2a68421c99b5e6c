"""Who is an official, for the channels: a thin look-up over :func:`stats.access.load_officials`."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Official:
    """An official known to ``config/officials.yaml``."""

    name: str
    channel: str
    localities: tuple[str, ...]

    def can_view(self, locality: str) -> bool:
        """True when the official may see figures of ``locality``."""
        return "*" in self.localities or locality in self.localities


def _field(entry: Any, name: str, default: Any = None) -> Any:
    if isinstance(entry, dict):
        return entry.get(name, default)
    return getattr(entry, name, default)


def _secret(value: Any) -> str:
    if value is None:
        return ""
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


def _official(entry: Any) -> Official:
    return Official(str(_field(entry, "name", "official")), str(_field(entry, "channel", "")),
                    tuple(str(x) for x in (_field(entry, "localities", ()) or ())))


def _entries() -> list[Any]:
    from stats.access import load_officials

    return list(load_officials())


def find_official(channel: str, user_id: str) -> Official | None:
    """The official registered for ``user_id`` on ``channel`` (telegram, zalo), if any."""
    for entry in _entries():
        if _field(entry, "channel") == channel and _secret(_field(entry, "user_id")) == user_id:
            return _official(entry)
    return None


def find_official_by_api_key(api_key: str) -> Official | None:
    """The official whose ``api_key`` matches (constant-time comparison), if any."""
    for entry in _entries():
        key = _secret(_field(entry, "api_key"))
        if key and hmac.compare_digest(key.encode(), api_key.encode()):
            return _official(entry)
    return None
