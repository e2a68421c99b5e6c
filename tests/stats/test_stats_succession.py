"""The citizens' question "xã X, huyện Y cũ nay thuộc xã nào?" answered from the dataset."""

from __future__ import annotations

import pytest

from stats.succession import answer_question, place_in


@pytest.mark.parametrize(("question", "place"), [
    ("xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang cũ nay thuộc xã nào?",
     "xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang"),
    ("xa tan phu thanh huyen chau thanh a hau giang gio thuoc xa nao",
     "xa tan phu thanh huyen chau thanh a hau giang"),
    ("Cho mình hỏi huyện Phong Điền cũ sau sáp nhập là xã gì", "huyện Phong Điền"),
    ("quê tôi ở xã Đông Phú huyện Châu Thành Hậu Giang, giờ thuộc xã nào",
     "xã Đông Phú huyện Châu Thành Hậu Giang"),
])
def test_the_place_is_cut_from_the_question(question: str, place: str) -> None:
    assert place_in(question) == place


def test_a_known_commune_gets_its_successor_and_the_source() -> None:
    found = answer_question("xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang cũ nay thuộc xã nào?")
    assert found.status == "mapped"
    assert "xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang" in found.text
    assert "thành phố Cần Thơ" in found.text  # Hậu Giang joined Cần Thơ
    assert "Nguồn:" in found.text and "vietnamadminunits" in found.text


def test_an_ambiguous_name_lists_the_candidates_instead_of_guessing() -> None:
    found = answer_question("xã Đông Phú nay thuộc đâu")
    assert found.status == "ambiguous"
    assert "Hậu Giang" in found.text and "Bắc Giang" in found.text


@pytest.mark.parametrize("question", ["", "nay thuộc xã nào?", "xã Không Có Thật huyện Ảo"])
def test_nothing_or_an_unknown_place_is_said_not_invented(question: str) -> None:
    found = answer_question(question)
    assert found.status == "unknown" and "Từ 01/7/2025" not in found.text
