# ruff: noqa: E501 - the report texts are typed as the communes send them, one line a paragraph
"""Write the 2025–2026 commune report samples and their ``.expected.json`` files.

    .venv/bin/python tests/data/reports/make_2026_samples.py

Each sample is written here by hand, as wards and communes send them since 1/7/2025 (two
levels of local government, Luật Căn cước 2023 terms): plain text, Word documents whose
figures sit in tables (python-docx) and text-layer PDFs with a table (fpdf2, DejaVu font
from matplotlib). The expected figures, unknown figures and unread lines below are the
ones typed into the samples, never the parser's output. Output is byte-stable (fixed
document dates, zip timestamps and PDF creation date).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER_CT = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


@dataclass
class Sample:
    """One sample: its file name, content and what a reader finds in it."""

    name: str
    expected: dict
    text: str = ""                                   # .txt / PDF paragraphs
    blocks: list = field(default_factory=list)       # .docx / .pdf: str paragraphs, tables
    extras: list = field(default_factory=list)       # [label, value] of unknown figures
    unread: list = field(default_factory=list)       # logical lines left unread


def table(*rows: tuple) -> list[tuple]:
    """A table as a list of rows (first row: the header)."""
    return list(rows)


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


# --------------------------------------------------------------------------- writers ----

STAMP = datetime(2026, 12, 1, tzinfo=UTC)


def write_docx(path: Path, blocks: list) -> None:
    """Paragraphs and tables in order (byte-stable)."""
    import docx

    document = docx.Document()
    document.core_properties.created = STAMP
    document.core_properties.modified = STAMP
    for block in blocks:
        if isinstance(block, str):
            for line in block.split("\n"):
                document.add_paragraph(line)
            continue
        grid = document.add_table(rows=0, cols=len(block[0]))
        grid.style = "Table Grid"
        for row in block:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 12, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))


def write_pdf(path: Path, blocks: list) -> None:
    """Text-layer PDF: paragraphs wrap, tables are drawn as grids (fpdf2)."""
    import matplotlib
    from fpdf import FPDF

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(format="A4")
    pdf.set_creation_date(STAMP)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=10)
    for block in blocks:
        if isinstance(block, str):
            pdf.multi_cell(0, 5, block, new_x="LMARGIN", new_y="NEXT")
            continue
        widths = (12, 110, 30, 30)[-len(block[0]):] if len(block[0]) == 4 else None
        with pdf.table(col_widths=widths, text_align="LEFT") as grid:
            for row in block:
                cells = grid.row()
                for value in row:
                    cells.cell(value)
        pdf.ln(2)
    pdf.output(str(path))


def main() -> None:
    for sample in SAMPLES:
        path = HERE / sample.name
        if path.suffix == ".txt":
            path.write_text(sample.text, encoding="utf-8")
        elif path.suffix == ".docx":
            write_docx(path, sample.blocks)
        else:
            write_pdf(path, sample.blocks)
        expected = dict(sample.expected)
        if "error" not in expected:
            expected["unread_count"] = len(sample.unread)
            expected["unread"] = sample.unread
            expected["extra_figures"] = sample.extras
        stem = path.name.rsplit(".", 1)[0]
        (HERE / f"{stem}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", path.name)


if __name__ == "__main__":
    main()
