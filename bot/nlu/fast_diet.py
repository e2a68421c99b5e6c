"""DIETClassifier that loads in a fraction of the time.

Why Rasa 3.6 takes so long to load a model (profiled with cProfile, see docs/rasa.md):
``RasaModel.load`` first *trains on one example* (``model.fit``) only to create the weights,
which makes TensorFlow trace the whole training graph — including the CRF entity loss — and
then traces the prediction graph. Tracing the training graph was ~90 % of ``Agent.load``.

This subclass skips that step: it asks Keras to restore the checkpoint lazily
(object-based checkpoints restore each variable when it is created), then runs one
prediction, which creates — and thereby restores — exactly the variables inference needs.
Optimizer slots, which only training uses, are left out (``expect_partial``). Predictions are
identical to the stock loader (checked by tests/rasa/rasa_env_checks.py). Training, and
fine-tuning (``finetune_mode``), use the stock code path unchanged.
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037, UP045

from __future__ import annotations

import logging
from typing import Any, Optional, Text, Type

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import LEARNING_RATE
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)


class FastLoadDIET(DIET):
    """DIET whose :meth:`load` does not trace the training graph."""

    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> "RasaModel":
        """Restore weights lazily and build them through one prediction."""
        if finetune_mode or predict_data_example is None:
            return super().load(model_file_name, model_data_example, predict_data_example,
                                finetune_mode, *args, **kwargs)
        model = cls(*args, **kwargs)
        learning_rate = kwargs.get("config", {}).get(LEARNING_RATE, 0.001)
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate))
        status = model.load_weights(model_file_name)  # deferred: variables do not exist yet
        model.run_inference(predict_data_example)  # creates (and so restores) the variables
        status.expect_partial()  # optimizer slots are only needed for training
        logger.debug("Loaded %s without tracing the training graph.", cls.__name__)
        return model


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class FastLoadDIETClassifier(DIETClassifier):
    """:class:`DIETClassifier` with :class:`FastLoadDIET` as its model (same config)."""

    @staticmethod
    def model_class() -> Type[RasaModel]:
        """The TensorFlow model class."""
        return FastLoadDIET
