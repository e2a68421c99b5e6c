"""Consistency checks of a report's figures (``checks`` in ``stats/indicators.yaml``): sums,
parts no larger than their total, what remains of a target."""

from __future__ import annotations

from stats.catalogue import Catalogue
from stats.parsed import Warning_


def checks(cat: Catalogue, figures: dict[str, int]) -> list[Warning_]:
    """Warnings for the catalogue's checks that ``figures`` fail."""
    warns: list[Warning_] = []

    def label(code: str) -> str:
        return f"{cat.get(code).label_vi} ({code})"

    for check in cat.checks:
        kind = check["kind"]
        if kind == "sum":
            parts = check["parts"]
            if check["total"] in figures and all(p in figures for p in parts):
                total = figures[check["total"]]
                parts_sum = sum(figures[p] for p in parts)
                if total != parts_sum:
                    warns.append(Warning_("sum_mismatch",
                                          f"{label(check['total'])} = {total} nhưng tổng các "
                                          f"thành phần {', '.join(parts)} = {parts_sum}."))
        elif kind == "le":
            small = [s for s in check["small"] if s in figures]
            if small and check["large"] in figures:
                value = sum(figures[s] for s in small)
                if value > figures[check["large"]]:
                    warns.append(Warning_("exceeds_total",
                                          f"{' + '.join(small)} = {value} lớn hơn "
                                          f"{label(check['large'])} = {figures[check['large']]}."))
        elif kind == "remaining":
            codes = (check["escalated"], check["done"], check["target"])
            if all(c in figures for c in codes):
                esc, done, target = (figures[c] for c in codes)
                if esc != target - done:
                    warns.append(Warning_("remaining_mismatch",
                                          f"{label(codes[0])} = {esc} nhưng còn lại "
                                          f"{target} − {done} = {target - done}."))
    for ind in cat.indicators:
        if ind.part == "done" and ind.pair:
            target_code = f"{ind.pair}_target"
            if (ind.code in figures and target_code in figures
                    and figures[ind.code] > figures[target_code]):
                warns.append(Warning_("done_exceeds_target",
                                      f"{label(ind.code)} = {figures[ind.code]} lớn hơn chỉ "
                                      f"tiêu {figures[target_code]}."))
    return warns
