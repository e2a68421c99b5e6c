"""How place names are written: level words ("TX.", "phường"), matching keys and the parts
of "xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang". Pure text, no dataset."""

from __future__ import annotations

import re

from stats.textnorm import fold, nfc

#: Level words as written in reports and questions (folded) -> canonical Vietnamese.
LEVEL_WORDS: dict[str, str] = {
    "thanh pho": "thành phố", "tp": "thành phố", "t.p": "thành phố", "tinh": "tỉnh",
    "huyen": "huyện", "h": "huyện", "quan": "quận", "q": "quận", "thi xa": "thị xã",
    "tx": "thị xã", "phuong": "phường", "p": "phường", "xa": "xã", "thi tran": "thị trấn",
    "tt": "thị trấn", "dac khu": "đặc khu",
}
_LEVEL_RX = re.compile(
    r"^(thanh pho|thi xa|thi tran|dac khu|tinh|huyen|quan|phuong|xa|tp|tx|tt|t\.p|[hqp])"
    r"\s*[.]?\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# a parent's level word inside a name written without commas (a zero-width cut before it)
_PARENT_LEVELS = ("huyen", "quan", "thi xa", "tinh", "thanh pho", "tp")
_PARENT_RX = re.compile(r"(?<=\s)(?=(?:" + "|".join(_PARENT_LEVELS) + r")\.?\s)")
# each parent level's first word as written with diacritics ("Tịnh" only folds like "tỉnh")
_WRITTEN_PARENTS = {LEVEL_WORDS[w].split()[0] if w != "tp" else w for w in _PARENT_LEVELS}


def key(name: str) -> str:
    """Matching key of a bare name: folded, letters and digits only ("Vị Thanh" -> "vithanh")."""
    return _NON_ALNUM.sub("", fold(nfc(name)))


def strip_level(folded: str) -> tuple[str | None, str]:
    """("phường", "tan an") for "phuong tan an"; (None, text) without a level word."""
    m = _LEVEL_RX.match(folded + " ")
    if not m:
        return None, folded
    word = m.group(1).replace(".", "") if m.group(1) != "t.p" else "tp"
    return LEVEL_WORDS.get(word, LEVEL_WORDS.get(m.group(1))), folded[m.end():].strip()


def raw_parts(text: str) -> list[tuple[str | None, str, str]]:
    """[(level, folded name, name as written), …] of "xã Đông Phú, huyện Châu Thành, tỉnh
    Hậu Giang" (diacritics kept in the written one)."""
    raw = nfc(text)
    folded = fold(raw)  # same length: offsets carry over to the written text
    out = []
    start = 0
    cuts = list(re.finditer(r"[,;/]", folded))
    if not cuts:  # "xã Đông Phú huyện Châu Thành Hậu Giang": cut before each parent level
        last = 0
        written = not raw.isascii()
        for m in _PARENT_RX.finditer(folded):
            # never inside a name that starts like a level word ("thị xã Tịnh Biên"), nor,
            # where diacritics are written, at a name's word that only folds like one
            # ("xã Mỹ Tịnh An": "Tịnh" is not "tỉnh")
            word = raw[m.start():].split(maxsplit=1)[0].rstrip(".").lower()
            if written and word not in _WRITTEN_PARENTS:
                continue
            if m.start() > 0 and strip_level(folded[last:m.start()].strip())[1]:
                cuts.append(m)
                last = m.start()
    for boundary in [*cuts, None]:
        end = boundary.start() if boundary else len(folded)
        piece, raw_piece = folded[start:end], raw[start:end]
        start = boundary.end() if boundary else end
        lead = len(piece) - len(piece.lstrip(" .:"))
        piece, raw_piece = piece[lead:].rstrip(" .:"), raw_piece[lead:]
        if not piece:
            continue
        level, name = strip_level(piece)
        cut = len(piece) - len(name)
        out.append((level, " ".join(name.split()), " ".join(raw_piece[cut:len(piece)].split())))
    return out
