"""One conversation entry point for every channel: Rasa first, knowledge base when Rasa is down.

``ChatService.reply(sender, text)`` returns Rasa's bot messages (``text``, ``buttons``,
``image``, ``custom``). When Rasa cannot be reached the service answers from
:func:`knowledge.answer` directly (degraded mode, logged and counted) so citizens still get
an answer with its sources. Feedback buttons (``/feedback_positive`` / ``/feedback_negative``)
are handled here for every channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.channels.rasa_client import RasaClient, RasaUnavailable
from troly06.config import get_settings
from troly06.pii import mask_pii

log = logging.getLogger(__name__)

FEEDBACK_POSITIVE = "/feedback_positive"
FEEDBACK_NEGATIVE = "/feedback_negative"
FEEDBACK_BUTTONS = [
    {"title": "👍 Hữu ích", "payload": FEEDBACK_POSITIVE},
    {"title": "👎 Chưa đúng ý", "payload": FEEDBACK_NEGATIVE},
]
THANKS_POSITIVE = "Cảm ơn bạn đã góp ý! Rất vui vì câu trả lời hữu ích."
THANKS_NEGATIVE = ("Cảm ơn bạn đã góp ý! Bạn có thể hỏi lại theo cách khác, hoặc liên hệ "
                   "Công an xã/phường nơi cư trú để được hướng dẫn trực tiếp.")
UNAVAILABLE_TEXT = ("Xin lỗi, hệ thống đang bận. Bạn vui lòng thử lại sau ít phút.")

EventHook = Callable[[str, str], None]
AnswerFn = Callable[[str], dict[str, Any]]


@dataclass
class ChatResult:
    """Bot messages for one user message, and whether they came from the degraded path."""

    messages: list[dict[str, Any]]
    degraded: bool = False
    statuses: list[str] = field(default_factory=list)


def _knowledge_answer(question: str) -> dict[str, Any]:
    """Answer from the knowledge base (imported lazily: the index loads once, on first use)."""
    from knowledge import answer

    return answer(question).to_dict()


def format_sources(sources: list[dict[str, Any]]) -> str:
    """Render sources as the contract's "Nguồn: <title> (<ref>)" lines."""
    lines = []
    for src in sources:
        title = str(src.get("title") or "").strip()
        ref = str(src.get("ref") or "").strip()
        if title and ref:
            lines.append(f"Nguồn: {title} ({ref})")
        elif title or ref:
            lines.append(f"Nguồn: {title or ref}")
    return "\n".join(lines)


def answer_to_message(result: dict[str, Any], recipient: str) -> dict[str, Any]:
    """Turn a ``knowledge.answer(...).to_dict()`` into a Rasa-style bot message."""
    text = str(result.get("answer") or "").strip()
    sources = list(result.get("sources") or [])
    status = str(result.get("status") or "answered")
    src_text = format_sources(sources)
    if src_text and "Nguồn:" not in text:
        text = f"{text}\n\n{src_text}"
    message: dict[str, Any] = {
        "recipient_id": recipient,
        "text": text,
        "custom": {"sources": sources, "status": status, "entry_id": result.get("entry_id"),
                   "degraded": True},
    }
    if status == "answered":
        message["buttons"] = [dict(b) for b in FEEDBACK_BUTTONS]
    return message


def message_status(message: dict[str, Any]) -> str | None:
    """The knowledge status carried by a bot message (``custom.status``), if any."""
    custom = message.get("custom")
    if isinstance(custom, dict):
        status = custom.get("status")
        if isinstance(status, str):
            return status
        if custom.get("sources"):
            return "answered"
    return None


class ChatService:
    """Forward messages to Rasa; answer from the knowledge base when Rasa is unreachable."""

    def __init__(self, rasa: RasaClient | None, *, answer_fn: AnswerFn | None = None,
                 on_event: EventHook | None = None, fallback: bool = True) -> None:
        self.rasa = rasa
        self.answer_fn = answer_fn or _knowledge_answer
        self.on_event = on_event
        self.fallback = fallback

    def _emit(self, kind: str, label: str) -> None:
        if self.on_event is not None:
            try:
                self.on_event(kind, label)
            except Exception:  # noqa: BLE001 - metrics must never break a conversation
                log.exception("event hook failed")

    async def reply(self, sender: str, text: str, *, channel: str = "rest",
                    metadata: dict[str, Any] | None = None) -> ChatResult:
        """Answer one user message from ``sender`` (a channel-specific user id)."""
        text = (text or "").strip()
        if text in (FEEDBACK_POSITIVE, FEEDBACK_NEGATIVE):
            kind = "positive" if text == FEEDBACK_POSITIVE else "negative"
            self._emit("feedback", kind)
            log.info("feedback %s from %s via %s", kind, mask_pii(sender), channel)
            thanks = THANKS_POSITIVE if kind == "positive" else THANKS_NEGATIVE
            return ChatResult([{"recipient_id": sender, "text": thanks}])
        # Personal numbers never reach Rasa's tracker store: mask them before forwarding.
        masked = mask_pii(text)
        meta = {"channel": channel, **(metadata or {})}
        if masked != text:
            meta["pii_masked"] = True
        if self.rasa is not None:
            try:
                messages = await self.rasa.send(sender, masked, meta)
            except RasaUnavailable as exc:
                if not self.fallback:
                    raise
                log.warning("degraded mode (knowledge base only): %s", exc)
            else:
                statuses = [s for s in (message_status(m) for m in messages) if s]
                for status in statuses:
                    self._emit("outcome", status)
                return ChatResult(messages, degraded=False, statuses=statuses)
        self._emit("degraded", channel)
        return await self._answer_locally(sender, masked)

    async def _answer_locally(self, sender: str, text: str) -> ChatResult:
        try:
            result = await asyncio.to_thread(self.answer_fn, text)
        except Exception:  # noqa: BLE001 - a broken index must not crash the channel
            log.exception("knowledge fallback failed")
            return ChatResult([{"recipient_id": sender, "text": UNAVAILABLE_TEXT}], True)
        status = str(result.get("status") or "answered")
        self._emit("outcome", status)
        return ChatResult([answer_to_message(result, sender)], degraded=True, statuses=[status])

    async def aclose(self) -> None:
        """Release the Rasa client's connections."""
        if self.rasa is not None:
            await self.rasa.aclose()


_SERVICE: ChatService | None = None


def get_chat_service() -> ChatService:
    """The process-wide chat service (one Rasa client per process), built from settings."""
    global _SERVICE
    if _SERVICE is None:
        _SERVICE = ChatService(RasaClient(get_settings().rasa_url))
    return _SERVICE
