"""Send messages made only of words never seen in training to the fallback.

DIET gives *some* intent a high confidence even for "qwrt zxvb plok", so the
FallbackClassifier's threshold does not catch gibberish. This component remembers the token
lemmas of the training data (diacritic-free, see ``vi_tokenizer``) and, when none of a
message's word lemmas is known, sets the intent to ``nlu_fallback`` ("Mình chưa hiểu…").
Numbers, feedback emoji and masked personal numbers count as known.
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037, UP045

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

FALLBACK_INTENT = "nlu_fallback"


def _always_known(lemma: str) -> bool:
    return lemma.isdigit() or lemma.startswith(("pii_", "emoji_")) or len(lemma) < 2


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class UnknownWordsGuard(GraphComponent):
    """Fallback for messages with no known word."""

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, vocabulary: Optional[Set[str]] = None) -> None:
        """Keep the storage handles and the known lemmas."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary: Set[str] = vocabulary or set()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext
               ) -> "UnknownWordsGuard":
        """A new, untrained guard."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Collect the lemmas of every training example and persist them."""
        for example in training_data.training_examples:
            for token in example.get(TOKENS_NAMES[TEXT]) or []:
                self.vocabulary.add(token.lemma)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "vocabulary.json").write_text(
                json.dumps(sorted(self.vocabulary), ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnknownWordsGuard":
        """Read the persisted lemmas."""
        with model_storage.read_from(resource) as directory:
            vocabulary = set(json.loads((directory / "vocabulary.json").read_text("utf-8")))
        return cls(config, model_storage, resource, vocabulary)

    def is_unknown(self, lemmas: List[str]) -> bool:
        """True when the message has words and none of them was seen in training."""
        words = [lemma for lemma in lemmas if not _always_known(lemma)]
        return bool(words) and len(words) == len(lemmas) and \
            not any(word in self.vocabulary for word in words)

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of unknown-word messages."""
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            if self.vocabulary and self.is_unknown([t.lemma for t in tokens]):
                old = message.get(INTENT) or {}
                message.set(INTENT, {"name": FALLBACK_INTENT, "confidence": 1.0},
                            add_to_output=True)
                ranking = message.get(INTENT_RANKING_KEY) or []
                if old:
                    message.set(INTENT_RANKING_KEY,
                                [{"name": FALLBACK_INTENT, "confidence": 1.0}, *ranking],
                                add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to add to the training data."""
        return training_data
