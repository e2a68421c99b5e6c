"""``action_handoff``: tell the user how to reach a person (contacts from ``data/handoff.yaml``)
and ask the gateway to queue the conversation for an operator (``custom.handoff: request``;
the gateway's handoff replaces this reply with the queue position when it is enabled)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from troly06.wording import say

HANDOFF_FILE = Path(__file__).with_name("data") / "handoff.yaml"


@lru_cache(maxsize=1)
def handoff_text(path: str = str(HANDOFF_FILE)) -> str:
    """The contact message built from the handoff YAML (read once)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
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
        """Reply with the contacts."""
        dispatcher.utter_message(text=handoff_text(),
                                 buttons=[{"title": say("chat.back_to_menu"), "payload": "/start"}],
                                 json_message={"handoff": "request"})
        return []
