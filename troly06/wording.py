"""The message catalogue: every Vietnamese reply the Python code sends, kept as data.

Replies live in ``troly06/messages/<area>.yaml`` (one file per area: ``chat``, ``channels``,
``knowledge``, ``reports``, ``stats``), in one voice (the bot is "mình", the user "bạn"), and
are reviewed like data. Code asks for ``say("chat.welcome")`` or ``buttons("chat.topics")``;
Rasa's own responses stay in ``bot/domain.yml``. ``tests/core/test_wording.py`` checks that
every key the code uses exists, that none is unused, and the voice.

This module imports only PyYAML, so the Rasa side (Python 3.10) can use it too.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from troly06.yamlfile import read_yaml

MESSAGES_DIR = Path(__file__).resolve().parent / "messages"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """Every message, keyed ``"<area>.<key>"`` (read once per process)."""
    found: dict[str, Any] = {}
    for path in sorted(MESSAGES_DIR.glob("*.yaml")):
        data = read_yaml(path) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path.name}: a mapping of message keys expected")
        found.update({f"{path.stem}.{key}": value for key, value in data.items()})
    return found


def say(key: str, **values: Any) -> str:
    """The message ``key``, with ``{placeholders}`` filled from ``values``."""
    text = catalogue()[key]
    if not isinstance(text, str):
        raise TypeError(f"message {key!r} is not a text")
    return text.format(**values)


def buttons(key: str) -> list[dict[str, str]]:
    """The button set ``key`` as channel-neutral ``{"title", "payload"}`` dicts (fresh copies)."""
    items = catalogue()[key]
    if not isinstance(items, list):
        raise TypeError(f"message {key!r} is not a button list")
    return [{"title": str(b["title"]), "payload": str(b["payload"])} for b in items]


def table(key: str) -> dict[str, str]:
    """The mapping ``key`` (e.g. an ingest status → its Vietnamese label)."""
    items = catalogue()[key]
    if not isinstance(items, dict):
        raise TypeError(f"message {key!r} is not a mapping")
    return {str(k): str(v) for k, v in items.items()}
