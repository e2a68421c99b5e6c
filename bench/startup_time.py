#!/usr/bin/env python3
"""Why does Rasa take long to start, and how much does the fast DIET loader save?

Runs in the Rasa environment (it re-executes itself with ``.venv-rasa/bin/python``) and times,
for the current model in ``models/``: importing TensorFlow, importing Rasa's agent,
``Agent.load`` with the stock DIET loader (which traces the training graph) and with
:class:`bot.nlu.fast_diet.FastLoadDIET`, the first and the following parses; it also
checks that both loaders give identical predictions. Optionally (``--rasa-run``) it measures
``rasa run`` from process start to a ready ``/webhooks/rest/``. Saves ``results/startup_time.json``.

Usage: ``.venv/bin/python bench/startup_time.py [--rasa-run]``
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
MESSAGES = ["xin chào", "kich hoat vneid muc 2 the nao", "tuần này Ngã Bảy cấp bao nhiêu CCCD?",
            "so với tuần trước thế nào", "thongke tx long my tu 06/7 den 12/7", "👍",
            "xuhuong cấp đổi", "thời tiết hôm nay thế nào"]


def _latest_model() -> Path:
    return sorted((ROOT / "models").glob("troly06-*.tar.gz"), key=lambda p: p.stat().st_mtime)[-1]


def inside_rasa_env(model: Path) -> dict:
    """Measurements (runs under .venv-rasa)."""
    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    import tensorflow  # noqa: F401

    t1 = time.perf_counter()
    from rasa.core.agent import Agent

    from bot.nlu import fast_diet

    t2 = time.perf_counter()
    results: dict = {"import_tensorflow_s": round(t1 - t0, 1),
                     "import_rasa_agent_s": round(t2 - t1, 1)}
    predictions = {}
    for mode in ("fast", "stock"):  # fast first: it gets no warm caches
        model_class = fast_diet.FastLoadDIET if mode == "fast" else fast_diet.DIET
        fast_diet.FastLoadDIETClassifier.model_class = staticmethod(lambda c=model_class: c)
        start = time.perf_counter()
        agent = Agent.load(str(model))
        results[f"agent_load_{mode}_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        first = asyncio.run(agent.parse_message(MESSAGES[0]))
        results[f"first_parse_{mode}_ms"] = round((time.perf_counter() - start) * 1000, 1)
        start = time.perf_counter()
        parsed = [first] + [asyncio.run(agent.parse_message(m)) for m in MESSAGES[1:]]
        results[f"parse_{mode}_ms"] = round(
            (time.perf_counter() - start) * 1000 / (len(MESSAGES) - 1), 1)
        predictions[mode] = [(p["intent"]["name"], round(p["intent"]["confidence"], 4),
                              sorted((e["entity"], str(e["value"])) for e in p["entities"]))
                             for p in parsed]
    results["same_predictions"] = predictions["stock"] == predictions["fast"]
    results["predictions"] = predictions["fast"]
    return results


def rasa_run_ready(model: Path) -> float:
    """Seconds from ``rasa run`` start to a 200 on /webhooks/rest/ (port 5905, no actions)."""
    from urllib.request import urlopen

    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               RASA_TRACKER_DB=str(ROOT / "var" / "bench_tracker.db"),
               TROLY06_ACTION_TOKEN="bench-" + "x" * 32)
    start = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv-rasa/bin/rasa"), "run", "-i",
                             "127.0.0.1", "-p", "5905", "-m", str(model), "--credentials",
                             "bot/credentials.yml", "--endpoints", "bot/endpoints.yml"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None:
            try:
                with urlopen("http://127.0.0.1:5905/webhooks/rest/", timeout=2) as resp:  # noqa: S310
                    if resp.status == 200:
                        return round(time.perf_counter() - start, 1)
            except OSError:
                time.sleep(0.25)
        raise RuntimeError("rasa run exited")
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> int:
    """Re-exec under the Rasa env, print and save the figures."""
    model = _latest_model()
    if "--inside" in sys.argv:
        print(json.dumps(inside_rasa_env(model), ensure_ascii=False))
        return 0
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               PYTHONWARNINGS="ignore")
    proc = subprocess.run([str(RASA_PY), __file__, "--inside"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    results["model"] = model.name
    if "--rasa-run" in sys.argv:
        results["rasa_run_ready_s"] = rasa_run_ready(model)
    for key, value in results.items():
        if key != "predictions":
            print(f"{key:28} {value}")
    out = ROOT / "results" / "startup_time.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if results["same_predictions"] else 1


if __name__ == "__main__":
    sys.exit(main())
