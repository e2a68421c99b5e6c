#!/usr/bin/env python3
"""NLU held-out evaluation: intent macro-F1 (target ≥ 0.95) and entity F1.

Splits ``nlu_data/nlu/*.yml`` 80/20 per intent — an example and its diacritic-free twin
always land on the same side, so the test set is never seen in another spelling — trains an
NLU-only model on the 80 % with ``bot/config.yml`` and runs ``rasa test nlu`` on the 20 %.
Reports (Rasa's intent/entity reports and confusion matrix) go to ``results/nlu_eval/``, the
summary to ``results/nlu_eval.json``. The summary is reused when the data, config and
components have not changed (``--force`` to redo).

Usage: ``.venv/bin/python bench/nlu_eval.py [--force] [--test-fraction 0.2]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.vi_text import normalize_text  # noqa: E402
from devtools.train import content_hash  # noqa: E402
from troly06.yamlfile import read_yaml  # noqa: E402

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
RESULTS = ROOT / "results"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _surface(example: str) -> str:
    return _ANNOTATION.sub(lambda m: m.group(1), example)


def load_nlu(folder: Path) -> tuple[dict[str, list[str]], list[dict]]:
    """Examples per intent, and the other NLU items (synonyms, lookups)."""
    intents: dict[str, list[str]] = defaultdict(list)
    others: list[dict] = []
    for path in sorted(folder.glob("*.yml")):
        for item in (read_yaml(path) or {}).get("nlu", []):
            if "intent" in item:
                intents[item["intent"]] += [line[2:].strip() for line in
                                            item["examples"].splitlines() if line.strip()]
            else:
                others.append(item)
    return intents, others


def split(intents: dict[str, list[str]], fraction: float, seed: int = 6
          ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per-intent split that keeps spelling variants of one example together."""
    rng = random.Random(seed)
    train: dict[str, list[str]] = {}
    test: dict[str, list[str]] = {}
    for intent, examples in intents.items():
        groups: dict[str, list[str]] = defaultdict(list)
        for ex in examples:
            groups[normalize_text(_surface(ex))].append(ex)
        keys = sorted(groups)
        rng.shuffle(keys)
        n_test = max(1, round(len(keys) * fraction))
        test[intent] = [ex for k in keys[:n_test] for ex in groups[k]]
        train[intent] = [ex for k in keys[n_test:] for ex in groups[k]]
    return train, test


def _dump(path: Path, intents: dict[str, list[str]], others: list[dict]) -> None:
    items: list[dict] = [{"intent": i, "examples": "".join(f"- {e}\n" for e in ex)}
                         for i, ex in intents.items() if ex]
    items += others

    def _repr(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    yaml.add_representer(str, _repr, Dumper=yaml.SafeDumper)
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": items}, allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")


def run(fraction: float) -> dict:
    """Split, train, test; returns the summary."""
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               PYTHONWARNINGS="ignore", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    intents, others = load_nlu(ROOT / "nlu_data" / "nlu")
    train, test = split(intents, fraction)
    out_dir = RESULTS / "nlu_eval"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        _dump(tmp / "train.yml", train, [o for o in others if "intent" not in o])
        _dump(tmp / "test.yml", test, [])
        (out_dir / "test_data.yml").write_text((tmp / "test.yml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
        print(f"==> NLU split: {sum(map(len, train.values()))} train / "
              f"{sum(map(len, test.values()))} held-out examples", flush=True)
        start = time.perf_counter()
        subprocess.run([str(RASA), "train", "nlu", "--config", "bot/config.yml", "--nlu",
                        str(tmp / "train.yml"), "--out", str(tmp), "--fixed-model-name",
                        "nlu-eval"], cwd=ROOT, env=env, check=True)
        train_s = time.perf_counter() - start
        subprocess.run([str(RASA), "test", "nlu", "--nlu", str(tmp / "test.yml"), "-m",
                        str(tmp / "nlu-eval.tar.gz"), "--out", str(out_dir)], cwd=ROOT, env=env,
                       check=True)
    intent_report = json.loads((out_dir / "intent_report.json").read_text(encoding="utf-8"))
    entity_reports = sorted(out_dir.glob("*DIETClassifier_report.json"))
    entity_path = entity_reports[0] if entity_reports else out_dir / "none"
    entity_report = json.loads(entity_path.read_text(encoding="utf-8")) \
        if entity_path.exists() else {}
    summary = {
        "data_hash": content_hash(),
        "intent_macro_f1": round(intent_report["macro avg"]["f1-score"], 4),
        "intent_accuracy": round(intent_report.get("accuracy", 0.0), 4),
        "entity_macro_f1": round(entity_report.get("macro avg", {}).get("f1-score", 0.0), 4),
        "per_intent_f1": {k: round(v["f1-score"], 3) for k, v in intent_report.items()
                          if isinstance(v, dict) and k not in
                          ("macro avg", "weighted avg", "micro avg")},
        "per_entity_f1": {k: round(v["f1-score"], 3) for k, v in entity_report.items()
                          if isinstance(v, dict) and k not in
                          ("macro avg", "weighted avg", "micro avg")},
        "n_train": sum(map(len, train.values())),
        "n_test": sum(map(len, test.values())),
        "train_seconds": round(train_s, 1),
        "report_dir": str(out_dir.relative_to(ROOT)),
    }
    return summary


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit code 1 when macro-F1 < the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--test-fraction", type=float, default=0.2)
    parser.add_argument("--target", type=float, default=0.95)
    args = parser.parse_args(argv)
    summary_path = RESULTS / "nlu_eval.json"
    summary = None
    if summary_path.exists() and not args.force:
        cached = json.loads(summary_path.read_text(encoding="utf-8"))
        if cached.get("data_hash") == content_hash():
            summary = cached
            print("==> NLU data unchanged: reusing results/nlu_eval.json")
    if summary is None:
        summary = run(args.test_fraction)
        RESULTS.mkdir(exist_ok=True)
        summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                encoding="utf-8")
    print(f"intent macro-F1 {summary['intent_macro_f1']:.3f} (target ≥ {args.target}), "
          f"accuracy {summary['intent_accuracy']:.3f}, entity macro-F1 "
          f"{summary['entity_macro_f1']:.3f}; {summary['n_train']} train / "
          f"{summary['n_test']} held-out examples")
    weak = {k: v for k, v in summary["per_intent_f1"].items() if v < args.target}
    if weak:
        print("intents below target:", weak)
    return 0 if summary["intent_macro_f1"] >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
