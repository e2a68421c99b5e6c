"""Rasa messages → Telegram: text split at 4096 characters, buttons → inline keyboards."""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from gateways.text import split_text

TELEGRAM_MAX_TEXT = 4096
CALLBACK_MAX_BYTES = 64  # Bot API limit on callback_data


def split_message(text: str, limit: int = TELEGRAM_MAX_TEXT) -> list[str]:
    """Split ``text`` into Telegram-sized chunks, preferring line breaks."""
    return split_text(text, limit)


class PayloadStore:
    """Maps long Rasa payloads to short callback ids (callback_data is limited to 64 bytes)."""

    def __init__(self, size: int = 10000) -> None:
        self.size = size
        self._store: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        """A callback_data value for ``payload`` (the payload itself when short enough)."""
        if len(payload.encode()) <= CALLBACK_MAX_BYTES and not payload.startswith("#"):
            return payload
        key = "#" + hashlib.sha1(payload.encode()).hexdigest()[:20]
        self._store[key] = payload
        self._store.move_to_end(key)
        while len(self._store) > self.size:
            self._store.popitem(last=False)
        return key

    def decode(self, data: str) -> str | None:
        """The payload for a callback_data value (None when a long payload was forgotten)."""
        if data.startswith("#"):
            return self._store.get(data)
        return data


def keyboard(buttons: list[dict[str, str]] | None, store: PayloadStore
             ) -> InlineKeyboardMarkup | None:
    """Rasa buttons ``[{title, payload}]`` as an inline keyboard (one button per row)."""
    rows = []
    for b in buttons or []:
        title, payload = str(b.get("title") or ""), str(b.get("payload") or b.get("title") or "")
        if title and payload:
            rows.append([InlineKeyboardButton(title[:64], callback_data=store.encode(payload))])
    return InlineKeyboardMarkup(rows) if rows else None


def image_bytes(image: str) -> bytes | str | None:
    """A ``data:image/...;base64,`` URI decoded to bytes, an http(s) URL as is, else None."""
    if image.startswith("data:image/") and ";base64," in image:
        return base64.b64decode(image.split(";base64,", 1)[1])
    if image.startswith(("http://", "https://")):
        return image
    return None
