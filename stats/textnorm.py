"""Text keys of the statistics: locality keys and dates written in words.

:func:`fold` and :func:`nfc` are the project's one Vietnamese text module's
(:mod:`troly06.vitext`): length-preserving folding ("Đề án" -> "de an", OCR's "ƯBND" ->
"ubnd"), so a match found in folded text can be cut from the original at the same offsets.
"""

from __future__ import annotations

import re

from troly06.vitext import fold, nfc

__all__ = ["fold", "locality_key", "nfc", "words_to_dates"]


_SPACES = re.compile(r"\s+")
_LOCALITY_PREFIX = re.compile(
    r"^(?:thanh pho|tp\.?|thi xa|tx\.?|huyen|quan|q\.|tinh|t\.|h\.|ubnd|uy ban nhan dan"
    r"|phuong|p\.|xa|thi tran|tt\.|dac khu)\s+"
)


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
