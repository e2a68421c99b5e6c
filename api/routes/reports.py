"""``POST /api/reports``: officials upload a weekly report file (``X-API-Key``)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile as StarletteUploadFile

from api.deps import OfficialDep, SettingsDep
from api.errors import ApiError
from api.schemas import AUTH_ERRORS, ERRORS
from gateways.reports import ingest_upload, summarize_ingest

router = APIRouter(prefix="/api", tags=["statistics"])
ALLOWED_SUFFIXES = (".txt", ".docx", ".pdf")
# refusals that are not "unprocessable": scope (403), resource limits (413), busy (503)
STATUS_OF = {"out_of_scope": 403, "too_complex": 413, "too_slow": 413, "too_large": 413,
             "busy": 503, "replacement_loses_figures": 409}


class ReportOut(BaseModel):
    """What the parser read from the report, and what was stored."""

    status: str
    summary: str
    result: dict[str, Any]


@router.post("/reports", response_model=ReportOut, status_code=201,
             responses={**AUTH_ERRORS, **ERRORS,
                        415: ERRORS[422] | {"description": "Sai định dạng file"}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "multipart/form-data": {"schema": {
                     "type": "object", "required": ["file"],
                     "properties": {"file": {"type": "string", "format": "binary"},
                                    "confirm_replace": {"type": "boolean"}}}}}}},
             summary="Nộp báo cáo tuần (cán bộ) / Upload a weekly report (officials)")
async def post_report(official: OfficialDep, settings: SettingsDep, request: Request,
                      ) -> ReportOut:
    """Parse and store the report; the reply is the parser's summary (figures, warnings).

    The key is checked before a byte of the body is read (the official is a dependency of
    this route and the form is parsed here, not by FastAPI beforehand). The report's own
    locality must be within the official's scope (403 otherwise); a replacement that loses
    more than half of the figures needs ``confirm_replace=true``.
    """
    try:
        form = await request.form(max_files=1, max_fields=4)
    except Exception as exc:  # noqa: BLE001 - malformed multipart is the client's problem
        raise ApiError(422, "bad_form", "Dữ liệu gửi lên không hợp lệ (cần multipart/form-data "
                       "với trường file).", "Malformed multipart body.") from exc
    file = form.get("file")
    if not isinstance(file, StarletteUploadFile):
        raise ApiError(422, "file_required", "Thiếu file báo cáo (trường file).",
                       "Missing report file (field 'file').")
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
    confirm = str(form.get("confirm_replace") or "").lower() in ("1", "true", "yes", "on")
    from stats import StatsError

    try:
        result = await asyncio.to_thread(ingest_upload, raw, name, settings, official,
                                         confirm_loss=confirm)
    except StatsError as exc:
        status = STATUS_OF.get(exc.code, 422)
        raise ApiError(status, exc.code, exc.message_vi, exc.message_en) from exc
    return ReportOut(status=result.status, summary=summarize_ingest(result),
                     result=result.to_dict())
