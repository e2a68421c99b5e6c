"""The learned second stage: a logistic model over a candidate's features.

``reranker.json`` holds ``{"features": [...], "mean": [...], "scale": [...], "coef": [...],
"intercept": x, "calibrator": {"coef": [...], "intercept": x}, "threshold": t,
"trained": {...}}``, written by ``bench/train_reranker.py``: standardised features, an L2
logistic regression per candidate (the reranker), then a second logistic model per question
(the calibrator: how likely the reranked top-1 is right, from the top probabilities and the
top candidate's features). The threshold on that confidence is chosen by cross-validation
so that few answers are confidently wrong. Plain numpy at run time: no scikit-learn import,
no pickle.
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

    def probability(self, features: dict[str, float]) -> float:
        """P(this candidate answers the question)."""
        z = self.intercept + sum(w * v for w, v in zip(self.coef, self.standardised(features),
                                                        strict=True))
        return _sigmoid(z)

    @classmethod
    def from_dict(cls, data: dict) -> Reranker:
        """Build from the JSON mapping (ValueError when inconsistent)."""
        names = tuple(data["features"])
        arrays = [tuple(float(x) for x in data[k]) for k in ("mean", "scale", "coef")]
        if any(len(a) != len(names) for a in arrays):
            raise ValueError("reranker.json: one mean/scale/coef per feature")
        cal = data.get("calibrator") or {}
        cal_coef = tuple(float(x) for x in cal.get("coef") or ())
        if cal_coef and len(cal_coef) != 3 + len(names):
            raise ValueError("reranker.json: calibrator needs 3 + one weight per feature")
        return cls(names, arrays[0], arrays[1], arrays[2], float(data["intercept"]),
                   float(data["threshold"]), cal_coef, float(cal.get("intercept") or 0.0))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


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
