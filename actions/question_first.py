"""A citizen's question the NLU read as another intent is still answered.

The NLU separates chit-chat, requests for a person and personal numbers from questions;
the knowledge base decides what it can answer (issue 13). A short question such as "Xin
phiếu lý lịch tư pháp trực tiếp hoặc qua bưu chính" is sometimes read as a request for a
person, "Chưa có thẻ, tra số định danh cá nhân ở đâu" as a message giving a personal
number: those intents' replies would leave the question unanswered. So the actions of
those intents first ask here. When the message says none of what the intent is about
(``data/intent_cues.yaml``: "gặp cán bộ", "trợ giúp"…) and the KB is sure of an answer, the
answer is sent instead; otherwise the intent's own reply follows.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_text
from actions.knowledge_search import ask_knowledge, send_answer
from troly06.vitext import folded_words
from troly06.yamlfile import read_yaml

CUES_FILE = Path(__file__).with_name("data") / "intent_cues.yaml"


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    data = read_yaml(CUES_FILE) or {}
    return {intent: tuple(folded_words(str(c)).strip() for c in cues or [])
            for intent, cues in data.items()}


def says_intent(intent: str, text: str) -> bool:
    """Whether ``text`` names one of ``intent``'s cues (whole words, folded)."""
    padded = folded_words(text)
    return any(f" {cue} " in padded for cue in _cues().get(intent, ()) if cue)


async def answered_instead(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str,
                           extra_buttons: list[dict[str, str]] | None = None,
                           force: bool = False) -> list[EventType] | None:
    """Answer the latest message from the KB when it is a question read as ``intent`` (it
    names none of the intent's cues, or ``force``) and the KB is sure; None otherwise, so the
    caller sends the intent's own reply. A message without a word (a bare 👍) is never
    asked: the KB has nothing to search for."""
    text = latest_text(tracker)
    if not folded_words(text).strip() or (not force and says_intent(intent, text)):
        return None
    result = await ask_knowledge(tracker)
    if result is None or result.get("status") != "answered":
        return None
    return send_answer(dispatcher, result, extra_buttons)


class ActionPiiNotice(Action):
    """A message carrying a personal number: answer what it asks, if anything (the answer
    says the number was hidden), else explain that no number is needed."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_pii_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Answer the question, or send ``utter_pii_notice``."""
        answered = await answered_instead(dispatcher, tracker, "provide_personal_info")
        if answered is not None:
            return answered
        dispatcher.utter_message(response="utter_pii_notice")
        return []


class ActionHelp(Action):
    """A request for help: what the assistant can do, unless it was a question after all."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Answer the question, or send ``utter_help``."""
        answered = await answered_instead(dispatcher, tracker, "help")
        if answered is not None:
            return answered
        dispatcher.utter_message(response="utter_help")
        return []
