"""Where an old unit went on 1/7/2025 (the citizens' question "xã X, huyện Y cũ nay thuộc
xã nào?"), from the dataset's old→new conversion tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from stats.unit_dataset import DATASET, AdminUnit, dataset, province, province_display, unit_by_code
from stats.unit_resolution import resolve_locality


@dataclass(frozen=True)
class Succession:
    """Where an old unit went on 1/7/2025: the new unit(s), and where the mapping comes from."""

    status: Literal["mapped", "ambiguous", "unknown", "unchanged"]
    old: AdminUnit | None = None
    new: tuple[AdminUnit, ...] = ()
    default: AdminUnit | None = None  # an old commune split in several: the main successor
    candidates: tuple[AdminUnit, ...] = ()
    source_vi: str = ""

    def to_dict(self) -> dict:
        return {"status": self.status, "old": self.old.to_dict() if self.old else None,
                "new": [u.to_dict() for u in self.new],
                "default": self.default.to_dict() if self.default else None,
                "candidates": [c.to_dict() for c in self.candidates],
                "source_vi": self.source_vi}


def mapping_source(old: AdminUnit | None = None) -> str:
    """What the mapping rests on, as the dataset says it (no resolution numbers invented)."""
    where = ""
    if old is not None and old.current_province:
        where = (f" của {province_display(old.current_province)}" if old.tier != "province"
                 else "")
    return (f"Theo bảng chuyển đổi đơn vị hành chính 63 tỉnh → 34 tỉnh của bộ dữ liệu "
            f"{DATASET} (giấy phép MIT), lập theo các nghị quyết năm 2025 của Ủy ban Thường "
            f"vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã{where}, có hiệu lực từ "
            "01/7/2025. Bộ dữ liệu không ghi số nghị quyết; cần đối chiếu với nghị quyết "
            "đăng trên Công báo hoặc cổng thông tin của tỉnh trước khi dùng làm căn cứ.")


def successors(text: str) -> Succession:
    """The new unit(s) of an old one: "xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang".

    An old commune maps to its new commune (several when it was split; ``default`` is the
    dataset's main successor); an old district to every new commune its communes went to;
    an old province to today's province. A name that is already a 2025 unit is
    ``unchanged``.
    """
    res = resolve_locality(text, on=date(2025, 6, 30))
    if res.status == "ambiguous":
        return Succession("ambiguous", candidates=res.candidates, source_vi=mapping_source())
    if res.unit is None:
        return Succession("unknown", source_vi=mapping_source())
    old = res.unit
    data = dataset()
    if old.structure == "2025":
        return Succession("unchanged", old, (old,), old, source_vi=mapping_source(old))
    if old.tier == "province":
        new = province(old.current_province, "2025")
        return Succession("mapped", old, (new,) if new else (), new,
                          source_vi=mapping_source(old))
    if old.tier == "ward":
        pairs = data.ward_successors.get(old.code, [])
    else:
        pairs = [p for w in data.by_province.get(("legacy", old.province), ())
                 if w.tier == "ward" and w.district == old.display
                 for p in data.ward_successors.get(w.code, [])]
    codes = list(dict.fromkeys(code for code, _ in pairs))
    new_units = tuple(u for u in (unit_by_code(c, "2025", "ward") for c in codes) if u)
    default = None
    if old.tier == "ward":
        default_code = next((c for c, is_default in pairs if is_default), None)
        default = unit_by_code(default_code, "2025", "ward") if default_code else None
    if not new_units:
        return Succession("unknown", old, source_vi=mapping_source(old))
    return Succession("mapped", old, new_units, default, source_vi=mapping_source(old))
