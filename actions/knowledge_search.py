"""``action_answer_knowledge``: answer a citizen question from the knowledge base.

Calls :func:`knowledge.answer` (search + answer selection live there) in a worker thread so
the action server's event loop stays responsive, and replies with the one rendering of a
knowledge answer (:func:`knowledge.reply.render_answer`): the answer, its sources line (also
``custom.sources``) and feedback buttons, or the honest not-sure reply with suggestions. The
gateways' degraded path renders with the same function.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import had_pii, latest_text
from troly06.wording import buttons, say

log = logging.getLogger(__name__)


def _answer(question: str, pii_found: bool = False) -> dict[str, Any]:
    import knowledge

    return knowledge.answer(question, pii_found=pii_found).to_dict()


def warm_up() -> None:
    """Load the knowledge index and encoder once and gather every entry's terms, so no
    user's question waits for either."""
    try:
        from knowledge.index import get_index

        get_index().term_stats.warm()
        _answer("kích hoạt VNeID mức 2")
    except Exception:  # noqa: BLE001 - warm-up is best effort; errors surface on real use
        log.exception("knowledge warm-up failed")


if os.environ.get("TROLY06_ACTIONS_WARMUP") == "1":
    threading.Thread(target=warm_up, name="kb-warmup", daemon=True).start()


class ActionAnswerKnowledge(Action):
    """Answer with the knowledge base's best entry and its source."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_answer_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Look the question up and reply."""
        return await answer_question(dispatcher, tracker)


async def ask_knowledge(tracker: Tracker) -> dict[str, Any] | None:
    """``knowledge.answer(...).to_dict()`` for the latest message (None when it failed)."""
    try:
        return await asyncio.to_thread(_answer, latest_text(tracker), had_pii(tracker))
    except Exception:  # noqa: BLE001 - the caller replies without the KB
        log.exception("knowledge.answer failed")
        return None


def send_answer(dispatcher: CollectingDispatcher, result: dict[str, Any] | None,
                extra_buttons: list[dict[str, str]] | None = None) -> list[EventType]:
    """Reply with the one rendering of a knowledge answer (or the KB-error reply)."""
    from knowledge.reply import render_answer

    if result is None:
        dispatcher.utter_message(text=say("chat.kb_error"),
                                 buttons=buttons("chat.topic_buttons"))
        return [SlotSet("last_answer_id", None), SlotSet("last_answer_kind", "error")]
    message = render_answer(result)
    # custom: what the channels and portals read (status, entry, sources)
    dispatcher.utter_message(text=message["text"], json_message=message["custom"],
                             buttons=message["buttons"] + (extra_buttons or []))
    return [SlotSet("last_answer_id", result.get("entry_id")),
            SlotSet("last_answer_kind", f"knowledge:{result['status']}")]


async def answer_question(dispatcher: CollectingDispatcher, tracker: Tracker
                          ) -> list[EventType]:
    """Answer the latest message from the knowledge base (also used when another intent's
    action finds that the message is a citizen's question after all)."""
    return send_answer(dispatcher, await ask_knowledge(tracker))
