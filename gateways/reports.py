"""Report uploads from any channel: :func:`stats.ingest_report`, then a Vietnamese summary."""

from __future__ import annotations

from typing import Any

from troly06.config import Settings

STATUS_VI = {
    "ingested": "Đã nhập báo cáo mới",
    "replaced": "Đã cập nhật báo cáo (thay bản trước)",
    "duplicate": "Báo cáo này đã được nhập trước đó, không thay đổi gì",
}
MAX_FIGURE_LINES = 12


def summarize_ingest(result: Any) -> str:
    """The parser's summary of one ingested report (``stats.IngestResult``), for officials."""
    from stats import load_catalogue
    from stats.formatting import format_period, format_vn_number

    catalogue = load_catalogue()
    place = f"{result.level} {result.locality}" if result.level else result.locality
    lines = [
        f"{STATUS_VI.get(result.status, result.status)}: {result.source_name}",
        f"Địa bàn: {place}" + (f" ({result.province})" if result.province else ""),
        f"Kỳ báo cáo: {format_period(result.period_start, result.period_end)} "
        f"(tuần {result.iso_week})" + (f", phiên bản {result.version}"
                                       if result.version > 1 else ""),
        f"Số chỉ tiêu đọc được: {len(result.figures)}",
    ]
    for code, value in list(result.figures.items())[:MAX_FIGURE_LINES]:
        try:
            ind = catalogue.get(code)
            label, unit = ind.label_vi, ind.unit
        except KeyError:
            label, unit = code, ""
        lines.append(f"- {label}: {format_vn_number(value)} {unit}".rstrip())
    if len(result.figures) > MAX_FIGURE_LINES:
        lines.append(f"- … và {len(result.figures) - MAX_FIGURE_LINES} chỉ tiêu khác")
    if result.warnings:
        lines.append(f"Cảnh báo ({len(result.warnings)}):")
        lines.extend(f"- {w.message}" for w in result.warnings[:5])
    if result.unread:
        lines.append(f"Số dòng có số liệu chưa đọc được: {len(result.unread)} "
                     "(vui lòng kiểm tra lại mẫu báo cáo).")
    return "\n".join(lines)


def ingest_upload(raw: bytes, filename: str, settings: Settings, official: Any, *,
                  confirm_loss: bool = False) -> Any:
    """Ingest an official's upload; raises ``stats.StatsError`` (``out_of_scope``…).

    The file is read and parsed in a limited child process (:mod:`stats.sandbox`); the
    report's own locality is checked against ``official``'s scope in the storing transaction,
    and the official is recorded as the uploader.
    """
    from stats import ingest_document
    from stats.access import unit_of_report
    from stats.sandbox import parse_isolated

    doc, parsed = parse_isolated(raw, filename, timeout_s=settings.ingest_timeout_s,
                                 memory_mb=settings.ingest_memory_mb,
                                 workers=settings.ingest_workers,
                                 max_bytes=settings.max_upload_bytes)
    return ingest_document(
        doc, parsed=parsed, url=settings.sqlalchemy_url, uploader=f"official:{official.id}",
        authorize=lambda name, level, province: official.sees(
            unit_of_report(name, level, province)),
        confirm_loss=confirm_loss)
