"""The text normalisation the tokenizer uses (pure; runs in the 3.11 env too)."""

from bot.nlu.vi_text import normalize_text, normalize_word, strip_diacritics


def test_strip_diacritics_handles_d_and_tones() -> None:
    assert strip_diacritics("Ngã Bảy, Đăng ký tạm trú") == "Nga Bay, Dang ky tam tru"


def test_with_and_without_diacritics_normalise_alike() -> None:
    assert normalize_text("Kích hoạt VNeID mức 2 thế nào") == \
        normalize_text("kich hoat vneid muc 2 the nao")


def test_teen_code_is_expanded() -> None:
    assert normalize_word("ko") == "khong"
    assert normalize_word("đc") == "duoc"
    assert normalize_text("ntn") == "nhu the nao"


def test_one_map_for_the_nlu_and_the_knowledge_base() -> None:
    """"dk" is "đăng ký" and "mk" is "mật khẩu" to both (they used to disagree)."""
    from knowledge.normalize import normalize

    assert normalize_word("dk") == "dang ky" and "đăng ký" in normalize("dk tạm trú")
    assert normalize_word("mk") == "mat khau" and "mật khẩu" in normalize("quên mk vneid")


def test_feedback_emoji_become_words() -> None:
    assert normalize_word("👍") == "emoji_thumbs_up"
    assert normalize_word("👎") == "emoji_thumbs_down"
