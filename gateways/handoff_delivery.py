"""Deliver operators' replies to the citizen's own channel.

Telegram through the Bot API (``sendMessage``; works in polling and webhook mode, from any
replica), Zalo through the OA message API (:class:`gateways.zalo.ZaloClient`); the widget
fetches its messages itself (``GET /api/chat/inbox``). Each message is claimed in the
database before it is sent, so two replicas never send it twice; a failed send is released
and retried by :meth:`Deliverer.sweep` (the API runs it every few seconds).
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from gateways.text import split_text
from handoff import HandoffStore

log = logging.getLogger(__name__)
PUSHED = ("telegram", "zalo")
TELEGRAM_MAX = 4096


class Deliverer:
    """Send a conversation's undelivered operator and system messages."""

    def __init__(self, store: HandoffStore, *, telegram_base: str = "", telegram_token: str = "",
                 zalo: Any = None, timeout: float = 10.0) -> None:
        self.store = store
        self.telegram_url = (f"{telegram_base}{telegram_token}/sendMessage"
                             if telegram_token else "")
        self.zalo = zalo
        self._http = httpx.AsyncClient(timeout=timeout)

    async def deliver(self, conversation_id: int) -> int:
        """Send what is pending for ``conversation_id``; the number of messages sent."""
        view = self.store.get(conversation_id)
        if view.channel not in PUSHED:
            return 0  # the widget polls its inbox
        user_id = self.store.sender_of(conversation_id).partition(":")[2]
        sent = 0
        for message in self.store.undelivered(conversation_id):
            if not self.store.claim(message.id):
                continue
            try:
                await self._send(view.channel, user_id, message.text)
                sent += 1
            except Exception:  # noqa: BLE001 - kept for the next sweep
                self.store.unclaim(message.id)
                log.warning("handoff delivery on %s failed for conversation %s (message %s)",
                            view.channel, conversation_id, message.id)
                break
        return sent

    async def _send(self, channel: str, user_id: str, text: str) -> None:
        if channel == "telegram":
            if not self.telegram_url:
                raise RuntimeError("Telegram is not configured")
            for chunk in split_text(text, TELEGRAM_MAX):
                resp = await self._http.post(self.telegram_url,
                                             json={"chat_id": int(user_id), "text": chunk})
                if resp.status_code != 200 or not resp.json().get("ok"):
                    raise RuntimeError(f"Telegram sendMessage: HTTP {resp.status_code}")
        elif channel == "zalo":
            if self.zalo is None:
                raise RuntimeError("Zalo is not configured")
            await self.zalo.send_text(user_id, text)

    async def sweep(self) -> int:
        """Retry every pending message of the pushed channels."""
        total = 0
        for conversation_id in self.store.undelivered_conversations(PUSHED):
            total += await self.deliver(conversation_id)
        return total

    async def aclose(self) -> None:
        await self._http.aclose()
