"""One conversation entry point for every channel: Rasa first, knowledge base when Rasa is down.

``ChatService.reply(identity, text)`` returns Rasa's bot messages (``text``, ``buttons``,
``image``, ``custom``). ``identity`` is what the calling gateway verified (an anonymous web
visitor, an official's API key or session, a Telegram or Zalo user); the service signs it
(:mod:`troly06.identity`) into the message metadata, and the actions trust nothing else.
The Rasa sender id is ``identity.sender`` (``telegram:42``, ``zalo:…``, ``web:…``, ``api:…``).

When Rasa cannot be reached the service answers from :func:`knowledge.answer` directly
(degraded mode, logged and counted) so citizens still get an answer with its sources; the
"đúng"/"sai" feedback buttons then store feedback through :mod:`troly06.feedback`, as the
Rasa action would.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gateways.rasa_client import RasaClient, RasaUnavailable
from troly06.commands import command_of
from troly06.config import get_settings
from troly06.identity import METADATA_KEY, Identity, sign_identity
from troly06.pii import mask_and_find
from troly06.wording import say

log = logging.getLogger(__name__)

_FEEDBACK_WORDS = {"đúng": "up", "sai": "down", "👍": "up", "👎": "down"}
EventHook = Callable[[str, str], None]
AnswerFn = Callable[[str, bool], dict[str, Any]]  # (masked question, pii_found)
FeedbackFn = Callable[..., Any]


def channel_identity(channel: str, user_id: str, officials_file: Any) -> Identity:
    """The identity of a Telegram/Zalo user the gateway verified (official when listed)."""
    from stats.access import find_official

    official = find_official(channel, user_id, path=officials_file)
    return Identity(channel, str(user_id), official.id if official else None)


@dataclass
class ChatResult:
    """Bot messages for one user message, and whether they came from the degraded path."""

    messages: list[dict[str, Any]]
    degraded: bool = False
    statuses: list[str] = field(default_factory=list)
    handoff: dict[str, Any] | None = None  # the human handoff's state, when one is open


def _knowledge_answer(question: str, pii_found: bool = False) -> dict[str, Any]:
    """Answer from the knowledge base (imported lazily: the index loads once, on first use)."""
    from knowledge import answer

    return answer(question, pii_found=pii_found).to_dict()


def _record_feedback(*args: Any, **kwargs: Any) -> Any:
    from troly06.feedback import record_feedback

    return record_feedback(*args, **kwargs)


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


def feedback_rating(text: str) -> str | None:
    """"up"/"down" when ``text`` is a bare feedback word ("đúng", "sai", 👍, 👎)."""
    return _FEEDBACK_WORDS.get(text.strip().lower().strip(".!"))


class ChatService:
    """Forward messages to Rasa; answer from the knowledge base when Rasa is unreachable."""

    def __init__(self, rasa: RasaClient | None, *, identity_key: str | None = None,
                 answer_fn: AnswerFn | None = None,
                 on_event: EventHook | None = None, fallback: bool = True,
                 feedback_fn: FeedbackFn | None = None, handoff: Any = None) -> None:
        """``handoff``: a :class:`gateways.handoff.HandoffGate` (None: no human handoff)."""
        self.rasa = rasa
        self.handoff = handoff
        self.identity_key = identity_key or get_settings().secret("identity")
        self.answer_fn = answer_fn or _knowledge_answer
        self.feedback_fn = feedback_fn or _record_feedback
        self.on_event = on_event
        self.fallback = fallback
        # sender -> (question, entry_id) of the last degraded answer, for feedback rows
        self._last: OrderedDict[str, tuple[str, str | None]] = OrderedDict()

    def _emit(self, kind: str, label: str) -> None:
        if self.on_event is not None:
            try:
                self.on_event(kind, label)
            except Exception:  # noqa: BLE001 - metrics must never break a conversation
                log.exception("event hook failed")

    async def reply(self, who: Identity, text: str, *,
                    metadata: dict[str, Any] | None = None) -> ChatResult:
        """Answer one user message from the gateway-verified ``who``."""
        sender, channel = who.sender, who.channel
        # Personal data never reaches Rasa: masked here, at the gateways' shared ingress;
        # what was found travels as metadata ("pii"), so nothing downstream re-detects it.
        masked, kinds = mask_and_find((text or "").strip())
        gate = self.handoff
        unit = str((metadata or {}).get("unit") or "")[:40]
        if gate is not None:
            try:
                early = await gate.before(sender, channel, masked, unit_hint=unit)
            except Exception:  # noqa: BLE001 - the handoff must never break the conversation
                log.exception("handoff gate failed")
                early = None
            if early is not None:
                return ChatResult(early.messages, statuses=[early.status], handoff=early.state)
        result = await self._bot_reply(who, masked, kinds, metadata)
        if gate is not None:
            try:
                late = await gate.after(sender, channel, masked, result.messages,
                                        result.statuses, unit_hint=unit,
                                        feedback=feedback_rating(masked) is not None)
            except Exception:  # noqa: BLE001
                log.exception("handoff gate failed after the reply")
                late = None
            if late is not None:
                return ChatResult(late.messages, result.degraded,
                                  [*result.statuses, late.status], handoff=late.state)
        return result

    async def _bot_reply(self, who: Identity, masked: str, kinds: list[str],
                         metadata: dict[str, Any] | None) -> ChatResult:
        sender, channel = who.sender, who.channel
        meta = {**(metadata or {}), "channel": channel,
                METADATA_KEY: sign_identity(who, self.identity_key)}
        if kinds:
            meta["pii"] = kinds
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
        return await self._answer_locally(sender, masked, channel, bool(kinds))

    async def _answer_locally(self, sender: str, text: str, channel: str,
                              pii_found: bool) -> ChatResult:
        rating = feedback_rating(text)
        if rating is not None:
            question, entry_id = self._last.get(sender, ("", None))
            try:
                await asyncio.to_thread(self.feedback_fn, sender, rating,
                                        answer_kind="knowledge", answer_id=entry_id,
                                        question=question, comment=text, channel=channel)
            except Exception:  # noqa: BLE001 - feedback storage must not break the chat
                log.exception("could not store feedback")
            return ChatResult([{"recipient_id": sender, "text": say(f"chat.thanks_{rating}")}],
                              True)
        found = command_of(text)
        if found is not None:
            command = found[0]
            if command.audience == "official":
                canned = say("chat.stats_down")
            elif command.name == "start":
                canned = say("chat.welcome")
            else:
                canned = say("chat.help")
            return ChatResult([{"recipient_id": sender, "text": canned}], True)
        try:
            result = await asyncio.to_thread(self.answer_fn, text, pii_found)
        except Exception:  # noqa: BLE001 - a broken index must not crash the channel
            log.exception("knowledge fallback failed")
            return ChatResult([{"recipient_id": sender, "text": say("chat.unavailable")}], True)
        status = str(result.get("status") or "answered")
        self._emit("outcome", status)
        self._last[sender] = (text, result.get("entry_id"))
        self._last.move_to_end(sender)
        while len(self._last) > 10000:
            self._last.popitem(last=False)
        from knowledge.reply import render_answer

        message = {"recipient_id": sender, **render_answer(result)}
        message["custom"]["degraded"] = True
        return ChatResult([message], degraded=True, statuses=[status])

    async def aclose(self) -> None:
        """Release the Rasa client's connections."""
        if self.rasa is not None:
            await self.rasa.aclose()


_SERVICE: ChatService | None = None


def get_chat_service() -> ChatService:
    """The process-wide chat service (one Rasa client per process, the human handoff on the
    shared database), built from settings (the Telegram polling process uses it)."""
    global _SERVICE
    if _SERVICE is None:
        from gateways.handoff import HandoffGate

        settings = get_settings()
        _SERVICE = ChatService(RasaClient(settings.rasa_url),
                               handoff=HandoffGate.from_settings(settings))
    return _SERVICE
