"""REST input channel that keeps personal numbers out of Rasa and accepts slash commands.

Registered in ``bot/credentials.yml`` as ``bot.plugins.channels.SafeRestInput``; its name is
still ``rest`` so the webhook stays ``/webhooks/rest/webhook``.

* ID/phone numbers are masked (``troly06.pii.mask_pii``) before the ``UserMessage`` is built,
  so the tracker, the logs and the action server only ever see the placeholder.
* Telegram-style commands with arguments (``/thongke Ngã Bảy tuần này``) would otherwise be
  read by Rasa as an intent literally called "thongke Ngã Bảy tuần này"; they are rewritten to
  plain text ("thongke Ngã Bảy tuần này") that the NLU is trained on. ``/start``, ``/menu`` and
  ``/help`` become the ``start`` / ``help`` intents. The vocabulary is ``troly06/commands.yaml``
  (:func:`troly06.commands.rewrite`), shared by every channel.
* **Idempotent turns.** A client may send ``"message_id"`` (1–128 characters of
  ``[A-Za-z0-9._:-]``) and, when it re-sends a message after a failure (a replica died, a
  timeout), ``"attempt": 2`` or more with the same id. A retry takes the conversation's lock
  (shared by all replicas through the lock store), looks for that id in the tracker and, when
  the first attempt was already processed, answers with the bot messages recorded for it
  instead of processing it again (header ``X-Troly06-Replayed: 1``). So a retried turn is
  never lost and never counted twice. First attempts skip the lookup: a fresh id cannot have
  been seen yet.
* Failures are reported, not hidden: no model loaded or the conversation lock cannot be taken
  → 503 with ``Retry-After``; an error while processing → 500 (Rasa's own REST channel answers
  200 with no messages in both cases, which a client cannot tell from "nothing to say").
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037, UP045

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.lock_store import LockError
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from troly06.commands import rewrite
from troly06.pii import find_pii, mask_pii

_MESSAGE_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
log = logging.getLogger(__name__)


def clean_user_text(text: Optional[Text]) -> Optional[Text]:
    """Mask personal numbers and rewrite slash commands (``None`` stays ``None``)."""
    if text is None:
        return None
    return rewrite(mask_pii(str(text)))


def recorded_replies(events: List[Any], message_id: Text) -> Optional[List[Any]]:
    """Bot messages that answered the user message ``message_id``, or None if it is not there.

    ``events`` are tracker events; the answer is every ``BotUttered`` after that user message
    and before the next one.
    """
    answer: Optional[List[Any]] = None
    for event in events:
        if isinstance(event, UserUttered):
            if answer is not None:
                break
            if event.message_id == message_id:
                answer = []
        elif answer is not None and isinstance(event, BotUttered):
            answer.append(event)
    return answer


def _error(status: int, message: str, **headers: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=headers or None)


class SafeRestInput(RestInput):
    """``rest`` channel with PII masking, slash-command rewriting and idempotent retries."""

    def _extract_message(self, req: Request) -> Optional[Text]:
        return clean_user_text(req.json.get("message", None))

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """The caller's metadata, plus the kinds of personal data this channel masked itself
        (``pii``): what was found travels as metadata, nothing downstream re-detects it."""
        metadata = super().get_metadata(request)
        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        message = request.json.get("message") if isinstance(request.json, dict) else None
        kinds = find_pii(str(message)) if message else []
        if kinds:
            known = metadata.get("pii") if isinstance(metadata.get("pii"), list) else []
            metadata["pii"] = sorted({str(k) for k in known} | set(kinds))
        return metadata or None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """``GET /webhooks/rest/`` (health) and ``POST /webhooks/rest/webhook``."""
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            # readiness: Rasa's HTTP API (and its /status) is off, so this says "model loaded"
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return _error(503, "no model loaded yet", **{"Retry-After": "5"})
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not isinstance(request.json, dict):
                return _error(400, "body must be a JSON object")
            message_id = request.json.get("message_id")
            if message_id is not None and (not isinstance(message_id, str)
                                           or not _MESSAGE_ID_RE.match(message_id)):
                return _error(400, "message_id must be 1-128 characters of [A-Za-z0-9._:-]")
            try:
                attempt = int(request.json.get("attempt") or 1)
            except (TypeError, ValueError):
                return _error(400, "attempt must be an integer")
            sender_id = await self._extract_sender(request)
            collector = CollectingOutputChannel()
            message = UserMessage(self._extract_message(request), collector, sender_id,
                                  input_channel=self._extract_input_channel(request),
                                  metadata=self.get_metadata(request), message_id=message_id)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return _error(503, "no model loaded yet", **{"Retry-After": "5"})
            try:
                if message_id and attempt > 1:
                    replayed = await self._handle_retry(agent, message, collector)
                    if replayed:
                        return response.json(collector.messages,
                                             headers={"X-Troly06-Replayed": "1"})
                else:
                    await on_new_message(message)
            except LockError:
                log.warning("conversation lock unavailable; the client should retry")
                return _error(503, "conversation busy, retry", **{"Retry-After": "1"})
            except Exception:  # noqa: BLE001 - report, never answer 200 with nothing
                log.exception("error while handling a REST message")
                return _error(500, "error while handling the message")
            return response.json(collector.messages)

        return webhook

    @staticmethod
    async def _handle_retry(agent: Any, message: UserMessage,
                            collector: CollectingOutputChannel) -> bool:
        """Process a re-sent message once; True when its recorded answer was replayed.

        Under the conversation lock, so the first attempt has either finished (its events are
        in the tracker store) or died without saving anything.
        """
        async with agent.lock_store.lock(message.sender_id):
            tracker = await agent.tracker_store.retrieve(message.sender_id)
            answer = recorded_replies(list(tracker.events) if tracker else [],
                                      str(message.message_id))
            if answer is None:
                await agent.processor.handle_message(message)
                return False
            for event in answer:
                await collector.send_response(message.sender_id, event.message())
            return True
