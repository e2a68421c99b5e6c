"""Focus extraction, aspect detection and the KB audit on small hand-made inputs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.audit import audit, blocking, defunct_mentions
from knowledge.focus import find_focus, names_no_subject
from knowledge.kb import Entry, LegalBasis, entry_problems, validate_entries
from knowledge.normalize import strip_diacritics
from knowledge.ranking import asked_aspects


def _entry(**kw: object) -> Entry:
    base: dict[str, object] = dict(
        id="x", title="Cấp đổi thẻ", answer="Bạn làm tại Công an xã, phường nơi cư trú.",
        questions=("a",) * 6, source_title="t", source_ref="https://example.org",
        kind="faq", topic="can_cuoc", legal_basis=(LegalBasis("Luật Căn cước", "Điều 24"),),
        official_page="https://dichvucong.gov.vn", verified="2026-12-01")
    base.update(kw)
    return Entry(**base)  # type: ignore[arg-type]


def test_long_letter_focus_drops_backstory_and_greetings() -> None:
    letter = ("Xin chào luật sư. Tôi là Lê Thị Hoa, sinh năm 1985 ở Thái Bình, năm 2010 tôi "
              "lấy chồng ở Hà Nội và sống ở đó đến nay, có hai con đang đi học. "
              "Năm ngoái tôi chuyển về nhà mẹ đẻ một thời gian. Vậy cho tôi hỏi tôi phải "
              "đăng ký tạm trú ở đâu? Và mất bao lâu thì xong? Xin cảm ơn.")
    focus = find_focus(letter)
    assert focus.is_long
    assert "Lê Thị Hoa" not in focus.main and "tạm trú" in focus.main
    # "Và mất bao lâu…?" has no subject of its own: it stays with the question it follows
    assert len(focus.parts) == 1 and "bao lâu" in focus.parts[0]
    assert find_focus("làm căn cước ở đâu").main == "làm căn cước ở đâu"


@pytest.mark.parametrize(("letter", "first", "second"), [
    ("Chào anh chị, nhà tôi mới chuyển đến phường khác được hai tháng, con gái tôi sắp đủ 14 "
     "tuổi. Cho tôi hỏi con tôi làm thẻ căn cước ở đâu? Đăng ký tạm trú cho cả nhà mất bao "
     "lâu?", "căn cước", "tạm trú"),
    # a long question opening with "Và nếu…" asks anew (a short "Và mất bao lâu?" would not)
    ("Tôi có nghe người ta nói đến độ tuổi sẽ phải đi đổi thẻ căn cước, không biết xác định "
     "như thế nào. Và nếu tôi không đổi thẻ đã hết hạn thì sẽ bị xử phạt như thế nào? Xin "
     "cảm ơn!", "độ tuổi", "xử phạt"),
])
def test_separate_questions_stay_separate_sub_questions(letter: str, first: str,
                                                        second: str) -> None:
    parts = find_focus(letter).parts
    assert len(parts) == 2 and first in parts[0] and second in parts[1]


def test_a_question_pointing_back_keeps_the_sentence_before_it() -> None:
    text = ("Tôi làm công nhân ở Bình Dương đã 3 năm. Công ty tôi yêu cầu tất cả nhân viên "
            "nộp bản gốc thẻ căn cước để giữ, bản sao công chứng cũng không được. Vậy yêu "
            "cầu này của công ty có vi phạm pháp luật không?")
    focus = find_focus(text)
    assert "bản gốc thẻ căn cước" in focus.main and "công nhân" not in focus.main
    # "nay" (folded "này") is not a pointer back: the question stands alone
    alone = ("Năm 2019 tôi chuyển vào Đồng Nai làm việc. Tôi thuê trọ ở khu công nghiệp, chủ "
             "trọ bảo phải tự đi khai báo. Hiện nay đăng ký tạm trú trực tuyến trên VNeID cần "
             "những giấy tờ gì?")
    assert "thuê trọ" not in find_focus(alone).main


def test_a_name_initial_does_not_end_the_sentence() -> None:
    text = ("Trong hộ khẩu của gia đình ông Phúc có tên ông Đặng Bá V. nhưng ông V. đã bỏ "
            "đi nhiều năm. Ông Phúc hỏi, gia đình có tự xóa đăng ký thường trú của ông V. "
            "được không? Nếu được thì thủ tục thế nào?")
    focus = find_focus(text)
    assert "xóa đăng ký thường trú" in focus.main and "thủ tục" in focus.main
    assert len(focus.parts) == 1


def test_a_bare_follow_up_keeps_its_subject() -> None:
    text = ("Năm 2020 tôi làm mất hộ chiếu khi chuyển nhà và không báo cho ai cả, giờ mới "
            "tìm lại giấy tờ để đi du lịch thì thấy không còn. Em có bị phạt không ạ?")
    assert "hộ chiếu" in find_focus(text).main


def test_a_question_without_a_subject_of_its_own_keeps_the_sentence_before_it() -> None:
    text = ("Tôi muốn xin phiếu lý lịch tư pháp để nộp cho công ty, hiện tôi thường trú ở "
            "Nghệ An nhưng đang tạm trú ở Bình Dương. Vậy cho tôi hỏi cần mang giấy tờ gì khi "
            "đi làm thủ tục và làm ở đâu, chi phí như thế nào?")
    focus = find_focus(text)
    assert "lý lịch tư pháp" in focus.parts[0] and "chi phí" in focus.parts[0]
    # a sub-question naming no subject joins the question before it
    two = ("Giấy chứng nhận căn cước của tôi bị rách thì cấp đổi ở đâu? Nếu bị mất thì được "
           "cấp lại không? Có mất lệ phí không?")
    assert find_focus(two).parts[-1].endswith("cấp lại không? Có mất lệ phí không?")
    # words whose folded form is generic still name a subject when written with diacritics
    # ("tối đa" is not "tôi đã"); unaccented, the folded list decides
    assert not names_no_subject("Thời hạn tối đa bao lâu?")
    assert names_no_subject("can mang giay to gi, lam o dau?")
    assert not names_no_subject("Người chết không cắt hộ khẩu có bị phạt không?")


def test_asked_aspects() -> None:
    assert asked_aspects("làm lại căn cước mất bao nhiêu tiền")[0] == "fee"
    assert asked_aspects("dang ky tam tru bao lau thi xong")[0] == "processing_time"
    assert "documents" in asked_aspects("cần giấy tờ gì")
    assert asked_aspects("VNeID là gì") == []


def test_structure_problems() -> None:
    raw = {"id": "a", "kind": "procedure", "topic": "can_cuoc", "title": "T",
           "answer": "x" * 50, "questions": ["q"] * 6,
           "source": {"title": "s", "ref": "r"}, "official_page": "https://x",
           "verified": "2026-12-01", "valid_until": "2026-12-31"}
    problems = entry_problems(raw)
    assert "no legal_basis (a document and an article)" in problems
    assert "procedure without aspects" in problems
    assert "valid_until without a successor" in problems
    raw["legal_basis"] = [{"doc": "Luật Căn cước"}]
    assert "legal_basis #1 needs doc and article" in entry_problems(raw)


def test_audit_findings_soonest_first() -> None:
    today = date(2026, 12, 1)
    entries = [
        _entry(id="old", verified="2026-01-10"),
        _entry(id="ending", valid_until="2026-12-31"),
        _entry(id="ending_ok", valid_until="2026-12-31", successor="next"),
        _entry(id="next", valid_from="2027-01-01"),
        _entry(id="district", answer="Bạn nộp hồ sơ tại Công an cấp huyện nơi cư trú."),
        _entry(id="district_history",
               answer="Trước đây bạn nộp tại Công an cấp huyện; nay nộp tại Công an xã."),
        _entry(id="province", answer="Người dân tỉnh Hà Giang làm thủ tục tại Công an tỉnh."),
    ]
    found = {(f.entry_id, f.kind) for f in blocking(audit(entries, today))}
    assert found == {("old", "stale"), ("ending", "expiring"), ("district", "defunct"),
                     ("province", "defunct")}
    ordered = [f.due for f in audit(entries, today)]
    assert ordered == sorted(ordered)
    assert audit(entries, today, max_age_days=400) and \
        ("old", "stale") not in {(f.entry_id, f.kind) for f in audit(entries, today, 400)}
    assert defunct_mentions(_entry(history=True, answer="Công an cấp huyện cũ")) == []


def test_a_sentence_whose_end_date_passed_blocks_and_one_ending_soon_is_a_reminder() -> None:
    """A fee waiver or transition written into the text ("đến hết 28/02/2027") goes stale on
    its own date even when the entry has no ``valid_until``: the audit reminds before it and
    refuses after it, unless the sentence says it is past or the entry is about what follows."""
    waiver = _entry(id="waiver", aspects={"fee": "Từ 15/8/2026 đến hết 28/02/2027, nộp trực "
                                                 "tuyến được miễn lệ phí."})
    past = _entry(id="past", answer="Mức giảm 50% đã kết thúc sau ngày 31/12/2025; đến hết "
                                    "31/12/2025 thu 25.000 đồng trước đây.")
    later = _entry(id="later", valid_from="2027-03-01",
                   answer="Việc miễn lệ phí chỉ áp dụng đến hết 28/02/2027; nay thu đủ.")
    snapshot = _entry(id="snapshot", answer="Tính đến 28/8/2025 có 18 ngân hàng kết nối.")
    bad_date = _entry(id="bad_date", answer="Áp dụng đến hết 31/02/2027.")
    entries = [waiver, past, later, snapshot, bad_date]

    def kinds(day: date) -> set[tuple[str, str]]:
        return {(f.entry_id, f.kind) for f in audit(entries, day) if f.kind in ("ends", "lapsed")}

    assert kinds(date(2026, 12, 1)) == set()              # more than 60 days ahead
    assert kinds(date(2027, 1, 15)) == {("waiver", "ends")}
    assert not blocking(audit(entries, date(2027, 1, 15)))
    assert kinds(date(2027, 3, 1)) == {("waiver", "lapsed")}
    assert {f.entry_id for f in blocking(audit(entries, date(2027, 3, 1)))} == {"waiver"}
    # the entry itself ends with the sentence: its valid_until already says so
    ends_with_it = _entry(id="w2", valid_until="2027-02-28",
                          aspects={"fee": "đến hết 28/02/2027 được miễn"})
    assert not [f for f in audit([ends_with_it], date(2027, 3, 1)) if f.kind == "lapsed"]


def test_a_rule_that_starts_later_answers_only_questions_about_that_time() -> None:
    from types import SimpleNamespace

    from knowledge.answer import servable

    index = SimpleNamespace(docs=[{"id": "now"}, {"id": "y2027", "valid_from": "2027-01-01"},
                                  {"id": "gone", "valid_until": "2026-06-30"},
                                  {"id": "old", "history": True}])
    today = "2026-12-01"
    assert list(servable(index, today, "lệ phí đổi căn cước")) == [True, False, False, False]
    assert list(servable(index, today, "năm 2027 phí bao nhiêu")) == [True, True, False, False]
    assert list(servable(index, today, "sang năm phí thế nào")) == [True, True, False, False]
    assert list(servable(index, "2027-02-01", "phí")) == [True, True, False, False]


def test_an_unchecked_article_is_listed_by_the_audit_not_shown_and_not_blocking() -> None:
    """A legal basis whose article number was not read in the original carries a note: the
    audit lists it (due at the entry's next re-verification), the label shown under an
    answer does not carry it, and the data tests do not refuse it."""
    e = _entry(legal_basis=(LegalBasis("Nghị định 70/2024/NĐ-CP", "Điều 7",
                                       "số điều chưa đối chiếu văn bản gốc"),),
               verified="2026-11-01")
    found = [f for f in audit([e], date(2026, 12, 1)) if f.kind == "unchecked"]
    assert [(f.entry_id, f.due) for f in found] == [(e.id, "2027-05-03")]
    assert "chưa đối chiếu" in found[0].detail and "Nghị định 70/2024" in found[0].detail
    assert "chưa" not in e.legal_basis[0].label()
    assert not blocking(found)


def test_cues_match_as_written_when_the_message_has_diacritics() -> None:
    # folded, "hỏi" is also "hội" and "hồi": neither may start the question
    text = ("Tôi đóng bảo hiểm xã hội được 10 năm ở công ty cũ. Gia đình đã liên hệ công ty "
            "nhưng không được hồi đáp gì. Tôi muốn biết tra cứu quá trình đóng trên VNeID "
            "thế nào?")
    focus = find_focus(text)
    assert focus.main.startswith(("Gia đình", "Tôi muốn")) and "VNeID" in focus.main
    from knowledge.focus import is_question
    assert not is_question("Tôi đóng bảo hiểm xã hội được 10 năm ở công ty cũ.")
    # typed without diacritics, the folded cues still find the question
    plain = ("chao anh chi, em o Binh Duong lam cong nhan 2 nam roi. chu tro bao em phai tu di "
             "khai bao. cho em hoi dang ky tam tru o dau a")
    assert find_focus(plain).parts[0].startswith("dang ky tam tru o dau")



def test_two_entries_may_not_share_a_title_even_written_without_diacritics(
        tmp_path: Path) -> None:
    """A not-sure reply's buttons ask an entry's title: a shared title could not tell them
    apart (the real KB had two "Cấp hộ chiếu phổ thông trực tuyến" until session 20)."""
    from troly06.yamlfile import read_yaml

    fixture = Path(__file__).resolve().parent.parent / "data" / "kb_fixture" / "data"
    data = read_yaml(fixture / "fixture.yaml")
    assert validate_entries(fixture) == []
    first, second = data["entries"][0], data["entries"][1]
    second["title"] = strip_diacritics(first["title"]).upper()
    (tmp_path / "fixture.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                           encoding="utf-8")
    assert validate_entries(tmp_path) == [
        f"fixture.yaml: {second['id']}: same title as {first['id']}"]
