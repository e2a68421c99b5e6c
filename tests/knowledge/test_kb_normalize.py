"""Normalisation: one function for index and query."""

from __future__ import annotations

import unicodedata

from knowledge.normalize import (
    expand_abbreviations,
    fold,
    load_abbreviations,
    normalize,
    segment_words,
    strip_diacritics,
)


def test_nfc_and_lower_case() -> None:
    decomposed = unicodedata.normalize("NFD", "Căn Cước CÔNG DÂN")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    out = normalize(decomposed)
    assert out == "căn cước công dân"
    assert unicodedata.is_normalized("NFC", out)


def test_tone_mark_placement() -> None:
    # Old-style "hoà", "thuý" and new-style "hòa", "thúy" must meet.
    assert normalize("hoà thuý") == normalize("hòa thúy") == "hòa thúy"


def test_teen_code_and_abbreviations() -> None:
    assert normalize("Ko dk đc CCCD thì lm ntn?") == (
        "không đăng ký được căn cước công dân thì làm như thế nào ?")
    assert normalize("quên mk vneid") == "quên mật khẩu vneid"
    assert normalize("tk dvc bn tiền") == "tài khoản dịch vụ công bao nhiêu tiền"
    assert "giấy phép lái xe" in normalize("tích hợp GPLX, BHYT")
    assert "bảo hiểm y tế" in normalize("tích hợp GPLX, BHYT")


def test_abbreviation_only_on_whole_tokens() -> None:
    assert normalize("phí 100k") == "phí 100 k"  # "k" glued to a number is not "không"
    assert expand_abbreviations("kodk") == "kodk"
    assert expand_abbreviations("ko") == "không"


def test_abbreviation_file_is_lower_case_nfc() -> None:
    mapping = load_abbreviations()
    assert len(mapping) >= 30
    for key, value in mapping.items():
        assert key == key.lower() and unicodedata.is_normalized("NFC", key)
        assert value and unicodedata.is_normalized("NFC", value)


def test_strip_diacritics_and_fold() -> None:
    assert strip_diacritics("Đăng ký thường trú") == "Dang ky thuong tru"
    assert fold("Làm căn cước ở đâu?") == fold("lam can cuoc o dau?")
    assert fold("đăng kí") == fold("đăng ký") == "dang ki"


def test_noise_and_empty_input() -> None:
    assert normalize("") == ""
    assert normalize("   \n\t ") == ""
    assert normalize("**BÁO CÁO** 🙂") == "báo cáo"


def test_word_segmentation_is_optional() -> None:
    text = normalize("làm căn cước công dân")
    assert "_" not in text
    segmented = segment_words(text)
    assert "_" in segmented
    assert segmented.replace("_", " ") == text


def test_tone_normaliser_is_underthesea_s_own_without_its_package_import() -> None:
    # In a fresh interpreter: normalising must not import all of underthesea (a quarter of
    # a cold ``troly06 ask``), must leave no stand-in behind, and must give what the real
    # package gives once it is imported in the same process.
    import subprocess
    import sys

    script = r"""
import sys
from knowledge.normalize import normalize
texts = ["Ủy ban hoà giải thuý khoẻ", "phí 100k.", "Quý khách ơi, làm CCCD ở đâu?!", "xoà"]
ours = [normalize(t) for t in texts]
assert "underthesea" not in sys.modules, "the stand-in package was left in sys.modules"
assert "underthesea.pipeline.ner" not in sys.modules, "underthesea was imported whole"
import underthesea
assert hasattr(underthesea, "word_tokenize") and hasattr(underthesea, "ner")
from knowledge.normalize import _text_normalizer
assert _text_normalizer() is underthesea.text_normalize
print(ours == [normalize(t) for t in texts], ours[0], underthesea.text_normalize("hoà"))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "ủy", "ban", "hòa", "giải", "thúy", "khỏe", "hòa"]
