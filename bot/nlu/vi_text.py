"""The lemma of one token for the NLU, from the project's one Vietnamese text module.

:func:`normalize_word` lower-cases, expands abbreviations and teen code with the one map
(:func:`troly06.vitext.expand_word`, ``troly06/vi_abbreviations.yaml``, shared with the
knowledge base) and strips diacritics, so "cấp đổi", "cap doi" and "dk" / "đăng ký" look
alike to DIET. The feedback emoji become words; every other symbol is dropped by the
tokenizer. No Rasa imports: the same code runs in the 3.10 and 3.11 environments.
"""

from __future__ import annotations

import re

from troly06.vitext import expand_word, strip_diacritics

# Emoji the bot understands (feedback); every other symbol is dropped by the tokenizer.
EMOJI_WORDS: dict[str, str] = {
    "👍": "emoji_thumbs_up", "👎": "emoji_thumbs_down", "❤": "emoji_heart",
    "🙏": "emoji_thanks", "👋": "emoji_wave", "😊": "emoji_smile", "🙂": "emoji_smile",
}

__all__ = ["EMOJI_WORDS", "normalize_text", "normalize_word", "strip_diacritics"]


def normalize_word(word: str) -> str:
    """Lemma of one token: lower-cased, abbreviation expanded, diacritics removed."""
    low = word.lower()
    if low in EMOJI_WORDS:
        return EMOJI_WORDS[low]
    return strip_diacritics(expand_word(low))


def normalize_text(text: str) -> str:
    """Whole-text form of :func:`normalize_word` (for lookups and tests)."""
    return " ".join(normalize_word(w) for w in re.findall(r"\w+", text))
