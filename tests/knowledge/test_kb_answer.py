"""answer()/search(): contract, honest "not sure", PII masking, bad input."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from knowledge import Answer, Hit, answer, search
from knowledge.answer import SCORING, Components, message
from knowledge.index import KnowledgeIndex
from troly06.config import get_settings

KEYS = {"answer", "sources", "score", "entry_id", "status", "suggestions"}


@pytest.mark.parametrize(("question", "expected"), [
    ("mình không nhớ pass vneid, lấy lại kiểu gì", "vneid_forgot_password"),
    ("25 tuoi co phai lam lai the can cuoc khong", "cccd_renewal_age"),
    ("đi thuê phòng trọ thì khai báo tạm trú chỗ nào", "temporary_residence"),
    ("đk khai sinh cho em bé qua mạng", "birth_registration_online"),
])
def test_in_scope_questions_are_answered(fixture_index: KnowledgeIndex, question: str,
                                         expected: str) -> None:
    result = answer(question)
    assert isinstance(result, Answer)
    assert result.status == "answered", result
    assert result.entry_id == expected
    assert result.sources and result.sources[0]["title"] and result.sources[0]["ref"]
    hits = search(question, k=3)
    assert isinstance(hits[0], Hit) and hits[0].id == expected and len(hits) == 3
    assert hits[0].score >= hits[1].score >= hits[2].score


def test_contract_keys_and_types(fixture_index: KnowledgeIndex) -> None:
    data = answer("VNeID là gì?").to_dict()
    assert set(data) == KEYS
    assert isinstance(data["answer"], str) and isinstance(data["score"], float)
    assert all({"title", "ref", "date", "verified"} <= set(s) for s in data["sources"])
    assert data["status"] in ("answered", "not_sure", "refused")


@pytest.mark.parametrize("question", [
    "Giá vàng SJC hôm nay bao nhiêu?",
    "thoi tiet ha noi ngay mai the nao",
    "Kết quả bóng đá Ngoại hạng Anh tối qua",
    "cách nấu phở bò ngon",
])
def test_out_of_scope_is_not_sure_not_a_wrong_answer(fixture_index: KnowledgeIndex,
                                                     question: str) -> None:
    result = answer(question)
    assert result.status == "not_sure"
    assert result.entry_id is None and result.sources == []
    assert "Công an xã/phường" in result.answer and "Dịch vụ công quốc gia" in result.answer


def test_threshold_decides(fixture_index: KnowledgeIndex) -> None:
    question = "quên mật khẩu vneid"
    top = search(question, k=1)[0].score
    assert answer(question, scoring=replace(SCORING, threshold=top - 0.01)).status \
        == "answered"
    strict = answer(question, scoring=replace(SCORING, threshold=top + 0.01))
    assert strict.status == "not_sure" and "1900 0368" in strict.answer
    assert strict.answer == (message("not_sure") if not strict.suggestions
                             else message("suggest", titles="; ".join(
                                 f"“{t}”" for t in strict.suggestions)))
    for parts in (Components(dense=False), Components(lexical=False)):
        assert answer(question, components=parts).entry_id == "vneid_forgot_password"


def test_answer_carries_legal_basis_source_date_and_verification(
        fixture_index: KnowledgeIndex) -> None:
    result = answer("25 tuoi co phai lam lai the can cuoc khong")
    assert result.entry_id == "cccd_renewal_age"
    assert "Căn cứ: Điều 1 Luật Căn cước số 26/2023/QH15" in result.answer
    source = result.sources[0]
    assert source["date"] == "2023-11-27" and source["verified"] == "2026-12-01"


def test_long_letter_is_answered_from_its_focus(fixture_index: KnowledgeIndex) -> None:
    letter = ("Chào anh chị, tôi tên là Trần Văn Bình, quê ở Nghệ An, năm 2019 tôi vào Bình "
              "Dương làm công nhân rồi lấy vợ ở đó, hai vợ chồng có một cháu nhỏ và hiện "
              "đang ở nhà thuê gần khu công nghiệp, công việc khá bận nên ít khi về quê. "
              "Tuần trước tôi làm rơi điện thoại xuống nước, điện thoại mới thì đăng nhập "
              "không được. Vậy cho tôi hỏi quên mật khẩu VNeID thì làm thế nào? Xin cảm ơn.")
    result = answer(letter)
    assert result.status == "answered" and result.entry_id == "vneid_forgot_password"


@pytest.mark.parametrize(("question", "secret"), [
    ("CCCD số 079123456789 của tôi sắp 25 tuổi có phải đổi thẻ căn cước không", "079123456789"),
    ("CMND 123456789 của tôi, 25 tuổi thì có phải đổi thẻ căn cước?", "123456789"),
    ("sdt 0912 345 678 quên mật khẩu vneid thì sao", "345"),
])
def test_pii_is_never_echoed_or_logged(fixture_index: KnowledgeIndex,
                                       caplog: pytest.LogCaptureFixture, question: str,
                                       secret: str) -> None:
    with caplog.at_level(logging.DEBUG):
        result = answer(question)
    assert result.status == "answered"
    text = str(result.to_dict())
    assert secret not in text
    assert secret not in caplog.text
    assert message("pii_note") in result.answer
    assert caplog.records  # the decision was logged, without the question's numbers
    for hit in result.hits:
        assert secret not in hit.text


def test_pii_only_message(fixture_index: KnowledgeIndex) -> None:
    result = answer("079123456789")
    assert result.status == "refused" and "079123456789" not in result.answer


def test_empty_huge_and_garbage_input(fixture_index: KnowledgeIndex) -> None:
    for empty in ("", "   ", "\n"):
        assert answer(empty).status == "refused"
    huge = answer("căn cước " * (get_settings().max_message_chars // 4))
    assert huge.status == "refused" and str(get_settings().max_message_chars) in huge.answer
    for garbage in ("?????", "🙂🙂🙂", "12 34", "....!!!"):
        result = answer(garbage)
        assert result.status == "refused" and result.sources == []
    assert answer(None).status == "refused"  # type: ignore[arg-type]
    assert search("", k=3) == []


def test_expired_rule_is_not_served(fixture_index: KnowledgeIndex,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    question = "chứng minh nhân dân 9 số còn dùng được đến khi nào"
    try:
        monkeypatch.setenv("TROLY06_TODAY", "2024-06-01")
        get_settings.cache_clear()
        assert answer(question).entry_id == "cmnd_old_rule"
        monkeypatch.setenv("TROLY06_TODAY", "2025-06-01")
        get_settings.cache_clear()
        assert "cmnd_old_rule" not in [h.id for h in search(question, k=3)]
        assert answer(question).entry_id != "cmnd_old_rule"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_the_custom_block_names_the_suggestion_buttons_only_when_not_sure() -> None:
    """Portals and the eval read which buttons are entry titles from ``custom.suggestions``."""
    from knowledge.reply import render_answer

    offered = ["Cấp đổi thẻ căn cước", "Cấp lại thẻ căn cước"]
    unsure = render_answer({"answer": "Mình chưa chắc…", "status": "not_sure",
                            "suggestions": offered})
    assert unsure["custom"]["suggestions"] == offered
    assert [b["payload"] for b in unsure["buttons"]] == offered
    answered = render_answer({"answer": "Lệ phí 50.000 đồng", "status": "answered",
                              "sources": [], "suggestions": offered})
    assert answered["custom"]["suggestions"] == []
    bare = render_answer({"answer": "Mình chưa chắc…", "status": "not_sure"})
    assert bare["custom"]["suggestions"] == [] and bare["buttons"]  # the topic buttons
