"""Ingesting one weekly report: read, parse and store it in ONE transaction, a new version
superseding the current one of its locality-week, the same report again a no-op."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from stats.database import get_engine, migrated_url, session_scope
from stats.errors import rejected
from stats.ingest_result import IngestResult
from stats.ingest_warnings import cumulative_warnings, jump_warnings
from stats.models import EXTRA_FIGURES, LOCALITIES, REPORT_EVENTS, Report
from stats.parsed import ParsedReport
from stats.parser import parse_report
from stats.readers import Document, read_bytes, read_path
from stats.report_sql import (
    I_REPORT,
    Q_CURRENT,
    Q_DUP,
    Q_FIGURES,
    Q_LOC,
    Q_VERSIONS,
    U_LOCK_LOCALITY,
    U_SUPERSEDE,
)
from stats.textnorm import locality_key
from troly06.pii import mask_pii

# A replacement keeping fewer than this share of the current version's figures is refused
# unless confirmed (a half-empty re-upload must not silently wipe a complete report).
MIN_KEPT_SHARE = 0.5
Authorize = Callable[[str, str, "str | None"], bool]


def _locality_id(conn: Connection, parsed: ParsedReport) -> tuple[int, str, str, str | None]:
    """Id of the report's unit, inserted if new (inside the caller's transaction).

    One row per (key, level, province): "phường Tân An" of Cần Thơ and of Tây Ninh are two
    localities. A row stored before its province was known adopts it; the unit's dataset
    code, structure and today's province are filled in when missing.
    """
    table = LOCALITIES
    name, level, province = parsed.locality, parsed.level, parsed.province
    key = locality_key(name)
    rows = conn.execute(Q_LOC, {"key": key, "level": level}).all()
    row = next((r for r in rows if (r.province or None) == (province or None)), None)
    if row is None and province:
        row = next((r for r in rows if not r.province), None)
    if row is None and not province and len(rows) == 1:
        row = rows[0]
    unit_values = {k: v for k, v in (("code", parsed.unit_code or None),
                                     ("structure", parsed.structure or None),
                                     ("current_province", parsed.current_province))
                   if v}
    if row is None:
        new_id = conn.execute(insert(table).values(
            key=key, name=name, level=level, province=province, aliases="[]", **unit_values)
        ).inserted_primary_key[0]  # type: ignore[index]
        return new_id, name, level, province
    changes = dict(unit_values) if (row.code is None or row.current_province is None) else {}
    if province and not row.province:
        changes["province"] = province
    if changes:
        conn.execute(update(table).where(table.c.id == row.id).values(**changes))
    return row.id, row.name, row.level, row.province or province


def _store(conn: Connection, doc: Document, sha: str, parsed: ParsedReport, *,
           uploader: str, authorize: Authorize | None, confirm_loss: bool
           ) -> IngestResult | None:
    """All writes of one ingest on one connection/transaction; None when a duplicate.

    The uploader's scope is checked against the locality the *report itself* names, here,
    in the same transaction as the writes: a refusal rolls everything back.
    """
    if not parsed.figures:
        raise rejected("no_figures", "Không đọc được chỉ tiêu nào trong báo cáo, chưa nhập gì. "
                       "Bạn kiểm tra lại mẫu báo cáo.", "No known figure in the report.")
    if conn.execute(Q_DUP, {"sha": sha}).first() is not None:
        return None
    loc_id, name, level, province = _locality_id(conn, parsed)
    if authorize is not None and not authorize(name, level, province):
        raise rejected("out_of_scope", f"Bạn không được phân quyền nộp báo cáo của {level} "
                       f"{name}.", "The report's locality is outside the uploader's scope.")
    conn.execute(U_LOCK_LOCALITY, {"lid": loc_id})  # then read the versions, up to date
    week = parsed.week  # the report week: number of its printed period (stats.periods)
    previous = conn.execute(Q_VERSIONS, {"lid": loc_id, "year": week.year,
                                          "week": week.number}).all()
    current = next((r for r in previous if not r.superseded), None)
    if current is not None:
        same = conn.execute(Q_CURRENT, {"rid": current.id}).first()
        stored = dict(conn.execute(Q_FIGURES, {"rid": current.id}).all())
        if same is not None and (same.period_start, same.period_end) == (
                parsed.period_start, parsed.period_end) and stored == parsed.figures:
            # Same report in another file (e.g. the .pdf of a .txt already stored): no-op.
            return IngestResult(
                status="duplicate", report_id=current.id, version=current.version,
                source_name=doc.source_name, locality=name, level=level, province=province,
                period_start=parsed.period_start, period_end=parsed.period_end,
                figures=dict(parsed.figures), warnings=list(parsed.warnings),
                unread=list(parsed.unread), duplicate_of=same.source_name)
        if len(parsed.figures) < MIN_KEPT_SHARE * len(stored) and not confirm_loss:
            raise rejected(
                "replacement_loses_figures",
                f"Báo cáo mới chỉ có {len(parsed.figures)} chỉ tiêu, bản đang dùng có "
                f"{len(stored)}; chưa thay. Gửi lại kèm xác nhận nếu đúng là muốn thay.",
                f"The replacement keeps {len(parsed.figures)} of {len(stored)} figures; "
                "confirm to replace.")
    warnings = (list(parsed.warnings) + cumulative_warnings(conn, loc_id, parsed)
                + jump_warnings(conn, loc_id, parsed))
    if current is not None:
        conn.execute(U_SUPERSEDE, {"rid": current.id})
    version = (previous[0].version + 1) if previous else 1
    report_id = conn.execute(I_REPORT, dict(
        locality_id=loc_id, period_start=parsed.period_start, period_end=parsed.period_end,
        iso_year=week.year, iso_week=week.number, sha256=sha,
        source_name=mask_pii(doc.source_name)[:255], fmt=doc.fmt,
        ingested_at=datetime.now(UTC), version=version, superseded=False,
        # stored text is masked: report lines and file names may carry ID or phone numbers
        warnings=mask_pii(json.dumps([asdict(w) for w in warnings], ensure_ascii=False)),
        unread=mask_pii(json.dumps([asdict(u) for u in parsed.unread], ensure_ascii=False)),
        uploaded_by=uploader[:80],
    )).inserted_primary_key[0]  # type: ignore[index]
    conn.execute(insert(REPORT_EVENTS).values(
        at=datetime.now(UTC), actor=uploader[:80],
        action="replaced" if current is not None else "ingested", report_id=report_id,
        previous_id=current.id if current is not None else None))
    if parsed.figures:
        # Plain DB-API executemany: the hot path of bulk ingestion (68 rows a report).
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            f"INSERT INTO stats_figures (report_id, code, value) VALUES ({mark}, {mark}, {mark})",
            [(report_id, code, value) for code, value in parsed.figures.items()])
    if parsed.extra_figures:  # figures without a code, kept with their (masked) label
        conn.execute(insert(EXTRA_FIGURES), [
            {"report_id": report_id, "label": mask_pii(x.label)[:255], "value": x.value,
             "unit": x.unit[:40], "cumulative": x.cumulative, "line_no": x.line_no}
            for x in parsed.extra_figures])
    return IngestResult(
        status="replaced" if current is not None else "ingested",
        report_id=report_id, version=version, source_name=doc.source_name,
        locality=name, level=level, province=province,
        period_start=parsed.period_start, period_end=parsed.period_end,
        figures=dict(parsed.figures), warnings=warnings, unread=list(parsed.unread),
        superseded_report_id=current.id if current is not None else None,
        extra_figures=list(parsed.extra_figures), unit_code=parsed.unit_code,
        current_province=parsed.current_province)


def ingest_document(doc: Document, *, url: str | None = None, today: date | None = None,
                    parsed: ParsedReport | None = None, uploader: str = "cli",
                    authorize: Authorize | None = None,
                    confirm_loss: bool = False) -> IngestResult:
    """Parse (unless ``parsed`` is given) and store one document in ONE transaction.

    ``uploader``: who is recorded; ``authorize(name, level, province)``: the uploader's scope
    check on the report's own locality; ``confirm_loss``: allow a replacement that keeps
    fewer than half of the current version's figures.
    """
    sha = hashlib.sha256(doc.raw).hexdigest()
    if parsed is None:
        parsed = parse_report(doc.text, doc.source_name, today=today, wrapped=doc.wrapped)
    url = migrated_url(url)
    for attempt in (1, 2):
        try:
            with get_engine(url).begin() as conn:
                result = _store(conn, doc, sha, parsed, uploader=uploader,
                                authorize=authorize, confirm_loss=confirm_loss)
            break
        except IntegrityError:
            # The same file committed concurrently by another process: still a no-op.
            with session_scope(url) as session:
                existing = session.scalars(select(Report).where(Report.sha256 == sha)).first()
                if existing is not None:
                    return _duplicate(existing)
            if attempt == 2:
                raise
            # the locality itself was new and inserted concurrently by another upload: retry
            # once; it exists now, and its row lock makes this upload wait for the other
    if result is None:
        with session_scope(url) as session:
            existing = session.scalars(select(Report).where(Report.sha256 == sha)).one()
            return _duplicate(existing)
    return result


def _duplicate(existing: Report) -> IngestResult:
    loc = existing.locality
    return IngestResult(
        status="duplicate", report_id=existing.id, version=existing.version,
        source_name=existing.source_name, locality=loc.name, level=loc.level,
        province=loc.province, period_start=existing.period_start,
        period_end=existing.period_end,
        figures={f.code: f.value for f in existing.figures},
        duplicate_of=existing.source_name)


def ingest_report(source: str | Path | bytes, source_name: str | None = None, *,
                  url: str | None = None, today: date | None = None,
                  uploader: str = "cli", authorize: Authorize | None = None,
                  confirm_loss: bool = False) -> IngestResult:
    """Read, parse and store one weekly report (path or uploaded bytes).

    One transaction: a rejected or failing file changes nothing. The same bytes again, or
    another file with exactly the same period and figures as the current version (the .pdf
    of a .txt already stored), are a no-op (``status="duplicate"``). A different report for
    the same locality and ISO week supersedes the current version (kept, flagged
    ``superseded``) and becomes ``version + 1`` (``status="replaced"``).
    Raises :class:`stats.errors.ReportRejected`.
    """
    if isinstance(source, bytes | bytearray):
        doc = read_bytes(bytes(source), source_name or "upload.txt")
    else:
        doc = read_path(source)
        if source_name:
            doc = Document(doc.text, source_name, doc.fmt, doc.raw)
    return ingest_document(doc, url=url, today=today, uploader=uploader, authorize=authorize,
                           confirm_loss=confirm_loss)
