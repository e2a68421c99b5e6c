"""Data check over the real knowledge base (knowledge/data/*.yaml) and the eval set."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
import yaml

from knowledge.audit import audit, blocking
from knowledge.dated import longest
from knowledge.kb import MIN_QUESTIONS, kb_files, load_entries, validate_entries
from knowledge.normalize import fold, strip_diacritics
from troly06.config import get_settings, today

ROOT = Path(__file__).resolve().parents[2]
KB_DIR = ROOT / "knowledge" / "data"
EVAL = ROOT / "tests" / "data" / "kb_eval.jsonl"
REAL = ROOT / "tests" / "data" / "real_questions.jsonl"
ALTERNATES = ROOT / "tests" / "data" / "kb_eval_alternates.jsonl"
LETTERS = ROOT / "tests" / "data" / "kb_train_letters.jsonl"


def test_kb_files_are_valid_yaml_with_entries() -> None:
    files = kb_files(KB_DIR)
    assert files, "knowledge/data/*.yaml is empty"
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and isinstance(data.get("entries"), list), path.name
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path.name


def test_every_entry_is_valid() -> None:
    problems = validate_entries(KB_DIR)
    assert not problems, "\n".join(problems)


def test_entry_invariants() -> None:
    entries = load_entries(KB_DIR)
    served = [e for e in entries if e.kind in ("procedure", "faq")]
    assert len(served) >= 350, f"the issue asks for at least 350 entries, found {len(served)}"
    assert len({e.id for e in entries}) == len(entries)
    for e in entries:
        assert e.source_title and e.source_ref, e.id
        assert len(e.questions) >= MIN_QUESTIONS, e.id
        assert 40 <= len(e.answer) and len(longest(e.answer).split()) <= 200, e.id
        # At least one phrasing typed without diacritics.
        assert any(strip_diacritics(q) == q for q in e.questions), \
            f"{e.id}: no question typed without diacritics"


def test_nothing_needs_reverification_today() -> None:
    """Every entry has a legal basis (validate_entries), was verified within the allowed age,
    names no body that no longer exists unless as history, and no rule ends in the next 60
    days without an entry that takes over (``troly06 kb audit`` lists the same)."""
    settings = get_settings()
    findings = blocking(audit(load_entries(KB_DIR), today(settings),
                              max_age_days=settings.kb_max_verified_age_days))
    assert not findings, "\n".join(f"{f.entry_id}: {f.kind}: {f.detail}" for f in findings)


def test_every_procedure_and_rule_has_legal_basis_and_page() -> None:
    for e in load_entries(KB_DIR):
        if e.kind == "refusal":
            continue
        assert e.legal_basis and all(b.doc and b.article for b in e.legal_basis), e.id
        assert e.official_page.startswith("http"), e.id
        assert e.verified, e.id
        if e.kind == "procedure":
            assert e.aspects, e.id


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _real_rows() -> list[dict]:
    return _jsonl(REAL)


def test_real_question_eval_shape() -> None:
    rows = _real_rows()
    assert len(rows) >= 250
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["url"].startswith("http") and r["split"] in ("dev", "heldout", "fresh"), r["id"]
        assert r["key_facts"] if r["in_scope"] else r["right_body"], r["id"]
    held = [r for r in rows if r["split"] == "heldout"]
    assert abs(len(held) - len(rows) / 2) <= len(rows) * 0.1


def test_no_kb_question_is_copied_from_the_real_eval() -> None:
    """Entries are never tuned to an eval question: no KB phrasing equals or quotes one."""
    real = [fold(r["question"]) for r in _real_rows()]
    for e in load_entries(KB_DIR):
        for q in e.questions:
            fq = fold(q)
            assert fq not in real, (e.id, q)
            if len(fq) >= 40:
                assert not any(fq in r for r in real), (e.id, q)


def _eval_rows() -> list[dict]:
    return _jsonl(EVAL)


def test_eval_set_shape() -> None:
    rows = _eval_rows()
    ins = [r for r in rows if r["expected_id"]]
    oos = [r for r in rows if r["expected_id"] is None]
    assert len(ins) >= 200 and len(oos) >= 40
    ids = {e.id for e in load_entries(KB_DIR)}
    for r in ins:
        assert r["expected_id"] in ids, f"eval expects unknown id {r['expected_id']!r}"
        assert unicodedata.is_normalized("NFC", r["question"])


def test_eval_questions_are_not_copies_of_kb_questions() -> None:
    kb_questions = {fold(q) for e in load_entries(KB_DIR) for q in e.questions}
    rows = _eval_rows()
    copies = [r["question"] for r in rows if fold(r["question"]) in kb_questions]
    assert len(copies) <= len(rows) // 50, f"eval questions copied from the KB: {copies[:10]}"


def test_no_shown_legal_basis_carries_a_verification_remark() -> None:
    """What is not checked yet about a legal basis goes to its ``note`` (listed by the audit),
    never into the document or article a citizen reads under the answer."""
    remark = ("chưa xác minh", "chưa đối chiếu", "chưa đọc", "theo nguồn", "chưa kiểm")
    shown = [(e.id, b.label()) for e in load_entries(KB_DIR) for b in e.legal_basis
             if any(r in b.label().lower() for r in remark)]
    assert not shown, shown


def test_judged_alternates_name_eval_questions_and_live_entries() -> None:
    """Each judgement is for a question of the generated eval, names existing entries other
    than the expected one (``also``: judged to answer it too; ``rejected``: judged not to),
    and says who judged and when."""
    if not ALTERNATES.is_file():
        pytest.skip("no judged alternates")
    expected = {r["question"].strip().lower(): r["expected_id"] for r in _eval_rows()}
    ids = {e.id for e in load_entries(KB_DIR)}
    rows = _jsonl(ALTERNATES)
    assert len({r["question"].strip().lower() for r in rows}) == len(rows), "duplicate question"
    for r in rows:
        q = r["question"].strip().lower()
        assert expected.get(q), f"not an in-scope question of kb_eval.jsonl: {r['question']!r}"
        judged = set(r["also"]) | set(r["rejected"])
        assert judged <= ids and not set(r["also"]) & set(r["rejected"]), r
        assert expected[q] not in judged, r
        assert r.get("judged") and r.get("by"), r


def test_training_letters_are_labelled_and_not_eval_questions() -> None:
    """The invented training messages name existing entries (or none: out of scope) and never
    repeat a question of either eval (so training on them never trains on a test question)."""
    if not LETTERS.is_file():
        pytest.skip("no training letters")
    ids = {e.id for e in load_entries(KB_DIR)}
    rows = _jsonl(LETTERS)
    assert len(rows) >= 100
    tested = {fold(r["question"]) for r in _eval_rows() + _real_rows()}
    for r in rows:
        assert r["expected_id"] is None or r["expected_id"] in ids, r["expected_id"]
        assert fold(r["question"]) not in tested, r["question"]
        assert unicodedata.is_normalized("NFC", r["question"]), r["question"]


@pytest.mark.parametrize("path", sorted(KB_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_tags_and_dates_are_well_formed(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["entries"]:
        assert isinstance(item.get("tags", []), list), item.get("id")
        for key in ("valid_from", "valid_until"):
            if item.get(key):
                assert len(str(item[key])) == 10 and str(item[key])[4] == "-", item.get("id")


PROCEDURE_ASPECTS = ("who", "where", "documents", "online_steps", "fee", "processing_time",
                     "result_validity")


def test_every_procedure_answers_each_aspect() -> None:
    """"How long / how much / which papers / where" about any procedure has an answer: each
    procedure states all seven aspects (an explicit "no fee" or "no time limit" counts)."""
    missing = [f"{e.id}: {a}" for e in load_entries(KB_DIR) if e.kind == "procedure"
               for a in PROCEDURE_ASPECTS if not str((e.aspects or {}).get(a) or "").strip()]
    assert not missing, "\n".join(missing)
