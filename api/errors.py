"""JSON errors with a clear Vietnamese and English message, for every failure path."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """Shape of every error response."""

    error: str
    message: str
    message_en: str


class ApiError(Exception):
    """An error with an HTTP status, a machine code and bilingual messages."""

    def __init__(self, status: int, code: str, message: str, message_en: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.message = message
        self.message_en = message_en
        self.headers = headers


_DEFAULTS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "Yêu cầu không hợp lệ.", "Bad request."),
    401: ("unauthorized", "Thiếu hoặc sai khóa API (X-API-Key).",
          "Missing or invalid API key (X-API-Key)."),
    403: ("forbidden", "Bạn không có quyền truy cập nội dung này.",
          "You are not allowed to access this resource."),
    404: ("not_found", "Không tìm thấy địa chỉ yêu cầu.", "Not found."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."),
    413: ("too_large", "Nội dung gửi lên quá lớn.", "Request body too large."),
    415: ("unsupported_media_type", "Định dạng nội dung không được hỗ trợ.",
          "Unsupported media type."),
    422: ("invalid_input", "Dữ liệu gửi lên không hợp lệ.", "Invalid request data."),
    429: ("rate_limited", "Bạn gửi quá nhiều yêu cầu, vui lòng thử lại sau ít phút.",
          "Too many requests, please retry later."),
    503: ("unavailable", "Dịch vụ tạm thời không sẵn sàng.", "Service temporarily unavailable."),
}


def error_response(status: int, code: str | None = None, message: str | None = None,
                   message_en: str | None = None, headers: dict[str, str] | None = None,
                   extra: dict[str, Any] | None = None) -> JSONResponse:
    """Build the standard JSON error response."""
    d_code, d_msg, d_en = _DEFAULTS.get(status,
                                        ("error", "Đã có lỗi xảy ra.", "An error occurred."))
    body: dict[str, Any] = {"error": code or d_code, "message": message or d_msg,
                            "message_en": message_en or d_en}
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Register handlers so every error leaves the API as :class:`ErrorBody` JSON."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.message_en, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            fields.append({"field": loc, "problem": str(err.get("msg", ""))})
        return error_response(422, extra={"fields": fields})

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %r", exc)
        return error_response(500, "internal_error", "Đã có lỗi hệ thống, vui lòng thử lại sau.",
                              "Internal server error, please retry later.")
