"""bench/kb_eval.py runs end to end (on the fixture KB, so it stays fast)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from knowledge.index import KnowledgeIndex

ROOT = Path(__file__).resolve().parents[2]


def test_bench_prints_every_retriever(fixture_index: KnowledgeIndex, kb_env: dict[str, Path],
                                      tmp_path: Path) -> None:
    rows = [
        {"question": "ko nhớ pass vneid", "expected_id": "vneid_forgot_password", "style": "t"},
        {"question": "may tuoi thi doi the can cuoc", "expected_id": "cccd_renewal_age",
         "style": "t"},
        {"question": "đăng ký tạm trú ở đâu", "expected_id": "temporary_residence",
         "style": "t"},
        {"question": "giá vàng hôm nay", "expected_id": None, "style": "oos"},
        {"question": "kết quả bóng đá tối qua", "expected_id": None, "style": "oos"},
    ]
    data = tmp_path / "eval.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    env = dict(os.environ, TROLY06_KB_DIR=str(kb_env["kb_dir"]),
               TROLY06_INDEX_DIR=str(kb_env["index_dir"]), TROLY06_KB_RERANKER="off")
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "kb_eval.py"), "--data",
                          str(data), "--calibrate"], capture_output=True, text=True, env=env,
                         timeout=180, check=False)
    assert out.returncode == 0, out.stderr
    lines: dict[str, list[str]] = {}
    for line in out.stdout.splitlines():  # first table (whole set); --calibrate adds another
        if line.split() and line.split()[0] in ("fused", "lexical", "dense"):
            lines.setdefault(line.split()[0], line.split())
    assert set(lines) == {"fused", "lexical", "dense"}
    fused = lines["fused"]
    assert fused[1] == "100.0%"  # top-1 on the three in-scope questions
    assert fused[6] == "100.0%"  # both out-of-scope questions rejected
    assert "3 in-scope, 2 out-of-scope" in out.stdout
    assert "calibration: threshold chosen on dev" in out.stdout


def test_judged_alternates_count_and_unjudged_tops_are_listed(tmp_path: Path) -> None:
    """An alternate the judge accepted counts as a hit only in the adjudicated figures; a
    top-1 nobody judged yet is listed for the judge with the expected entry among the
    candidates; a rejected one is not listed again."""
    from bench.kb_eval import metrics, unjudged, with_alternates

    rows = [{"question": "q1", "expected_id": "a"}, {"question": "q2", "expected_id": "b"},
            {"question": "q3", "expected_id": "c"}]
    judged = tmp_path / "alt.jsonl"
    judged.write_text("".join(json.dumps(r) + "\n" for r in (
        {"question": "q1", "also": ["x"], "rejected": []},
        {"question": "Q2", "also": [], "rejected": ["y"]})), encoding="utf-8")
    rows = with_alternates(rows, judged)
    results = [{**r, "ids": [top], "score": 1.0, "ms": 1.0}
               for r, top in zip(rows, ["x", "y", "z"], strict=True)]
    assert metrics(results, 0.5)["top1"] == 0.0
    assert abs(metrics(results, 0.5, adjudicated=True)["top1"] - 1 / 3) < 1e-9
    pending = unjudged({"reranked": results})
    assert [(p["question"], sorted(p["candidates"])) for p in pending] == [("q3", ["c", "z"])]
