# ruff: noqa: E501 - the report texts are typed as the communes send them, one line a paragraph
"""Samples 6–13 of 2025–2026: prose, tables in "Trong tuần | Lũy kế", another order, names
several provinces share, and the reports that are refused or asked back (see
``make_2026_samples.py``)."""

from __future__ import annotations

from sample_model import HEADER_CT, Sample, table

SAMPLES: list[Sample] = []

# 6. Phường Trường Vinh, Nghệ An — prose, an unknown figure, the year changes in the week
SAMPLES.append(Sample(
    "nghean_truongvinh_2026-01-07.txt",
    {"locality": "Trường Vinh", "level": "phường", "province": "Nghệ An", "unit_code": "16690",
     "structure": "2025", "current_province": "Nghệ An",
     "period_start": "2026-01-01", "period_end": "2026-01-07", "iso_week": 2,
     "figures": {"cccd_applications_total": 342, "cccd_renewal": 260,
                 "eid_accounts_activated": 298, "eid_activated_cumulative": 46105,
                 "permanent_residence_total": 36, "temporary_residence_total": 74,
                 "stay_notifications_total": 690},
     "warning_codes": []},
    text="""UBND TỈNH NGHỆ AN
UBND PHƯỜNG TRƯỜNG VINH

BÁO CÁO TUẦN
Kết quả thực hiện Đề án 06 (Từ ngày 01/01/2026 đến ngày 07/01/2026)

UBND phường Trường Vinh báo cáo kết quả triển khai Đề án 06 tuần 02 năm 2026 như sau:
I. KẾT QUẢ THỰC HIỆN
1. Trong tuần, Công an phường thu nhận 342 hồ sơ cấp thẻ căn cước, trong đó cấp đổi 260 hồ sơ; kích hoạt 298 tài khoản định danh điện tử mức 2, nâng tổng số tài khoản đã kích hoạt lũy kế lên 46.105 tài khoản.
2. Đăng ký thường trú 36 hồ sơ; đăng ký tạm trú 74 hồ sơ; tiếp nhận thông báo lưu trú 690 lượt.
3. Phối hợp ngân hàng mở tài khoản an sinh xã hội cho 15 người.
II. PHƯƠNG HƯỚNG
- Tập trung làm sạch dữ liệu dân cư theo Kế hoạch của UBND tỉnh.
""",
    extras=[["Phối hợp ngân hàng mở tài khoản an sinh xã hội cho", 15]],
    unread=["3. Phối hợp ngân hàng mở tài khoản an sinh xã hội cho 15 người."],
))

# 7. Đặc khu Phú Quốc, An Giang — Ban Chỉ đạo, PDF, table with "Trong tuần | Lũy kế"
SAMPLES.append(Sample(
    "angiang_phuquoc_2026-03-04.pdf",
    {"locality": "Phú Quốc", "level": "đặc khu", "province": "An Giang", "unit_code": "31078",
     "structure": "2025", "current_province": "An Giang",
     "period_start": "2026-02-26", "period_end": "2026-03-04", "iso_week": 10,
     "figures": {"cccd_applications_total": 295, "cccd_applications_cumulative": 11780,
                 "eid_accounts_activated": 264, "eid_activated_cumulative": 52318,
                 "temporary_residence_total": 181, "stay_notifications_total": 7342},
     "warning_codes": []},
    blocks=[
        "BAN CHỈ ĐẠO ĐỀ ÁN 06 ĐẶC KHU PHÚ QUỐC",
        "BÁO CÁO",
        "Kết quả thực hiện Đề án 06 (Từ ngày 26/02/2026 đến ngày 04/3/2026)",
        "Thực hiện chỉ đạo của UBND tỉnh An Giang, Ban Chỉ đạo Đề án 06 đặc khu Phú Quốc báo "
        "cáo kết quả trong tuần như sau:",
        "I. KẾT QUẢ THỰC HIỆN",
        table(("STT", "Nội dung", "Trong tuần", "Lũy kế"),
              ("1", "Thu nhận hồ sơ cấp thẻ căn cước", "295", "11.780"),
              ("2", "Kích hoạt tài khoản định danh điện tử mức 2", "264", "52.318"),
              ("3", "Đăng ký tạm trú", "181", "-"),
              ("4", "Thông báo lưu trú", "7.342", "-")),
        "II. NHIỆM VỤ TUẦN TỚI",
        "Đẩy mạnh hướng dẫn khách du lịch khai báo lưu trú trực tuyến.",
    ],
))

# 8. Phường Xuân Hương - Đà Lạt, Lâm Đồng — bullets, another order, a name with a dash
SAMPLES.append(Sample(
    "lamdong_xuanhuong_2026-06-10.txt",
    {"locality": "Xuân Hương - Đà Lạt", "level": "phường", "province": "Lâm Đồng",
     "unit_code": "24781", "structure": "2025", "current_province": "Lâm Đồng",
     "period_start": "2026-06-04", "period_end": "2026-06-10", "iso_week": 24,
     "figures": {"stay_notifications_total": 4185, "temporary_residence_total": 133,
                 "permanent_residence_total": 21, "cccd_applications_total": 164,
                 "id_cards_under14": 31, "eid_accounts_activated": 152,
                 "criminal_record_vneid": 18},
     "warning_codes": []},
    text="""ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
ỦY BAN NHÂN DÂN PHƯỜNG XUÂN HƯƠNG - ĐÀ LẠT

Kết quả thực hiện Đề án 06 tuần 24/2026
(Từ ngày 04/6/2026 đến ngày 10/6/2026)

UBND phường Xuân Hương - Đà Lạt báo cáo kết quả thực hiện trong tuần như sau:
I. KẾT QUẢ THỰC HIỆN
1. Cư trú, lưu trú (mùa du lịch hè)
+ Thông báo lưu trú: 4.185 lượt.
+ Đăng ký tạm trú: 133 hồ sơ.
+ Đăng ký thường trú: 21 hồ sơ.
2. Căn cước, định danh điện tử
+ Thu nhận hồ sơ cấp thẻ căn cước: 164 hồ sơ.
+ Trong đó công dân dưới 14 tuổi: 31 hồ sơ.
+ Kích hoạt tài khoản định danh điện tử mức 2: 152 tài khoản.
3. Tiện ích trên VNeID
+ Phiếu lý lịch tư pháp đề nghị cấp qua VNeID: 18 hồ sơ.
+ Tích hợp giấy phép lái xe vào VNeID: 47 trường hợp.
II. PHƯƠNG HƯỚNG TUẦN TỚI
+ Tiếp tục kiểm tra các cơ sở lưu trú trên địa bàn.
""",
    extras=[["Tích hợp giấy phép lái xe vào VNeID", 47]],
    unread=["+ Tích hợp giấy phép lái xe vào VNeID: 47 trường hợp."],
))

# 9. Phường Long Xuyên, An Giang — Word, one two-column table, October 2025
SAMPLES.append(Sample(
    "angiang_longxuyen_2025-10-01.docx",
    {"locality": "Long Xuyên", "level": "phường", "province": "An Giang", "unit_code": "30307",
     "structure": "2025", "current_province": "An Giang",
     "period_start": "2025-09-25", "period_end": "2025-10-01", "iso_week": 40,
     "figures": {"cccd_applications_total": 276, "cccd_reissue": 19, "id_cards_delivered": 240,
                 "eid_accounts_issued": 301, "eid_accounts_activated": 266,
                 "permanent_residence_total": 48, "temporary_residence_total": 65},
     "warning_codes": []},
    blocks=[
        "UBND TỈNH AN GIANG", "UBND PHƯỜNG LONG XUYÊN", HEADER_CT,
        "BÁO CÁO",
        "Kết quả thực hiện Đề án 06 tuần 40 năm 2025 (Từ ngày 25/9/2025 đến ngày 01/10/2025)",
        "UBND phường Long Xuyên báo cáo như sau:",
        "I. KẾT QUẢ",
        "Kết quả cụ thể các chỉ tiêu trong tuần:",
        table(("Nội dung", "Số lượng"),
              ("Thu nhận hồ sơ cấp thẻ căn cước", "276"),
              ("Trong đó cấp lại do mất", "19"),
              ("Trả thẻ căn cước", "240"),
              ("Thu nhận hồ sơ định danh điện tử mức 2", "301"),
              ("Kích hoạt tài khoản định danh điện tử", "266"),
              ("Đăng ký thường trú", "48"),
              ("Đăng ký tạm trú", "65")),
        "II. KIẾN NGHỊ",
        "Không.",
    ],
))

# 10. Xã Châu Thành, Cần Thơ — "Châu Thành" exists in five provinces: the header settles it
SAMPLES.append(Sample(
    "cantho_chauthanh_2025-12-03.txt",
    {"locality": "Châu Thành", "level": "xã", "province": "Cần Thơ", "unit_code": "31366",
     "structure": "2025", "current_province": "Cần Thơ",
     "period_start": "2025-11-27", "period_end": "2025-12-03", "iso_week": 49,
     "figures": {"cccd_applications_total": 128, "cccd_new_from_cmnd": 17, "cccd_renewal": 96,
                 "cccd_reissue": 15, "eid_accounts_activated": 117,
                 "permanent_residence_total": 19, "permanent_residence_eligible": 17,
                 "temporary_residence_total": 12, "outreach_people": 210},
     "warning_codes": []},
    text="""THÀNH PHỐ CẦN THƠ
ỦY BAN NHÂN DÂN XÃ CHÂU THÀNH

BÁO CÁO
Kết quả thực hiện Đề án 06 tuần 49 năm 2025
(Từ ngày 27/11/2025 đến ngày 03/12/2025)

Ủy ban nhân dân xã Châu Thành (trước đây là thị trấn Ngã Sáu, xã Đông Phú và thị trấn Mái Dầm thuộc huyện Châu Thành, tỉnh Hậu Giang) báo cáo kết quả thực hiện Đề án 06 trong tuần như sau:
I. KẾT QUẢ THỰC HIỆN
1. Cấp thẻ căn cước: thu nhận 128 hồ sơ (cấp mới 17, cấp đổi 96, cấp lại 15).
2. Kích hoạt tài khoản định danh điện tử mức 2: 117 tài khoản.
3. Cư trú: đăng ký thường trú 19 hồ sơ, đủ điều kiện 17 hồ sơ; đăng ký tạm trú 12 hồ sơ.
4. Tuyên truyền lưu động tại 05 ấp cho 210 lượt người dân.
II. PHƯƠNG HƯỚNG
Tiếp tục thực hiện tốt các chỉ tiêu Đề án 06.
""",
))

# 11. Phường Long Mỹ, Cần Thơ — "Long Mỹ" was a huyện and a thị xã; PDF
SAMPLES.append(Sample(
    "cantho_longmy_2026-02-11.pdf",
    {"locality": "Long Mỹ", "level": "phường", "province": "Cần Thơ", "unit_code": "31471",
     "structure": "2025", "current_province": "Cần Thơ",
     "period_start": "2026-02-05", "period_end": "2026-02-11", "iso_week": 7,
     "figures": {"cccd_applications_total": 97, "eid_accounts_activated": 88,
                 "permanent_residence_total": 14, "temporary_residence_total": 9,
                 "stay_notifications_total": 63},
     "warning_codes": []},
    blocks=[
        "UBND THÀNH PHỐ CẦN THƠ",
        "UBND PHƯỜNG LONG MỸ",
        "BÁO CÁO",
        "Kết quả thực hiện Đề án 06 tuần 07 năm 2026 (Từ ngày 05/02/2026 đến ngày "
        "11/02/2026)",
        "UBND phường Long Mỹ (địa bàn thị xã Long Mỹ cũ) báo cáo kết quả thực hiện trong tuần "
        "như sau:",
        "I. KẾT QUẢ THỰC HIỆN",
        "- Thu nhận hồ sơ cấp thẻ căn cước: 97 hồ sơ.",
        "- Kích hoạt tài khoản định danh điện tử mức 2: 88 tài khoản.",
        "- Đăng ký thường trú: 14 hồ sơ; đăng ký tạm trú: 9 hồ sơ.",
        "- Thông báo lưu trú: 63 lượt.",
        "II. PHƯƠNG HƯỚNG",
        "- Chuẩn bị phục vụ người dân làm thủ tục sau Tết Nguyên đán.",
    ],
))

# 12. A Cần Thơ ward report without any figure of the catalogue: refused
SAMPLES.append(Sample(
    "cantho_ninhkieu_2026-11-18_no_figures.txt",
    {"error": "no_figures"},
    text="""UBND THÀNH PHỐ CẦN THƠ
UBND PHƯỜNG NINH KIỀU

BÁO CÁO
Kết quả thực hiện Đề án 06 tuần 47 năm 2026
(Từ ngày 12/11/2026 đến ngày 18/11/2026)

UBND phường Ninh Kiều báo cáo kết quả thực hiện Đề án 06 trong tuần như sau:
I. KẾT QUẢ THỰC HIỆN
- Tiếp tục quán triệt, triển khai các văn bản chỉ đạo của thành phố về Đề án 06.
- Tổ chức rà soát, làm sạch dữ liệu dân cư theo nguyên tắc “đúng, đủ, sạch, sống, thống nhất, dùng chung”.
II. PHƯƠNG HƯỚNG
- Hoàn thành các chỉ tiêu được giao trong tháng 11/2026.
""",
))

# 13. "UBND xã Châu Thành" naming no province: five provinces have one — asked back
SAMPLES.append(Sample(
    "chauthanh_2026-11-18_no_province.txt",
    {"error": "ambiguous_locality"},
    text="""UBND XÃ CHÂU THÀNH

BÁO CÁO
Kết quả thực hiện Đề án 06 tuần 47 năm 2026
(Từ ngày 12/11/2026 đến ngày 18/11/2026)

UBND xã Châu Thành báo cáo kết quả thực hiện Đề án 06 trong tuần như sau:
I. KẾT QUẢ THỰC HIỆN
- Thu nhận hồ sơ cấp thẻ căn cước: 84 hồ sơ.
- Kích hoạt tài khoản định danh điện tử mức 2: 70 tài khoản.
""",
))


