"""Sentences that hold only for a period (knowledge/dated.py): shown while they hold, never
counted by the audit as lapsed, read by the index whole, and refused where they do not
belong."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge import answer
from knowledge.audit import audit
from knowledge.dated import active, longest, plain, problems, without_until
from knowledge.index import KnowledgeIndex
from knowledge.kb import Entry, LegalBasis, entry_problems
from troly06.config import get_settings

FEE = ("Lệ phí cấp đổi là 50.000 đồng. [[until 2027-02-28: Đến hết 28/02/2027, nộp trực tuyến "
       "được miễn lệ phí.]] [[from 2027-03-01: Từ 01/3/2027, nộp trực tuyến thu như nộp trực "
       "tiếp.]] Nộp tại Công an xã.")


def test_a_span_is_shown_while_it_holds_and_its_marks_never() -> None:
    on_last_day = active(FEE, "2027-02-28")
    assert "miễn lệ phí." in on_last_day and "Từ 01/3/2027" not in on_last_day
    next_day = active(FEE, "2027-03-01")
    assert "miễn" not in next_day and "Từ 01/3/2027, nộp trực tuyến" in next_day
    for text in (on_last_day, next_day):
        assert "[[" not in text and "]]" not in text and "  " not in text
        assert text.startswith("Lệ phí cấp đổi là 50.000 đồng.") and text.endswith("Công an xã.")
    assert active("Không có mốc ngày.", "2030-01-01") == "Không có mốc ngày."


def test_the_index_reads_every_span_and_the_audit_none_of_the_until_ones() -> None:
    assert "miễn lệ phí" in plain(FEE) and "Từ 01/3/2027" in plain(FEE) and "[[" not in plain(FEE)
    assert "miễn" not in without_until(FEE) and "Từ 01/3/2027" in without_until(FEE)
    # a length limit allows the longest day's reading, not every span at once
    assert longest(FEE) == max(active(FEE, "2027-02-28"), active(FEE, "2027-03-01"),
                               key=lambda t: (len(t.split()), len(t)))
    assert len(longest(FEE)) < len(plain(FEE))


def _entry(**kw: object) -> Entry:
    base: dict[str, object] = dict(
        id="e", title="Lệ phí cấp đổi thẻ căn cước", answer="Lệ phí cấp đổi thẻ là 50.000 đồng.",
        questions=("q",) * 6, source_title="s", source_ref="r", kind="faq", topic="can_cuoc",
        legal_basis=(LegalBasis("Thông tư 73/2024/TT-BTC", "Điều 4"),), official_page="p",
        verified="2026-12-01")
    base.update(kw)
    return Entry(**base)  # type: ignore[arg-type]


def test_a_waiver_written_as_a_span_neither_lapses_nor_needs_rewording() -> None:
    plain_waiver = _entry(id="plain", aspects={"fee": "Đến hết 28/02/2027, nộp trực tuyến được "
                                                     "miễn lệ phí."})
    spanned = _entry(id="spanned", aspects={"fee": FEE})

    def kinds(day: date) -> set[tuple[str, str]]:
        return {(f.entry_id, f.kind) for f in audit([plain_waiver, spanned], day)
                if f.kind in ("ends", "lapsed")}

    assert kinds(date(2027, 2, 1)) == {("plain", "ends")}
    assert kinds(date(2027, 3, 1)) == {("plain", "lapsed")}


@pytest.mark.parametrize("text, problem", [
    ("Lệ phí 50.000 đồng. [[until 2027-02-30: Miễn lệ phí khi nộp trực tuyến.]]", "not a date"),
    ("Lệ phí 50.000 đồng. [[until 2027-02-28 Miễn lệ phí khi nộp trực tuyến.]]", "outside"),
    ("Lệ phí 50.000 đồng. [[until 2027-02-28: Miễn lệ phí khi nộp trực tuyến.", "outside"),
    ("Lệ phí 50.000 đồng. [[before 2027-02-28: Miễn lệ phí khi nộp trực tuyến.]]", "outside"),
])
def test_a_malformed_span_is_a_problem(text: str, problem: str) -> None:
    assert any(problem in p for p in problems(text))


def test_spans_belong_in_the_answer_and_aspects_only() -> None:
    item = {"id": "e", "kind": "faq", "topic": "can_cuoc", "title": "Lệ phí [[until 2027-02-28: "
            "miễn]]", "answer": "[[until 2027-02-28: Đến hết 28/02/2027 được miễn lệ phí khi nộp "
            "hồ sơ trực tuyến trên VNeID.]] Ngắn.",
            "questions": ["lệ phí căn cước"] * 5 + ["le phi [[from 2027-03-01: x]]"],
            "legal_basis": [{"doc": "Thông tư 73/2024/TT-BTC", "article": "Điều 4"}],
            "source": {"title": "s", "ref": "r"}, "official_page": "p", "verified": "2026-12-01"}
    found = entry_problems(item)
    assert sum("dated span outside the answer and aspects" in p for p in found) == 2
    # once the span ends, "Ngắn." is all that is left: too short to be an answer
    assert any("answer shorter than" in p for p in found)


@pytest.mark.parametrize("today, shown, hidden", [
    ("2027-02-28", "Đến hết 28/02/2027", "Từ 01/3/2027"),
    ("2027-03-01", "Từ 01/3/2027", "Đến hết 28/02/2027"),
])
def test_the_answer_shows_the_sentence_that_holds_on_its_day(
        fixture_index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch,
        today: str, shown: str, hidden: str) -> None:
    try:
        monkeypatch.setenv("TROLY06_TODAY", today)
        get_settings.cache_clear()
        result = answer("đăng ký khai sinh trực tuyến cho con có mất lệ phí không")
        assert result.entry_id == "birth_registration_online", result.answer
        assert "không mất lệ phí" in result.answer and shown in result.answer
        assert hidden not in result.answer and "[[" not in result.answer
        # the waiver's circular is cited while it applies, the permanent basis always
        assert "Nghị định 63/2024/NĐ-CP" in result.answer
        assert ("Thông tư 117/2026/TT-BTC" in result.answer) == (today <= "2027-02-28")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_legal_basis_that_ends_needs_a_date_and_one_that_stays() -> None:
    item = {"id": "e", "kind": "faq", "topic": "can_cuoc", "title": "Lệ phí cấp đổi thẻ",
            "answer": "Lệ phí cấp đổi thẻ căn cước là 50.000 đồng, nộp khi làm thủ tục.",
            "questions": ["lệ phí căn cước"] * 6, "source": {"title": "s", "ref": "r"},
            "official_page": "p", "verified": "2026-12-01",
            "legal_basis": [{"doc": "Thông tư 117/2026/TT-BTC", "article": "Điều 1",
                             "valid_until": "2027-02-28"}]}
    assert any("every legal basis ends by 2027-02-28" in p for p in entry_problems(item))
    item["valid_until"], item["successor"] = "2027-02-28", "next"
    assert not entry_problems(item)
    item["legal_basis"][0]["valid_until"] = "28/02/2027"
    assert any("valid_until must be a date" in p for p in entry_problems(item))
