"""Personal-data guard: find and mask ID numbers and phone numbers.

Citizens sometimes type their CMND (9 digits), CCCD / personal identification number
(12 digits) or phone number. These must never be echoed, stored or logged. Every layer
(bot tracker, API, logs, feedback store) calls :func:`mask_pii` before writing text.
"""

from __future__ import annotations

import logging
import re

# Digits may be grouped with spaces, dots or dashes ("0912 345 678", "079.123.456.789").
_SEP = r"[ .\-]?"
# Vietnamese mobile/landline: 0 or +84/84 followed by 9 digits (10 digits with the 0).
_PHONE = re.compile(r"(?<![\d])(?:\+?84|0)" + r"(?:" + _SEP + r"\d){9}(?![\d])")
# 12-digit CCCD / personal ID number and 9-digit old CMND, possibly grouped.
_ID12 = re.compile(r"(?<![\d])\d(?:" + _SEP + r"\d){11}(?![\d])")
_ID9 = re.compile(r"(?<![\d])\d(?:" + _SEP + r"\d){8}(?![\d])")

ID_MASK = "[số định danh đã ẩn]"
PHONE_MASK = "[số điện thoại đã ẩn]"


def find_pii(text: str) -> list[str]:
    """Return the kinds of personal numbers found in ``text`` ("id", "phone")."""
    kinds: list[str] = []
    if _PHONE.search(text):
        kinds.append("phone")
    if _ID12.search(_PHONE.sub(" ", text)) or _ID9.search(_PHONE.sub(" ", text)):
        kinds.append("id")
    return kinds


def contains_pii(text: str) -> bool:
    """True when ``text`` holds an ID number or a phone number."""
    return bool(find_pii(text))


def mask_pii(text: str) -> str:
    """Replace every ID number and phone number in ``text`` with a neutral placeholder."""
    if not text:
        return text
    text = _PHONE.sub(PHONE_MASK, text)
    text = _ID12.sub(ID_MASK, text)
    return _ID9.sub(ID_MASK, text)


class PiiLogFilter(logging.Filter):
    """Logging filter that masks personal numbers in every record before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not kill logging
            return True
        masked = mask_pii(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_log_filter(logger: logging.Logger | None = None) -> None:
    """Attach :class:`PiiLogFilter` to every handler of ``logger`` (root by default)."""
    target = logger or logging.getLogger()
    flt = PiiLogFilter()
    target.addFilter(flt)
    for handler in target.handlers:
        handler.addFilter(flt)
