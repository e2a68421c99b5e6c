"""``action_handoff``: tell the user how to reach a person (contacts from ``data/handoff.yaml``)
and ask the gateway to queue the conversation for an operator (``custom.handoff: request``;
the gateway's handoff replaces this reply with the queue position when it is enabled)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_text
from actions.question_first import answered_instead
from troly06.wording import buttons, say
from troly06.yamlfile import read_yaml

HANDOFF_FILE = Path(__file__).with_name("data") / "handoff.yaml"
# A request for a person is short ("cho tôi gặp cán bộ", "mình muốn nói chuyện với người
# thật được không"); a longer message read as one is usually a question addressed to the
# authorities ("Bộ Công an cho tôi hỏi, …"), answered first when the KB is sure of it, even
# when it names an official. A short one that names no person (actions/question_first.py)
# is a question too.
LONG_MESSAGE_WORDS = 25


@lru_cache(maxsize=1)
def handoff_text(path: str = str(HANDOFF_FILE)) -> str:
    """The contact message built from the handoff YAML (read once)."""
    data = read_yaml(Path(path)) or {}
    lines = [data.get("intro", "").strip()]
    lines += [f"• {c['name']}: {c['how']}" for c in data.get("contacts", [])]
    if data.get("outro"):
        lines.append(data["outro"].strip())
    return "\n".join(line for line in lines if line)


class ActionHandoff(Action):
    """Send the hotline / contact list."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Reply with the contacts, or answer a question the KB is sure of."""
        long = len(latest_text(tracker).split()) > LONG_MESSAGE_WORDS
        answered = await answered_instead(dispatcher, tracker, "human_handoff",
                                          buttons("handoff.offer_buttons"), force=long)
        if answered is not None:
            return answered
        dispatcher.utter_message(text=handoff_text(),
                                 buttons=[{"title": say("chat.back_to_menu"), "payload": "/start"}],
                                 json_message={"handoff": "request"})
        return []
