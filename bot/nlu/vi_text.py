"""Pure Vietnamese text helpers used by the NLU pipeline (no Rasa imports).

The same functions run in the Rasa 3.10 environment (tokenizer lemmas) and in the 3.11
environment (tests, lookup generation), so both sides normalise text identically.
"""

from __future__ import annotations

import re
import unicodedata

# Teen code / chat abbreviations seen in citizen messages -> full Vietnamese words.
TEEN_CODE: dict[str, str] = {
    "ko": "không", "k": "không", "kh": "không", "hok": "không", "hong": "không",
    "khg": "không", "kg": "không", "hem": "không",
    "dc": "được", "đc": "được", "dk": "được", "đk": "được", "duoc": "được",
    "vs": "với", "j": "gì", "ji": "gì", "ntn": "như thế nào", "sao": "sao",
    "mk": "mình", "mik": "mình", "mh": "mình", "mn": "mọi người",
    "bn": "bao nhiêu", "bnh": "bao nhiêu", "bh": "bao giờ", "bjo": "bây giờ",
    "cx": "cũng", "cg": "cũng", "r": "rồi", "z": "vậy", "v": "vậy",
    "ak": "à", "ah": "à", "uk": "ừ", "uh": "ừ", "ok": "ok", "oke": "ok", "okie": "ok",
    "tks": "cảm ơn", "thks": "cảm ơn", "thanks": "cảm ơn", "thank": "cảm ơn",
    "thanku": "cảm ơn", "ty": "cảm ơn", "camon": "cảm ơn", "cmon": "cảm ơn",
    "hnay": "hôm nay", "hqua": "hôm qua", "wa": "qua", "qa": "qua", "ng": "người",
    "ms": "mới", "lm": "làm", "bik": "biết", "bit": "biết", "trc": "trước", "tr": "trước",
    "nx": "nữa", "ns": "nói", "tl": "trả lời", "ad": "admin", "sdt": "số điện thoại",
    "sđt": "số điện thoại", "đt": "điện thoại", "dt": "điện thoại",
    "tp": "thành phố", "tx": "thị xã", "ubnd": "ủy ban nhân dân", "cmt": "cmnd",
    "cc": "căn cước", "hs": "hồ sơ", "tt": "thông tin", "lq": "liên quan",
}

# Emoji the bot understands (feedback); every other symbol is dropped by the tokenizer.
EMOJI_WORDS: dict[str, str] = {
    "👍": "emoji_thumbs_up", "👎": "emoji_thumbs_down", "❤": "emoji_heart",
    "🙏": "emoji_thanks", "👋": "emoji_wave", "😊": "emoji_smile", "🙂": "emoji_smile",
}

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks: "Ngã Bảy đổi" -> "Nga Bay doi"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def normalize_word(word: str) -> str:
    """Lemma of one token: lower-cased, teen code expanded, diacritics removed."""
    low = unicodedata.normalize("NFC", word).lower()
    if low in EMOJI_WORDS:
        return EMOJI_WORDS[low]
    return strip_diacritics(TEEN_CODE.get(low, low))


def normalize_text(text: str) -> str:
    """Whole-text form of :func:`normalize_word` (for lookups and tests)."""
    return " ".join(normalize_word(w) for w in re.findall(r"\w+", text))
