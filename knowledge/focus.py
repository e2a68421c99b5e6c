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

from knowledge.normalize import strip_diacritics
from troly06.yamlfile import read_yaml

CUES_FILE = Path(__file__).resolve().parent / "focus.yaml"
MAX_SUBQUESTIONS = 3
MIN_FOCUS_CHARS = 60  # a shorter focus gets the sentence before it
_SENTENCES = re.compile(r"(?<=[?!.;:\n])\s+|\n+")
_WORDS = re.compile(r"[^\W_]+")
# "ông Đặng Bá V." / "bà N.T.H." / "TP." end with a dot that does not end the sentence
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


@dataclass(frozen=True)
class _Cue:
    """A cue's words as written and folded (no diacritics)."""

    words: tuple[str, ...]
    folded: tuple[str, ...]


def _tokens(text: str) -> tuple[list[str], list[str], list[int], bool]:
    """The lowercased words of ``text``, the same folded, their end offsets, and whether
    the text is written with diacritics at all."""
    found = list(_WORDS.finditer(text))
    words = [m.group().lower() for m in found]
    folded = [strip_diacritics(w) for w in words]
    return words, folded, [m.end() for m in found], folded != words


@lru_cache(maxsize=1)
def _cues() -> dict[str, dict[str, tuple[_Cue, ...]]]:
    """Each cue list of ``focus.yaml``, indexed by the cue's first folded word."""
    data = read_yaml(CUES_FILE) or {}
    out: dict[str, dict[str, tuple[_Cue, ...]]] = {}
    for key, values in data.items():
        by_first: dict[str, list[_Cue]] = {}
        for value in values or ():
            words = tuple(_WORDS.findall(str(value).lower()))
            if words:
                folded = tuple(strip_diacritics(w) for w in words)
                by_first.setdefault(folded[0], []).append(_Cue(words, folded))
        out[key] = {k: tuple(v) for k, v in by_first.items()}
    return out


def _cue_ends(text: str, key: str, at_start: bool = False, folded_ok: bool = True
              ) -> list[int]:
    """End offsets in ``text`` of the cues of list ``key``. A text written with diacritics
    must match a cue as written: folded, "hỏi" would also be "hội" (xã hội), "hồi" (hồi
    đáp) and "hơi", "này" would be "nay". A text typed without any matches the folded cue
    (unless ``folded_ok`` is False: for cues whose folded form is a common other word)."""
    words, folded, offsets, accented = _tokens(text)
    if not accented and not folded_ok:
        return []
    cues = _cues().get(key, {})
    seen = words if accented else folded
    ends: list[int] = []
    for i in range(min(1, len(words)) if at_start else len(words)):
        for cue in cues.get(folded[i], ()):
            n = len(cue.words)
            if tuple(seen[i:i + n]) == (cue.words if accented else cue.folded):
                ends.append(offsets[i + n - 1])
    return ends


def _has(text: str, key: str) -> bool:
    return bool(_cue_ends(text, key))


def is_question(sentence: str) -> bool:
    """A sentence that asks something (question mark or question word)."""
    return "?" in sentence or _has(sentence, "question_words")


def _after_marker(text: str) -> str:
    """The text after the last "cho tôi hỏi / xin hỏi / vậy…" marker that a question
    follows ('' if none)."""
    for end in sorted(set(_cue_ends(text, "ask_markers")), reverse=True):
        tail = text[end:].strip(" ,:.-")
        # "… ra sao? - Câu hỏi của chú B." names a question, it does not ask one
        if any(is_question(s) for s in split_sentences(tail)):
            return tail
    return ""


def _kept(sentence: str) -> bool:
    """Not a greeting, thanks or signature (a greeting that also asks is kept)."""
    if _has(sentence, "sign_off"):
        return False
    return not _has(sentence, "drop") or is_question(sentence)


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


@lru_cache(maxsize=1)
def _generic_words() -> tuple[frozenset[str], frozenset[str]]:
    """``generic_words`` of ``focus.yaml``: as written, and folded."""
    cues = [cue for by_first in _cues().get("generic_words", {}).values() for cue in by_first]
    return frozenset(c.words[0] for c in cues), frozenset(c.folded[0] for c in cues)


def names_no_subject(sentence: str) -> bool:
    """Every word of ``sentence`` is a generic one (pronouns, "thủ tục", "giấy tờ gì", "ở
    đâu", "chi phí"...): it asks about something said before. Matched as written in a text
    with diacritics (folded, "tối" would be "tôi" and "đa" "đã")."""
    words, folded, _, accented = _tokens(sentence)
    written, folded_set = _generic_words()
    return bool(words) and all(w in (written if accented else folded_set)
                               for w in (words if accented else folded))


def leans_back(sentence: str) -> bool:
    """A sentence that needs the one before it: it opens with "nếu được / khi đó…", points
    back ("này", "nói trên"), names no subject of its own, or is short and opens with "và /
    thì / còn…". The first two only in text written with diacritics: folded, "còn", "này"
    and "đó" are "con", "nay" and "do"."""
    if _cue_ends(sentence, "follows_up", at_start=True, folded_ok=False) \
            or _cue_ends(sentence, "refers_back", folded_ok=False) \
            or names_no_subject(sentence):
        return True
    # "Và mất bao lâu?" leans back; "Và nếu tôi không đổi thẻ thì bị phạt thế nào?" asks anew
    return len(sentence) < MIN_FOCUS_CHARS \
        and bool(_cue_ends(sentence, "continues", at_start=True, folded_ok=False))


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
    sentences = [s for s in split_sentences(text) if _kept(s)]
    if len(text) <= 160 and len(sentences) <= 2:
        return Focus.whole(text)
    asks = [s for s in sentences if is_question(s)]
    tail = _after_marker(text)
    if tail and len(tail) >= 12:
        tail_asks = [s for s in split_sentences(tail) if _kept(s)]
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
