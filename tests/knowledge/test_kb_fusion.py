"""Pure fusion functions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from knowledge.fusion import (
    calibrate,
    calibrate_array,
    margin,
    reciprocal_rank_fusion,
    weighted_fusion,
    weighted_mean,
)


def test_rrf_scores_by_hand() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "a"]], k=60))
    assert math.isclose(fused["a"], 1 / 61 + 1 / 62)
    assert math.isclose(fused["b"], 1 / 62 + 1 / 61)
    assert math.isclose(fused["c"], 1 / 63)


def test_rrf_order_ties_and_duplicates() -> None:
    ranked = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a"]], k=60)
    # a and b tie on score; the tie goes to the best single rank, then the id.
    assert [d for d, _ in ranked] == ["a", "b", "c"]
    dup = dict(reciprocal_rank_fusion([["x", "x", "y"]], k=1))
    assert math.isclose(dup["x"], 1 / 2) and math.isclose(dup["y"], 1 / 4)


def test_rrf_weights() -> None:
    ranked = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], k=0, weights=[1.0, 3.0])
    assert ranked[0][0] == "b"
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


def test_rrf_agreement_beats_single_first_place() -> None:
    ranked = reciprocal_rank_fusion([["x", "good"], ["y", "good"]], k=1)
    assert ranked[0][0] == "good"


def test_weighted_fusion_and_missing_ids() -> None:
    ranked = weighted_fusion([{"a": 1.0, "b": 0.2}, {"b": 0.9}], weights=[1.0, 1.0])
    assert ranked[0] == ("b", pytest.approx(0.55))
    assert dict(ranked)["a"] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        weighted_fusion([{"a": 1.0}], weights=[0.0])


def test_calibrate_clips() -> None:
    assert calibrate(0.80, 0.80, 0.92) == 0.0
    assert calibrate(0.86, 0.80, 0.92) == pytest.approx(0.5)
    assert calibrate(0.99, 0.80, 0.92) == 1.0
    assert calibrate(0.10, 0.80, 0.92) == 0.0
    with pytest.raises(ValueError):
        calibrate(0.5, 1.0, 1.0)
    arr = calibrate_array(np.array([0.7, 0.86, 1.0]), 0.80, 0.92)
    assert arr.tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_weighted_mean_matches_weighted_fusion() -> None:
    a, b = np.array([1.0, 0.2, 0.0]), np.array([0.0, 0.9, 0.4])
    out = weighted_mean([a, b], [1.0, 3.0])
    expected = dict(weighted_fusion([dict(enumerate(a)), dict(enumerate(b))], [1.0, 3.0]))
    assert out.tolist() == pytest.approx([expected[i] for i in range(3)])
    with pytest.raises(ValueError):
        weighted_mean([a], [1.0, 2.0])


def test_margin() -> None:
    assert margin([]) == 0.0
    assert margin([("a", 0.7)]) == pytest.approx(0.7)
    assert margin([("a", 0.7), ("b", 0.5)]) == pytest.approx(0.2)
