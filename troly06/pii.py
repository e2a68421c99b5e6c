"""Personal-data guard: find and mask ID, phone, passport, social-insurance numbers and emails.

Citizens type their CMND (9 digits), CCCD / personal identification number (12 digits), BHXH
number (10 digits), passport number, phone number or email. These must never be echoed,
stored or logged. Every boundary (each channel's ingress, the stores, the log formatter)
calls :func:`mask_pii` before text goes further.

How it works, in one pass each (all patterns are linear: bounded separators, no nesting):

1. :func:`normalize_for_pii` — NFKC (full-width digits become ASCII), zero-width characters
   and soft hyphens removed, every other kind of space (NBSP, thin space…) made a plain space.
   Newlines are kept, so reports keep their lines; they still count as separators.
2. Dates and date ranges ("06.07-12.07.2023", "19/11/2026") are set aside, so they survive.
3. Emails, passports, phones, then any run of 9–12 digits (ID, CMND, BHXH, 11-digit typos),
   digits grouped with spaces, dots, dashes (spaced or not), slashes or line breaks.
   Amounts grouped by thousands and followed by a unit ("1.500.000.000 đồng") are figures,
   not identifiers, and stay.
"""

from __future__ import annotations

import logging
import re
import unicodedata

ID_MASK = "[số định danh đã ẩn]"
PHONE_MASK = "[số điện thoại đã ẩn]"
EMAIL_MASK = "[email đã ẩn]"
PASSPORT_MASK = "[số hộ chiếu đã ẩn]"
MASKS = (ID_MASK, PHONE_MASK, EMAIL_MASK, PASSPORT_MASK)
_MASK_RE = re.compile("|".join(re.escape(m) for m in MASKS))

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_OTHER_SPACE = re.compile(r"[^\S\n]")  # whitespace except the newline
# Between two digits of one number: one separator, possibly with spaces around it.
_SEP = r"(?:[ ]?[.\-/–—][ ]?|[ ]|\n)"
_D = r"(?:" + _SEP + r")?\d"

_DATE = r"(?:[0-2]?\d|3[01])[./\-](?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d\d"
_DATES = re.compile(
    r"(?<![\d.])(?:"
    + r"(?:19|20)\d\d-[01]\d-[0-3]\d(?:[ T][0-2]\d:[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?)?"  # ISO
    + r"|"
    + _DATE + r"(?:[./\-]" + _YEAR + r")?[ \t]*[-–—][ \t]*" + _DATE + r"[./\-]" + _YEAR  # range
    + r"|" + _DATE + r"[./\-]" + _YEAR                                                  # date
    + r"|(?:[0-2]?\d|3[01])[./](?:0?[1-9]|1[0-2])(?![\d])"                              # dd/mm
    + r")(?![\d])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+")
# Vietnamese passports: one letter and 7 digits (C1234567), or two letters and 7 digits.
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[ ]?\d{7}(?![\d])")
# Vietnamese phones: 0, 84, +84 or 0084 (maybe in brackets), then 9 digits (10 for landlines).
_PHONE = re.compile(r"(?<![\d])(?:\(?(?:\+|00)84\)?|84|0)(?:" + _D + r"){9,10}(?![\d])")
_LONG_NUMBER = re.compile(r"(?<![\d])\d(?:" + _D + r"){8,11}(?![\d])")
_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_UNIT_AFTER = re.compile(r"[ \t]*(?:đ\b|đồng|vnđ|vnd|triệu|tỷ|người|hồ sơ|tài khoản|lượt|thẻ)",
                         re.IGNORECASE)
_PLACEHOLDER = "\ue000{}\ue001"
_PLACEHOLDER_RE = re.compile("\ue000(\\d+)\ue001")


def normalize_for_pii(text: str) -> str:
    """NFKC, zero-width characters removed, all spaces but newlines made ASCII spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    return _OTHER_SPACE.sub(" ", text)


def _set_aside(text: str, pattern: re.Pattern[str], kept: list[str]) -> str:
    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return _PLACEHOLDER.format(len(kept) - 1)

    return pattern.sub(keep, text)


def _mask_long(match: re.Match[str]) -> str:
    value = match.group(0)
    if _AMOUNT.fullmatch(value) and _UNIT_AFTER.match(match.string, match.end()):
        return value
    return ID_MASK


def _scan(text: str) -> tuple[str, list[str]]:
    """The masked text and the kinds found ("email", "passport", "phone", "id")."""
    kinds: list[str] = []
    kept: list[str] = []
    out = _set_aside(normalize_for_pii(text), _DATES, kept)
    for kind, pattern, repl in (("email", _EMAIL, EMAIL_MASK),
                                ("passport", _PASSPORT, PASSPORT_MASK),
                                ("phone", _PHONE, PHONE_MASK),
                                ("id", _LONG_NUMBER, _mask_long)):
        out, n = pattern.subn(repl, out)  # type: ignore[arg-type]
        if n and (kind != "id" or ID_MASK in out):
            kinds.append(kind)
    if kept:
        out = _PLACEHOLDER_RE.sub(lambda m: kept[int(m.group(1))], out)
    return out, kinds


def mask_and_find(text: str) -> tuple[str, list[str]]:
    """``(mask_pii(text), find_pii(text))`` in one pass (for ingress, which needs both)."""
    return _scan(text) if text else (text, [])


def find_pii(text: str) -> list[str]:
    """The kinds of personal data found in ``text`` ("email", "passport", "phone", "id")."""
    return _scan(text)[1] if text else []


def contains_pii(text: str) -> bool:
    """True when ``text`` holds an ID, phone, passport, BHXH number or an email."""
    return bool(find_pii(text))


def mask_pii(text: str) -> str:
    """``text`` normalised (see :func:`normalize_for_pii`) with every personal item masked.

    Idempotent: masking masked text changes nothing.
    """
    if not text:
        return text
    return _scan(text)[0]


def strip_masks(text: str) -> str:
    """``text`` without this module's mask placeholders (their words must not steer a search).

    Whether personal data was found travels as metadata (``pii`` kinds), never by looking
    for the masks; this only removes them from masked text."""
    return _MASK_RE.sub(" ", text) if text else text


class PiiFormatter(logging.Formatter):
    """Wraps a handler's formatter and masks the whole formatted record, traceback included.

    A formatter, not a filter: it never rewrites the record (uvicorn's access formatter reads
    ``record.args``), and it sees what a filter cannot — exception text and stack traces.
    """

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return mask_pii(self.inner.format(record))


def install_log_masking(logger: logging.Logger | None = None) -> None:
    """Wrap the formatter of every handler of ``logger`` (root by default) in a PiiFormatter.

    Child loggers propagate to these handlers, so they are covered too. Idempotent.
    """
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not isinstance(handler.formatter, PiiFormatter):
            handler.setFormatter(PiiFormatter(handler.formatter))


def install_log_filter(logger: logging.Logger | None = None) -> None:
    """Former name of :func:`install_log_masking` (kept for callers in other processes)."""
    install_log_masking(logger)
