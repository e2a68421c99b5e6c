"""``action_unit_change``: where an old commune or district belongs since 1/7/2025.

Thin: the question goes to :func:`stats.succession.answer_question` (the same dataset the
statistics use, with its source), the reply comes back as it is.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_text


class ActionUnitChange(Action):
    """Answer "xã X, huyện Y cũ nay thuộc xã nào, tỉnh nào?"."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_unit_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Look the place up and reply with its successor and the mapping's source."""
        from stats.succession import answer_question

        found = await asyncio.to_thread(answer_question, latest_text(tracker))
        dispatcher.utter_message(text=found.text, json_message={"status": found.status})
        return [SlotSet("last_answer_kind", f"units:{found.status}")]
