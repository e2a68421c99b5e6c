"""The project's one Vietnamese text module: Unicode form, diacritics, folding and the one
abbreviation / teen-code map, used by the NLU (Rasa side), the knowledge base and the
statistics alike.

* :func:`nfc` — the canonical Unicode form.
* :func:`strip_diacritics` — "Đăng ký thường trú" → "Dang ky thuong tru".
* :func:`fold` — lower-case, diacritic-free, **one output character per input character**,
  so a match found in folded text can be cut from the original at the same offsets.
* :func:`folded_words` — " w1 w2 … ": whole-word cue matching on diacritic-free words.
* :func:`abbreviations`, :func:`expand_word`, :func:`expand_abbreviations` — the map in
  ``troly06/vi_abbreviations.yaml`` ("ko dk dc" → "không đăng ký được"); one meaning per key,
  the one it has in Đề án 06 questions ("dk" is "đăng ký", "mk" is "mật khẩu").

Imports only PyYAML and the standard library, so the Rasa side (Python 3.10) uses it too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from troly06.yamlfile import read_yaml

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "vi_abbreviations.yaml"
_WORD = re.compile(r"\w+", re.UNICODE)
_D = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (the project's canonical form)."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks (đ → d), keeping the case."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return unicodedata.normalize("NFC", "".join(
        ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for lo, hi in ((0x00C0, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.combining(ch):
                table[cp] = ord(" ")  # a stray combining mark (decomposed input): blank it
                continue
            base = unicodedata.normalize("NFD", ch)[0].lower()
            if len(base) == 1 and base.isascii():
                table[cp] = ord(base)
    for src, dst in {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ư": "u", "Ư": "u", "ơ": "o",
                     "Ơ": "o", "\u00a0": " ", "\u2013": "-", "\u2014": "-", "\u201c": '"',
                     "\u201d": '"', "\u2018": "'", "\u2019": "'"}.items():
        table[ord(src)] = ord(dst)
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = cp + 32
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics, one output character per input character."""
    return text.translate(_FOLD)


def folded_words(text: str) -> str:
    """``" w1 w2 … "``: the lower-case, diacritic-free words of ``text`` padded with spaces,
    so a cue matches whole words with ``f" {cue} " in folded_words(text)``."""
    return " " + " ".join(_WORD.findall(strip_diacritics(text.lower()))) + " "


@lru_cache(maxsize=4)
def abbreviations(path: str | None = None) -> dict[str, str]:
    """The abbreviation map (keys lower-case NFC, possibly several tokens)."""
    file = Path(path) if path else ABBREVIATIONS_FILE
    data = read_yaml(file) or {}
    raw = data.get("abbreviations", {}) or {}
    return {nfc(str(k)).lower().strip(): nfc(str(v)).lower().strip() for k, v in raw.items()}


def expand_word(word: str) -> str:
    """One token's expansion ("dk" → "đăng ký"), or the token lower-cased."""
    low = nfc(word).lower()
    return abbreviations().get(low, low)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping = abbreviations()
    keys = sorted(mapping, key=len, reverse=True)  # "vn eid" before a shorter overlap
    alternatives = "|".join(r"\s+".join(map(re.escape, k.split())) for k in keys)
    return (re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.UNICODE),
            {" ".join(k.split()): v for k, v in mapping.items()})


def expand_abbreviations(text: str) -> str:
    """Replace whole-token abbreviations in lower-case ``text`` by their expansion."""
    pattern, lookup = _pattern()
    return pattern.sub(lambda m: lookup.get(" ".join(m.group(0).split()), m.group(0)), text)
