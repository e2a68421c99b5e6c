"""Scoring of the real-question eval (bench/real_eval.py): strict key facts and the judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import kb_eval, real_eval
from bench.real_eval import Reply

ROW = {"id": "rqx-001", "in_scope": True, "question": "Đổi thẻ căn cước ở tuổi nào?",
       "key_facts": [["25 tuổi"], ["500.000 đồng", "500 nghìn"]]}


def test_strict_match_folds_diacritics_and_number_formats() -> None:
    assert real_eval.facts_found(ROW, "Phạt 500000 dong nếu không đổi") == 1
    assert real_eval.facts_found(ROW, "khi đủ 25 TUỔI và 500 nghìn") == 2
    # written another way, the strict match misses it: what the judge is for
    assert real_eval.facts_found(ROW, "khi đến tuổi 25, 40, 60") == 0
    assert real_eval.judge(ROW, Reply("answered", "khi đến tuổi 25, 40, 60")) == "wrong"
    assert real_eval.judge(ROW, Reply("not_sure", "25 tuổi")) == "not_sure"
    assert real_eval.judge({**ROW, "in_scope": False}, Reply("refused", "")) == "refused"


def test_a_not_sure_reply_is_one_tap_away_only_when_a_suggestion_answers_with_a_key_fact(
) -> None:
    replies = {
        ROW["question"]: Reply("not_sure", "Mình chưa chắc…", suggestions=("Lệ phí", "Tuổi")),
        "Lệ phí": Reply("answered", "Cấp đổi 50.000 đồng"),
        "Tuổi": Reply("answered", "Đổi thẻ khi đủ 25 tuổi"),
    }
    asked: list[str] = []

    def ask(q: str) -> Reply:
        asked.append(q)
        return replies[q]

    [result] = real_eval.evaluate([ROW], ask, {})
    assert result["verdict"] == "not_sure" and result["one_tap"] is True
    assert asked == [ROW["question"], "Lệ phí", "Tuổi"]  # each button asked as tapped
    # the fact only in a suggestion that is itself not answered: not one tap away
    replies["Tuổi"] = Reply("not_sure", "25 tuổi")
    assert real_eval.evaluate([ROW], ask, {})[0]["one_tap"] is False
    # an answer, or an out-of-domain row, never asks its suggestions
    asked.clear()
    replies[ROW["question"]] = Reply("answered", "25 tuổi", suggestions=("Tuổi",))
    assert real_eval.evaluate([ROW], ask, {})[0]["one_tap"] is False
    replies[ROW["question"]] = Reply("not_sure", "", suggestions=("Tuổi",))
    assert real_eval.evaluate([{**ROW, "in_scope": False}], ask, {})[0]["one_tap"] is False
    assert asked == [ROW["question"], ROW["question"]]
    s = real_eval.summary(real_eval.evaluate([ROW, {**ROW, "id": "rqx-002"}],
                                             lambda q: Reply("not_sure", "")
                                             if q == ROW["question"] else replies[q], {}))
    assert s["one_tap"] == 0.0 and "one tap   0.0%" in real_eval.fmt("x", s)


def test_the_judge_decides_for_the_entry_it_judged_and_only_for_that_one() -> None:
    judged = {("rqx-001", "cc_tuoi_doi_the"): True, ("rqx-001", "cc_le_phi"): False}
    reply = Reply("answered", "khi đến tuổi 25, 40, 60", "cc_tuoi_doi_the")
    strict = real_eval.judge(ROW, reply)
    assert strict == "wrong"
    assert real_eval.judged_verdict(ROW, reply, strict, judged) == "correct"
    # a judged "no" overrides a number that happens to match
    coincidence = Reply("answered", "Lệ phí 25 tuổi", "cc_le_phi")
    assert real_eval.judged_verdict(ROW, coincidence, "correct", judged) == "wrong"
    # no verdict for this entry, or not answered: the strict verdict stays
    other = Reply("answered", "25 tuổi", "cc_khac")
    assert real_eval.judged_verdict(ROW, other, "correct", judged) == "correct"
    assert real_eval.judged_verdict(ROW, reply, "not_sure", judged) == "not_sure"


def test_summary_reports_strict_and_judged_figures_apart() -> None:
    judged = {("rqx-001", "a"): True}
    rows = [ROW, {**ROW, "id": "rqx-002"}, {**ROW, "id": "rqx-003", "in_scope": False}]
    replies = {"rqx-001": Reply("answered", "tuổi 25", "a"),
               "rqx-002": Reply("answered", "không liên quan", "b"),
               "rqx-003": Reply("not_sure", "")}
    ask = iter(replies[r["id"]] for r in rows)
    results = real_eval.evaluate(rows, lambda _q: next(ask), judged)
    s = real_eval.summary(results)
    assert (s["key_fact"], s["wrong"]) == (0.0, 100.0)
    assert (s["judged_key_fact"], s["judged_wrong"]) == (50.0, 50.0)
    assert s["ood_refused"] == 100.0
    assert "judged: key fact  50.0%" in real_eval.fmt("x", s)


def test_verdicts_are_added_once_and_bad_ones_skipped(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(real_eval, "JUDGED", tmp_path / "judged.jsonl")
    verdicts = tmp_path / "v.json"
    verdicts.write_text(json.dumps({"rqx-001": {"a": "yes", "b": "no", "c": "maybe"}}),
                        encoding="utf-8")
    assert kb_eval.import_real_verdicts(verdicts, "judge") == 2
    assert kb_eval.import_real_verdicts(verdicts, "judge") == 0  # already there
    assert real_eval.load_judged(real_eval.JUDGED) == {("rqx-001", "a"): True,
                                                       ("rqx-001", "b"): False}


def test_the_judged_file_names_real_questions_with_yes_or_no() -> None:
    if not real_eval.JUDGED.is_file():
        pytest.skip("no verdicts yet")
    ids = {r["id"] for r in real_eval.load(split="all")}
    lines = [json.loads(x) for x in real_eval.JUDGED.read_text(encoding="utf-8").splitlines()
             if x.strip()]
    assert lines and all(v["id"] in ids and v["verdict"] in ("yes", "no") and v["entry"]
                         and v["by"] for v in lines)
    assert len({(v["id"], v["entry"]) for v in lines}) == len(lines)
