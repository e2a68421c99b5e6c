"""Length-preserving Vietnamese text folding used by the parser and locality matching.

:func:`fold` lower-cases text and strips every diacritic ("Đề án" -> "de an", OCR's
"ƯBND" -> "ubnd") while keeping one output character per input character, so a match
found in the folded text can be cut from the original text at the same offsets.
"""

from __future__ import annotations

import re
import unicodedata


def _build_table() -> dict[int, int]:
    table: dict[int, int] = {}
    ranges = [(0x00C0, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.combining(ch):
                table[cp] = ord(" ")  # stray combining mark (decomposed input): blank it
                continue
            base = unicodedata.normalize("NFD", ch)[0].lower()
            if len(base) == 1 and base.isascii():
                table[cp] = ord(base)
    for src, dst in {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ư": "u", "Ư": "u",
                     "ơ": "o", "Ơ": "o", "\u00a0": " ", "\u2013": "-", "\u2014": "-",
                     "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}.items():
        table[ord(src)] = ord(dst)
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = cp + 32
    return table


_TABLE = _build_table()
_SPACES = re.compile(r"\s+")
_LOCALITY_PREFIX = re.compile(
    r"^(?:thanh pho|tp\.?|thi xa|tx\.?|huyen|quan|q\.|tinh|t\.|h\.|ubnd|uy ban nhan dan"
    r"|phuong|p\.|xa|thi tran|tt\.|dac khu)\s+"
)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics, one output char per input char."""
    return text.translate(_TABLE)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (the project's canonical form)."""
    return unicodedata.normalize("NFC", text)


def locality_key(name: str) -> str:
    """Matching key of a locality name: folded, prefixes removed, single spaces.

    "TP Ngã Bảy", "thành phố Ngã Bảy", "nga bay" all give ``"nga bay"``.
    """
    key = _SPACES.sub(" ", fold(nfc(name))).strip(" .,:;-")
    previous = None
    while previous != key:
        previous = key
        key = _LOCALITY_PREFIX.sub("", key).strip()
    return key


_WORD_DATE = re.compile(r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:,\s*)?nam\s+(\d{4}))?")


def words_to_dates(folded: str) -> str:
    """"06 thang 7 nam 2023" -> "06/7/2023" (folded text; used only to find periods)."""
    return _WORD_DATE.sub(lambda m: f"{m.group(1)}/{m.group(2)}"
                          + (f"/{m.group(3)}" if m.group(3) else ""), folded)
