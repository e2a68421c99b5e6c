"""``POST /api/reports``: officials upload a weekly report file (``X-API-Key``)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel

from api.deps import OfficialDep, SettingsDep
from api.errors import ApiError
from api.schemas import AUTH_ERRORS, ERRORS
from bot.channels.reports import ingest_upload, summarize_ingest

router = APIRouter(prefix="/api", tags=["statistics"])
ALLOWED_SUFFIXES = (".txt", ".docx", ".pdf")


class ReportOut(BaseModel):
    """What the parser read from the report, and what was stored."""

    status: str
    summary: str
    result: dict[str, Any]


@router.post("/reports", response_model=ReportOut, status_code=201,
             responses={**AUTH_ERRORS, **ERRORS,
                        415: ERRORS[422] | {"description": "Sai định dạng file"}},
             summary="Nộp báo cáo tuần (cán bộ) / Upload a weekly report (officials)")
async def post_report(
    official: OfficialDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Báo cáo tuần: .docx, .pdf hoặc .txt")],
) -> ReportOut:
    """Parse and store the report; the reply is the parser's summary (figures, warnings)."""
    name = (file.filename or "").strip() or "bao_cao.txt"
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ApiError(415, "unsupported_file", "Chỉ nhận file báo cáo .docx, .pdf hoặc .txt.",
                       "Only .docx, .pdf or .txt reports are accepted.")
    raw = await file.read(settings.max_upload_bytes + 1)
    if len(raw) > settings.max_upload_bytes:
        mb = settings.max_upload_bytes // (1024 * 1024)
        raise ApiError(413, "file_too_large", f"File quá lớn (tối đa {mb} MB).",
                       f"File too large (at most {mb} MB).")
    if not raw:
        raise ApiError(422, "empty_file", "File trống.", "Empty file.")
    from stats import StatsError

    try:
        result = await asyncio.to_thread(ingest_upload, raw, name, settings)
    except StatsError as exc:
        raise ApiError(422, exc.code, exc.message_vi, exc.message_en) from exc
    return ReportOut(status=result.status, summary=summarize_ingest(result),
                     result=result.to_dict())
