"""Periods in officials' words, Vietnamese number formatting, the catalogue."""

from __future__ import annotations

from datetime import date

import pytest

from stats.catalogue import load_catalogue
from stats.formatting import format_change, format_percent, format_period, format_vn_number
from stats.periods import parse_period
from troly06.config import today

TODAY = date(2023, 7, 13)  # a Thursday: the first day of report week 29 (13/7–19/7)


# Report weeks run Thursday–Wednesday; week N ends on the Wednesday of ISO week N.
@pytest.mark.parametrize(("text", "expected"), [
    ("tuần này", (date(2023, 7, 13), date(2023, 7, 19))),
    ("tuan nay Nga Bay cap bao nhieu CCCD?", (date(2023, 7, 13), date(2023, 7, 19))),
    ("tuần trước", (date(2023, 7, 6), date(2023, 7, 12))),
    ("tuan truoc", (date(2023, 7, 6), date(2023, 7, 12))),
    ("tuần 28", (date(2023, 7, 6), date(2023, 7, 12))),
    ("tuần 28/2023", (date(2023, 7, 6), date(2023, 7, 12))),
    ("tuần 1/2024", (date(2023, 12, 28), date(2024, 1, 3))),
    ("tuần 48/2026", (date(2026, 11, 19), date(2026, 11, 25))),
    ("từ 06/7 đến 12/7/2023", (date(2023, 7, 6), date(2023, 7, 12))),
    ("tu ngay 06/7 den ngay 12/7/2023", (date(2023, 7, 6), date(2023, 7, 12))),
    ("từ 28/12 đến 03/01/2024", (date(2023, 12, 28), date(2024, 1, 3))),
    ("từ ngày 06 tháng 7 đến ngày 12 tháng 7 năm 2023", (date(2023, 7, 6), date(2023, 7, 12))),
    ("2023-07-06 đến 2023-07-12", (date(2023, 7, 6), date(2023, 7, 12))),
    ("tháng 7", (date(2023, 7, 1), date(2023, 7, 31))),
    ("thang 2/2024", (date(2024, 2, 1), date(2024, 2, 29))),
    ("tháng 9", (date(2022, 9, 1), date(2022, 9, 30))),  # later month: last year
    ("tháng trước", (date(2023, 6, 1), date(2023, 6, 30))),
    ("năm 2023", (date(2023, 1, 1), date(2023, 12, 31))),
])
def test_parse_period(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize("text", ["Ngã Bảy cấp bao nhiêu CCCD?", "tuần 60", "từ 31/2 đến 3/3",
                                  ""])
def test_parse_period_none(text: str) -> None:
    assert parse_period(text, TODAY) is None


def test_today_can_be_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    from troly06.config import get_settings

    monkeypatch.setenv("TROLY06_TODAY", "2023-07-13")
    get_settings.cache_clear()
    assert today() == TODAY


@pytest.mark.parametrize(("value", "text"), [(1421, "1.421"), (0, "0"), (1234567, "1.234.567"),
                                             (12.5, "12,5"), (None, "–"), (50.0, "50")])
def test_format_vn_number(value: float | None, text: str) -> None:
    assert format_vn_number(value) == text


def test_format_percent_period_change() -> None:
    assert format_percent(12.5) == "12,5%"
    assert format_percent(100.0) == "100%"
    assert format_period(date(2023, 7, 6), date(2023, 7, 12)) == "06/7–12/7/2023"
    assert format_period(date(2023, 12, 28), date(2024, 1, 3)) == "28/12/2023–03/1/2024"
    assert format_change(12, 15.0) == "tăng 12 (+15%)"
    assert format_change(-1500, -5.25) == "giảm 1.500 (−5,2%)"
    assert format_change(0, 0.0) == "không đổi"


REQUIRED = (
    "cmnd_number_confirmation_online outreach_people cccd_applications_total cccd_new_from_cmnd "
    "cccd_renewal cccd_reissue eid_accounts_issued permanent_residence_total "
    "permanent_residence_eligible permanent_residence_returned permanent_residence_pending "
    "permanent_residence_ineligible permanent_residence_unclassified temporary_residence_total "
    "temporary_residence_eligible temporary_residence_returned temporary_residence_verifying "
    "stay_notifications_total stay_notifications_accepted stay_notifications_returned "
    "temporary_absence_online cmnd9_updated_done cmnd9_updated_target pin_structure_fixed_done "
    "pin_structure_fixed_target farmers_assoc_entries_cumulative "
    "elderly_assoc_entries_cumulative residence_confirmation_total").split() + [
    f"priority_group_{g}_{k}" for g in range(1, 6) for k in ("applications", "eid_accounts")]


def test_catalogue_has_required_codes_and_valid_entries() -> None:
    cat = load_catalogue()
    assert set(REQUIRED) <= set(cat.codes())
    sections = {sid for sid, _ in cat.sections}
    by_label = {r.code for r in cat.labels} | {r.cumulative for r in cat.labels}
    for ind in cat.indicators:
        assert ind.kind in {"weekly", "cumulative", "progress"}
        assert ind.label_vi and ind.unit
        # every code is read: by the seed-001 template, or by a label rule (any layout)
        assert (ind.section in sections and ind.patterns) or ind.code in by_label, ind.code
        if ind.kind == "progress":
            other = "target" if ind.part == "done" else "done"
            assert f"{ind.pair}_{other}" in cat.by_code
            assert ind.code == f"{ind.pair}_{ind.part}"


@pytest.mark.parametrize(("words", "code"), [
    ("cccd cấp đổi", "cccd_renewal"), ("đổi thẻ", "cccd_renewal"),
    ("định danh điện tử", "eid_accounts_issued"), ("tài khoản vneid", "eid_accounts_issued"),
    ("tuần này Ngã Bảy cấp bao nhiêu CCCD?", "cccd_applications_total"),
    ("thuong tru", "permanent_residence_total"),
    ("hội nông dân", "farmers_assoc_entries_cumulative"),
    ("lưu trú", "stay_notifications_total"), ("sai cấu trúc", "pin_structure_fixed_done"),
])
def test_synonyms(words: str, code: str) -> None:
    found = load_catalogue().find(words)
    assert found is not None and found.code == code
