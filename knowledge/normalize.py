"""One Vietnamese text normaliser shared by the index and the queries.

Steps (:func:`normalize`): Unicode NFC, lower-case, tone-mark placement and spacing as
underthesea's ``text_normalize`` does ("hoà" -> "hòa"), teen-code / abbreviation expansion
with the project's one map (:mod:`troly06.vitext`, ``troly06/vi_abbreviations.yaml``: "ko dk
dc cccd" -> "không đăng ký được căn cước công dân"), whitespace collapse. :func:`fold`
additionally strips diacritics (đ -> d) for the lexical retriever, so "lam can cuoc o dau"
and "làm căn cước ở đâu" meet. Optional underthesea word segmentation is available through
``segment=True``.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import threading
import types
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from troly06.vitext import (
    ABBREVIATIONS_FILE,
    abbreviations,
    expand_abbreviations,
    folded_words,
    strip_diacritics,
)

__all__ = ["ABBREVIATIONS_FILE", "expand_abbreviations", "fold", "fold_normalized",
           "fold_spelling", "folded_words", "load_abbreviations", "normalize",
           "segment_words", "strip_diacritics", "tokens"]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Characters that carry no meaning for retrieval (markdown, bullets, quotes, emoji...).
_NOISE = re.compile(r"[^\w\s.,;:?!%/()\-+]", re.UNICODE)


def load_abbreviations(path: str | None = None) -> dict[str, str]:
    """The one abbreviation map (:func:`troly06.vitext.abbreviations`)."""
    return abbreviations(path)


_IMPORT_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _text_normalizer() -> Callable[[str], str] | None:
    """underthesea's own ``text_normalize``, imported without the package's ``__init__``.

    ``import underthesea`` loads every pipeline it has (NER, chunking, POS, classifiers,
    an agent...): ~0.3 s, a quarter of a cold ``troly06 ask``, for one function that needs
    none of them. The submodule is imported under a bare stand-in for the package (its
    ``__path__`` only) that is removed again, so a later ``import underthesea`` elsewhere
    runs the real ``__init__`` and finds this same submodule (tests check both agree).
    """
    with _IMPORT_LOCK:
        if "underthesea" in sys.modules:  # already imported whole: use it
            try:
                return importlib.import_module("underthesea").text_normalize  # type: ignore[no-any-return]
            except (ImportError, AttributeError):  # pragma: no cover
                return None
        spec = importlib.util.find_spec("underthesea")
        if spec is None or not spec.submodule_search_locations:  # pragma: no cover
            return None
        stand_in = types.ModuleType("underthesea")
        stand_in.__path__ = list(spec.submodule_search_locations)
        sys.modules["underthesea"] = stand_in
        try:
            module = importlib.import_module("underthesea.pipeline.text_normalize")
        except ImportError:  # pragma: no cover - underthesea is a hard dependency
            return None
        finally:
            if sys.modules.get("underthesea") is stand_in:
                del sys.modules["underthesea"]
        return module.text_normalize  # type: ignore[no-any-return]


def _tone_normalize(text: str) -> str:
    """Old/new tone-mark placement, as underthesea's ``text_normalize`` does."""
    text_normalize = _text_normalizer()
    if text_normalize is None:  # pragma: no cover
        return text
    try:
        return str(text_normalize(text))
    except Exception:  # noqa: BLE001 - odd input must never break a query
        return text


def normalize(text: str, segment: bool = False) -> str:
    """Normalise ``text`` for retrieval (diacritics kept); see the module docstring."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).lower()
    text = _NOISE.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    if not text:
        return ""
    # Expand before underthesea's tokenisation, which would split "100k" into "100 k".
    text = expand_abbreviations(text)
    text = unicodedata.normalize("NFC", _tone_normalize(text))
    if segment:
        text = segment_words(text)
    return _SPACE.sub(" ", text).strip()


# "kí/ký", "lí/lý", "mĩ/mỹ"...: both spellings are correct; fold the syllable-final "y"
# after a consonant to "i" so the lexical retriever treats them alike.
_Y_AS_I = re.compile(r"\b([bdhklmnrstv])y\b")


def fold_spelling(folded: str) -> str:
    """Unify i/y spelling variants in diacritic-free text ("ky" -> "ki")."""
    return _Y_AS_I.sub(r"\1i", folded)


def fold_normalized(normalized: str) -> str:
    """The lexical view of an already :func:`normalize`-d text."""
    return fold_spelling(strip_diacritics(normalized))


def fold(text: str, segment: bool = False) -> str:
    """:func:`normalize` then strip diacritics (and unify i/y): the lexical view of ``text``."""
    return fold_spelling(strip_diacritics(normalize(text, segment=segment)))


def segment_words(text: str) -> str:
    """Join multi-syllable words with "_" using underthesea ("căn cước" -> "căn_cước")."""
    try:
        with _IMPORT_LOCK:  # never while _text_normalizer's stand-in is in sys.modules
            from underthesea import word_tokenize
    except ImportError:  # pragma: no cover
        return text
    try:
        return str(word_tokenize(text, format="text"))
    except Exception:  # noqa: BLE001
        return text


def tokens(text: str) -> list[str]:
    """Word tokens of an already normalised text."""
    return _TOKEN.findall(text)
