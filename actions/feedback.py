"""``action_store_feedback``: store "đúng"/"sai" (👍/👎) about the previous answer.

The rating comes from the intent (``feedback_positive`` / ``feedback_negative``); the rated
answer is identified by the ``last_answer_id`` / ``last_answer_kind`` slots that the answering
actions set, and the question is the user message before the feedback. Everything is stored
masked through :mod:`troly06.feedback`, and the action sends the thank-you
(``utter_feedback_*``). A question the NLU read as feedback (a suggestion button's title such
as "Thay đổi, cải chính hộ tịch…") is answered instead and stores nothing
(:mod:`actions.question_first`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_and_user, latest_text
from actions.question_first import answered_instead
from troly06.feedback import record_feedback
from troly06.pii import mask_pii

log = logging.getLogger(__name__)


def previous_user_text(tracker: Tracker) -> str:
    """Text of the user message before the latest one (the question that was answered)."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest:
                return mask_pii(str(event.get("text") or ""))
            seen_latest = True
    return ""


class ActionStoreFeedback(Action):
    """Persist the user's verdict on the last answer."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_store_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Store the feedback row and thank; storage failures are logged, never shown."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        rating = "up" if intent == "feedback_positive" else "down"
        answered = await answered_instead(dispatcher, tracker, str(intent))
        if answered is not None:
            return answered
        channel, _ = channel_and_user(tracker)
        try:
            await asyncio.to_thread(
                record_feedback, tracker.sender_id, rating,
                answer_kind=tracker.get_slot("last_answer_kind") or "",
                answer_id=tracker.get_slot("last_answer_id"),
                question=previous_user_text(tracker), comment=latest_text(tracker),
                channel=channel)
        except Exception:  # noqa: BLE001 - feedback storage must not break the chat
            log.exception("could not store feedback")
        dispatcher.utter_message(response="utter_feedback_thanks" if rating == "up"
                                 else "utter_feedback_sorry")
        return []
