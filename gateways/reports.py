"""Report uploads from any channel: :func:`stats.ingest_report`, then a Vietnamese summary."""

from __future__ import annotations

from typing import Any

from troly06.config import Settings
from troly06.wording import say, table

MAX_FIGURE_LINES = 12


def summarize_ingest(result: Any) -> str:
    """The parser's summary of one ingested report (``stats.IngestResult``), for officials."""
    from stats import load_catalogue
    from stats.formatting import format_period, format_vn_number

    catalogue = load_catalogue()
    place = f"{result.level} {result.locality}" if result.level else result.locality
    period = format_period(result.period_start, result.period_end)
    lines = [
        say("reports.headline", status=table("reports.status").get(result.status, result.status),
            source=result.source_name),
        say("reports.place_in_province", place=place, province=result.province)
        if result.province else say("reports.place", place=place),
        say("reports.period_version", period=period, week=result.iso_week,
            version=result.version) if result.version > 1
        else say("reports.period", period=period, week=result.iso_week),
        say("reports.figure_count", n=len(result.figures)),
    ]
    for code, value in list(result.figures.items())[:MAX_FIGURE_LINES]:
        try:
            ind = catalogue.get(code)
            label, unit = ind.label_vi, ind.unit
        except KeyError:
            label, unit = code, ""
        lines.append(say("reports.figure", label=label, value=format_vn_number(value),
                         unit=unit).rstrip())
    if len(result.figures) > MAX_FIGURE_LINES:
        lines.append(say("reports.more_figures", n=len(result.figures) - MAX_FIGURE_LINES))
    if result.warnings:
        lines.append(say("reports.warnings", n=len(result.warnings)))
        lines.extend(f"- {w.message}" for w in result.warnings[:5])
    if result.unread:
        lines.append(say("reports.unread", n=len(result.unread)))
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
