"""One Vietnamese text normaliser shared by the index and the queries.

Steps (:func:`normalize`): Unicode NFC, lower-case, tone-mark placement and spacing as
underthesea's ``text_normalize`` does ("hoà" -> "hòa"), teen-code / abbreviation expansion
from ``knowledge/abbreviations.yaml`` ("ko dk dc cccd" -> "không đăng ký được căn cước
công dân"), whitespace collapse. :func:`fold` additionally strips diacritics (đ -> d) for
the lexical retriever, so "lam can cuoc o dau" and "làm căn cước ở đâu" meet.
Optional underthesea word segmentation is available through ``segment=True``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "abbreviations.yaml"

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Characters that carry no meaning for retrieval (markdown, bullets, quotes, emoji...).
_NOISE = re.compile(r"[^\w\s.,;:?!%/()\-+]", re.UNICODE)


@lru_cache(maxsize=1)
def load_abbreviations(path: str | None = None) -> dict[str, str]:
    """Read the abbreviation map (keys lower-case NFC, possibly several tokens)."""
    file = Path(path) if path else ABBREVIATIONS_FILE
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    raw = data.get("abbreviations", {}) or {}
    return {
        unicodedata.normalize("NFC", str(k)).lower().strip():
        unicodedata.normalize("NFC", str(v)).lower().strip()
        for k, v in raw.items()
    }


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping = load_abbreviations()
    # Longest keys first so "vn eid" wins over a shorter overlapping key.
    keys = sorted(mapping, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, k.split())) for k in keys)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.UNICODE)
    lookup = {" ".join(k.split()): v for k, v in mapping.items()}
    return pattern, lookup


def expand_abbreviations(text: str) -> str:
    """Replace whole-token abbreviations in lower-case ``text`` by their expansion."""
    pattern, lookup = _abbreviation_pattern()
    return pattern.sub(lambda m: lookup.get(" ".join(m.group(0).split()), m.group(0)), text)


def _tone_normalize(text: str) -> str:
    """Old/new tone-mark placement, as underthesea's ``text_normalize`` does."""
    try:
        from underthesea import text_normalize
    except ImportError:  # pragma: no cover - underthesea is a hard dependency
        return text
    try:
        return str(text_normalize(text))
    except Exception:  # noqa: BLE001 - odd input must never break a query
        return text


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics: "Đăng ký thường trú" -> "Dang ky thuong tru"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


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


def folded_words(text: str) -> str:
    """``" w1 w2 … "``: the lower-case, diacritic-free words of ``text`` padded with spaces,
    so a cue matches whole words with ``f" {cue} " in folded_words(text)``."""
    return " " + " ".join(_TOKEN.findall(strip_diacritics(text.lower()))) + " "


def segment_words(text: str) -> str:
    """Join multi-syllable words with "_" using underthesea ("căn cước" -> "căn_cước")."""
    try:
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
