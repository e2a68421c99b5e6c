"""The reporting unit of a weekly report: the unit the head says "báo cáo", else its issuer,
resolved against :mod:`stats.units` in the structure valid at the report's date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stats import units as admin
from stats.errors import ReportRejected, rejected
from stats.parsed import Warning_
from stats.textnorm import fold, nfc

LEVELS = {"thanh pho": "thành phố", "tp": "thành phố", "thi xa": "thị xã", "tx": "thị xã",
          "huyen": "huyện", "quan": "quận", "phuong": "phường", "xa": "xã",
          "dac khu": "đặc khu", "thi tran": "thị trấn", "tinh": "tỉnh"}

_LEVEL_WORD = (r"(thanh pho|tp\.?|thi xa|tx\.?|thi tran|dac khu|huyen|quan|phuong|xa|tinh)"
               r"\s+")
# names may hold an apostrophe ("phường B'Lao") or a hyphen
_MENTION = re.compile(_LEVEL_WORD + r"([a-z0-9][a-z0-9 '\-]{0,60})")
_ISSUER = re.compile(r"(?:ubnd|uy ban nhan dan|cong an|dang uy|hdnd|to cong tac|ban chi dao"
                     r"|to trien khai)[^.\n]{0,90}$")
_REPORTS_AFTER = re.compile(r"\s*(?:bao cao|kinh bao|xin bao cao|tong hop bao cao)")
_TIER_RANK = {"ward": 0, "district": 1, "province": 2}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass
class _Mention:
    """A level word and a name in the head of the report ("UBND phường Tân An")."""

    pos: int
    level: str
    name: str          # folded, as far as the dataset knows it ("tan an")
    raw_name: str      # the words after the level word, up to the end of the line
    units: list[admin.AdminUnit]
    strict: bool       # followed by "báo cáo"
    issuer: bool       # after "UBND", "Công an", "Ban Chỉ đạo"… on the same line

    @property
    def tier(self) -> int:
        return min((_TIER_RANK[u.tier] for u in self.units), default=3)


def _mentions(folded: str) -> list[_Mention]:
    head = folded[:4000]  # the header and the opening paragraph
    out: list[_Mention] = []
    for m in re.finditer(r"(?<![a-z])(?=" + _MENTION.pattern + ")", head):
        mm = _MENTION.match(head, m.start())
        if mm is None:
            continue
        level = LEVELS[mm.group(1).rstrip(".")]
        words = mm.group(2).split()
        # "xã hội" is mostly the word "society"; it names a commune ("xã Hội An") only as
        # a longer name that is the header's issuer or is followed by "báo cáo"
        social = level == "xã" and words[:1] == ["hoi"]
        if level == "xã" and head[max(0, mm.start() - 4):mm.start()] == "thi ":  # "thị xã"
            continue
        found: list[admin.AdminUnit] = []
        name = ""
        for n in range(min(len(words), 7), 1 if social else 0, -1):
            units = admin.units_by_key(_NON_ALNUM.sub("", "".join(words[:n])))
            units = [u for u in units if (u.level == level or (
                level == "tỉnh" and u.tier == "province")) and (
                u.tier == "province" or (u.tier == "district") == (u.structure == "legacy"))]
            if units:
                found, name = units, " ".join(words[:n])
                break
        after = mm.start(2) + len(name) if name else mm.end()
        line_start = head.rfind("\n", 0, mm.start()) + 1
        issuer = bool(_ISSUER.search(head[max(line_start, mm.start() - 120):mm.start()]))
        if not issuer and line_start > 0:  # "ỦY BAN NHÂN DÂN\nPHƯỜNG TÂN AN" (two lines)
            prev_start = head.rfind("\n", 0, line_start - 1) + 1
            issuer = bool(re.fullmatch(r"\s*(?:ubnd|uy ban nhan dan|cong an)\s*",
                                       head[prev_start:line_start - 1]))
            issuer = issuer and head[line_start:mm.start()].strip() == ""
        strict = bool(_REPORTS_AFTER.match(head, after))
        if social and not (found and (issuer or strict)):
            continue
        out.append(_Mention(mm.start(), level, name, mm.group(2), found, strict, issuer))
    return out


def _ambiguous(candidates: tuple[admin.AdminUnit, ...], said: str) -> ReportRejected:
    names = "; ".join(u.full for u in candidates[:8])
    exc = rejected(
        "ambiguous_locality",
        f"Không xác định được đơn vị báo cáo “{said}”: có thể là {names}. Vui lòng ghi rõ "
        "tỉnh/thành phố ở phần đầu báo cáo.",
        f"Ambiguous reporting unit {said!r}: {names}; name the province in the header.")
    exc.candidates = [u.to_dict() for u in candidates]
    return exc


@dataclass
class _Locality:
    name: str
    level: str
    province: str | None
    unit: admin.AdminUnit | None
    warnings: list[Warning_]


def find_locality(text: str, folded: str, on: date) -> _Locality:
    """The reporting unit: the one the report says "báo cáo", else the issuer in its header
    (the lowest tier: a ward under its city), settled by the province it names."""
    mentions = _mentions(folded)
    known = [m for m in mentions if m.units]
    reporter = (
        next((m for m in known if m.strict and m.tier < 2), None)
        or min((m for m in known if m.issuer and m.tier < 2), key=lambda m: (m.tier, m.pos),
               default=None)
        or next((m for m in known if m.pos < 400 and m.tier < 2), None)
        or next((m for m in known if m.strict), None))
    if reporter is None:
        loose = next((m for m in mentions if m.issuer and not m.units and m.level != "tỉnh"
                      and _REPORTS_AFTER.search(m.raw_name[:60])), None)
        if loose is not None:
            return _unknown_unit(text, folded, loose, mentions)
        raise rejected(
            "no_locality",
            "Không xác định được địa bàn báo cáo (ví dụ: “UBND phường Tân An báo cáo…”).",
            "No reporting locality found (e.g. 'UBND phường Tân An báo cáo…').",
        )
    hints = [u for m in known if m is not reporter for u in m.units if u.tier == "province"]
    start = reporter.pos + folded[reporter.pos:].index(reporter.name, len(reporter.level))
    said = f"{reporter.level} {text[start:start + len(reporter.name)]}"  # as written
    res = admin.resolve_locality(said, on=on, reporting=True)
    if res.status == "ambiguous":
        for hint in dict.fromkeys(h.name for h in hints):
            narrowed = admin.resolve_locality(said, on=on, reporting=True, province_hint=hint)
            if narrowed.status == "resolved":
                res = narrowed
                break
    if res.status == "ambiguous":
        raise _ambiguous(res.candidates, nfc(said))
    unit = res.unit
    assert unit is not None  # the mention had units
    warnings = []
    if unit.structure != admin.structure_on(on):
        warnings.append(Warning_(
            "unit_structure", f"{unit.full} thuộc cơ cấu đơn vị hành chính "
            f"{'trước' if unit.structure == 'legacy' else 'từ'} 01/7/2025, khác với kỳ báo "
            "cáo."))
    if unit.tier == "province":
        return _Locality(unit.name, "tỉnh", unit.name, unit, warnings)
    return _Locality(unit.name, unit.level, unit.province, unit, warnings)


def _unknown_unit(text: str, folded: str, m: _Mention, mentions: list[_Mention]) -> _Locality:
    """A unit the dataset lacks: its name as written, cut at the first function word."""
    words = []
    raw = text[m.pos:m.pos + 80].split("\n")[0]
    for word, fword in zip(raw.split()[len(m.level.split()):],
                           fold(raw).split()[len(m.level.split()):], strict=False):
        if fword in ("bao", "ve", "kinh", "xin", "tinh", "thanh", "nam", "tuan", "tu") \
                or not fword[:1].isalnum():
            break
        words.append(word.strip(",.:;"))
        if word[-1:] in ",.:;":
            break
    if not words:
        raise rejected("no_locality", "Không xác định được địa bàn báo cáo.",
                       "No reporting locality found.")
    name = " ".join(w[:1].upper() + w[1:].lower() for w in words[:4])
    province = next((u.name for x in mentions for u in x.units if u.tier == "province"), None)
    return _Locality(nfc(name), m.level, province, None, [Warning_(
        "unknown_unit", f"Đơn vị “{m.level} {name}” không có trong danh mục đơn vị hành chính "
        f"({admin.DATASET}); đã nhập theo tên ghi trong báo cáo.")])
