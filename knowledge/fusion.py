"""Pure rank/score fusion functions (no I/O, no models): unit-tested in isolation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: float = 60.0,
                           weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion (Cormack et al. 2009) of ranked id lists, best first.

    ``score(d) = sum_i w_i / (k + rank_i(d))`` with ranks starting at 1; an id absent from a
    list gets nothing from it. Ties are broken by the best single rank, then by id.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[str, float] = {}
    best: dict[str, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, doc in enumerate(ranking, start=1):
            if doc in seen:
                continue
            seen.add(doc)
            scores[doc] = scores.get(doc, 0.0) + weight / (k + rank)
            best[doc] = min(best.get(doc, rank), rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], best[kv[0]], kv[0]))


def calibrate(score: float, low: float, high: float) -> float:
    """Map ``score`` linearly from [low, high] to [0, 1], clipped."""
    if high <= low:
        raise ValueError("high must be greater than low")
    return min(1.0, max(0.0, (score - low) / (high - low)))


def weighted_fusion(score_maps: Sequence[Mapping[str, float]],
                    weights: Sequence[float]) -> list[tuple[str, float]]:
    """Weighted sum of (already calibrated, 0..1) scores per id, best first.

    An id missing from one map counts 0 there. Ties broken by id for determinism.
    """
    if len(weights) != len(score_maps):
        raise ValueError("one weight per score map")
    total = float(sum(weights))
    if total <= 0:
        raise ValueError("weights must sum to a positive number")
    fused: dict[str, float] = {}
    for scores, weight in zip(score_maps, weights, strict=True):
        for doc, value in scores.items():
            fused[doc] = fused.get(doc, 0.0) + weight * float(value) / total
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def margin(ranked: Sequence[tuple[str, float]]) -> float:
    """Score gap between the best and the runner-up (the best score when alone, 0 if empty)."""
    if not ranked:
        return 0.0
    if len(ranked) == 1:
        return float(ranked[0][1])
    return float(ranked[0][1] - ranked[1][1])


def calibrate_array(scores: np.ndarray, low: float, high: float) -> np.ndarray:
    """Vectorised :func:`calibrate` (float32 array in [0, 1])."""
    if high <= low:
        raise ValueError("high must be greater than low")
    return np.clip((np.asarray(scores, dtype=np.float32) - low) / (high - low), 0.0, 1.0)


def weighted_mean(arrays: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Element-wise weighted mean of equally shaped score arrays (the vectorised
    :func:`weighted_fusion` used at query time)."""
    if len(arrays) != len(weights) or not arrays:
        raise ValueError("one weight per array, at least one array")
    total = float(sum(weights))
    if total <= 0:
        raise ValueError("weights must sum to a positive number")
    out = np.zeros_like(np.asarray(arrays[0], dtype=np.float32))
    for array, weight in zip(arrays, weights, strict=True):
        out += np.asarray(array, dtype=np.float32) * (weight / total)
    return out
