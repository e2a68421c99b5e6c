"""2025–2026 commune reports: units from the dataset, any layout, refusals, report weeks."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from stats_testlib import REPORTS, expected_cases

from stats import store
from stats import units as admin
from stats.access import OfficialStore, authorize, resolve_unit
from stats.errors import ReportRejected
from stats.models import ExtraFigure, Locality, Report
from stats.officials import _parse_official
from stats.parser import parse_report
from stats.periods import (
    WeekConvention,
    parse_period,
    report_week,
    report_week_of,
    week_convention,
    week_of_report,
)
from stats.queries import province_total
from stats.readers import read_path

NEW = [(p, e) for p, e in expected_cases() if "2025-" in p.name or "2026-" in p.name]
NEW_VALID = [(p, e) for p, e in NEW if "error" not in e]


def parse(path: Path):  # noqa: ANN201 - ParsedReport
    doc = read_path(path)
    return parse_report(doc.text, path.name, wrapped=doc.wrapped)


def test_enough_new_samples_in_every_format() -> None:
    assert len(NEW_VALID) >= 10
    assert {p.suffix for p, _ in NEW_VALID} == {".txt", ".docx", ".pdf"}
    provinces = {e["province"] for _, e in NEW_VALID}
    assert {"Cần Thơ", "Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Nghệ An", "An Giang",
            "Lâm Đồng"} <= provinces
    assert {e["level"] for _, e in NEW_VALID} >= {"phường", "xã", "đặc khu"}


@pytest.mark.parametrize(("path", "exp"), NEW_VALID, ids=[p.name for p, _ in NEW_VALID])
def test_new_sample_every_figure_unit_and_unread_line(path: Path, exp: dict) -> None:
    parsed = parse(path)
    assert parsed.figures == exp["figures"]  # every figure, none extra
    assert (parsed.locality, parsed.level, parsed.province) == (
        exp["locality"], exp["level"], exp["province"])
    assert (parsed.unit_code, parsed.structure, parsed.current_province) == (
        exp["unit_code"], exp["structure"], exp["current_province"])
    assert [u.text for u in parsed.unread] == exp["unread"]
    assert [[x.label, x.value] for x in parsed.extra_figures] == exp["extra_figures"]
    assert (parsed.period_start.isoformat(), parsed.period_end.isoformat()) == (
        exp["period_start"], exp["period_end"])
    assert parsed.week.number == exp["iso_week"]
    assert sorted(w.code for w in parsed.warnings) == exp["warning_codes"]


def test_cantho_ward_report_of_week_47_2026(db_url: str) -> None:
    """The report of the issue: was "✓ đã nhập", 0 figures, "thành phố Cần Thơ Về Chế Độ"."""
    path = REPORTS / "cantho_tanan_2026-11-18.txt"
    result = store.ingest_report(path, url=db_url)
    assert result.status == "ingested"
    assert (result.locality, result.level, result.province) == ("Tân An", "phường", "Cần Thơ")
    assert len(result.figures) == 17 and result.figures["eid_accounts_activated"] == 287
    assert (result.period_start, result.period_end) == report_week(2026, 47)
    assert result.iso_week == 47
    with store.session_scope(db_url) as session:
        loc = session.scalars(select(Locality)).one()
        assert (loc.name, loc.code, loc.structure, loc.current_province) == (
            "Tân An", "31147", "2025", "Cần Thơ")
        extras = session.scalars(select(ExtraFigure)).all()
        assert [(x.label, x.value, x.unit) for x in extras] == [
            ("Hướng dẫn cài đặt, sử dụng ví điện tử an sinh xã hội", 52, "truong hop")]
    # a province total over its wards carries the report week's dates, not ISO's
    start, end = parse_period("tuần 47/2026", date(2026, 12, 1))  # type: ignore[misc]
    total = province_total("Cần Thơ", start, end, url=db_url)
    assert (total.period_start, total.period_end) == (date(2026, 11, 12), date(2026, 11, 18))
    assert total.figures["cccd_applications_total"] == 236


def _rows(url: str) -> dict:
    with store.session_scope(url) as session:
        return {"counts": store.counts(url),
                "reports": session.execute(select(Report.id, Report.superseded)).all()}


def test_report_without_known_figure_is_refused_and_changes_nothing(db_url: str) -> None:
    store.ingest_report(REPORTS / "cantho_tanan_2026-11-18.txt", url=db_url)
    before = _rows(db_url)
    raw = (REPORTS / "cantho_ninhkieu_2026-11-18_no_figures.txt").read_bytes()
    with pytest.raises(ReportRejected) as info:
        store.ingest_report(raw, "ninhkieu.txt", url=db_url)
    assert info.value.code == "no_figures"
    assert "chưa nhập" in info.value.message_vi and "unchanged" in info.value.message_en
    assert _rows(db_url) == before
    assert before["counts"]["reports"] == 1 and before["counts"]["figures"] == 17


def test_ambiguous_commune_without_province_is_asked_back() -> None:
    with pytest.raises(ReportRejected) as info:
        parse(REPORTS / "chauthanh_2026-11-18_no_province.txt")
    assert info.value.code == "ambiguous_locality"
    candidates = info.value.candidates  # type: ignore[attr-defined]
    assert len({c["province"] for c in candidates}) >= 4
    assert {c["display"] for c in candidates} == {"xã Châu Thành"}
    assert "Cần Thơ" in info.value.message_vi and "tỉnh" in info.value.message_vi
    assert info.value.to_dict()["candidates"] == candidates


@pytest.mark.parametrize(("text", "on", "status", "full"), [
    ("Châu Thành", None, "ambiguous", None),
    ("xã Châu Thành, thành phố Cần Thơ", None, "resolved", "xã Châu Thành, thành phố Cần Thơ"),
    ("huyện Châu Thành, Hậu Giang", None, "resolved", "huyện Châu Thành, tỉnh Hậu Giang"),
    ("huyện Châu Thành cũ", None, "ambiguous", None),  # ten provinces had one
    ("Long Mỹ", date(2023, 7, 12), "ambiguous", None),  # huyện and thị xã
    ("thị xã Long Mỹ", None, "resolved", "thị xã Long Mỹ, tỉnh Hậu Giang"),
    ("Long Mỹ", date(2026, 2, 11), "resolved", "phường Long Mỹ, thành phố Cần Thơ"),
    ("tỉnh Hậu Giang", None, "resolved", "tỉnh Hậu Giang"),
    ("TP. Hồ Chí Minh", None, "resolved", "thành phố Hồ Chí Minh"),
    ("đặc khu Phú Quốc", None, "resolved", "đặc khu Phú Quốc, tỉnh An Giang"),
    ("Phú Quốc", None, "ambiguous", None),  # thành phố (Kiên Giang) until 30/6/2025
    ("phường Xuân Hương - Đà Lạt", None, "resolved",
     "phường Xuân Hương - Đà Lạt, tỉnh Lâm Đồng"),
    ("xã Mỹ Tịnh An", None, "resolved", "xã Mỹ Tịnh An, tỉnh Đồng Tháp"),  # "Tịnh" ≠ "tỉnh"
    ("phường B'Lao", None, "resolved", "phường B'Lao, tỉnh Lâm Đồng"),
    ("Atlantis", None, "unknown", None),
])
def test_resolve_locality(text: str, on: date | None, status: str, full: str | None) -> None:
    res = admin.resolve_locality(text, on=on, reporting=True)
    assert res.status == status
    if full:
        assert res.unit is not None and res.unit.full == full
    if status == "ambiguous":
        assert len(res.candidates) >= 2 and res.unit is None


def test_ambiguous_refusal_keeps_its_candidates_through_the_sandbox() -> None:
    from stats.sandbox import parse_isolated

    raw = (REPORTS / "chauthanh_2026-11-18_no_province.txt").read_bytes()
    with pytest.raises(ReportRejected) as info:
        parse_isolated(raw, "chauthanh.txt", timeout_s=30)
    assert info.value.code == "ambiguous_locality"
    assert "Cần Thơ" in {c["province"] for c in info.value.candidates}


def test_every_reporting_unit_resolves_to_itself_with_level_and_province() -> None:
    """696 districts of 2023 and 3,321 communes of 2025, each as a report names itself."""
    count = 0
    for unit in admin.provinces("legacy") + admin.provinces("2025"):
        on = date(2024, 1, 3) if unit.structure == "legacy" else date(2026, 11, 18)
        for sub in admin.province_units(unit.name, on):
            said = f"{sub.level} {sub.name}, {admin.province_display(sub.province, sub.structure)}"
            res = admin.resolve_locality(said, on=on, reporting=True)
            assert res.status == "resolved" and res.unit == sub, said
            count += 1
    assert count == 696 + 3321


def test_long_my_candidates_name_both_levels() -> None:
    res = admin.resolve_locality("Long Mỹ", on=date(2024, 1, 3), reporting=True)
    assert {u.display for u in res.candidates} == {"huyện Long Mỹ", "thị xã Long Mỹ"}
    assert {u.current_province for u in res.candidates} == {"Cần Thơ"}


def test_old_to_new_mapping_with_its_source() -> None:
    commune = admin.successors("xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang")
    assert commune.status == "mapped"
    assert [u.full for u in commune.new] == ["xã Châu Thành, thành phố Cần Thơ"]
    assert commune.default is not None and commune.default.code == "31366"
    district = admin.successors("huyện Châu Thành cũ, Hậu Giang")
    assert district.status == "mapped" and len(district.new) >= 3
    assert "xã Châu Thành" in {u.display for u in district.new}
    assert {u.province for u in district.new} == {"Cần Thơ"}
    province = admin.successors("tỉnh Hậu Giang")
    assert [u.full for u in province.new] == ["thành phố Cần Thơ"]
    for answer in (commune, district, province):
        assert "vietnamadminunits" in answer.source_vi and "01/7/2025" in answer.source_vi
        # the dataset names no resolution: no number is invented
        assert not re.search(r"\d+/\d{4}/(?:NQ|UBTVQH)", answer.source_vi)
    assert admin.successors("xã Tân An").status == "ambiguous"  # eleven old communes
    assert admin.current_province("Hậu Giang") == "Cần Thơ"
    assert admin.current_province("Kiên Giang") == "An Giang"


@pytest.mark.parametrize(("question", "new"), [
    ("xã Đông Phú, huyện Châu Thành cũ", "xã Châu Thành, thành phố Cần Thơ"),
    ("xã Đông Phú huyện Châu Thành tỉnh Hậu Giang", "xã Châu Thành, thành phố Cần Thơ"),
    ("xa dong phu huyen chau thanh hau giang", "xã Châu Thành, thành phố Cần Thơ"),
    ("phường Thuận An, thị xã Long Mỹ", "phường Long Mỹ, thành phố Cần Thơ"),
    ("phường 1 quận 3 TP HCM", "phường Bàn Cờ, thành phố Hồ Chí Minh"),
])
def test_citizen_phrasings_of_old_communes(question: str, new: str) -> None:
    answer = admin.successors(question)
    assert answer.status == "mapped"
    assert [u.full for u in answer.new] == [new]


def test_2023_district_report_rolls_up_into_todays_province() -> None:
    parsed = parse(REPORTS / "chauthanh_2023-07-12.pdf")
    assert (parsed.locality, parsed.level, parsed.province) == (
        "Châu Thành", "huyện", "Hậu Giang")
    assert (parsed.structure, parsed.unit_code, parsed.current_province) == (
        "legacy", "933", "Cần Thơ")


def test_province_unit_lists() -> None:
    cantho = admin.province_units("Cần Thơ")
    assert len(cantho) == 103 and all(u.tier == "ward" for u in cantho)
    assert "phường Tân An" in {u.display for u in cantho}
    assert len({u.province for u in admin.provinces("2025")}) == 34
    assert len(admin.provinces("legacy")) == 63
    districts = admin.province_units("Hậu Giang", date(2023, 7, 12))
    assert [u.display for u in districts][:2] == ["thành phố Vị Thanh", "thành phố Ngã Bảy"]
    assert len(districts) == 8
    assert admin.province_units("Hậu Giang") == cantho  # today: the province it became


def test_docx_table_rows_are_read_as_label_value_lines() -> None:
    path = REPORTS / "cantho_tanan_2026-11-25.docx"
    doc = read_path(path)
    assert "1 | Thu nhận hồ sơ cấp thẻ căn cước | 251 | 9.874" in doc.text.split("\n")
    parsed = parse(path)
    assert parsed.figures["cccd_applications_total"] == 251
    assert parsed.figures["cccd_applications_cumulative"] == 9874  # "Lũy kế" column
    assert parsed.figures["cccd_renewal"] == 152  # a sub-row under its parent row
    assert parsed.figures["residence_confirmation_total"] == 36
    assert "Đăng ký thường trú | 58 | đã giải quyết đúng hạn" in doc.text  # "Ghi chú" kept out


@pytest.mark.parametrize(("year", "week", "start", "end"), [
    (2026, 48, date(2026, 11, 19), date(2026, 11, 25)),
    (2026, 47, date(2026, 11, 12), date(2026, 11, 18)),
    (2023, 28, date(2023, 7, 6), date(2023, 7, 12)),
    (2026, 1, date(2025, 12, 25), date(2025, 12, 31)),  # ISO week 1 of 2026 from 29/12/2025
    (2020, 53, date(2020, 12, 24), date(2020, 12, 30)),
])
def test_report_weeks_run_thursday_to_wednesday(year: int, week: int, start: date,
                                                end: date) -> None:
    assert report_week(year, week) == (start, end)
    assert start.weekday() == 3 and end.weekday() == 2  # Thursday, Wednesday
    assert parse_period(f"tuần {week}/{year}", date(2026, 12, 1)) == (start, end)
    found = report_week_of(start)
    assert (found.year, found.number, found.start, found.end) == (year, week, start, end)
    assert week_of_report(start, end).number == week


def test_week_convention_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    import troly06.config

    assert week_convention() == WeekConvention(last_weekday=2)

    class Settings:
        report_week_end = "sunday"

    monkeypatch.setattr(troly06.config, "get_settings", lambda: Settings())
    assert week_convention().last_weekday == 6
    assert report_week(2026, 48) == (date(2026, 11, 23), date(2026, 11, 29))  # ISO weeks
    with pytest.raises(ValueError):
        report_week(2025, 53)  # 2025 has 52 ISO weeks


def test_implausible_week_over_week_jump_is_flagged(db_url: str) -> None:
    text = (REPORTS / "cantho_tanan_2026-11-18.txt").read_text("utf-8")
    store.ingest_report(text.encode(), "w47.txt", url=db_url)
    w48 = (text.replace("(Từ ngày 12/11/2026 đến ngày 18/11/2026)",
                        "(Từ ngày 19/11/2026 đến ngày 25/11/2026)")
           .replace("287 tài khoản", "2.870 tài khoản"))  # one digit too many
    result = store.ingest_report(w48.encode(), "w48.txt", url=db_url)
    jumps = [w for w in result.warnings if w.code == "implausible_jump"]
    assert len(jumps) == 1 and "eid_accounts_activated" in jumps[0].message
    assert "287 → 2870" in jumps[0].message
    assert result.figures["eid_accounts_activated"] == 2870  # stored, flagged
    ordinary = store.ingest_report(REPORTS / "cantho_tanan_2026-11-25.docx", url=db_url)
    assert ordinary.status == "replaced"  # same ward and week as w48.txt
    assert not [w for w in ordinary.warnings if w.code == "implausible_jump"]


def _official(localities: list[str]):  # noqa: ANN202 - Official
    return _parse_official({"id": "t", "name": "t", "channel": "telegram", "user_id": "1",
                            "localities": localities}, 1, "test")


def test_scope_checks_with_new_wards_old_districts_and_provinces() -> None:
    cantho = _official(["Cần Thơ/*"])
    assert authorize(cantho, "phường Tân An, Cần Thơ").allowed
    assert authorize(cantho, "huyện Châu Thành, Hậu Giang").allowed  # today part of Cần Thơ
    assert authorize(cantho, "thành phố Cần Thơ").allowed
    assert authorize(cantho, "phường Bến Thành").status == "denied"
    haugiang = _official(["Hậu Giang/*"])
    assert authorize(haugiang, "phường Long Mỹ, Cần Thơ").allowed  # formed from Hậu Giang
    assert authorize(haugiang, "phường Ninh Kiều, Cần Thơ").status == "denied"
    assert authorize(haugiang, "thành phố Cần Thơ").status == "denied"  # not the whole city
    ward = _official(["phường Tân An, thành phố Cần Thơ"])
    assert authorize(ward, "Tân An, Cần Thơ").allowed
    assert authorize(ward, "phường Tân An, Tây Ninh").status == "denied"
    assert admin.resolve_locality("phường Tân An").status == "ambiguous"  # four provinces
    # the officials' resolver settles a tie by the deployment's home provinces (units.yaml)
    assert resolve_unit("phường Tân An").unit.province == "Cần Thơ"  # type: ignore[union-attr]
    assert resolve_unit("phường Việt Hưng").status == "confirm"  # Hà Nội, Quảng Ninh
    assert OfficialStore([cantho]).get("t") is cantho


def test_expected_files_list_every_unread_line_of_new_samples() -> None:
    for path, exp in NEW_VALID:
        text = json.dumps(exp, ensure_ascii=False)
        assert exp["unread_count"] == len(exp["unread"]), path.name
        assert "extra_figures" in text, path.name


def test_every_commune_of_2025_is_read_from_its_own_report_head() -> None:
    """Each of the 3,321 communes, named as its own report writes it ("UBND PHƯỜNG B'LAO",
    "UBND XÃ HỘI AN"), is the unit the parser reads; apostrophes and "xã Hội…" included."""
    from stats.samplegen import random_commune_figures, render_commune_report

    start, end = report_week(2026, 47)
    figures = random_commune_figures(__import__("random").Random(7))
    wrong = []
    for province in admin.provinces("2025"):
        for unit in admin.province_units(province.name, end):
            text = render_commune_report(unit.name, unit.level, unit.province, start, end,
                                         figures)
            try:
                parsed = parse_report(text, "r.txt")
            except ReportRejected as exc:
                wrong.append((unit.full, exc.code))
                continue
            if (parsed.locality, parsed.level) != (unit.name, unit.level):
                wrong.append((unit.full, parsed.level, parsed.locality))
    assert wrong == []


def test_social_words_are_not_a_commune_named_hoi() -> None:
    """"công tác xã hội" in a report's opening is not "xã Hội …"."""
    from stats.samplegen import random_commune_figures, render_commune_report

    start, end = report_week(2026, 47)
    text = render_commune_report("Tân An", "phường", "Cần Thơ", start, end,
                                 random_commune_figures(__import__("random").Random(3)))
    text = text.replace("BÁO CÁO\n", "BÁO CÁO\nVề an sinh xã hội an toàn và Đề án 06\n", 1)
    parsed = parse_report(text, "r.txt")
    assert (parsed.level, parsed.locality) == ("phường", "Tân An")
