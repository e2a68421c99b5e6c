"""Process verified Zalo OA events: ``user_send_text`` goes to the assistant, others are ignored."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bot.channels.chat import ChatService
from bot.channels.zalo.client import ZaloClient
from troly06.pii import mask_pii

log = logging.getLogger(__name__)
SENDER_PREFIX = "zalo:"
TOO_LONG = "Tin nhắn quá dài (tối đa {n} ký tự). Bạn vui lòng rút gọn câu hỏi nhé."


class RecentIds:
    """Bounded memory of recently seen ids (Zalo retries an event until it gets a 200)."""

    def __init__(self, size: int = 5000, ttl_s: float = 3600.0) -> None:
        self.size = size
        self.ttl_s = ttl_s
        self._seen: OrderedDict[str, float] = OrderedDict()

    def seen_before(self, key: str) -> bool:
        """Record ``key``; True when it was already recorded within the TTL."""
        now = time.monotonic()
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at > self.ttl_s or len(self._seen) > self.size:
                self._seen.popitem(last=False)
            else:
                break
        if key in self._seen:
            return True
        self._seen[key] = now
        return False


class ZaloWebhook:
    """Turn events into assistant replies sent through the OA message API."""

    def __init__(self, chat: ChatService, client: ZaloClient, *,
                 publish: Callable[[str], str | None] | None = None,
                 max_chars: int = 2000) -> None:
        self.chat = chat
        self.client = client
        self.publish = publish or (lambda image: image if image.startswith("http") else None)
        self.max_chars = max_chars
        self.recent = RecentIds()

    def accept(self, event: dict[str, Any]) -> tuple[str, str, str] | None:
        """Return ``(user_id, text, msg_id)`` for a new ``user_send_text`` event, else None."""
        if event.get("event_name") != "user_send_text":
            return None
        message = event.get("message") or {}
        sender = event.get("sender") or {}
        user_id = str(sender.get("id") or "")
        text = str(message.get("text") or "")
        msg_id = str(message.get("msg_id") or "")
        if not user_id or not text.strip():
            return None
        if msg_id and self.recent.seen_before(msg_id):
            log.info("duplicate Zalo event %s ignored", msg_id)
            return None
        return user_id, text, msg_id

    async def respond(self, user_id: str, text: str) -> None:
        """Ask the assistant and send every reply to ``user_id``; errors are logged, not raised."""
        try:
            if len(text) > self.max_chars:
                await self.client.send_text(user_id, TOO_LONG.format(n=self.max_chars))
                return
            result = await self.chat.reply(SENDER_PREFIX + user_id, text, channel="zalo")
            for message in result.messages:
                if message.get("text"):
                    await self.client.send_text(user_id, message["text"],
                                                message.get("buttons"))
                image = message.get("image")
                url = self.publish(image) if isinstance(image, str) else None
                if url:
                    await self.client.send_image(user_id, url)
        except Exception:  # noqa: BLE001 - a webhook task must never die loudly
            log.exception("Zalo reply to %s failed", mask_pii(user_id))
