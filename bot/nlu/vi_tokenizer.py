"""Vietnamese tokenizer: PII masking + diacritic-free, teen-code-expanded lemmas.

Runs first in the NLU pipeline (``bot/config.yml``):

1. personal numbers (12/9-digit ID numbers, phone numbers) in the message text are replaced by
   placeholders (``troly06.pii``) so the parse data, entities and everything the action server
   sees never contain them; the kinds found are added to the parse data as ``pii``;
2. the text is split on word characters (the two feedback emoji and the PII placeholders are
   kept as single tokens); every token keeps its original ``text`` (used for entity values) and
   gets a ``lemma`` without diacritics and with chat abbreviations expanded ("ko" -> "khong").

Featurizers with ``use_lemma: true`` therefore see identical features for "cấp đổi CCCD" and
"cap doi cccd"; one featurizer with ``use_lemma: false`` keeps the diacritic information.
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037, UP045

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import regex
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.vi_text import EMOJI_WORDS, normalize_word
from troly06.pii import ID_MASK, PHONE_MASK, find_pii, install_log_filter, mask_pii

PII_KEY = "pii"
_PLACEHOLDER_LEMMA = {ID_MASK: "pii_id_number", PHONE_MASK: "pii_phone_number"}
_TOKEN_RE = regex.compile(
    "|".join(regex.escape(p) for p in _PLACEHOLDER_LEMMA)
    + "|"
    + "|".join(regex.escape(e) for e in EMOJI_WORDS)
    + r"|\w+(?:[./\-]\w+)*"
)

install_log_filter()  # Rasa's own log lines never show a personal number either


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class VietnameseTokenizer(WhitespaceTokenizer):
    """Whitespace-style tokenizer for Vietnamese with and without diacritics."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Same options as :class:`WhitespaceTokenizer`."""
        return WhitespaceTokenizer.get_default_config()

    @staticmethod
    def not_supported_languages() -> Optional[List[Text]]:
        """Vietnamese only is intended, but nothing is excluded."""
        return None

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Split ``attribute`` into tokens with normalised lemmas."""
        text = message.get(attribute) or ""
        tokens = [
            Token(
                m.group(0),
                m.start(),
                lemma=_PLACEHOLDER_LEMMA.get(m.group(0)) or normalize_word(m.group(0)),
            )
            for m in _TOKEN_RE.finditer(text)
        ]
        if not tokens:  # only punctuation/symbols: keep the text as one token
            tokens = [Token(text, 0, lemma=text)]
        return self._apply_token_pattern(tokens)

    @staticmethod
    def _mask(message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text:
            return
        kinds = find_pii(text)
        if kinds:
            message.set(TEXT, mask_pii(text))
        # "id" / "phone" when the user typed a personal number; [] otherwise
        already = message.get(PII_KEY) or []
        found = sorted(set(already) | set(kinds))
        message.set(PII_KEY, found, add_to_output=True)

    def process(self, messages: List[Message]) -> List[Message]:
        """Mask personal numbers, then tokenize."""
        for message in messages:
            self._mask(message)
        return super().process(messages)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Tokenize training data (it never holds real personal numbers)."""
        return super().process_training_data(training_data)
