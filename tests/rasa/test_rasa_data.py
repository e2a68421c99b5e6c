"""Conversations as data: `rasa data validate`, test stories, NLU held-out evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rasa.conftest import RASA_BIN, ROOT, latest_model, need_rasa_env, rasa_env

pytestmark = [pytest.mark.rasa, pytest.mark.slow]


def test_rasa_data_validate_is_clean() -> None:
    need_rasa_env()
    proc = subprocess.run(
        [str(RASA_BIN), "data", "validate", "--domain", "bot/domain.yml", "--config",
         "bot/config.yml", "--data", "nlu_data", "--fail-on-warnings"],
        cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def test_every_intent_has_15_examples_with_and_without_diacritics() -> None:
    from bench.nlu_eval import _surface, load_nlu
    from bot.nlu.vi_text import strip_diacritics

    intents, _ = load_nlu(ROOT / "nlu_data" / "nlu")
    assert len(intents) >= 15
    for intent, annotated in intents.items():
        examples = [_surface(e) for e in annotated]  # text as typed, without entity markup
        plain = [e for e in examples if e == strip_diacritics(e)]
        marked = [e for e in examples if e != strip_diacritics(e)]
        assert len(examples) >= 15, intent
        if intent != "provide_personal_info":  # its examples are masks + short words
            assert len(plain) >= 7 and len(marked) >= 7, (intent, len(plain), len(marked))


def test_test_stories_pass(tmp_path: Path) -> None:
    need_rasa_env()
    model = latest_model()
    proc = subprocess.run(
        [str(RASA_BIN), "test", "core", "-m", str(model), "--stories", "tests/test_stories.yml",
         "--fail-on-prediction-errors", "--out", str(tmp_path / "core")],
        cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=900)
    failed = tmp_path / "core" / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert proc.returncode == 0, (details or proc.stdout + proc.stderr)[-5000:]


# The target is 0.95 (bench/nlu_eval.py exits 1 below it); measured 0.962 on the
# final data (docs/rasa.md). The test guards against regressions below the level reached.
# measured 0.962 on the bench split; a little room for TF thread nondeterminism
REGRESSION_FLOOR = 0.94


def test_nlu_held_out_macro_f1() -> None:
    need_rasa_env()
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "nlu_eval.py"), "--target",
                           str(REGRESSION_FLOOR)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1500)
    summary_path = ROOT / "results" / "nlu_eval.json"
    assert summary_path.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert (ROOT / summary["report_dir"] / "intent_report.json").exists()
    assert summary["n_test"] >= 60
    assert summary["intent_macro_f1"] >= REGRESSION_FLOOR, summary["per_intent_f1"]
    assert summary["entity_macro_f1"] >= 0.8, summary["per_entity_f1"]
    assert proc.returncode == 0
