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


def test_several_answers_in_one_message_still_fit_it_with_their_sources() -> None:
    """Two or three sub-questions answered in turn: the longest entries of the KB, with every
    aspect asked, arrive in one message, each with its legal basis and its source; when even
    their first sentences cannot share it, fewer are answered (None: answer() then gives the
    first one alone)."""
    from knowledge.answer import _render, _source, message, several_reply
    from knowledge.index import get_index
    from knowledge.kb import ASPECTS
    from knowledge.reply import render_answer
    from troly06.config import get_settings, today

    limit = get_settings().reply_max_chars
    docs = [d for d in get_index().docs if d.get("kind") != "refusal"]
    rendered = sorted(((_render(d, list(ASPECTS), today().isoformat()), d) for d in docs),
                      key=lambda p: -len(p[0]))
    replies = {}
    for n in (2, 3):
        parts = [(text, _source(d)) for text, d in rendered[:n]]
        assert sum(len(t) for t, _ in parts) > limit  # the case this test is about
        for note in ("", f"\n\n{message('pii_note')}"):
            replies[n, bool(note)] = reply = several_reply(parts, note)
            if reply is None:
                continue
            text, sources = reply
            shown = render_answer({"answer": text + note, "sources": sources})["text"]
            assert len(shown) <= limit, (n, len(shown))
            assert text.count("Căn cứ:") == len(sources) >= 2 and "Nguồn:" in shown
    assert replies[2, False] is not None and replies[3, False] is not None
