"""The second stage's pure parts: the listwise model, term coverage, pool ranks, and the
decision the trainer chooses its threshold on (bench/train_reranker.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.train_reranker import Outcome, Top, choose_threshold, decide, fit_listwise, rates
from knowledge.focus import find_focus
from knowledge.lexical import TermStats, term_grams
from knowledge.ranking import RANKED_SIGNALS, add_agreement_features, add_pool_ranks
from knowledge.reranker import Reranker, softmax_with_none


def test_softmax_with_none_by_hand() -> None:
    p = softmax_with_none([0.0, math.log(2.0)])
    assert p == pytest.approx([1 / 4, 2 / 4])  # "none" (score 0) keeps the remaining 1/4
    assert softmax_with_none([]) == []
    big = softmax_with_none([800.0, 799.0])  # no overflow
    assert sum(big) == pytest.approx(1.0) and big[0] > big[1]


def _model(kind: str) -> Reranker:
    return Reranker.from_dict({"kind": kind, "features": ["a", "b"], "mean": [0.0, 1.0],
                               "scale": [1.0, 2.0], "coef": [1.0, -1.0], "intercept": 0.5,
                               "threshold": 0.6})


def test_listwise_rerank_shares_one_softmax() -> None:
    model = _model("listwise")
    cands = [{"a": 2.0, "b": 1.0}, {"a": 0.0, "b": 3.0}]
    scores = [0.5 + 2.0, 0.5 + 0.0 - 1.0]
    probs, confidence = model.rerank(cands)
    assert probs == pytest.approx(softmax_with_none(scores))
    assert confidence == pytest.approx(max(probs))
    assert model.rerank([]) == ([], 0.0)


def test_pointwise_files_are_still_read_and_unknown_kinds_refused() -> None:
    old = Reranker.from_dict({"features": ["a"], "mean": [0.0], "scale": [1.0], "coef": [2.0],
                              "intercept": 0.0, "threshold": 0.5})
    probs, confidence = old.rerank([{"a": 1.0}, {"a": -1.0}])
    assert old.kind == "pointwise" and confidence == pytest.approx(max(probs))
    assert probs[0] == pytest.approx(1 / (1 + math.exp(-2.0)))
    with pytest.raises(ValueError, match="unknown kind"):
        Reranker.from_dict({"kind": "forest", "features": ["a"], "mean": [0], "scale": [1],
                            "coef": [0], "intercept": 0, "threshold": 0.5})


def test_fit_listwise_learns_which_candidate_and_none() -> None:
    # two candidates per question: the one with the larger feature is right, except in
    # questions whose candidates are all weak (no right answer: "none")
    rng = np.random.default_rng(0)
    z, y, g = [], [], []
    for q in range(60):
        strong = q % 3 != 0
        a, b = rng.normal(2.0 if strong else -2.0, 0.3, 2)
        z += [[max(a, b)], [min(a, b)]]
        y += [1 if strong else 0, 0]
        g += [q, q]
    w = fit_listwise(np.array(z), np.array(y), np.array(g), 60, l2=0.1)
    right = softmax_with_none([w[0] * 2.2 + w[1], w[0] * 1.8 + w[1]])
    unknown = softmax_with_none([w[0] * -1.8 + w[1], w[0] * -2.2 + w[1]])
    assert right[0] > 0.5 > unknown[0]
    # a question weighted 0 counts as if it were left out (and leaving half out changes w)
    half = np.arange(60) < 30
    weight = np.where(half, 1.0, 0.0)
    sel = half[np.array(g)]
    w_dropped = fit_listwise(np.array(z)[sel], np.array(y)[sel], np.array(g)[sel], 60, l2=0.1)
    w_zero = fit_listwise(np.array(z), np.array(y), np.array(g), 60, l2=0.1, weight=weight)
    assert w_zero == pytest.approx(w_dropped, abs=1e-4)
    assert not np.allclose(w_zero, w, atol=1e-3)


def test_term_coverage_tells_siblings_apart() -> None:
    units = [(0, "dang ky tam tru o dau"), (0, "tam tru"), (1, "dang ky thuong tru o dau"),
             (2, "cap the can cuoc")]
    stats = TermStats.from_units(3, units, ["dang ky tam tru", "dang ky thuong tru",
                                            "cap can cuoc"])
    asked = term_grams("dang ky tam tru can lam gi")
    assert stats.coverage(asked, stats.doc_terms(0)) > stats.coverage(asked,
                                                                      stats.doc_terms(1))
    assert stats.coverage(stats.title_terms(0), asked) == pytest.approx(1.0)
    assert stats.coverage(frozenset(), stats.doc_terms(0)) == 0.0
    assert "tam tru" in term_grams("tam tru") and "tam" in term_grams("tam tru")


def test_warming_gathers_every_documents_terms_as_a_query_would() -> None:
    units = [(0, "dang ky tam tru"), (1, "cap the can cuoc"), (1, "doi the")]
    titles = ["tam tru", "can cuoc"]
    lazy = TermStats.from_units(2, units, titles)
    warm = TermStats.from_units(2, units, titles)
    warm.warm()
    assert len(warm._doc_terms) == len(warm._title_terms) == 2
    assert not lazy._doc_terms
    assert [warm.doc_terms(d) for d in (0, 1)] == [lazy.doc_terms(d) for d in (0, 1)]
    assert [warm.title_terms(d) for d in (0, 1)] == [lazy.title_terms(d) for d in (0, 1)]


def test_pool_ranks_and_gaps() -> None:
    feats = [{n: v for n in RANKED_SIGNALS} for v in (0.2, 0.9, 0.5)]
    add_pool_ranks(feats)
    assert [f["r_fused_main"] for f in feats] == pytest.approx([1 / 3, 1.0, 1 / 2])
    assert [f["g_lex_full"] for f in feats] == pytest.approx([0.7, 0.0, 0.4])


def test_agreement_features() -> None:
    # the last candidate is first by both retrievers; the others lead in at most one
    feats = [{**{n: 0.0 for n in RANKED_SIGNALS}, "lex_main": lx, "dense_main": dn,
              "cov_uni": cov, "tcov_uni": t}
             for lx, dn, cov, t in ((0.95, 0.1, 0.5, 0.0), (0.9, 0.8, 0.5, 1.0),
                                    (0.2, 0.85, 0.5, 0.4), (0.99, 0.9, 0.2, 0.5))]
    add_pool_ranks(feats)
    add_agreement_features(feats)
    assert [f["first_both"] for f in feats] == [0.0, 0.0, 0.0, 1.0]
    assert feats[1]["lex_x_dense"] == pytest.approx(0.72)
    assert [f["cov_x_title"] for f in feats] == pytest.approx([0.0, 0.5, 0.2, 0.1])


def _o(main: float, ok: bool, parts: tuple[tuple[float, bool, int], ...] = (),
       in_scope: bool = True, refusal: bool = False) -> Outcome:
    return Outcome(Top(main, ok, refusal, 0),
                   tuple(Top(p, k, False, d) for p, k, d in parts), in_scope)


def test_decide_follows_answer() -> None:
    assert decide(_o(0.8, True), 0.7) == "correct"
    assert decide(_o(0.8, False), 0.7) == "wrong"
    assert decide(_o(0.6, True), 0.7) == "not_sure"
    assert decide(_o(0.9, False, refusal=True), 0.7) == "not_sure"  # refused, not wrong
    # one sub-question answered when the whole letter is unclear
    assert decide(_o(0.6, False, ((0.8, True, 3), (0.2, False, 4))), 0.7) == "correct"
    # two sub-questions by different entries: answered in turn, right if either is
    assert decide(_o(0.9, False, ((0.8, True, 3), (0.75, False, 4))), 0.7) == "correct"
    assert decide(_o(0.9, True, ((0.8, False, 3), (0.75, False, 4))), 0.7) == "wrong"
    # out of domain: refused unless something that is not a refusal is answered
    assert decide(_o(0.9, True, in_scope=False, refusal=True), 0.7) == "refused"
    assert decide(_o(0.9, False, in_scope=False), 0.7) == "answered"


def test_threshold_answers_most_within_bounds_without_useless_wrongs() -> None:
    rows = [_o(0.9, True), _o(0.8, True), _o(0.7, False), _o(0.6, True), _o(0.55, False),
            _o(0.5, False, in_scope=False)]
    assert rates(rows, 0.75) == pytest.approx((40.0, 0.0, 100.0))
    assert choose_threshold(rows, max_wrong=0.0, min_ood=100.0) == pytest.approx(0.8)
    # 0.6 gains a right answer for the wrong one; 0.55 would only add a wrong answer
    assert choose_threshold(rows, max_wrong=40.0, min_ood=100.0) == pytest.approx(0.6)
    assert choose_threshold([_o(0.9, False)], max_wrong=0.0, min_ood=0.0) == pytest.approx(0.99)


def test_a_short_question_after_a_marker_keeps_its_sentence() -> None:
    focus = find_focus("Em có người bạn đã ly hôn, hiện chưa có nơi ở cố định. Giả sử em cho "
                       "bạn đăng ký thường trú về nhà em được không? Em nghe nói diện tích "
                       "phải đáp ứng quy định của tỉnh, xin hỏi quy định trên nhé.")
    assert "diện tích" in focus.main and "thường trú" in focus.main
