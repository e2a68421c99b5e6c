"""Deliver operators' replies to the citizen's own channel.

Telegram and Zalo through :class:`gateways.push.ChannelPusher` (the digest's sender too);
the widget fetches its messages itself (``GET /api/chat/inbox``). Each message is claimed in the
database before it is sent, so two replicas never send it twice; a failed send is released
and retried by :meth:`Deliverer.sweep` (the API runs it every few seconds).
"""

from __future__ import annotations

import logging
from typing import Any

from gateways.push import PUSHED, ChannelPusher
from handoff import HandoffStore

log = logging.getLogger(__name__)


class Deliverer:
    """Send a conversation's undelivered operator and system messages."""

    def __init__(self, store: HandoffStore, *, telegram_base: str = "", telegram_token: str = "",
                 zalo: Any = None, timeout: float = 10.0) -> None:
        self.store = store
        self.push = ChannelPusher(telegram_base=telegram_base, telegram_token=telegram_token,
                                  zalo=zalo, timeout=timeout)

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
                await self.push.text(view.channel, user_id, message.text)
                sent += 1
            except Exception:  # noqa: BLE001 - kept for the next sweep
                self.store.unclaim(message.id)
                log.warning("handoff delivery on %s failed for conversation %s (message %s)",
                            view.channel, conversation_id, message.id)
                break
        return sent

    async def sweep(self) -> int:
        """Retry every pending message of the pushed channels."""
        total = 0
        for conversation_id in self.store.undelivered_conversations(PUSHED):
            total += await self.deliver(conversation_id)
        return total

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.push.aclose()
