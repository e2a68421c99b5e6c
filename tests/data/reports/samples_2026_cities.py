# ruff: noqa: E501 - the report texts are typed as the communes send them, one line a paragraph
"""Samples 1–5 of 2025–2026: the issue's ward of Cần Thơ (text and Word) and the wards of
Hà Nội, TP Hồ Chí Minh and Đà Nẵng (see ``make_2026_samples.py``)."""

from __future__ import annotations

from sample_model import HEADER_CT, Sample, table

SAMPLES: list[Sample] = []

# 1. Phường Tân An, Cần Thơ, week 47/2026 — the report of the issue ("Về Chế Độ", 0 figures)
SAMPLES.append(Sample(
    "cantho_tanan_2026-11-18.txt",
    {"locality": "Tân An", "level": "phường", "province": "Cần Thơ", "unit_code": "31147",
     "structure": "2025", "current_province": "Cần Thơ",
     "period_start": "2026-11-12", "period_end": "2026-11-18", "iso_week": 47,
     "figures": {"cccd_applications_total": 236, "cccd_new_from_cmnd": 58,
                 "cccd_renewal": 141, "cccd_reissue": 37, "id_cards_under14": 44,
                 "id_cards_delivered": 198, "eid_accounts_issued": 312,
                 "eid_accounts_activated": 287, "eid_activated_cumulative": 31842,
                 "permanent_residence_total": 64, "permanent_residence_eligible": 51,
                 "permanent_residence_returned": 47, "temporary_residence_total": 93,
                 "stay_notifications_total": 1206, "vneid_dvc_applications": 175,
                 "criminal_record_vneid": 29, "outreach_people": 640},
     "warning_codes": []},
    text="""UBND THÀNH PHỐ CẦN THƠ
UBND PHƯỜNG TÂN AN
Số: 412/BC-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tân An, ngày 19 tháng 11 năm 2026

BÁO CÁO
Kết quả thực hiện Đề án 06 tuần 47 năm 2026
(Từ ngày 12/11/2026 đến ngày 18/11/2026)

Thực hiện Công văn số 1520/TCT-CAT ngày 05/9/2025 của Tổ công tác triển khai Đề án 06 thành phố Cần Thơ về chế độ báo cáo định kỳ hằng tuần, Ủy ban nhân dân phường Tân An báo cáo kết quả thực hiện trong tuần như sau:

I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM
1. Công tác cấp thẻ căn cước, định danh và xác thực điện tử
- Thu nhận hồ sơ cấp thẻ căn cước: 236 hồ sơ (cấp mới 58, cấp đổi 141, cấp lại 37).
- Thu nhận hồ sơ cấp thẻ căn cước cho công dân dưới 14 tuổi: 44 hồ sơ.
- Trả thẻ căn cước cho công dân: 198 thẻ.
- Thu nhận hồ sơ định danh điện tử mức 2: 312 hồ sơ; kích hoạt tài khoản định danh điện tử mức 2: 287 tài khoản.
- Lũy kế tài khoản định danh điện tử mức 2 đã kích hoạt trên địa bàn: 31.842 tài khoản.
2. Công tác đăng ký, quản lý cư trú
- Tiếp nhận hồ sơ đăng ký thường trú: tổng số 64 hồ sơ, đủ điều kiện 51 hồ sơ, đã trả kết quả 47 hồ sơ.
- Tiếp nhận hồ sơ đăng ký tạm trú: 93 hồ sơ.
- Thông báo lưu trú: 1.206 lượt.
3. Dịch vụ công trực tuyến, ứng dụng VNeID
- Hồ sơ dịch vụ công trực tuyến tiếp nhận qua ứng dụng VNeID: 175 hồ sơ.
- Phiếu lý lịch tư pháp đề nghị cấp qua VNeID: 29 hồ sơ.
- Hướng dẫn cài đặt, sử dụng ví điện tử an sinh xã hội: 52 trường hợp.
4. Công tác tuyên truyền
Tổ chức 03 buổi tuyên truyền tại các khu vực, với 640 lượt người tham dự; nội dung tập trung vào lợi ích của tài khoản định danh điện tử và các tiện ích trên ứng dụng VNeID.

II. TỒN TẠI, HẠN CHẾ
- Một số công dân lớn tuổi chưa sử dụng điện thoại thông minh nên việc kích hoạt tài khoản còn chậm.

III. PHƯƠNG HƯỚNG, NHIỆM VỤ TUẦN TỚI
- Tiếp tục thu nhận hồ sơ cấp thẻ căn cước lưu động tại các khu vực; phối hợp Công an phường rà soát, làm sạch dữ liệu dân cư.

Nơi nhận:
- Tổ công tác Đề án 06 thành phố;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
""",
    extras=[["Hướng dẫn cài đặt, sử dụng ví điện tử an sinh xã hội", 52]],
    unread=["- Hướng dẫn cài đặt, sử dụng ví điện tử an sinh xã hội: 52 trường hợp."],
))

# 2. The same ward, week 48/2026, as a Word document whose figures are only in tables
SAMPLES.append(Sample(
    "cantho_tanan_2026-11-25.docx",
    {"locality": "Tân An", "level": "phường", "province": "Cần Thơ", "unit_code": "31147",
     "structure": "2025", "current_province": "Cần Thơ",
     "period_start": "2026-11-19", "period_end": "2026-11-25", "iso_week": 48,
     "figures": {"cccd_applications_total": 251, "cccd_new_from_cmnd": 61, "cccd_renewal": 152,
                 "cccd_reissue": 38, "cccd_applications_cumulative": 9874,
                 "id_cards_under14": 40, "eid_accounts_activated": 301,
                 "eid_activated_cumulative": 32143, "permanent_residence_total": 58,
                 "temporary_residence_total": 97, "stay_notifications_total": 1174,
                 "residence_confirmation_total": 36, "outreach_people": 580},
     "warning_codes": []},
    blocks=[
        "UBND THÀNH PHỐ CẦN THƠ", "UBND PHƯỜNG TÂN AN", HEADER_CT,
        "Tân An, ngày 26 tháng 11 năm 2026", "BÁO CÁO",
        "Kết quả thực hiện Đề án 06 tuần 48 năm 2026",
        "(Từ ngày 19/11/2026 đến ngày 25/11/2026)",
        "Ủy ban nhân dân phường Tân An báo cáo kết quả triển khai Đề án 06 trong tuần như "
        "sau:",
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Cấp thẻ căn cước, định danh điện tử",
        table(("STT", "Nội dung", "Trong tuần", "Lũy kế từ 01/7/2025"),
              ("1", "Thu nhận hồ sơ cấp thẻ căn cước", "251", "9.874"),
              ("", "- Cấp mới", "61", "2.113"),
              ("", "- Cấp đổi", "152", "6.420"),
              ("", "- Cấp lại", "38", "1.341"),
              ("2", "Thu nhận hồ sơ cấp thẻ căn cước cho công dân dưới 14 tuổi", "40", ""),
              ("3", "Kích hoạt tài khoản định danh điện tử mức 2", "301", "32.143")),
        "2. Đăng ký, quản lý cư trú",
        table(("Nội dung", "Số lượng", "Ghi chú"),
              ("Đăng ký thường trú", "58", "đã giải quyết đúng hạn"),
              ("Đăng ký tạm trú", "97", ""),
              ("Thông báo lưu trú", "1.174", "qua ứng dụng VNeID"),
              ("Xác nhận thông tin về cư trú", "36", ""),
              ("Tách hộ", "12", "")),
        "3. Tuyên truyền: phát 1.500 tờ rơi, treo 20 băng rôn; tuyên truyền trực tiếp cho 580 "
        "lượt người dân tại các khu vực.",
        "II. PHƯƠNG HƯỚNG TUẦN TỚI",
        "- Tập trung kích hoạt tài khoản định danh điện tử cho học sinh, sinh viên.",
    ],
    # sub-rows are named under their parent row, columns by the header's name
    extras=[["Thu nhận hồ sơ cấp thẻ căn cước – Cấp mới (Lũy kế từ 01/7/2025)", 2113],
            ["Thu nhận hồ sơ cấp thẻ căn cước – Cấp đổi (Lũy kế từ 01/7/2025)", 6420],
            ["Thu nhận hồ sơ cấp thẻ căn cước – Cấp lại (Lũy kế từ 01/7/2025)", 1341],
            ["Tách hộ (Số lượng)", 12]],
    unread=["| - Cấp mới | 61 | 2.113", "| - Cấp đổi | 152 | 6.420",
            "| - Cấp lại | 38 | 1.341", "Tách hộ | 12 |"],
))

# 3. Phường Ba Đình, Hà Nội — Công an phường, "A. KẾT QUẢ ĐẠT ĐƯỢC", a) b) c)
SAMPLES.append(Sample(
    "hanoi_badinh_2026-10-14.docx",
    {"locality": "Ba Đình", "level": "phường", "province": "Hà Nội", "unit_code": "00004",
     "structure": "2025", "current_province": "Hà Nội",
     "period_start": "2026-10-08", "period_end": "2026-10-14", "iso_week": 42,
     "figures": {"cccd_applications_total": 418, "cccd_applications_cumulative": 15230,
                 "id_cards_under14": 96, "identity_certificates": 2,
                 "eid_accounts_issued": 455, "eid_accounts_activated": 431,
                 "eid_activated_cumulative": 58917, "vneid_dvc_applications": 312,
                 "permanent_residence_total": 41, "temporary_residence_total": 215,
                 "stay_notifications_total": 3408, "temporary_absence_online": 7},
     "warning_codes": []},
    blocks=[
        "CÔNG AN THÀNH PHỐ HÀ NỘI", "CÔNG AN PHƯỜNG BA ĐÌNH", HEADER_CT,
        "Ba Đình, ngày 15 tháng 10 năm 2026",
        "BÁO CÁO",
        "Tình hình, kết quả triển khai Đề án 06 tuần 42/2026",
        "(từ ngày 08/10/2026 đến ngày 14/10/2026)",
        "Căn cứ Kế hoạch số 35/KH-UBND ngày 10/7/2025 của UBND phường Ba Đình về triển khai "
        "Đề án 06 năm 2025 và những năm tiếp theo, Công an phường Ba Đình báo cáo như sau:",
        "A. KẾT QUẢ ĐẠT ĐƯỢC",
        "a) Cấp căn cước, định danh và xác thực điện tử",
        table(("Chỉ tiêu", "Trong tuần", "Lũy kế"),
              ("Thu nhận hồ sơ cấp thẻ căn cước", "418", "15.230"),
              ("Trong đó: công dân dưới 14 tuổi", "96", ""),
              ("Cấp giấy chứng nhận căn cước", "2", ""),
              ("Thu nhận hồ sơ định danh điện tử mức độ 2", "455", ""),
              ("Kích hoạt tài khoản định danh điện tử mức độ 2", "431", "58.917")),
        "b) Đăng ký, quản lý cư trú",
        table(("Chỉ tiêu", "Trong tuần"),
              ("Đăng ký thường trú", "41"),
              ("Đăng ký tạm trú", "215"),
              ("Khai báo tạm vắng", "7"),
              ("Thông báo lưu trú", "3.408")),
        "c) Dịch vụ công trực tuyến: tiếp nhận 312 hồ sơ dịch vụ công trực tuyến qua ứng dụng "
        "VNeID.",
        "B. KHÓ KHĂN, VƯỚNG MẮC",
        "- Lượng công dân đến làm thủ tục tăng cao vào cuối tuần, thiết bị thu nhận sinh trắc "
        "học còn thiếu.",
        "C. ĐỀ XUẤT, KIẾN NGHỊ",
        "- Đề nghị bổ sung 02 bộ thiết bị thu nhận hồ sơ căn cước.",
    ],
))

# 4. Phường Bến Thành, TP Hồ Chí Minh — PDF with a figure table
SAMPLES.append(Sample(
    "hcm_benthanh_2026-09-16.pdf",
    {"locality": "Bến Thành", "level": "phường", "province": "Hồ Chí Minh",
     "unit_code": "26743", "structure": "2025", "current_province": "Hồ Chí Minh",
     "period_start": "2026-09-10", "period_end": "2026-09-16", "iso_week": 38,
     "figures": {"cccd_applications_total": 530, "id_cards_delivered": 472,
                 "eid_accounts_activated": 389, "eid_activated_cumulative": 41260,
                 "vneid_dvc_applications": 268, "permanent_residence_total": 37,
                 "temporary_residence_total": 402, "stay_notifications_total": 5126,
                 "outreach_people": 1200},
     "warning_codes": []},
    blocks=[
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
        "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH",
        "BÁO CÁO",
        "Kết quả thực hiện Đề án 06 trong tuần (Từ ngày 10/9/2026 đến ngày 16/9/2026)",
        "Ủy ban nhân dân phường Bến Thành báo cáo kết quả thực hiện Đề án 06 tuần 38 như sau:",
        "I. KẾT QUẢ THỰC HIỆN",
        "Bảng 1. Kết quả cấp căn cước, định danh điện tử và cư trú",
        table(("STT", "Nội dung", "Trong tuần", "Lũy kế"),
              ("1", "Thu nhận hồ sơ cấp thẻ căn cước", "530", "-"),
              ("2", "Trả thẻ căn cước cho công dân", "472", "-"),
              ("3", "Kích hoạt tài khoản định danh điện tử mức 2", "389", "41.260"),
              ("4", "Hồ sơ dịch vụ công trực tuyến nộp qua VNeID", "268", "-"),
              ("5", "Đăng ký thường trú", "37", "-"),
              ("6", "Đăng ký tạm trú", "402", "-"),
              ("7", "Thông báo lưu trú", "5.126", "-")),
        "Tuyên truyền: 1.200 lượt người.",
        "II. NHIỆM VỤ TUẦN TỚI",
        "Tiếp tục hướng dẫn cơ sở lưu trú khai báo qua ứng dụng VNeID.",
    ],
))

# 5. Phường Hải Châu, Đà Nẵng — August 2025, the first weeks after the merger
SAMPLES.append(Sample(
    "danang_haichau_2025-08-13.txt",
    {"locality": "Hải Châu", "level": "phường", "province": "Đà Nẵng", "unit_code": "20242",
     "structure": "2025", "current_province": "Đà Nẵng",
     "period_start": "2025-08-07", "period_end": "2025-08-13", "iso_week": 33,
     "figures": {"cccd_applications_total": 187, "cccd_new_from_cmnd": 22,
                 "cccd_renewal": 139, "cccd_reissue": 26, "eid_accounts_issued": 204,
                 "eid_accounts_activated": 176, "permanent_residence_total": 29,
                 "permanent_residence_online_total": 25, "temporary_residence_total": 118,
                 "residence_confirmation_total": 44},
     "warning_codes": []},
    text="""ỦY BAN NHÂN DÂN
PHƯỜNG HẢI CHÂU
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 58/BC-UBND                                   Hải Châu, ngày 14 tháng 8 năm 2025

BÁO CÁO
Kết quả triển khai Đề án 06 tuần thứ 33 năm 2025
(từ 07/8/2025 đến 13/8/2025)

Thực hiện chỉ đạo của Ban Chỉ đạo Đề án 06 thành phố Đà Nẵng, sau khi vận hành chính quyền địa phương hai cấp, UBND phường Hải Châu báo cáo kết quả như sau:

1. Kết quả thực hiện các chỉ tiêu trong tuần
1.1. Cấp thẻ Căn cước
Tiếp nhận 187 hồ sơ cấp thẻ Căn cước, gồm: cấp mới 22 hồ sơ; cấp đổi 139 hồ sơ; cấp lại 26 hồ sơ.
1.2. Định danh điện tử
- Tạo lập tài khoản định danh điện tử mức độ 2: 204 hồ sơ.
- Số tài khoản đã kích hoạt: 176.
1.3. Cư trú
a) Đăng ký thường trú: 29 hồ sơ, trong đó trực tuyến 25 hồ sơ.
b) Đăng ký tạm trú: 118 hồ sơ.
c) Xác nhận thông tin về cư trú: 44 hồ sơ.
d) Cấp phiếu lý lịch tư pháp qua bưu điện: 6 hồ sơ.
2. Tồn tại, hạn chế
- Đường truyền mạng tại bộ phận một cửa có lúc chập chờn.
3. Nhiệm vụ tuần tới
- Tiếp tục kiện toàn Tổ Đề án 06 phường sau sắp xếp.
""",
    extras=[["Cấp phiếu lý lịch tư pháp qua bưu điện", 6]],  # not through VNeID: no code
    unread=["d) Cấp phiếu lý lịch tư pháp qua bưu điện: 6 hồ sơ."],
))
