"""Answer a citizen's question from the KB, or say honestly where to ask instead.

``answer(question)`` → :class:`Answer` (``to_dict()`` is the contract of docs/CONTRACTS.md):

1. refuse empty, oversized or letter-free input; mask personal data first;
2. find the focus and the sub-questions of a long letter (:mod:`knowledge.focus`);
3. rank entries (:mod:`knowledge.ranking`) among those valid today (``TROLY06_TODAY``);
4. answer only when the reranker is confident enough; a refusal entry (land, inheritance,
   tax...) is a polite refusal naming the right body; otherwise the not-sure reply;
5. render aspect first ("Lệ phí: …" when the question asks the fee), then the entry's
   answer and its legal basis; up to three sub-questions are answered one by one, and when
   the letter as a whole is unclear but exactly one of its questions is answered
   confidently, that one is.

``search(question, k)`` gives the ranked :class:`Hit` list (debugging, health, the eval).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np

from knowledge.dated import active, current
from knowledge.fit import fit_text
from knowledge.focus import Focus, find_focus
from knowledge.index import KnowledgeIndex, get_index
from knowledge.ranking import (
    ALL_ON,
    SCORING,
    Candidate,
    Components,
    Scoring,
    asked_aspects,
    aspect_label,
    rank,
)
from troly06.pii import mask_and_find, strip_masks
from troly06.wording import say

log = logging.getLogger(__name__)

Status = Literal["answered", "not_sure", "refused"]
MAX_ASPECTS_FIRST = 2
MAX_BASIS = 3
MAX_BASIS_CHARS = 360  # the "Căn cứ:" line of one answer; longer labels lose their parentheses
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
MAX_SUGGESTIONS = 3
MAX_SOURCE_LINKS = 2  # pages linked in the sources line of a chat reply
MAX_SOURCE_TITLES = 2  # documents named there (an entry may rest on six)
# "A (trang X; bản Y); B" → "A (trang X; bản Y)", "B": a "; " outside parentheses
_TITLE_SEP = re.compile(r"; (?![^()]*\))")
# reranker probability from which an entry is offered as a suggestion (session 20, on the
# real dev questions: at 0.3 a not-sure reply held a one-tap suggestion with a key fact for
# 69 % of them, at 0.1 for 85 %, with 1.9 suggestions on average instead of 1.0)
SUGGEST_FROM = 0.1
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)

__all__ = ["SCORING", "Answer", "Components", "Hit", "Scoring", "answer", "format_sources",
           "message", "rank_question", "search", "servable"]


def message(name: str, **values: Any) -> str:
    """A reply of the knowledge service (``troly06/messages/knowledge.yaml``), formatted."""
    return say(f"knowledge.{name}", **values)


@dataclass
class Hit:
    """One ranked KB entry."""

    id: str
    kind: str
    title: str
    text: str
    score: float
    source_title: str
    source_ref: str
    lexical: float = 0.0
    dense: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def entry_id(self) -> str:
        """The KB entry id."""
        return self.id

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly view."""
        return {"id": self.id, "kind": self.kind, "title": self.title, "text": self.text,
                "score": round(self.score, 4), "lexical": round(self.lexical, 4),
                "dense": round(self.dense, 4),
                "source": {"title": self.source_title, "ref": self.source_ref}, **self.meta}


@dataclass
class Answer:
    """The reply to one question (see docs/CONTRACTS.md for ``to_dict``)."""

    answer: str
    sources: list[dict[str, str]]
    score: float
    entry_id: str | None
    status: Status
    hits: list[Hit] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """``{"answer", "sources", "score", "entry_id", "status", "suggestions"}``
        (``suggestions``: entry titles a not-sure reply offers; asking one gets its answer)."""
        return {"answer": self.answer, "sources": [dict(s) for s in self.sources],
                "score": round(float(self.score), 4), "entry_id": self.entry_id,
                "status": self.status, "suggestions": list(self.suggestions)}


def _today() -> str:
    from troly06.config import today

    return today().isoformat()


def servable(index: KnowledgeIndex, today: str, question: str = "") -> np.ndarray:
    """Entries that may answer ``question`` today: not expired, not kept only as history, and
    not a rule that starts later unless the question asks about that time ("năm 2027",
    "sang năm")."""
    ahead = _asks_ahead(question, today)
    return np.array([not (d.get("valid_until") and str(d["valid_until"]) < today)
                     and not d.get("history")
                     and (not d.get("valid_from") or str(d["valid_from"]) <= today
                          or str(d["valid_from"])[:4] in ahead)
                     for d in index.docs], dtype=bool)


_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_NEXT_YEAR = re.compile(r"\b(?:sang năm|năm sau|năm tới|năm tiếp theo|sang nam|nam sau|nam toi)\b")


def _asks_ahead(question: str, today: str) -> set[str]:
    """The future years a question is about ("2027"; "sang năm" = next year)."""
    text = question.lower()
    years = {y for y in _YEAR.findall(text) if y > today[:4]}
    if _NEXT_YEAR.search(text):
        years.add(str(int(today[:4]) + 1))
    return years


def _hit(index: KnowledgeIndex, c: Candidate, today: str) -> Hit:
    d = index.docs[c.doc]
    meta = {k: d[k] for k in ("topic", "source_date", "verified", "valid_from", "valid_until",
                               "tags") if d.get(k)}
    return Hit(id=d["id"], kind=d.get("kind", "faq"), title=d["title"],
               text=active(d["text"], today),
               score=c.probability, source_title=d["source_title"],
               source_ref=d["source_ref"], lexical=c.lexical, dense=c.dense, meta=meta)


def _threshold(parts: Components, scoring: Scoring) -> float:
    reranker = parts.get_reranker()
    return reranker.threshold if reranker is not None else scoring.threshold


def rank_question(index: KnowledgeIndex, text: str, parts: Components = ALL_ON,
                  scoring: Scoring = SCORING, today: str | None = None
                  ) -> tuple[Focus, np.ndarray, list[Candidate]]:
    """Focus, servable mask and ranked candidates of an already masked question: the one
    preparation shared by :func:`search`, :func:`answer` and the reranker's trainer."""
    focus = find_focus(text) if parts.focus else Focus.whole(text)
    allowed = servable(index, today or _today(), text)
    return focus, allowed, rank(index, text, focus, allowed, parts, scoring)


def search(question: str, k: int = 5, components: Components = ALL_ON,
           scoring: Scoring | None = None, index: KnowledgeIndex | None = None) -> list[Hit]:
    """The ``k`` best entries for ``question`` (the index is loaded/built lazily)."""
    masked, _ = mask_and_find(question or "")
    index = index or get_index()
    today = _today()
    _, _, ranked = rank_question(index, strip_masks(masked), components, scoring or SCORING,
                                 today)
    return [_hit(index, c, today) for c in ranked[:max(0, k)]]


def _date_vi(iso: str) -> str:
    """"2025-12-04" → "04/12/2025" (other strings unchanged)."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _render(doc: dict[str, Any], asked: list[str], today: str) -> str:
    """Aspect first, then the answer, then the legal basis."""
    lines: list[str] = []
    if doc.get("valid_from") and str(doc["valid_from"]) > today:
        lines.append(message("from_date", date=_date_vi(str(doc["valid_from"]))))
    # sentences that hold only for a period are shown while they hold (knowledge/dated.py)
    aspects = {k: active(v, today) for k, v in (doc.get("aspects") or {}).items()}
    shown = [a for a in asked if aspects.get(a)][:MAX_ASPECTS_FIRST]
    lines += [f"{aspect_label(a)}: {aspects[a]}" for a in shown]
    lines.append(active(doc["text"], today))
    labels = doc.get("legal_basis") or []
    ends = doc.get("legal_basis_until") or [""] * len(labels)
    basis = _basis([label for label, end in zip(labels, ends, strict=True)
                    if not end or end >= today])
    if basis:
        lines.append(message("legal_basis", basis=basis))
    return "\n".join(lines)


def _spans_now(doc: dict[str, Any], today: str) -> tuple[str, ...]:
    """The dated spans of ``doc``'s answer and aspects that hold at ``today``: what applies
    now, kept longest when the reply is shortened to one message."""
    texts = [doc["text"], *(doc.get("aspects") or {}).values()]
    return tuple(t for text in texts for t in current(text, today))


def _basis(labels: list[str]) -> str:
    """Up to ``MAX_BASIS`` legal-basis labels within ``MAX_BASIS_CHARS``, the first always.

    A label that does not fit whole is cited without its parenthesised explanations (what the
    article says, when it took effect); one that still does not fit is left out."""
    shown: list[str] = []
    for label in labels[:MAX_BASIS]:
        forms = (label, _short(label))
        form = next((f for f in forms if len("; ".join([*shown, f])) <= MAX_BASIS_CHARS),
                    None if shown else forms[1])
        if form is not None:
            shown.append(form)
    return "; ".join(shown)


def _short(label: str) -> str:
    """``label`` without its parentheses, nested ones included."""
    short = label
    while _PARENTHESES.search(short):
        short = _PARENTHESES.sub("", short)
    return short.strip() or label


def _room(sources: list[dict[str, str]], note: str) -> int:
    """Characters left for the answer once its sources line and ``note`` are in one chat
    message (``reply_max_chars``; :func:`knowledge.reply.render_answer` joins them)."""
    from troly06.config import get_settings

    return get_settings().reply_max_chars - len(format_sources(sources)) - len("\n\n") \
        - len(note)


def _basis_prefix() -> str:
    return message("legal_basis", basis="\0").split("\0")[0]


def _fitted(text: str, sources: list[dict[str, str]], note: str,
            protect: tuple[str, ...] = ()) -> str:
    """``text`` shortened so that it, its sources line and ``note`` fit one chat message
    (``reply_max_chars``); the legal-basis line is kept, the ``protect`` sentences are
    dropped last (:mod:`knowledge.fit`)."""
    from troly06.config import get_settings

    limit = get_settings().reply_max_chars
    return fit_text(text, max(_room(sources, note), limit // 2), keep=(_basis_prefix(),),
                    protect=protect)


def several_reply(parts: list[tuple[str, dict[str, str]]], note: str,
                  protect: tuple[str, ...] = ()) -> tuple[str, list[dict[str, str]]] | None:
    """One message answering sub-questions in turn, from ``(rendered answer, source)`` pairs:
    each answer shortened to its share, and the last ones left out when even their first
    sentences and legal bases do not fit with every source (a citizen gets fewer answers
    whole rather than a message split from its sources). Returns the text and its sources;
    None when not even two fit. ``protect``: sentences dropped last (:func:`_fitted`)."""
    while len(parts) >= 2:
        sources = [src for _, src in parts]
        head = message("several", n=len(parts))
        room = _room(sources, note) - len(head) - len("\n\n")
        share = room // len(parts) - len("\n\n") - len(f"{len(parts)}. ")
        body = "\n\n".join(f"{n}. {fit_text(t, share, (_basis_prefix(),), protect)}"
                            for n, (t, _) in enumerate(parts, 1))
        if len(body) <= room:
            return f"{head}\n\n{body}", sources
        parts = parts[:-1]
    return None


def _source(doc: dict[str, Any]) -> dict[str, str]:
    return {"title": doc["source_title"], "ref": doc["source_ref"],
            "date": str(doc.get("source_date") or ""),
            "verified": str(doc.get("verified") or ""),
            "official_page": str(doc.get("official_page") or "")}


def suggestions(index: KnowledgeIndex, ranked: list[Candidate]) -> list[str]:
    """Titles of the plausible entries a not-sure reply offers (never an answer: the citizen
    picks one, which is then asked as a question, or asks again)."""
    return [index.docs[c.doc]["title"] for c in ranked[:MAX_SUGGESTIONS]
            if c.probability >= SUGGEST_FROM and index.docs[c.doc].get("kind") != "refusal"]


def _not_sure(titles: list[str]) -> str:
    """The honest not-sure reply, naming the suggestions when there are."""
    if not titles:
        return message("not_sure")
    quoted = "; ".join(f"“{t}”" for t in titles)
    return message("suggest", titles=quoted)


def format_sources(sources: list[dict[str, Any]]) -> str:
    """The "Nguồn: <title> (<ref>), <date>; đã kiểm chứng <date>" lines every channel shows
    under an answer (one implementation for the action and the degraded path)."""
    lines = []
    # a reply answering several questions names one document and one page per source
    max_links, max_titles = (MAX_SOURCE_LINKS, MAX_SOURCE_TITLES) if len(sources) < 2 else (1, 1)
    for src in sources:
        title = str(src.get("title") or "").strip()
        ref = str(src.get("ref") or "").strip()
        if not (title or ref):
            continue
        links = [r.strip() for r in ref.split("; ") if r.strip()]
        if len(links) > max_links:  # every page stays in ``sources`` for portals
            more = message("more_links", n=len(links) - max_links)
            ref = "; ".join(links[:max_links]) + f" {more}"
        titles = _TITLE_SEP.split(title)
        if len(titles) > max_titles:  # the whole list stays in ``sources`` too
            more = message("more_titles", n=len(titles) - max_titles)
            title = "; ".join(titles[:max_titles]) + f" {more}"
        line = f"Nguồn: {title} ({ref})" if title and ref else f"Nguồn: {title or ref}"
        dates = [d for d in (_date_vi(str(src.get("date") or "")),
                             message("verified", date=_date_vi(str(src["verified"])))
                             if src.get("verified") else "") if d]
        lines.append(line + (f", {'; '.join(dates)}" if dates else ""))
    return "\n".join(lines)


def _is_garbage(text: str) -> bool:
    return len(_LETTERS.findall(text)) < 2 or not re.findall(r"[^\W\d_]{2,}", text)


def _confident(ranked: list[Candidate], parts: Components, scoring: Scoring) -> Candidate | None:
    """The top candidate when its confidence reaches the answer threshold."""
    if ranked and ranked[0].confidence >= _threshold(parts, scoring):
        return ranked[0]
    return None


def _sub_answers(index: KnowledgeIndex, focus: Focus, allowed: np.ndarray, parts: Components,
                 scoring: Scoring, today: str) -> list[tuple[Candidate, str]]:
    """Confident answers to each sub-question, one per distinct entry."""
    out: list[tuple[Candidate, str]] = []
    for part in focus.parts:
        best = _confident(rank(index, part, Focus.whole(part), allowed, parts, scoring), parts,
                          scoring)
        if best is None or any(best.doc == c.doc for c, _ in out):
            continue
        doc = index.docs[best.doc]
        if doc.get("kind") == "refusal":
            continue
        out.append((best, _render(doc, asked_aspects(part), today)))
    return out


def answer(question: str, components: Components = ALL_ON,
           scoring: Scoring | None = None, index: KnowledgeIndex | None = None, *,
           pii_found: bool = False) -> Answer:
    """Answer ``question`` from the KB, or say politely where to ask instead.

    Never raises for bad input: empty, oversized (> ``max_message_chars``) or letter-free
    messages give status "refused" with an explanation. ID and phone numbers are masked
    before anything else and never appear in the reply or the logs. ``pii_found``: the
    gateway already masked personal data in ``question`` (it says so; the masks themselves
    are only dropped before ranking); the reply then carries the personal-data note.
    """
    from troly06.config import get_settings

    scoring = scoring or SCORING
    raw = unicodedata.normalize("NFC", question if isinstance(question, str) else "").strip()
    masked, found = mask_and_find(raw)
    limit = get_settings().max_message_chars
    if not masked:
        return Answer(message("empty"), [], 0.0, None, "refused")
    if len(masked) > limit:
        log.info("question refused: %d characters (limit %d)", len(masked), limit)
        return Answer(message("too_long", limit=limit), [], 0.0, None, "refused")
    text = strip_masks(masked)
    note = f"\n\n{message('pii_note')}" if found or pii_found else ""
    if _is_garbage(text):
        return Answer(message("garbage") + note, [], 0.0, None, "refused")
    index = index or get_index()
    today = _today()
    focus, allowed, ranked = rank_question(index, text, components, scoring, today)
    best = _confident(ranked, components, scoring)
    hits = [_hit(index, c, today) for c in ranked[:5]]
    top = ranked[0].confidence if ranked else 0.0
    subs = (_sub_answers(index, focus, allowed, components, scoring, today)
            if components.focus and len(focus.parts) >= 2 else [])
    protect = tuple(t for c, _ in subs for t in _spans_now(index.docs[c.doc], today))
    several = (several_reply([(t, _source(index.docs[c.doc])) for c, t in subs], note, protect)
               if len(subs) >= 2 else None)
    if several is not None:
        text, sources = several
        subs = subs[:len(sources)]
        first = subs[0][0]
        log.info("answered %d sub-questions (%s)", len(subs),
                 ", ".join(index.docs[c.doc]["id"] for c, _ in subs))
        return Answer(text + note, sources, first.confidence, index.docs[first.doc]["id"],
                      "answered", hits)
    if len(subs) >= 2 and best is None:
        subs = subs[:1]  # two answers do not fit one message: the first one, whole
    if best is None and len(subs) == 1:
        # the letter as a whole is unclear, but one of its questions is answered confidently
        sub, text = subs[0]
        doc = index.docs[sub.doc]
        log.info("answered sub-question with %s (score %.3f)", doc["id"], sub.confidence)
        sources = [_source(doc)]
        return Answer(_fitted(text, sources, note, _spans_now(doc, today)) + note, sources,
                      sub.confidence, doc["id"], "answered", hits)
    if best is None:
        log.info("not sure (score %.3f)", top)
        offered = suggestions(index, ranked)
        return Answer(_not_sure(offered) + note, [], top, None, "not_sure", hits, offered)
    doc = index.docs[best.doc]
    if doc.get("kind") == "refusal":
        log.info("refused as out of domain: %s (score %.3f)", doc["id"], best.confidence)
        return Answer(active(doc["text"], today) + note, [], best.confidence, doc["id"],
                      "refused", hits)
    log.info("answered %s (score %.3f)", doc["id"], best.confidence)
    sources = [_source(doc)]
    text = _fitted(_render(doc, asked_aspects(focus.main), today), sources, note,
                   _spans_now(doc, today))
    return Answer(text + note, sources, best.confidence, doc["id"], "answered", hits)
