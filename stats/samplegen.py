"""Generate realistic weekly reports in the seed-001 format (test data, benchmark, demos).

``render_report(...)`` writes the text of a weekly report from a dict of figures;
``random_figures(rng)`` draws a consistent set of figures (parts add up to totals).
The parser is never used here, so tests comparing parser output with the figures given
to the renderer are a real check.
"""

from __future__ import annotations

import random
from datetime import date

SECTIONS = ("portal", "outreach", "cccd", "dvc25", "qd422", "digital_citizen",
            "data_cleaning")


def _n(value: int) -> str:
    """Number as written in reports: two digits at least, dot for thousands."""
    return f"{value:02d}" if value < 1000 else f"{value:,}".replace(",", ".")


def random_figures(rng: random.Random, scale: float = 1.0) -> dict[str, int]:
    """A consistent set of every catalogue figure (totals equal the sum of parts)."""
    def r(lo: int, hi: int) -> int:
        return rng.randint(int(lo * scale), max(int(lo * scale), int(hi * scale)))

    f: dict[str, int] = {}
    f["cmnd_number_confirmation_online"] = r(0, 5)
    f["outreach_people"] = r(80, 600)
    f["cccd_new_from_cmnd"], f["cccd_renewal"], f["cccd_reissue"] = r(5, 60), r(2, 30), r(0, 20)
    f["cccd_applications_total"] = f["cccd_new_from_cmnd"] + f["cccd_renewal"] + f["cccd_reissue"]
    f["eid_accounts_issued"] = r(50, 900)
    f["cccd_issuance_dvc"] = r(0, 3)
    f["cmnd_number_confirmation_dvc"] = f["cmnd_number_confirmation_online"]
    f["cccd_reissue_renewal_dvc"] = r(0, 3)
    for base, online_share in (("permanent_residence", 0.9), ("residence_confirmation", 0)):
        returned, pending = r(0, 60), r(0, 12)
        eligible = returned + pending
        ineligible, unclassified = r(0, 3), r(0, 50)
        verifying = r(0, 8) if base == "permanent_residence" else 0
        f[f"{base}_returned"], f[f"{base}_pending"] = returned, pending
        f[f"{base}_eligible"], f[f"{base}_ineligible"] = eligible, ineligible
        f[f"{base}_unclassified"] = unclassified
        if base == "permanent_residence":
            f[f"{base}_verifying"] = verifying
        f[f"{base}_total"] = eligible + ineligible + unclassified + verifying
        if online_share:
            o_ret = min(returned, int(returned * online_share))
            o_pen = min(pending, int(pending * online_share))
            o_inel, o_uncl, o_ver = min(ineligible, 1) * rng.randint(0, 1), unclassified, verifying
            f[f"{base}_online_returned"], f[f"{base}_online_pending"] = o_ret, o_pen
            f[f"{base}_online_eligible"] = o_ret + o_pen
            f[f"{base}_online_ineligible"], f[f"{base}_online_unclassified"] = o_inel, o_uncl
            f[f"{base}_online_verifying"] = o_ver
            f[f"{base}_online_total"] = o_ret + o_pen + o_inel + o_uncl + o_ver
    t_ret, t_elig_extra, t_ver = r(0, 10), r(0, 5), r(0, 10)
    f["temporary_residence_returned"] = t_ret
    f["temporary_residence_eligible"] = t_ret + t_elig_extra
    f["temporary_residence_verifying"] = t_ver
    f["temporary_residence_total"] = t_ret + t_elig_extra + t_ver
    f["temporary_residence_online_returned"] = t_ret
    f["temporary_residence_online_eligible"] = t_ret + max(0, t_elig_extra - 1)
    f["temporary_residence_online_verifying"] = t_ver
    f["temporary_residence_online_total"] = (f["temporary_residence_online_eligible"] + t_ver)
    f["stay_notifications_accepted"], f["stay_notifications_returned"] = r(40, 300), r(0, 40)
    f["stay_notifications_total"] = (f["stay_notifications_accepted"]
                                     + f["stay_notifications_returned"] + r(0, 150))
    f["stay_notifications_new"] = r(0, 40)
    f["temporary_absence_online"] = r(0, 4)
    budget = f["cccd_applications_total"]
    for g in range(1, 6):
        apps = rng.randint(0, max(0, budget // 3))
        budget -= apps
        f[f"priority_group_{g}_applications"] = apps
        f[f"priority_group_{g}_eid_accounts"] = apps
    for pair, lo, hi in (("cmnd9_updated", 20, 200), ("pin_structure_fixed", 500, 3000),
                         ("cccd_data_mismatch_reviewed", 100, 900),
                         ("household_head_fixed", 3, 30),
                         ("missing_fields_completed", 800, 4000)):
        target = r(lo, hi)
        done = rng.randint(int(target * 0.5), target)
        f[f"{pair}_done"], f[f"{pair}_target"] = done, target
    f["household_head_fix_escalated"] = f["household_head_fixed_target"] - \
        f["household_head_fixed_done"]
    f["farmers_assoc_entries_cumulative"] = r(300, 3000)
    f["elderly_assoc_entries_cumulative"] = r(300, 4000)
    f["management_groups_surveyed"] = r(0, 20)
    f["merit_assoc_entries"] = r(0, 300)
    return f


def render_report(locality: str, level: str, province: str, start: date, end: date,
                  figures: dict[str, int], *, omit_sections: tuple[str, ...] = (),
                  start_year: bool = False, end_year: bool = True) -> str:
    """Text of a weekly report in the seed-001 format for the given figures.

    ``omit_sections`` drops whole numbered parts of section II (see :data:`SECTIONS`).
    """
    f = {k: _n(v) for k, v in figures.items()}
    dstart = f"{start.day:02d}/{start.month}" + (f"/{start.year}" if start_year else "")
    dend = f"{end.day:02d}/{end.month}" + (f"/{end.year}" if end_year else "")
    who = f"{level} {locality}"
    lvl = level.split()[-1] if level != "thành phố" else "thành phố"
    out: list[str] = [
        " Kết quả triển khai, thực hiện Đề án 06 tuần",
        f"(Từ ngày {dstart} đến ngày {dend})",
        " ",
        f"[bookmark: _Hlk106227047]Thực hiện Công văn số 877/TCT-CAT ngày 02 tháng 6 năm "
        f"{end.year} của Tổ công tác triển khai Đề án 06 tỉnh {province} về việc báo cáo định kỳ "
        f"kết quả triển khai thực hiện Đề án 06/CP của Thủ tướng Chính phủ. UBND {who} báo cáo "
        "kết quả triển khai, thực hiện trong tuần, cụ thể như sau:",
        "I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO, TRIỂN KHAI, THỰC HIỆN ",
        "Tiếp tục chỉ đạo thực hiện tốt Đề án 06 của Thủ tướng Chính phủ và các văn bản chỉ "
        f"đạo, hướng dẫn của Chính phủ, của tỉnh, {lvl}. ",
        f"Chỉ đạo Công an {lvl} quyết liệt thực hiện thu nhận hồ sơ cấp CCCD và ĐDĐT cho tất cả"
        f" công dân đủ điều kiện trên địa bàn {lvl}.",
        "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRONG TUẦN ",
    ]
    parts: dict[str, list[str]] = {
        "portal": [
            "1. Công tác tiếp nhận hồ sơ trên cổng dịch vụ công: Tiếp nhận "
            f"{f['cmnd_number_confirmation_online']} hồ sơ trực tuyến đề nghị xác nhận số CMND "
            "khi đã được cấp thẻ CCCD."],
        "outreach": [
            f"2. Về công tác tuyên truyền: Tuyên truyền cho {f['outreach_people']} lượt người "
            "dân đến làm CCCD và tài khoản định danh điện tử về nội dung Đề án dữ liệu dân cư; "
            "sản xuất cấp quản lý CCCD; Đề án 06 của Chính phủ."],
        "cccd": [
            "3. Về công tác cấp thẻ CCCD và định danh điện tử cho công dân",
            f"+ Cấp CCCD: {f['cccd_applications_total']} hồ sơ. Trong đó:",
            f". Cấp mới (từ CMND 9 số sang CCCD): {f['cccd_new_from_cmnd']} hồ sơ.",
            f". Cấp đổi: {f['cccd_renewal']} hồ sơ",
            f". Cấp lại: {f['cccd_reissue']} hồ sơ.",
            "+ Cấp tài khoản định danh điện tử cho công dân đã có CCCD: "
            f"{f['eid_accounts_issued']} hồ sơ."],
        "dvc25": [
            "4. Đối với 25 DVC thiết yếu đối với các ngành, đoàn thể trên địa bàn đánh giá kết "
            "quả thực hiện 25 dịch vụ công thiết yếu theo Đề án 06/CP",
            "- Kết quả thực hiện 11 dịch vụ công của Bộ Công an (từ ngày "
            f"{start.day:02d}/{start.month}/{start.year} đến ngày "
            f"{end.day:02d}/{end.month}/{end.year})",
            f"+ Cấp thẻ CCCD: {f['cccd_issuance_dvc']} hồ sơ.",
            "+ Tiếp nhận và giải quyết thủ tục xác nhận số Chứng minh nhân dân khi đã được cấp "
            f"thẻ Căn cước công dân: {f['cmnd_number_confirmation_dvc']} hồ sơ. Trả kết quả "
            "đúng quy định",
            "+ Tiếp nhận và giải quyết thủ tục cấp lại, đổi thẻ CCCD: "
            f"{f['cccd_reissue_renewal_dvc']} hồ sơ.",
            "+ Tiếp nhận và giải quyết thủ tục đăng ký thường trú: Tổng số "
            f"{f['permanent_residence_total']} hồ sơ, đủ điều kiện "
            f"{f['permanent_residence_eligible']} hồ sơ, đã trả kết quả "
            f"{f['permanent_residence_returned']} hồ sơ, chưa trả kết quả "
            f"{f['permanent_residence_pending']} hồ sơ, xác minh "
            f"{f['permanent_residence_verifying']} hồ sơ, không đủ điều kiện "
            f"{f['permanent_residence_ineligible']} hồ sơ, chưa phân loại "
            f"{f['permanent_residence_unclassified']} hồ sơ. Trong đó, tiếp nhận trên cổng DVC:"
            f" Tổng số {f['permanent_residence_online_total']} hồ sơ, đủ điều kiện "
            f"{f['permanent_residence_online_eligible']} hồ sơ, đã trả kết quả "
            f"{f['permanent_residence_online_returned']} hồ sơ, chưa trả kết quả "
            f"{f['permanent_residence_online_pending']} hồ sơ xác minh "
            f"{f['permanent_residence_online_verifying']} hồ sơ, không đủ điều kiện "
            f"{f['permanent_residence_online_ineligible']} hồ sơ, chưa phân loại "
            f"{f['permanent_residence_online_unclassified']} hồ sơ.",
            "+ Tiếp nhận và giải quyết thủ tục đăng ký tạm trú: Tổng số "
            f"{f['temporary_residence_total']} hồ sơ, đủ điều kiện "
            f"{f['temporary_residence_eligible']}, đã trả kết quả "
            f"{f['temporary_residence_returned']} hồ sơ, chờ xác minh "
            f"{f['temporary_residence_verifying']} hồ sơ. Trong đó, tiếp nhận trên cổng DVC: "
            f"Tổng số {f['temporary_residence_online_total']} hồ sơ, đủ điều kiện "
            f"{f['temporary_residence_online_eligible']} hồ sơ, đã trả kết quả "
            f"{f['temporary_residence_online_returned']} hồ sơ, chờ xác minh "
            f"{f['temporary_residence_online_verifying']} hồ sơ.",
            "+ Tiếp nhận và giải quyết thủ tục thông báo lưu trú trực tuyến: "
            f"{f['stay_notifications_total']} hồ sơ, mới đăng ký "
            f"{f['stay_notifications_new']} hồ sơ, được tiếp nhận "
            f"{f['stay_notifications_accepted']} hồ sơ, bị trả lại "
            f"{f['stay_notifications_returned']} hồ sơ.",
            "+ Tiếp nhận hồ sơ đăng ký tạm vắng trên cổng DVC: "
            f"{f['temporary_absence_online']} hồ sơ.",
            "- Kết quả triển khai 14 dịch vụ công của các ban, ngành: Căn cứ chức năng, nhiệm vụ"
            " được giao các ban, ngành trên địa bàn đang tổ chức triển khai thực hiện theo đúng "
            "quy định.",
            "- Tiến độ đăng ký DVC trực tuyến lên Cổng DVC quốc gia."],
        "qd422": [
            "5. Việc thực hiện Quyết định số 422/QĐ-TTg ngày 04/4/2022 của Thủ tướng Chính phủ:"
            " Các sở ngành đánh giá kết quả thực hiện các DVC được giao chủ trì hoặc phối hợp "
            "trong 28 DVC theo Quyết định 422/QĐ-TTg",
            "Tiếp nhận hồ sơ xác nhận thông tin về cư trú: Tiếp nhận tổng số "
            f"{f['residence_confirmation_total']} hồ sơ, đủ điều kiện "
            f"{f['residence_confirmation_eligible']} hồ sơ, đã trả kết quả "
            f"{f['residence_confirmation_returned']} hồ sơ, chưa trả kết quả "
            f"{f['residence_confirmation_pending']} hồ sơ, không đủ điều kiện "
            f"{f['residence_confirmation_ineligible']} hồ sơ, chưa phân loại "
            f"{f['residence_confirmation_unclassified']} hồ sơ. "],
        "digital_citizen": [
            "6. Nhóm phục vụ phát triển công dân số, kết quả thực hiện một số nội dung cụ thể "
            "như sau",
            "- Cấp thẻ Căn cước công dân và định danh điện tử cho công dân, ưu tiên cấp định "
            "danh điện tử cho 05 nhóm",
            *[f"+ Nhóm ưu tiên số {g}: {desc}: {f[f'priority_group_{g}_applications']} hồ sơ và"
              f" {f[f'priority_group_{g}_eid_accounts']} tài khoản định danh điện tử."
              for g, desc in (
                  (1, "Học sinh tham dự kỳ thi tốt nghiệp THCS và THPT"),
                  (2, "Công dân từ 14 tuổi đến 22 tuổi chưa cấp CCCD gắn chíp"),
                  (3, "Công dân là các đối tượng chính sách (người nghèo và cận nghèo, người có"
                      " công)"),
                  (4, "Cán bộ công chức, viên chức, công nhân các khu công nghiệp"),
                  (5, "Công dân từ 23 tuổi trở lên chưa cấp Căn cước công dân"))]],
        "data_cleaning": [
            "7. Công tác làm sạch dữ liệu dân cư",
            "Các ban, ngành, đoàn thể trên địa bàn và Công an các xã, phường tập trung làm sạch "
            "dữ liệu bảo đảm nguyên tắc “đúng, đủ, sạch, sống”, ",
            "+ Công an cấp xã đã tiến hành cập nhật CMND 09 số: "
            f"{f['cmnd9_updated_done']}/{f['cmnd9_updated_target']} trường hợp.",
            "+ Sai cấu trúc số định danh cá nhân: Công an cấp xã đã tiến hành rà soát, cập nhật:"
            f" {f['pin_structure_fixed_done']}/{f['pin_structure_fixed_target']} trường hợp.",
            "+ Sai lệch thông tin giữa CCCD và DLDC (theo danh sách do PC06 chuyển ngày 14.6) đã"
            f" rà soát: {f['cccd_data_mismatch_reviewed_done']}/"
            f"{f['cccd_data_mismatch_reviewed_target']} trường hợp.",
            "+ Điều chỉnh thông tin chủ hộ đối với hộ không chủ hộ: "
            f"{f['household_head_fixed_done']}/{f['household_head_fixed_target']} trường hợp. "
            f"Còn {f['household_head_fix_escalated']} trường hợp báo cáo Phòng PC06 Công an "
            "tỉnh để mở khóa trường thông tin.",
            "+ Bổ sung các trường thông tin còn thiếu (trên DC01 mở rộng): "
            f"{f['missing_fields_completed_done']}/{f['missing_fields_completed_target']} "
            "trường hợp.",
            "+ Nhập thông tin Hội Nông dân trên hệ thống cơ sở dữ liệu quốc gia về dân cư (lũy "
            f"kế): {f['farmers_assoc_entries_cumulative']} trường hợp. ",
            "+ Nhập thông tin Hội người cao tuổi trên hệ thống cơ sở dữ liệu quốc gia về dân cư"
            f" (lũy kế): {f['elderly_assoc_entries_cumulative']} trường hợp.",
            "+ Điều tra cơ bản, rà soát, thống kê, lập danh sách 08 nhóm quản lý liên quan đến "
            f"công tác làm sạch dữ liệu dân cư: {f['management_groups_surveyed']} trường hợp.",
            f"+ Nhập thông tin Hội người có công: {f['merit_assoc_entries']} trường hợp."],
    }
    for sid in SECTIONS:
        if sid not in omit_sections:
            out.extend(parts[sid])
    out += [
        "III. TIẾN ĐỘ THỰC HIỆN Ý KIẾN CHỈ ĐẠO CỦA CHÍNH PHỦ, THỦ TƯỚNG CHÍNH PHỦ, CÁC BỘ, "
        "NGÀNH, UBND TỈNH",
        f"- Tiếp tục thực hiện Công văn số 761/VPCP-KSTT ngày 29 tháng 01 năm 2022; {lvl} "
        f"{locality} đã tổ chức chạy thành công trên môi trường thử nghiệm.",
        "IV. KẾT QUẢ TRIỂN KHAI CÁC MÔ HÌNH",
        "1. Mô hình điểm về đẩy mạnh thực hiện dịch vụ công trực tuyến",
        f"Công an {lvl} đã tổ chức tuyên truyền cho {f['outreach_people']} lượt người dân đến "
        "làm CCCD và làm Tài khoản định danh điện tử tại trụ sở tiếp công dân. ",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM TUẦN TỚI",
        "- Tiếp tục triển khai nghiêm túc các nội dung công việc được giao theo Kế hoạch thực "
        "hiện Đề án 06; tổng hợp kết quả, báo cáo định kỳ đúng thời gian quy định.",
        "- Tuyên truyền, đẩy mạnh triển khai ứng dụng di động công dân số VNEID.",
    ]
    return "\n".join(out) + "\n"


def ocr_damage(text: str) -> str:
    """Damage diacritics the way seed 004's OCR did ("Đe án", "ƯBND", "Ke hoạch")."""
    out = text.replace("Đề án", "Đe án").replace("UBND", "ƯBND").replace("Kế hoạch", "Ke hoạch")
    out = out.replace("hồ sơ", "ho sơ").replace("trường hợp", "truờng họp")
    return out.replace("định danh", "đinh danh").replace("Tổng số", "Tống số")


# --- 2025–2026 commune reports (two-level local government, Luật Căn cước 2023 terms) -----

COMMUNE_CODES = (
    "cccd_applications_total", "cccd_new_from_cmnd", "cccd_renewal", "cccd_reissue",
    "id_cards_under14", "id_cards_delivered", "eid_accounts_issued", "eid_accounts_activated",
    "eid_activated_cumulative", "permanent_residence_total", "permanent_residence_eligible",
    "temporary_residence_total", "stay_notifications_total", "vneid_dvc_applications",
    "criminal_record_vneid", "outreach_people")


def random_commune_figures(rng: random.Random, scale: float = 1.0) -> dict[str, int]:
    """A consistent set of the figures a 2025–2026 commune report carries."""
    def r(lo: int, hi: int) -> int:
        return rng.randint(int(lo * scale), max(int(lo * scale), int(hi * scale)))

    f = {"cccd_new_from_cmnd": r(5, 80), "cccd_renewal": r(20, 200), "cccd_reissue": r(2, 40)}
    f["cccd_applications_total"] = sum(f.values())
    f["id_cards_under14"] = r(5, 60)
    f["id_cards_delivered"] = r(20, 250)
    f["eid_accounts_issued"] = r(40, 400)
    f["eid_accounts_activated"] = min(f["eid_accounts_issued"], r(30, 380))
    f["eid_activated_cumulative"] = r(5000, 60000)
    f["permanent_residence_total"] = r(5, 80)
    f["permanent_residence_eligible"] = rng.randint(0, f["permanent_residence_total"])
    f["temporary_residence_total"] = r(5, 300)
    f["stay_notifications_total"] = r(50, 5000)
    f["vneid_dvc_applications"] = r(10, 300)
    f["criminal_record_vneid"] = r(0, 40)
    f["outreach_people"] = r(100, 1500)
    return f


def render_commune_report(locality: str, level: str, province: str, start: date, end: date,
                          figures: dict[str, int]) -> str:
    """Text of a 2025–2026 commune report (the layout of ``cantho_tanan_2026-11-18.txt``)."""
    f = {k: _n(v) for k, v in figures.items()}
    unit = f"{level} {locality}"
    week = end.isocalendar()[1]
    prov_level = "thành phố" if province in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng",
                                             "Huế", "Cần Thơ") else "tỉnh"
    return "\n".join([
        f"UBND {prov_level} {province}".upper(),
        f"UBND {unit}".upper(),
        f"{locality}, ngày {end.day + 1 if end.day < 28 else end.day} tháng {end.month} năm "
        f"{end.year}",
        "BÁO CÁO",
        f"Kết quả thực hiện Đề án 06 tuần {week} năm {end.year}",
        f"(Từ ngày {start.day:02d}/{start.month:02d}/{start.year} đến ngày "
        f"{end.day:02d}/{end.month:02d}/{end.year})",
        f"Thực hiện chỉ đạo của Tổ công tác triển khai Đề án 06 {prov_level} {province} về chế "
        f"độ báo cáo định kỳ, Ủy ban nhân dân {unit} báo cáo kết quả trong tuần như sau:",
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM",
        "1. Công tác cấp thẻ căn cước, định danh và xác thực điện tử",
        f"- Thu nhận hồ sơ cấp thẻ căn cước: {f['cccd_applications_total']} hồ sơ (cấp mới "
        f"{f['cccd_new_from_cmnd']}, cấp đổi {f['cccd_renewal']}, cấp lại {f['cccd_reissue']}).",
        "- Thu nhận hồ sơ cấp thẻ căn cước cho công dân dưới 14 tuổi: "
        f"{f['id_cards_under14']} hồ sơ.",
        f"- Trả thẻ căn cước cho công dân: {f['id_cards_delivered']} thẻ.",
        f"- Thu nhận hồ sơ định danh điện tử mức 2: {f['eid_accounts_issued']} hồ sơ; kích hoạt "
        f"tài khoản định danh điện tử mức 2: {f['eid_accounts_activated']} tài khoản.",
        "- Lũy kế tài khoản định danh điện tử mức 2 đã kích hoạt trên địa bàn: "
        f"{f['eid_activated_cumulative']} tài khoản.",
        "2. Công tác đăng ký, quản lý cư trú",
        "- Tiếp nhận hồ sơ đăng ký thường trú: tổng số "
        f"{f['permanent_residence_total']} hồ sơ, đủ điều kiện "
        f"{f['permanent_residence_eligible']} hồ sơ.",
        f"- Tiếp nhận hồ sơ đăng ký tạm trú: {f['temporary_residence_total']} hồ sơ.",
        f"- Thông báo lưu trú: {f['stay_notifications_total']} lượt.",
        "3. Dịch vụ công trực tuyến, ứng dụng VNeID",
        "- Hồ sơ dịch vụ công trực tuyến tiếp nhận qua ứng dụng VNeID: "
        f"{f['vneid_dvc_applications']} hồ sơ.",
        f"- Phiếu lý lịch tư pháp đề nghị cấp qua VNeID: {f['criminal_record_vneid']} hồ sơ.",
        "4. Công tác tuyên truyền",
        "Tổ chức 03 buổi tuyên truyền tại các khu dân cư, với "
        f"{f['outreach_people']} lượt người tham dự.",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ TUẦN TỚI",
        "- Tiếp tục thu nhận hồ sơ cấp thẻ căn cước lưu động; rà soát, làm sạch dữ liệu dân cư.",
    ]) + "\n"


def commune_table_rows(figures: dict[str, int]) -> list[tuple[str, ...]]:
    """The figures of a commune report as the rows of a Word table (header first)."""
    f = {k: _n(v) for k, v in figures.items()}
    return [("STT", "Nội dung", "Trong tuần", "Lũy kế"),
            ("1", "Thu nhận hồ sơ cấp thẻ căn cước", f["cccd_applications_total"], ""),
            ("", "- Cấp mới", f["cccd_new_from_cmnd"], ""),
            ("", "- Cấp đổi", f["cccd_renewal"], ""),
            ("", "- Cấp lại", f["cccd_reissue"], ""),
            ("2", "Thu nhận hồ sơ cấp thẻ căn cước cho công dân dưới 14 tuổi",
             f["id_cards_under14"], ""),
            ("3", "Trả thẻ căn cước cho công dân", f["id_cards_delivered"], ""),
            ("4", "Thu nhận hồ sơ định danh điện tử mức 2", f["eid_accounts_issued"], ""),
            ("5", "Kích hoạt tài khoản định danh điện tử mức 2", f["eid_accounts_activated"],
             f["eid_activated_cumulative"]),
            ("6", "Đăng ký thường trú", f["permanent_residence_total"], ""),
            ("", "- Đủ điều kiện", f["permanent_residence_eligible"], ""),
            ("7", "Đăng ký tạm trú", f["temporary_residence_total"], ""),
            ("8", "Thông báo lưu trú", f["stay_notifications_total"], ""),
            ("9", "Hồ sơ dịch vụ công trực tuyến nộp qua VNeID", f["vneid_dvc_applications"], ""),
            ("10", "Phiếu lý lịch tư pháp đề nghị cấp qua VNeID", f["criminal_record_vneid"], ""),
            ("11", "Tuyên truyền trực tiếp", f"{f['outreach_people']} lượt", "")]
