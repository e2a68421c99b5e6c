"""Find what a message actually asks: the focus of a long letter and its sub-questions.

Citizens write "Tôi là…, năm 2019 tôi… Vậy cho tôi hỏi…": the backstory names people,
places and dates that are not the question. :func:`find_focus` keeps the sentences that ask
(a question mark, or a question word such as "bao lâu", "ở đâu", "được không"), preferring
what follows the last "cho tôi hỏi / xin hỏi / vậy", drops greetings and signatures, and
returns up to three sub-questions. A question that leans on the sentence before it ("Vậy
yêu cầu này…", "Thì thủ tục thế nào?") keeps that sentence, and a name's initial ("ông
V.") does not end a sentence. The cues are data (``focus.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import folded_words, strip_diacritics

CUES_FILE = Path(__file__).resolve().parent / "focus.yaml"
MAX_SUBQUESTIONS = 3
MIN_FOCUS_CHARS = 60  # a shorter focus gets the sentence before it
_SENTENCES = re.compile(r"(?<=[?!.;:\n])\s+|\n+")
# "ông Đặng Bá V." / "bà N.T.H." / "TP." end with a dot that does not end the sentence
_WORDS = re.compile(r"[^\W_]+")
_INITIAL = re.compile(r"(?<![^\W\d_])(?:[A-ZĐ]\.)+$|(?<![^\W\d_])(?:TP|Tp|TX|Tx|ThS|TS)\.$")


@dataclass(frozen=True)
class Focus:
    """``main``: the text to search with; ``parts``: the sub-questions (1-3)."""

    main: str
    parts: tuple[str, ...] = field(default_factory=tuple)
    is_long: bool = False

    @classmethod
    def whole(cls, text: str) -> Focus:
        """The whole text as its own focus (focus extraction switched off, a sub-question)."""
        return cls(text, (text,), False)


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8")) or {}
    return {k: tuple(folded_words(str(v)).strip() for v in vals or ())
            for k, vals in data.items()}


def _has(folded: str, cues: tuple[str, ...]) -> bool:
    return any(f" {c} " in folded for c in cues)


def is_question(sentence: str) -> bool:
    """A sentence that asks something (question mark or question word)."""
    return "?" in sentence or _has(folded_words(sentence), _cues()["question_words"])


def _after_marker(text: str) -> str:
    """The text after the last "cho tôi hỏi / xin hỏi / vậy…" marker ('' if none)."""
    folded_marks = _cues()["ask_markers"]
    best = -1
    lowered = strip_diacritics(text.lower())
    for mark in folded_marks:
        for m in re.finditer(rf"(?<!\w){re.escape(mark)}(?!\w)", lowered):
            best = max(best, m.end())
    return text[best:].strip(" ,:.-") if best >= 0 else ""


def _clean(sentence: str) -> str:
    return sentence.strip(" \t-–—•*,;:")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, a name's initial or "TP." not taken for a sentence end."""
    pieces = [p for p in _SENTENCES.split(text) if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and _INITIAL.search(merged[-1].rstrip()):
            merged[-1] = f"{merged[-1].rstrip()} {piece.strip()}"
        else:
            merged.append(piece)
    return [s for s in (_clean(p) for p in merged) if s]


def leans_back(sentence: str) -> bool:
    """A sentence that needs the one before it: it opens with "thì / vậy / nếu được…" or
    points back ("này", "nói trên"). Matched with diacritics: folded, "còn", "này" and "đó"
    would be "con", "nay" and "do"."""
    words = " " + " ".join(_WORDS.findall(sentence.lower())) + " "
    cues = _raw_cues()
    return any(words.startswith(f" {c} ") for c in cues["continues"]) \
        or any(f" {c} " in words for c in cues["refers_back"])


@lru_cache(maxsize=1)
def _raw_cues() -> dict[str, tuple[str, ...]]:
    """The cues matched on the lowercased text itself (not folded)."""
    data = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8")) or {}
    return {k: tuple(str(v).lower() for v in data.get(k) or ())
            for k in ("continues", "refers_back")}


def _with_context(asked: tuple[str, ...], sentences: list[str]) -> tuple[str, ...]:
    """The questions, each that leans back on the sentence before it given that sentence: a
    follow-up of the question before ("…được không? Nếu được thì thủ tục thế nào?") is
    joined to it, one after backstory ("Vậy yêu cầu này…") gets that sentence in front."""
    out: list[str] = []
    for part in asked:
        at = next((n for n, s in enumerate(sentences) if part in s), -1)
        if at <= 0 or not leans_back(part):
            out.append(part)
        elif out and (out[-1] in sentences[at - 1] or sentences[at - 1] in out[-1]):
            out[-1] = f"{out[-1]} {part}"
        elif any(sentences[at - 1] in p or p in sentences[at - 1] for p in asked):
            out.append(part)
        else:
            out.append(f"{sentences[at - 1]} {part}")
    return tuple(out)


def find_focus(text: str) -> Focus:
    """The focus of ``text`` (short messages are their own focus)."""
    text = text.strip()
    sentences = split_sentences(text)
    drop = _cues()["drop"]
    sentences = [s for s in sentences if not _has(folded_words(s), drop) or is_question(s)]
    if len(text) <= 160 and len(sentences) <= 2:
        return Focus.whole(text)
    asks = [s for s in sentences if is_question(s)]
    tail = _after_marker(text)
    if tail and len(tail) >= 12:
        tail_asks = [s for s in split_sentences(tail)
                     if not _has(folded_words(s), drop) or is_question(s)]
        tail_asks = [s for s in tail_asks if is_question(s)] or tail_asks
        asks = tail_asks if len(" ".join(tail_asks)) >= 12 else asks
    if not asks:
        asks = sentences[-2:] if sentences else [text]
    parts = _with_context(tuple(dict.fromkeys(asks))[:MAX_SUBQUESTIONS], sentences)
    main = " ".join(parts)
    if len(main) < MIN_FOCUS_CHARS:
        # "Em có bị phạt không ạ?" or "…, xin hỏi quy định trên nhé" says nothing of what:
        # keep the sentence before it (and the start of a sentence the marker cut)
        at = next((n for n, s in enumerate(sentences) if parts[0] in s), -1)
        if at >= 0:
            main = " ".join(sentences[max(0, at - 1):at] + [sentences[at]]
                            + [p for p in parts[1:] if p not in sentences[at]])
    return Focus(main, parts, True)
