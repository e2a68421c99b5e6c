"""The shipped KB and reranker together (the index `make test` builds in var/index)."""

from __future__ import annotations

import pytest

from knowledge.answer import answer

AMBIGUOUS = ("le phi cap doi cccd bao nhieu", "Làm thẻ căn cước cần giấy tờ gì?",
             "đăng ký tạm trú online thế nào", "mất giấy tờ thì làm sao")


@pytest.mark.parametrize("question", AMBIGUOUS)
def test_a_suggestion_offered_when_not_sure_is_answered_when_picked(question: str) -> None:
    result = answer(question)
    if result.status == "answered":
        assert result.sources and result.sources[0]["verified"]
        return
    assert result.status == "not_sure" and result.sources == []
    assert "1900 0368" in result.answer
    for title in result.suggestions:
        assert title in result.answer
        picked = answer(title)
        assert picked.status == "answered", title
        assert picked.sources[0]["ref"] and "Căn cứ:" in picked.answer


def test_out_of_domain_is_refused_naming_the_body() -> None:
    result = answer("Tôi muốn ly hôn đơn phương thì nộp đơn ở đâu, bao lâu thì xong?")
    assert result.status in ("refused", "not_sure") and result.sources == []
    if result.status == "refused":
        assert "Tòa án" in result.answer and result.entry_id == "ngoai_hon_nhan_ly_hon"


def test_every_answer_with_its_sources_fits_one_chat_message() -> None:
    """The smallest channel (Zalo OA) takes 2000 characters: an answer must arrive whole, with
    its legal basis and its sources line, in one message (asked by title and by aspects)."""
    from knowledge.index import get_index
    from knowledge.reply import render_answer
    from troly06.config import get_settings

    limit = get_settings().reply_max_chars
    too_long = []
    for doc in get_index().docs:
        if doc.get("kind") == "refusal":
            continue
        for question in (doc["title"], f"{doc['title']} cần giấy tờ gì, mất bao lâu, ở đâu?"):
            result = answer(question)
            if result.status != "answered":
                continue
            text = render_answer(result.to_dict())["text"]
            if len(text) > limit or "Nguồn:" not in text or "Căn cứ:" not in text:
                too_long.append((doc["id"], len(text)))
    assert not too_long, too_long[:10]
