"""Merge adjacent entities of the same type that the extractor split in two.

DIET sometimes tags "tx long my" as ``locality: "tx"`` + ``locality: "long my"``; merged,
"tx long my" is then mapped by EntitySynonymMapper to "Thị xã Long Mỹ". Place it after the
extractor and before ``EntitySynonymMapper``. Nothing is trained.
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037, UP045

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def merge_adjacent(text: str, entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Entities with same-type neighbours separated only by spaces joined into one."""
    merged: List[Dict[str, Any]] = []
    for entity in sorted(entities, key=lambda e: (e.get("start", 0), e.get("end", 0))):
        last = merged[-1] if merged else None
        if (last is not None and last.get("entity") == entity.get("entity")
                and "start" in entity and "end" in last
                and last.get("extractor") == entity.get("extractor")
                and 0 <= entity["start"] - last["end"] <= 2
                and not text[last["end"]:entity["start"]].strip()):
            last["end"] = entity["end"]
            last["value"] = text[last["start"]:last["end"]]
            if "confidence_entity" in last and "confidence_entity" in entity:
                last["confidence_entity"] = min(last["confidence_entity"],
                                                entity["confidence_entity"])
            last.setdefault("processors", []).append("EntityMerger")
            continue
        merged.append(dict(entity))
    return merged


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class EntityMerger(GraphComponent):
    """Joins split entities (see module docstring)."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "EntityMerger":
        """Nothing to configure."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Merge the entities of each message."""
        for message in messages:
            entities = message.get(ENTITIES) or []
            if len(entities) > 1:
                message.set(ENTITIES, merge_adjacent(message.get(TEXT) or "", entities),
                            add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is annotated by hand: left as it is."""
        return training_data
