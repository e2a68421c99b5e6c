"""A scanner for personal data left in stored or logged text (used by the security tests).

Independent of :mod:`troly06.pii` on purpose (a second implementation to check the first):
runs of 9+ digits, Vietnamese phone numbers, emails. URLs of sources are skipped when asked
(article ids in newspaper links are long numbers, not personal data), and so are hex and
timestamp-like fields that are not text a person typed.
"""

from __future__ import annotations

import re
import unicodedata

_URL = re.compile(r"https?://\S+")
_DIGIT_RUN = re.compile(r"(?<![\w.])\d(?:[ .\-]?\d){8,}(?![\w])")
_PHONE = re.compile(r"(?<!\d)(?:\+84|0084|84|0)[ .\-]?\d{2,3}[ .\-]?\d{3}[ .\-]?\d{3,4}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+\.[\w.\-]+")
# dd.mm[.yyyy][-dd.mm.yyyy] and dd/mm/yyyy are dates, not identifiers
_DATES = re.compile(r"\b\d{1,2}[./]\d{1,2}(?:[./]\d{4})?(?:\s*[-–]\s*\d{1,2}[./]\d{1,2}"
                    r"[./]\d{4})?\b")
# ISO dates and log timestamps (2026-12-01 10:25:38,123)
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?")
_FLOAT = re.compile(r"^\d{10}\.\d+$|^\d{9,13}$")  # unix timestamps, ids of the DB itself


_TOKEN_CHARS = re.compile(r"\w")
_HEX_TOKEN = re.compile(r"[0-9a-fA-F]{12,}")


def _inside_hex_token(text: str, start: int, end: int) -> bool:
    """True when text[start:end] lies inside one word that is a hex id with letters (a uuid
    or a hash), not a number someone typed next to a word ("sdt0912345678" is not hex)."""
    while start > 0 and _TOKEN_CHARS.match(text[start - 1]):
        start -= 1
    while end < len(text) and _TOKEN_CHARS.match(text[end]):
        end += 1
    token = text[start:end]
    return bool(_HEX_TOKEN.fullmatch(token)) and not token.isdigit()


def scan_text(text: str, *, ignore_urls: bool = False) -> list[str]:
    """The personal-looking items in ``text``."""
    text = unicodedata.normalize("NFKC", text)
    if ignore_urls:
        text = _URL.sub(" ", text)
    text = _ISO.sub(" ", text)
    text = _DATES.sub(" ", text)
    found = [m.group(0) for m in _EMAIL.finditer(text)]
    for pattern in (_PHONE, _DIGIT_RUN):
        for m in pattern.finditer(text):
            value = m.group(0)
            if _inside_hex_token(text, m.start(), m.end()):
                continue  # a run of digits inside a uuid or hash ("…ab0748479698cd…")
            digits = re.sub(r"\D", "", value)
            if _FLOAT.match(value) and value.startswith(("16", "17", "18", "19")):
                continue  # a UNIX timestamp (2020s), not a number someone typed
            if re.fullmatch(r"\d{1,3}\.\d+", value):
                continue  # a decimal (NLU confidence), not an identifier
            if len(digits) > 16 and value.isdigit():
                continue  # one unbroken 17+ digit run is a hash or signature, not an ID
            if len(digits) >= 9:
                found.append(value)
    return found
