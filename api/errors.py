"""JSON errors with a clear Vietnamese and English message, for every failure path."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from troly06.wording import say, table

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


# status -> (code, English message); the Vietnamese message of each code is in
# troly06/messages/api.yaml ("api.errors")
_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Bad request."),
    401: ("unauthorized", "Missing or invalid API key (X-API-Key)."),
    403: ("forbidden", "You are not allowed to access this resource."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    413: ("too_large", "Request body too large."),
    415: ("unsupported_media_type", "Unsupported media type."),
    422: ("invalid_input", "Invalid request data."),
    429: ("rate_limited", "Too many requests, please retry later."),
    503: ("unavailable", "Service temporarily unavailable."),
}


def defaults(status: int) -> tuple[str, str, str]:
    """(code, Vietnamese message, English message) of an HTTP status's error body."""
    code, en = _CODES.get(status, ("error", "An error occurred."))
    return code, table("api.errors")[code], en


def error_response(status: int, code: str | None = None, message: str | None = None,
                   message_en: str | None = None, headers: dict[str, str] | None = None,
                   extra: dict[str, Any] | None = None) -> JSONResponse:
    """Build the standard JSON error response."""
    d_code, d_msg, d_en = defaults(status)
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
        return error_response(500, "internal_error", say("api.internal_error"),
                              "Internal server error, please retry later.")
