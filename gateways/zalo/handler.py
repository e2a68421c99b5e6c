"""Process verified Zalo OA events: ``user_send_text`` goes to the assistant, others are ignored."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from gateways.chat import ChatService, channel_identity
from gateways.zalo.client import ZaloClient
from troly06.pii import mask_pii
from troly06.wording import say

log = logging.getLogger(__name__)
SENDER_PREFIX = "zalo:"


class ZaloWebhook:
    """Turn events into assistant replies sent through the OA message API."""

    def __init__(self, chat: ChatService, client: ZaloClient, *,
                 seen_first_time: Callable[[str], bool],
                 officials_file: Any = None,
                 publish: Callable[[str], str | None] | None = None,
                 max_chars: int = 2000) -> None:
        """``seen_first_time(key)``: records an event id, True only the first time (shared
        by every replica: :func:`troly06.dedup.first_time`)."""
        self.chat = chat
        self.seen_first_time = seen_first_time
        self.officials_file = officials_file
        self.client = client
        self.publish = publish or (lambda image: image if image.startswith("http") else None)
        self.max_chars = max_chars

    def accept(self, event: dict[str, Any]) -> tuple[str, str, str] | None:
        """Return ``(user_id, text, msg_id)`` for a new ``user_send_text`` event, else None."""
        if event.get("event_name") != "user_send_text":
            return None
        message = event.get("message") or {}
        sender = event.get("sender") or {}
        user_id = str(sender.get("id") or "")
        text = str(message.get("text") or "")
        msg_id = str(message.get("msg_id") or "")
        if not user_id or not text.strip() or not msg_id:
            return None  # no id: it could be replayed at will, so it is not handled
        if not self.seen_first_time(f"zalo:{msg_id}"):
            log.info("duplicate Zalo event ignored")
            return None
        return user_id, text, msg_id

    async def respond(self, user_id: str, text: str) -> None:
        """Ask the assistant and send every reply to ``user_id``; errors are logged, not raised."""
        try:
            if len(text) > self.max_chars:
                await self.client.send_text(user_id, say("channels.too_long", n=self.max_chars))
                return
            who = await asyncio.to_thread(channel_identity, "zalo", user_id,
                                          self.officials_file)
            result = await self.chat.reply(who, text)
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
