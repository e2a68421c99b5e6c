"""What in the knowledge base needs re-verification, judged at a given date.

Four findings, each with the date by which it must be handled (soonest first):

* ``stale``: ``verified`` is older than the allowed age (default 6 months), due the day it
  crossed the limit;
* ``expiring``: a rule ends (``valid_until``) within the horizon (default 60 days) and no
  entry of the same topic takes over from the next day (``successor`` or ``valid_from``);
* ``defunct``: the text names a body or province that no longer exists (district police and
  people's committees, pre-1/7/2025 provinces) without saying it is history;
* ``lapsed``: a sentence says a rule applies "đến hết <date>" (a fee waiver, a transition)
  and that date has passed while the entry is still served, so it reads as current. A
  sentence written as a dated span (``[[until 2027-02-28: …]]``, :mod:`knowledge.dated`)
  leaves the answer by itself on that day and is never counted.

Plus ``due``: entries whose re-verification falls due within the horizon, so the list shows
what is coming, not only what is late; ``ends``: a sentence's "đến hết <date>" falls within
the horizon (wrap it in an ``until`` span, reword it or confirm an extension by then);
and ``unchecked``: a legal basis whose ``note`` says what is not checked yet (an article
number not read in the original text). ``troly06 kb audit`` prints this list; the data
tests fail on any ``stale``, ``expiring``, ``defunct`` or ``lapsed`` finding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from knowledge.dated import plain, without_until
from knowledge.kb import Entry
from knowledge.normalize import fold

MAX_VERIFIED_AGE_DAYS = 183
HORIZON_DAYS = 60

# Bodies abolished by the two-tier local government (district level gone since 1/7/2025;
# district police since 1/3/2025). Folded forms, matched on word boundaries.
_DEFUNCT_BODIES = ("cong an cap huyen", "cong an huyen", "ubnd huyen", "ubnd cap huyen",
                   "uy ban nhan dan cap huyen", "uy ban nhan dan huyen", "phong tu phap huyen",
                   "cong an quan huyen", "cap huyen")
# A sentence that says it is about the past may name them.
_HISTORY_MARKERS = ("truoc day", "truoc 01/7/2025", "truoc 1/7/2025", "truoc ngay",
                    "khong con", "bai bo", "da bo", "sap nhap", "sap xep", "cham dut",
                    "chuyen ve", "chuyen giao", "thay cho", "thay vi", "nay la", "truoc khi",
                    "truoc thoi diem", "nam 20", "bo cap huyen", "xoa bo", "sau khi bo",
                    "ket thuc", "khong phai", "giai the", "nhu truoc")
_OLD = re.compile(r"(?<!\w)cũ(?!\w)")  # "cũ" (old) needs its diacritics: "cu" is also "cư"
_SENTENCE = re.compile(r"(?<=[.;!?\n])\s+")
# "đến hết 28/02/2027", "đến ngày 31/12/2026", "tới hết …" in folded text
# ("tính đến <date>" dates a figure, it ends nothing)
_UNTIL = re.compile(r"(?<!tinh )\b(?:den|toi)(?: het)?(?: ngay)? (\d{1,2})/(\d{1,2})/(\d{4})\b")


@dataclass(frozen=True)
class Finding:
    """One thing to re-verify: which entry, why, and by when."""

    entry_id: str
    kind: str  # stale | expiring | defunct | lapsed | due | ends | unchecked
    due: str   # ISO date
    detail: str

    def to_dict(self) -> dict[str, str]:
        """JSON-friendly view."""
        return {"entry_id": self.entry_id, "kind": self.kind, "due": self.due,
                "detail": self.detail}


@lru_cache(maxsize=1)
def defunct_provinces() -> tuple[str, ...]:
    """Folded names of the provinces merged away on 1/7/2025 (from underthesea's copy of
    the vietnamadminunits mapping, 63 → 34)."""
    data = json.loads(resources.files("underthesea.address").joinpath("data/mapping.json")
                      .read_text(encoding="utf-8"))
    current = {v["short"] for v in data["province_names"].values()}
    return tuple(sorted(fold(v["short"]) for v in data["old_province_names"].values()
                        if v["short"] not in current))


@lru_cache(maxsize=1)
def _defunct_names() -> tuple[str, ...]:
    """Defunct bodies and "tinh <province>" names, folded as sentences are."""
    return tuple(_pad(n).strip() for n in (*_DEFUNCT_BODIES,
                                           *(f"tinh {p}" for p in defunct_provinces())))


def _pad(text: str) -> str:
    return f" {' '.join(re.findall(r'[a-z0-9/]+', fold(text)))} "


def _current_sentences(texts: Iterable[str], old_is_history: bool) -> Iterator[str]:
    """The padded folded sentences of ``texts`` that do not say they are about the past
    (``old_is_history``: a sentence with "cũ" counts as about the past too)."""
    for text in texts:
        for sentence in _SENTENCE.split(text):
            padded = _pad(sentence)
            if any(f" {m} " in padded for m in _HISTORY_MARKERS) \
                    or (old_is_history and _OLD.search(sentence.lower())):
                continue
            yield padded


def defunct_mentions(entry: Entry) -> list[str]:
    """Defunct bodies or provinces named in a sentence that does not say it is history."""
    if entry.history:
        return []
    found: list[str] = []
    names = _defunct_names()
    for padded in _current_sentences([entry.title, plain(entry.answer),
                                      *map(plain, entry.aspects.values())], old_is_history=True):
        found += [n for n in names if f" {n} " in padded and n not in found]
    return found


def end_dates(entry: Entry) -> list[date]:
    """Dates on which a sentence of the entry says a rule stops applying ("đến hết …"),
    except where the entry itself ends then or later starts (it is about what follows) and
    sentences that say they are about the past."""
    if entry.history:
        return []
    found: list[date] = []
    # an "until" span leaves the answer by itself on its day: nothing to reword
    for padded in _current_sentences([without_until(entry.answer),
                                      *map(without_until, entry.aspects.values())],
                                     old_is_history=False):
        for d, m, y in _UNTIL.findall(padded):
            try:
                end = date(int(y), int(m), int(d))
            except ValueError:
                continue
            if (entry.valid_until and entry.valid_until <= end.isoformat()) \
                    or (entry.valid_from and entry.valid_from > end.isoformat()):
                continue
            if end not in found:
                found.append(end)
    return sorted(found)


def _covered_from(by_id: dict[str, Entry], entry: Entry, day: str) -> bool:
    """Whether another entry takes over ``entry``'s topic from ``day``."""
    successor = by_id.get(entry.successor)
    if successor and (not successor.valid_from or successor.valid_from <= day) \
            and (not successor.valid_until or successor.valid_until >= day):
        return True
    return any(e.id != entry.id and e.supersedes == entry.id
               and (not e.valid_from or e.valid_from <= day) for e in by_id.values())


def audit(entries: list[Entry], today: date, max_age_days: int = MAX_VERIFIED_AGE_DAYS,
          horizon_days: int = HORIZON_DAYS) -> list[Finding]:
    """Every finding for ``entries`` at ``today``, soonest due first."""
    findings: list[Finding] = []
    horizon = today + timedelta(days=horizon_days)
    by_id = {e.id: e for e in entries}
    for e in entries:
        if e.kind == "refusal":
            continue
        # the entry's next re-verification (never verified: today)
        due = (date.fromisoformat(e.verified) + timedelta(days=max_age_days)
               if e.verified else today)
        if e.verified:
            if due < today:
                findings.append(Finding(e.id, "stale", due.isoformat(),
                                        f"verified {e.verified}, older than {max_age_days} days"))
            elif due <= horizon:
                findings.append(Finding(e.id, "due", due.isoformat(),
                                        f"verified {e.verified}; re-verify by {due}"))
        else:
            findings.append(Finding(e.id, "stale", today.isoformat(), "never verified"))
        if e.valid_until and not e.history:
            end = date.fromisoformat(e.valid_until)
            next_day = (end + timedelta(days=1)).isoformat()
            if today <= end <= horizon and not _covered_from(by_id, e, next_day):
                findings.append(Finding(e.id, "expiring", e.valid_until,
                                        f"ends {e.valid_until} and nothing covers "
                                        f"'{e.topic}' from {next_day}"))
        for b in e.legal_basis:
            if b.note:  # checked at the entry's next re-verification at the latest
                findings.append(Finding(e.id, "unchecked", due.isoformat(),
                                        f"{b.doc}: {b.note}"))
        for end in end_dates(e):
            if end < today and (not e.valid_until or e.valid_until >= today.isoformat()):
                findings.append(Finding(e.id, "lapsed", end.isoformat(),
                                        f"says a rule applies until {end}, which has passed; "
                                        "reword it as past or remove it"))
            elif today <= end <= horizon:
                findings.append(Finding(e.id, "ends", end.isoformat(),
                                        f"says a rule applies until {end}: reword it the "
                                        "next day or confirm an extension"))
        for name in defunct_mentions(e):
            findings.append(Finding(e.id, "defunct", today.isoformat(),
                                    f"names '{name}' (no longer exists) without saying "
                                    "it is history"))
    return sorted(findings, key=lambda f: (f.due, f.kind, f.entry_id))


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings the data tests refuse (``due``, ``ends`` and ``unchecked`` are
    reminders)."""
    return [f for f in findings if f.kind not in ("due", "ends", "unchecked")]
