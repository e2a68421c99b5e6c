"""A typed command decides the intent: ``xuhuong kích hoạt VNeID`` is a trend request.

Rasa's REST channel rewrites ``/xuhuong kích hoạt VNeID`` to ``xuhuong kích hoạt VNeID``
(:func:`troly06.commands.rewrite`) so that DIET still extracts the entities; but DIET may
read the arguments as a citizen's question ("kích hoạt VNeID" is a knowledge topic). The
official chose the command, so its intent (``troly06/commands.yaml``) is set with full
confidence; entities stay DIET's. Only command keywords that are not Vietnamese words
("thongke", "sosanh", "xuhuong") are recognised, at the start of the message.
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from troly06.commands import keyword_intent, keyword_intents


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CommandIntent(GraphComponent):
    """Set the command's intent when a message starts with a command keyword."""

    def __init__(self, keywords: Dict[str, str]) -> None:
        """``keywords``: command keyword -> intent."""
        self.keywords = keywords

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "CommandIntent":
        """The vocabulary's keywords (read once per model load)."""
        return cls(keyword_intents())

    def intent_of(self, text: str) -> str | None:
        """The intent a message's leading command keyword names, if any (the one rule of
        :func:`troly06.commands.keyword_intent`, with the keywords read at model load)."""
        return keyword_intent(text, self.keywords)

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of command messages."""
        for message in messages:
            intent = self.intent_of(str(message.get(TEXT) or ""))
            if intent is None:
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get("name") != intent]
            message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking],
                        add_to_output=True)
        return messages
