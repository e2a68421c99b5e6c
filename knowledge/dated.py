"""Sentences that hold only for a period, inside an entry's answer or aspects.

A fee waiver or a transition period often covers one sentence of an entry, not the whole
entry ("Đến hết 28/02/2027, nộp trực tuyến được miễn lệ phí."). Such a sentence is written

    [[until 2027-02-28: Đến hết 28/02/2027, nộp trực tuyến được miễn lệ phí.]]
    [[from 2027-01-01: Từ 01/01/2027, lệ phí thu đủ mức.]]

and is shown only while it holds (``until``: to that day inclusive; ``from``: from that day),
judged at the day the answer is given. So the entry neither goes dark nor keeps saying a
waiver applies after it ended, and nobody has to reword it on the day. The index reads every
span (:func:`plain`): what a question finds does not change overnight.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

# "[[until 2027-02-28: …]]" / "[[from 2027-03-01: …]]"; the text holds no "[[" or "]]"
SPAN = re.compile(r"\[\[(until|from) (\d{4}-\d{2}-\d{2}): ((?:(?!\[\[|\]\]).)+?)\]\]", re.S)
_MARK = re.compile(r"\[\[|\]\]")
_SPACES = re.compile(r"[ \t]{2,}")


def _tidy(text: str) -> str:
    """Whitespace left where a span was dropped."""
    return _SPACES.sub(" ", re.sub(r"[ \t]+([.,;:)])", r"\1", text)).strip()


def holds(kind: str, day: str, today: str) -> bool:
    """Whether a span of ``kind`` (until | from) dated ``day`` holds at ``today`` (ISO)."""
    return today <= day if kind == "until" else today >= day


def active(text: str, today: str) -> str:
    """``text`` as it reads at ``today`` (ISO date): spans that hold, without their marks."""
    if "[[" not in text:
        return text
    return _tidy(SPAN.sub(lambda m: m.group(3) if holds(m.group(1), m.group(2), today) else "",
                          text))


def current(text: str, today: str) -> list[str]:
    """The texts of the spans of ``text`` that hold at ``today``, as :func:`active` shows them
    (what :func:`knowledge.fit.fit_text` drops last)."""
    return [_tidy(t) for kind, day, t in spans(text) if holds(kind, day, today)]


def plain(text: str) -> str:
    """``text`` with every span's words and no marks (what the index reads)."""
    return SPAN.sub(lambda m: m.group(3), text) if "[[" in text else text


def longest(text: str) -> str:
    """The longest reading of ``text`` on any day (what a length limit must allow)."""
    if "[[" not in text:
        return text
    days = {"0001-01-01", "9999-12-31"}
    for kind, day, _ in spans(text):
        try:
            d = date.fromisoformat(day)
        except ValueError:
            continue
        days |= {day, (d + timedelta(days=1 if kind == "until" else -1)).isoformat()}
    # most words, then most characters; days in order, so ties are decided the same each run
    return max((active(text, d) for d in sorted(days)), key=lambda t: (len(t.split()), len(t)))


def without_until(text: str) -> str:
    """``text`` without its ``until`` spans: the sentences nobody has to reword when a period
    ends (the audit's view)."""
    if "[[" not in text:
        return text
    return _tidy(SPAN.sub(lambda m: "" if m.group(1) == "until" else m.group(3), text))


def spans(text: str) -> list[tuple[str, str, str]]:
    """``(kind, ISO day, text)`` of each span."""
    return [(m.group(1), m.group(2), m.group(3)) for m in SPAN.finditer(text)]


def problems(text: str) -> list[str]:
    """What is wrong with the spans of ``text`` (unbalanced marks, an impossible date)."""
    found: list[str] = []
    for kind, day, _ in spans(text):
        try:
            date.fromisoformat(day)
        except ValueError:
            found.append(f"dated span '{kind} {day}': not a date")
    if _MARK.search(SPAN.sub("", text)):
        found.append("dated span: '[[' or ']]' outside '[[until|from YYYY-MM-DD: text]]'")
    return found
