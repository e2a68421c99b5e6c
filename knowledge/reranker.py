"""The learned second stage: a model over a candidate's features.

``reranker.json`` holds ``{"kind": "listwise", "features": [...], "mean": [...],
"scale": [...], "coef": [...], "intercept": x, "threshold": t, "trained": {...}}``, written
by ``bench/train_reranker.py``. Features are standardised; each candidate gets a linear
score ``s_i`` and the question's candidates share one softmax **with a "none of these"
option** of score 0::

    P(candidate i answers) = exp(s_i) / (1 + sum_j exp(s_j))

so the top candidate's probability is directly how likely it is right, also for questions
the KB does not cover (trained on them with "none" as the answer): no second calibrator.
The threshold on that confidence is chosen by cross-validation so that few answers are
confidently wrong.

The older ``"kind": "pointwise"`` file (the default when ``kind`` is absent) holds an L2
logistic regression per candidate and a ``"calibrator"`` (a logistic model over the top
probabilities and the top candidate's features); it is still read. Plain Python at run
time: no scikit-learn import, no pickle.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "reranker.json"


@dataclass(frozen=True)
class Reranker:
    """A trained logistic reranker."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    cal_coef: tuple[float, ...] = ()
    cal_intercept: float = 0.0
    kind: str = "pointwise"  # or "listwise" (softmax with a "none" option, no calibrator)

    def standardised(self, features: dict[str, float]) -> list[float]:
        """The feature vector as the models see it."""
        return [(features.get(n, 0.0) - mu) / (sd or 1.0)
                for n, mu, sd in zip(self.features, self.mean, self.scale, strict=True)]

    def confidence(self, probabilities: list[float], top_features: dict[str, float]) -> float:
        """P(the top candidate answers the question), given every candidate's probability."""
        if not self.cal_coef:
            return max(probabilities, default=0.0)
        x = question_features(probabilities, self.standardised(top_features))
        return _sigmoid(self.cal_intercept + sum(w * v for w, v in zip(self.cal_coef, x,
                                                                        strict=True)))

    def score(self, features: dict[str, float]) -> float:
        """The candidate's linear score."""
        return self.intercept + sum(w * v for w, v in zip(self.coef,
                                                          self.standardised(features),
                                                          strict=True))

    def probability(self, features: dict[str, float]) -> float:
        """P(this candidate answers the question) of a pointwise model (for a listwise one:
        the candidate alone against "none")."""
        return _sigmoid(self.score(features))

    def rerank(self, candidates: list[dict[str, float]]) -> tuple[list[float], float]:
        """Each candidate's probability, and the confidence that the most probable answers."""
        if not candidates:
            return [], 0.0
        if self.kind != "listwise":
            probs = [self.probability(f) for f in candidates]
            top = max(range(len(probs)), key=probs.__getitem__)
            return probs, self.confidence(probs, candidates[top])
        return (probs := softmax_with_none([self.score(f) for f in candidates])), max(probs)

    @classmethod
    def from_dict(cls, data: dict) -> Reranker:
        """Build from the JSON mapping (ValueError when inconsistent)."""
        names = tuple(data["features"])
        arrays = [tuple(float(x) for x in data[k]) for k in ("mean", "scale", "coef")]
        if any(len(a) != len(names) for a in arrays):
            raise ValueError("reranker.json: one mean/scale/coef per feature")
        kind = str(data.get("kind") or "pointwise")
        if kind not in ("pointwise", "listwise"):
            raise ValueError(f"reranker.json: unknown kind {kind!r}")
        cal = data.get("calibrator") or {}
        cal_coef = tuple(float(x) for x in cal.get("coef") or ())
        if cal_coef and len(cal_coef) != 3 + len(names):
            raise ValueError("reranker.json: calibrator needs 3 + one weight per feature")
        return cls(names, arrays[0], arrays[1], arrays[2], float(data["intercept"]),
                   float(data["threshold"]), cal_coef, float(cal.get("intercept") or 0.0),
                   kind)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def softmax_with_none(scores: list[float]) -> list[float]:
    """``exp(s_i) / (1 + sum_j exp(s_j))``: the candidates' shares beside a "none" of score 0."""
    if not scores:
        return []
    top = max(0.0, max(scores))
    exps = [math.exp(s - top) for s in scores]
    total = math.exp(-top) + sum(exps)
    return [e / total for e in exps]


def question_features(probabilities: list[float], top_standardised: list[float]) -> list[float]:
    """The calibrator's inputs: top probability, its margin over the second, how many
    candidates look right, and the top candidate's standardised features."""
    p = sorted(probabilities, reverse=True) + [0.0, 0.0]
    return [p[0], p[0] - p[1], float(sum(1 for x in probabilities if x > 0.5)),
            *top_standardised]


@lru_cache(maxsize=4)
def load_reranker(path: str = str(MODEL_FILE)) -> Reranker | None:
    """The model in ``path``, or None when there is none (first stage only)."""
    file = Path(path)
    if not file.is_file():
        return None
    return Reranker.from_dict(json.loads(file.read_text(encoding="utf-8")))


def get_reranker() -> Reranker | None:
    """The configured model (``TROLY06_KB_RERANKER``: empty = the shipped one, "off" =
    none)."""
    from troly06.config import get_settings

    choice = get_settings().kb_reranker.strip()
    if choice == "off":
        return None
    return load_reranker(choice or str(MODEL_FILE))
