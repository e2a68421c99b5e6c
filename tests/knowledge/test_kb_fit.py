"""knowledge.fit: an answer is shortened to fit one chat message, keeping what matters."""

from __future__ import annotations

from knowledge.fit import ELLIPSIS, fit_text

BASIS = "Căn cứ: Điều 20 Luật Cư trú số 68/2020/QH14; Điều 5 Nghị định 154/2024/NĐ-CP."
ASPECT = "Giấy tờ: Tờ khai CT01 và giấy tờ chứng minh chỗ ở hợp pháp."
BODY = " ".join(f"Câu thứ {n} nói thêm một chi tiết của thủ tục." for n in range(1, 30))


def test_text_that_fits_is_unchanged() -> None:
    text = f"{ASPECT}\n{BODY}\n{BASIS}"
    assert fit_text(text, len(text)) == text


def test_the_longest_line_loses_whole_sentences_from_its_end() -> None:
    text = f"{ASPECT}\n{BODY}\n{BASIS}"
    out = fit_text(text, 400, keep=("Căn cứ:",))
    assert len(out) <= 400
    aspect, body, basis = out.split("\n")
    assert aspect == ASPECT and basis == BASIS  # the short aspect and the legal basis stay
    assert body.startswith("Câu thứ 1 nói") and body.endswith("thủ tục." + ELLIPSIS)
    assert "Câu thứ 29" not in body


def test_a_sentence_that_holds_today_is_dropped_after_the_others() -> None:
    """A dated span at a line's end ("Từ 01/3/2027, …") says what applies now: the sentences
    before it go first, and their gap is marked where they were."""
    new_rule = "Từ 01/3/2027, Ủy ban nhân dân cấp xã tự đăng ký khai tử theo dữ liệu bệnh viện."
    line = f"{BODY} {new_rule}"
    kept = fit_text(f"{line}\n{BASIS}", 600, keep=("Căn cứ:",), protect=(new_rule,))
    body, basis = kept.split("\n")
    assert len(kept) <= 600 and basis == BASIS
    assert body.startswith("Câu thứ 1 nói") and body.endswith("thủ tục. (…) " + new_rule)
    assert body.count("(…)") == 1  # consecutive gaps are marked once
    plain = fit_text(f"{line}\n{BASIS}", 600, keep=("Căn cứ:",))
    assert new_rule not in plain and plain.split("\n")[0].endswith(ELLIPSIS)
    # when nothing else is left to drop, the protected sentence goes too
    tight = fit_text(f"Câu đầu tiên của câu trả lời. {new_rule}\n{BASIS}", 120,
                     keep=("Căn cứ:",), protect=(new_rule,))
    assert new_rule not in tight and tight.startswith("Câu đầu tiên của câu trả lời." + ELLIPSIS)


def test_a_kept_line_is_never_shortened() -> None:
    long_basis = "Căn cứ: " + " ".join(f"Điều {n}. Luật A." for n in range(40))
    out = fit_text(f"{ASPECT}\n{BODY}\n{long_basis}", 300, keep=("Căn cứ:",))
    aspect, body, basis = out.split("\n")
    assert basis == long_basis and aspect == ASPECT  # over the budget rather than cut
    assert body.startswith("Câu thứ 1 nói") and len(body) >= 40


def test_one_endless_sentence_is_cut_at_a_word() -> None:
    words = "chữ " * 500
    out = fit_text(words.strip(), 200)
    assert len(out) <= 200 and out.endswith(ELLIPSIS) and "ch" in out
    assert not out[: -len(ELLIPSIS)].endswith(" ")


def test_empty_text_stays_empty() -> None:
    assert fit_text("", 100) == ""


def test_the_sources_line_names_a_few_documents_and_pages_and_fewer_per_source_when_several(
        ) -> None:
    from knowledge.answer import format_sources

    src = {"title": "Nghị định 1/2026 (trang Chính phủ; bản đăng lại); Bài A (Báo X); Bài B; Bài C",
           "ref": "https://a.vn; https://b.vn; https://c.vn", "date": "2026-06-18",
           "verified": "2026-12-02"}
    one = format_sources([src])
    assert one.startswith("Nguồn: Nghị định 1/2026 (trang Chính phủ; bản đăng lại); Bài A (Báo X) "
                          "và 2 tài liệu khác (https://a.vn; https://b.vn và 1 trang khác)")
    assert "Bài B" not in one and "18/06/2026" in one and "02/12/2026" in one
    two = format_sources([src, src]).split("\n")
    assert len(two) == 2 and all(line.startswith(
        "Nguồn: Nghị định 1/2026 (trang Chính phủ; bản đăng lại) và 3 tài liệu khác "
        "(https://a.vn và 2 trang khác)") for line in two)
