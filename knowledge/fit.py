"""Fit an answer into a chat message, keeping what a citizen needs most.

A reply with its sources line must fit the smallest channel message (Zalo OA: 2000
characters); otherwise the channel splits it and the source arrives apart from the answer, or
not in the first message at all. Rather than cut the tail (which holds the legal basis), the
longest line is shortened one sentence at a time from its end, and the legal-basis line one
document at a time, until the whole fits. The first sentence of each line stays, so the asked
aspect, the opening of the answer and one legal basis always remain. Sentences in ``protect``
(the dated spans that hold today, :mod:`knowledge.dated`) go last: they usually sit at a
line's end ("Từ 01/3/2027, …") and say what applies now, unlike the sentences before them.
"""

from __future__ import annotations

import re

GAP = "(…)"
ELLIPSIS = " " + GAP
MIN_CUT = 80  # a line cut mid-sentence keeps at least this much, even over the budget
# a shorter fragment ("1.", "(…)") is found inside almost any protected text by chance
MIN_PROTECTED = 12
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ0-9“\"(])")


def _sentences(line: str) -> list[str]:
    """``line`` split into sentences, a gap mark "(…)" being one of its own."""
    out: list[str] = []
    for part in _SENTENCE_END.split(line):
        while part.startswith(GAP + " "):  # "(…) Next sentence.": no sentence end after ")"
            out.append(GAP)
            part = part[len(GAP) + 1:]
        out.append(part)
    return out


def _shorter(line: str, protect: tuple[str, ...] = ()) -> str | None:
    """``line`` without one sentence: the last one not in ``protect``, else the last one;
    a dropped sentence leaves a gap mark "(…)". None when only the first one is left."""
    parts = _sentences(line)
    droppable = [i for i in range(1, len(parts)) if parts[i] != GAP]
    if not droppable:
        return None
    i = next((k for k in reversed(droppable)
              if not (len(parts[k]) >= MIN_PROTECTED and any(parts[k] in p for p in protect))),
             droppable[-1])
    parts[i] = GAP
    kept = [p for k, p in enumerate(parts) if not (p == GAP and k and parts[k - 1] == GAP)]
    return " ".join(kept)


def _hard_cut(line: str, size: int) -> str:
    """``line`` cut to at most ``size`` characters at a word boundary, marked as cut."""
    room = max(size - len(ELLIPSIS), 1)
    cut = line.rfind(" ", 0, room)
    return line[:cut if cut > room // 2 else room].rstrip() + ELLIPSIS


def fit_text(text: str, budget: int, keep: tuple[str, ...] = (),
             protect: tuple[str, ...] = ()) -> str:
    """``text`` shortened to at most ``budget`` characters (unchanged when it already fits).

    Lines starting with one of ``keep`` (e.g. "Căn cứ:") are never shortened; when even the
    first sentences and the kept lines do not fit, the longest other line is cut at a word, to
    no less than ``MIN_CUT`` characters (the result may then stay over the budget). Sentences
    inside one of ``protect`` are dropped only when a line has no other one left to drop.
    """
    if len(text) <= budget:
        return text
    lines = text.split("\n")
    stuck = {i for i, line in enumerate(lines) if keep and line.startswith(keep)}
    while sum(map(len, lines)) + len(lines) - 1 > budget:
        open_ = [i for i in range(len(lines)) if i not in stuck]
        if not open_:
            break
        i = max(open_, key=lambda k: len(lines[k]))
        shorter = _shorter(lines[i], protect)
        if shorter is None:
            stuck.add(i)
        else:
            lines[i] = shorter
    out = "\n".join(lines)
    if len(out) > budget:  # every line is down to one sentence: cut the longest one
        free = [k for k in range(len(lines)) if not (keep and lines[k].startswith(keep))]
        i = max(free or range(len(lines)), key=lambda k: len(lines[k]))
        size = max(len(lines[i]) - (len(out) - budget), MIN_CUT)
        if size < len(lines[i]):
            lines[i] = _hard_cut(lines[i], size)
        out = "\n".join(lines)
    return out
