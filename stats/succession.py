"""The citizens' question since 1/7/2025: "xã X, huyện Y cũ nay thuộc xã nào, tỉnh nào?"

:func:`answer_question` cuts the question words off ("nay thuộc…", "sau sáp nhập…", "cũ"),
asks :func:`stats.units.successors` about the unit that is left and words the answer with the
dataset's own statement of where the mapping comes from. An unknown or ambiguous place is
said so, with the candidates or where to check, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stats import units
from troly06.vitext import fold
from troly06.wording import say

# where the place ends and the question begins (diacritic-free, lower-case)
_QUESTION = re.compile(
    r"\s*(?:\b(?:cu|truoc day|truoc kia)\b\s*)?"
    r"(?:\b(?:nay|gio|bay gio|hien nay|hien tai|sau sap nhap|sau khi sap nhap|sau 1/7(?:/2025)?)"
    r"\b|\b(?:thuoc|la|doi thanh|sap nhap vao|nhap vao|chuyen ve)\b\s+"
    r"(?:xa|phuong|dac khu|tinh|thanh pho|dau|gi)\b).*$")
_LEAD = re.compile(
    r"^\s*(?:(?:cho (?:minh|toi|em) hoi|xin hoi|cho hoi|hoi)\s*[:,]?\s*)?"
    r"(?:(?:que|nha) (?:toi|minh|em) o|(?:toi|minh|em) o|dia chi cu(?: la| o)?|"
    r"don vi hanh chinh moi cua|sau (?:khi )?sap nhap|sap nhap xa thi)?\s*[:,]?\s*")
_OLD = re.compile(r"\s*\b(?:cu|truoc day)\b\s*[,.]?\s*$")


@dataclass(frozen=True)
class SuccessionAnswer:
    """The reply and whether it named a new unit."""

    status: str  # mapped | unchanged | ambiguous | unknown
    text: str


def place_in(question: str) -> str:
    """The place a question is about ("xã Đông Phú, huyện Châu Thành cũ nay thuộc…" ->
    "xã Đông Phú, huyện Châu Thành"); cut on folded text, returned as written."""
    text = " ".join(question.split())
    folded = fold(text)
    lead = _LEAD.match(folded)
    start = lead.end() if lead else 0
    stop = _QUESTION.search(folded, start)
    end = stop.start() if stop else len(text)
    place = text[start:end]
    tail = _OLD.search(fold(place))
    if tail:
        place = place[:tail.start()]
    return place.strip(" ,.?!")


def answer_question(question: str) -> SuccessionAnswer:
    """Where the old unit named in ``question`` belongs today, with the mapping's source."""
    place = place_in(question)
    if not place:
        return SuccessionAnswer("unknown", say("units.which_place"))
    found = units.successors(place)
    if found.status == "mapped" and found.old is not None and found.new:
        main = found.default or found.new[0]
        text = say("units.mapped", old=found.old.full, new=main.full)
        others = [u.display for u in found.new if u != main]
        if others:
            text += " " + say("units.split", others=", ".join(others))
        source = say("units.source", source=found.source_vi)
        return SuccessionAnswer("mapped", f"{text}\n\n{source}")
    if found.status == "unchanged" and found.old is not None:
        return SuccessionAnswer("unchanged", say("units.unchanged", unit=found.old.full)
                                + f"\n\n{say('units.source', source=found.source_vi)}")
    if found.status == "ambiguous" and found.candidates:
        names = "; ".join(c.full for c in found.candidates[:5])
        return SuccessionAnswer("ambiguous", say("units.ambiguous", place=place, names=names))
    return SuccessionAnswer("unknown", say("units.unknown", place=place))
