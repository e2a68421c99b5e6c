#!/usr/bin/env python
"""Cold ``troly06 ask`` wall time, index build time and search latency with the grown KB.

* cold CLI: a fresh ``troly06 ask --json`` process per run (index already built), wall time
  from spawn to exit, ``--runs`` times; p50 and max;
* build: ``troly06 kb build --force`` in a temporary index directory, once with no previous
  index (every unit embedded) and once reusing the previous embeddings;
* search: ``knowledge.search`` p50/p95 over the generated eval's questions and over the real
  dev questions, model loaded and every entry's terms gathered (the action server's warm-up);
* encoder: the e5 query encoder alone at 16, 32 and 48 tokens (p50), to compare machines;
* CPU steal: the share of CPU time a shared virtual machine lost to other guests meanwhile.

    .venv/bin/python bench/kb_speed.py [--runs 7] [--json results/kb_speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.index import KnowledgeIndex

ROOT = Path(__file__).resolve().parent.parent
CLI = [str(Path(sys.executable).parent / "troly06")]
EVAL = ROOT / "tests" / "data" / "kb_eval.jsonl"


def _cold(runs: int) -> list[float]:
    times = []
    for n in range(runs):
        t0 = time.perf_counter()
        subprocess.run(CLI + ["ask", "--json", f"quên mật khẩu vneid thì làm sao {n}"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def _build_seconds() -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TROLY06_INDEX_DIR=str(Path(tmp) / "index"))
        for label in ("from scratch", "reusing embeddings"):
            t0 = time.perf_counter()
            subprocess.run(CLI + ["kb", "build", "--force"], check=True, capture_output=True,
                           env=env)
            out[label] = round(time.perf_counter() - t0, 1)
    shutil.rmtree(Path(tmp), ignore_errors=True)
    return out


def _percentiles(index: KnowledgeIndex, questions: list[str]) -> dict[str, float]:
    from knowledge.answer import search

    for q in questions[:10]:
        search(q, k=5, index=index)
    ms = []
    for q in questions:
        t0 = time.perf_counter()
        search(q, k=5, index=index)
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    return {"n": len(ms), "p50": round(statistics.median(ms), 1),
            "p95": round(ms[int(0.95 * (len(ms) - 1))], 1)}


def _search_ms() -> dict[str, dict[str, float]]:
    """Search latency over the generated eval (the target's set) and over the real dev
    questions (citizens' letters: longer, so more to encode and often a focus to rank)."""
    sys.path.insert(0, str(ROOT))
    from bench.real_eval import load
    from knowledge.index import get_index

    index = get_index()
    index.term_stats.warm()  # as the action server's warm-up does before its first user
    generated = [json.loads(x)["question"]
                 for x in EVAL.read_text(encoding="utf-8").splitlines() if x.strip()]
    real = [r["question"] for r in load(split="dev")]
    return {"generated": {**_percentiles(index, generated), "entries": len(index.docs),
                          "units": len(index.units)},
            "real_dev": _percentiles(index, real)}


def _cpu_times() -> list[int] | None:
    """The machine's CPU counters (``/proc/stat``), None where there are none."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            return [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def _steal_percent(before: list[int] | None, after: list[int] | None) -> float | None:
    """Share of CPU time the hypervisor gave to other guests between two readings (the 8th
    counter): on a shared virtual machine the same code runs slower while it is high."""
    if not before or not after or len(before) < 8 or len(after) < 8:
        return None
    total = sum(after) - sum(before)
    return round(100.0 * (after[7] - before[7]) / total, 1) if total > 0 else None


def _encoder_ms(runs: int = 30) -> dict[str, float]:
    """p50 of the e5 query encoder alone on a question cut to 16, 32 and 48 tokens: the part
    of a search that depends on the machine, to compare one measurement with another."""
    sys.path.insert(0, str(ROOT))
    from knowledge.index import get_index

    encoder = get_index().encoder
    words = ("thủ tục cấp đổi thẻ căn cước khi đủ 25 tuổi cần những giấy tờ gì và mất bao "
             "lâu vậy ạ, làm trên VNeID được không hay phải lên công an phường ").split() * 3
    count = getattr(getattr(encoder, "_e5", None), "token_count", None)
    out: dict[str, float] = {}
    for tokens in (16, 32, 48):
        n = tokens
        text = " ".join(words[:n])
        while count is not None and n > 1 and count(text, True) > tokens:
            n -= 1
            text = " ".join(words[:n])
        ms = []
        for k in range(runs + 5):  # the first five warm up
            t0 = time.perf_counter()
            encoder.encode_queries([text])
            if k < 5:
                continue
            ms.append((time.perf_counter() - t0) * 1000)
        out[f"{tokens}_tokens_p50"] = round(statistics.median(ms), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    """Measure and print (and optionally save) the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    subprocess.run(CLI + ["kb", "build"], check=True, capture_output=True)
    start = _cpu_times()
    cold = _cold(args.runs)
    figures = {"cold_ask_s": {"p50": round(statistics.median(cold), 2),
                              "max": round(max(cold), 2), "runs": args.runs},
               "build_s": _build_seconds(), "search_ms": _search_ms(),
               "encoder_ms": _encoder_ms(),
               "load_average": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
               "cpu_steal_percent": _steal_percent(start, _cpu_times())}
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
